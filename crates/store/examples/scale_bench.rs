//! Scale benchmark: bulk-load demo-like appeals, then time the staff inbox and the
//! rate counts the dashboards use.
//!
//! ```text
//! cargo run --release -p police-square-store --features testing --example scale_bench -- \
//!     <sqlite path | postgres url | postgres> [appeals=1000000] [runs=30]
//! ```
//! An existing database that already holds appeals is not loaded again, so the query
//! part can be repeated. `postgres` alone creates a fresh test database.

use std::time::{Duration, Instant};

use police_square_domain::rates::RateCounts;
use police_square_domain::{
    AppealKind, Category, Channel, Millis, Satisfaction, Status, UnitKind, Urgency,
};
use police_square_store::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;
const BATCH: usize = 5_000;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args.first().expect("database path or url").clone();
    let total: usize = args
        .get(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(30);
    let mut _db = None;
    let stores: Stores = if target == "postgres" {
        let (stores, db) = testing::fresh_postgres().await;
        _db = Some(db);
        stores
    } else {
        let s = connect(&target).await.expect("connect");
        s.maintenance.migrate().await.expect("migrate");
        s
    };
    let now: Millis = 1_750_000_000_000;

    if stores.rates.count_appeals().await.unwrap() == 0 {
        load(&stores, total, now).await;
    } else {
        let t = Instant::now();
        stores.rates.refresh_stats(now).await.unwrap();
        println!(
            "refresh_stats catching up: {:.2} s",
            t.elapsed().as_secs_f64()
        );
        if std::env::var("OPTIMIZE").is_ok() {
            let t = Instant::now();
            stores.maintenance.optimize().await.unwrap();
            println!("optimize: {:.2} s", t.elapsed().as_secs_f64());
        }
    }
    let units = stores.org.units().await.unwrap();
    let city = units
        .iter()
        .find(|u| u.parent_id.is_none())
        .unwrap()
        .clone();
    let district = units
        .iter()
        .find(|u| u.kind == UnitKind::District)
        .unwrap()
        .clone();
    let station = units
        .iter()
        .find(|u| u.kind == UnitKind::Station)
        .unwrap()
        .clone();
    let open = vec![
        Status::Received,
        Status::Accepted,
        Status::InProgress,
        Status::Transferred,
        Status::Reopened,
    ];
    let q = |scope: &Unit| InboxQuery {
        scope: Some(scope.path.clone()),
        now,
        page_size: 20,
        ..Default::default()
    };
    let queries: Vec<(&str, InboxQuery)> = vec![
        (
            "station open",
            InboxQuery {
                statuses: open.clone(),
                ..q(&station)
            },
        ),
        (
            "district open +conduct",
            InboxQuery {
                statuses: open.clone(),
                include_conduct: true,
                ..q(&district)
            },
        ),
        (
            "city open",
            InboxQuery {
                statuses: open.clone(),
                ..q(&city)
            },
        ),
        ("city all", q(&city)),
        ("station all", q(&station)),
        (
            "station all page 50",
            InboxQuery {
                page: 50,
                ..q(&station)
            },
        ),
        (
            "city received",
            InboxQuery {
                statuses: vec![Status::Received],
                ..q(&city)
            },
        ),
        (
            "station reopened",
            InboxQuery {
                statuses: vec![Status::Reopened],
                ..q(&station)
            },
        ),
        (
            "station closed",
            InboxQuery {
                statuses: vec![Status::Closed],
                ..q(&station)
            },
        ),
        (
            "city category fraud",
            InboxQuery {
                category: Some("fraud".into()),
                ..q(&city)
            },
        ),
        (
            "station category missing_person",
            InboxQuery {
                category: Some("missing_person".into()),
                ..q(&station)
            },
        ),
        (
            "district kind praise",
            InboxQuery {
                kind: Some(AppealKind::Praise),
                ..q(&district)
            },
        ),
        (
            "station channel mailbox",
            InboxQuery {
                channel: Some(Channel::Mailbox),
                ..q(&station)
            },
        ),
        (
            "city overdue",
            InboxQuery {
                overdue_only: true,
                ..q(&city)
            },
        ),
        (
            "station overdue",
            InboxQuery {
                overdue_only: true,
                ..q(&station)
            },
        ),
        (
            "district supervised",
            InboxQuery {
                supervised_only: true,
                ..q(&district)
            },
        ),
        (
            "station open hotline",
            InboxQuery {
                statuses: open.clone(),
                channel: Some(Channel::Hotline),
                ..q(&station)
            },
        ),
        (
            "city conduct (supervisor)",
            InboxQuery {
                category: Some("conduct".into()),
                include_conduct: true,
                ..q(&city)
            },
        ),
        (
            "station assignee",
            InboxQuery {
                assignee_id: Some(1),
                ..q(&station)
            },
        ),
    ];
    println!(
        "{} with {} appeals; {runs} runs each",
        stores.maintenance.backend(),
        stores.rates.count_appeals().await.unwrap()
    );
    for (name, query) in &queries {
        let (times, page) = timed!(runs, stores.appeals.inbox(query).await.unwrap());
        report(&format!("inbox {name} ({} rows)", page.items.len()), &times);
    }
    let periods = [
        ("last 30 days", now - 30 * DAY, now),
        ("last 180 days", now - 180 * DAY, now),
        (
            "this month, cut days",
            now - 29 * DAY - 5 * HOUR,
            now - 3 * HOUR,
        ),
    ];
    for (name, from, to) in periods {
        let (times, counts) = timed!(runs, stores.rates.rate_counts(from, to, now).await.unwrap());
        let total = counts
            .iter()
            .fold(RateCounts::default(), |a, u| a + u.counts);
        report(
            &format!("rate_counts {name} (total {})", total.total),
            &times,
        );
    }
    let (times, _) = timed!(runs, stores.rates.refresh_stats(now).await.unwrap());
    report("refresh_stats (nothing new)", &times);
    let (times, _) = timed!(
        runs.min(10),
        stores
            .supervision
            .deadline_candidates(now + DAY, 2, 200)
            .await
            .unwrap()
    );
    report("deadline_candidates", &times);
}

/// Runs `$e` `$runs` times; the sorted durations and the last value.
macro_rules! timed {
    ($runs:expr, $e:expr) => {{
        let mut times = Vec::with_capacity($runs);
        let mut last = None;
        for _ in 0..$runs {
            let t = Instant::now();
            last = Some($e);
            times.push(t.elapsed());
        }
        times.sort();
        (times, last.expect("at least one run"))
    }};
}
use timed;

fn report(name: &str, times: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p99 = times[((times.len() as f64 * 0.99) as usize).min(times.len() - 1)];
    println!(
        "  {name:<55} p50 {:>7.2} ms  p99 {:>7.2} ms",
        ms(times[times.len() / 2]),
        ms(p99)
    );
}

async fn load(stores: &Stores, total: usize, now: Millis) {
    let city = unit(stores, None, "湖州市公安局", UnitKind::City).await;
    let mut leaves = Vec::new();
    for d in [
        "吴兴区分局",
        "南浔区分局",
        "德清县公安局",
        "长兴县公安局",
        "安吉县公安局",
    ] {
        let district = unit(stores, Some(city.id), d, UnitKind::District).await;
        for s in 0..4 {
            leaves.push(
                unit(
                    stores,
                    Some(district.id),
                    &format!("{d}第{s}派出所"),
                    UnitKind::Station,
                )
                .await,
            );
        }
        leaves.push(
            unit(
                stores,
                Some(district.id),
                &format!("{d}交警中队"),
                UnitKind::TrafficTeam,
            )
            .await,
        );
    }
    let mut rng = StdRng::seed_from_u64(7);
    let started = Instant::now();
    let mut done = 0;
    let mut insert_time = Duration::ZERO;
    while done < total {
        let n = BATCH.min(total - done);
        let batch: Vec<NewAppeal> = (0..n)
            .map(|i| generate(&mut rng, done + i, total, &leaves, now))
            .collect();
        let t = Instant::now();
        stores.appeals.insert_appeals_bulk(batch).await.unwrap();
        insert_time += t.elapsed();
        done += n;
        if done % 100_000 == 0 {
            eprintln!(
                "  {done} appeals, {:.0} rows/s",
                done as f64 / insert_time.as_secs_f64()
            );
        }
    }
    println!(
        "{} bulk load: {total} appeals in {:.1} s ({:.0} rows/s in insert_appeals_bulk; {:.1} s wall)",
        stores.maintenance.backend(),
        insert_time.as_secs_f64(),
        total as f64 / insert_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    stores.rates.refresh_stats(now).await.unwrap();
    println!(
        "  refresh_stats after load: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    stores.maintenance.optimize().await.unwrap();
    println!("  optimize after load: {:.2} s", t.elapsed().as_secs_f64());
}

async fn unit(stores: &Stores, parent: Option<Id>, name: &str, kind: UnitKind) -> Unit {
    stores
        .org
        .create_unit(NewUnit {
            parent_id: parent,
            name: name.into(),
            kind,
        })
        .await
        .unwrap()
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let sum: u32 = items.iter().map(|i| i.1).sum();
    let mut x = rng.gen_range(0..sum);
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[0].0
}

fn generate(rng: &mut StdRng, n: usize, total: usize, leaves: &[Unit], now: Millis) -> NewAppeal {
    use Status::*;
    let unit = &leaves[rng.gen_range(0..leaves.len())];
    // Oldest first, like the demo loader.
    let age = ((total - n) as f64 / total as f64 * (180 * DAY) as f64) as Millis;
    let received_at = now - age;
    let emergency = rng.gen_bool(0.01);
    let status = if age < DAY {
        pick(
            rng,
            &[
                (Received, 45),
                (Accepted, 28),
                (InProgress, 22),
                (Transferred, 3),
                (Rejected, 2),
            ],
        )
    } else if age < 7 * DAY {
        pick(
            rng,
            &[
                (Received, 5),
                (Accepted, 12),
                (InProgress, 33),
                (Replied, 25),
                (Closed, 17),
                (Transferred, 5),
                (Rejected, 3),
            ],
        )
    } else if age < 30 * DAY {
        pick(
            rng,
            &[
                (Received, 1),
                (Accepted, 2),
                (InProgress, 10),
                (Replied, 10),
                (Closed, 70),
                (Transferred, 3),
                (Rejected, 4),
            ],
        )
    } else {
        pick(
            rng,
            &[
                (InProgress, 2),
                (Replied, 1),
                (Closed, 90),
                (Transferred, 2),
                (Rejected, 5),
            ],
        )
    };
    let status = if status == Closed && rng.gen_bool(0.02) {
        Reopened
    } else {
        status
    };
    let categories = Category::DEFAULTS;
    let category = if rng.gen_bool(0.02) {
        "conduct"
    } else {
        categories[rng.gen_range(0..categories.len())]
    };
    let due_at = received_at + if emergency { 2 * HOUR } else { 9 * DAY };
    let accepted = status != Received && status != Rejected;
    let replied = matches!(status, Replied | Closed | Reopened);
    let accepted_at = accepted.then(|| received_at + rng.gen_range(10 * 60_000..4 * HOUR));
    let replied_at = replied.then(|| received_at + rng.gen_range(DAY..12 * DAY).min(age.max(DAY)));
    let rating = (matches!(status, Closed | Reopened) && rng.gen_bool(0.7)).then(|| {
        let s = pick(
            rng,
            &[
                (Satisfaction::Satisfied, 75),
                (Satisfaction::Basic, 16),
                (Satisfaction::Unsatisfied, 9),
            ],
        );
        (rng.gen_bool(0.85), s, replied_at.unwrap() + DAY)
    });
    let overdue_open = status.is_open() && due_at < now;
    let kinds = AppealKind::ALL;
    let channels = Channel::ALL;
    NewAppeal {
        tracking_code: format!("{:016X}", rng.gen::<u64>()),
        idempotency_key: None,
        kind: kinds[rng.gen_range(0..kinds.len())],
        channel: channels[rng.gen_range(0..channels.len())],
        text: format!(
            "第{n}号诉求：小区附近夜间经常有人聚集喧哗，影响居民休息，希望民警加强巡逻。"
        ),
        search_text: "小区 附近 夜间 聚集 喧哗 影响 居民 休息 民警 巡逻".into(),
        category: Some(category.into()),
        category_confidence: Some(0.8),
        category_needs_review: false,
        urgency: if emergency {
            Urgency::Emergency
        } else {
            Urgency::Normal
        },
        emergency,
        possible_emergency: emergency,
        sentiment: Some("negative".into()),
        unit_id: unit.id,
        subject_unit_id: None,
        status,
        received_at,
        accept_by: received_at + 2 * HOUR,
        due_at,
        contact: SealedContact {
            phone_enc: vec![7; 52],
            phone_hash: (n as u64 % 200_000).to_le_bytes().repeat(4),
            phone_masked: "138****1234".into(),
            name_enc: None,
            address_enc: None,
            address_masked: None,
        },
        recorded_by: None,
        history: Some(BulkHistory {
            accepted_at,
            replied_at,
            closed_at: (status == Closed)
                .then(|| rating.map_or(replied_at.unwrap() + 7 * DAY, |r| r.2)),
            reply_text: replied.then(|| "您反映的问题已处理，感谢您的监督。".into()),
            rating,
            reopen_count: i32::from(status == Reopened),
            supervision_level: if overdue_open { rng.gen_range(1..3) } else { 0 },
            assignee_id: None,
        }),
    }
}
