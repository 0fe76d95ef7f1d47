//! PostgreSQL backend, for several stateless nodes over one database. The SQL lives in
//! `../common/`, shared with SQLite; here only the pool and the dialect differences.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::error::StoreResult;

pub(crate) type Db = sqlx::Postgres;

pub(crate) mod dialect {
    pub const BACKEND: &str = "postgres";
    /// Claims by several nodes at once pass each other by instead of waiting.
    pub const FOR_UPDATE_SKIP_LOCKED: &str = " FOR UPDATE SKIP LOCKED";

    /// Placeholder `n` (1-based) of generated multi-row statements.
    pub fn placeholder(n: usize) -> String {
        format!("${n}")
    }

    /// How generated multi-row statements insert (any error aborts the transaction).
    pub const INSERT_ROWS: &str = "INSERT INTO";

    /// Foreign keys stay immediate.
    pub const DEFER_FOREIGN_KEYS: Option<&str> = None;

    /// A consistent copy of the database into a new file (see `backup_into`).
    pub const BACKUP_INTO: Option<&str> = None;

    /// Statistics for the planner and the visibility map for index-only scans.
    pub const OPTIMIZE: &[&str] = &["VACUUM (ANALYZE)"];
}

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("migrations/postgres");

#[path = "../common/mod.rs"]
#[allow(clippy::duplicate_mod)]
mod common;

/// The PostgreSQL implementation of every storage trait.
pub type PgStore = common::SqlStore;

/// Connections per node unless `POLICE_SQUARE_PG_POOL` says otherwise.
const DEFAULT_POOL: u32 = 16;

pub async fn connect(url: &str) -> StoreResult<PgStore> {
    let size = std::env::var("POLICE_SQUARE_PG_POOL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_POOL);
    // Plans are made per execution: a cached generic plan chosen while a table was
    // still small (a fresh database) turns into sequential scans once it has grown.
    let options = PgConnectOptions::from_str(url)?
        .statement_cache_capacity(256)
        .options([("plan_cache_mode", "force_custom_plan")]);
    let pool = PgPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(60))
        .connect_with(options)
        .await?;
    Ok(PgStore::new(pool.clone(), pool))
}
