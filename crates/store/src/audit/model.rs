//! The audit trail: entries to append, entries read back, and the viewer's filters.

use police_square_domain::Millis;
use serde::{Deserialize, Serialize};

/// Filters of the audit-log viewer; entries come newest first, `limit` at a time,
/// before `before_seq` (keyset paging: the log is long).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    /// Exact subject, e.g. `appeal:42`.
    pub subject: Option<String>,
    /// Exact actor, e.g. `staff:7`.
    pub actor: Option<String>,
    /// The action or its family: `appeal` matches `appeal.received`, `appeal.replied`…
    pub action: Option<String>,
    /// `at` in `[from, to)`.
    pub from: Option<Millis>,
    pub to: Option<Millis>,
    pub before_seq: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: Millis,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone)]
pub struct NewAudit {
    pub at: Millis,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}
