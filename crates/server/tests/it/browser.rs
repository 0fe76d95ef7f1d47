//! Runs `tests/browser/resident_flow.mjs` (playwright-core driving Debian's headless
//! Chromium) against a real server on 127.0.0.1:0 with a fresh SQLite database, the
//! fixture staff accounts and the log transport. Screenshots land in
//! `target/browser/`. Missing node, chromium or playwright-core is a failure with a
//! clear message, never a silent skip.

use crate::browser_support::{check_prerequisites, run_script, workspace_root};
use crate::common::{Backend, PASSWORD};
use crate::pages_support::spawn_pages_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resident_flow_in_headless_chromium() {
    check_prerequisites(&workspace_root(), &["playwright-core"]);
    let app = spawn_pages_app(Backend::Sqlite).await;
    let env = vec![
        ("NOTIFY_LOG", app.notify_log.display().to_string()),
        ("STAFF_USER", "station_a_handler".to_owned()),
        ("STAFF_PASSWORD", PASSWORD.to_owned()),
    ];
    run_script(&app, "resident_flow.mjs", env, "[resident_flow] PASS").await;

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
    let appeal = app.appeal(id).await;
    assert_eq!(appeal.rating_resolved, Some(true));
    assert_eq!(
        appeal.rating_satisfaction,
        Some(police_square_domain::Satisfaction::Satisfied)
    );
}
