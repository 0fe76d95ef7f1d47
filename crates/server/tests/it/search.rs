//! Search (检索): `GET /api/v1/search` and the `/staff/search` page, on SQLite and
//! PostgreSQL — matches, filters, scope, the confidential conduct track, hostile
//! queries and hostile appeal texts.

use crate::common::{self, spawn_app, Backend, TestApp, CONDUCT_COMPLAINT};
use crate::pages_support::{spawn_pages_app, Browser};
use reqwest::StatusCode;
use serde_json::Value;

on_both_backends!(
    api_search_matches_within_scope_with_filters,
    api_search_keeps_conduct_complaints_from_the_accused_unit,
    api_search_reads_hostile_queries_as_words,
    search_page_highlights_escaped_text_and_links_cases,
);

const PHONE: &str = "13912345678";

struct Seeded {
    a_bike: i64,
    a_hostile: i64,
    b_bike: i64,
    c_bike: i64,
    a_noise: i64,
}

async fn seed(app: &TestApp) -> Seeded {
    let u = &app.units;
    let id = |v: Value| v["id"].as_i64().unwrap();
    Seeded {
        a_bike: id(app
            .submit(
                "report",
                "我的电瓶车昨天晚上在爱山小区楼下被偷了，车是绿色的",
                PHONE,
                Some(u.station_a),
            )
            .await),
        a_hostile: id(app
            .submit(
                "complaint",
                "<script>alert('x')</script> 电瓶车 被偷 <b>没人管</b> & 联系13812345678",
                PHONE,
                Some(u.station_a),
            )
            .await),
        b_bike: id(app
            .submit(
                "report",
                "月河街道菜市场门口电瓶车被偷，希望派出所查一下监控",
                PHONE,
                Some(u.station_b),
            )
            .await),
        c_bike: id(app
            .submit(
                "report",
                "武康镇上电瓶车被偷好几辆了",
                PHONE,
                Some(u.station_c),
            )
            .await),
        a_noise: id(app
            .submit(
                "complaint",
                "爱山小区楼下广场舞噪音太大，晚上十点还在跳",
                PHONE,
                Some(u.station_a),
            )
            .await),
    }
}

fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

async fn api_search_matches_within_scope_with_filters(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = seed(&app).await;

    // A station handler: own station only, newest first.
    let handler = app.login("station_a_handler").await;
    let r = handler.get_ok("/api/v1/search?q=电瓶车").await;
    assert_eq!(ids(&r), vec![s.a_hostile, s.a_bike]);
    assert_eq!(r["total"], 2);
    assert_eq!(r["total_capped"], false);
    assert_eq!(r["terms"][0], "电瓶车");
    let hit = &r["items"][0];
    assert_eq!(hit["phone_masked"], "139****5678");
    // Snippet: escaped, matches marked, phone numbers in the text masked.
    let html = hit["snippet_html"].as_str().unwrap();
    assert!(html.contains("<mark>电瓶车</mark>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
    assert!(html.contains("138****5678") && !html.contains("13812345678"));
    assert!(!hit.to_string().contains("13912345678"));

    // Every word must match; a word from a sentence is found.
    let r = handler.get_ok("/api/v1/search?q=电瓶车%20绿色").await;
    assert_eq!(ids(&r), vec![s.a_bike]);
    let r = handler.get_ok("/api/v1/search?q=广场舞噪音").await;
    assert_eq!(ids(&r), vec![s.a_noise]);

    // The district sees both of its stations, the city everything.
    let leader = app.login("a_leader").await;
    let r = leader.get_ok("/api/v1/search?q=电瓶车被偷").await;
    assert_eq!(ids(&r), vec![s.b_bike, s.a_hostile, s.a_bike]);
    let city = app.login("city_leader").await;
    let r = city.get_ok("/api/v1/search?q=电瓶车").await;
    assert_eq!(ids(&r), vec![s.c_bike, s.b_bike, s.a_hostile, s.a_bike]);

    // Filters: kind, status, category, period, paging.
    let r = city.get_ok("/api/v1/search?q=电瓶车&kind=complaint").await;
    assert_eq!(ids(&r), vec![s.a_hostile]);
    let r = city.get_ok("/api/v1/search?q=电瓶车&status=closed").await;
    assert!(ids(&r).is_empty());
    let r = city.get_ok("/api/v1/search?q=电瓶车&status=received").await;
    assert_eq!(ids(&r).len(), 4);
    let today = common::local(app.clock_now())[..10].to_owned();
    let r = city
        .get_ok(&format!("/api/v1/search?q=电瓶车&from={today}&to={today}"))
        .await;
    assert_eq!(ids(&r).len(), 4);
    let r = city
        .get_ok("/api/v1/search?q=电瓶车&from=2020-01-01&to=2020-12-31")
        .await;
    assert!(ids(&r).is_empty());
    let cat = app.appeal(s.a_bike).await.category;
    let r = city
        .get_ok(&format!(
            "/api/v1/search?q=电瓶车&category={}",
            cat.as_deref().unwrap()
        ))
        .await;
    assert!(ids(&r).contains(&s.a_bike));
    let r = city.get_ok("/api/v1/search?q=电瓶车&page_size=3").await;
    assert_eq!(ids(&r), vec![s.c_bike, s.b_bike, s.a_hostile]);
    assert_eq!(r["has_next"], true);
    let r = city
        .get_ok("/api/v1/search?q=电瓶车&page_size=3&page=1")
        .await;
    assert_eq!(ids(&r), vec![s.a_bike]);
    assert_eq!(r["has_next"], false);

    // Bad input is refused, not searched.
    for (path, status) in [
        (
            "/api/v1/search?q=x&category=Not%20a%20key!",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/api/v1/search?q=x&from=2026-03-05&to=2026-03-01",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/api/v1/search?q=x&from=yesterday", StatusCode::BAD_REQUEST),
        ("/api/v1/search?q=x&kind=nonsense", StatusCode::BAD_REQUEST),
        ("/api/v1/search?q=x&bogus=1", StatusCode::BAD_REQUEST),
    ] {
        assert_eq!(city.get(path).await.status(), status, "{path}");
    }
    // Signed out: 401.
    let r = app.get("/api/v1/search?q=电瓶车").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // No query: nothing, no error.
    let r = city.get_ok("/api/v1/search").await;
    assert!(ids(&r).is_empty());
    assert_eq!(r["total"], 0);
}

async fn api_search_keeps_conduct_complaints_from_the_accused_unit(backend: Backend) {
    let app = spawn_app(backend).await;
    let (id, _) = app
        .submitted("complaint", CONDUCT_COMPLAINT, PHONE, app.units.station_a)
        .await;
    let conduct = app.appeal(id).await;
    assert_eq!(conduct.category.as_deref(), Some("conduct"));

    // The district's supervisors (outside the accused station) and the admin find it.
    for who in ["a_supervisor", "admin"] {
        let s = app.login(who).await;
        let r = s.get_ok("/api/v1/search?q=态度恶劣").await;
        assert_eq!(ids(&r), vec![id], "{who}");
        let r = s.get_ok("/api/v1/search?q=民警&category=conduct").await;
        assert_eq!(ids(&r), vec![id], "{who}");
    }
    // Nobody else does — not even as a count.
    for who in [
        "station_a_handler",
        "station_a_supervisor",
        "a_leader",
        "a_analyst",
        "city_leader",
        "station_b_handler",
    ] {
        let s = app.login(who).await;
        for q in ["态度恶劣", "民警&category=conduct", "辱骂 群众"] {
            let r = s.get_ok(&format!("/api/v1/search?q={q}")).await;
            assert!(ids(&r).is_empty(), "{who} finds it with {q}");
            assert_eq!(r["total"], 0, "{who} counts it with {q}");
        }
    }
}

async fn api_search_reads_hostile_queries_as_words(backend: Backend) {
    let app = spawn_app(backend).await;
    let s = seed(&app).await;
    let city = app.login("city_leader").await;
    let all = [s.a_bike, s.a_hostile, s.b_bike, s.c_bike, s.a_noise];
    let long = "很长".repeat(500);
    for q in [
        "%22",
        "%22%22%22",
        "*",
        "电瓶*",
        "OR",
        "电瓶车%20OR%20噪音",
        "-电瓶车",
        "NOT%20电瓶车",
        ":",
        "search_text:电瓶车",
        "NEAR(电瓶车%20被偷)",
        "%27%3B%20DROP%20TABLE%20appeals%3B%20--",
        "%25",
        "_",
        "%5C",
        "%26%7C!%3C-%3E",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%00",
        "%E2%80%AE",
        "%F0%9F%98%80",
        long.as_str(),
    ] {
        let r = city.get(&format!("/api/v1/search?q={q}")).await;
        assert_eq!(r.status(), StatusCode::OK, "{q}");
        let v: Value = r.json().await.unwrap();
        assert!(ids(&v).iter().all(|i| all.contains(i)), "{q}: {v}");
    }
    // Operators are words: 电瓶车 OR 噪音 means both words (no appeal has both).
    let r = city.get_ok("/api/v1/search?q=电瓶车%20OR%20噪音").await;
    assert!(ids(&r).is_empty());
    // Quotes and dashes around a word do not change what it finds.
    let plain = ids(&city.get_ok("/api/v1/search?q=电瓶车").await);
    for q in ["%22电瓶车%22", "-电瓶车", "电瓶车*", "(电瓶车)"] {
        assert_eq!(
            ids(&city.get_ok(&format!("/api/v1/search?q={q}")).await),
            plain,
            "{q}"
        );
    }
    // The table is intact.
    assert_eq!(app.stores.rates.count_appeals().await.unwrap(), 5);
}

async fn search_page_highlights_escaped_text_and_links_cases(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let s = seed(&app).await;
    let mut b = Browser::new(&app);
    // Signed out: to the login page.
    let r = b.get("/staff/search?q=电瓶车").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    b.login("station_a_handler").await;

    // The empty form, linked from the navigation.
    let page = b.get("/staff/search").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_html();
    page.assert_contains("href=\"/staff/search\"");
    page.assert_contains("name=\"q\"");
    page.assert_contains("诉求检索");

    let page = b.get("/staff/search?q=电瓶车").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains(&format!("href=\"/staff/appeals/{}\"", s.a_bike));
    page.assert_contains(&format!("href=\"/staff/appeals/{}\"", s.a_hostile));
    page.assert_contains("<mark>电瓶车</mark>");
    page.assert_contains("共 2 条");
    // Hostile text stays text.
    page.assert_contains("&lt;script&gt;");
    assert!(!page.body.contains("<script"), "{}", page.body);
    assert!(!page.body.contains("<b>没人管"));
    // Personal data masked; other stations' appeals absent.
    page.assert_contains("139****5678");
    assert!(!page.body.contains("13912345678") && !page.body.contains("13812345678"));
    for other in [s.b_bike, s.c_bike] {
        assert!(!page
            .body
            .contains(&format!("href=\"/staff/appeals/{other}\"")));
    }

    // Filters from the form, a hostile query echoed escaped, nothing searchable.
    let page = b
        .get("/staff/search?q=噪音&from=&to=&kind=complaint&category=&status=")
        .await;
    page.assert_contains(&format!("href=\"/staff/appeals/{}\"", s.a_noise));
    let page = b
        .get("/staff/search?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script"), "{}", page.body);
    page.assert_contains("&gt;&lt;script&gt;");
    let page = b.get("/staff/search?q=%EF%BC%8C%E3%80%82").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("没有可检索的词");
    let page = b.get("/staff/search?q=不存在的词汇组合").await;
    page.assert_contains("没有找到相符的诉求");

    // English.
    let page = b.get("/staff/search?q=电瓶车&lang=en").await;
    page.assert_contains("Search appeals");
    page.assert_contains("2 found");
}
