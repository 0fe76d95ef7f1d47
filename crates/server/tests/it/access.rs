//! Who may see and do what, on both backends.

use crate::common::{expect, spawn_app, Backend, CONDUCT_COMPLAINT};
use reqwest::StatusCode;
use serde_json::json;

const PHONE: &str = "13800001234";

on_both_backends!(
    stations_cannot_touch_each_others_appeals,
    conduct_complaints_are_hidden_from_the_accused_unit,
    personal_data_reveal_and_caller_lookup_are_audited,
);

async fn stations_cannot_touch_each_others_appeals(backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, _) = app
        .submitted(
            "help",
            "自行车被人锁住了，请帮忙",
            PHONE,
            app.units.station_b,
        )
        .await;
    // Out of scope answers 404 like a missing appeal (403 told which ids exist).
    let a = app.login("station_a_handler").await;
    assert_eq!(
        a.get(&format!("/api/v1/appeals/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    for action in ["accept", "close", "reveal"] {
        let r = a
            .post(&format!("/api/v1/appeals/{id}/{action}"), json!({}))
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{action}");
    }
    let r = a
        .post(&format!("/api/v1/appeals/{id}/reply"), json!({"text": "x"}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let inbox = a.get_ok("/api/v1/appeals").await;
    assert!(!inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id));
    // The district above both sees it; leaders and analysts read but do not act.
    let leader = app.login("a_leader").await;
    leader.get_ok(&format!("/api/v1/appeals/{id}")).await;
    let r = leader
        .post(&format!("/api/v1/appeals/{id}/accept"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let analyst = app.login("a_analyst").await;
    let r = analyst
        .post(&format!("/api/v1/appeals/{id}/accept"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Another district sees nothing of it.
    let c = app.login("station_c_handler").await;
    assert_eq!(
        c.get(&format!("/api/v1/appeals/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    // Assigning to an officer of another unit is refused.
    let b = app.login("station_b_handler").await;
    b.accept(id).await;
    let outsider = app.staff_id("station_a_handler").await;
    let r = b
        .post(
            &format!("/api/v1/appeals/{id}/assign"),
            json!({"assignee_id": outsider}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn conduct_complaints_are_hidden_from_the_accused_unit(backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, _) = app
        .submitted("complaint", CONDUCT_COMPLAINT, PHONE, app.units.station_a)
        .await;
    // It goes to the district bureau's office, about station A.
    let supervisor = app.login("a_supervisor").await;
    let detail = supervisor.get_ok(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(detail["appeal"]["category"], "conduct");
    assert_eq!(detail["appeal"]["unit_id"], app.units.district_a_office);
    assert_eq!(detail["appeal"]["subject_unit_id"], app.units.station_a);
    let inbox = supervisor.get_ok("/api/v1/appeals").await;
    assert!(inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id));

    // Invisible to everyone else: handlers and supervisors of the accused station,
    // leaders and analysts — not even its existence (404), never in an inbox.
    for who in [
        "station_a_handler",
        "station_a_supervisor",
        "a_leader",
        "a_analyst",
        "city_leader",
    ] {
        let s = app.login(who).await;
        let r = s.get(&format!("/api/v1/appeals/{id}")).await;
        assert!(
            r.status() == StatusCode::NOT_FOUND || r.status() == StatusCode::FORBIDDEN,
            "{who}: {}",
            r.status()
        );
        let inbox = s.get_ok("/api/v1/appeals?category=conduct").await;
        assert!(
            !inbox["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["id"] == id),
            "{who} sees it in the inbox"
        );
        let r = s
            .post(&format!("/api/v1/appeals/{id}/accept"), json!({}))
            .await;
        assert!(r.status() == StatusCode::NOT_FOUND || r.status() == StatusCode::FORBIDDEN);
    }
    let r = app
        .login("a_leader")
        .await
        .get(&format!("/api/v1/appeals/{id}"))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // The supervisor handles it.
    supervisor.accept(id).await;
}

async fn personal_data_reveal_and_caller_lookup_are_audited(backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, _) = app
        .submitted("help", "家门口井盖丢了", PHONE, app.units.station_a)
        .await;
    let handler = app.login("station_a_handler").await;
    let detail = handler.get_ok(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(detail["appeal"]["phone_masked"], "138****1234");
    assert!(
        !detail.to_string().contains(PHONE),
        "masked unless revealed"
    );
    let revealed = handler
        .post_ok(
            &format!("/api/v1/appeals/{id}/reveal"),
            json!({}),
            StatusCode::OK,
        )
        .await;
    assert_eq!(revealed["phone"], PHONE);
    assert_eq!(revealed["name"], "张三");
    // Leaders may not reveal.
    let r = app
        .login("a_leader")
        .await
        .post(&format!("/api/v1/appeals/{id}/reveal"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The hotline operator finds the caller's earlier appeals by phone.
    let operator = app.login("operator").await;
    let history = operator
        .post_ok(
            "/api/v1/callers/lookup",
            json!({"phone": "138-0000-1234"}),
            StatusCode::OK,
        )
        .await;
    assert!(history.as_array().unwrap().iter().any(|h| h["id"] == id));
    // …and records a call on the caller's behalf.
    let r = app
        .http
        .post(app.url("/api/v1/appeals"))
        .header("cookie", &operator.cookie)
        .header("x-csrf-token", &operator.csrf)
        .json(&json!({"kind": "help", "text": "来电：井盖还没修", "channel": "hotline", "contact_phone": PHONE}))
        .send()
        .await
        .unwrap();
    expect(r, StatusCode::CREATED).await;

    let audit = app.stores.audit.audit_entries(0, 200).await.unwrap();
    let reveal = audit
        .iter()
        .find(|e| e.action == "pii.reveal")
        .expect("reveal audited");
    assert_eq!(reveal.subject, format!("appeal:{id}"));
    assert!(audit.iter().any(|e| e.action == "pii.phone_lookup"));
    assert!(
        audit
            .iter()
            .all(|e| !e.detail.contains(PHONE) && !e.subject.contains(PHONE)),
        "no phone in the audit trail"
    );
}
