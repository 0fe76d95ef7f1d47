//! Schema migration, health check and planner statistics.

use async_trait::async_trait;

use super::{dialect, SqlStore, MIGRATOR};
use crate::error::{StoreError, StoreResult};
use crate::MaintenanceStore;

#[async_trait]
impl MaintenanceStore for SqlStore {
    async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR.run(&self.writer).await?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        dialect::BACKEND
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    async fn optimize(&self) -> StoreResult<()> {
        // Outside a transaction: PostgreSQL's VACUUM refuses to run inside one.
        let mut conn = self.writer.acquire().await?;
        for statement in dialect::OPTIMIZE {
            sqlx::query(statement).execute(&mut *conn).await?;
        }
        Ok(())
    }

    async fn backup_into(&self, path: &str) -> StoreResult<()> {
        let Some(statement) = dialect::BACKUP_INTO else {
            return Err(StoreError::Unsupported("a file backup: use pg_dump"));
        };
        // The writer: reader connections are query-only, which refuses VACUUM.
        let mut conn = self.writer.acquire().await?;
        sqlx::query(statement)
            .bind(path)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}
