//! The reports feature's periodic job.

use async_trait::async_trait;

use crate::app::{config::Config, error::AppResult, job::Job, state::AppState};

/// 民意研判周报/月报/季报: drafts for the periods that have ended (idempotent).
pub struct ReportGenerate;

#[async_trait]
impl Job for ReportGenerate {
    fn kind(&self) -> &'static str {
        "report_generate"
    }

    /// Hourly: how often the job looks for ended periods.
    fn every_ms(&self, _config: &Config) -> i64 {
        3_600_000
    }

    async fn run(&self, state: &AppState) -> AppResult<()> {
        super::generate_due(state).await.map(|_| ())
    }
}
