//! Appeals: what intake writes, what lists and pages read, and the changes applied to
//! them. Instants are [`Millis`] (UTC epoch ms).
//! Personal data arrives here already sealed by [`crate::vault::Vault`]: the store
//! never sees a phone number in clear.

use police_square_domain::{
    org::UnitPath, AppealKind, Channel, Millis, Satisfaction, Status, Urgency,
};
use serde::{Deserialize, Serialize};

use crate::{Id, NewOutboxMessage};

/// Personal data sealed by the vault (AEAD ciphertext + keyed lookup hash + display mask).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SealedContact {
    pub phone_enc: Vec<u8>,
    /// HMAC of the normalised phone: lets an operator find a caller's earlier appeals.
    pub phone_hash: Vec<u8>,
    /// 138****1234
    pub phone_masked: String,
    pub name_enc: Option<Vec<u8>>,
    pub address_enc: Option<Vec<u8>>,
    /// Street level only; safe to show to any staff member in scope.
    pub address_masked: Option<String>,
}

/// What intake has established about a new appeal (text analysis already done).
#[derive(Debug, Clone)]
pub struct NewAppeal {
    pub tracking_code: String,
    pub idempotency_key: Option<String>,
    pub kind: AppealKind,
    pub channel: Channel,
    pub text: String,
    /// Segmented text (space-joined tokens) for full-text search.
    pub search_text: String,
    pub category: Option<String>,
    pub category_confidence: Option<f64>,
    /// Low classifier confidence: a person should check the category.
    pub category_needs_review: bool,
    pub urgency: Urgency,
    pub emergency: bool,
    /// 可能紧急: the urgency gate was unsure; true whenever `emergency` is.
    pub possible_emergency: bool,
    pub sentiment: Option<String>,
    pub unit_id: Id,
    /// For `conduct` complaints: the unit the complaint is about (hidden from it).
    pub subject_unit_id: Option<Id>,
    pub status: Status,
    pub received_at: Millis,
    pub accept_by: Millis,
    pub due_at: Millis,
    pub contact: SealedContact,
    /// Staff member who recorded it (hotline operator), if any.
    pub recorded_by: Option<Id>,
    /// Lifecycle already lived (demo data, imports). Only
    /// [`crate::AppealStore::insert_appeals_bulk`] reads it; `insert_appeal` ignores it.
    /// `None` for every new appeal.
    pub history: Option<BulkHistory>,
}

/// What happened to an imported appeal before it reached this database, so that bulk
/// demo data and imports can carry realistic lifecycle states. The bulk insert records
/// the matching timeline events (accepted, replied, rated, closed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BulkHistory {
    pub accepted_at: Option<Millis>,
    pub replied_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub reply_text: Option<String>,
    /// resolved?, satisfaction, rated_at
    pub rating: Option<(bool, Satisfaction, Millis)>,
    pub reopen_count: i32,
    pub supervision_level: i32,
    pub assignee_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appeal {
    pub id: Id,
    pub tracking_code: String,
    pub kind: AppealKind,
    pub channel: Channel,
    pub text: String,
    pub category: Option<String>,
    pub category_confidence: Option<f64>,
    pub category_needs_review: bool,
    pub urgency: Urgency,
    pub emergency: bool,
    /// 可能紧急: the urgency gate was unsure; true whenever `emergency` is.
    pub possible_emergency: bool,
    pub sentiment: Option<String>,
    pub unit_id: Id,
    pub unit_path: UnitPath,
    pub subject_unit_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub status: Status,
    pub received_at: Millis,
    pub accept_by: Millis,
    pub accepted_at: Option<Millis>,
    pub due_at: Millis,
    pub replied_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub reply_text: Option<String>,
    pub rating_resolved: Option<bool>,
    pub rating_satisfaction: Option<Satisfaction>,
    pub rated_at: Option<Millis>,
    pub reopen_count: i32,
    /// 0 none, 1 reminded (催办), 2 escalated to the parent unit.
    pub supervision_level: i32,
    /// Follow-up calls (催问) the resident made about this appeal.
    #[serde(default)]
    pub follow_ups: i32,
    pub phone_masked: String,
    pub address_masked: Option<String>,
    pub cluster_id: Option<Id>,
    /// Optimistic concurrency: every change must name the version it read.
    pub version: i64,
    pub updated_at: Millis,
}

/// An inbox row: what a list needs, no personal data beyond the mask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealSummary {
    pub id: Id,
    pub tracking_code: String,
    pub kind: AppealKind,
    pub channel: Channel,
    /// First ~80 characters of the text.
    pub excerpt: String,
    pub category: Option<String>,
    pub urgency: Urgency,
    pub emergency: bool,
    /// 可能紧急 (see [`Appeal::possible_emergency`]).
    pub possible_emergency: bool,
    pub unit_id: Id,
    pub status: Status,
    pub received_at: Millis,
    pub due_at: Millis,
    pub supervision_level: i32,
    /// Follow-up calls (催问) about this appeal.
    #[serde(default)]
    pub follow_ups: i32,
    pub phone_masked: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InsertOutcome {
    Created(Id),
    /// The idempotency key was seen before: this is the appeal it created.
    Duplicate(Id),
}

impl InsertOutcome {
    pub fn id(&self) -> Id {
        match self {
            InsertOutcome::Created(id) | InsertOutcome::Duplicate(id) => *id,
        }
    }
}

/// Inbox filters. Scope is a unit subtree; `include_conduct` only for supervisors.
#[derive(Debug, Clone, Default)]
pub struct InboxQuery {
    pub scope: Option<UnitPath>,
    pub include_conduct: bool,
    pub statuses: Vec<Status>,
    pub kind: Option<AppealKind>,
    pub category: Option<String>,
    pub channel: Option<Channel>,
    /// Only open cases past `due_at` at `now`.
    pub overdue_only: bool,
    /// Only cases with supervision_level > 0.
    pub supervised_only: bool,
    pub assignee_id: Option<Id>,
    /// Only possibly urgent cases (可能紧急), listed above the rest of the inbox.
    pub possible_only: bool,
    /// Only appeals received in `[from, to)` (drill-down from the opinion view).
    pub received: Option<(Millis, Millis)>,
    pub now: Millis,
    /// Zero-based page of `page_size` rows; ordering: emergencies first, newest first.
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page: u32,
    pub has_next: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppealEvent {
    pub id: Id,
    pub appeal_id: Id,
    pub at: Millis,
    pub actor_staff_id: Option<Id>,
    /// e.g. received, accepted, assigned, transferred, handed_off, handoff_acknowledged,
    /// replied, rated, closed, review_opened, reopened, extension_requested,
    /// extension_granted, reminded, escalated, rejected, category_corrected.
    pub kind: String,
    /// Shown on the resident's timeline.
    pub public: bool,
    pub note: Option<String>,
    pub from_unit_id: Option<Id>,
    pub to_unit_id: Option<Id>,
}

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: String,
    pub public: bool,
    pub note: Option<String>,
    pub from_unit_id: Option<Id>,
    pub to_unit_id: Option<Id>,
}

/// Fields a change may set on an appeal; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AppealPatch {
    pub status: Option<Status>,
    pub unit_id: Option<Id>,
    /// `Some(None)` clears the assignee (e.g. after a transfer).
    pub assignee_id: Option<Option<Id>>,
    pub accepted_at: Option<Millis>,
    pub due_at: Option<Millis>,
    pub replied_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub reply_text: Option<String>,
    pub rating: Option<(bool, Satisfaction, Millis)>,
    pub increment_reopen: bool,
    /// One more follow-up call (催问).
    pub increment_follow_ups: bool,
    pub supervision_level: Option<i32>,
    pub category: Option<(String, f64)>,
    /// The category set is a hand correction (人工纠正): the store keeps it as a
    /// [`crate::CategoryCorrection`] for the retraining job. The caller decides.
    pub category_corrected: bool,
    pub urgency: Option<Urgency>,
    pub cluster_id: Option<Id>,
}

/// One atomic change: patch the appeal if its version still matches, record the
/// event, append to the audit chain, and enqueue a notification — all or nothing.
#[derive(Debug, Clone)]
pub struct AppealChange {
    pub appeal_id: Id,
    pub expected_version: i64,
    pub actor: Actor,
    pub at: Millis,
    pub patch: AppealPatch,
    pub event: NewEvent,
    pub notify: Option<NewOutboxMessage>,
}

/// Who did something, for events and the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Staff(Id),
    /// The resident who owns the appeal (after one-time-code verification).
    Resident,
    System,
}

impl Actor {
    pub fn staff_id(&self) -> Option<Id> {
        match self {
            Actor::Staff(id) => Some(*id),
            _ => None,
        }
    }

    /// Stable audit label: `staff:7`, `resident`, `system`.
    pub fn label(&self) -> String {
        match self {
            Actor::Staff(id) => format!("staff:{id}"),
            Actor::Resident => "resident".into(),
            Actor::System => "system".into(),
        }
    }

    /// The actor a [`label`](Self::label) names; `None` for any other text (older
    /// entries, or actors outside these three such as a command-line import).
    pub fn parse(label: &str) -> Option<Actor> {
        match label {
            "resident" => Some(Actor::Resident),
            "system" => Some(Actor::System),
            _ => label
                .strip_prefix("staff:")
                .and_then(|id| id.parse().ok())
                .map(Actor::Staff),
        }
    }
}

/// 转交: hand-off of an appeal to an external (non-police) department, with receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handoff {
    pub id: Id,
    pub appeal_id: Id,
    pub department_id: Id,
    pub note: String,
    pub sent_at: Millis,
    pub sent_by: Id,
    /// 回执
    pub acknowledged_at: Option<Millis>,
    pub receipt: Option<String>,
}

/// Full-text search over appeals (staff). Every term must match; the filters are the
/// inbox's, plus a period. Results are newest first (by id, which is the order of
/// intake), `page_size` at a time.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Query words segmented like `search_text` (the server's text engine does it).
    /// Any characters are safe here: the store quotes them for the index. No terms,
    /// no results.
    pub terms: Vec<String>,
    /// Unit subtree the caller may see.
    pub scope: Option<UnitPath>,
    /// Conduct complaints (about officers) are visible at all (supervisors, admins).
    pub include_conduct: bool,
    /// Even then, conduct complaints about these units stay hidden (the units on the
    /// caller's own path: the accused unit never sees complaints about itself).
    pub hide_conduct_about: Vec<Id>,
    /// Received in `[from, to)`.
    pub from: Option<Millis>,
    pub to: Option<Millis>,
    pub kind: Option<AppealKind>,
    pub category: Option<String>,
    pub statuses: Vec<Status>,
    /// Zero-based page of `page_size` rows.
    pub page: u32,
    pub page_size: u32,
}

/// One search result: the inbox row and the full text (for highlighting matches).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub summary: AppealSummary,
    pub text: String,
}

/// A page of search results with a cheap count of all matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub items: Vec<SearchHit>,
    pub page: u32,
    pub has_next: bool,
    /// Matches counted, at most [`SearchResults::TOTAL_CAP`].
    pub total: u64,
    /// There are more than `total` matches (the count stopped at the cap).
    pub total_capped: bool,
    /// `total` is an estimate (a very common word under narrow filters).
    pub total_estimated: bool,
}

impl SearchResults {
    /// Counting stops here: "1000+" is all a person needs to know.
    pub const TOTAL_CAP: u64 = 1_000;
}

#[cfg(test)]
mod tests {
    use super::Actor;

    #[test]
    fn an_actor_label_parses_back_and_other_text_does_not() {
        for actor in [Actor::Staff(7), Actor::Resident, Actor::System] {
            assert_eq!(Actor::parse(&actor.label()), Some(actor));
        }
        for other in ["staff:", "staff:x", "cli", "Staff:7", ""] {
            assert_eq!(Actor::parse(other), None, "{other}");
        }
    }
}
