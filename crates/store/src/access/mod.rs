//! Access control state shared by every node: login sessions, rate-limit windows and
//! residents' one-time codes.

pub mod model;

use async_trait::async_trait;
use police_square_domain::Millis;

use crate::{Id, OneTimeCode, Session, StoreResult};

/// Sessions, throttling and one-time codes. Each method is one transaction.
#[async_trait]
pub trait AccessStore: Send + Sync + 'static {
    async fn create_session(&self, session: Session) -> StoreResult<()>;
    /// The live session for this token hash (expired ones are `None`).
    async fn session(&self, token_hash: &str, now: Millis) -> StoreResult<Option<Session>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Count a hit on `key` in the fixed window containing `now`; returns the count
    /// including this hit. Used for login throttling and tracking-code lookups.
    async fn hit_rate_limit(&self, key: &str, window_ms: Millis, now: Millis) -> StoreResult<i64>;
    async fn clear_rate_limit(&self, key: &str) -> StoreResult<()>;
    /// Delete expired sessions and rate-limit windows (run by a background job);
    /// returns how many rows went.
    async fn purge_expired(&self, now: Millis) -> StoreResult<u64>;
    async fn put_one_time_code(&self, code: OneTimeCode) -> StoreResult<()>;
    async fn one_time_code(&self, appeal_id: Id) -> StoreResult<Option<OneTimeCode>>;
}
