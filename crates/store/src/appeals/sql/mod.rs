//! Reading appeals and changing them: optimistic versioned changes with their event,
//! audit entry and notification; hand-offs; intake ([`intake`], [`bulk`], both writing
//! through [`insert`]), the inbox ([`inbox`]) and search ([`search`]).

mod bulk;
mod inbox;
mod insert;
pub(crate) mod intake;
mod search;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis, Status};
use serde_json::json;

use super::{audit, constraint, learning, org, queue, rates, rows, Conn, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::*;

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
    if let (true, Some((to, _))) = (p.category_corrected, &p.category) {
        // Kept for the retraining job: the model learns the local language from these.
        learning::record_correction(
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
    rates::mark_dirty(conn, &buckets).await?;
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

#[async_trait]
impl AppealStore for SqlStore {
    async fn insert_appeal(&self, appeal: NewAppeal) -> StoreResult<InsertOutcome> {
        self.intake.insert(appeal).await
    }

    async fn insert_appeals_bulk(&self, appeals: Vec<NewAppeal>) -> StoreResult<()> {
        write!(self, |c| bulk::insert_bulk(c, &appeals).await)
    }

    async fn appeal(&self, id: Id) -> StoreResult<Option<Appeal>> {
        read!(self, |c| appeal(c, id).await)
    }

    async fn appeal_by_tracking_code(&self, code: &str) -> StoreResult<Option<Appeal>> {
        read!(self, |c| by_tracking_code(c, code).await)
    }

    async fn inbox(&self, query: &InboxQuery) -> StoreResult<Page<AppealSummary>> {
        read!(self, |c| inbox::inbox(c, query).await)
    }

    async fn open_counts(
        &self,
        scope: &UnitPath,
        include_conduct: bool,
    ) -> StoreResult<Vec<(Status, i64)>> {
        read!(self, |c| inbox::open_counts(c, scope, include_conduct)
            .await)
    }

    async fn events(&self, appeal_id: Id) -> StoreResult<Vec<AppealEvent>> {
        read!(self, |c| events(c, appeal_id).await)
    }

    async fn apply_change(&self, change: AppealChange) -> StoreResult<Appeal> {
        write!(self, |c| apply_change(c, &change).await)
    }

    async fn search_appeals(&self, query: &SearchQuery) -> StoreResult<SearchResults> {
        read!(self, |c| search::search(c, query).await)
    }

    async fn create_handoff(
        &self,
        change: AppealChange,
        department_id: Id,
        note: &str,
    ) -> StoreResult<Handoff> {
        write!(self, |c| create_handoff(c, &change, department_id, note)
            .await)
    }

    async fn acknowledge_handoff(
        &self,
        handoff_id: Id,
        receipt: &str,
        at: Millis,
    ) -> StoreResult<Handoff> {
        write!(self, |c| acknowledge_handoff(c, handoff_id, receipt, at)
            .await)
    }

    async fn handoffs(&self, appeal_id: Id) -> StoreResult<Vec<Handoff>> {
        read!(self, |c| handoffs(c, appeal_id).await)
    }
}
