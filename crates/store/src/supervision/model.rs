//! Requests a supervisor decides (extension, transfer, review) and deadline work.

use police_square_domain::Millis;
use serde::{Deserialize, Serialize};

use crate::Id;

/// Requests that need a supervisor's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// 延期
    Extension,
    /// 转办 (when approval is configured)
    Transfer,
    /// 复核 after an unsatisfied rating
    Review,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Pending,
    Approved,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: Id,
    pub appeal_id: Id,
    pub kind: RequestKind,
    pub state: RequestState,
    pub reason: String,
    /// Extension: working days asked for.
    pub days: Option<i32>,
    /// Transfer: target unit.
    pub to_unit_id: Option<Id>,
    pub requested_by: Option<Id>,
    pub requested_at: Millis,
    pub decided_by: Option<Id>,
    pub decided_at: Option<Millis>,
    /// The supervisor's comment on the decision (督办意见).
    #[serde(default)]
    pub decision_note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewRequest {
    pub appeal_id: Id,
    pub kind: RequestKind,
    pub reason: String,
    pub days: Option<i32>,
    pub to_unit_id: Option<Id>,
    pub requested_by: Option<Id>,
    pub requested_at: Millis,
}

/// A case that the deadline job should act on.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineCandidate {
    pub appeal_id: Id,
    pub unit_id: Id,
    pub assignee_id: Option<Id>,
    pub due_at: Millis,
    pub supervision_level: i32,
    pub version: i64,
}
