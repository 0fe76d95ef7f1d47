//! Runs `tests/browser/axe_pages.mjs` (axe-core in headless Chromium) over the resident
//! pages and the main staff pages of a real server on 127.0.0.1:0, with appeals in
//! every state, requests, an alert and a report on them. Any serious or critical
//! accessibility violation fails the test (status badges once had 3.88:1 contrast).
//! Missing node, chromium, playwright-core or axe-core is a failure with a clear
//! message, never a silent skip.

mod browser_support;
mod common;
mod pages_support;

use std::{path::PathBuf, process::Command, time::Duration};

use browser_support::{check_prerequisites, chromium, workspace_root};
use common::{Backend, PASSWORD};
use pages_support::{seed::seed_every_state, spawn_pages_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_and_staff_pages_have_no_serious_accessibility_violations() {
    let root = workspace_root();
    check_prerequisites(&root, &["playwright-core", "axe-core"]);
    let app = spawn_pages_app(Backend::Sqlite).await;
    let s = seed_every_state(&app).await;

    // The outbox worker of this node (the resident's confirmation sends messages).
    let state = app.state.clone();
    let worker = tokio::spawn(async move {
        loop {
            let _ = police_square_server::features::notices::outbox::deliver_due(&state).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });

    // Each page as the person who works on it sees it.
    let staff_pages = serde_json::json!([
        ["station_a_handler", "/staff"],
        [
            "station_a_handler",
            format!("/staff/appeals/{}", s.accepted)
        ],
        ["a_supervisor", format!("/staff/appeals/{}", s.under_review)],
        ["a_supervisor", "/staff/supervision"],
        ["a_leader", "/staff/dashboard"],
        ["a_leader", "/staff/opinion"],
        ["a_leader", format!("/staff/alerts/{}", s.alert)],
        ["operator", "/staff/hotline?phone=13800001001"],
        ["admin", "/staff/admin"],
    ]);
    let shots = std::env::var("SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/browser"));
    let script = root.join("tests/browser/axe_pages.mjs");
    let base = app.base.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(&script)
            .current_dir(&root)
            .env("BASE_URL", &base)
            .env("STAFF_PASSWORD", PASSWORD)
            .env("STAFF_PAGES", staff_pages.to_string())
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
        "axe_pages.mjs failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains("[axe] PASS"), "script did not finish");
    // Every page was checked: 5 resident pages, the login page and the staff pages.
    assert!(
        stdout.contains("[axe] TOTAL pages=15 "),
        "not every page was checked:\n{stdout}"
    );
}
