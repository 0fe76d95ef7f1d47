//! The notification outbox and background jobs: claimed with a lease, so several
//! nodes share the work and a crashed node's claims expire.

pub mod model;

use async_trait::async_trait;
use police_square_domain::Millis;

use crate::{Id, Job, NewOutboxMessage, OutboxMessage, StoreResult};

/// Outbox and jobs. Each method is one transaction.
#[async_trait]
pub trait QueueStore: Send + Sync + 'static {
    async fn enqueue(&self, message: NewOutboxMessage, now: Millis) -> StoreResult<Id>;
    /// Claim due messages for `lease_ms` (SKIP LOCKED on PostgreSQL).
    async fn claim_outbox(
        &self,
        node: &str,
        now: Millis,
        lease_ms: Millis,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>>;
    async fn outbox_sent(&self, id: Id, at: Millis) -> StoreResult<()>;
    /// Record a failure; `retry_at = None` gives up (dead letter).
    async fn outbox_failed(&self, id: Id, error: &str, retry_at: Option<Millis>)
        -> StoreResult<()>;
    /// Schedule a job unless one with the same `unique_key` is pending.
    async fn schedule_job(
        &self,
        kind: &str,
        payload: &str,
        run_at: Millis,
        unique_key: Option<&str>,
    ) -> StoreResult<()>;
    /// Claim at most `limit` due jobs for `lease_ms`; two nodes never get the same job.
    async fn claim_jobs(
        &self,
        node: &str,
        now: Millis,
        lease_ms: Millis,
        limit: u32,
    ) -> StoreResult<Vec<Job>>;
    async fn finish_job(&self, id: Id) -> StoreResult<()>;
    async fn fail_job(&self, id: Id, error: &str, retry_at: Millis) -> StoreResult<()>;
}
