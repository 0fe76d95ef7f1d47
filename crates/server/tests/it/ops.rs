//! Health checks, request ids, background workers and graceful shutdown.

use std::time::Duration;

use crate::common::{expect, spawn_app, spawn_app_with, Backend};
use police_square_server::serve_with_state;
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(
    health_and_readiness,
    workers_deliver_the_outbox,
    transfer_with_approval_and_rejection,
);

async fn health_and_readiness(backend: Backend) {
    let app = spawn_app(backend).await;
    let r = app.get("/healthz").await;
    assert!(r.headers().contains_key("x-request-id"));
    expect(r, StatusCode::OK).await;
    let ready = expect(app.get("/readyz").await, StatusCode::OK).await;
    assert_eq!(
        ready["backend"],
        match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    );
    let doc = expect(app.get("/api/openapi.json").await, StatusCode::OK).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let r = app.get("/api/v1/nothing").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn workers_deliver_the_outbox(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.workers = true;
        c.jobs.poll_ms = 50;
        c.jobs.outbox_poll_ms = 50;
    })
    .await;
    // `spawn_app` serves without workers; run a second, working server on the same
    // state and stop it gracefully afterwards.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_with_state(
        app.state.clone(),
        axum::Router::new(),
        listener,
        async move {
            let _ = stopped.await;
        },
    ));
    let created = app
        .submit("consultation", "护照办理需要多久", "13800001234", None)
        .await;
    let code = created["tracking_code"].as_str().unwrap();
    let r = app.ask_for_otp(code).await;
    expect(r, StatusCode::OK).await;
    let mut delivered = false;
    for _ in 0..100 {
        let messages = police_square_notify::LogTransport::read_messages(&app.notify_log).unwrap();
        if messages
            .iter()
            .any(|m| m.template == "otp" && m.to == "13800001234")
        {
            delivered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(delivered, "the outbox worker sent the one-time code");
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .expect("graceful shutdown")
        .unwrap()
        .unwrap();
}

async fn transfer_with_approval_and_rejection(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.transfer_requires_approval = true).await;
    let (id, _) = app
        .submitted(
            "help",
            "邻居家狗每天夜里叫，影响休息",
            "13800001234",
            app.units.station_a,
        )
        .await;
    let handler = app.login("station_a_handler").await;
    let out = handler
        .post_ok(
            &format!("/api/v1/appeals/{id}/transfer"),
            json!({"to_unit_id": app.units.station_b, "reason": "属月河辖区"}),
            StatusCode::ACCEPTED,
        )
        .await;
    assert_eq!(out["outcome"], "requested");
    let detail = handler.get_ok(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(
        detail["appeal"]["status"], "received",
        "nothing moves before approval"
    );
    let supervisor = app.login("a_supervisor").await;
    supervisor.decide(&out["request"]["id"], true).await;
    let b = app.login("station_b_handler").await;
    let detail = b.get_ok(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(detail["appeal"]["status"], "transferred");
    assert_eq!(detail["appeal"]["unit_id"], app.units.station_b);

    // 不予受理 with a reason the resident reads, and an SMS.
    b.accept(id).await;
    let rejected = b.reject(id, "属民事纠纷，建议通过社区调解解决").await;
    assert_eq!(rejected["status"], "rejected");
    assert!(app
        .latest_message("13800001234", "rejected")
        .await
        .is_some());
}
