//! Errors of the text engine.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum TextError {
    #[error("dictionary line {line}: {reason}")]
    Dict { line: usize, reason: String },
    #[error("JSONL line {line}: {reason}")]
    Jsonl { line: usize, reason: String },
    #[error("model: {0}")]
    Model(String),
}
