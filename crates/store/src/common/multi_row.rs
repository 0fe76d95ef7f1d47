//! Generated multi-row statements, shared by every bulk write (appeals, events, audit
//! entries, statistics).
//!
//! Row counts are split into a few fixed statement shapes ([`shapes`]) so that the
//! prepared statements are reused instead of one per batch size.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{dialect, Conn};
use crate::error::StoreResult;

/// Splits `n` rows into statement sizes taken greedily from `sizes` (descending, ending
/// in 1).
pub(crate) fn shapes(mut n: usize, sizes: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    for &size in sizes {
        while n >= size {
            out.push(size);
            n -= size;
        }
    }
    out
}

/// The SQL text for `key`, built once per process (there are few shapes).
pub(crate) fn cached_sql(
    key: (&'static str, usize),
    build: impl FnOnce() -> String,
) -> &'static str {
    static CACHE: Mutex<Option<HashMap<(&'static str, usize), &'static str>>> = Mutex::new(None);
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .get_or_insert_with(HashMap::new)
        .entry(key)
        .or_insert_with(|| Box::leak(build().into_boxed_str()))
}

/// A multi-row `INSERT`, placeholders numbered row after row ([`dialect::placeholder`]).
pub(crate) fn values_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let n = columns.len();
    let mut sql = format!(
        "{} {table} ({}) VALUES ",
        dialect::INSERT_ROWS,
        columns.join(", ")
    );
    for r in 0..rows {
        sql.push_str(if r > 0 { ", (" } else { "(" });
        for c in 0..n {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&dialect::placeholder(r * n + c + 1));
        }
        sql.push(')');
    }
    sql
}

/// Lets the multi-row inserts of this transaction skip per-statement checks that the
/// commit makes anyway ([`dialect::DEFER_FOREIGN_KEYS`]).
pub(crate) async fn defer_foreign_keys(conn: &mut Conn) -> StoreResult<()> {
    if let Some(sql) = dialect::DEFER_FOREIGN_KEYS {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    Ok(())
}
