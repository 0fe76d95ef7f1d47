//! Appending to the hash-chained audit trail.
//!
//! Every append first takes the one row of `audit_head` with an `UPDATE`: on PostgreSQL
//! that row lock is held until commit, so appends from every node are serialized and the
//! chain never forks; on SQLite the single writer connection serializes them anyway.
//! Take the head as late as possible in a transaction: it is the global lock.

use async_trait::async_trait;
use police_square_domain::audit::{link_hash, AuditRecord, Checkpoint, NotedHead};
use police_square_domain::Millis;

use super::multi_row::{cached_sql, shapes, values_sql};
use super::{rows, Conn, SqlStore};
use crate::error::StoreResult;
use crate::*;

/// The locked head of the chain within one transaction.
pub(crate) struct Chain {
    seq: i64,
    hash: String,
}

impl Chain {
    pub(crate) async fn lock(conn: &mut Conn) -> StoreResult<Chain> {
        let (seq, hash): (i64, String) =
            sqlx::query_as("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *conn)
                .await?;
        Ok(Chain { seq, hash })
    }

    pub(crate) async fn save(self, conn: &mut Conn) -> StoreResult<()> {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(self.seq)
            .bind(&self.hash)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

const AUDIT_INSERT_COLUMNS: [&str; 8] = [
    "seq",
    "at",
    "actor",
    "action",
    "subject",
    "detail",
    "prev_hash",
    "hash",
];
const AUDIT_SHAPES: [usize; 4] = [64, 16, 4, 1];

/// Appends `entries` in order, within the caller's transaction, with multi-row inserts.
pub(crate) async fn append_all(conn: &mut Conn, entries: &[NewAudit]) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut chain = Chain::lock(conn).await?;
    let mut links = Vec::with_capacity(entries.len());
    for entry in entries {
        let seq = chain.seq + 1;
        let hash = link_hash(
            &chain.hash,
            &AuditRecord {
                seq,
                at: entry.at,
                actor: &entry.actor,
                action: &entry.action,
                subject: &entry.subject,
                detail: &entry.detail,
            },
        );
        links.push((seq, std::mem::replace(&mut chain.hash, hash.clone()), hash));
        chain.seq = seq;
    }
    let mut start = 0;
    for size in shapes(entries.len(), &AUDIT_SHAPES) {
        let sql = cached_sql(("audit", size), || {
            values_sql("audit_log", &AUDIT_INSERT_COLUMNS, size)
        });
        let mut q = sqlx::query(sql);
        for (entry, (seq, prev, hash)) in entries[start..start + size]
            .iter()
            .zip(&links[start..start + size])
        {
            q = q
                .bind(*seq)
                .bind(entry.at)
                .bind(&entry.actor)
                .bind(&entry.action)
                .bind(&entry.subject)
                .bind(&entry.detail)
                .bind(prev)
                .bind(hash);
        }
        q.execute(&mut *conn).await?;
        start += size;
    }
    chain.save(conn).await
}

pub(crate) async fn head(conn: &mut Conn) -> StoreResult<(i64, String)> {
    Ok(
        sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?,
    )
}

pub(crate) async fn entries(
    conn: &mut Conn,
    after_seq: i64,
    limit: u32,
) -> StoreResult<Vec<AuditEntry>> {
    let sql = format!(
        "SELECT {} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        rows::AUDIT_COLUMNS
    );
    let found = sqlx::query(&sql)
        .bind(after_seq)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::audit_entry).collect()
}
/// Who changed what, for the audit entry written with the change.
#[derive(Debug, Clone, Copy)]
pub(crate) struct By<'a> {
    pub actor: &'a str,
    pub at: Millis,
}

pub(crate) async fn record(
    conn: &mut Conn,
    by: By<'_>,
    action: &str,
    subject: String,
    detail: String,
) -> StoreResult<()> {
    append_all(
        conn,
        &[NewAudit {
            at: by.at,
            actor: by.actor.to_owned(),
            action: action.to_owned(),
            subject,
            detail,
        }],
    )
    .await
}

/// The audit-log viewer: only the filters given become conditions, so each query can
/// use the index of its most selective filter.
pub(crate) async fn audit_search(conn: &mut Conn, q: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
    let mut conditions = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    // Text parameters come first ($1…), numbers after them.
    if let Some(subject) = &q.subject {
        texts.push(subject.clone());
        conditions.push(format!("subject = ${}", texts.len()));
    }
    if let Some(actor) = &q.actor {
        texts.push(actor.clone());
        conditions.push(format!("actor = ${}", texts.len()));
    }
    if let Some(action) = &q.action {
        texts.push(action.clone());
        texts.push(format!("{action}.%"));
        conditions.push(format!(
            "(action = ${} OR action LIKE ${})",
            texts.len() - 1,
            texts.len()
        ));
    }
    let mut number = |column: &str, op: &str, value: Option<i64>| {
        if let Some(v) = value {
            numbers.push(v);
            conditions.push(format!("{column} {op} ${}", texts.len() + numbers.len()));
        }
    };
    number("at", ">=", q.from);
    number("at", "<", q.to);
    number("seq", "<", q.before_seq);
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT {} FROM audit_log {filter} ORDER BY seq DESC LIMIT {}",
        rows::AUDIT_COLUMNS,
        q.limit.clamp(1, 1_000)
    );
    let mut query = sqlx::query(&sql);
    for t in &texts {
        query = query.bind(t);
    }
    for n in &numbers {
        query = query.bind(*n);
    }
    let found = query.fetch_all(&mut *conn).await?;
    found.iter().map(rows::audit_entry).collect()
}

#[async_trait]
impl AuditStore for SqlStore {
    async fn audit(&self, entry: NewAudit) -> StoreResult<()> {
        write!(self, |c| append_all(c, std::slice::from_ref(&entry)).await)
    }

    async fn audit_entries(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        read!(self, |c| entries(c, after_seq, limit).await)
    }

    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        read!(self, |c| head(c).await)
    }

    async fn audit_search(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        read!(self, |c| audit_search(c, query).await)
    }

    async fn save_checkpoint(&self, checkpoint: &Checkpoint) -> StoreResult<()> {
        write!(self, |c| {
            sqlx::query(
                "INSERT INTO audit_checkpoints (seq, hash, at, mac) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (seq) DO NOTHING",
            )
            .bind(checkpoint.head.seq)
            .bind(&checkpoint.head.hash)
            .bind(checkpoint.at)
            .bind(&checkpoint.mac)
            .execute(&mut *c)
            .await
            .map(|_| ())
            .map_err(Into::into)
        })
    }

    async fn checkpoints(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<Checkpoint>> {
        read!(self, |c| {
            let rows: Vec<(i64, String, i64, String)> = sqlx::query_as(
                "SELECT seq, hash, at, mac FROM audit_checkpoints WHERE seq > $1 \
                 ORDER BY seq LIMIT $2",
            )
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&mut *c)
            .await?;
            Ok(rows.into_iter().map(checkpoint).collect())
        })
    }

    async fn latest_checkpoint(&self) -> StoreResult<Option<Checkpoint>> {
        read!(self, |c| {
            let row: Option<(i64, String, i64, String)> = sqlx::query_as(
                "SELECT seq, hash, at, mac FROM audit_checkpoints ORDER BY seq DESC LIMIT 1",
            )
            .fetch_optional(&mut *c)
            .await?;
            Ok(row.map(checkpoint))
        })
    }
}

fn checkpoint((seq, hash, at, mac): (i64, String, i64, String)) -> Checkpoint {
    Checkpoint {
        head: NotedHead { seq, hash },
        at,
        mac,
    }
}
