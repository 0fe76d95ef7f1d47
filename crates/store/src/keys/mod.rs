//! The personal-data key's fingerprint, kept in the database so that start-up can tell
//! whether the configured key is the one the data is sealed under.

use async_trait::async_trait;
use police_square_domain::Millis;

use crate::StoreResult;

/// Key fingerprints and a sample of sealed data. Each method is one transaction.
#[async_trait]
pub trait KeyStore: Send + Sync + 'static {
    /// The recorded fingerprint of the current key, if any.
    async fn key_fingerprint(&self) -> StoreResult<Option<String>>;
    /// Records `fingerprint` unless one is recorded already (another node may have won
    /// the race); returns the fingerprint recorded afterwards, which the caller compares.
    async fn record_key_fingerprint(&self, fingerprint: &str, at: Millis) -> StoreResult<String>;
    /// One sealed value (a resident's phone, else an outbox recipient), to try a key on;
    /// `None` when the database holds no sealed data.
    async fn sealed_sample(&self) -> StoreResult<Option<Vec<u8>>>;
}
