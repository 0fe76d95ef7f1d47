//! The audit trail: a hash chain appended by every audited change (inside that change's
//! transaction) and read back by the viewer and the verifier.

pub mod model;

use async_trait::async_trait;

use police_square_domain::audit::Checkpoint;

use crate::{AuditEntry, AuditQuery, NewAudit, StoreResult};

/// Audit trail. Each method is one transaction.
#[async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// Append outside an appeal change (e.g. a personal-data reveal, a login).
    async fn audit(&self, entry: NewAudit) -> StoreResult<()>;
    async fn audit_entries(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<AuditEntry>>;
    /// The chain's head `(seq, hash)`, moved by every append in the same transaction:
    /// what the newest entry must be (anchors verification against truncation).
    async fn audit_head(&self) -> StoreResult<(i64, String)>;
    /// Audit entries matching every filter given, newest first.
    async fn audit_search(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;
    /// Keep a signed checkpoint (one per head position; a second for the same `seq`
    /// is ignored).
    async fn save_checkpoint(&self, checkpoint: &Checkpoint) -> StoreResult<()>;
    /// Checkpoints after `after_seq`, in `seq` order.
    async fn checkpoints(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<Checkpoint>>;
    async fn latest_checkpoint(&self) -> StoreResult<Option<Checkpoint>>;
}
