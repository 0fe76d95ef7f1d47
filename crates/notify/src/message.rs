//! The message handed over by the outbox worker and the transport contract.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// How a message is delivered (SMS, e-mail or webhook); the [`crate::Router`] picks a
/// transport by it. Not the intake channel an appeal came in by
/// (`police_square_domain::Channel`). Serialized as `channel`, its historical key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryRoute {
    Sms,
    Email,
    Webhook,
}

impl DeliveryRoute {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryRoute::Sms => "sms",
            DeliveryRoute::Email => "email",
            DeliveryRoute::Webhook => "webhook",
        }
    }
}

impl std::fmt::Display for DeliveryRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for DeliveryRoute {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "sms" => Ok(DeliveryRoute::Sms),
            "email" => Ok(DeliveryRoute::Email),
            "webhook" => Ok(DeliveryRoute::Webhook),
            other => Err(format!("unknown channel {other:?}")),
        }
    }
}

/// One notification to deliver.
///
/// `to` and `body` are personal data: the hand-written `Debug` masks them, and
/// logs should carry only `id`/`channel`/`template` and [`crate::mask_recipient`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Outbox row id; doubles as the idempotency key for receivers.
    pub id: String,
    #[serde(rename = "channel")]
    pub route: DeliveryRoute,
    /// Phone number, e-mail address or webhook target, depending on `route`.
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub body: String,
    /// Template name, e.g. "otp", "reply_ready", "reminder".
    pub template: String,
}

impl std::fmt::Debug for Message {
    // Keep personal data out of accidental `{:?}` logging.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("id", &self.id)
            .field("route", &self.route)
            .field("to", &crate::mask_recipient(self.route, &self.to))
            .field("template", &self.template)
            .field("body_chars", &self.body.chars().count())
            .finish()
    }
}

/// Why a delivery failed. `reason` must never contain personal data
/// (no numbers, addresses or bodies) because the worker stores and logs it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason} (retryable: {retryable})")]
pub struct SendError {
    pub retryable: bool,
    pub reason: String,
}

impl SendError {
    /// A temporary failure (network, timeout, 5xx, throttling): try again later.
    pub fn retryable(reason: impl Into<String>) -> Self {
        Self {
            retryable: true,
            reason: reason.into(),
        }
    }

    /// A failure that will not go away by retrying (bad address, 4xx, rejected content).
    pub fn permanent(reason: impl Into<String>) -> Self {
        Self {
            retryable: false,
            reason: reason.into(),
        }
    }
}

/// A way to deliver messages. Implementations must be cheap to share (`Arc<dyn Transport>`).
#[async_trait]
pub trait Transport: Send + Sync {
    /// Short name for logs and metrics, e.g. "smtp".
    fn name(&self) -> &'static str;

    /// Deliver one message. Receivers may see the same `id` twice after a retry.
    async fn send(&self, msg: &Message) -> Result<(), SendError>;
}
