//! Runs `tests/browser/axe_pages.mjs` (axe-core in headless Chromium) over the resident
//! pages and the main staff pages of a real server on 127.0.0.1:0, with appeals in
//! every state, requests, an alert and a report on them. Any serious or critical
//! accessibility violation fails the test (status badges once had 3.88:1 contrast).
//! Missing node, chromium, playwright-core or axe-core is a failure with a clear
//! message, never a silent skip.

use crate::browser_support::{check_prerequisites, run_script, workspace_root};
use crate::common::{Backend, PASSWORD};
use crate::pages_support::{seed::seed_every_state, spawn_pages_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_and_staff_pages_have_no_serious_accessibility_violations() {
    check_prerequisites(&workspace_root(), &["playwright-core", "axe-core"]);
    let app = spawn_pages_app(Backend::Sqlite).await;
    let s = seed_every_state(&app).await;

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
    let env = vec![
        ("STAFF_PASSWORD", PASSWORD.to_owned()),
        ("STAFF_PAGES", staff_pages.to_string()),
    ];
    let stdout = run_script(&app, "axe_pages.mjs", env, "[axe] PASS").await;
    // Every page was checked: 5 resident pages, the login page and the staff pages.
    assert!(
        stdout.contains("[axe] TOTAL pages=15 "),
        "not every page was checked:\n{stdout}"
    );
}
