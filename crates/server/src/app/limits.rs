//! Rate limits whose state lives in the database, so every node counts together.

use police_square_domain::Millis;

use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

pub const MINUTE: Millis = 60_000;
pub const HOUR: Millis = 60 * MINUTE;

/// Count one hit on `key`; `429` once more than `limit` hits fall in the window (a
/// fixed window: `Retry-After` is the time until it ends).
pub async fn hit(state: &AppState, key: &str, limit: i64, window_ms: Millis) -> AppResult<()> {
    let count = state
        .stores
        .access
        .hit_rate_limit(key, window_ms, state.now())
        .await?;
    if count > limit {
        tracing::info!(
            limit_key = key.split(':').next().unwrap_or(""),
            "rate limited"
        );
        let now = state.now();
        let window_ms = window_ms.max(1);
        let left_ms = window_ms - now.rem_euclid(window_ms);
        return Err(AppError::TooManyRequests {
            retry_after_secs: (left_ms as u64).div_ceil(1000).max(1),
        });
    }
    Ok(())
}
