//! The storage suite's harness (both backends) and shared fixtures.

#![allow(dead_code, unused_macros)]

use police_square_domain::UnitKind;
use police_square_store::{NewAppeal, NewUnit, SealedContact, Stores, Unit};

/// Every `async fn name(stores)` listed becomes `sqlite::name` and `postgres::name`,
/// each on a fresh, migrated database; those listed after `raw:` also get a [`Raw`]
/// connection to the same database, for rows other jobs would write. PostgreSQL tests
/// need a server (see `testing::fresh_postgres`): a missing server fails them.
macro_rules! suite {
    ($($name:ident),* $(,)? ; raw: $($raw_name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (stores, _dir) = police_square_store::testing::fresh_sqlite().await;
                    super::$name(stores).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $raw_name() {
                    let (stores, dir) = police_square_store::testing::fresh_sqlite().await;
                    let url = police_square_store::testing::sqlite_url_in(dir.path());
                    let raw = sqlx::SqlitePool::connect(&url).await.unwrap();
                    super::$raw_name(stores, super::support::Raw::Sqlite(raw)).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (stores, _db) = police_square_store::testing::fresh_postgres().await;
                    super::$name(stores).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $raw_name() {
                    let (stores, db) = police_square_store::testing::fresh_postgres().await;
                    let raw = sqlx::PgPool::connect(&db.url).await.unwrap();
                    super::$raw_name(stores, super::support::Raw::Pg(raw)).await;
                }
            )*
        }
    };
}

/// A second connection to a test's database, for the rows other jobs would write
/// (clusters, alerts).
pub enum Raw {
    Sqlite(sqlx::SqlitePool),
    Pg(sqlx::PgPool),
}

impl Raw {
    pub async fn exec(&self, sql: &str) {
        match self {
            Raw::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Raw::Pg(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// Insert many appeals through the bulk path, 5,000 at a time (as an import does).
pub async fn insert_in_batches(stores: &Stores, appeals: impl IntoIterator<Item = NewAppeal>) {
    let mut batch = Vec::new();
    for a in appeals {
        batch.push(a);
        if batch.len() == 5_000 {
            stores
                .appeals
                .insert_appeals_bulk(std::mem::take(&mut batch))
                .await
                .unwrap();
        }
    }
    stores.appeals.insert_appeals_bulk(batch).await.unwrap();
}

pub async fn unit(stores: &Stores, parent: Option<&Unit>, name: &str, kind: UnitKind) -> Unit {
    stores
        .org
        .create_unit(NewUnit {
            parent_id: parent.map(|p| p.id),
            name: name.into(),
            kind,
        })
        .await
        .unwrap()
}

/// A sealed contact with a (fake) phone only, as a resident who gave no name or
/// address leaves; `phone_hash` tells residents apart where a test needs that.
pub fn phone_only_contact(phone_hash: Vec<u8>) -> SealedContact {
    SealedContact {
        phone_enc: vec![1, 2, 3],
        phone_hash,
        phone_masked: "138****1234".into(),
        name_enc: None,
        address_enc: None,
        address_masked: None,
    }
}
