//! The one trait every periodic background job implements (crates.io style): each
//! feature owns its jobs, and [`crate::app::jobs`] registers them, one line each.

use async_trait::async_trait;

use crate::app::{config::Config, error::AppResult, state::AppState};

/// A periodic job. Its runs are rows in the jobs table keyed by [`Job::kind`], so one
/// run is pending at a time across all nodes, claimed with a lease by one of them.
#[async_trait]
pub trait Job: Send + Sync {
    /// The kind stored in the jobs table (also its unique key). Never rename one:
    /// rows already scheduled carry it.
    fn kind(&self) -> &'static str;

    /// Milliseconds from one run to the next.
    fn every_ms(&self, config: &Config) -> i64;

    /// One run; an error is logged and the run retried with a backoff.
    async fn run(&self, state: &AppState) -> AppResult<()>;
}
