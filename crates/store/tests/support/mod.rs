//! What the storage test files share: the both-backends harness and fixtures.

#![allow(dead_code, unused_macros)]

use std::sync::Arc;

use police_square_domain::UnitKind;
use police_square_store::{NewAppeal, NewUnit, SealedContact, Store, Unit};

/// Every `async fn name(store)` listed becomes `sqlite::name` and `postgres::name`,
/// each on a fresh, migrated database. PostgreSQL tests need a server (see
/// `testing::fresh_postgres`): a missing server fails them.
macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (store, _dir) = police_square_store::testing::fresh_sqlite().await;
                    super::$name(store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (store, _db) = police_square_store::testing::fresh_postgres().await;
                    super::$name(store).await;
                }
            )*
        }
    };
}

/// Insert many appeals through the bulk path, 5,000 at a time (as an import does).
pub async fn insert_in_batches(
    store: &Arc<dyn Store>,
    appeals: impl IntoIterator<Item = NewAppeal>,
) {
    let mut batch = Vec::new();
    for a in appeals {
        batch.push(a);
        if batch.len() == 5_000 {
            store
                .insert_appeals_bulk(std::mem::take(&mut batch))
                .await
                .unwrap();
        }
    }
    store.insert_appeals_bulk(batch).await.unwrap();
}

pub async fn unit(
    store: &Arc<dyn Store>,
    parent: Option<&Unit>,
    name: &str,
    kind: UnitKind,
) -> Unit {
    store
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
