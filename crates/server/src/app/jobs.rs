//! Background work, claimed through the database so several nodes can run at once
//! without doing anything twice:
//!
//! - periodic jobs (`deadline_scan`, `stats_refresh`) are rows in the jobs table with a
//!   unique key, claimed with a lease by one node at a time ([`run_due_jobs`]);
//! - the notification outbox is drained by [`outbox::deliver_due`]; a message is
//!   written in the same transaction as the change that caused it, so nothing is lost
//!   if the process dies before sending.
//!
//! [`spawn`] starts the loops of one node; tests call the step functions directly.

use std::time::Duration;

use police_square_store::Job;
use tokio::{sync::watch, task::JoinHandle};

use crate::{
    app::{error::AppResult, limits::MINUTE, state::AppState},
    features::{
        notices::outbox,
        opinion::{clustering, emerging, learning},
        supervision,
    },
};

/// 督办 scan: reminders and escalations.
pub const DEADLINE_SCAN: &str = "deadline_scan";
/// Refresh of the pre-aggregated statistics behind the dashboard.
pub const STATS_REFRESH: &str = "stats_refresh";
/// Removal of expired sessions and rate-limit windows.
pub const PURGE_EXPIRED: &str = "purge_expired";
/// 民意研判周报/月报/季报: drafts for the periods that have ended (idempotent).
pub const REPORT_GENERATE: &str = "report_generate";
/// How often the report job looks for ended periods.
const REPORT_GENERATE_MS: i64 = 3_600_000;

/// 一事多诉: link new appeals into near-duplicate clusters.
pub const CLUSTER_ASSIGN: &str = "cluster_assign";
/// 未诉先办: look for emerging issues.
pub const EMERGING_SCAN: &str = "emerging_scan";
/// Retrain the category model from staff corrections.
pub const TEXT_RETRAIN: &str = "text_retrain";

fn periodic(state: &AppState) -> Vec<(&'static str, i64)> {
    let j = &state.config.jobs;
    vec![
        (DEADLINE_SCAN, j.deadline_scan_secs * 1000),
        (STATS_REFRESH, j.stats_refresh_secs * 1000),
        (PURGE_EXPIRED, 3_600_000),
        // Retraining first: it fits keyword weights on the platform's own appeals,
        // which the cluster and emerging-issue jobs use.
        (TEXT_RETRAIN, j.retrain_secs * 1000),
        (CLUSTER_ASSIGN, j.cluster_secs * 1000),
        (EMERGING_SCAN, j.emerging_secs * 1000),
    ]
}

/// Make sure each periodic job has a pending run (no-op when one is pending: the
/// unique key dedupes across nodes). `first` schedules it to run now.
pub async fn schedule_periodic(state: &AppState, first: bool) -> AppResult<()> {
    let now = state.now();
    for (kind, every_ms) in periodic(state) {
        let run_at = if first { now } else { now + every_ms };
        state
            .stores
            .queue
            .schedule_job(kind, "", run_at, Some(kind))
            .await?;
    }
    let run_at = if first { now } else { now + REPORT_GENERATE_MS };
    state
        .stores
        .queue
        .schedule_job(REPORT_GENERATE, "", run_at, Some(REPORT_GENERATE))
        .await?;
    Ok(())
}

/// Claim and run the jobs that are due; returns how many ran.
pub async fn run_due_jobs(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    let lease = state.config.jobs.lease_secs * 1000;
    let jobs = state
        .stores
        .queue
        .claim_jobs(&state.config.node_id, now, lease, 10)
        .await?;
    let count = jobs.len();
    for job in jobs {
        match run_job(state, &job).await {
            Ok(()) => state.stores.queue.finish_job(job.id).await?,
            Err(e) => {
                tracing::warn!(job = %job.kind, attempts = job.attempts, error = %e.detail(), "job failed");
                // The claim counted this try in `attempts`.
                let backoff = MINUTE * (1i64 << (job.attempts - 1).clamp(0, 6));
                state
                    .stores
                    .queue
                    .fail_job(job.id, &e.detail(), state.now() + backoff)
                    .await?;
            }
        }
    }
    Ok(count)
}

async fn run_job(state: &AppState, job: &Job) -> AppResult<()> {
    match job.kind.as_str() {
        DEADLINE_SCAN => {
            supervision::deadline_scan(state).await?;
            supervision::close_unrated(state).await.map(|_| ())
        }
        STATS_REFRESH => Ok(state.stores.rates.refresh_stats(state.now()).await?),
        PURGE_EXPIRED => Ok(state
            .stores
            .access
            .purge_expired(state.now())
            .await
            .map(|_| ())?),
        REPORT_GENERATE => crate::features::reports::generate_due(state)
            .await
            .map(|_| ()),
        CLUSTER_ASSIGN => clustering::assign_new(state).await.map(|_| ()),
        EMERGING_SCAN => emerging::scan(state).await.map(|_| ()),
        TEXT_RETRAIN => learning::retrain(state, false).await.map(|_| ()),
        other => Err(crate::app::error::AppError::internal(anyhow::anyhow!(
            "unknown job kind {other}"
        ))),
    }
}

/// Start this node's loops: jobs, outbox, settings reload. They stop when `shutdown`
/// turns true (after finishing the step in hand).
pub fn spawn(state: AppState, shutdown: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let j = state.config.jobs.clone();
    let jobs = {
        let state = state.clone();
        every(
            Duration::from_millis(j.poll_ms),
            shutdown.clone(),
            move || {
                let state = state.clone();
                async move {
                    schedule_periodic(&state, false).await?;
                    run_due_jobs(&state).await.map(|_| ())
                }
            },
        )
    };
    let outbox = {
        let state = state.clone();
        every(
            Duration::from_millis(j.outbox_poll_ms),
            shutdown.clone(),
            move || {
                let state = state.clone();
                async move { outbox::deliver_due(&state).await.map(|_| ()) }
            },
        )
    };
    let reload = every(
        Duration::from_secs(j.settings_reload_secs),
        shutdown,
        move || {
            let state = state.clone();
            async move {
                state.reload_settings().await?;
                learning::reload(&state).await?;
                state.reload_org().await.map(|_| ())
            }
        },
    );
    vec![jobs, outbox, reload]
}

fn every<F, Fut>(period: Duration, mut shutdown: watch::Receiver<bool>, step: F) -> JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = AppResult<()>> + Send,
{
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(period);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticker.tick() => {
                    if let Err(e) = step().await {
                        tracing::warn!(error = %e.detail(), "background step failed");
                    }
                }
                _ = shutdown.changed() => break,
            }
            if *shutdown.borrow() {
                break;
            }
        }
    })
}
