//! Rate statistics: appeal counts per unit from the pre-aggregated daily table.

pub mod model;

use async_trait::async_trait;
use police_square_domain::Millis;

use crate::{StoreResult, UnitCounts};

/// Rate statistics. Each method is one transaction.
#[async_trait]
pub trait RateStore: Send + Sync + 'static {
    /// Counts per owning unit for appeals received in `[from, to)`. Whole days (China
    /// Standard Time) come from the pre-aggregated table as of the last
    /// [`Self::refresh_stats`]; partial days at the edges are counted live as of `now`.
    /// Answers in ~10 ms with a million appeals.
    async fn rate_counts(
        &self,
        from: Millis,
        to: Millis,
        now: Millis,
    ) -> StoreResult<Vec<UnitCounts>>;
    /// Bring the pre-aggregated statistics up to date (run by a background job).
    async fn refresh_stats(&self, now: Millis) -> StoreResult<()>;
    async fn count_appeals(&self) -> StoreResult<i64>;
}
