//! Schema, health and planner upkeep of the database itself.

use async_trait::async_trait;

use crate::StoreResult;

/// Schema migration, the backend's name, a health check and planner statistics. Each method is one transaction.
#[async_trait]
pub trait MaintenanceStore: Send + Sync + 'static {
    /// Create or upgrade the schema (idempotent).
    async fn migrate(&self) -> StoreResult<()>;
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
    /// Cheap round trip for `/readyz`.
    async fn ping(&self) -> StoreResult<()>;
    /// Refresh the query planners' statistics (PostgreSQL: `VACUUM ANALYZE`, which also
    /// lets index-only scans skip the table; SQLite: `ANALYZE`). Call it after a bulk
    /// load and now and then from a background job; it may take seconds.
    async fn optimize(&self) -> StoreResult<()>;
    /// SQLite: a consistent copy of the whole database into the new file `path`
    /// (`VACUUM INTO`: one read transaction, so writers elsewhere carry on and every
    /// commit before it, WAL included, is in the copy). PostgreSQL: `Unsupported` (the
    /// caller runs `pg_dump`).
    async fn backup_into(&self, path: &str) -> StoreResult<()>;
    /// Close every connection (before the database file is replaced).
    async fn close(&self);
}
