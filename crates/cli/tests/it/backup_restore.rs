//! `police-square backup` under a write burst and `restore` into a fresh database
//! (issue 12 §2): every appeal acknowledged before the backup began is restored, the
//! audit chain verifies, and a restore under another key is refused. SQLite, and
//! PostgreSQL with pg_dump/pg_restore.

use std::{path::Path, process::Command, time::Duration};

use police_square_store::testing::{fresh_postgres_db, sqlite_url_in};
use serde_json::Value;

use crate::durability::{command, start_server, wait_ready, IntakeBurst};

const OTHER_KEY: &str = "0303030303030303030303030303030303030303030303030303030303030303";

/// Runs a CLI command to its end (off the runtime: the server answers meanwhile).
async fn run(mut cmd: Command, args: &[&str]) -> (bool, String) {
    cmd.args(args);
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("run police-square"))
        .await
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

async fn backup_under_burst_then_restore(db_url: String, restored_url: String) {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = run(command(&db_url, dir.path()), &["demo", "--appeals", "20"]).await;
    assert!(ok, "demo: {out}");
    let (mut server, base) = start_server(&db_url, dir.path());
    let http = reqwest::Client::new();
    wait_ready(&http, &base).await;

    let burst = IntakeBurst::start(&http, &base, 6, "backup", "夜里工地施工噪音扰民", true);
    tokio::time::sleep(Duration::from_millis(800)).await;
    // Everything acknowledged so far must be in the backup; the burst goes on.
    let before_backup = burst.acknowledged();
    let dest = dir.path().join("backup");
    let (ok, out) = run(
        command(&db_url, dir.path()),
        &["backup", dest.to_str().unwrap()],
    )
    .await;
    let during = burst.acknowledged().len() - before_backup.len();
    burst.stop().await;
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(ok, "backup: {out}");
    assert!(
        before_backup.len() >= 10,
        "a burst: {}",
        before_backup.len()
    );
    assert!(during > 0, "the burst went on while the backup ran");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dest.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["key_fingerprint"].as_str().unwrap().len(), 64);
    assert!(manifest["appeals"].as_i64().unwrap() >= 20 + before_backup.len() as i64);

    // Another key: refused, the target untouched.
    let target = tempfile::tempdir().unwrap();
    let mut other = command(&restored_url, target.path());
    other.env("POLICE_SQUARE_KEY", OTHER_KEY);
    let (ok, out) = run(other, &["restore", dest.to_str().unwrap()]).await;
    assert!(!ok && out.contains("another personal-data key"), "{out}");
    if !restored_url.starts_with("postgres") {
        assert!(!Path::new(police_square_store::sqlite_path(&restored_url)).exists());
        // Over a database that holds data, only with --force.
        let (ok, out) = run(
            command(&db_url, target.path()),
            &["restore", dest.to_str().unwrap()],
        )
        .await;
        assert!(!ok && out.contains("--force"), "{out}");
    }

    let (ok, out) = run(
        command(&restored_url, target.path()),
        &["restore", dest.to_str().unwrap()],
    )
    .await;
    assert!(ok, "restore: {out}");
    assert!(out.contains("audit chain intact"), "{out}");
    let stores = police_square_store::connect(&restored_url).await.unwrap();
    let mut missing = Vec::new();
    for (id, code) in &before_backup {
        match stores.appeals.appeal(*id).await.unwrap() {
            Some(appeal) if &appeal.tracking_code == code => {}
            _ => missing.push(*id),
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} appeals acknowledged before the backup are not restored: {missing:?}",
        missing.len(),
        before_backup.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_backup_under_a_write_burst_restores_every_acknowledged_appeal() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    backup_under_burst_then_restore(sqlite_url_in(a.path()), sqlite_url_in(b.path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_backup_under_a_write_burst_restores_every_acknowledged_appeal() {
    let (a, b) = (fresh_postgres_db().await, fresh_postgres_db().await);
    backup_under_burst_then_restore(a.url.clone(), b.url.clone()).await;
}
