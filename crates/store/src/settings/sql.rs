//! Settings by key.

use async_trait::async_trait;

use super::{Conn, SqlStore};
use crate::error::StoreResult;
use crate::*;

pub(crate) async fn setting(conn: &mut Conn, key: &str) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

pub(crate) async fn put_setting(conn: &mut Conn, key: &str, value: &str) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[async_trait]
impl SettingsStore for SqlStore {
    async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        read!(self, |c| setting(c, key).await)
    }

    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        write!(self, |c| put_setting(c, key, value).await)
    }
}
