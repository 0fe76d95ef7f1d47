//! Opinion analysis on both databases: the model learns from staff corrections,
//! near-duplicates are linked into clusters visible from each appeal, injected
//! bursts raise one emerging-issue alert each, naming their district or station and
//! seen only by the units it concerns, and the
//! opinion view (民意库) counts what was submitted and drills down within scope.

use crate::common::{self, Backend, TestApp};
use crate::pages_support::{spawn_pages_app, Browser};
use police_square_domain::{AppealKind, Millis};
use police_square_server::features::opinion::{
    analysis, clustering, emerging, learning, OpinionState,
};
use police_square_store::Id;
use reqwest::StatusCode;

const DAY: Millis = 86_400_000;

/// An appeal through the intake service from resident `n` (a fake number of theirs).
async fn submit_at(app: &TestApp, unit: Id, kind: AppealKind, text: &str, n: usize) -> Id {
    let phone = format!("1380000{:04}", n % 10_000);
    app.submit_direct(unit, kind, text, &phone).await
}

on_both_backends!(
    corrections_teach_the_model_the_local_language,
    near_duplicates_form_a_cluster_seen_from_each_appeal,
    bursts_raise_one_alert_naming_their_place,
    admins_extend_the_dictionary_at_run_time,
);

/// Residents' words for a problem the shipped model has never seen: 地笼 (illegal
/// fishing cages) in the village waterways.
const CAGES: &[&str] = &[
    "村口的溇港里天天有人放地笼，一放就是几十米长",
    "河里又被人放满了地笼，鱼虾都被捞光了",
    "我们村前面的河道有外地人下地笼，管管吧",
    "溇港里的地笼越来越多，船都开不过去",
    "晚上有人偷偷在河里布地笼，早上来收",
    "太湖边的小河浜里全是地笼，影响行船",
];

async fn corrections_teach_the_model_the_local_language(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let probe = "东边河浜里又有人放了好几条地笼";
    let before = analysis::analyze(
        &OpinionState::of(&app.state).text.current(),
        AppealKind::Report,
        probe,
    );
    // Teach a category the model does not already give.
    let target = if before.category == "public_order" {
        "dispute"
    } else {
        "public_order"
    };
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    for (n, text) in CAGES.iter().enumerate() {
        let id = submit_at(&app, app.units.station_a, AppealKind::Report, text, n).await;
        let page = handler.get(&format!("/staff/appeals/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let r = handler
            .post(
                &page,
                &format!("/staff/appeals/{id}/category"),
                &[("category", target)],
            )
            .await;
        assert!(
            r.status.is_success() || r.status.is_redirection(),
            "{}",
            r.body
        );
        let a = app.appeal(id).await;
        assert_eq!(a.category.as_deref(), Some(target));
    }
    assert_eq!(
        app.stores.learning.corrections(0, 100).await.unwrap().len(),
        CAGES.len()
    );

    let outcome = learning::retrain(&app.state, false)
        .await
        .unwrap()
        .expect("retrained");
    assert_eq!(outcome.corrections, CAGES.len());
    let after = analysis::analyze(
        &OpinionState::of(&app.state).text.current(),
        AppealKind::Report,
        probe,
    );
    assert_eq!(after.category, target, "before: {}", before.category);
    // Appeals on other topics keep their categories.
    let theft = analysis::analyze(
        &OpinionState::of(&app.state).text.current(),
        AppealKind::Report,
        "我的电瓶车昨天晚上在小区楼下被偷了",
    );
    assert_eq!(theft.category, "theft");
    // Nothing new to learn: no retraining.
    assert_eq!(learning::retrain(&app.state, false).await.unwrap(), None);
    // Intake now files the new wording under the learned category.
    let id = submit_at(&app, app.units.station_a, AppealKind::Report, probe, 99).await;
    let a = app.appeal(id).await;
    assert_eq!(a.category.as_deref(), Some(target));
    // Another node picks the stored model up.
    let other = police_square_server::AppState::with_parts(
        app.state.config.clone(),
        app.stores.clone(),
        app.clock.clone(),
        app.state.transport.clone(),
    )
    .await
    .unwrap();
    assert!(learning::reload(&other).await.unwrap());
    assert!(!learning::reload(&other).await.unwrap());
    let there = analysis::analyze(
        &OpinionState::of(&other).text.current(),
        AppealKind::Report,
        probe,
    );
    assert_eq!(there.category, target);
}

async fn near_duplicates_form_a_cluster_seen_from_each_appeal(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let same = [
        "爱山街道红旗路菜场门口的路灯坏了一个多月，晚上黑漆漆的，老人摔了好几次",
        "红旗路菜场门口路灯坏了一个多月了，晚上太黑，已经有老人摔倒",
        "反映一下：红旗路菜场那里的路灯一直不亮，一个多月了，晚上老人容易摔",
    ];
    let mut ids = Vec::new();
    for (n, text) in same.iter().enumerate() {
        ids.push(submit_at(&app, app.units.station_a, AppealKind::Help, text, n).await);
    }
    let unrelated = submit_at(
        &app,
        app.units.station_a,
        AppealKind::Report,
        "有人冒充客服打电话让我转账，说是退款，我差点上当",
        7,
    )
    .await;
    let run = clustering::assign_new(&app.state).await.unwrap();
    assert_eq!(run.looked_at, 4);
    let cluster_of = |id: Id| {
        let stores = app.stores.clone();
        async move { stores.appeals.appeal(id).await.unwrap().unwrap().cluster_id }
    };
    let c = cluster_of(ids[0]).await.expect("clustered");
    for id in &ids[1..] {
        assert_eq!(cluster_of(*id).await, Some(c));
    }
    assert_eq!(cluster_of(unrelated).await, None);
    assert_eq!(
        app.stores.opinion.cluster(c).await.unwrap().unwrap().size,
        3
    );
    // Nothing new: nothing looked at; a new wording joins the same cluster.
    assert_eq!(
        clustering::assign_new(&app.state).await.unwrap().looked_at,
        0
    );
    let fourth = submit_at(
        &app,
        app.units.station_b,
        AppealKind::Help,
        "红旗路菜场门口的路灯坏了很久了，晚上老人走路摔跤，请尽快修",
        8,
    )
    .await;
    clustering::assign_new(&app.state).await.unwrap();
    assert_eq!(cluster_of(fourth).await, Some(c));
    assert_eq!(
        app.stores.opinion.cluster(c).await.unwrap().unwrap().size,
        4
    );

    // Visible from each appeal and on its own page, within scope only.
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    let page = handler.get(&format!("/staff/appeals/{}", ids[1])).await;
    page.assert_contains("id=\"cluster-link\"");
    page.assert_contains(&format!("/staff/clusters/{c}"));
    let page = handler.get(&format!("/staff/clusters/{c}")).await;
    assert_eq!(page.status, StatusCode::OK);
    // Named like a headline (place + problem), not a keyword pile.
    page.assert_contains("红旗路路灯损坏");
    for id in &ids {
        page.assert_contains(&format!("/staff/appeals/{id}\""));
    }
    // Station A's handler does not see station B's appeal in the list.
    assert!(!page.body.contains(&format!("/staff/appeals/{fourth}\"")));
    let mut outsider = Browser::new(&app);
    outsider.login("station_c_handler").await;
    let page = outsider.get(&format!("/staff/clusters/{c}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // The opinion view counts the period and lists the cluster.
    let mut leader = Browser::new(&app);
    leader.login("a_leader").await;
    let page = leader.get("/staff/opinion").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("id=\"opinion-total\">5<");
    page.assert_contains(&format!("/staff/clusters/{c}"));
    let page = leader
        .get(&format!(
            "/staff/opinion?unit={}&period=7d",
            app.units.station_a
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("id=\"opinion-total\">4<");
    // Drill down from the station's line to its appeals in the period.
    let page = leader.get("/staff/opinion").await;
    let needle = format!("href=\"/staff?unit={}&amp;from=", app.units.station_b);
    let at = page.body.find(&needle).expect("a drill-down link") + 6;
    let end = page.body[at..].find('"').unwrap() + at;
    let link = page.body[at..end].replace("&amp;", "&");
    let list = leader.get(&link).await;
    assert_eq!(list.status, StatusCode::OK, "{link}");
    list.assert_contains("id=\"drill\"");
    list.assert_contains(&format!("/staff/appeals/{fourth}\""));
    for id in &ids {
        assert!(
            !list.body.contains(&format!("/staff/appeals/{id}\"")),
            "{link}"
        );
    }
    // A period before any appeal lists nothing; another district is out of scope.
    let list = leader
        .get(&format!(
            "/staff?unit={}&from=2020-01-01&to=2020-01-31",
            app.units.station_b
        ))
        .await;
    assert!(!list.body.contains(&format!("/staff/appeals/{fourth}\"")));
    let list = leader
        .get(&format!("/staff?unit={}", app.units.district_b))
        .await;
    assert_eq!(list.status, StatusCode::NOT_FOUND);
    let page = leader
        .get(&format!("/staff/opinion?unit={}", app.units.district_b))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let page = leader.get("/staff/opinion?period=custom&from=x&to=y").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
}

async fn bursts_raise_one_alert_naming_their_place(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let common::Bursts {
        start,
        burst: burst_ids,
        nets: net_ids,
    } = common::seed_bursts(&app, |n| format!("1380000{:04}", n % 10_000)).await;
    app.advance_to(start + 63 * DAY);
    let outcome = emerging::scan(&app.state).await.unwrap();
    assert!(outcome.new_alerts >= 1, "{outcome:?}");
    let alerts = app
        .stores
        .opinion
        .alerts(None, start, start + 64 * DAY, 50)
        .await
        .unwrap();
    let burst_alerts: Vec<_> = alerts
        .iter()
        .filter(|a| a.keywords.iter().any(|k| k.contains("充电")))
        .collect();
    assert_eq!(burst_alerts.len(), 1, "{alerts:#?}");
    let alert = burst_alerts[0];
    assert_eq!(alert.district_unit_id, app.units.district_a);
    assert!(alert.period_end > start + 56 * DAY && alert.period_start >= start + 49 * DAY);
    assert!(alert.appeal_count >= 15, "{alert:?}");
    // A burst at one station names that station, with all its appeals.
    let net_alerts: Vec<_> = alerts
        .iter()
        .filter(|a| {
            a.keywords
                .iter()
                .any(|k| k.contains("渔网") || k.contains("航道"))
        })
        .collect();
    assert_eq!(net_alerts.len(), 1, "{alerts:#?}");
    assert_eq!(net_alerts[0].district_unit_id, app.units.station_c);
    assert!(
        net_alerts[0].appeal_count >= net_ids.len() as i64,
        "{alerts:#?}"
    );
    // At most a few false alarms on the background.
    assert!(alerts.len() <= 5, "{alerts:#?}");
    // Scanning again folds into the same alert.
    let again = emerging::scan(&app.state).await.unwrap();
    assert_eq!(again.new_alerts, 0);

    // The district's analyst sees it with its appeals and marks it studied.
    let mut analyst = Browser::new(&app);
    analyst.login("a_analyst").await;
    let list = analyst.get("/staff/alerts").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains(&format!("/staff/alerts/{}", alert.id));
    // Named by its problem, with how unusual it is in plain words and the
    // statistical test one click away (inside a <details>).
    list.assert_contains("充电宝被盗");
    list.assert_contains("平常几乎没有");
    let page = analyst.get(&format!("/staff/alerts/{}", alert.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("充电宝被盗");
    page.assert_contains("id=\"alert-unusual\"><b>平常几乎没有");
    let details = page
        .body
        .find("<details id=\"alert-test\">")
        .expect("test details");
    let main = &page.body[..details];
    for jargon in ["p = ", "泊松", "多重比较"] {
        assert!(!main.contains(jargon), "{jargon} outside the details");
    }
    // No p-value in scientific notation (3.2e-43) outside the details either.
    assert!(
        !(0..10).any(|d| main.contains(&format!("{d}e-"))),
        "a p-value outside the details"
    );
    assert!(page.body[details..].contains("p = "));
    let opinion = analyst.get("/staff/opinion").await;
    opinion.assert_contains("充电宝被盗");
    opinion.assert_contains("平常几乎没有");
    // The week's report names it the same way, the test's details folded away.
    let day = police_square_domain::calendar::local_date(start + 60 * DAY).to_string();
    let reports = analyst.get("/staff/reports").await;
    let r = analyst
        .post(
            &reports,
            "/staff/reports",
            &[
                ("kind", "weekly"),
                ("date", &day),
                ("unit_id", &app.units.district_a.to_string()),
            ],
        )
        .await;
    let location = r.location.clone().expect("a redirect to the report");
    let report = analyst.get(&location).await;
    assert_eq!(report.status, StatusCode::OK);
    report.assert_contains("充电宝被盗");
    report.assert_contains("<details><summary>平常几乎没有");
    page.assert_contains(&format!("/staff/appeals/{}\"", burst_ids[0]));
    analyst
        .post_ok(
            &page,
            &format!("/staff/alerts/{}/status", alert.id),
            &[("status", "acknowledged"), ("note", "已部署巡逻<script>")],
            StatusCode::SEE_OTHER,
        )
        .await;
    let page = analyst.get(&format!("/staff/alerts/{}", alert.id)).await;
    page.assert_contains("已部署巡逻&lt;script&gt;");
    assert!(!page.body.contains("巡逻<script>"));
    // Another district neither lists nor opens it; a handler may not mark it.
    let mut outsider = Browser::new(&app);
    outsider.login("station_c_handler").await;
    let list = outsider.get("/staff/alerts").await;
    assert!(!list.body.contains(&format!("/staff/alerts/{}\"", alert.id)));
    let page = outsider.get(&format!("/staff/alerts/{}", alert.id)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // The station's own alert is theirs; the other district's stations do not see it.
    list_contains_alert(&mut outsider, net_alerts[0].id, true).await;
    let page = outsider
        .get(&format!("/staff/alerts/{}", net_alerts[0].id))
        .await;
    for id in &net_ids {
        page.assert_contains(&format!("/staff/appeals/{id}\""));
    }
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    list_contains_alert(&mut handler, net_alerts[0].id, false).await;
    let page = handler.get(&format!("/staff/alerts/{}", alert.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    handler
        .post_ok(
            &page,
            &format!("/staff/alerts/{}/status", alert.id),
            &[("status", "dismissed")],
            StatusCode::FORBIDDEN,
        )
        .await;
}

async fn list_contains_alert(browser: &mut Browser, id: Id, expected: bool) {
    let list = browser.get("/staff/alerts").await;
    assert_eq!(list.status, StatusCode::OK);
    let link = format!("/staff/alerts/{id}\"");
    assert_eq!(list.body.contains(&link), expected, "{}", list.body);
    let page = browser.get(&format!("/staff/alerts/{id}")).await;
    let status = if expected {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    assert_eq!(page.status, status);
}

async fn admins_extend_the_dictionary_at_run_time(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let text = "小区门口的共享充电宝柜被人撬了";
    let word = "共享充电宝";
    // Whether the node's current engine keeps the word whole.
    let kept_whole = || {
        OpinionState::of(&app.state)
            .text
            .current()
            .segment(text)
            .iter()
            .any(|t| t == word)
    };
    assert!(!kept_whole());
    let mut admin = Browser::new(&app);
    admin.login("admin").await;
    let page = admin.get("/staff/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    admin
        .post_ok(
            &page,
            "/staff/admin/dictionary",
            &[("words", "# 新型盗窃\n共享充电宝 2000 n\n地笼\n")],
            StatusCode::SEE_OTHER,
        )
        .await;
    assert!(kept_whole());
    let id = submit_at(&app, app.units.station_a, AppealKind::Report, text, 1).await;
    let stored = app
        .stores
        .opinion
        .analysis_rows(id - 1, 0, 1)
        .await
        .unwrap();
    assert!(
        stored[0].search_text.split(' ').any(|t| t == word),
        "{}",
        stored[0].search_text
    );
    let page = admin.get("/staff/admin").await;
    page.assert_contains("共享充电宝 2000 n");
    // A malformed line is refused and the saved words stay.
    admin
        .post_ok(
            &page,
            "/staff/admin/dictionary",
            &[("words", "共享 单车 x y z\n")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(kept_whole());
    // Other staff may not edit it.
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    handler
        .post_ok(
            &page,
            "/staff/admin/dictionary",
            &[("words", "x")],
            StatusCode::FORBIDDEN,
        )
        .await;
}
