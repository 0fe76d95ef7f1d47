//! Housekeeping.

use async_trait::async_trait;

use crate::app::{config::Config, error::AppResult, job::Job, state::AppState};

/// Removal of expired sessions and rate-limit windows, hourly.
pub struct PurgeExpired;

#[async_trait]
impl Job for PurgeExpired {
    fn kind(&self) -> &'static str {
        "purge_expired"
    }

    fn every_ms(&self, _config: &Config) -> i64 {
        3_600_000
    }

    async fn run(&self, state: &AppState) -> AppResult<()> {
        Ok(state
            .stores
            .access
            .purge_expired(state.now())
            .await
            .map(|_| ())?)
    }
}
