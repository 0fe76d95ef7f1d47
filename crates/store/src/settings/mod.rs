//! Settings (deadline policy, calendar, weights, flags) stored as JSON text by key.

use async_trait::async_trait;

use crate::StoreResult;

/// Settings by key. Each method is one transaction.
#[async_trait]
pub trait SettingsStore: Send + Sync + 'static {
    async fn setting(&self, key: &str) -> StoreResult<Option<String>>;
    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()>;
}
