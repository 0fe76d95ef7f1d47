//! Search benchmark: full-text search over realistic demo appeals (1,000,000 by
//! default), common and rare words, with and without filters, on SQLite or PostgreSQL.
//!
//! ```text
//! cargo run --release -p police-square-demo --example search_bench -- \
//!     <sqlite path | postgres url> [appeals=1000000] [runs=200]
//! ```
//! An empty database is filled with the demo first (then `optimize`d); one that already
//! holds appeals (e.g. from `police-square demo --appeals 1000000`) is searched as it is,
//! so the timing part can be repeated. Query words are picked from the data itself: a
//! sample of appeals is segmented the way the server segments queries, and words are
//! sorted into common (in ≥ 5% of appeals), medium (0.2–2%) and rare (one appeal of the
//! sample). Each query shape runs `runs` times with random picks; every run is one
//! complete `AppealStore::search_appeals` (capped count, page of 20, texts). With
//! `SEARCH_BENCH_DUMP=<file>` the first few queries of each shape and their results are
//! also written there (tab-separated), to check against a plain scan of the table.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use police_square_demo::DemoOptions;
use police_square_domain::{Millis, Status, UnitKind};
use police_square_store::vault::Vault;
use police_square_store::*;
use police_square_text::normalize::normalize;
use police_square_text::Segmenter;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const DAY: Millis = 86_400_000;
const SAMPLE: usize = 3_000;
/// Queries per shape written by `SEARCH_BENCH_DUMP`.
const DUMPED: usize = 4;

/// Query words as the server makes them (`services::search::query_terms`): precise-mode
/// tokens that the search-mode index text keeps (content words).
fn terms(seg: &Segmenter, q: &str) -> Vec<String> {
    let n = normalize(q);
    let index = seg.index_text(&n);
    let keep: HashSet<&str> = index.split(' ').collect();
    let mut out: Vec<String> = Vec::new();
    for t in seg.cut(&n) {
        if keep.contains(t) && !out.iter().any(|o| o == t) {
            out.push(t.to_owned());
        }
    }
    out
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args.first().expect("database path or url").clone();
    let total: usize = args
        .get(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(200);
    let stores: Stores = connect(&target).await?;
    stores.maintenance.migrate().await?;

    if stores.rates.count_appeals().await? == 0 {
        let vault = Vault::new([7; 32]);
        let opts = DemoOptions {
            appeals: total,
            progress: true,
            password: Some("bench-only".into()),
            ..DemoOptions::default()
        };
        let now = chrono::Utc::now().timestamp_millis();
        let t = Instant::now();
        let s = police_square_demo::load(&stores, &vault, &opts, now).await?;
        println!(
            "loaded {} appeals in {:.1} s ({:.0}/s)",
            s.appeals,
            t.elapsed().as_secs_f64(),
            s.appeals_per_second()
        );
        let t = Instant::now();
        stores.maintenance.optimize().await?;
        println!("optimize: {:.1} s", t.elapsed().as_secs_f64());
    }
    let count = stores.rates.count_appeals().await?;
    println!("{} backend, {count} appeals", stores.maintenance.backend());

    // Sample texts (ids are dense from 1) and sort words by document frequency.
    let seg = Segmenter::new();
    let mut rng = StdRng::seed_from_u64(96110);
    let mut df: HashMap<String, usize> = HashMap::new();
    let mut texts: Vec<String> = Vec::new();
    let mut newest: Millis = 0;
    for id in [count] {
        if let Some(a) = stores.appeals.appeal(id).await? {
            newest = a.received_at;
        }
    }
    while texts.len() < SAMPLE {
        let id = rng.gen_range(1..=count);
        if let Some(a) = stores.appeals.appeal(id).await? {
            for t in terms(&seg, &a.text) {
                *df.entry(t).or_default() += 1;
            }
            texts.push(a.text);
        }
    }
    let share = |n: usize| n as f64 / SAMPLE as f64;
    let mut by_df: Vec<(String, usize)> = df.into_iter().collect();
    by_df.sort();
    let pick = |lo: f64, hi: f64| -> Vec<String> {
        by_df
            .iter()
            .filter(|(_, n)| share(*n) >= lo && share(*n) <= hi)
            .map(|(w, _)| w.clone())
            .collect()
    };
    let common = pick(0.05, 1.0);
    let medium = pick(0.002, 0.02);
    let rare: Vec<String> = by_df
        .iter()
        .filter(|(w, n)| *n == 1 && w.chars().count() >= 2)
        .map(|(w, _)| w.clone())
        .collect();
    println!(
        "words: {} common (e.g. {:?}), {} medium (e.g. {:?}), {} rare (e.g. {:?})",
        common.len(),
        &common[..common.len().min(5)],
        medium.len(),
        &medium[..medium.len().min(5)],
        rare.len(),
        &rare[..rare.len().min(5)]
    );

    let units = stores.org.units().await?;
    let city = units.iter().find(|u| u.kind == UnitKind::City).unwrap();
    let districts: Vec<&Unit> = units
        .iter()
        .filter(|u| u.kind == UnitKind::District)
        .collect();
    let stations: Vec<&Unit> = units.iter().filter(|u| u.path.ids().len() >= 3).collect();
    let categories = ["theft", "fraud", "traffic", "dispute", "public_order"];

    type Make<'a> = Box<dyn Fn(&mut StdRng) -> SearchQuery + 'a>;
    let base = |scope: &Unit, terms: Vec<String>| SearchQuery {
        terms,
        scope: Some(scope.path.clone()),
        page_size: 20,
        ..Default::default()
    };
    let one = |words: &[String], rng: &mut StdRng| vec![words.choose(rng).unwrap().clone()];
    let shapes: Vec<(&str, Make<'_>)> = vec![
        (
            "common word, city",
            Box::new(|r| {
                let mut q = base(city, one(&common, r));
                q.include_conduct = true;
                q
            }),
        ),
        (
            "medium word, city",
            Box::new(|r| base(city, one(&medium, r))),
        ),
        ("rare word, city", Box::new(|r| base(city, one(&rare, r)))),
        (
            "two words of one appeal, city",
            Box::new(|r| {
                let t = terms(&seg, texts.choose(r).unwrap());
                let t: Vec<String> = t.choose_multiple(r, 2).cloned().collect();
                base(city, t)
            }),
        ),
        (
            "phrase from an appeal (3-6 words), city",
            Box::new(|r| {
                let t = terms(&seg, texts.choose(r).unwrap());
                let n = t.len().min(r.gen_range(3..=6));
                let start = r.gen_range(0..=t.len() - n);
                base(city, t[start..start + n].to_vec())
            }),
        ),
        (
            "common word, one station",
            Box::new(|r| base(stations.choose(r).unwrap(), one(&common, r))),
        ),
        (
            "medium word, district, last 30 days",
            Box::new(|r| {
                let mut q = base(districts.choose(r).unwrap(), one(&medium, r));
                q.from = Some(newest - 30 * DAY);
                q
            }),
        ),
        (
            "common word, category + open, city",
            Box::new(|r| {
                let mut q = base(city, one(&common, r));
                q.category = Some(categories.choose(r).unwrap().to_string());
                q.statuses = vec![Status::Received, Status::Accepted, Status::InProgress];
                q
            }),
        ),
        (
            "common word, a month 5 months ago, station",
            Box::new(|r| {
                let mut q = base(stations.choose(r).unwrap(), one(&common, r));
                q.from = Some(newest - 150 * DAY);
                q.to = Some(newest - 120 * DAY);
                q
            }),
        ),
        (
            "rare word, one station",
            Box::new(|r| base(stations.choose(r).unwrap(), one(&rare, r))),
        ),
        (
            "common word, page 5, city",
            Box::new(|r| {
                let mut q = base(city, one(&common, r));
                q.page = 5;
                q
            }),
        ),
    ];

    println!(
        "\n{:<44} {:>8} {:>8} {:>8} {:>8} {:>10}",
        "query shape", "p50 ms", "p95 ms", "p99 ms", "max ms", "avg total"
    );
    // `SEARCH_BENCH_DUMP=<file>`: also write the first few queries of each shape and
    // their results (one line each), to check them against a plain scan of the table.
    let mut dump = std::env::var_os("SEARCH_BENCH_DUMP")
        .map(std::fs::File::create)
        .transpose()?;
    let mut all: Vec<Duration> = Vec::new();
    // `SEARCH_BENCH_ONLY=<text>`: only the shapes whose name contains it.
    let only = std::env::var("SEARCH_BENCH_ONLY").unwrap_or_default();
    for (name, make) in &shapes {
        if !name.contains(only.as_str()) {
            continue;
        }
        if let Some(out) = dump.as_mut() {
            use std::io::Write;
            let mut check = StdRng::seed_from_u64(7);
            for _ in 0..DUMPED {
                let q = make(&mut check);
                let r = stores.appeals.search_appeals(&q).await?;
                let ids: Vec<String> = r.items.iter().map(|h| h.summary.id.to_string()).collect();
                let statuses: Vec<&str> = q.statuses.iter().map(|s| s.as_str()).collect();
                writeln!(
                    out,
                    "{name}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    q.terms.join(" "),
                    q.scope.as_ref().map_or("", |p| p.as_str()),
                    q.from.map_or(String::new(), |v| v.to_string()),
                    q.to.map_or(String::new(), |v| v.to_string()),
                    q.category.as_deref().unwrap_or(""),
                    statuses.join(","),
                    q.include_conduct,
                    q.page,
                    q.page_size,
                    ids.join(","),
                    r.total,
                    r.total_estimated,
                    r.has_next,
                )?;
            }
        }
        // Warm-up, as a server would be.
        for _ in 0..5 {
            stores.appeals.search_appeals(&make(&mut rng)).await?;
        }
        let mut times = Vec::with_capacity(runs);
        let mut totals = 0u64;
        for _ in 0..runs {
            let q = make(&mut rng);
            let t = Instant::now();
            let r = stores.appeals.search_appeals(&q).await?;
            times.push(t.elapsed());
            totals += r.total;
        }
        times.sort();
        println!(
            "{:<44} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>10.0}",
            name,
            pct(&times, 0.50),
            pct(&times, 0.95),
            pct(&times, 0.99),
            pct(&times, 1.0),
            totals as f64 / runs as f64
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "{:<44} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
        "ALL SHAPES",
        pct(&all, 0.50),
        pct(&all, 0.95),
        pct(&all, 0.99),
        pct(&all, 1.0)
    );
    Ok(())
}
