//! Notification transports for Police Square.
//!
//! The outbox worker (in the store/server crates) claims pending rows and calls a
//! [`Transport`] for each one. This crate holds no database code: it only knows how
//! to deliver one [`Message`] over one protocol and to say whether a failure is worth
//! retrying.
//!
//! Transports:
//! - [`LogTransport`] — dev-only sink: JSON lines in a file (tests read OTPs from it).
//! - [`SmtpTransport`] — e-mail through lettre.
//! - [`WebhookTransport`] — signed JSON POST (e.g. to an SMS gateway or a partner system).
//! - [`SmppTransport`] — SMS through a minimal SMPP 3.4 client.
//! - [`Router`] — picks one of the above per [`DeliveryRoute`].

mod config;
mod log;
mod mask;
mod message;
mod retry;
mod router;
mod smpp;
mod smtp;
mod webhook;

#[cfg(test)]
mod testutil;

pub use config::{
    build_router, build_transport, ConfigError, RouterConfig, Secret, SmtpTls, TransportConfig,
};
pub use log::LogTransport;
pub use mask::{mask_email, mask_phone, mask_recipient};
pub use message::{DeliveryRoute, Message, SendError, Transport};
pub use retry::{retry_delay, should_retry, MAX_ATTEMPTS};
pub use router::Router;
pub use smpp::{SmppConfig, SmppTransport};
pub use smtp::{SmtpConfig, SmtpTransport};
pub use webhook::{
    signature as webhook_signature, WebhookConfig, WebhookTransport, IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
};
