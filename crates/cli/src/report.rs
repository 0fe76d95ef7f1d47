//! `police-square report generate`: draft the opinion analysis reports
//! (民意研判周报/月报/季报) now, as the scheduled job does after each period, with the
//! time each one took. A published report is frozen and left as it is.

use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Subcommand;
use police_square_server::{
    features::reports::{self, Period, ReportContent},
    AppState, Config,
};
use police_square_store::{ReportKind, ReportStatus};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Generate (or regenerate) draft reports.
    Generate {
        /// weekly, monthly or quarterly.
        #[arg(long, default_value = "monthly")]
        kind: String,
        /// Any day in the period (YYYY-MM-DD, China time); default: the last period
        /// that has ended.
        #[arg(long)]
        date: Option<String>,
        /// The city or district bureau; default: the city and every district.
        #[arg(long)]
        unit: Option<i64>,
    },
}

pub async fn run(config: &Config, command: ReportCommand) -> anyhow::Result<()> {
    let ReportCommand::Generate { kind, date, unit } = command;
    let kind = ReportKind::parse(&kind).context("--kind: weekly, monthly or quarterly")?;
    let stores = police_square_store::connect(&config.database_url).await?;
    stores.maintenance.migrate().await?;
    let state = AppState::new(config.clone(), stores).await?;
    let period = match date {
        Some(d) => Period::containing_date(
            kind,
            NaiveDate::parse_from_str(&d, "%Y-%m-%d").context("--date: YYYY-MM-DD")?,
        ),
        None => Period::last_completed(kind, state.now()),
    };
    let org = state.org();
    let city = org
        .city()
        .context("no units: load the unit tree first")?
        .clone();
    let units: Vec<(i64, String)> = reports::report_units(&state, &city.path)
        .into_iter()
        .filter(|(id, _)| unit.is_none_or(|u| u == *id))
        .collect();
    anyhow::ensure!(
        !units.is_empty(),
        "--unit: not the city or a district bureau"
    );
    for (unit_id, name) in units {
        let started = Instant::now();
        let report = reports::generate(&state, unit_id, period, None)
            .await
            .map_err(|e| anyhow::anyhow!(e.detail()))?;
        let content =
            ReportContent::parse(&report.content).map_err(|e| anyhow::anyhow!(e.detail()))?;
        let note = match report.meta.status {
            ReportStatus::Published => " (published: frozen, not regenerated)",
            ReportStatus::Draft => "",
        };
        println!(
            "report {} {} {} {}: {} appeals (previous period {}) in {:.2} s{note}",
            report.meta.id,
            name,
            kind.as_str(),
            period.label(),
            content.total,
            content.previous_total,
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(())
}
