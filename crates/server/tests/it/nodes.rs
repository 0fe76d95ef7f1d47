//! Two nodes over one database run the deadline job at once: exactly one reminder and
//! one escalation per case.

use std::sync::Arc;

use crate::common::{self, spawn_app, Backend};
use police_square_server::{
    app::jobs,
    features::{notices::outbox, supervision},
    AppState,
};

on_both_backends!(two_nodes_send_exactly_one_reminder_per_case);

async fn two_nodes_send_exactly_one_reminder_per_case(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut ids = Vec::new();
    let mut latest_due = 0;
    for i in 0..12 {
        let created = app
            .submit(
                "report",
                &format!("第{i}号楼下有人长期占道经营，影响通行"),
                &format!("1380000{:04}", i),
                Some(app.units.station_a),
            )
            .await;
        ids.push(created["id"].as_i64().unwrap());
        latest_due = latest_due.max(created["due_at"].as_i64().unwrap());
    }
    // Each resident is first texted the tracking code (one message per appeal).
    let intake = outbox::deliver_due(&app.state).await.unwrap();
    assert_eq!(intake.sent, 12);
    // A second node: its own connection pool (for PostgreSQL), same database.
    let store2 = match &app.database {
        Some(db) => police_square_store::connect(&db.url).await.unwrap(),
        None => app.stores.clone(),
    };
    let mut config2 = common::base_config(&app.notify_log);
    config2.node_id = "test-node-2".into();
    let node2 = AppState::with_parts(
        config2,
        store2,
        app.clock.clone(),
        Arc::new(police_square_notify::LogTransport::new(&app.notify_log)),
    )
    .await
    .unwrap();
    let node1 = app.state.clone();

    for (at, level) in [
        (latest_due - 3_600_000, "reminded"),
        (latest_due + 3_600_000, "escalated"),
    ] {
        app.advance_to(at);
        // Both through the jobs table and directly, all at once.
        jobs::schedule_periodic(&node1, true).await.unwrap();
        let (a, b, c, d) = tokio::join!(
            jobs::run_due_jobs(&node1),
            jobs::run_due_jobs(&node2),
            supervision::deadline_scan(&node1),
            supervision::deadline_scan(&node2),
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        c.unwrap();
        d.unwrap();
        assert!(a + b >= 1, "the scheduled job ran on one node");
        for id in &ids {
            let kinds = app.event_kinds(*id).await;
            assert_eq!(
                kinds.iter().filter(|k| *k == level).count(),
                1,
                "appeal {id}: {kinds:?}"
            );
        }
    }
    // One outbox message per case per level: 12 reminders + 12 escalations.
    let r1 = outbox::deliver_due(&node1).await.unwrap();
    let r2 = outbox::deliver_due(&node2).await.unwrap();
    assert_eq!(r1.sent + r2.sent, 24);
    let messages = police_square_notify::LogTransport::read_messages(&app.notify_log).unwrap();
    assert_eq!(
        messages.iter().filter(|m| m.template == "reminder").count(),
        12
    );
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.template == "escalation")
            .count(),
        12
    );
}
