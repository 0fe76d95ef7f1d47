//! Sessions, rate-limit windows and one-time codes.

use async_trait::async_trait;
use police_square_domain::Millis;
use sqlx::Row as _;

use super::{constraint, Conn, SqlStore};
use crate::error::StoreResult;
use crate::*;

// ── sessions and rate limits ─────────────────────────────────────────────

pub(crate) async fn create_session(conn: &mut Conn, s: &Session) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, staff_id, appeal_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.token_hash)
    .bind(s.staff_id)
    .bind(s.appeal_id)
    .bind(&s.csrf_token)
    .bind(s.created_at)
    .bind(s.expires_at)
    .execute(&mut *conn)
    .await
    .map_err(|e| constraint(e, "session"))?;
    Ok(())
}

pub(crate) async fn session(
    conn: &mut Conn,
    token_hash: &str,
    now: Millis,
) -> StoreResult<Option<Session>> {
    let row = sqlx::query(
        "SELECT token_hash, staff_id, appeal_id, csrf_token, created_at, expires_at \
         FROM sessions WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Session {
            token_hash: r.try_get("token_hash")?,
            staff_id: r.try_get("staff_id")?,
            appeal_id: r.try_get("appeal_id")?,
            csrf_token: r.try_get("csrf_token")?,
            created_at: r.try_get("created_at")?,
            expires_at: r.try_get("expires_at")?,
        })
    })
    .transpose()
}

pub(crate) async fn delete_session(conn: &mut Conn, token_hash: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn hit_rate_limit(
    conn: &mut Conn,
    key: &str,
    window_ms: Millis,
    now: Millis,
) -> StoreResult<i64> {
    let window_ms = window_ms.max(1);
    let start = now - now.rem_euclid(window_ms);
    let count: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limits (key, window_start, expires_at, count) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 \
         RETURNING count",
    )
    .bind(key)
    .bind(start)
    .bind(start + window_ms)
    .fetch_one(&mut *conn)
    .await?;
    Ok(count)
}

pub(crate) async fn clear_rate_limit(conn: &mut Conn, key: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM rate_limits WHERE key = $1")
        .bind(key)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ── failed sign-ins and known addresses ─────────────────────────────────

/// Failed sign-ins are kept this long: no throttle window is longer.
const FAILURES_KEPT: Millis = 24 * 3_600_000;
/// A known address is forgotten after this long without a sign-in from it.
const KNOWN_ADDRESS_KEPT: Millis = 90 * 24 * 3_600_000;

pub(crate) async fn record_login_failure(
    conn: &mut Conn,
    account: &str,
    address: &str,
    at: Millis,
) -> StoreResult<()> {
    sqlx::query("INSERT INTO login_failures (account, address, at) VALUES ($1, $2, $3)")
        .bind(account)
        .bind(address)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn login_failures(
    conn: &mut Conn,
    account: &str,
    address: &str,
    since: Millis,
) -> StoreResult<LoginFailures> {
    let by_address =
        sqlx::query("SELECT account, at FROM login_failures WHERE address = $1 AND at > $2")
            .bind(address)
            .bind(since)
            .fetch_all(&mut *conn)
            .await?;
    let mut failures = LoginFailures::default();
    let mut accounts = std::collections::HashSet::new();
    for row in &by_address {
        let who: String = row.try_get("account")?;
        let at: Millis = row.try_get("at")?;
        if who == account {
            failures.pair.push(at);
        }
        failures.address.push(at);
        accounts.insert(who);
    }
    failures.address_accounts = accounts.len();
    failures.account =
        sqlx::query_scalar("SELECT at FROM login_failures WHERE account = $1 AND at > $2")
            .bind(account)
            .bind(since)
            .fetch_all(&mut *conn)
            .await?;
    Ok(failures)
}

pub(crate) async fn record_login_success(
    conn: &mut Conn,
    account: &str,
    address: &str,
    at: Millis,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM login_failures WHERE account = $1 AND address = $2")
        .bind(account)
        .bind(address)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO login_known_addresses (account, address, last_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account, address) DO UPDATE SET last_at = excluded.last_at",
    )
    .bind(account)
    .bind(address)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn is_known_address(
    conn: &mut Conn,
    account: &str,
    address: &str,
) -> StoreResult<bool> {
    let found: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_known_addresses WHERE account = $1 AND address = $2",
    )
    .bind(account)
    .bind(address)
    .fetch_one(&mut *conn)
    .await?;
    Ok(found > 0)
}

/// Drops expired sessions, rate-limit windows, failed sign-ins older than a day and
/// known addresses unused for 90 days; returns how many rows went.
pub(crate) async fn purge_expired(conn: &mut Conn, now: Millis) -> StoreResult<u64> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let windows = sqlx::query("DELETE FROM rate_limits WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let failures = sqlx::query("DELETE FROM login_failures WHERE at <= $1")
        .bind(now - FAILURES_KEPT)
        .execute(&mut *conn)
        .await?;
    let known = sqlx::query("DELETE FROM login_known_addresses WHERE last_at <= $1")
        .bind(now - KNOWN_ADDRESS_KEPT)
        .execute(&mut *conn)
        .await?;
    Ok(sessions.rows_affected()
        + windows.rows_affected()
        + failures.rows_affected()
        + known.rows_affected())
}

// ── one-time codes ───────────────────────────────────────────────────────

pub(crate) async fn put_one_time_code(conn: &mut Conn, c: &OneTimeCode) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO one_time_codes (appeal_id, code_hash, expires_at, attempts, locked_until, lockouts) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (appeal_id) DO UPDATE SET code_hash = excluded.code_hash, \
         expires_at = excluded.expires_at, attempts = excluded.attempts, \
         locked_until = excluded.locked_until, lockouts = excluded.lockouts",
    )
    .bind(c.appeal_id)
    .bind(&c.code_hash)
    .bind(c.expires_at)
    .bind(c.attempts)
    .bind(c.locked_until)
    .bind(c.lockouts)
    .execute(&mut *conn)
    .await
    .map_err(|e| constraint(e, "one-time code"))?;
    Ok(())
}

pub(crate) async fn one_time_code(
    conn: &mut Conn,
    appeal_id: Id,
) -> StoreResult<Option<OneTimeCode>> {
    let row = sqlx::query(
        "SELECT appeal_id, code_hash, expires_at, attempts, locked_until, lockouts \
         FROM one_time_codes WHERE appeal_id = $1",
    )
    .bind(appeal_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(OneTimeCode {
            appeal_id: r.try_get("appeal_id")?,
            code_hash: r.try_get("code_hash")?,
            expires_at: r.try_get("expires_at")?,
            attempts: r.try_get("attempts")?,
            locked_until: r.try_get("locked_until")?,
            lockouts: r.try_get("lockouts")?,
        })
    })
    .transpose()
}

#[async_trait]
impl AccessStore for SqlStore {
    async fn create_session(&self, session: Session) -> StoreResult<()> {
        write!(self, |c| create_session(c, &session).await)
    }

    async fn session(&self, token_hash: &str, now: Millis) -> StoreResult<Option<Session>> {
        read!(self, |c| session(c, token_hash, now).await)
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        write!(self, |c| delete_session(c, token_hash).await)
    }

    async fn hit_rate_limit(&self, key: &str, window_ms: Millis, now: Millis) -> StoreResult<i64> {
        write!(self, |c| hit_rate_limit(c, key, window_ms, now).await)
    }

    async fn clear_rate_limit(&self, key: &str) -> StoreResult<()> {
        write!(self, |c| clear_rate_limit(c, key).await)
    }

    async fn record_login_failure(
        &self,
        account: &str,
        address: &str,
        at: Millis,
    ) -> StoreResult<()> {
        write!(self, |c| record_login_failure(c, account, address, at)
            .await)
    }

    async fn login_failures(
        &self,
        account: &str,
        address: &str,
        since: Millis,
    ) -> StoreResult<LoginFailures> {
        // From the writer: a failure just noted must count for the next attempt.
        write!(self, |c| login_failures(c, account, address, since).await)
    }

    async fn record_login_success(
        &self,
        account: &str,
        address: &str,
        at: Millis,
    ) -> StoreResult<()> {
        write!(self, |c| record_login_success(c, account, address, at)
            .await)
    }

    async fn is_known_address(&self, account: &str, address: &str) -> StoreResult<bool> {
        read!(self, |c| is_known_address(c, account, address).await)
    }

    async fn purge_expired(&self, now: Millis) -> StoreResult<u64> {
        write!(self, |c| purge_expired(c, now).await)
    }

    async fn put_one_time_code(&self, code: OneTimeCode) -> StoreResult<()> {
        write!(self, |c| put_one_time_code(c, &code).await)
    }

    async fn one_time_code(&self, appeal_id: Id) -> StoreResult<Option<OneTimeCode>> {
        // From the writer: a code just written must be seen by the next check.
        write!(self, |c| one_time_code(c, appeal_id).await)
    }
}
