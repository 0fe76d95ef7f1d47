//! Report benchmark: generate the monthly (or weekly/quarterly) opinion analysis report
//! of the city bureau and of every district over an existing database, timing each
//! generation end to end (statistics refresh, aggregation queries, quotes, rates,
//! saving the draft).
//!
//! ```text
//! POLICE_SQUARE_KEY=<the key the data was sealed with> \
//! cargo run --release -p police-square-server --example report_bench -- \
//!     <sqlite path | postgres url> [monthly|weekly|quarterly] [YYYY-MM-DD] [runs=3]
//! ```
//! Without a date, the last period that ended before the newest appeal is used (the
//! demo data ends "now"). Drafts are saved: run it on a copy, not on a live database.

use std::time::Instant;

use chrono::NaiveDate;
use police_square_domain::calendar::to_local;
use police_square_server::{
    features::reports::{self, Period, ReportContent},
    AppState, Config,
};
use police_square_store::ReportKind;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args
        .first()
        .cloned()
        .expect("database path or postgres url");
    let kind = args
        .get(1)
        .map(|k| ReportKind::parse(k).expect("weekly, monthly or quarterly"))
        .unwrap_or(ReportKind::Monthly);
    let runs: usize = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(3);
    let stores = police_square_store::connect(&url).await?;
    let t = Instant::now();
    stores.maintenance.migrate().await?;
    println!("migrate: {:.2} s", t.elapsed().as_secs_f64());
    let appeals = stores.rates.count_appeals().await?;
    let key = std::env::var("POLICE_SQUARE_KEY").unwrap_or_else(|_| "00".repeat(32));
    let config = Config {
        key: Some(police_square_notify::Secret::new(key)),
        workers: false,
        ..Config::default()
    };
    let state = AppState::new(config, stores.clone()).await?;
    let period = match args.get(2).filter(|d| !d.is_empty() && *d != "-") {
        Some(d) => Period::containing_date(kind, NaiveDate::parse_from_str(d, "%Y-%m-%d")?),
        None => Period::last_completed(kind, state.now()),
    };
    println!(
        "{} appeals on {}; {} report {} ({})",
        appeals,
        stores.maintenance.backend(),
        kind.as_str(),
        period.label(),
        period.range()
    );
    let t = Instant::now();
    stores.rates.refresh_stats(state.now()).await?;
    println!(
        "statistics refresh first: {:.2} s",
        t.elapsed().as_secs_f64()
    );

    let org = state.org();
    let city = org.city().expect("a unit tree").clone();
    let units = reports::report_units(&state, &city.path);
    for run in 1..=runs {
        for (i, (unit_id, name)) in units.iter().enumerate() {
            // The city every run; the districts on the first run only.
            if i > 0 && run > 1 {
                continue;
            }
            let t = Instant::now();
            let report = reports::generate(&state, *unit_id, period, None).await?;
            let elapsed = t.elapsed().as_secs_f64();
            let content = ReportContent::parse(&report.content)?;
            println!(
                "run {run} {name}: {elapsed:.3} s — {} appeals (previous {}), {} concerns, \
                 {} clusters, {} alerts, {} units ranked, {} bytes, generated {}",
                content.total,
                content.previous_total,
                content.concerns.len(),
                content.clusters.clusters,
                content.emerging.len(),
                content.rates.ranking.len(),
                report.content.len(),
                to_local(content.generated_at).format("%Y-%m-%d %H:%M:%S"),
            );
        }
    }
    Ok(())
}
