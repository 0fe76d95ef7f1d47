//! The notification outbox and background jobs.

use crate::Id;

/// A row of the notification outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOutboxMessage {
    /// "sms" | "email" | "webhook"
    pub channel: String,
    /// Sealed recipient (a phone is personal data).
    pub recipient_enc: Vec<u8>,
    pub template: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    pub id: Id,
    pub channel: String,
    pub recipient_enc: Vec<u8>,
    pub template: String,
    pub body: String,
    pub attempts: i32,
}

/// A claimed unit of background work.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: Id,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
}
