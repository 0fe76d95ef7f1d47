use thiserror::Error;

use crate::appeal::{Action, Status};

/// A rule of the domain was broken; the message is safe to show to the user.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    #[error("action `{action:?}` is not allowed in status `{status:?}`")]
    InvalidTransition { status: Status, action: Action },
    #[error("invalid value for {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl DomainError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }
}
