//! Hostile and malformed input, idempotency and throttling, on both backends.

use crate::common::{self, expect, spawn_app, Backend};
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

const PHONE: &str = "13800001234";

on_both_backends!(
    script_text_is_stored_verbatim_and_served_as_json,
    oversized_and_malformed_bodies_are_refused_clearly,
    csrf_token_is_required_with_a_session,
    random_tracking_codes_find_nothing_then_are_rate_limited,
    same_idempotency_key_gives_one_appeal,
    login_is_throttled,
    one_time_codes_lock_out_after_wrong_attempts,
);

async fn script_text_is_stored_verbatim_and_served_as_json(backend: Backend) {
    let app = spawn_app(backend).await;
    let text = "<script>alert('x')</script><b>烧烤摊</b> & \"噪音\"";
    let (id, _) = app
        .submitted("complaint", text, PHONE, app.units.station_a)
        .await;
    let handler = app.login("station_a_handler").await;
    let r = handler.get(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["appeal"]["text"], text, "stored and returned verbatim");
    // Names are personal data: sealed, and `<script>` in them changes nothing.
    let r = app
        .submit_raw(
            json!({"kind": "help", "text": "求助", "channel": "web",
                   "contact_phone": PHONE, "name": "<img src=x onerror=alert(1)>"}),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

async fn oversized_and_malformed_bodies_are_refused_clearly(backend: Backend) {
    let app = spawn_app(backend).await;
    let post = |body: Vec<u8>| {
        app.http
            .post(app.url("/api/v1/appeals"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
    };
    // 1 MB → 413.
    let big = format!(
        "{{\"kind\":\"help\",\"channel\":\"web\",\"contact_phone\":\"{PHONE}\",\"text\":\"{}\"}}",
        "a".repeat(1024 * 1024)
    );
    // On its own connection: the server answers 413 without reading the rest of the
    // body and then closes that connection, which a pooled client could reuse.
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/appeals"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(big.into_bytes())
        .send()
        .await
        .unwrap();
    let e = expect(r, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(e["error"]["code"], "payload_too_large");

    // Broken JSON → 400 saying where.
    let r = post(b"{\"kind\": \"help\", ".to_vec()).await.unwrap();
    let e = expect(r, StatusCode::BAD_REQUEST).await;
    assert!(
        e["error"]["message"].as_str().unwrap().contains("JSON"),
        "{e}"
    );

    // Invalid UTF-8 → 400.
    let mut bytes =
        b"{\"kind\":\"help\",\"channel\":\"web\",\"contact_phone\":\"13800001234\",\"text\":\""
            .to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0x80]);
    bytes.extend_from_slice(b"\"}");
    let r = post(bytes).await.unwrap();
    expect(r, StatusCode::BAD_REQUEST).await;

    // Unknown value, unknown field, missing field → 422 naming the field.
    for (body, field) in [
        (
            json!({"kind": "rumour", "text": "x", "channel": "web", "contact_phone": PHONE}),
            "kind",
        ),
        (
            json!({"kind": "help", "text": "x", "channel": "web", "contact_phone": PHONE, "vip": true}),
            "vip",
        ),
        (
            json!({"kind": "help", "text": "x", "channel": "web"}),
            "contact_phone",
        ),
        (
            json!({"kind": "help", "text": "x", "channel": "web", "contact_phone": "call me"}),
            "contact_phone",
        ),
        (
            json!({"kind": "help", "text": "   ", "channel": "web", "contact_phone": PHONE}),
            "text",
        ),
    ] {
        let r = app.submit_raw(body, None).await;
        let e = expect(r, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(
            e["error"]["message"].as_str().unwrap().contains(field),
            "message should name `{field}`: {e}"
        );
    }

    // Not JSON at all → 415.
    let r = app
        .http
        .post(app.url("/api/v1/appeals"))
        .body("kind=help")
        .send()
        .await
        .unwrap();
    expect(r, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
}

async fn csrf_token_is_required_with_a_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, _) = app
        .submitted("help", "钥匙丢了想咨询开锁", PHONE, app.units.station_a)
        .await;
    let handler = app.login("station_a_handler").await;
    let url = app.url(&format!("/api/v1/appeals/{id}/accept"));
    let missing = app
        .http
        .post(&url)
        .header(header::COOKIE, &handler.cookie)
        .send()
        .await
        .unwrap();
    let e = expect(missing, StatusCode::FORBIDDEN).await;
    assert_eq!(e["error"]["code"], "csrf");
    let wrong = app
        .http
        .post(&url)
        .header(header::COOKIE, &handler.cookie)
        .header("x-csrf-token", "0".repeat(64))
        .send()
        .await
        .unwrap();
    expect(wrong, StatusCode::FORBIDDEN).await;
    // The form field works as well as the header.
    let form = app
        .http
        .post(&url)
        .header(header::COOKIE, &handler.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!("_csrf={}", handler.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    // Nothing changed on the refused attempts: one accepted event.
    let kinds = app.event_kinds(id).await;
    assert_eq!(kinds.iter().filter(|k| *k == "accepted").count(), 1);
    // Without a session: 401, not 403.
    let r = app.get("/api/v1/appeals").await;
    expect(r, StatusCode::UNAUTHORIZED).await;
}

async fn random_tracking_codes_find_nothing_then_are_rate_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .submit("consultation", "户口迁移需要什么材料", PHONE, None)
        .await;
    let real = created["tracking_code"].as_str().unwrap().to_owned();
    let limit = app.state.config.limits.track_lookups_per_window;
    let mut statuses = Vec::new();
    for i in 0..(limit + 3) {
        let code = police_square_domain::tracking::encode([i as u8; 10]);
        let r = app.get(&format!("/api/v1/track/{code}")).await;
        statuses.push(r.status());
    }
    assert!(statuses[..limit as usize]
        .iter()
        .all(|s| *s == StatusCode::NOT_FOUND));
    assert_eq!(*statuses.last().unwrap(), StatusCode::TOO_MANY_REQUESTS);
    // Once limited, even a real code answers 429: the limit reveals nothing.
    let r = app.get(&format!("/api/v1/track/{real}")).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key(header::RETRY_AFTER));
    // After the window, lookups work again.
    app.clock.advance(std::time::Duration::from_secs(
        60 * (app.state.config.limits.track_window_minutes as u64 + 1),
    ));
    let r = app.get(&format!("/api/v1/track/{real}")).await;
    assert_eq!(r.status(), StatusCode::OK);
}

async fn same_idempotency_key_gives_one_appeal(backend: Backend) {
    let app = spawn_app(backend).await;
    let body = json!({"kind": "report", "text": "有人在河边电鱼", "channel": "api", "contact_phone": PHONE});
    let first = expect(
        app.submit_raw(body.clone(), Some("k-123")).await,
        StatusCode::CREATED,
    )
    .await;
    let again = expect(
        app.submit_raw(body.clone(), Some("k-123")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(first["id"], again["id"]);
    assert_eq!(first["tracking_code"], again["tracking_code"]);
    assert_eq!(app.stores.rates.count_appeals().await.unwrap(), 1);

    // Concurrent retries with one key still make one appeal.
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let http = app.http.clone();
            let url = app.url("/api/v1/appeals");
            let body = json!({"kind": "report", "text": "有人在河边电鱼", "channel": "api", "contact_phone": "13911112222"});
            tokio::spawn(async move {
                http.post(url)
                    .header("idempotency-key", "burst")
                    .json(&body)
                    .send()
                    .await
                    .unwrap()
                    .json::<Value>()
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut ids = Vec::new();
    for h in handles {
        ids.push(h.await.unwrap()["id"].clone());
    }
    assert!(ids.iter().all(|i| *i == ids[0] && i.is_i64()), "{ids:?}");
    assert_eq!(app.stores.rates.count_appeals().await.unwrap(), 2);

    // Someone else's key reuse (another phone) never returns this appeal.
    let other = json!({"kind": "report", "text": "有人在河边电鱼", "channel": "api", "contact_phone": "13700000000"});
    let theirs = expect(
        app.submit_raw(other, Some("k-123")).await,
        StatusCode::CREATED,
    )
    .await;
    assert_ne!(theirs["id"], first["id"]);
}

async fn login_is_throttled(backend: Backend) {
    let app = spawn_app(backend).await;
    let attempt = |password: &'static str| {
        app.http
            .post(app.url("/api/v1/login"))
            .json(&json!({"username": "station_a_handler", "password": password}))
            .send()
    };
    for _ in 0..app.state.config.limits.login_max_failures {
        let r = attempt("wrong").await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while throttled.
    let r = attempt(common::PASSWORD).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(std::time::Duration::from_secs(16 * 60));
    let r = attempt(common::PASSWORD).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let audit = app.stores.audit.audit_entries(0, 100).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "staff.login_failed"));
    assert!(audit.iter().any(|e| e.action == "staff.login"));
}

async fn one_time_codes_lock_out_after_wrong_attempts(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .submit("consultation", "驾驶证换证流程", PHONE, None)
        .await;
    let code = created["tracking_code"].as_str().unwrap().to_owned();
    let otp = app.request_otp(&code, PHONE).await;
    let verify = |otp: String| {
        app.http
            .post(app.url(&format!("/api/v1/track/{code}/verify")))
            .json(&json!({ "otp": otp }))
            .send()
    };
    let wrong = if otp == "000000" { "111111" } else { "000000" };
    for _ in 0..app.state.config.limits.otp_max_attempts {
        let r = verify(wrong.into()).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // Locked out: even the right code, and new codes, are refused for now.
    assert_eq!(
        verify(otp.clone()).await.unwrap().status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let r = app.ask_for_otp(&code).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // After the lockout a fresh code works.
    app.clock.advance(std::time::Duration::from_secs(61));
    let resident = app.verify_resident(&code, PHONE).await;
    let mine = resident.get_ok(&format!("/api/v1/track/{code}")).await;
    assert_eq!(mine["verified"], true);
}
