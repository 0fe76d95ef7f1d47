//! Requests a supervisor decides, and the cases the deadline and closing jobs act on.

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis};
use serde_json::json;

use super::appeals::change;
use super::{audit, constraint, rows, subtree_range, Conn, SqlStore, OPEN};
use crate::error::{StoreError, StoreResult};
use crate::*;

// ── requests needing a supervisor ────────────────────────────────────────

fn request_sql(condition: &str) -> String {
    format!(
        "SELECT {} FROM requests r WHERE {condition}",
        rows::REQUEST_COLUMNS
    )
}

pub(crate) async fn create_request(conn: &mut Conn, r: &NewRequest) -> StoreResult<Request> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO requests \
         (appeal_id, kind, state, reason, days, to_unit_id, requested_by, requested_at) \
         VALUES ($1, $2, 'pending', $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(r.appeal_id)
    .bind(rows::request_kind_key(r.kind))
    .bind(&r.reason)
    .bind(r.days)
    .bind(r.to_unit_id)
    .bind(r.requested_by)
    .bind(r.requested_at)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| constraint(e, "request"))?;
    let entry = NewAudit {
        at: r.requested_at,
        actor: r.requested_by.map_or(Actor::Resident, Actor::Staff).label(),
        action: format!("request.{}", rows::request_kind_key(r.kind)),
        subject: format!("appeal:{}", r.appeal_id),
        detail: json!({ "request_id": id, "days": r.days, "to_unit_id": r.to_unit_id }).to_string(),
    };
    audit::append_all(conn, &[entry]).await?;
    request(conn, id).await?.ok_or(StoreError::NotFound)
}

pub(crate) async fn request(conn: &mut Conn, id: Id) -> StoreResult<Option<Request>> {
    let row = sqlx::query(&request_sql("r.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(rows::request).transpose()
}

pub(crate) async fn requests_for(conn: &mut Conn, appeal_id: Id) -> StoreResult<Vec<Request>> {
    let found = sqlx::query(&request_sql("r.appeal_id = $1 ORDER BY r.id"))
        .bind(appeal_id)
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::request).collect()
}

pub(crate) async fn pending_requests(
    conn: &mut Conn,
    scope: &UnitPath,
) -> StoreResult<Vec<Request>> {
    let (lo, hi) = subtree_range(scope.as_str());
    let sql = format!(
        "SELECT {} FROM requests r JOIN appeals a ON a.id = r.appeal_id \
         WHERE r.state = 'pending' AND a.unit_path >= $1 AND a.unit_path < $2 \
         ORDER BY r.requested_at, r.id",
        rows::REQUEST_COLUMNS
    );
    let found = sqlx::query(&sql)
        .bind(lo)
        .bind(hi)
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::request).collect()
}

pub(crate) async fn decide_request(
    conn: &mut Conn,
    request_id: Id,
    approve: bool,
    decided_by: Id,
    at: Millis,
    note: Option<&str>,
    change_on_approval: Option<&AppealChange>,
) -> StoreResult<Request> {
    let state = if approve {
        RequestState::Approved
    } else {
        RequestState::Rejected
    };
    let sql = format!(
        "UPDATE requests SET state = $2, decided_by = $3, decided_at = $4, decision_note = $5 \
         WHERE id = $1 AND state = 'pending' RETURNING {}",
        rows::REQUEST_COLUMNS.replace("r.", "")
    );
    let row = sqlx::query(&sql)
        .bind(request_id)
        .bind(rows::request_state_key(state))
        .bind(decided_by)
        .bind(at)
        .bind(note)
        .fetch_optional(&mut *conn)
        .await
        .map_err(|e| constraint(e, "decision"))?;
    let Some(row) = row else {
        return Err(match request(conn, request_id).await? {
            Some(r) => StoreError::Conflict(format!(
                "request {request_id} was already {}",
                rows::request_state_key(r.state)
            )),
            None => StoreError::NotFound,
        });
    };
    let decided = rows::request(&row)?;
    let mut entries = Vec::with_capacity(2);
    if approve {
        if let Some(c) = change_on_approval {
            entries.push(change(conn, c).await?.1);
        }
    }
    entries.push(NewAudit {
        at,
        actor: Actor::Staff(decided_by).label(),
        action: format!("request.{}", rows::request_state_key(state)),
        subject: format!("appeal:{}", decided.appeal_id),
        detail: json!({
            "request_id": decided.id,
            "kind": rows::request_kind_key(decided.kind),
        })
        .to_string(),
    });
    audit::append_all(conn, &entries).await?;
    Ok(decided)
}

// ── deadlines ────────────────────────────────────────────────────────────

pub(crate) async fn replied_before(
    conn: &mut Conn,
    cutoff: Millis,
    limit: u32,
) -> StoreResult<Vec<(Id, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, version FROM appeals WHERE status = 'replied' AND replied_at < $1 \
         ORDER BY replied_at, id LIMIT $2",
    )
    .bind(cutoff)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?)
}

pub(crate) async fn deadline_candidates(
    conn: &mut Conn,
    horizon: Millis,
    below_level: i32,
    limit: u32,
) -> StoreResult<Vec<DeadlineCandidate>> {
    let sql = format!(
        "SELECT id, unit_id, assignee_id, due_at, supervision_level, version FROM appeals \
         WHERE {OPEN} AND due_at < $1 AND supervision_level < $2 ORDER BY due_at, id LIMIT $3"
    );
    let found: Vec<(i64, i64, Option<i64>, i64, i32, i64)> = sqlx::query_as(&sql)
        .bind(horizon)
        .bind(below_level)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    Ok(found
        .into_iter()
        .map(
            |(appeal_id, unit_id, assignee_id, due_at, supervision_level, version)| {
                DeadlineCandidate {
                    appeal_id,
                    unit_id,
                    assignee_id,
                    due_at,
                    supervision_level,
                    version,
                }
            },
        )
        .collect())
}

#[async_trait]
impl SupervisionStore for SqlStore {
    async fn create_request(&self, request: NewRequest) -> StoreResult<Request> {
        write!(self, |c| create_request(c, &request).await)
    }

    async fn request(&self, id: Id) -> StoreResult<Option<Request>> {
        read!(self, |c| request(c, id).await)
    }

    async fn requests_for(&self, appeal_id: Id) -> StoreResult<Vec<Request>> {
        read!(self, |c| requests_for(c, appeal_id).await)
    }

    async fn pending_requests(&self, scope: &UnitPath) -> StoreResult<Vec<Request>> {
        read!(self, |c| pending_requests(c, scope).await)
    }

    async fn decide_request(
        &self,
        request_id: Id,
        approve: bool,
        decided_by: Id,
        at: Millis,
        note: Option<&str>,
        change: Option<AppealChange>,
    ) -> StoreResult<Request> {
        write!(self, |c| {
            decide_request(
                c,
                request_id,
                approve,
                decided_by,
                at,
                note,
                change.as_ref(),
            )
            .await
        })
    }

    async fn deadline_candidates(
        &self,
        horizon: Millis,
        below_level: i32,
        limit: u32,
    ) -> StoreResult<Vec<DeadlineCandidate>> {
        read!(self, |c| deadline_candidates(
            c,
            horizon,
            below_level,
            limit
        )
        .await)
    }

    async fn replied_before(&self, cutoff: Millis, limit: u32) -> StoreResult<Vec<(Id, i64)>> {
        read!(self, |c| replied_before(c, cutoff, limit).await)
    }
}
