//! 审计锚点: signed checkpoints of the audit trail. The head `(seq, hash)` is signed
//! with HMAC-SHA256 under the audit key (kept apart from the database and its
//! backups) every `[audit] every_entries` appends or `every_secs`, whichever comes
//! first, so `police-square audit verify` reports a chain rewritten or cut short after
//! a checkpoint even when every hash and the head were recomputed.

use async_trait::async_trait;
use police_square_domain::audit::{Checkpoint, NotedHead};
use police_square_store::AuditStore;

use crate::app::{
    config::{self, AuditConfig, AuditKeySource, Config},
    error::{AppError, AppResult},
    job::Job,
    state::AppState,
};

/// The audit key, or `None` when its file is missing and checkpoints already exist
/// (a new key would not verify them: the operator must put the old file back).
/// With `may_create`, a missing file is created while no checkpoint exists yet.
pub async fn load_key(
    config: &AuditConfig,
    audit: &dyn AuditStore,
    may_create: bool,
) -> anyhow::Result<Option<[u8; 32]>> {
    let path = match config.key_source()? {
        AuditKeySource::Given(key) => return Ok(Some(key)),
        AuditKeySource::File(path) => path,
    };
    if path.exists() {
        return config::read_key_file(&path).map(Some);
    }
    if !may_create || audit.latest_checkpoint().await?.is_some() {
        return Ok(None);
    }
    let key = config::create_key_file(&path)?;
    tracing::warn!(path = %path.display(), "created the audit key file; keep a copy apart from the database and its backups");
    Ok(Some(key))
}

/// Sign the current head and keep the checkpoint.
pub async fn sign_head(audit: &dyn AuditStore, key: &[u8; 32], now: i64) -> AppResult<Checkpoint> {
    let (seq, hash) = audit.audit_head().await?;
    let checkpoint = Checkpoint::sign(key, NotedHead { seq, hash }, now);
    audit.save_checkpoint(&checkpoint).await?;
    Ok(checkpoint)
}

/// Whether the head has moved far enough, or long enough ago, since `latest`.
fn due(config: &AuditConfig, latest: Option<&Checkpoint>, head_seq: i64, now: i64) -> bool {
    match latest {
        None => head_seq > 0,
        Some(c) => {
            head_seq > c.head.seq
                && (head_seq - c.head.seq >= config.every_entries
                    || now - c.at >= config.every_secs * 1000)
        }
    }
}

/// The checkpoint job: looks every minute, signs when [`due`].
pub struct AuditCheckpoint;

#[async_trait]
impl Job for AuditCheckpoint {
    fn kind(&self) -> &'static str {
        "audit_checkpoint"
    }

    fn every_ms(&self, _config: &Config) -> i64 {
        60_000
    }

    async fn run(&self, state: &AppState) -> AppResult<()> {
        let audit = state.stores.audit.as_ref();
        let config = &state.config.audit;
        let now = state.now();
        let latest = audit.latest_checkpoint().await?;
        let (head_seq, _) = audit.audit_head().await?;
        if !due(config, latest.as_ref(), head_seq, now) {
            return Ok(());
        }
        let key = load_key(config, audit, true)
            .await
            .map_err(AppError::internal)?
            .ok_or_else(|| {
                AppError::internal(anyhow::anyhow!(
                    "the audit key file is missing but checkpoints exist: put the key file back"
                ))
            })?;
        sign_head(audit, &key, now).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_is_due_after_enough_entries_or_time() {
        let config = AuditConfig {
            every_entries: 100,
            every_secs: 600,
            ..AuditConfig::default()
        };
        let at = |seq, at| Checkpoint {
            head: NotedHead {
                seq,
                hash: String::new(),
            },
            at,
            mac: String::new(),
        };
        assert!(!due(&config, None, 0, 0), "nothing to sign yet");
        assert!(due(&config, None, 1, 0));
        let last = at(50, 1_000_000);
        assert!(!due(&config, Some(&last), 50, 9_000_000), "head unmoved");
        assert!(!due(&config, Some(&last), 149, 1_000_001));
        assert!(due(&config, Some(&last), 150, 1_000_001), "100 entries");
        assert!(due(&config, Some(&last), 51, 1_600_000), "ten minutes");
    }
}
