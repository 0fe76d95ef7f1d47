//! Key fingerprints and a sealed sample.

use async_trait::async_trait;
use police_square_domain::Millis;

use super::SqlStore;
use crate::error::StoreResult;
use crate::KeyStore;

/// The one key id until rotation adds others.
const FIRST_KEY_ID: i64 = 1;

const CURRENT: &str = "SELECT fingerprint FROM key_fingerprints ORDER BY key_id DESC LIMIT 1";

#[async_trait]
impl KeyStore for SqlStore {
    async fn key_fingerprint(&self) -> StoreResult<Option<String>> {
        read!(self, |c| Ok(sqlx::query_scalar(CURRENT)
            .fetch_optional(&mut *c)
            .await?))
    }

    async fn record_key_fingerprint(&self, fingerprint: &str, at: Millis) -> StoreResult<String> {
        write!(self, |c| {
            sqlx::query(
                "INSERT INTO key_fingerprints (key_id, fingerprint, recorded_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING",
            )
            .bind(FIRST_KEY_ID)
            .bind(fingerprint)
            .bind(at)
            .execute(&mut *c)
            .await?;
            Ok(sqlx::query_scalar(CURRENT).fetch_one(&mut *c).await?)
        })
    }

    async fn sealed_sample(&self) -> StoreResult<Option<Vec<u8>>> {
        read!(self, |c| {
            for sql in [
                "SELECT phone_enc FROM appeals ORDER BY id LIMIT 1",
                "SELECT recipient_enc FROM outbox ORDER BY id LIMIT 1",
            ] {
                let found: Option<Vec<u8>> =
                    sqlx::query_scalar(sql).fetch_optional(&mut *c).await?;
                if found.is_some() {
                    return Ok(found);
                }
            }
            Ok(None)
        })
    }
}
