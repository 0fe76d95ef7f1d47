//! Organisation, staff, sessions, rate limits, settings and small reference tables.

use police_square_domain::{org::UnitPath, Millis, Role};
use sqlx::Row as _;

use super::{constraint, rows, subtree_range, Conn, Query};
use crate::error::{StoreError, StoreResult};
use crate::model::*;

pub(crate) async fn create_unit(conn: &mut Conn, unit: &NewUnit) -> StoreResult<Unit> {
    let parent_path = match unit.parent_id {
        Some(parent) => Some(unit_path(conn, parent).await?.ok_or(StoreError::NotFound)?),
        None => None,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO units (parent_id, name, kind, path) VALUES ($1, $2, $3, '') RETURNING id",
    )
    .bind(unit.parent_id)
    .bind(&unit.name)
    .bind(unit.kind.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let path = match parent_path {
        Some(parent) => parent.child(id),
        None => UnitPath::root(id),
    };
    sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
        .bind(path.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(Unit {
        id,
        parent_id: unit.parent_id,
        name: unit.name.clone(),
        kind: unit.kind,
        path,
        profile: UnitProfile::default(),
    })
}

pub(crate) async fn unit_path(conn: &mut Conn, id: Id) -> StoreResult<Option<UnitPath>> {
    let path: Option<String> = sqlx::query_scalar("SELECT path FROM units WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    path.map(|p| UnitPath::parse(&p).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

pub(crate) async fn units(conn: &mut Conn) -> StoreResult<Vec<Unit>> {
    let found = sqlx::query(&format!(
        "SELECT {} FROM units ORDER BY path",
        super::admin::UNIT_COLUMNS
    ))
    .fetch_all(&mut *conn)
    .await?;
    found.iter().map(rows::unit).collect()
}

pub(crate) async fn create_staff(
    conn: &mut Conn,
    new: &NewStaff,
    now: Millis,
) -> StoreResult<Staff> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff (username, display_name, role, unit_id, password_hash, disabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, FALSE, $6) RETURNING id",
    )
    .bind(&new.username)
    .bind(&new.display_name)
    .bind(new.role.as_str())
    .bind(new.unit_id)
    .bind(&new.password_hash)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| constraint(e, "username"))?;
    staff(conn, id).await?.ok_or(StoreError::NotFound)
}

fn staff_sql(condition: &str) -> String {
    format!(
        "SELECT {} FROM staff s JOIN units u ON u.id = s.unit_id WHERE {condition}",
        rows::STAFF_COLUMNS
    )
}

pub(crate) async fn staff(conn: &mut Conn, id: Id) -> StoreResult<Option<Staff>> {
    let row = sqlx::query(&staff_sql("s.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(rows::staff).transpose()
}

pub(crate) async fn staff_by_username(
    conn: &mut Conn,
    username: &str,
) -> StoreResult<Option<Staff>> {
    let row = sqlx::query(&staff_sql("s.username = $1"))
        .bind(username)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(rows::staff).transpose()
}

pub(crate) async fn staff_in(
    conn: &mut Conn,
    scope: &UnitPath,
    role: Option<Role>,
) -> StoreResult<Vec<Staff>> {
    let (lo, hi) = subtree_range(scope.as_str());
    let sql = format!(
        "SELECT {} FROM staff s JOIN units u ON u.id = s.unit_id \
         WHERE u.path >= $1 AND u.path < $2 AND ($3 IS NULL OR s.role = $3) \
         ORDER BY u.path, s.id",
        rows::STAFF_COLUMNS
    );
    let found = sqlx::query(&sql)
        .bind(lo)
        .bind(hi)
        .bind(role.map(Role::as_str))
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::staff).collect()
}

/// Runs an `UPDATE` of one row by id; no row is [`StoreError::NotFound`].
async fn update_one(conn: &mut Conn, query: Query<'_>) -> StoreResult<()> {
    let done = query.execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn set_password(conn: &mut Conn, staff_id: Id, hash: &str) -> StoreResult<()> {
    update_one(
        conn,
        sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(staff_id),
    )
    .await
}

pub(crate) async fn set_disabled(conn: &mut Conn, staff_id: Id, disabled: bool) -> StoreResult<()> {
    update_one(
        conn,
        sqlx::query("UPDATE staff SET disabled = $1 WHERE id = $2")
            .bind(disabled)
            .bind(staff_id),
    )
    .await?;
    if disabled {
        // A disabled account is logged out everywhere.
        sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
            .bind(staff_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

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

/// Drops expired sessions and rate-limit windows; returns how many rows went.
pub(crate) async fn purge_expired(conn: &mut Conn, now: Millis) -> StoreResult<u64> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let windows = sqlx::query("DELETE FROM rate_limits WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(sessions.rows_affected() + windows.rows_affected())
}

// ── settings, templates, departments, one-time codes ─────────────────────

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

pub(crate) async fn create_reply_template(
    conn: &mut Conn,
    t: &NewReplyTemplate,
) -> StoreResult<ReplyTemplate> {
    let kinds = t
        .kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let categories = t.categories.join(" ");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reply_templates (title, body, kinds, categories) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&t.title)
    .bind(&t.body)
    .bind(&kinds)
    .bind(&categories)
    .fetch_one(&mut *conn)
    .await?;
    Ok(ReplyTemplate {
        id,
        title: t.title.clone(),
        body: t.body.clone(),
        kinds: t.kinds.clone(),
        categories: t.categories.clone(),
        retired: false,
    })
}

/// The templates offered to handlers (retired ones are not).
pub(crate) async fn reply_templates(conn: &mut Conn) -> StoreResult<Vec<ReplyTemplate>> {
    super::admin::reply_templates(conn, false).await
}

pub(crate) async fn create_department(
    conn: &mut Conn,
    name: &str,
    contact: &str,
) -> StoreResult<Department> {
    let id: i64 =
        sqlx::query_scalar("INSERT INTO departments (name, contact) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(contact)
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| constraint(e, "department"))?;
    Ok(Department {
        id,
        name: name.to_owned(),
        contact: contact.to_owned(),
        retired: false,
    })
}

/// The departments a case can be handed to (retired ones are not).
pub(crate) async fn departments(conn: &mut Conn) -> StoreResult<Vec<Department>> {
    super::admin::departments(conn, false).await
}

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
