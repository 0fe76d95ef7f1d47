//! The notification outbox and the background jobs table, both claimed with leases:
//! a claim sets `locked_by`/`locked_until`; a lease that ran out (a crashed node) may be
//! claimed again. PostgreSQL skips rows another node is claiming (`SKIP LOCKED`); SQLite
//! has one writer, so claims are serialized anyway.

use async_trait::async_trait;
use police_square_domain::Millis;
use sqlx::Row as _;

use super::{dialect, Conn, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::*;

pub(crate) async fn enqueue(conn: &mut Conn, m: &NewOutboxMessage, now: Millis) -> StoreResult<Id> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (channel, recipient_enc, template, body, run_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(&m.channel)
    .bind(&m.recipient_enc)
    .bind(&m.template)
    .bind(&m.body)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?)
}

pub(crate) async fn claim_outbox(
    conn: &mut Conn,
    node: &str,
    now: Millis,
    lease_ms: Millis,
    limit: u32,
) -> StoreResult<Vec<OutboxMessage>> {
    let sql = format!(
        "UPDATE outbox SET locked_by = $1, locked_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND run_at <= $3 \
                      AND (locked_until IS NULL OR locked_until <= $3) \
                      ORDER BY run_at, id LIMIT $4{}) \
         RETURNING id, channel, recipient_enc, template, body, attempts",
        dialect::FOR_UPDATE_SKIP_LOCKED
    );
    let found = sqlx::query(&sql)
        .bind(node)
        .bind(now + lease_ms)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    let mut claimed = found
        .iter()
        .map(|r| {
            Ok(OutboxMessage {
                id: r.try_get("id")?,
                channel: r.try_get("channel")?,
                recipient_enc: r.try_get("recipient_enc")?,
                template: r.try_get("template")?,
                body: r.try_get("body")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

async fn one_row(conn: &mut Conn, query: super::Query<'_>) -> StoreResult<()> {
    if query.execute(&mut *conn).await?.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn outbox_sent(conn: &mut Conn, id: Id, at: Millis) -> StoreResult<()> {
    one_row(
        conn,
        sqlx::query(
            "UPDATE outbox SET state = 'sent', sent_at = $2, locked_by = NULL, \
             locked_until = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(at),
    )
    .await
}

pub(crate) async fn outbox_failed(
    conn: &mut Conn,
    id: Id,
    error: &str,
    retry_at: Option<Millis>,
) -> StoreResult<()> {
    one_row(
        conn,
        sqlx::query(
            "UPDATE outbox SET state = CASE WHEN $3 IS NULL THEN 'dead' ELSE 'pending' END, \
             run_at = COALESCE($3, run_at), last_error = $2, locked_by = NULL, \
             locked_until = NULL WHERE id = $1",
        )
        .bind(id)
        .bind(error)
        .bind(retry_at),
    )
    .await
}

pub(crate) async fn schedule_job(
    conn: &mut Conn,
    kind: &str,
    payload: &str,
    run_at: Millis,
    unique_key: Option<&str>,
) -> StoreResult<()> {
    // A pending job with the same key wins (partial unique index `jobs_unique_pending`).
    sqlx::query(
        "INSERT INTO jobs (kind, payload, unique_key, run_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(kind)
    .bind(payload)
    .bind(unique_key)
    .bind(run_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn claim_jobs(
    conn: &mut Conn,
    node: &str,
    now: Millis,
    lease_ms: Millis,
    limit: u32,
) -> StoreResult<Vec<Job>> {
    let sql = format!(
        "UPDATE jobs SET state = 'running', locked_by = $1, locked_until = $2, \
         attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM jobs \
                      WHERE (state = 'pending' AND run_at <= $3) \
                         OR (state = 'running' AND locked_until <= $3) \
                      ORDER BY run_at, id LIMIT $4{}) \
         RETURNING id, kind, payload, attempts",
        dialect::FOR_UPDATE_SKIP_LOCKED
    );
    let found: Vec<(i64, String, String, i32)> = sqlx::query_as(&sql)
        .bind(node)
        .bind(now + lease_ms)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    let mut jobs: Vec<Job> = found
        .into_iter()
        .map(|(id, kind, payload, attempts)| Job {
            id,
            kind,
            payload,
            attempts,
        })
        .collect();
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
}

pub(crate) async fn finish_job(conn: &mut Conn, id: Id) -> StoreResult<()> {
    sqlx::query("DELETE FROM jobs WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(crate) async fn fail_job(
    conn: &mut Conn,
    id: Id,
    error: &str,
    retry_at: Millis,
) -> StoreResult<()> {
    // Back to pending, unless a pending job with the same key was scheduled meanwhile:
    // then that one will do the work and this one is dropped.
    let requeued = sqlx::query(
        "UPDATE jobs SET state = 'pending', run_at = $2, last_error = $3, locked_by = NULL, \
         locked_until = NULL WHERE id = $1 AND (unique_key IS NULL OR NOT EXISTS \
         (SELECT 1 FROM jobs other WHERE other.unique_key = jobs.unique_key \
          AND other.state = 'pending'))",
    )
    .bind(id)
    .bind(retry_at)
    .bind(error)
    .execute(&mut *conn)
    .await?;
    if requeued.rows_affected() == 0 {
        finish_job(conn, id).await?;
    }
    Ok(())
}

#[async_trait]
impl QueueStore for SqlStore {
    async fn enqueue(&self, message: NewOutboxMessage, now: Millis) -> StoreResult<Id> {
        write!(self, |c| enqueue(c, &message, now).await)
    }

    async fn claim_outbox(
        &self,
        node: &str,
        now: Millis,
        lease_ms: Millis,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>> {
        write!(self, |c| claim_outbox(c, node, now, lease_ms, limit).await)
    }

    async fn outbox_sent(&self, id: Id, at: Millis) -> StoreResult<()> {
        write!(self, |c| outbox_sent(c, id, at).await)
    }

    async fn outbox_failed(
        &self,
        id: Id,
        error: &str,
        retry_at: Option<Millis>,
    ) -> StoreResult<()> {
        write!(self, |c| outbox_failed(c, id, error, retry_at).await)
    }

    async fn schedule_job(
        &self,
        kind: &str,
        payload: &str,
        run_at: Millis,
        unique_key: Option<&str>,
    ) -> StoreResult<()> {
        write!(self, |c| schedule_job(c, kind, payload, run_at, unique_key)
            .await)
    }

    async fn claim_jobs(
        &self,
        node: &str,
        now: Millis,
        lease_ms: Millis,
        limit: u32,
    ) -> StoreResult<Vec<Job>> {
        write!(self, |c| claim_jobs(c, node, now, lease_ms, limit).await)
    }

    async fn finish_job(&self, id: Id) -> StoreResult<()> {
        write!(self, |c| finish_job(c, id).await)
    }

    async fn fail_job(&self, id: Id, error: &str, retry_at: Millis) -> StoreResult<()> {
        write!(self, |c| fail_job(c, id, error, retry_at).await)
    }
}
