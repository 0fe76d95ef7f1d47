//! Data on every page: appeals in each state of their life (received, accepted,
//! replied, closed, under review, reopened, rejected), pending extension and review
//! requests, an emerging-issue alert and a monthly report — for the tests that look at
//! every page as people see it (the zh-CN catalog scan, the axe-core pass).

use police_square_domain::org::UnitPath;
use police_square_store::{Id, NewEmergingAlert};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{TestApp, START};

/// What was seeded, for the pages that show one thing.
pub struct Seeded {
    /// Received, untouched (待受理) at 爱山派出所.
    pub received: Id,
    /// Accepted, with a pending extension request.
    pub accepted: Id,
    /// Replied, awaiting the resident's rating.
    pub replied: Id,
    /// Rated unsatisfied: closed with a pending review (复核).
    pub under_review: Id,
    /// Reopened (重办) after an approved review.
    pub reopened: Id,
    /// Rejected (不予受理).
    pub rejected: Id,
    /// Tracking code (raw) of `replied`, and its contact phone.
    pub replied_code: String,
    pub replied_phone: String,
    pub alert: Id,
    pub report: Id,
}

const HELP: &str = "help";

async fn submit(app: &TestApp, text: &str, phone: &str) -> (Id, String) {
    app.submitted(HELP, text, phone, app.units.station_a).await
}

/// Seeds the database behind `app` (clock at [`START`]).
pub async fn seed_every_state(app: &TestApp) -> Seeded {
    app.advance_to(START);
    let handler = app.login("station_a_handler").await;
    let supervisor = app.login("a_supervisor").await;

    let (received, _) = submit(
        app,
        "红旗路口的路灯坏了一个星期，晚上过马路看不清车。",
        "13800001001",
    )
    .await;

    let (accepted, _) = submit(
        app,
        "小区地下车库电瓶车充电线乱拉，担心起火，请派人看看。",
        "13800001002",
    )
    .await;
    handler.accept(accepted).await;
    handler
        .post_ok(
            &format!("/api/v1/appeals/{accepted}/extension"),
            json!({"days": 5, "reason": "需调取物业监控并走访住户，申请延期办理。"}),
            StatusCode::CREATED,
        )
        .await;

    let replied_phone = "13800001003";
    let (replied, replied_code) = app
        .submitted_and_replied(
            &handler,
            HELP,
            "爱山街道菜市场门口早上乱停车，公交车过不去。",
            replied_phone,
            "您好，我所已安排民警早高峰在菜市场门口疏导，并联系城管增设临时停车点。",
        )
        .await;

    let review_phone = "13800001004";
    let (under_review, review_code) = app
        .submitted_and_replied(
            &handler,
            HELP,
            "楼上邻居每天深夜唱歌，反映多次没有改善。",
            review_phone,
            "您好，民警已上门劝导，邻居承诺晚上十点后不再唱歌。",
        )
        .await;
    let resident = app.verify_resident(&review_code, review_phone).await;
    resident
        .rate(
            &review_code,
            json!({"resolved": false, "satisfaction": "unsatisfied"}),
        )
        .await;

    let reopen_phone = "13800001005";
    let (reopened, reopen_code) = app
        .submitted_and_replied(
            &handler,
            HELP,
            "小区门口的减速带被撞坏了，车开得很快。",
            reopen_phone,
            "您好，已通知物业修复减速带。",
        )
        .await;
    let resident = app.verify_resident(&reopen_code, reopen_phone).await;
    resident
        .rate(
            &reopen_code,
            json!({"resolved": false, "satisfaction": "unsatisfied"}),
        )
        .await;
    let view = supervisor.get_ok("/api/v1/supervision").await;
    let request = view["pending_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["appeal_id"] == reopened && r["kind"] == "review")
        .expect("review request")["id"]
        .as_i64()
        .unwrap();
    supervisor.decide(request, true).await;

    let (rejected, _) = submit(app, "同一件事重复提交：红旗路口路灯坏了。", "13800001006").await;
    handler
        .reject(rejected, "与已受理的诉求重复，已合并办理。")
        .await;

    let district_path: UnitPath = app
        .state
        .org()
        .unit(app.units.district_a)
        .expect("district a")
        .path
        .clone();
    let (alert, _) = app
        .stores
        .opinion
        .save_alert(&NewEmergingAlert {
            district_unit_id: app.units.district_a,
            unit_path: district_path,
            period_start: START - 3 * 86_400_000,
            period_end: START,
            keywords: vec!["路灯".into(), "红旗路".into()],
            categories: vec!["traffic".into()],
            appeal_ids: vec![received, rejected],
            observed: 2,
            expected: 0.2,
            p_value: 1e-4,
            detected_at: START,
        })
        .await
        .unwrap();

    let analyst = app.login("a_analyst").await;
    let report = analyst
        .post_ok(
            "/api/v1/reports",
            json!({"kind": "monthly", "date": "2026-03-04", "unit_id": app.units.district_a}),
            StatusCode::CREATED,
        )
        .await["report"]["id"]
        .as_i64()
        .unwrap();

    Seeded {
        received,
        accepted,
        replied,
        under_review,
        reopened,
        rejected,
        replied_code,
        replied_phone: replied_phone.into(),
        alert,
        report,
    }
}
