//! Headers and small leaks (issue 12): JSON is never cached, sniffed or framed, an
//! appeal out of scope looks missing, oversized headers and foreign origins are
//! refused.

use crate::common::{expect, spawn_app, Backend};
use reqwest::{header, StatusCode};
use serde_json::json;

const PHONE: &str = "13800001234";

on_both_backends!(
    json_answers_are_not_stored_sniffed_or_framed,
    an_appeal_out_of_scope_answers_404_like_a_missing_one,
    oversized_request_headers_are_refused_with_431,
    state_changing_requests_from_a_foreign_origin_are_refused,
);

fn assert_hardened(r: &reqwest::Response, what: &str) {
    let h = r.headers();
    assert_eq!(h[header::CACHE_CONTROL], "no-store", "{what}");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(
        h[header::CONTENT_SECURITY_POLICY],
        "default-src 'none'; frame-ancestors 'none'",
        "{what}"
    );
}

async fn json_answers_are_not_stored_sniffed_or_framed(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .submit("help", "家门口井盖丢了", PHONE, Some(app.units.station_a))
        .await;
    let id = created["id"].as_i64().unwrap();
    let handler = app.login("station_a_handler").await;
    let r = handler
        .post(&format!("/api/v1/appeals/{id}/reveal"), json!({}))
        .await;
    assert_hardened(&r, "reveal");
    assert_eq!(expect(r, StatusCode::OK).await["phone"], PHONE);
    let r = handler.get(&format!("/api/v1/appeals/{id}")).await;
    assert_hardened(&r, "detail");
    let r = app
        .http
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_hardened(&r, "error");
}

async fn an_appeal_out_of_scope_answers_404_like_a_missing_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .submit("help", "自行车被人锁住了", PHONE, Some(app.units.station_b))
        .await;
    let id = created["id"].as_i64().unwrap();
    let a = app.login("station_a_handler").await;
    let theirs = a.get(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    let theirs = theirs.text().await.unwrap();
    let missing = a.get(&format!("/api/v1/appeals/{}", id + 1000)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(theirs, missing.text().await.unwrap(), "indistinguishable");
    for action in ["accept", "reveal"] {
        let r = a
            .post(&format!("/api/v1/appeals/{id}/{action}"), json!({}))
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{action}");
    }
}

async fn oversized_request_headers_are_refused_with_431(backend: Backend) {
    let app = spawn_app(backend).await;
    let cookie = format!("ps_session={}", "a".repeat(100 * 1024));
    let r = app
        .http
        .get(app.url("/healthz"))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    // An ordinary request still passes.
    let r = app
        .http
        .get(app.url("/healthz"))
        .header(header::COOKIE, "ps_lang=zh")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn state_changing_requests_from_a_foreign_origin_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let login = |origin: String| {
        app.http
            .post(app.url("/api/v1/login"))
            .header(header::ORIGIN, origin)
            .header("sec-fetch-site", "cross-site")
            .json(&json!({"username": "station_a_handler", "password": crate::common::PASSWORD}))
            .send()
    };
    let r = login("https://evil.example".into()).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = login("null".into()).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The server's own origin passes (`null` too when the browser says it is
    // same-origin: our pages' no-referrer policy makes it send that); so does a read
    // from anywhere.
    let r = app
        .http
        .post(app.url("/api/v1/login"))
        .header(header::ORIGIN, "null")
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"username": "station_a_handler", "password": crate::common::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = login(app.base.clone()).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .http
        .get(app.url("/healthz"))
        .header(header::ORIGIN, "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}
