//! Fresh, migrated databases for tests (feature `testing`).
//!
//! PostgreSQL tests use the server at `POLICE_SQUARE_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and create a new database
//! `ps_test_<random hex>` per call, dropped again when its [`TestDatabase`] guard goes
//! out of scope. A server that does not answer is a test failure with a clear message,
//! never a silent skip.

use std::path::Path;

use rand::RngCore;
use sqlx::Connection;

use crate::Stores;

pub const TEST_PG_URL_ENV: &str = "POLICE_SQUARE_TEST_PG_URL";
pub const DEFAULT_TEST_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The database URL of a SQLite file `police-square.db` inside `dir`.
pub fn sqlite_url_in(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("police-square.db").display())
}

/// A migrated SQLite store in a new temporary directory (kept while the guard lives).
pub async fn fresh_sqlite() -> (Stores, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let stores = crate::connect(&sqlite_url_in(dir.path()))
        .await
        .expect("open a SQLite database");
    stores.maintenance.migrate().await.expect("migrate SQLite");
    (stores, dir)
}

/// The admin URL of the test PostgreSQL server.
pub fn test_pg_url() -> String {
    std::env::var(TEST_PG_URL_ENV).unwrap_or_else(|_| DEFAULT_TEST_PG_URL.to_owned())
}

/// A database created for one test on the test server; dropped (with any connection
/// still open to it) when the guard goes out of scope, so test runs leave nothing behind.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    name: String,
    admin: String,
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread
        // of its own with a small runtime does the one statement.
        let (admin, name) = (self.admin.clone(), self.name.clone());
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime to drop the test database");
            rt.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&admin).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await?;
                conn.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) && !std::thread::panicking() {
            panic!("could not drop test database {}: {dropped:?}", self.name);
        }
    }
}

/// Creates an empty database `ps_test_<random hex>` on the test server (not migrated:
/// a server under test may migrate it itself). Keep the guard while it is used.
pub async fn fresh_postgres_db() -> TestDatabase {
    let admin = test_pg_url();
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "PostgreSQL test server not reachable at {admin}: {e}. Start one (Debian: \
             `apt-get install postgresql`, trust auth for local connections) or point \
             {TEST_PG_URL_ENV} at one. PostgreSQL tests never skip silently."
            )
        });
    let mut random = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut random);
    let name = format!("ps_test_{}", hex::encode(random));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("create test database {name} at {admin}: {e}"));
    let _ = conn.close().await;
    TestDatabase {
        url: with_database(&admin, &name),
        name,
        admin,
    }
}

/// A migrated PostgreSQL store on a brand-new database (dropped with the guard).
pub async fn fresh_postgres() -> (Stores, TestDatabase) {
    let db = fresh_postgres_db().await;
    let stores = crate::connect(&db.url)
        .await
        .unwrap_or_else(|e| panic!("connect to {}: {e}", db.url));
    stores
        .maintenance
        .migrate()
        .await
        .expect("migrate PostgreSQL");
    (stores, db)
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h/db?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
