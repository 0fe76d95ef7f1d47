//! Baseline for the intake benchmark: durable single-appeal inserts through the storage
//! layer (no HTTP), many concurrent tasks, each insert acknowledged only after commit.
//!
//! ```text
//! cargo run --release -p police-square-store --features testing --example insert_bench -- \
//!     [sqlite|postgres|<database url>] [appeals=20000] [tasks=64]
//! ```
//! `sqlite` uses a fresh file in a temporary directory; `postgres` a fresh database on
//! the test server (`POLICE_SQUARE_TEST_PG_URL`). Prints appeals/s and latency
//! percentiles, then checks that every acknowledged appeal is there.

use std::sync::Arc;
use std::time::{Duration, Instant};

use police_square_domain::{AppealKind, Channel, Status, UnitKind, Urgency};
use police_square_store::{testing, NewAppeal, NewUnit, SealedContact, Stores};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = args.first().map_or("sqlite", String::as_str).to_owned();
    let total: usize = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let tasks: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(64);

    let mut _dir = None;
    let mut _db = None;
    let stores: Stores = match target.as_str() {
        "sqlite" => {
            let (stores, dir) = testing::fresh_sqlite().await;
            _dir = Some(dir);
            stores
        }
        "postgres" => {
            let (stores, db) = testing::fresh_postgres().await;
            _db = Some(db);
            stores
        }
        url => {
            let stores = police_square_store::connect(url).await.expect("connect");
            stores.maintenance.migrate().await.expect("migrate");
            stores
        }
    };
    let city = stores
        .org
        .create_unit(NewUnit {
            parent_id: None,
            name: "湖州市公安局".into(),
            kind: UnitKind::City,
        })
        .await
        .unwrap();
    let mut stations = Vec::new();
    for i in 0..8 {
        let s = stores
            .org
            .create_unit(NewUnit {
                parent_id: Some(city.id),
                name: format!("派出所{i}"),
                kind: UnitKind::Station,
            })
            .await
            .unwrap();
        stations.push(s.id);
    }
    let stations = Arc::new(stations);

    let started = Instant::now();
    let per_task = total / tasks;
    let mut handles = Vec::new();
    for t in 0..tasks {
        let stores = stores.clone();
        let stations = stations.clone();
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_task);
            let mut ids = Vec::with_capacity(per_task);
            for i in 0..per_task {
                let n = t * per_task + i;
                let appeal = sample(n, stations[n % stations.len()]);
                let begun = Instant::now();
                let outcome = stores.appeals.insert_appeal(appeal).await.expect("insert");
                latencies.push(begun.elapsed());
                ids.push(outcome.id());
            }
            (latencies, ids)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    let mut ids = Vec::new();
    for h in handles {
        let (l, i) = h.await.unwrap();
        latencies.extend(l);
        ids.extend(i);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let done = latencies.len();
    println!(
        "{} insert_appeal: {done} appeals, {tasks} tasks, {:.2} s, {:.0} appeals/s, \
         p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        stores.maintenance.backend(),
        elapsed.as_secs_f64(),
        done as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies[done - 1].as_secs_f64() * 1e3,
    );
    assert_eq!(stores.rates.count_appeals().await.unwrap(), done as i64);
    for id in ids.iter().step_by(997) {
        assert!(stores.appeals.appeal(*id).await.unwrap().is_some());
    }
}

fn sample(n: usize, unit_id: i64) -> NewAppeal {
    let now = 1_750_000_000_000 + n as i64;
    NewAppeal {
        tracking_code: format!("B{n:015}"),
        idempotency_key: Some(format!("bench-{n}")),
        kind: AppealKind::Help,
        channel: Channel::Api,
        text: format!(
            "第{n}号：我家小区门口每天晚上都有车辆乱停乱放，堵塞消防通道，\
             多次向物业反映没有效果，希望派出所和交警能来处理一下。"
        ),
        search_text: "小区 门口 晚上 车辆 乱停乱放 堵塞 消防通道 物业 派出所 交警 处理".into(),
        category: Some("traffic".into()),
        category_confidence: Some(0.82),
        category_needs_review: false,
        urgency: Urgency::Normal,
        emergency: n % 97 == 1,
        possible_emergency: n % 97 == 1,
        sentiment: Some("negative".into()),
        unit_id,
        subject_unit_id: None,
        status: Status::Received,
        received_at: now,
        accept_by: now + 7_200_000,
        due_at: now + 7 * 86_400_000,
        contact: SealedContact {
            phone_enc: vec![7; 52],
            phone_hash: vec![(n % 251) as u8; 32],
            phone_masked: "138****1234".into(),
            name_enc: None,
            address_enc: Some(vec![3; 60]),
            address_masked: Some("吴兴区爱山街****".into()),
        },
        recorded_by: None,
        history: None,
    }
}
