//! Access control state shared by every node: login sessions, rate-limit windows and
//! residents' one-time codes.

pub mod model;

use async_trait::async_trait;
use police_square_domain::Millis;

use crate::{Id, LoginFailures, OneTimeCode, Session, StoreResult};

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
    /// Note a failed sign-in of `account` (namespaced: `staff:<username>`,
    /// `track:<appeal id>`) from `address` at `at`.
    async fn record_login_failure(
        &self,
        account: &str,
        address: &str,
        at: Millis,
    ) -> StoreResult<()>;
    /// The failures after `since` of this account from this address, from this
    /// address on any account (with the distinct account count) and of this account
    /// from any address.
    async fn login_failures(
        &self,
        account: &str,
        address: &str,
        since: Millis,
    ) -> StoreResult<LoginFailures>;
    /// A successful sign-in: forget this pair's failures and remember the address as
    /// known for the account.
    async fn record_login_success(
        &self,
        account: &str,
        address: &str,
        at: Millis,
    ) -> StoreResult<()>;
    /// Whether `account` signed in successfully from `address` before (and not so
    /// long ago that it was forgotten).
    async fn is_known_address(&self, account: &str, address: &str) -> StoreResult<bool>;
    /// Delete expired sessions, rate-limit windows, failed sign-ins older than a day
    /// and known addresses unused for 90 days (run by a background job); returns how
    /// many rows went.
    async fn purge_expired(&self, now: Millis) -> StoreResult<u64>;
    async fn put_one_time_code(&self, code: OneTimeCode) -> StoreResult<()>;
    async fn one_time_code(&self, appeal_id: Id) -> StoreResult<Option<OneTimeCode>>;
}
