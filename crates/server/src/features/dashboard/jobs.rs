//! The dashboard feature's periodic job.

use async_trait::async_trait;

use crate::app::{config::Config, error::AppResult, job::Job, state::AppState};

/// Refresh of the pre-aggregated statistics behind the dashboard.
pub struct StatsRefresh;

#[async_trait]
impl Job for StatsRefresh {
    fn kind(&self) -> &'static str {
        "stats_refresh"
    }

    fn every_ms(&self, config: &Config) -> i64 {
        config.jobs.stats_refresh_secs * 1000
    }

    async fn run(&self, state: &AppState) -> AppResult<()> {
        Ok(state.stores.rates.refresh_stats(state.now()).await?)
    }
}
