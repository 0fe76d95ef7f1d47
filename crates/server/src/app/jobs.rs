//! Background work, claimed through the database so several nodes can run at once
//! without doing anything twice:
//!
//! - periodic jobs (each a [`Job`], owned by its feature and registered in `JOBS`)
//!   are rows in the jobs table with a unique key, claimed with a lease by one node at
//!   a time ([`run_due_jobs`]);
//! - the notification outbox is drained by [`outbox::deliver_due`]; a message is
//!   written in the same transaction as the change that caused it, so nothing is lost
//!   if the process dies before sending.
//!
//! [`spawn`] starts the loops of one node; tests call the step functions directly.
//! This is the job registry, part of the composition root: the one place in the shell
//! that names features.

use std::time::Duration;

use police_square_store::Job as JobRun;
use tokio::{sync::watch, task::JoinHandle};

use crate::{
    app::{error::AppResult, job::Job, limits::MINUTE, state::AppState},
    features::{admin, dashboard, notices::outbox, opinion, ops, reports, supervision},
};

/// Every periodic job, in the order a first start schedules them. Adding a job is one
/// line here.
static JOBS: &[&dyn Job] = &[
    &supervision::jobs::DeadlineScan,
    &dashboard::jobs::StatsRefresh,
    &ops::jobs::PurgeExpired,
    // Retraining first: it fits keyword weights on the platform's own appeals,
    // which the cluster and emerging-issue jobs use.
    &opinion::jobs::TextRetrain,
    &opinion::jobs::ClusterAssign,
    &opinion::jobs::EmergingScan,
    &reports::jobs::ReportGenerate,
    &admin::checkpoints::AuditCheckpoint,
];

/// Make sure each periodic job has a pending run (no-op when one is pending: the
/// unique key dedupes across nodes). `first` schedules it to run now.
pub async fn schedule_periodic(state: &AppState, first: bool) -> AppResult<()> {
    let now = state.now();
    for job in JOBS {
        let kind = job.kind();
        let run_at = if first {
            now
        } else {
            now + job.every_ms(&state.config)
        };
        state
            .stores
            .queue
            .schedule_job(kind, "", run_at, Some(kind))
            .await?;
    }
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

async fn run_job(state: &AppState, job: &JobRun) -> AppResult<()> {
    match JOBS.iter().find(|j| j.kind() == job.kind) {
        Some(registered) => registered.run(state).await,
        None => Err(crate::app::error::AppError::internal(anyhow::anyhow!(
            "unknown job kind {}",
            job.kind
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
                opinion::learning::reload(&state).await?;
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
