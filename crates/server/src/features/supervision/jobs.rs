//! The supervision feature's periodic job.

use async_trait::async_trait;

use crate::app::{config::Config, error::AppResult, job::Job, state::AppState};

/// 督办 scan: reminders and escalations, then closing replied appeals nobody rated
/// in time.
pub struct DeadlineScan;

#[async_trait]
impl Job for DeadlineScan {
    fn kind(&self) -> &'static str {
        "deadline_scan"
    }

    fn every_ms(&self, config: &Config) -> i64 {
        config.jobs.deadline_scan_secs * 1000
    }

    async fn run(&self, state: &AppState) -> AppResult<()> {
        super::deadline_scan(state).await?;
        super::close_unrated(state).await.map(|_| ())
    }
}
