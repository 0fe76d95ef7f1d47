//! Supervision (督办): requests a supervisor decides (extension, transfer, review) and
//! the cases the deadline and closing jobs act on.

pub mod model;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis};

use crate::{AppealChange, DeadlineCandidate, Id, NewRequest, Request, StoreResult};

/// Supervisor requests and deadline work. Each method is one transaction.
#[async_trait]
pub trait SupervisionStore: Send + Sync + 'static {
    /// Audited as `request.<kind>`; adds no appeal event (the caller records one with
    /// `apply_change` if the timeline should show it).
    async fn create_request(&self, request: NewRequest) -> StoreResult<Request>;
    async fn request(&self, id: Id) -> StoreResult<Option<Request>>;
    async fn requests_for(&self, appeal_id: Id) -> StoreResult<Vec<Request>>;
    /// Pending requests on appeals in scope.
    async fn pending_requests(&self, scope: &UnitPath) -> StoreResult<Vec<Request>>;
    /// Decide a pending request; when approved, `change` is applied in the same
    /// transaction. Deciding an already decided request is a [`StoreError::Conflict`](crate::StoreError::Conflict);
    /// so is a stale `change` (and then the decision is not recorded either). Audited
    /// as `request.approved` / `request.rejected`. `note` is the supervisor's comment
    /// (督办意见), kept on the request.
    async fn decide_request(
        &self,
        request_id: Id,
        approve: bool,
        decided_by: Id,
        at: Millis,
        note: Option<&str>,
        change: Option<AppealChange>,
    ) -> StoreResult<Request>;
    /// Open cases due before `horizon` whose supervision level is below `below_level`.
    async fn deadline_candidates(
        &self,
        horizon: Millis,
        below_level: i32,
        limit: u32,
    ) -> StoreResult<Vec<DeadlineCandidate>>;
    /// Replied appeals whose reply is older than `cutoff` (their rating window has
    /// ended), oldest first, as `(id, version)`; the job closes them (办结).
    async fn replied_before(&self, cutoff: Millis, limit: u32) -> StoreResult<Vec<(Id, i64)>>;
}
