//! Hostile input and access through the HTML pages: escaping on every page that shows
//! appeal text or names, CSRF, login errors and throttling, scope (403), the
//! confidential conduct track, and tracking-code enumeration (404 then 429).

use crate::common::{Backend, PASSWORD};
use crate::pages_support::{appeal_id, spawn_pages_app, Browser, Html};
use police_square_domain::Role;
use police_square_store::NewStaff;
use reqwest::StatusCode;

const EVIL_TEXT: &str =
    "爱山派出所门口<script>alert(\"pwned\")</script><b>加粗</b><img src=x onerror=alert(1)>";
const EVIL_NAME: &str = "<img src=x onerror=alert(2)>";
const EVIL_REPLY: &str = "已处理<script>alert('reply')</script>";
const EVIL_STAFF: &str = "<script>alert('officer')</script>";

/// No markup from user input survives unescaped; the escaped form is there instead.
fn assert_escaped(page: &Html, what: &str) {
    for raw in [
        "<script>alert",
        "<b>加粗",
        "<img src=x",
        "<script>alert('officer')",
    ] {
        assert!(
            !page.body.contains(raw),
            "{what}: raw markup {raw:?} in the page:\n{}",
            page.body
        );
    }
    assert!(
        page.body.contains("&lt;script&gt;") || page.body.contains("&lt;img"),
        "{what}: the escaped input should be shown:\n{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_in_appeal_text_and_names_is_escaped_on_every_page() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let phone = "13700007777";
    let mut resident = Browser::new(&app);
    let code = resident
        .submit_appeal("help", EVIL_TEXT, phone, EVIL_NAME)
        .await;
    let id = appeal_id(&app, &code).await;
    let appeal = app.appeal(id).await;
    assert_eq!(
        appeal.unit_id, app.units.station_a,
        "routed by the unit named"
    );

    // A handler whose display name is markup too.
    app.stores
        .org
        .create_staff(NewStaff {
            username: "evil_officer".into(),
            display_name: EVIL_STAFF.into(),
            role: Role::Handler,
            unit_id: app.units.station_a,
            password_hash: police_square_server::app::auth::hash_password(PASSWORD).unwrap(),
        })
        .await
        .unwrap();
    let mut evil = Browser::new(&app);
    evil.login("evil_officer").await;
    let inbox = evil.get("/staff").await;
    assert_eq!(inbox.status, StatusCode::OK);
    assert_escaped(&inbox, "inbox (text excerpt, staff name in the bar)");
    let detail = evil.get(&format!("/staff/appeals/{id}")).await;
    assert_escaped(&detail, "detail");
    evil.accept(&detail, id).await;
    evil.post_ok(
        &detail,
        &format!("/staff/appeals/{id}/reply"),
        &[("text", EVIL_REPLY)],
        StatusCode::SEE_OTHER,
    )
    .await;

    // Another handler sees the officer's name in the timeline, escaped; the reveal
    // shows the resident's name, escaped.
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    let detail = handler.get(&format!("/staff/appeals/{id}")).await;
    assert_escaped(&detail, "detail with timeline and reply");
    assert!(
        detail
            .body
            .contains("&lt;script&gt;alert(&#x27;officer&#x27;)")
            || detail
                .body
                .contains("&lt;script&gt;alert(&#39;officer&#39;)"),
        "officer name escaped in the timeline:\n{}",
        detail.body
    );
    let revealed = handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/reveal"),
            &[],
            StatusCode::OK,
        )
        .await;
    revealed.assert_contains(phone);
    revealed.assert_contains("&lt;img src=x onerror=alert(2)&gt;");
    assert_escaped(&revealed, "detail after reveal");

    // Hotline history of the caller.
    let hotline = handler.get(&format!("/staff/hotline?phone={phone}")).await;
    assert_eq!(hotline.status, StatusCode::OK, "{}", hotline.body);
    hotline.assert_contains(&format!("/staff/appeals/{id}"));
    assert_escaped(&hotline, "hotline history");

    // The resident's own page after verification: text and reply.
    resident.verify_resident(&app, &code, phone).await;
    let track = resident.get(&format!("/track/{code}")).await;
    track.assert_contains("&lt;b&gt;加粗");
    track.assert_contains("已处理&lt;script&gt;");
    assert_escaped(&track, "resident track page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_or_wrong_csrf_token_is_a_403_page() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut b = Browser::new(&app);
    let form = b.get("/appeals/new").await;
    let fields = [
        ("kind", "help"),
        ("text", "爱山派出所附近有积水"),
        ("contact_phone", "13800005555"),
    ];
    let none = b.post_raw("/appeals/new", &fields).await;
    assert_eq!(none.status, StatusCode::FORBIDDEN);
    none.assert_html();
    none.assert_contains("页面已过期");
    let mut wrong = vec![("_csrf", "0".repeat(64))];
    wrong.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = b.post_raw("/appeals/new", &wrong).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The right token from another visitor's page does not work without its cookie.
    let mut stranger = Browser::new(&app);
    let mut stolen = vec![("_csrf", form.csrf())];
    stolen.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let stolen: Vec<(&str, &str)> = stolen.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = stranger.post_raw("/appeals/new", &stolen).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.stores.rates.count_appeals().await.unwrap(), 0);

    // Login form.
    let r = b
        .post_raw(
            "/staff/login",
            &[("username", "station_a_handler"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!b.cookies.contains_key("ps_session"));

    // A signed-in handler's action with a wrong token (checked by the session guard).
    let code = b
        .submit_appeal("help", "爱山派出所旁边路灯不亮", "13800006666", "")
        .await;
    let id = appeal_id(&app, &code).await;
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    let r = handler
        .post_raw(
            &format!("/staff/appeals/{id}/accept"),
            &[("_csrf", &"f".repeat(64))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    r.assert_html();
    r.assert_contains("页面已过期");
    let r = handler
        .post_raw(&format!("/staff/appeals/{id}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let appeal = app.appeal(id).await;
    assert_eq!(appeal.status, police_square_domain::Status::Received);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_login_shows_an_error_and_is_throttled() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut b = Browser::new(&app);
    let form = b.get("/staff/login").await;
    let r = b
        .post_ok(
            &form,
            "/staff/login",
            &[("username", "station_a_handler"), ("password", "wrong")],
            StatusCode::UNAUTHORIZED,
        )
        .await;
    r.assert_html();
    r.assert_contains("用户名或密码错误");
    r.assert_contains("value=\"station_a_handler\"");
    assert!(!b.cookies.contains_key("ps_session"));

    let mut last = r;
    for _ in 0..10 {
        last = b
            .post(
                &form,
                "/staff/login",
                &[("username", "station_a_handler"), ("password", "wrong")],
            )
            .await;
        if last.status == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
    }
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
    last.assert_html();
    last.assert_contains("登录失败次数过多");

    // Signed-out visitors of the console are sent to the login page.
    let mut anon = Browser::new(&app);
    let r = anon.get("/staff/appeals/1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location.as_deref(),
        Some("/staff/login?next=/staff/appeals/1")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_of_another_station_gets_404_and_conduct_is_hidden() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut resident = Browser::new(&app);
    let code = resident
        .submit_appeal(
            "help",
            "爱山派出所辖区小区门口的井盖丢了",
            "13600001111",
            "",
        )
        .await;
    let id = appeal_id(&app, &code).await;

    let mut other = Browser::new(&app);
    other.login("station_b_handler").await;
    // Out of scope answers 404 like a missing appeal (403 told which ids exist).
    let r = other.get(&format!("/staff/appeals/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    r.assert_html();
    let inbox = other.get("/staff").await;
    assert!(!inbox.body.contains(&format!("/staff/appeals/{id}\"")));
    other
        .post_ok(
            &inbox,
            &format!("/staff/appeals/{id}/accept"),
            &[],
            StatusCode::NOT_FOUND,
        )
        .await;
    let r = other
        .post_ok(
            &inbox,
            &format!("/staff/appeals/{id}/reveal"),
            &[],
            StatusCode::NOT_FOUND,
        )
        .await;
    assert!(!r.body.contains("13600001111"));
    let appeal = app.appeal(id).await;
    assert_eq!(appeal.status, police_square_domain::Status::Received);

    // A complaint about officers of 爱山派出所: not visible to that station.
    let conduct = resident
        .submit_appeal(
            "complaint",
            "投诉爱山派出所的民警态度恶劣，办事时辱骂群众还推搡我，要求严肃处理这名民警。",
            "13600002222",
            "",
        )
        .await;
    let cid = appeal_id(&app, &conduct).await;
    let c = app.appeal(cid).await;
    assert_eq!(
        c.category.as_deref(),
        Some("conduct"),
        "classified as conduct"
    );
    let mut accused = Browser::new(&app);
    accused.login("station_a_handler").await;
    let r = accused.get(&format!("/staff/appeals/{cid}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    r.assert_html();
    let inbox = accused.get("/staff").await;
    assert!(!inbox.body.contains(&format!("/staff/appeals/{cid}\"")));
    let inbox = accused.get("/staff?category=conduct").await;
    assert!(!inbox.body.contains(&format!("/staff/appeals/{cid}\"")));
    // The district's supervisor (outside the accused station) handles it.
    let mut sup = Browser::new(&app);
    sup.login("a_supervisor").await;
    let r = sup.get(&format!("/staff/appeals/{cid}")).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_tracking_codes_find_nothing_and_are_rate_limited() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut b = Browser::new(&app);
    let r = b.get("/track/ABCDEFGHJKMNPQRS").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    r.assert_html();
    r.assert_contains("没有找到");
    let r = b.get("/track?code=not-a-code").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_contains("查询码格式不对");
    let mut last = StatusCode::OK;
    for i in 0..40 {
        let code = format!("{:016}", 1_000_000 + i);
        let r = b.get(&format!("/track/{code}")).await;
        last = r.status;
        if last == StatusCode::TOO_MANY_REQUESTS {
            r.assert_html();
            r.assert_contains("操作过于频繁");
            break;
        }
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_and_errors_are_friendly_html_in_the_visitors_language() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut b = Browser::new(&app);
    let r = b.get("/staff/nope?lang=en").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    r.assert_html();
    r.assert_contains("Not found");
    b.login("station_a_handler").await;
    let r = b.get("/staff/appeals/999999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    r.assert_html();
    r.assert_contains("Not found");
    let r = b.get("/track/0000000000000000?lang=zh-CN").await;
    r.assert_contains("没有找到");
    // Pages forbid scripts and framing outright (defence in depth against XSS).
    let home = reqwest::get(format!("{}/", app.base)).await.unwrap();
    let csp = home
        .headers()
        .get("content-security-policy")
        .expect("CSP on pages")
        .to_str()
        .unwrap()
        .to_owned();
    // Scripts only from our own files (the hotline page's lookup), never inline.
    let scripts = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"));
    assert_eq!(scripts, Some("script-src 'self'"));
    assert!(csp.contains("frame-ancestors 'none'"));
    // Signing out ends the session.
    let inbox = b.get("/staff").await;
    b.post_ok(&inbox, "/staff/logout", &[], StatusCode::SEE_OTHER)
        .await;
    assert!(!b.cookies.contains_key("ps_session"));
    let r = b.get("/staff").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // JSON API errors stay JSON.
    let api = reqwest::get(format!("{}/api/v1/appeals/1", app.base))
        .await
        .unwrap();
    assert!(api
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/json"));
}
