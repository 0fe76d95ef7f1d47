//! The HTML pages end to end: a resident submits through the portal, a handler accepts
//! and replies in the console, the resident verifies with a one-time code and rates.

use crate::common::{otp_in, Backend};
use crate::pages_support::{appeal_id, spawn_pages_app, Browser};
use reqwest::StatusCode;

on_both_backends!(resident_and_handler_complete_an_appeal_through_the_pages);

async fn resident_and_handler_complete_an_appeal_through_the_pages(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let mut resident = Browser::new(&app);

    let home = resident.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    home.assert_html();
    home.assert_contains("110");
    home.assert_contains("/appeals/new");

    let phone = "13800001234";
    let code = resident
        .submit_appeal(
            "help",
            "爱山派出所附近的路灯坏了一个星期，晚上很黑，希望尽快修好。",
            phone,
            "李四",
        )
        .await;
    assert_eq!(code.len(), 16);
    let id = appeal_id(&app, &code).await;

    // Public tracking page: status and timeline, no text before verification.
    let track = resident.get(&format!("/track/{code}")).await;
    assert_eq!(track.status, StatusCode::OK);
    track.assert_contains("待受理");
    assert!(
        !track.body.contains("路灯坏了"),
        "text hidden before verification"
    );

    // The typed form normalises the code and redirects.
    let pretty = format!("{}-{}", &code[..4], &code[4..].to_lowercase());
    let r = resident.get(&format!("/track?code={pretty}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("/track/{code}").as_str())
    );

    // The handler of 爱山派出所 finds it in the inbox, accepts and replies.
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    let inbox = handler.get("/staff").await;
    assert_eq!(inbox.status, StatusCode::OK);
    inbox.assert_contains(&format!("href=\"/staff/appeals/{id}\""));
    inbox.assert_contains("138****1234");
    assert!(
        !inbox.body.contains(phone),
        "inbox shows only the masked phone"
    );

    let detail = handler.get(&format!("/staff/appeals/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK);
    detail.assert_contains("路灯坏了");
    let r = handler.accept(&detail, id).await;
    let detail = handler.get(r.location.as_deref().unwrap()).await;
    detail.assert_contains("已受理");
    let r = handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/reply"),
            &[
                ("text", "已联系路灯管理所，路灯已于今日修复。"),
                ("template_id", ""),
            ],
            StatusCode::SEE_OTHER,
        )
        .await;
    let detail = handler.get(r.location.as_deref().unwrap()).await;
    detail.assert_contains("已答复");

    // The resident asks for a one-time code, reads it from the notify log, verifies.
    let track = resident.get(&format!("/track/{code}")).await;
    let sent = resident
        .post_ok(&track, &format!("/track/{code}/otp"), &[], StatusCode::OK)
        .await;
    sent.assert_contains("138****1234");
    sent.assert_contains("name=\"otp\"");
    let message = app.latest_message(phone, "otp").await.expect("otp sent");
    let otp = otp_in(&message);

    let wrong = if otp == "000000" { "111111" } else { "000000" };
    let r = resident
        .post_ok(
            &sent,
            &format!("/track/{code}/verify"),
            &[("otp", wrong)],
            StatusCode::UNAUTHORIZED,
        )
        .await;
    r.assert_html();
    r.assert_contains("验证码错误");

    let r = resident
        .post_ok(
            &sent,
            &format!("/track/{code}/verify"),
            &[("otp", &otp)],
            StatusCode::SEE_OTHER,
        )
        .await;
    assert!(resident.cookies.contains_key("ps_resident"));
    let track = resident.get(r.location.as_deref().unwrap()).await;
    track.assert_contains("路灯已于今日修复");
    track.assert_contains("name=\"satisfaction\"");

    let r = resident
        .post_ok(
            &track,
            &format!("/track/{code}/rate"),
            &[("resolved", "yes"), ("satisfaction", "satisfied")],
            StatusCode::SEE_OTHER,
        )
        .await;
    let thanks = resident.get(r.location.as_deref().unwrap()).await;
    thanks.assert_contains("感谢您的评价");
    thanks.assert_contains("办结");
    let appeal = app.appeal(id).await;
    assert_eq!(appeal.rating_resolved, Some(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_switch_is_remembered() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut b = Browser::new(&app);
    let zh = b.get("/").await;
    zh.assert_contains("lang=\"zh-CN\"");
    let en = b.get("/?lang=en").await;
    en.assert_contains("lang=\"en\"");
    en.assert_contains("Submit an appeal");
    assert_eq!(b.cookies.get("lang").map(String::as_str), Some("en"));
    let later = b.get("/appeals/new").await;
    later.assert_contains("Kind of appeal");
    // Staff console in English too.
    b.login("station_a_handler").await;
    let inbox = b.get("/staff").await;
    inbox.assert_contains("Appeals in my scope");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emergency_tells_the_resident_to_call_110_and_heads_the_inbox() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut resident = Browser::new(&app);
    let normal = resident
        .submit_appeal(
            "consultation",
            "爱山派出所办理居住证需要带什么材料？",
            "13900002222",
            "",
        )
        .await;
    let form = resident.get("/appeals/new").await;
    let idem = {
        let at = form.body.find("name=\"idem\"").unwrap();
        let v = form.body[at..].find("value=\"").unwrap() + at + 7;
        let end = form.body[v..].find('"').unwrap() + v;
        form.body[v..end].to_owned()
    };
    let r = resident
        .post_ok(
            &form,
            "/appeals/new",
            &[
                ("kind", "help"),
                (
                    "text",
                    "救命！现在有人拿着刀在爱山派出所旁边的小区楼下砍人，快来！",
                ),
                ("contact_phone", "13900003333"),
                ("idem", &idem),
            ],
            StatusCode::OK,
        )
        .await;
    r.assert_contains("class=\"emergency\"");
    r.assert_contains("110");

    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    let inbox = handler.get("/staff").await;
    let first_case = inbox.body.find("<a class=\"case").expect("a case");
    assert!(
        inbox.body[first_case..].starts_with("<a class=\"case emergency-row"),
        "the emergency heads the inbox"
    );
    let normal_id = appeal_id(&app, &normal).await;
    inbox.assert_contains(&format!("/staff/appeals/{normal_id}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_errors_come_back_with_what_was_typed() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut b = Browser::new(&app);
    let form = b.get("/appeals/new").await;
    let r = b
        .post_ok(
            &form,
            "/appeals/new",
            &[
                ("kind", ""),
                ("text", "我的自行车丢了"),
                ("contact_phone", "abc"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    r.assert_contains("请选择诉求类型");
    r.assert_contains("请填写正确的联系电话");
    r.assert_contains("我的自行车丢了");
}
