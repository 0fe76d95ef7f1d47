//! The opinion-analysis JSON API on SQLite and PostgreSQL, over data made by the real
//! intake and jobs: the 民意库 view and 一事多诉 clusters, 未诉先办 alerts, 民意研判
//! reports and category corrections — scope (another district's data is 404, a role
//! without the right 403), CSRF on every POST, frozen published reports, masked
//! personal data (the resident's phone number never appears in a body) and clean 4xx
//! for bad ids.

use crate::common::{self, expect, Backend, Session, TestApp, PASSWORD, START};
use police_square_domain::{AppealKind, Millis, Role};
use police_square_server::{
    app::auth::hash_password,
    features::opinion::{clustering, emerging},
};
use police_square_store::{Id, NewStaff};
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

on_both_backends!(
    opinion_view_and_clusters,
    alerts_by_scope_and_status,
    reports_generate_publish_annotate,
    category_corrections,
);

const DAY: Millis = 86_400_000;
/// The resident's phone: given as contact and repeated in appeal texts.
const RAW_PHONE: &str = "13912345678";
const MASKED_PHONE: &str = "139****5678";

/// GET as `s`; the status and JSON body, which never holds the raw phone number.
async fn get(s: &Session, path: &str) -> (StatusCode, Value) {
    let r = s.get(path).await;
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(!text.contains(RAW_PHONE), "{path} leaks the phone: {text}");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get_ok(s: &Session, path: &str) -> Value {
    let (status, body) = get(s, path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

/// POST with CSRF token; asserts the status and that the raw phone never appears.
async fn post(s: &Session, path: &str, body: Value, status: StatusCode) -> Value {
    let body = s.post_ok(path, body, status).await;
    assert!(!body.to_string().contains(RAW_PHONE), "{path}: {body}");
    body
}

/// POST with the session cookie but without the CSRF token: refused, nothing done.
async fn post_without_csrf(app: &TestApp, s: &Session, path: &str, body: Value) {
    let r = app
        .http
        .post(app.url(path))
        .header(header::COOKIE, &s.cookie)
        .json(&body)
        .send()
        .await
        .unwrap();
    let body = expect(r, StatusCode::FORBIDDEN).await;
    assert_eq!(body["error"]["code"], "csrf", "{path}");
}

/// Non-numeric and overflowing ids are 400; negative and unknown ones 404. GET, or
/// POST `payload` to `{prefix}/{id}{suffix}`.
async fn bad_ids(s: &Session, prefix: &str, suffix: &str, payload: Option<Value>) {
    for (id, status) in [
        ("abc", StatusCode::BAD_REQUEST),
        ("99999999999999999999", StatusCode::BAD_REQUEST),
        ("1.5", StatusCode::BAD_REQUEST),
        ("-1", StatusCode::NOT_FOUND),
        ("9223372036854775807", StatusCode::NOT_FOUND),
    ] {
        let path = format!("{prefix}/{id}{suffix}");
        let (got, body) = match &payload {
            None => get(s, &path).await,
            Some(b) => {
                let r = s.post(&path, b.clone()).await;
                let status = r.status();
                (status, r.json().await.unwrap_or(Value::Null))
            }
        };
        assert_eq!(got, status, "{path}: {body}");
        assert!(body["error"]["code"].is_string(), "{path}: {body}");
    }
}

/// An appeal through the intake service, from the resident with [`RAW_PHONE`].
async fn submit(app: &TestApp, unit: Id, kind: AppealKind, text: &str) -> Id {
    app.submit_direct(unit, kind, text, RAW_PHONE).await
}

/// A district B analyst: the fixtures have no opinion role outside district A.
async fn district_b_analyst(app: &TestApp) -> Session {
    app.stores
        .org
        .create_staff(NewStaff {
            username: "b_analyst".into(),
            display_name: "b_analyst 警官".into(),
            role: Role::Analyst,
            unit_id: app.units.district_b,
            password_hash: hash_password(PASSWORD).unwrap(),
        })
        .await
        .unwrap();
    app.login("b_analyst").await
}

fn ids(items: &Value) -> Vec<i64> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

async fn opinion_view_and_clusters(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let u = &app.units;
    let same = [
        "爱山街道红旗路菜场门口的路灯坏了一个多月，晚上黑漆漆的，老人摔了好几次",
        "红旗路菜场门口路灯坏了一个多月了，晚上太黑，已经有老人摔倒",
        "反映一下：红旗路菜场那里的路灯一直不亮，一个多月了，晚上老人容易摔",
    ];
    let mut lamp = Vec::new();
    for text in same {
        lamp.push(submit(&app, u.station_a, AppealKind::Help, text).await);
    }
    // The same again with the phone number in the text.
    let with_phone = format!("{}，电话{RAW_PHONE}", same[0]);
    lamp.push(submit(&app, u.station_a, AppealKind::Help, &with_phone).await);
    let elsewhere = submit(
        &app,
        u.station_b,
        AppealKind::Help,
        "红旗路菜场门口的路灯坏了很久了，晚上老人走路摔跤，请尽快修",
    )
    .await;
    submit(
        &app,
        u.station_a,
        AppealKind::Report,
        "有人冒充客服打电话让我转账，说是退款，我差点上当",
    )
    .await;
    submit(&app, u.station_c, AppealKind::Help, "武康镇上电瓶车被偷了").await;
    clustering::assign_new(&app.state).await.unwrap();
    let c = app.appeal(lamp[0]).await.cluster_id;
    let c = c.expect("clustered");
    for id in lamp.iter().skip(1).chain([&elsewhere]) {
        let a = app.appeal(*id).await;
        assert_eq!(a.cluster_id, Some(c), "appeal {id}");
    }

    // Not signed in.
    let r = app.get("/api/v1/opinion").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // The district's leader: six appeals by station, kind and day, and the cluster.
    let leader = app.login("a_leader").await;
    let o = get_ok(&leader, "/api/v1/opinion").await;
    assert_eq!(o["unit"]["id"], u.district_a);
    assert_eq!(o["period"], "30d");
    assert_eq!(o["total"], 6, "{o}");
    assert_eq!(o["previous_total"], 0);
    assert_eq!(
        o["parent_id"],
        Value::Null,
        "the city is outside their scope"
    );
    let sum = |list: &Value, field: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .map(|v| v[field].as_i64().unwrap())
            .sum::<i64>()
    };
    assert_eq!(sum(&o["by_category"], "total"), 6);
    assert_eq!(sum(&o["by_kind"], "total"), 6);
    assert_eq!(o["daily"].as_array().unwrap().len(), 30);
    assert_eq!(sum(&o["daily"], "total"), 6);
    let units = o["units"].as_array().unwrap();
    let of = |id: Id| units.iter().find(|l| l["unit_id"] == id).unwrap()["total"].clone();
    assert_eq!(of(u.station_a), 5);
    assert_eq!(of(u.station_b), 1);
    let cluster = o["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == c)
        .expect("the cluster is listed");
    assert_eq!(cluster["size"], 5);
    // Drill into a station, over the last 7 days, then custom days.
    let path = format!("/api/v1/opinion?unit={}&period=7d", u.station_a);
    let o = get_ok(&leader, &path).await;
    assert_eq!(o["total"], 5);
    assert_eq!(o["parent_id"], u.district_a);
    assert_eq!(o["daily"].as_array().unwrap().len(), 7);
    let o = get_ok(
        &leader,
        "/api/v1/opinion?period=custom&from=2026-03-04&to=2026-03-04",
    )
    .await;
    assert_eq!(o["daily"].as_array().unwrap().len(), 1);
    assert_eq!(o["daily"][0]["date"], "2026-03-04");
    assert_eq!(o["total"], 6);
    // Another district and malformed queries.
    let (status, _) = get(&leader, &format!("/api/v1/opinion?unit={}", u.district_b)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for bad in [
        "period=custom&from=x&to=y",
        "period=custom",
        "period=custom&from=2026-03-04&to=2026-03-01",
        "period=custom&from=2020-01-01&to=2026-03-01",
        "period=1y",
        "unit=abc",
        "unit=99999999999999999999",
        "colour=red",
    ] {
        let (status, body) = get(&leader, &format!("/api/v1/opinion?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["error"]["code"], "bad_request");
    }
    let (status, _) = get(&leader, "/api/v1/opinion?unit=-1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The cluster: station A's handler sees station A's appeals only, numbers masked.
    let handler = app.login("station_a_handler").await;
    let k = get_ok(&handler, &format!("/api/v1/clusters/{c}")).await;
    assert_eq!(k["cluster"]["size"], 5);
    assert_eq!(k["unit_name"], "爱山派出所");
    let seen = ids(&k["appeals"]);
    for id in &lamp {
        assert!(seen.contains(id), "{id} in {seen:?}");
    }
    assert!(!seen.contains(&elsewhere));
    let excerpt = k["appeals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == lamp[3])
        .unwrap()["excerpt"]
        .clone();
    assert!(
        excerpt
            .as_str()
            .unwrap()
            .ends_with(&format!("电话{MASKED_PHONE}")),
        "{excerpt}"
    );
    let k = get_ok(&leader, &format!("/api/v1/clusters/{c}")).await;
    assert!(ids(&k["appeals"]).contains(&elsewhere));
    // Another district's station and analyst: it does not exist for them.
    let outsider = app.login("station_c_handler").await;
    let (status, body) = get(&outsider, &format!("/api/v1/clusters/{c}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    let b_analyst = district_b_analyst(&app).await;
    let (status, _) = get(&b_analyst, &format!("/api/v1/clusters/{c}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let o = get_ok(&b_analyst, "/api/v1/opinion").await;
    assert_eq!(o["total"], 1);
    assert!(o["clusters"].as_array().unwrap().is_empty());
    bad_ids(&leader, "/api/v1/clusters", "", None).await;
}

async fn alerts_by_scope_and_status(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let u = &app.units;
    let common::Bursts {
        start,
        burst: burst_ids,
        nets: net_ids,
    } = common::seed_bursts(&app, |_| RAW_PHONE.to_owned()).await;
    app.advance_to(start + 63 * DAY);
    emerging::scan(&app.state).await.unwrap();
    let find = |list: &Value, word: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|a| a["keywords"].to_string().contains(word))
            .map(|a| a["id"].as_i64().unwrap())
    };

    let anonymous = app.http.get(app.url("/api/v1/alerts")).send();
    assert_eq!(anonymous.await.unwrap().status(), StatusCode::UNAUTHORIZED);
    // District A's analyst: the burst, not station C's nets.
    let analyst = app.login("a_analyst").await;
    let list = get_ok(&analyst, "/api/v1/alerts").await;
    let alert = find(&list, "充电").expect("the burst alert");
    assert_eq!(find(&list, "渔网"), None, "{list}");
    let a = get_ok(&analyst, &format!("/api/v1/alerts/{alert}")).await;
    assert_eq!(a["alert"]["district_unit_id"], u.district_a);
    assert_eq!(a["alert"]["place_name"], "吴兴区公安分局");
    assert_eq!(a["alert"]["status"], "open");
    assert_eq!(a["can_handle"], true);
    assert!(a["alert"]["appeal_count"].as_i64().unwrap() >= 15, "{a}");
    assert!(ids(&a["appeals"]).contains(&burst_ids[0]));
    // The live view lists it too.
    let o = get_ok(&analyst, "/api/v1/opinion").await;
    assert_eq!(find(&o["alerts"], "充电"), Some(alert));

    // Status changes need the CSRF token, a valid body and an opinion role.
    let status_path = format!("/api/v1/alerts/{alert}/status");
    post_without_csrf(&app, &analyst, &status_path, json!({"status": "dismissed"})).await;
    let long_note = "长".repeat(2001);
    for body in [
        json!({"status": "solved"}),
        json!({"status": "open", "extra": 1}),
        json!({"note": "x"}),
        json!({"status": "open", "note": long_note}),
    ] {
        post(
            &analyst,
            &status_path,
            body,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let handler = app.login("station_a_handler").await;
    let seen = get_ok(&handler, &format!("/api/v1/alerts/{alert}")).await;
    assert_eq!(seen["can_handle"], false);
    let dismiss = json!({"status": "dismissed"});
    let body = post(
        &handler,
        &status_path,
        dismiss.clone(),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert_eq!(body["error"]["code"], "forbidden");
    let b_analyst = district_b_analyst(&app).await;
    post(&b_analyst, &status_path, dismiss, StatusCode::NOT_FOUND).await;
    let a = get_ok(&analyst, &format!("/api/v1/alerts/{alert}")).await;
    assert_eq!(a["alert"]["status"], "open", "nothing changed so far");
    let a = post(
        &analyst,
        &status_path,
        json!({"status": "acknowledged", "note": " 已部署巡逻 "}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(a["alert"]["status"], "acknowledged");
    assert_eq!(a["alert"]["note"], "已部署巡逻");
    assert_eq!(a["alert"]["handled_by"], app.staff_id("a_analyst").await);

    // Station C: its own alert with all its appeals; never district A's.
    let outsider = app.login("station_c_handler").await;
    let list = get_ok(&outsider, "/api/v1/alerts").await;
    assert_eq!(find(&list, "充电"), None);
    let net = find(&list, "渔网")
        .or_else(|| find(&list, "航道"))
        .expect("station C's alert");
    let n = get_ok(&outsider, &format!("/api/v1/alerts/{net}")).await;
    assert_eq!(n["alert"]["district_unit_id"], u.station_c);
    let seen = ids(&n["appeals"]);
    assert!(net_ids.iter().all(|id| seen.contains(id)), "{seen:?}");
    for s in [&outsider, &b_analyst] {
        let (status, _) = get(s, &format!("/api/v1/alerts/{alert}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = get(&handler, &format!("/api/v1/alerts/{net}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    bad_ids(&analyst, "/api/v1/alerts", "", None).await;
    bad_ids(
        &analyst,
        "/api/v1/alerts",
        "/status",
        Some(json!({"status": "open"})),
    )
    .await;
}

async fn reports_generate_publish_annotate(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let u = &app.units;
    // The day before START (Wednesday 2026-03-04): appeals through the HTTP intake.
    app.advance_to(START - DAY);
    let quoted = format!(
        "我叫张三，住吴兴区爱山街道红旗路18号，电瓶车在楼下被偷了，电话{RAW_PHONE}，请尽快处理"
    );
    for (text, unit) in [
        (quoted.as_str(), u.station_a),
        ("小区车棚电瓶车又被偷了一辆，希望加强巡逻", u.station_b),
        ("接到冒充客服的诈骗电话，骗我转账", u.station_a),
        ("武康镇上电瓶车被偷了", u.station_c),
    ] {
        app.submit("complaint", text, RAW_PHONE, Some(unit)).await;
    }
    app.advance_to(START);
    let analyst = app.login("a_analyst").await;
    let leader = app.login("a_leader").await;
    let march = json!({"kind": "monthly", "date": "2026-03-04", "unit_id": u.district_a});

    // Generate on demand: CSRF first, then a draft with masked quotes.
    post_without_csrf(&app, &analyst, "/api/v1/reports", march.clone()).await;
    let draft = post(
        &analyst,
        "/api/v1/reports",
        march.clone(),
        StatusCode::CREATED,
    )
    .await;
    let id = draft["report"]["id"].as_i64().unwrap();
    assert_eq!(draft["report"]["status"], "draft");
    assert_eq!(draft["report"]["label"], "2026-03");
    assert_eq!(draft["report"]["unit_name"], "吴兴区公安分局");
    assert_eq!(draft["content"]["total"], 3, "{draft}");
    assert_eq!(draft["can_annotate"], false);
    let text = draft.to_string();
    assert!(text.contains(MASKED_PHONE), "{text}");
    for leak in ["张三", "红旗路18号", "武康镇"] {
        assert!(!text.contains(leak), "the report leaks {leak:?}");
    }
    let list = get_ok(&analyst, "/api/v1/reports").await;
    assert_eq!(ids(&list["items"]), vec![id]);
    assert_eq!(list["can_generate"], true);
    assert_eq!(ids(&list["units"]), vec![u.district_a]);
    let shown = get_ok(&analyst, &format!("/api/v1/reports/{id}")).await;
    assert_eq!(shown["content"], draft["content"]);
    // Bad bodies, among them a year chrono parses but the period arithmetic cannot take.
    let (a, b) = (u.district_a, u.district_b);
    for (kind, date, unit, code) in [
        ("yearly", "2026-03-04", a, 422),
        ("weekly", "04/03/2026", a, 422),
        ("monthly", "+262142-12-31", a, 422),
        ("weekly", "2030-01-01", a, 400),
        ("weekly", "2026-03-04", b, 404),
    ] {
        let body = json!({"kind": kind, "date": date, "unit_id": unit});
        let code = StatusCode::from_u16(code).unwrap();
        post(&analyst, "/api/v1/reports", body, code).await;
    }
    let body = json!({"kind": "weekly", "date": "2026-03-04"});
    post(
        &analyst,
        "/api/v1/reports",
        body,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;

    // Only leaders annotate, and only published reports; analysts publish.
    let annotate = format!("/api/v1/reports/{id}/annotate");
    let publish = format!("/api/v1/reports/{id}/publish");
    let note = json!({"text": "下周开展电瓶车防盗专项行动"});
    post(&leader, &annotate, note.clone(), StatusCode::CONFLICT).await;
    post(&analyst, &annotate, note.clone(), StatusCode::FORBIDDEN).await;
    post_without_csrf(&app, &analyst, &publish, json!({})).await;
    let handler = app.login("station_a_handler").await;
    post(&handler, &publish, json!({}), StatusCode::FORBIDDEN).await;
    let published = post(&analyst, &publish, json!({}), StatusCode::OK).await;
    assert_eq!(published["report"]["status"], "published");
    post(&analyst, &publish, json!({}), StatusCode::CONFLICT).await;

    // Frozen: a new appeal and generating again change nothing.
    app.submit(
        "complaint",
        "又有电瓶车被偷了",
        RAW_PHONE,
        Some(u.station_a),
    )
    .await;
    let again = post(&analyst, "/api/v1/reports", march.clone(), StatusCode::OK).await;
    assert_eq!(again["report"]["id"], id);
    assert_eq!(again["content"], draft["content"]);
    let weekly = json!({"kind": "weekly", "date": "2026-03-05", "unit_id": u.district_a});
    let w = post(&analyst, "/api/v1/reports", weekly, StatusCode::CREATED).await;
    assert_eq!(
        w["content"]["total"], 4,
        "a draft of another period sees it"
    );

    // The leader's note: CSRF, validation, then stored, shown and audited.
    post_without_csrf(&app, &leader, &annotate, note.clone()).await;
    post(
        &leader,
        &annotate,
        json!({"text": "  "}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let n = post(&leader, &annotate, note.clone(), StatusCode::CREATED).await;
    assert_eq!(n["text"], "下周开展电瓶车防盗专项行动");
    assert_eq!(n["author_name"], "a_leader 警官");
    let shown = get_ok(&leader, &format!("/api/v1/reports/{id}")).await;
    assert_eq!(shown["can_annotate"], true);
    assert_eq!(shown["annotations"][0]["id"], n["id"]);
    assert_eq!(
        shown["content"], draft["content"],
        "notes leave content as is"
    );
    let leader_id = app.staff_id("a_leader").await;
    let audit = app.stores.audit.audit_entries(0, 10_000).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "report.annotated"
        && e.subject == format!("report:{id}")
        && e.actor == format!("staff:{leader_id}")));

    // Scope: district B's report (generated by the city) is not district A's.
    let city = app.login("city_leader").await;
    let b = json!({"kind": "monthly", "date": "2026-03-04", "unit_id": u.district_b});
    let b = post(&city, "/api/v1/reports", b, StatusCode::CREATED).await;
    let b_id = b["report"]["id"].as_i64().unwrap();
    assert_eq!(b["content"]["total"], 1);
    let station_supervisor = app.login("station_a_supervisor").await;
    for s in [&analyst, &station_supervisor] {
        let (status, _) = get(s, &format!("/api/v1/reports/{b_id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!ids(&get_ok(s, "/api/v1/reports").await["items"]).contains(&b_id));
    }
    post(
        &leader,
        &format!("/api/v1/reports/{b_id}/annotate"),
        note,
        StatusCode::NOT_FOUND,
    )
    .await;
    post(
        &analyst,
        &format!("/api/v1/reports/{b_id}/publish"),
        json!({}),
        StatusCode::NOT_FOUND,
    )
    .await;
    get_ok(&station_supervisor, &format!("/api/v1/reports/{id}")).await;
    assert!(ids(&get_ok(&city, "/api/v1/reports").await["items"]).contains(&id));
    // Handlers have no reports.
    for path in [
        "/api/v1/reports".to_owned(),
        format!("/api/v1/reports/{id}"),
    ] {
        let (status, _) = get(&handler, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    bad_ids(&analyst, "/api/v1/reports", "", None).await;
    bad_ids(&analyst, "/api/v1/reports", "/publish", Some(json!({}))).await;
    bad_ids(
        &leader,
        "/api/v1/reports",
        "/annotate",
        Some(json!({"text": "x"})),
    )
    .await;
}

async fn category_corrections(backend: Backend) {
    let app = common::spawn_app(backend).await;
    let (id, _) = app
        .submitted(
            "complaint",
            "东边河浜里又有人放了好几条地笼",
            RAW_PHONE,
            app.units.station_a,
        )
        .await;
    let before = app.appeal(id).await.category;
    let target = if before.as_deref() == Some("public_order") {
        "dispute"
    } else {
        "public_order"
    };
    let path = format!("/api/v1/appeals/{id}/category");
    let handler = app.login("station_a_handler").await;
    post_without_csrf(&app, &handler, &path, json!({"category": target})).await;
    for bad in ["conduct", "nonsense", "Bad Key!", ""] {
        let body = post(
            &handler,
            &path,
            json!({"category": bad}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(body["error"]["code"], "invalid_value", "{bad}");
    }
    // Out of scope (404, like a missing appeal), or a role that does not handle
    // appeals (403).
    for (who, status) in [
        ("station_c_handler", StatusCode::NOT_FOUND),
        ("a_analyst", StatusCode::FORBIDDEN),
    ] {
        let s = app.login(who).await;
        post(&s, &path, json!({"category": target}), status).await;
    }
    assert!(app
        .stores
        .learning
        .corrections(0, 10)
        .await
        .unwrap()
        .is_empty());
    let a = post(&handler, &path, json!({"category": target}), StatusCode::OK).await;
    assert_eq!(a["category"], target);
    assert!(app
        .event_kinds(id)
        .await
        .contains(&"category_corrected".to_owned()));
    assert_eq!(
        app.stores.learning.corrections(0, 10).await.unwrap().len(),
        1
    );
    // The same again changes nothing.
    let again = post(&handler, &path, json!({"category": target}), StatusCode::OK).await;
    assert_eq!(again["version"], a["version"]);
    let r = handler
        .post("/api/v1/appeals/abc/category", json!({"category": target}))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = handler
        .post("/api/v1/appeals/-3/category", json!({"category": target}))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
