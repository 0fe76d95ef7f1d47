//! The SQL backend, written once and compiled twice: [`SqlStore`] and the machinery
//! every capability's SQL shares. The capabilities' SQL lives beside their traits
//! (`../<capability>/sql.rs`) and is included here, so it compiles with this module.
//!
//! This directory is not a module of its own: `sqlite/mod.rs` and `postgres/mod.rs` each
//! include it with `#[path]`, after defining in their own scope
//! - `Db`, the sqlx database type (so everything here is concrete, no generic bounds),
//! - `dialect`, the few SQL fragments that differ between the two,
//! - `MIGRATOR`, that backend's embedded migrations.
//!
//! SQL text uses `$n` placeholders, which both PostgreSQL and sqlx's SQLite accept
//! (generated multi-row statements use `dialect::placeholder`), and only syntax both
//! understand (`ON CONFLICT`, `RETURNING`, partial indexes).

/// Runs `$body` with `$conn` bound to a pooled reader connection.
macro_rules! read {
    ($self:ident, |$conn:ident| $body:expr) => {{
        let mut pooled = $self.reader.acquire().await?;
        let $conn = &mut *pooled;
        $body
    }};
}

/// Runs `$body` with `$conn` bound to a transaction on the writer, committed if `$body`
/// succeeds and rolled back otherwise.
macro_rules! write {
    ($self:ident, |$conn:ident| $body:expr) => {{
        let mut tx = $self.writer.begin().await?;
        let result = {
            let $conn = &mut *tx;
            $body
        };
        if result.is_ok() {
            tx.commit().await?;
        }
        result
    }};
}

// Shared machinery: row decoding and generated multi-row statements.
mod multi_row;
mod rows;

// Each capability's SQL and its `impl <Capability>Store for SqlStore`, beside its trait.
#[path = "../access/sql.rs"]
mod access;
#[path = "../appeals/sql/mod.rs"]
mod appeals;
#[path = "../audit/sql.rs"]
mod audit;
#[path = "../catalog/sql.rs"]
mod catalog;
#[path = "../contacts/sql.rs"]
mod contacts;
#[path = "../keys/sql.rs"]
mod keys;
#[path = "../learning/sql.rs"]
mod learning;
#[path = "../maintenance/sql.rs"]
mod maintenance;
#[path = "../opinion/sql/mod.rs"]
mod opinion;
#[path = "../org/sql/mod.rs"]
mod org;
#[path = "../queue/sql.rs"]
mod queue;
#[path = "../rates/sql.rs"]
mod rates;
#[path = "../reports/sql.rs"]
mod reports;
#[path = "../settings/sql.rs"]
mod settings;
#[path = "../supervision/sql.rs"]
mod supervision;

use std::str::FromStr;
use std::sync::Arc;

use police_square_domain::Millis;

use super::{dialect, Db, MIGRATOR};
use crate::error::{StoreError, StoreResult};

pub(crate) type Conn = <Db as sqlx::Database>::Connection;
pub(crate) type Pool = sqlx::Pool<Db>;
pub(crate) type Row = <Db as sqlx::Database>::Row;
pub(crate) type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>;

/// The statuses in which an appeal still waits on the police ([`Status::is_open`]), as
/// SQL. The same text appears in the partial index `appeals_open_due`, so that both
/// planners can match the index predicate.
///
/// [`Status::is_open`]: police_square_domain::Status::is_open
pub(crate) const OPEN: &str =
    "status IN ('received', 'accepted', 'in_progress', 'transferred', 'reopened')";

/// Statistics buckets are calendar days in China Standard Time (UTC+8, no DST).
pub(crate) const DAY_MS: Millis = police_square_domain::calendar::DAY_MS;
pub(crate) const DAY_OFFSET_MS: Millis = police_square_domain::calendar::CHINA_OFFSET_MS;

/// `column IN ('…', …)` for statuses: their keys are the enum's own constants, safe to
/// inline.
pub(crate) fn status_in(column: &str, statuses: &[police_square_domain::Status]) -> String {
    let keys: Vec<String> = statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("{column} IN ({})", keys.join(", "))
}

/// The statistics day of an instant.
pub(crate) fn day_of(at: Millis) -> i64 {
    (at + DAY_OFFSET_MS).div_euclid(DAY_MS)
}

/// The first instant of a statistics day.
pub(crate) fn day_start(day: i64) -> Millis {
    day * DAY_MS - DAY_OFFSET_MS
}

/// A SQL storage backend: a reader pool, a writer pool and the group-commit intake.
pub struct SqlStore {
    /// Reads. SQLite: a small pool of query-only connections. PostgreSQL: the pool.
    reader: Pool,
    /// Writes. SQLite: the single writer connection. PostgreSQL: the same pool.
    writer: Pool,
    intake: appeals::intake::Intake,
}

impl SqlStore {
    /// Wraps connected pools and starts the intake writer task (needs a Tokio runtime).
    pub(crate) fn new(reader: Pool, writer: Pool) -> Self {
        let intake = appeals::intake::Intake::start(writer.clone());
        Self {
            reader,
            writer,
            intake,
        }
    }

    /// One handle per capability, all on this backend.
    pub fn into_stores(self) -> crate::Stores {
        let backend = Arc::new(self);
        crate::Stores {
            maintenance: backend.clone(),
            org: backend.clone(),
            catalog: backend.clone(),
            access: backend.clone(),
            settings: backend.clone(),
            appeals: backend.clone(),
            contacts: backend.clone(),
            supervision: backend.clone(),
            queue: backend.clone(),
            audit: backend.clone(),
            rates: backend.clone(),
            opinion: backend.clone(),
            learning: backend.clone(),
            reports: backend.clone(),
            keys: backend,
        }
    }

    /// The pool writes go through (for tools and tests that need raw SQL).
    pub fn writer_pool(&self) -> &sqlx::Pool<Db> {
        &self.writer
    }

    /// The pool reads go through.
    pub fn reader_pool(&self) -> &sqlx::Pool<Db> {
        &self.reader
    }
}

/// Parses a stored enum key; a value the code does not know is corrupt data.
pub(crate) fn parse_key<T>(value: &str, what: &str) -> StoreResult<T>
where
    T: FromStr,
{
    value
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("{what}: unknown key `{value}`")))
}

/// Maps constraint violations to the store's vocabulary: a taken unique value is a
/// conflict, a dangling reference is "not found".
pub(crate) fn constraint(err: sqlx::Error, what: &str) -> StoreError {
    if let sqlx::Error::Database(db) = &err {
        if db.is_unique_violation() {
            return StoreError::Conflict(format!("{what} already exists"));
        }
        if db.is_foreign_key_violation() {
            return StoreError::NotFound;
        }
    }
    StoreError::Database(err)
}

/// `path LIKE 'prefix%'` as an index-friendly range: every path below `/1/4/` sorts in
/// `['/1/4/', '/1/40')` because `'0'` is the character after `'/'` (byte order; the
/// PostgreSQL columns use the "C" collation).
pub(crate) fn subtree_range(prefix: &str) -> (String, String) {
    let mut upper = prefix.to_owned();
    if upper.pop() == Some('/') {
        upper.push('0');
    } else {
        // Not a UnitPath; an empty range.
        upper = prefix.to_owned();
    }
    (prefix.to_owned(), upper)
}

/// The wall clock, for the few records stamped by the store itself.
pub(crate) fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}
