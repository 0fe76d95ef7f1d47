//! Supervisors and leaders on the console: a review says what approving does and takes
//! a comment; the three-rates table ranks units among their peers only on enough rated
//! cases, sorts, marks the weakest and links down to each unit's appeals; and figures
//! that differ between pages say why.

use crate::common::{Backend, TestApp};
use crate::pages_support::{spawn_pages_app, Browser};
use police_square_domain::org::UnitPath;
use police_square_store::{Id, NewEmergingAlert, RequestKind, RequestState};
use reqwest::StatusCode;
use serde_json::json;

/// An appeal at `unit` accepted, replied and rated by its resident; returns its id.
async fn rated(app: &TestApp, unit: Id, phone: &str, satisfied: bool) -> Id {
    let (id, code) = app
        .submitted(
            "help",
            "小区门口的路灯不亮了，晚上走路看不清。",
            phone,
            unit,
        )
        .await;
    let handler = match unit {
        u if u == app.units.station_b => "station_b_handler",
        u if u == app.units.station_c => "station_c_handler",
        _ => "station_a_handler",
    };
    let handler = app.login(handler).await;
    handler.accept(id).await;
    handler
        .reply(id, "您好，已联系物业更换灯泡，路灯已恢复。")
        .await;
    let resident = app.verify_resident(&code, phone).await;
    let (resolved, satisfaction) = if satisfied {
        (true, "satisfied")
    } else {
        (false, "unsatisfied")
    };
    resident
        .rate(
            &code,
            json!({"resolved": resolved, "satisfaction": satisfaction}),
        )
        .await;
    id
}

/// The cells of the table row whose first cell links to `unit`.
fn row_of(body: &str, unit: Id) -> String {
    let marker = format!("href=\"/staff?unit={unit}&amp;from=");
    let marker_raw = format!("href=\"/staff?unit={unit}&from=");
    let at = body
        .find(&marker)
        .or_else(|| body.find(&marker_raw))
        .unwrap_or_else(|| panic!("no row links to unit {unit}:\n{body}"));
    let start = body[..at].rfind("<tr").unwrap();
    let end = at + body[at..].find("</tr>").unwrap();
    body[start..end].to_owned()
}

on_both_backends!(
    a_review_says_what_approving_does_and_takes_a_comment,
    units_are_ranked_among_peers_only_on_enough_rated_cases,
    figures_that_differ_between_pages_say_why,
);

async fn a_review_says_what_approving_does_and_takes_a_comment(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let id = rated(&app, app.units.station_a, "13800002001", false).await;
    let request = app
        .stores
        .supervision
        .requests_for(id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == RequestKind::Review)
        .expect("review opened");

    let mut sup = Browser::new(&app);
    sup.login("a_supervisor").await;
    let page = sup.get("/staff/supervision").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("批准后将重办");
    page.assert_contains("群众评价不满意");
    page.assert_contains("name=\"comment\"");
    assert!(!page.body.contains("unsatisfied rating"), "{}", page.body);
    let case = sup.get(&format!("/staff/appeals/{id}")).await;
    case.assert_contains("批准后将重办");
    assert!(!case.body.contains("unsatisfied rating"));

    // Refusing a review without a reason decides nothing and says so.
    let decide = format!("/staff/requests/{}/decide", request.id);
    let r = sup
        .post_ok(
            &page,
            &decide,
            &[("approve", "0"), ("next", "/staff/supervision")],
            StatusCode::SEE_OTHER,
        )
        .await;
    let back = sup.get(r.location.as_deref().unwrap()).await;
    back.assert_contains("id=\"decide-error\"");
    let still = app
        .stores
        .supervision
        .request(request.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.state, RequestState::Pending);

    // Approving with a comment reopens the case and keeps the comment on it.
    let comment = "群众反映路灯仍不亮，请重新核实并当面回访。";
    sup.post_ok(
        &back,
        &decide,
        &[
            ("approve", "1"),
            ("comment", comment),
            ("next", &format!("/staff/appeals/{id}")),
        ],
        StatusCode::SEE_OTHER,
    )
    .await;
    let decided = app
        .stores
        .supervision
        .request(request.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(decided.state, RequestState::Approved);
    assert_eq!(decided.decision_note.as_deref(), Some(comment));
    let appeal = app.appeal(id).await;
    assert_eq!(appeal.status.as_str(), "reopened");
    let case = sup.get(&format!("/staff/appeals/{id}")).await;
    case.assert_contains(comment);
}

async fn units_are_ranked_among_peers_only_on_enough_rated_cases(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    app.stores.settings
        .put_setting(
            "rate_weights",
            r#"{"response":0.1,"resolution":0.45,"satisfaction":0.45,"basic_counts_as":1.0,"min_rated":2}"#,
        )
        .await
        .unwrap();
    app.state.reload_settings().await.unwrap();
    let u = &app.units;
    rated(&app, u.station_a, "13800002101", true).await;
    rated(&app, u.station_a, "13800002102", true).await;
    rated(&app, u.station_b, "13800002103", true).await;
    rated(&app, u.station_b, "13800002104", false).await;
    // One perfect rated case is not enough to rank a unit.
    rated(&app, u.station_c, "13800002105", true).await;
    // Periods end at "now": look an hour later, when the appeals are inside them.
    app.advance_to(app.clock_now() + 3_600_000);

    let mut leader = Browser::new(&app);
    leader.login("city_leader").await;
    let page = leader.get("/staff/dashboard").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The composite score shows its formula and the minimum sample.
    page.assert_contains("综合得分 = 响应率 × 10% + 解决率 × 45% + 满意率 × 45%");
    page.assert_contains("群众评价少于 2 件的单位显示");
    let a = row_of(&page.body, u.station_a);
    let b = row_of(&page.body, u.station_b);
    let c = row_of(&page.body, u.station_c);
    let district_b = row_of(&page.body, u.district_b);
    assert!(a.contains(">1 / 2<"), "{a}");
    assert!(
        b.contains(">2 / 2<") && b.contains("weakest") && b.contains("末位"),
        "{b}"
    );
    assert!(!a.contains("weakest"), "{a}");
    assert!(c.contains("样本不足") && !c.contains(" / "), "{c}");
    assert!(district_b.contains("样本不足"), "{district_b}");
    // Every rate shows its count.
    assert!(a.contains("100.0% (2/2)"), "{a}");

    // Sorted by satisfaction: best first, the unit tree flattened.
    let sorted = leader
        .get("/staff/dashboard?period=30d&sort=satisfaction")
        .await;
    assert_eq!(sorted.status, StatusCode::OK);
    sorted.assert_contains("aria-sort=\"descending\"");
    let pos = |id: Id| {
        sorted
            .body
            .find(&format!("/staff?unit={id}&amp;"))
            .unwrap_or_else(|| panic!("unit {id} missing"))
    };
    assert!(pos(u.station_a) < pos(u.station_b));
    assert!(pos(u.district_a) < pos(u.station_b));

    // Each unit links down to its appeals in the period.
    let link = format!("/staff?unit={}&amp;from=", u.station_b);
    let at = page.body.find(&link).unwrap();
    let href_end = at + page.body[at..].find('"').unwrap();
    let href = page.body[at..href_end].replace("&amp;", "&");
    let mut handler = Browser::new(&app);
    handler.login("a_supervisor").await;
    let list = handler.get(&href).await;
    assert_eq!(list.status, StatusCode::OK, "{href}: {}", list.body);
    list.assert_contains("小区门口的路灯不亮了");
}

async fn figures_that_differ_between_pages_say_why(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let u = &app.units;
    let mut ids = Vec::new();
    for (i, text) in [
        "红旗路口的路灯坏了一个星期。",
        "红旗路口路灯不亮，晚上很危险。",
        "红旗路口的路灯还是坏的。",
    ]
    .iter()
    .enumerate()
    {
        let v = app
            .submit("help", text, &format!("1380000220{i}"), Some(u.station_a))
            .await;
        ids.push(v["id"].as_i64().unwrap());
    }
    let handler = app.login("station_a_handler").await;
    handler
        .reject(ids[2], "与已受理的诉求重复，已合并办理。")
        .await;
    app.advance_to(app.clock_now() + 3_600_000);

    // The three rates count 2 (the rejected one left out), the opinion view 3; both
    // pages say why.
    let mut leader = Browser::new(&app);
    leader.login("a_leader").await;
    let rates = leader.get("/staff/dashboard").await;
    let row = row_of(&rates.body, u.station_a);
    assert!(row.contains("<td class=\"num\">2</td>"), "{row}");
    rates.assert_contains("三率的诉求数不含不予受理");
    let opinion = leader.get("/staff/opinion").await;
    opinion.assert_contains("id=\"opinion-total\">3<");
    opinion.assert_contains("诉求总数包括不予受理");

    // An alert that went on for two detections: the list and the alert page show the
    // same count of linked appeals, and the page labels the one-detection peak.
    let path: UnitPath = app.state.org().unit(u.district_a).unwrap().path.clone();
    let day = 86_400_000;
    let now = app.clock_now();
    for (appeals, start) in [
        (vec![ids[0], ids[1]], now - 3 * day),
        (vec![ids[1], ids[2]], now - 2 * day),
    ] {
        app.stores
            .opinion
            .save_alert(&NewEmergingAlert {
                district_unit_id: u.district_a,
                unit_path: path.clone(),
                period_start: start,
                period_end: start + 2 * day,
                keywords: vec!["路灯".into()],
                categories: vec!["public_order".into()],
                appeal_ids: appeals,
                observed: 2,
                expected: 0.3,
                p_value: 1e-3,
                detected_at: start + 2 * day,
            })
            .await
            .unwrap();
    }
    let list = leader.get("/staff/alerts").await;
    list.assert_contains("关联诉求");
    list.assert_contains("<td class=\"num\">3</td>");
    let alert_id = {
        let at = list.body.find("href=\"/staff/alerts/").unwrap() + 20;
        let end = at + list.body[at..].find('"').unwrap();
        list.body[at..end].to_owned()
    };
    let alert = leader.get(&format!("/staff/alerts/{alert_id}")).await;
    alert.assert_contains("id=\"alert-linked\">3<");
    alert.assert_contains("id=\"alert-peak\">2<");
    alert.assert_contains("单次检测最多件数");
}
