//! Runs `tests/browser/resident_flow.mjs` (playwright-core driving Debian's headless
//! Chromium) against a real server on 127.0.0.1:0 with a fresh SQLite database, the
//! fixture staff accounts and the log transport. Screenshots land in
//! `target/browser/`. Missing node, chromium or playwright-core is a failure with a
//! clear message, never a silent skip.

mod browser_support;
mod common;
mod pages_support;

use std::{path::PathBuf, process::Command, time::Duration};

use browser_support::{check_prerequisites, chromium, workspace_root};
use common::{Backend, PASSWORD};
use pages_support::spawn_pages_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_flow_in_headless_chromium() {
    let root = workspace_root();
    check_prerequisites(&root, &["playwright-core"]);
    let app = spawn_pages_app(Backend::Sqlite).await;

    // The outbox worker of this node: deliver messages (the one-time code) promptly.
    let state = app.state.clone();
    let worker = tokio::spawn(async move {
        loop {
            let _ = police_square_server::features::notices::outbox::deliver_due(&state).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });

    let shots = std::env::var("SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/browser"));
    let script = root.join("tests/browser/resident_flow.mjs");
    let base = app.base.clone();
    let notify_log = app.notify_log.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(&script)
            .current_dir(&root)
            .env("BASE_URL", &base)
            .env("NOTIFY_LOG", &notify_log)
            .env("STAFF_USER", "station_a_handler")
            .env("STAFF_PASSWORD", PASSWORD)
            .env("SCREENSHOT_DIR", &shots)
            .env("CHROMIUM", chromium())
            .output()
            .expect("run node")
    })
    .await
    .unwrap();
    worker.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "resident_flow.mjs failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("[resident_flow] PASS"),
        "script did not finish"
    );

    // What the browser did is in the database.
    let rated = app
        .stores
        .appeals
        .inbox(&police_square_store::InboxQuery {
            scope: None,
            include_conduct: true,
            now: app.state.now(),
            page_size: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let id = rated.items.first().expect("the appeal").id;
    let appeal = app.stores.appeals.appeal(id).await.unwrap().unwrap();
    assert_eq!(appeal.rating_resolved, Some(true));
    assert_eq!(
        appeal.rating_satisfaction,
        Some(police_square_domain::Satisfaction::Satisfied)
    );
}
