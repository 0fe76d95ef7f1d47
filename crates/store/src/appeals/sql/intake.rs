//! Intake: durable single inserts through group commit, and the bulk fast path.
//!
//! `insert_appeal` hands its appeal to one writer task per store. The task takes every
//! request waiting in the channel (up to [`MAX_BATCH`]), writes them all in ONE
//! transaction — appeal row, `received` event and audit entry each, idempotency decided
//! row by row, with multi-row statements — commits once (one fsync), then answers each caller. If the batch fails
//! as a whole (say one row breaks a constraint), each request is retried alone so that
//! only the faulty one sees the error.

use std::collections::{hash_map::Entry, HashMap};

use police_square_domain::Millis;
use serde_json::json;
use tokio::sync::{mpsc, oneshot};

use super::super::multi_row::defer_foreign_keys;
use super::super::{audit, org, rates, Conn, Pool};
use super::insert::{self, EventRow};
use crate::error::{StoreError, StoreResult};
use crate::*;

/// Most appeals one group commit writes.
const MAX_BATCH: usize = 256;

struct Pending {
    appeal: NewAppeal,
    done: oneshot::Sender<StoreResult<InsertOutcome>>,
}

pub(crate) struct Intake {
    queue: mpsc::Sender<Pending>,
}

impl Intake {
    pub(crate) fn start(writer: Pool) -> Self {
        let (queue, requests) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(writer, requests));
        Self { queue }
    }

    pub(crate) async fn insert(&self, appeal: NewAppeal) -> StoreResult<InsertOutcome> {
        let (done, outcome) = oneshot::channel();
        self.queue
            .send(Pending { appeal, done })
            .await
            .map_err(|_| StoreError::Database(sqlx::Error::PoolClosed))?;
        outcome
            .await
            .map_err(|_| StoreError::Database(sqlx::Error::WorkerCrashed))?
    }
}

async fn run(writer: Pool, mut requests: mpsc::Receiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    // Unit paths never change once a unit exists: cache them across batches.
    let mut paths: HashMap<Id, String> = HashMap::new();
    while requests.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let appeals: Vec<&NewAppeal> = batch.iter().map(|p| &p.appeal).collect();
        match write_batch(&writer, &appeals, &mut paths).await {
            Ok(outcomes) => {
                for (pending, outcome) in batch.drain(..).zip(outcomes) {
                    let _ = pending.done.send(Ok(outcome));
                }
            }
            Err(error) if batch.len() == 1 => {
                let _ = batch.pop().expect("one").done.send(Err(error));
            }
            Err(_) => {
                for pending in batch.drain(..) {
                    let result = write_batch(&writer, &[&pending.appeal], &mut paths)
                        .await
                        .map(|mut outcomes| outcomes.remove(0));
                    let _ = pending.done.send(result);
                }
            }
        }
    }
}

async fn write_batch(
    writer: &Pool,
    appeals: &[&NewAppeal],
    paths: &mut HashMap<Id, String>,
) -> StoreResult<Vec<InsertOutcome>> {
    let mut tx = writer.begin().await?;
    defer_foreign_keys(&mut tx).await?;
    for a in appeals {
        if let Entry::Vacant(slot) = paths.entry(a.unit_id) {
            let path = org::unit_path(&mut tx, a.unit_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            slot.insert(path.as_str().to_owned());
        }
    }
    let ids = insert::insert_appeals(&mut tx, appeals, paths, true, false).await?;
    let mut outcomes = Vec::with_capacity(appeals.len());
    let mut events = Vec::with_capacity(appeals.len());
    let mut buckets: Vec<(Id, Millis)> = Vec::with_capacity(appeals.len());
    let mut entries = Vec::with_capacity(appeals.len());
    for (a, id) in appeals.iter().zip(ids) {
        let Some(id) = id else {
            outcomes.push(InsertOutcome::Duplicate(first_with_key(&mut tx, a).await?));
            continue;
        };
        let actor = a.recorded_by.map_or(Actor::System, Actor::Staff);
        events.push(EventRow {
            appeal_id: id,
            at: a.received_at,
            actor: a.recorded_by,
            kind: "received",
            to_unit: Some(a.unit_id),
        });
        buckets.push((a.unit_id, a.received_at));
        entries.push(NewAudit {
            at: a.received_at,
            actor: actor.label(),
            action: "appeal.received".into(),
            subject: format!("appeal:{id}"),
            // No personal data, and not the tracking code (it opens the resident's view).
            detail: json!({
                "kind": a.kind.as_str(),
                "channel": a.channel.as_str(),
                "unit_id": a.unit_id,
                "urgency": a.urgency.as_str(),
                "emergency": a.emergency,
            })
            .to_string(),
        });
        outcomes.push(InsertOutcome::Created(id));
    }
    insert::insert_events(&mut tx, &events).await?;
    rates::mark_dirty(&mut tx, &buckets).await?;
    audit::append_all(&mut tx, &entries).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// The appeal that took `a`'s idempotency key first.
async fn first_with_key(conn: &mut Conn, a: &NewAppeal) -> StoreResult<Id> {
    let key = a
        .idempotency_key
        .as_deref()
        .ok_or_else(|| StoreError::Corrupt("insert skipped a row without a key".into()))?;
    Ok(
        sqlx::query_scalar("SELECT id FROM appeals WHERE idempotency_key = $1")
            .bind(key)
            .fetch_one(&mut *conn)
            .await?,
    )
}
