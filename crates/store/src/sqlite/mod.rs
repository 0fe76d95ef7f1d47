//! SQLite backend (the embedded default): WAL, `synchronous = FULL` (an acknowledged
//! appeal survives SIGKILL and power loss), foreign keys on, one writer connection and
//! a small pool of query-only readers. The SQL lives in `../common/`, shared with
//! PostgreSQL.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::error::StoreResult;

pub(crate) type Db = sqlx::Sqlite;

pub(crate) mod dialect {
    pub const BACKEND: &str = "sqlite";
    /// One writer: claims cannot race, nothing to skip.
    pub const FOR_UPDATE_SKIP_LOCKED: &str = "";

    /// Placeholder `n` (1-based) of generated multi-row statements. SQLite resolves a
    /// `$n` parameter's name by a linear search, which makes binding thousands of them
    /// quadratic; anonymous `?` parameters bind in order at no cost. Generated SQL
    /// always numbers parameters in order of appearance, so the two are equivalent.
    pub fn placeholder(_n: usize) -> String {
        "?".to_owned()
    }

    /// How generated multi-row statements insert. A statement that might abort halfway
    /// makes SQLite copy every page it touches into a statement journal; with `OR FAIL`
    /// a violation stops the statement without undoing it, and the caller rolls back
    /// the whole transaction (which it always does on an error).
    pub const INSERT_ROWS: &str = "INSERT OR FAIL INTO";

    /// Run first in transactions of multi-row inserts: foreign keys are checked at
    /// commit instead of by each statement (same guarantee, no statement journal).
    pub const DEFER_FOREIGN_KEYS: Option<&str> = Some("PRAGMA defer_foreign_keys = ON");

    /// A consistent copy of the database into a new file (see `backup_into`).
    pub const BACKUP_INTO: Option<&str> = Some("VACUUM INTO $1");

    /// Statistics for the planner; `analysis_limit` keeps it quick on big tables.
    pub const OPTIMIZE: &[&str] = &["PRAGMA analysis_limit = 2000", "ANALYZE"];
}

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

#[path = "../common/mod.rs"]
#[allow(clippy::duplicate_mod)]
mod common;

/// The SQLite implementation of every storage trait.
pub type SqliteStore = common::SqlStore;

/// Readers beside the one writer (the machine this targets has few cores).
const READERS: u32 = 4;

/// Opens (creating if missing) the database file at `path`; `:memory:` gives a private
/// in-memory database on one connection (tests, tools).
pub async fn open(path: &str) -> StoreResult<SqliteStore> {
    if path == ":memory:" {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        return Ok(SqliteStore::new(pool.clone(), pool));
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .pragma("cache_size", "-65536")
        .pragma("temp_store", "memory")
        .statement_cache_capacity(256);
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(60))
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options.clone())
        .await?;
    let reader = SqlitePoolOptions::new()
        .max_connections(READERS)
        .acquire_timeout(Duration::from_secs(60))
        .connect_with(options.pragma("query_only", "ON"))
        .await?;
    Ok(SqliteStore::new(reader, writer))
}
