//! Reading appeals and changing them: optimistic versioned changes with their event,
//! audit entry and notification; hand-offs; supervisor requests; deadline candidates.

use police_square_domain::{org::UnitPath, Millis};
use serde_json::json;
use sqlx::Row as _;

use super::{analysis, audit, constraint, org, queue, rows, stats, subtree_range, Conn, OPEN};
use crate::error::{StoreError, StoreResult};
use crate::model::*;

fn appeal_sql(condition: &str) -> String {
    format!(
        "SELECT {} FROM appeals WHERE {condition}",
        rows::APPEAL_COLUMNS
    )
}

pub(crate) async fn appeal(conn: &mut Conn, id: Id) -> StoreResult<Option<Appeal>> {
    let row = sqlx::query(&appeal_sql("id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(rows::appeal).transpose()
}

pub(crate) async fn by_tracking_code(conn: &mut Conn, code: &str) -> StoreResult<Option<Appeal>> {
    let row = sqlx::query(&appeal_sql("tracking_code = $1"))
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(rows::appeal).transpose()
}

pub(crate) async fn contact(conn: &mut Conn, id: Id) -> StoreResult<Option<AppealContact>> {
    let row = sqlx::query("SELECT id, phone_enc, name_enc, address_enc FROM appeals WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        Ok(AppealContact {
            appeal_id: r.try_get("id")?,
            phone_enc: r.try_get("phone_enc")?,
            name_enc: r.try_get("name_enc")?,
            address_enc: r.try_get("address_enc")?,
        })
    })
    .transpose()
}

pub(crate) async fn by_phone_hash(
    conn: &mut Conn,
    phone_hash: &[u8],
    limit: u32,
) -> StoreResult<Vec<AppealSummary>> {
    let sql = format!(
        "SELECT {} FROM appeals WHERE phone_hash = $1 \
         ORDER BY received_at DESC, id DESC LIMIT $2",
        rows::SUMMARY_COLUMNS
    );
    let found = sqlx::query(&sql)
        .bind(phone_hash)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::summary).collect()
}

pub(crate) async fn events(conn: &mut Conn, appeal_id: Id) -> StoreResult<Vec<AppealEvent>> {
    let sql = format!(
        "SELECT {} FROM appeal_events WHERE appeal_id = $1 ORDER BY id",
        rows::EVENT_COLUMNS
    );
    let found = sqlx::query(&sql)
        .bind(appeal_id)
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::event).collect()
}

pub(crate) async fn insert_event(
    conn: &mut Conn,
    appeal_id: Id,
    at: Millis,
    actor_staff_id: Option<Id>,
    event: &NewEvent,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO appeal_events \
         (appeal_id, at, actor_staff_id, kind, public, note, from_unit_id, to_unit_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(appeal_id)
    .bind(at)
    .bind(actor_staff_id)
    .bind(&event.kind)
    .bind(event.public)
    .bind(&event.note)
    .bind(event.from_unit_id)
    .bind(event.to_unit_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const APPLY_PATCH: &str = "UPDATE appeals SET \
    status = COALESCE($3, status), \
    unit_id = COALESCE($4, unit_id), \
    unit_path = COALESCE($5, unit_path), \
    assignee_id = CASE WHEN $6 THEN $7 ELSE assignee_id END, \
    accepted_at = COALESCE($8, accepted_at), \
    due_at = COALESCE($9, due_at), \
    replied_at = COALESCE($10, replied_at), \
    closed_at = COALESCE($11, closed_at), \
    reply_text = COALESCE($12, reply_text), \
    rating_resolved = COALESCE($13, rating_resolved), \
    rating_satisfaction = COALESCE($14, rating_satisfaction), \
    rated_at = COALESCE($15, rated_at), \
    reopen_count = reopen_count + $16, \
    supervision_level = COALESCE($17, supervision_level), \
    category = COALESCE($18, category), \
    category_confidence = CASE WHEN $18 IS NULL THEN category_confidence ELSE $19 END, \
    category_needs_review = CASE WHEN $18 IS NULL THEN category_needs_review ELSE FALSE END, \
    urgency = COALESCE($20, urgency), \
    cluster_id = COALESCE($21, cluster_id), \
    follow_ups = follow_ups + $23, \
    version = version + 1, \
    updated_at = $22 \
    WHERE id = $1 AND version = $2 RETURNING ";

/// Applies `c` within the caller's transaction: the versioned update, its event, the
/// statistics marks and the notification. Returns the new appeal and the audit entry,
/// which the caller appends last (the audit head is the global lock).
pub(crate) async fn change(conn: &mut Conn, c: &AppealChange) -> StoreResult<(Appeal, NewAudit)> {
    let current: Option<(i64, i64, i64, Option<String>)> =
        sqlx::query_as("SELECT version, unit_id, received_at, category FROM appeals WHERE id = $1")
            .bind(c.appeal_id)
            .fetch_optional(&mut *conn)
            .await?;
    let (version, old_unit, received_at, old_category) = current.ok_or(StoreError::NotFound)?;
    let stale = || {
        StoreError::Conflict(format!(
            "appeal {} changed since it was read (expected version {}, now {version})",
            c.appeal_id, c.expected_version
        ))
    };
    if version != c.expected_version {
        return Err(stale());
    }
    let p = &c.patch;
    let new_path: Option<UnitPath> = match p.unit_id {
        Some(unit) if unit != old_unit => Some(
            org::unit_path(conn, unit)
                .await?
                .ok_or(StoreError::NotFound)?,
        ),
        _ => None,
    };
    let sql = format!("{APPLY_PATCH}{}", rows::APPEAL_COLUMNS);
    let row = sqlx::query(&sql)
        .bind(c.appeal_id)
        .bind(c.expected_version)
        .bind(p.status.map(|s| s.as_str()))
        .bind(new_path.as_ref().and(p.unit_id))
        .bind(new_path.as_ref().map(UnitPath::as_str))
        .bind(p.assignee_id.is_some())
        .bind(p.assignee_id.flatten())
        .bind(p.accepted_at)
        .bind(p.due_at)
        .bind(p.replied_at)
        .bind(p.closed_at)
        .bind(p.reply_text.as_deref())
        .bind(p.rating.map(|r| r.0))
        .bind(p.rating.map(|r| r.1.as_str()))
        .bind(p.rating.map(|r| r.2))
        .bind(i32::from(p.increment_reopen))
        .bind(p.supervision_level)
        .bind(p.category.as_ref().map(|c| c.0.as_str()))
        .bind(p.category.as_ref().map(|c| c.1))
        .bind(p.urgency.map(|u| u.as_str()))
        .bind(p.cluster_id)
        .bind(c.at)
        .bind(i32::from(p.increment_follow_ups))
        .fetch_optional(&mut *conn)
        .await
        .map_err(|e| constraint(e, "value"))?;
    let appeal = rows::appeal(&row.ok_or_else(stale)?)?;

    insert_event(conn, appeal.id, c.at, c.actor.staff_id(), &c.event).await?;
    if let (CATEGORY_CORRECTED, Some((to, _))) = (c.event.kind.as_str(), &p.category) {
        // Kept for the retraining job: the model learns the local language from these.
        analysis::record_correction(
            conn,
            appeal.id,
            old_category.as_deref(),
            to,
            c.actor.staff_id(),
            c.at,
        )
        .await?;
    }
    let mut buckets = vec![(old_unit, received_at)];
    if appeal.unit_id != old_unit {
        buckets.push((appeal.unit_id, received_at));
    }
    stats::mark_dirty(conn, &buckets).await?;
    if let Some(message) = &c.notify {
        queue::enqueue(conn, message, c.at).await?;
    }
    let entry = NewAudit {
        at: c.at,
        actor: c.actor.label(),
        action: format!("appeal.{}", c.event.kind),
        subject: format!("appeal:{}", appeal.id),
        detail: json!({
            "status": appeal.status.as_str(),
            "unit_id": appeal.unit_id,
            "from_unit_id": old_unit,
            "version": appeal.version,
        })
        .to_string(),
    };
    Ok((appeal, entry))
}

pub(crate) async fn apply_change(conn: &mut Conn, c: &AppealChange) -> StoreResult<Appeal> {
    let (appeal, entry) = change(conn, c).await?;
    audit::append_all(conn, &[entry]).await?;
    Ok(appeal)
}

// ── hand-offs to external departments (转交) ─────────────────────────────

fn handoff_sql(condition: &str) -> String {
    format!(
        "SELECT {} FROM handoffs WHERE {condition}",
        rows::HANDOFF_COLUMNS
    )
}

pub(crate) async fn create_handoff(
    conn: &mut Conn,
    c: &AppealChange,
    department_id: Id,
    note: &str,
) -> StoreResult<Handoff> {
    let sent_by = c
        .actor
        .staff_id()
        .ok_or_else(|| StoreError::Conflict("a hand-off is sent by a staff member".into()))?;
    let (appeal, entry) = change(conn, c).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO handoffs (appeal_id, department_id, note, sent_at, sent_by) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(appeal.id)
    .bind(department_id)
    .bind(note)
    .bind(c.at)
    .bind(sent_by)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| constraint(e, "hand-off"))?;
    audit::append_all(conn, &[entry]).await?;
    Ok(Handoff {
        id,
        appeal_id: appeal.id,
        department_id,
        note: note.to_owned(),
        sent_at: c.at,
        sent_by,
        acknowledged_at: None,
        receipt: None,
    })
}

pub(crate) async fn acknowledge_handoff(
    conn: &mut Conn,
    handoff_id: Id,
    receipt: &str,
    at: Millis,
) -> StoreResult<Handoff> {
    let sql = format!(
        "UPDATE handoffs SET acknowledged_at = $2, receipt = $3 \
         WHERE id = $1 AND acknowledged_at IS NULL RETURNING {}",
        rows::HANDOFF_COLUMNS
    );
    let row = sqlx::query(&sql)
        .bind(handoff_id)
        .bind(at)
        .bind(receipt)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        let exists = sqlx::query(&handoff_sql("id = $1"))
            .bind(handoff_id)
            .fetch_optional(&mut *conn)
            .await?;
        return Err(match exists {
            Some(_) => StoreError::Conflict(format!("hand-off {handoff_id} already acknowledged")),
            None => StoreError::NotFound,
        });
    };
    let handoff = rows::handoff(&row)?;
    let event = NewEvent {
        kind: "handoff_acknowledged".into(),
        public: true,
        note: None,
        from_unit_id: None,
        to_unit_id: None,
    };
    insert_event(conn, handoff.appeal_id, at, None, &event).await?;
    let entry = NewAudit {
        at,
        actor: Actor::System.label(),
        action: "appeal.handoff_acknowledged".into(),
        subject: format!("appeal:{}", handoff.appeal_id),
        detail: json!({ "handoff_id": handoff.id, "department_id": handoff.department_id })
            .to_string(),
    };
    audit::append_all(conn, &[entry]).await?;
    Ok(handoff)
}

pub(crate) async fn handoffs(conn: &mut Conn, appeal_id: Id) -> StoreResult<Vec<Handoff>> {
    let found = sqlx::query(&handoff_sql("appeal_id = $1 ORDER BY id"))
        .bind(appeal_id)
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::handoff).collect()
}

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
