//! Helpers shared by the transport tests (fake servers live next to their transport).

use crate::{DeliveryRoute, Message};

pub(crate) fn message(route: DeliveryRoute, to: &str, template: &str, body: &str) -> Message {
    Message {
        id: "outbox-42".into(),
        route,
        to: to.into(),
        subject: None,
        body: body.into(),
        template: template.into(),
    }
}

/// A listener on an ephemeral loopback port, and its port.
pub(crate) async fn listen() -> (tokio::net::TcpListener, u16) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("local addr").port();
    (listener, port)
}

/// A loopback port with nothing listening (bound, then released).
pub(crate) async fn closed_port() -> u16 {
    let (listener, port) = listen().await;
    drop(listener);
    port
}
