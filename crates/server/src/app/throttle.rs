//! Sign-in throttling (登录限流) for staff passwords and residents' one-time codes:
//! the failures live in the database (every node counts together) and the pure rules
//! of [`ThrottlePolicy`] decide from their times.
//!
//! The `[limits]` knobs map onto the policy: `login_max_failures` failures of one
//! account from one address are free, each further one doubles the wait (from 2 s, at
//! most the window); one address may fail 6× that many times across accounts, and an
//! account 4× that many times from addresses it never signed in from, within
//! `login_window_minutes` (sliding, at most a day). One-time codes: `otp_max_attempts`
//! free failures per tracking code and address, then 1 min doubling up to a day.

use police_square_domain::{
    throttle::{Failures, ThrottlePolicy, Verdict},
    Millis,
};
use police_square_store::{Actor, LoginFailures, NewAudit};

use crate::app::{
    config::LimitsConfig,
    error::{AppError, AppResult},
    limits::{HOUR, MINUTE},
    state::AppState,
};

/// The longest window: failures older than a day are purged.
const MAX_WINDOW: Millis = 24 * HOUR;

/// Staff passwords, from the `[limits]` login knobs.
pub fn login_policy(limits: &LimitsConfig) -> ThrottlePolicy {
    let free = limits.login_max_failures.max(1) as usize;
    let window_ms = (limits.login_window_minutes * MINUTE).clamp(MINUTE, MAX_WINDOW);
    ThrottlePolicy {
        window_ms,
        free_failures: free,
        max_wait_ms: window_ms,
        address_failures: 6 * free,
        account_ceiling: 4 * free,
        ..ThrottlePolicy::default()
    }
}

/// Residents' one-time codes, per tracking code.
pub fn otp_policy(limits: &LimitsConfig) -> ThrottlePolicy {
    let free = limits.otp_max_attempts.max(1) as usize;
    ThrottlePolicy {
        window_ms: MAX_WINDOW,
        free_failures: free,
        base_wait_ms: MINUTE,
        max_wait_ms: MAX_WINDOW,
        address_failures: 6 * free,
        account_ceiling: 4 * free,
        ..ThrottlePolicy::default()
    }
}

/// One sign-in attempt: `account` is namespaced (`staff:<username>`,
/// `track:<appeal id>`), `address` the client address.
pub struct Attempt<'a> {
    state: &'a AppState,
    policy: ThrottlePolicy,
    account: String,
    address: String,
    /// The failures read before the attempt (for the spraying alert).
    before: LoginFailures,
}

impl<'a> Attempt<'a> {
    /// Read the failures and refuse with a truthful `Retry-After` while held back.
    /// `known`: the caller holds a live session of this account (a known address is
    /// looked up here).
    pub async fn check(
        state: &'a AppState,
        policy: ThrottlePolicy,
        account: String,
        address: String,
        known: bool,
    ) -> AppResult<Attempt<'a>> {
        let now = state.now();
        let access = &state.stores.access;
        let before = access
            .login_failures(&account, &address, now - policy.window_ms)
            .await?;
        let known = known || access.is_known_address(&account, &address).await?;
        let verdict = policy.decide(now, &failures(&before, known));
        if let Some(retry_after_secs) = verdict.retry_after_secs() {
            tracing::info!(account_kind = kind(&account), "sign-in throttled");
            return Err(AppError::TooManyRequests { retry_after_secs });
        }
        debug_assert_eq!(verdict, Verdict::Allow);
        Ok(Attempt {
            state,
            policy,
            account,
            address,
            before,
        })
    }

    /// The password or code was wrong: count it, and tell admins (audit
    /// `security.password_spraying`, once per address per window) when this failure
    /// makes the address's distinct accounts reach the spraying mark.
    pub async fn failed(self) -> AppResult<()> {
        let now = self.state.now();
        let access = &self.state.stores.access;
        access
            .record_login_failure(&self.account, &self.address, now)
            .await?;
        let after = access
            .login_failures(&self.account, &self.address, now - self.policy.window_ms)
            .await?;
        let was = self.policy.is_spraying(&failures(&self.before, false));
        if !was && self.policy.is_spraying(&failures(&after, false)) {
            tracing::warn!("password spraying from one address");
            self.state
                .stores
                .audit
                .audit(NewAudit {
                    at: now,
                    actor: Actor::System.label(),
                    action: "security.password_spraying".into(),
                    subject: format!("address:{}", self.address),
                    detail: format!(
                        "{} accounts failed within {} min",
                        after.address_accounts,
                        self.policy.window_ms / MINUTE
                    ),
                })
                .await?;
        }
        Ok(())
    }

    /// Signed in: forget this pair's failures, remember the address as known.
    pub async fn succeeded(self) -> AppResult<()> {
        self.state
            .stores
            .access
            .record_login_success(&self.account, &self.address, self.state.now())
            .await?;
        Ok(())
    }
}

fn failures(f: &LoginFailures, known: bool) -> Failures<'_> {
    Failures {
        pair: &f.pair,
        address: &f.address,
        address_accounts: f.address_accounts,
        account: &f.account,
        known,
    }
}

/// `staff` or `track`, for logs (never the account itself).
fn kind(account: &str) -> &str {
    account.split(':').next().unwrap_or("")
}
