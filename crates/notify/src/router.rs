//! Picks a transport per delivery route, falling back to a default.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;

use crate::{DeliveryRoute, Message, SendError, Transport};

/// Itself a [`Transport`], so the outbox worker holds just one `Arc<dyn Transport>`.
#[derive(Clone)]
pub struct Router {
    default: Arc<dyn Transport>,
    by_route: HashMap<DeliveryRoute, Arc<dyn Transport>>,
}

impl Router {
    pub fn new(default: Arc<dyn Transport>) -> Self {
        Self {
            default,
            by_route: HashMap::new(),
        }
    }

    /// Send `route` through `transport` (builder style).
    pub fn with(mut self, route: DeliveryRoute, transport: Arc<dyn Transport>) -> Self {
        self.by_route.insert(route, transport);
        self
    }

    pub fn transport_for(&self, route: DeliveryRoute) -> &Arc<dyn Transport> {
        self.by_route.get(&route).unwrap_or(&self.default)
    }
}

#[async_trait]
impl Transport for Router {
    fn name(&self) -> &'static str {
        "router"
    }

    async fn send(&self, msg: &Message) -> Result<(), SendError> {
        self.transport_for(msg.route).send(msg).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    struct Recorder(&'static str, Mutex<Vec<String>>);

    #[async_trait]
    impl Transport for Recorder {
        fn name(&self) -> &'static str {
            self.0
        }
        async fn send(&self, msg: &Message) -> Result<(), SendError> {
            self.1.lock().unwrap().push(msg.id.clone());
            Ok(())
        }
    }

    #[tokio::test]
    async fn routes_by_channel() {
        let default = Arc::new(Recorder("log", Mutex::default()));
        let sms = Arc::new(Recorder("smpp", Mutex::default()));
        let router = Router::new(default.clone()).with(DeliveryRoute::Sms, sms.clone());
        let mut m = Message {
            id: "a".into(),
            route: DeliveryRoute::Sms,
            to: "13812341234".into(),
            subject: None,
            body: "x".into(),
            template: "otp".into(),
        };
        router.send(&m).await.unwrap();
        m.id = "b".into();
        m.route = DeliveryRoute::Email;
        router.send(&m).await.unwrap();
        assert_eq!(*sms.1.lock().unwrap(), vec!["a"]);
        assert_eq!(*default.1.lock().unwrap(), vec!["b"]);
    }
}
