//! Sign-in throttling that holds attackers back and lets officers in (issue 12): per
//! account and address with backoff, sliding windows from the failures' own times, a
//! truthful `Retry-After`, spraying across accounts, and the same for one-time codes.

use crate::common::{self, expect, spawn_app_with, Backend, TestApp};
use reqwest::{header, Response, StatusCode};
use serde_json::json;
use std::time::Duration;

on_both_backends!(
    the_right_password_from_another_address_is_accepted_while_the_attacker_waits,
    the_wait_slides_across_the_quarter_hour_and_retry_after_is_the_real_wait,
    an_account_under_attack_still_lets_its_officer_in_from_a_known_address_or_session,
    spraying_across_accounts_is_held_back_and_audited,
    a_guessed_tracking_code_does_not_lock_the_resident_out,
);

const ATTACKER: &str = "203.0.113.9";
const OFFICE: &str = "198.51.100.7";
const PHONE: &str = "13800001234";

/// A server that takes the client address from `X-Forwarded-For` (so one test can
/// play several addresses), with `login_max_failures = 2`.
async fn app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |c| {
        c.trust_forwarded_for = true;
        c.limits.login_max_failures = 2;
    })
    .await
}

async fn login(app: &TestApp, from: &str, username: &str, password: &str) -> Response {
    app.http
        .post(app.url("/api/v1/login"))
        .header("x-forwarded-for", from)
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .unwrap()
}

fn retry_after(r: &Response) -> u64 {
    r.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

async fn the_right_password_from_another_address_is_accepted_while_the_attacker_waits(
    backend: Backend,
) {
    let app = app(backend).await;
    for _ in 0..2 {
        let r = login(&app, ATTACKER, "station_a_handler", "wrong").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // The attacker is held back, even with the right password...
    let r = login(&app, ATTACKER, "station_a_handler", common::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // ...the officer at another address is not.
    let r = login(&app, OFFICE, "station_a_handler", common::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
}

async fn the_wait_slides_across_the_quarter_hour_and_retry_after_is_the_real_wait(
    backend: Backend,
) {
    let app = app(backend).await;
    // START is on a quarter hour; begin 10 s before the next one.
    let boundary = common::START + 15 * 60_000;
    app.advance_to(boundary - 10_000);
    // Guess, wait out each Retry-After exactly, guess again: the waits double.
    let mut waits = Vec::new();
    for _ in 0..5 {
        let r = login(&app, ATTACKER, "station_a_handler", "wrong").await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            let wait = retry_after(&r);
            waits.push(wait);
            // One second short of the wait it is still refused; at the wait, let in.
            app.clock.advance(Duration::from_secs(wait - 1));
            let early = login(&app, ATTACKER, "station_a_handler", "wrong").await;
            assert_eq!(early.status(), StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(retry_after(&early), 1);
            app.clock.advance(Duration::from_secs(1));
        } else {
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(
        waits,
        vec![2, 4],
        "exponential backoff after 2 free failures"
    );
    // The next wait is 8 s and the quarter hour falls inside it: nothing resets there.
    let r = login(&app, ATTACKER, "station_a_handler", "wrong").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = login(&app, ATTACKER, "station_a_handler", common::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&r), 8);
    assert!(app.clock_now() < boundary && app.clock_now() + 7_000 > boundary);
    app.clock.advance(Duration::from_secs(7));
    let r = login(&app, ATTACKER, "station_a_handler", common::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "no reset at :15");
    assert_eq!(retry_after(&r), 1);
    app.clock.advance(Duration::from_secs(1));
    let r = login(&app, ATTACKER, "station_a_handler", common::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
}

async fn an_account_under_attack_still_lets_its_officer_in_from_a_known_address_or_session(
    backend: Backend,
) {
    let app = app(backend).await;
    // The officer signed in from the office before.
    let r = login(&app, OFFICE, "station_a_handler", common::PASSWORD).await;
    let cookie = common::set_cookie(&r, "ps_session");
    let csrf = r.json::<serde_json::Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    // Eight addresses, one guess each: the account's ceiling (4 × 2) is reached.
    for i in 0..8 {
        let r = login(&app, &format!("203.0.113.{i}"), "station_a_handler", "x").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // A new address waits, even with the right password.
    let r = login(&app, "192.0.2.1", "station_a_handler", common::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // The office, known to the account, is let in.
    let r = login(&app, OFFICE, "station_a_handler", common::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
    // So is the officer's live session from a new address (e.g. a phone hotspot).
    let r = app
        .http
        .post(app.url("/api/v1/login"))
        .header("x-forwarded-for", "192.0.2.2")
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &csrf)
        .json(&json!({ "username": "station_a_handler", "password": common::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

async fn spraying_across_accounts_is_held_back_and_audited(backend: Backend) {
    let app = app(backend).await;
    // One guess on each of 12 accounts (6 × 2 failures hold the address back).
    for i in 0..12 {
        let r = login(&app, ATTACKER, &format!("officer{i}"), "123456").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "guess {i}");
        app.clock.advance(Duration::from_secs(10));
    }
    let r = login(&app, ATTACKER, "station_b_handler", common::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Until the oldest guess leaves the 15-minute window.
    assert_eq!(retry_after(&r), 15 * 60 - 120);
    // Audited once for the address, with no account named.
    let audit = app.stores.audit.audit_entries(0, 1000).await.unwrap();
    let spraying: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "security.password_spraying")
        .collect();
    assert_eq!(spraying.len(), 1, "{spraying:?}");
    assert_eq!(spraying[0].subject, format!("address:{ATTACKER}"));
    // Other addresses are not affected.
    let r = login(&app, OFFICE, "station_b_handler", common::PASSWORD).await;
    assert_eq!(r.status(), StatusCode::OK);
}

async fn a_guessed_tracking_code_does_not_lock_the_resident_out(backend: Backend) {
    let app = app(backend).await;
    let created = app
        .submit("consultation", "驾驶证换证流程", PHONE, None)
        .await;
    let code = created["tracking_code"].as_str().unwrap().to_owned();
    let guess = |otp: String| {
        app.http
            .post(app.url(&format!("/api/v1/track/{code}/verify")))
            .header("x-forwarded-for", ATTACKER)
            .json(&json!({ "otp": otp }))
            .send()
    };
    let sent = app.request_otp(&code, PHONE).await;
    let mut wrong = (0..7).map(|i| format!("{i:06}")).filter(|g| *g != sent);
    for _ in 0..5 {
        let r = guess(wrong.next().unwrap()).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = guess(wrong.next().unwrap()).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&r), 60);
    // The resident, at their own address, asks for a code and signs in.
    let resident = app.verify_resident(&code, PHONE).await;
    let mine = expect(
        resident.get(&format!("/api/v1/track/{code}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(mine["verified"], true);
}
