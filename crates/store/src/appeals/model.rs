//! Records that cross the storage boundary. Instants are [`Millis`] (UTC epoch ms).
//! Personal data arrives here already sealed by [`crate::vault::Vault`]: the store
//! never sees a phone number in clear.

use police_square_domain::{
    org::UnitPath, rates::RateCounts, AppealKind, Channel, Millis, Role, Satisfaction, Status,
    UnitKind, Urgency,
};
use serde::{Deserialize, Serialize};

pub type Id = i64;

pub use crate::model_analysis::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: Id,
    pub parent_id: Option<Id>,
    pub name: String,
    pub kind: UnitKind,
    pub path: UnitPath,
    #[serde(flatten)]
    pub profile: UnitProfile,
}

/// What a unit is beyond its place in the tree: the bureau's code for it, the area it
/// serves, its public contact details, and whether it is retired.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitProfile {
    /// 单位代码: the bureau's own code, the natural key of a re-import.
    pub code: Option<String>,
    /// 行政区划 the unit serves (吴兴区), empty when not given.
    pub district: String,
    /// 值班电话 (public).
    pub duty_phone: String,
    /// 对外办公地址 (public).
    pub address: String,
    /// 办公时间 (public).
    pub hours: String,
    /// 已撤销: kept for the history of its appeals, offered for nothing new.
    pub retired: bool,
}

/// A change to a unit's name, kind and profile (its place in the tree moves with
/// [`crate::Store::move_unit`]).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitEdit {
    pub name: String,
    pub kind: UnitKind,
    pub profile: UnitProfile,
}

/// A change to a staff account's name, role and unit (password and disabling have
/// their own calls).
#[derive(Debug, Clone, PartialEq)]
pub struct StaffEdit {
    pub display_name: String,
    pub role: Role,
    pub unit_id: Id,
}

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

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub parent_id: Option<Id>,
    pub name: String,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Staff {
    pub id: Id,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Id,
    pub unit_path: UnitPath,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Id,
    pub password_hash: String,
}

/// A login session (staff) or a verified resident session (after the one-time code).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// sha256 of the cookie token; the token itself is never stored.
    pub token_hash: String,
    pub staff_id: Option<Id>,
    /// Set for resident sessions: the one appeal they may see and rate.
    pub appeal_id: Option<Id>,
    pub csrf_token: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

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
    /// Lifecycle already lived (demo data, imports). Only [`crate::Store::insert_appeals_bulk`]
    /// reads it; `insert_appeal` ignores it. `None` for every new appeal.
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

/// The sealed personal data of one appeal, fetched only for an audited reveal.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealContact {
    pub appeal_id: Id,
    pub phone_enc: Vec<u8>,
    pub name_enc: Option<Vec<u8>>,
    pub address_enc: Option<Vec<u8>>,
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub id: Id,
    pub name: String,
    pub contact: String,
    /// Retired departments keep their hand-offs but receive no new ones.
    #[serde(default)]
    pub retired: bool,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyTemplate {
    pub id: Id,
    pub title: String,
    pub body: String,
    /// The appeal kinds it fits (empty: any kind).
    #[serde(default)]
    pub kinds: Vec<AppealKind>,
    /// The category keys it fits (empty: any category).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Retired templates are no longer offered to handlers.
    #[serde(default)]
    pub retired: bool,
}

impl ReplyTemplate {
    /// Whether it suits an appeal of this kind and category (an empty list fits all).
    pub fn fits(&self, kind: AppealKind, category: Option<&str>) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&kind))
            && (self.categories.is_empty()
                || category.is_some_and(|c| self.categories.iter().any(|t| t == c)))
    }
}

/// A reply template to create (see [`ReplyTemplate`]).
#[derive(Debug, Clone, Default)]
pub struct NewReplyTemplate {
    pub title: String,
    pub body: String,
    pub kinds: Vec<AppealKind>,
    pub categories: Vec<String>,
}

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

/// One-time code state for a resident's verification.
#[derive(Debug, Clone, PartialEq)]
pub struct OneTimeCode {
    pub appeal_id: Id,
    pub code_hash: String,
    pub expires_at: Millis,
    pub attempts: i32,
    pub locked_until: Option<Millis>,
    /// Lockouts so far; the next lockout lasts longer (backoff).
    pub lockouts: i32,
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

/// Rate counts of the appeals a unit owns (not rolled up; the caller rolls up the tree).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitCounts {
    pub unit_id: Id,
    pub counts: RateCounts,
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

// ── reports (民意研判周报/月报/季报) ─────────────────────────────────────

/// How long a report's period is (China Standard Time boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 周报: ISO week, Monday to Sunday.
    Weekly,
    /// 月报: calendar month.
    Monthly,
    /// 季报: calendar quarter.
    Quarterly,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [
        ReportKind::Weekly,
        ReportKind::Monthly,
        ReportKind::Quarterly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Weekly => "weekly",
            ReportKind::Monthly => "monthly",
            ReportKind::Quarterly => "quarterly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    /// Frozen: the content is never regenerated.
    Published,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Published => "published",
        }
    }
}

/// A report without its content (lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportMeta {
    pub id: Id,
    pub kind: ReportKind,
    /// Appeals received in `[period_start, period_end)`.
    pub period_start: Millis,
    pub period_end: Millis,
    /// The unit whose subtree the report covers (city or district bureau).
    pub unit_id: Id,
    pub unit_path: UnitPath,
    pub status: ReportStatus,
    pub generated_at: Millis,
    /// `None` when the scheduled job generated it.
    pub generated_by: Option<Id>,
    pub published_at: Option<Millis>,
    pub published_by: Option<Id>,
}

/// A report with its content: a JSON snapshot the server assembled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub meta: ReportMeta,
    pub content: String,
}

/// A draft to save; see [`crate::Store::save_report_draft`].
#[derive(Debug, Clone)]
pub struct NewReport {
    pub kind: ReportKind,
    pub period_start: Millis,
    pub period_end: Millis,
    pub unit_id: Id,
    pub content: String,
    pub generated_at: Millis,
    pub generated_by: Option<Id>,
}

/// A leader's note on a published report: what will be done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportAnnotation {
    pub id: Id,
    pub report_id: Id,
    pub author_id: Id,
    pub author_name: String,
    pub at: Millis,
    pub text: String,
}

/// Appeals received in a period within a unit subtree (rejected ones excluded), counted
/// per owning unit, kind, channel and category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VolumeCount {
    pub unit_id: Id,
    pub kind: AppealKind,
    pub channel: Channel,
    pub category: Option<String>,
    pub count: i64,
}

/// Appeals per China Standard Time day (`day` = days since 1970-01-01 CST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: i64,
    pub count: i64,
}

/// A near-duplicate cluster (一事多诉) with its appeals in a report's period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterActivity {
    pub cluster_id: Id,
    pub label: String,
    pub category: Option<String>,
    pub unit_path: String,
    /// Appeals in the cluster received in the period and scope.
    pub in_period: i64,
    /// Appeals in the cluster overall.
    pub size: i64,
    pub first_at: Millis,
    pub last_at: Millis,
}

/// Clusters with at least two appeals in a period: the largest few and the totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterSummary {
    pub top: Vec<ClusterActivity>,
    /// Clusters with two or more appeals in the period.
    pub clusters: i64,
    /// Appeals belonging to those clusters.
    pub appeals: i64,
}

/// An emerging-issue alert (未诉先办) overlapping a report's period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergingAlertInfo {
    pub id: Id,
    pub district_unit_id: Id,
    pub period_start: Millis,
    pub period_end: Millis,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub observed: i64,
    pub expected: f64,
    pub p_value: f64,
    pub status: String,
    pub appeals: i64,
}

/// An appeal that might be quoted in a report (text still to be masked by the caller).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteCandidate {
    pub appeal_id: Id,
    pub text: String,
    pub received_at: Millis,
    pub unit_id: Id,
    pub cluster_id: Option<Id>,
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
