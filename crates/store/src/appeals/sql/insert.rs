//! Multi-row inserts of appeals and events, shared by group commit and bulk import
//! (statement shapes from `common/multi_row.rs`).

use std::collections::HashMap;

use police_square_domain::Millis;
use sqlx::Row as _;

use super::super::multi_row::{cached_sql, shapes, values_sql};
use super::super::{constraint, Conn, Query};
use crate::error::{StoreError, StoreResult};
use crate::*;

/// Statement sizes for appeals (38 values a row; SQLite allows 32,766 per statement).
const APPEAL_SHAPES: [usize; 5] = [200, 64, 16, 4, 1];

/// Inserts `appeals` (their unit paths looked up in `paths`). With `skip_taken_keys`,
/// a row whose idempotency key is already taken is skipped (`None` at its position);
/// otherwise any constraint violation fails the call. `with_history` writes
/// [`NewAppeal::history`] (bulk import only). Returns the new ids in input order.
pub(crate) async fn insert_appeals(
    conn: &mut Conn,
    appeals: &[&NewAppeal],
    paths: &HashMap<Id, String>,
    skip_taken_keys: bool,
    with_history: bool,
) -> StoreResult<Vec<Option<Id>>> {
    let mut ids = vec![None; appeals.len()];
    let mut start = 0;
    for size in shapes(appeals.len(), &APPEAL_SHAPES) {
        let chunk = &appeals[start..start + size];
        let variant = if skip_taken_keys {
            "appeals+skip"
        } else {
            "appeals"
        };
        let sql = cached_sql((variant, size), || {
            let conflict = if skip_taken_keys {
                " ON CONFLICT (idempotency_key) DO NOTHING"
            } else {
                ""
            };
            format!(
                "{}{conflict} RETURNING id, tracking_code",
                values_sql("appeals", &APPEAL_INSERT_COLUMNS, size)
            )
        });
        let mut q = sqlx::query(sql);
        for a in chunk {
            let path = paths.get(&a.unit_id).ok_or(StoreError::NotFound)?;
            let history = if with_history {
                a.history.as_ref()
            } else {
                None
            };
            q = bind_appeal(q, a, path, history);
        }
        let inserted = q
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| constraint(e, "tracking code"))?;
        let position: HashMap<&str, usize> = chunk
            .iter()
            .enumerate()
            .map(|(i, a)| (a.tracking_code.as_str(), start + i))
            .collect();
        for row in inserted {
            let code: &str = row.try_get(1)?;
            let i = *position
                .get(code)
                .ok_or_else(|| StoreError::Corrupt("insert returned an unknown row".into()))?;
            ids[i] = Some(row.try_get(0)?);
        }
        start += size;
    }
    Ok(ids)
}

/// One timeline event written by intake or import.
pub(crate) struct EventRow {
    pub appeal_id: Id,
    pub at: Millis,
    pub actor: Option<Id>,
    pub kind: &'static str,
    pub to_unit: Option<Id>,
}

const EVENT_COLUMNS: [&str; 6] = [
    "appeal_id",
    "at",
    "actor_staff_id",
    "kind",
    "public",
    "to_unit_id",
];
const EVENT_SHAPES: [usize; 5] = [500, 64, 16, 4, 1];

/// Inserts public events.
pub(crate) async fn insert_events(conn: &mut Conn, events: &[EventRow]) -> StoreResult<()> {
    let mut start = 0;
    for size in shapes(events.len(), &EVENT_SHAPES) {
        let sql = cached_sql(("events", size), || {
            values_sql("appeal_events", &EVENT_COLUMNS, size)
        });
        let mut q = sqlx::query(sql);
        for e in &events[start..start + size] {
            q = q
                .bind(e.appeal_id)
                .bind(e.at)
                .bind(e.actor)
                .bind(e.kind)
                .bind(true)
                .bind(e.to_unit);
        }
        q.execute(&mut *conn).await?;
        start += size;
    }
    Ok(())
}

pub(crate) const APPEAL_INSERT_COLUMNS: [&str; 38] = [
    "tracking_code",
    "idempotency_key",
    "kind",
    "channel",
    "text",
    "search_text",
    "category",
    "category_confidence",
    "category_needs_review",
    "urgency",
    "emergency",
    "possible_emergency",
    "sentiment",
    "unit_id",
    "unit_path",
    "subject_unit_id",
    "assignee_id",
    "status",
    "received_at",
    "accept_by",
    "accepted_at",
    "due_at",
    "replied_at",
    "closed_at",
    "reply_text",
    "rating_resolved",
    "rating_satisfaction",
    "rated_at",
    "reopen_count",
    "supervision_level",
    "phone_enc",
    "phone_hash",
    "phone_masked",
    "name_enc",
    "address_enc",
    "address_masked",
    "recorded_by",
    "updated_at",
];

/// Binds one appeal's values in [`APPEAL_INSERT_COLUMNS`] order. `history` is only
/// passed by the bulk path.
fn bind_appeal<'q>(
    q: Query<'q>,
    a: &'q NewAppeal,
    unit_path: &'q str,
    history: Option<&'q BulkHistory>,
) -> Query<'q> {
    let rating = history.and_then(|h| h.rating);
    let updated_at = history
        .map(|h| {
            [
                h.accepted_at,
                h.replied_at,
                h.closed_at,
                rating.map(|r| r.2),
            ]
            .into_iter()
            .flatten()
            .fold(a.received_at, Millis::max)
        })
        .unwrap_or(a.received_at);
    q.bind(&a.tracking_code)
        .bind(a.idempotency_key.as_deref())
        .bind(a.kind.as_str())
        .bind(a.channel.as_str())
        .bind(&a.text)
        .bind(&a.search_text)
        .bind(a.category.as_deref())
        .bind(a.category_confidence)
        .bind(a.category_needs_review)
        .bind(a.urgency.as_str())
        .bind(a.emergency)
        .bind(a.possible_emergency)
        .bind(a.sentiment.as_deref())
        .bind(a.unit_id)
        .bind(unit_path)
        .bind(a.subject_unit_id)
        .bind(history.and_then(|h| h.assignee_id))
        .bind(a.status.as_str())
        .bind(a.received_at)
        .bind(a.accept_by)
        .bind(history.and_then(|h| h.accepted_at))
        .bind(a.due_at)
        .bind(history.and_then(|h| h.replied_at))
        .bind(history.and_then(|h| h.closed_at))
        .bind(history.and_then(|h| h.reply_text.as_deref()))
        .bind(rating.map(|r| r.0))
        .bind(rating.map(|r| r.1.as_str()))
        .bind(rating.map(|r| r.2))
        .bind(history.map_or(0, |h| h.reopen_count))
        .bind(history.map_or(0, |h| h.supervision_level))
        .bind(&a.contact.phone_enc)
        .bind(&a.contact.phone_hash)
        .bind(&a.contact.phone_masked)
        .bind(a.contact.name_enc.as_deref())
        .bind(a.contact.address_enc.as_deref())
        .bind(a.contact.address_masked.as_deref())
        .bind(a.recorded_by)
        .bind(updated_at)
}
