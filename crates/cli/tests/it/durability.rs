//! Durability: SIGKILL the real server in the middle of a burst of submissions, restart
//! it on the same database, and find every appeal that had been acknowledged with 201.
//! Runs on SQLite and PostgreSQL.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use police_square_store::testing::{fresh_postgres_db, sqlite_url_in};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_police-square");
pub(crate) const KEY: &str = "0101010101010101010101010101010101010101010101010101010101010101";
const PASSWORD: &str = "durability-demo-password";

pub(crate) fn command(db_url: &str, dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .env("POLICE_SQUARE_DATABASE_URL", db_url)
        .env("POLICE_SQUARE_KEY", KEY)
        .env("POLICE_SQUARE_DEMO_PASSWORD", PASSWORD)
        .env("POLICE_SQUARE_NOTIFY_LOG", dir.join("notify.log"))
        .env("RUST_LOG", "warn");
    cmd
}

/// Workers posting appeals to `base` until stopped, keeping the id and tracking code
/// of every appeal acknowledged with 201.
pub(crate) struct IntakeBurst {
    acknowledged: Arc<Mutex<Vec<(i64, String)>>>,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl IntakeBurst {
    /// `workers` posting `text，第{worker}-{n}次反映` with idempotency keys named by
    /// `label`. With `every_201`, any other answer fails the burst; without it,
    /// connection errors and other statuses are skipped (a server being killed).
    pub(crate) fn start(
        http: &reqwest::Client,
        base: &str,
        workers: u32,
        label: &'static str,
        text: &'static str,
        every_201: bool,
    ) -> Self {
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let tasks = (0..workers)
            .map(|worker| {
                let (http, base, acknowledged, stop) = (
                    http.clone(),
                    base.to_owned(),
                    acknowledged.clone(),
                    stop.clone(),
                );
                tokio::spawn(async move {
                    let mut n = 0u32;
                    while !stop.load(Ordering::Relaxed) {
                        n += 1;
                        let res = http
                            .post(format!("{base}/api/v1/appeals"))
                            .header("Idempotency-Key", format!("{label}-{worker}-{n}"))
                            .json(&json!({
                                "kind": "complaint",
                                "channel": "api",
                                "text": format!("{text}，第{worker}-{n}次反映"),
                                "contact_phone": "13800001234",
                            }))
                            .send()
                            .await;
                        let res = match res {
                            Ok(res) => res,
                            Err(_) if !every_201 => continue,
                            Err(e) => panic!("intake during the burst: {e}"),
                        };
                        if every_201 {
                            assert_eq!(res.status().as_u16(), 201, "intake during the burst");
                        } else if res.status().as_u16() != 201 {
                            continue;
                        }
                        let Ok(body) = res.json::<Value>().await else {
                            assert!(!every_201, "a 201 without its body");
                            continue;
                        };
                        let id = body["id"].as_i64().expect("id in 201 body");
                        let code = body["tracking_code"].as_str().unwrap().to_owned();
                        acknowledged.lock().unwrap().push((id, code));
                    }
                })
            })
            .collect();
        Self {
            acknowledged,
            stop,
            tasks,
        }
    }

    /// What has been acknowledged so far.
    pub(crate) fn acknowledged(&self) -> Vec<(i64, String)> {
        self.acknowledged.lock().unwrap().clone()
    }

    /// Stop the workers and return everything acknowledged.
    pub(crate) async fn stop(self) -> Vec<(i64, String)> {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            t.await.unwrap();
        }
        let acknowledged = self.acknowledged.lock().unwrap().clone();
        acknowledged
    }
}

/// Starts `serve` on port 0 and returns the child and its base URL.
pub(crate) fn start_server(db_url: &str, dir: &Path) -> (Child, String) {
    let mut child = command(db_url, dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start police-square serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .expect("read server stdout");
        if let Some(addr) = line.strip_prefix("listening on ") {
            break addr.trim().to_owned();
        }
    };
    (child, base)
}

pub(crate) async fn wait_ready(http: &reqwest::Client, base: &str) {
    for _ in 0..300 {
        if let Ok(res) = http.get(format!("{base}/readyz")).send().await {
            if res.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server at {base} never became ready");
}

async fn burst_then_kill(db_url: String) {
    let dir = tempfile::tempdir().unwrap();
    // Units and staff only: the demo with no appeals.
    let status = command(&db_url, dir.path())
        .args(["demo", "--appeals", "0"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "demo --appeals 0 failed");

    let (mut server, base) = start_server(&db_url, dir.path());
    let http = reqwest::Client::new();
    wait_ready(&http, &base).await;
    let burst = IntakeBurst::start(&http, &base, 16, "durability", "小区门口电瓶车被偷", false);
    // Let the burst run, then kill without any chance to flush or shut down.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    server.kill().expect("SIGKILL the server");
    server.wait().unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let acknowledged = burst.stop().await;
    assert!(
        acknowledged.len() >= 50,
        "the burst should have been acknowledged many times before the kill, got {}",
        acknowledged.len()
    );

    // Restart on the same database and look every acknowledged appeal up as admin.
    let (mut server, base) = start_server(&db_url, dir.path());
    wait_ready(&http, &base).await;
    let staff = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let login: Value = staff
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .expect("admin login after restart")
        .json()
        .await
        .unwrap();
    assert!(login["csrf_token"].is_string());
    let mut missing = Vec::new();
    for (id, code) in &acknowledged {
        let res = staff
            .get(format!("{base}/api/v1/appeals/{id}"))
            .send()
            .await
            .unwrap();
        if res.status() != 200 {
            missing.push(*id);
            continue;
        }
        let body: Value = res.json().await.unwrap();
        assert_eq!(
            body["appeal"]["tracking_code"].as_str(),
            Some(code.as_str())
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged appeals lost after SIGKILL: {:?}",
        missing.len(),
        acknowledged.len(),
        &missing[..missing.len().min(10)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_acknowledged_appeal_after_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    burst_then_kill(sqlite_url_in(dir.path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_acknowledged_appeal_after_sigkill() {
    let db = fresh_postgres_db().await;
    burst_then_kill(db.url.clone()).await;
}
