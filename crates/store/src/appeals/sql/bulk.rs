//! Bulk import (demo data, imports): one transaction per call, multi-row inserts, the
//! timeline events each appeal's history implies, statistics marks, and one audit entry
//! for the whole import.

use std::collections::HashMap;

use police_square_domain::Millis;
use serde_json::json;

use super::super::multi_row::defer_foreign_keys;
use super::super::{audit, rates, Conn};
use super::insert::{self, EventRow};
use crate::error::StoreResult;
use crate::*;

pub(crate) async fn insert_bulk(conn: &mut Conn, appeals: &[NewAppeal]) -> StoreResult<()> {
    if appeals.is_empty() {
        return Ok(());
    }
    defer_foreign_keys(conn).await?;
    let paths: HashMap<Id, String> = sqlx::query_as("SELECT id, path FROM units")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    let refs: Vec<&NewAppeal> = appeals.iter().collect();
    let ids = insert::insert_appeals(conn, &refs, &paths, false, true).await?;

    let mut events: Vec<EventRow> = Vec::with_capacity(appeals.len() * 3);
    for (a, id) in appeals.iter().zip(ids) {
        let appeal_id =
            id.ok_or_else(|| crate::StoreError::Corrupt("bulk insert skipped a row".into()))?;
        events.push(EventRow {
            appeal_id,
            at: a.received_at,
            actor: a.recorded_by,
            kind: "received",
            to_unit: Some(a.unit_id),
        });
        if let Some(h) = &a.history {
            let lived = [
                (h.accepted_at, "accepted", h.assignee_id),
                (h.replied_at, "replied", h.assignee_id),
                (h.rating.map(|r| r.2), "rated", None),
                (h.closed_at, "closed", h.assignee_id),
            ];
            for (at, kind, actor) in lived {
                if let Some(at) = at {
                    events.push(EventRow {
                        appeal_id,
                        at,
                        actor,
                        kind,
                        to_unit: None,
                    });
                }
            }
        }
    }
    insert::insert_events(conn, &events).await?;

    let buckets: Vec<(Id, Millis)> = appeals.iter().map(|a| (a.unit_id, a.received_at)).collect();
    rates::mark_dirty(conn, &buckets).await?;
    let at = appeals.iter().map(|a| a.received_at).max().unwrap_or(0);
    audit::append_all(
        conn,
        &[NewAudit {
            at,
            actor: Actor::System.label(),
            action: "appeals.imported".into(),
            subject: "appeals".into(),
            detail: json!({ "count": appeals.len() }).to_string(),
        }],
    )
    .await
}
