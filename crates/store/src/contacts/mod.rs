//! Personal data: the sealed contact of an appeal (for an audited reveal or a
//! notification) and the lookup of a caller's appeals by the keyed phone hash. Kept
//! apart so that only code handed this trait can reach it.

pub mod model;

use async_trait::async_trait;

use crate::{AppealContact, AppealSummary, Id, StoreResult};

/// Sealed personal data of appeals. Each method is one transaction.
#[async_trait]
pub trait ContactStore: Send + Sync + 'static {
    /// Sealed personal data, for an audited reveal or a notification.
    async fn appeal_contact(&self, id: Id) -> StoreResult<Option<AppealContact>>;
    /// A caller's earlier appeals (hotline lookup), newest first.
    async fn appeals_by_phone_hash(
        &self,
        phone_hash: &[u8],
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>>;
}
