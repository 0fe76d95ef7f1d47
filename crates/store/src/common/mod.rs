//! The SQL implementation of [`crate::Store`], written once and compiled twice.
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

mod admin;
mod analysis;
mod appeals;
mod audit;
mod bulk;
mod inbox;
mod insert;
mod intake;
mod org;
mod queue;
mod reports;
mod rows;
mod search;
mod stats;
mod store_impl;

use std::str::FromStr;

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

/// The statistics day of an instant.
/// `column IN ('…', …)` for statuses: their keys are the enum's own constants, safe to
/// inline.
pub(crate) fn status_in(column: &str, statuses: &[police_square_domain::Status]) -> String {
    let keys: Vec<String> = statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("{column} IN ({})", keys.join(", "))
}

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
    intake: intake::Intake,
}

impl SqlStore {
    /// Wraps connected pools and starts the intake writer task (needs a Tokio runtime).
    pub(crate) fn new(reader: Pool, writer: Pool) -> Self {
        let intake = intake::Intake::start(writer.clone());
        Self {
            reader,
            writer,
            intake,
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
