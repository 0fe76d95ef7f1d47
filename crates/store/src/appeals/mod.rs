//! Appeals (诉求): intake, the inbox and search, the timeline, changes and hand-offs
//! (转交). Nothing here returns personal data in clear or sealed: lists and pages
//! carry only the masks ([`Appeal::phone_masked`]); the sealed data is
//! [`crate::ContactStore`]'s.

pub mod model;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis};

use crate::{
    Appeal, AppealChange, AppealEvent, AppealSummary, Handoff, Id, InboxQuery, InsertOutcome,
    NewAppeal, Page, SearchQuery, SearchResults, StoreResult,
};

/// Appeals, their timeline and hand-offs. Each method is one transaction.
#[async_trait]
pub trait AppealStore: Send + Sync + 'static {
    /// Insert durably with its `received` event and audit entry. The same idempotency
    /// key returns the first appeal's id as [`InsertOutcome::Duplicate`].
    async fn insert_appeal(&self, appeal: NewAppeal) -> StoreResult<InsertOutcome>;
    /// Bulk insert for demo data and imports (no idempotency keys), fast path: one
    /// transaction per call (batches of a few thousand are best). Writes
    /// [`NewAppeal::history`] and the timeline events it implies (`received`, then
    /// `accepted`, `replied`, `rated`, `closed` where set) and ONE audit entry
    /// `appeals.imported` for the call. Any bad row fails the whole call.
    async fn insert_appeals_bulk(&self, appeals: Vec<NewAppeal>) -> StoreResult<()>;
    async fn appeal(&self, id: Id) -> StoreResult<Option<Appeal>>;
    async fn appeal_by_tracking_code(&self, code: &str) -> StoreResult<Option<Appeal>>;
    async fn inbox(&self, query: &InboxQuery) -> StoreResult<Page<AppealSummary>>;
    /// Open cases per status in a unit subtree (`conduct` only when `include_conduct`),
    /// in status order; statuses with none are left out.
    async fn open_counts(
        &self,
        scope: &UnitPath,
        include_conduct: bool,
    ) -> StoreResult<Vec<(police_square_domain::Status, i64)>>;
    async fn events(&self, appeal_id: Id) -> StoreResult<Vec<AppealEvent>>;
    /// Apply one change atomically. Fails with [`StoreError::Conflict`](crate::StoreError::Conflict) if the
    /// appeal's version moved on since it was read.
    async fn apply_change(&self, change: AppealChange) -> StoreResult<Appeal>;
    /// Full-text search over appeals: every term matches, filters as in
    /// [`SearchQuery`], newest first, with a count of matches capped at
    /// [`SearchResults::TOTAL_CAP`]. No searchable term, no results.
    async fn search_appeals(&self, query: &SearchQuery) -> StoreResult<SearchResults>;
    /// Record a hand-off together with the appeal change that moves it to `transferred`.
    async fn create_handoff(
        &self,
        change: AppealChange,
        department_id: Id,
        note: &str,
    ) -> StoreResult<Handoff>;
    /// Record the department's receipt (回执), with the appeal's public event
    /// `handoff_acknowledged` and its audit entry. A second acknowledgement is a
    /// [`StoreError::Conflict`](crate::StoreError::Conflict).
    async fn acknowledge_handoff(
        &self,
        handoff_id: Id,
        receipt: &str,
        at: Millis,
    ) -> StoreResult<Handoff>;
    async fn handoffs(&self, appeal_id: Id) -> StoreResult<Vec<Handoff>>;
}
