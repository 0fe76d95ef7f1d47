//! Opinion analysis benchmark over an existing database (e.g. 1,000,000 demo appeals):
//! times the opinion view (民意库) for the city and one district over 30 and 90 days,
//! the cluster job's first rebuild and a batch of new appeals, and one emerging-issue
//! scan over the baseline window.
//!
//! ```text
//! POLICE_SQUARE_KEY=<key> cargo run --release -p police-square-server \
//!     --example opinion_bench -- <sqlite path | postgres url> [runs=5]
//! ```
//! The cluster job writes clusters and its cursor: run it on a copy.

use std::time::Instant;

use police_square_domain::Role;
use police_square_server::{
    features::opinion::{self, clustering, emerging, learning},
    AppState, Config,
};
use police_square_store::Staff;

const DAY: i64 = 86_400_000;

fn p(samples: &mut [f64], q: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[((samples.len() as f64 - 1.0) * q).round() as usize]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args
        .first()
        .cloned()
        .expect("database path or postgres url");
    let runs: usize = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(5);
    // A migrated database (`police-square migrate`), read as it is.
    let stores = police_square_store::connect(&url).await?;
    let key = std::env::var("POLICE_SQUARE_KEY").unwrap_or_else(|_| "00".repeat(32));
    let config = Config {
        key: Some(police_square_notify::Secret::new(key)),
        workers: false,
        ..Config::default()
    };
    let state = AppState::new(config, stores.clone()).await?;
    let appeals = stores.rates.count_appeals().await?;
    println!("{appeals} appeals on {}", stores.maintenance.backend());
    let org = state.org();
    let city = org.city().expect("a unit tree").clone();
    let district = org.children(city.id).next().expect("a district").clone();
    // The newest appeal's time stands for "now" (demo data ends at load time).
    let now = state.now();
    for (unit, days) in [(&city, 30), (&city, 90), (&district, 30)] {
        let viewer = Staff {
            id: 0,
            username: "bench".into(),
            display_name: "bench".into(),
            role: Role::Leader,
            unit_id: unit.id,
            unit_path: unit.path.clone(),
            password_hash: String::new(),
            disabled: false,
            created_at: 0,
        };
        let mut samples = Vec::new();
        let mut total = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let o = opinion::opinion(&state, &viewer, None, now - days * DAY, now).await?;
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
            total = o.view.total;
        }
        println!(
            "opinion view {} {days} d ({total} appeals): p50 {:.1} ms, max {:.1} ms",
            unit.name,
            p(&mut samples, 0.5),
            p(&mut samples, 1.0)
        );
    }
    let t = Instant::now();
    let retrained = learning::retrain(&state, true).await?;
    println!(
        "retrain (IDF on recent appeals + corrections): {:.2} s, {:?}",
        t.elapsed().as_secs_f64(),
        retrained
    );
    let t = Instant::now();
    let run = clustering::assign_new(&state).await?;
    println!(
        "cluster job, first run (rebuild + up to 20,000 new): {:.2} s, looked at {}, linked {}",
        t.elapsed().as_secs_f64(),
        run.looked_at,
        run.linked
    );
    let t = Instant::now();
    let run = clustering::assign_new(&state).await?;
    println!(
        "cluster job, next run: {:.2} s, looked at {}, linked {}",
        t.elapsed().as_secs_f64(),
        run.looked_at,
        run.linked
    );
    let t = Instant::now();
    let scan = emerging::scan(&state).await?;
    println!(
        "emerging scan: {:.2} s over {} appeals, {} alerts ({} new)",
        t.elapsed().as_secs_f64(),
        scan.appeals,
        scan.alerts,
        scan.new_alerts
    );
    Ok(())
}
