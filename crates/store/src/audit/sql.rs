//! Appending to the hash-chained audit trail.
//!
//! Every append first takes the one row of `audit_head` with an `UPDATE`: on PostgreSQL
//! that row lock is held until commit, so appends from every node are serialized and the
//! chain never forks; on SQLite the single writer connection serializes them anyway.
//! Take the head as late as possible in a transaction: it is the global lock.

use police_square_domain::audit::{link_hash, AuditRecord};

use super::insert::{cached_sql, shapes, values_sql};
use super::{rows, Conn};
use crate::error::StoreResult;
use crate::model::{AuditEntry, NewAudit};

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
