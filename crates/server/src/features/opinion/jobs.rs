//! The opinion feature's periodic jobs.

use async_trait::async_trait;

use super::{clustering, emerging, learning};
use crate::app::{config::Config, error::AppResult, job::Job, state::AppState};

/// Retrain the category model from staff corrections.
pub struct TextRetrain;

#[async_trait]
impl Job for TextRetrain {
    fn kind(&self) -> &'static str {
        "text_retrain"
    }

    fn every_ms(&self, config: &Config) -> i64 {
        config.jobs.retrain_secs * 1000
    }

    async fn run(&self, state: &AppState) -> AppResult<()> {
        learning::retrain(state, false).await.map(|_| ())
    }
}

/// 一事多诉: link new appeals into near-duplicate clusters.
pub struct ClusterAssign;

#[async_trait]
impl Job for ClusterAssign {
    fn kind(&self) -> &'static str {
        "cluster_assign"
    }

    fn every_ms(&self, config: &Config) -> i64 {
        config.jobs.cluster_secs * 1000
    }

    async fn run(&self, state: &AppState) -> AppResult<()> {
        clustering::assign_new(state).await.map(|_| ())
    }
}

/// 未诉先办: look for emerging issues.
pub struct EmergingScan;

#[async_trait]
impl Job for EmergingScan {
    fn kind(&self) -> &'static str {
        "emerging_scan"
    }

    fn every_ms(&self, config: &Config) -> i64 {
        config.jobs.emerging_secs * 1000
    }

    async fn run(&self, state: &AppState) -> AppResult<()> {
        emerging::scan(state).await.map(|_| ())
    }
}
