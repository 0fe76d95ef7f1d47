//! The 96110 operator's screen: the caller's history appears from the caller-number
//! field itself (fetched by a small script, or by the button beside the field without
//! one); the form is empty after every recorded call; and a repeat call about an open
//! appeal is attached to it as a follow-up (催问) that reaches the handler instead of
//! becoming a new appeal.

use crate::common::{Backend, TestApp};
use crate::pages_support::{spawn_pages_app, Browser, Html};
use reqwest::StatusCode;

const CALLER: &str = "13800003001";

/// The value of the hotline form's caller-number field.
fn phone_field(page: &Html) -> String {
    let at = page
        .body
        .find("id=\"rec-phone\"")
        .expect("the number field");
    let start = page.body[..at].rfind('<').unwrap();
    let end = at + page.body[at..].find('>').unwrap();
    let tag = &page.body[start..end];
    let v = tag.find("value=\"").unwrap() + 7;
    tag[v..v + tag[v..].find('"').unwrap()].to_owned()
}

fn idem(page: &Html) -> String {
    let at = page.body.find("name=\"idem\"").unwrap();
    let v = page.body[at..].find("value=\"").unwrap() + at + 7;
    let end = page.body[v..].find('"').unwrap() + v;
    page.body[v..end].to_owned()
}

async fn accepted_appeal(app: &TestApp, text: &str, phone: &str) -> i64 {
    let (id, _) = app
        .submitted("help", text, phone, app.units.station_a)
        .await;
    let handler = app.login("station_a_handler").await;
    handler.accept(id).await;
    id
}

on_both_backends!(a_repeat_call_follows_up_the_open_appeal_and_reaches_the_handler);

async fn a_repeat_call_follows_up_the_open_appeal_and_reaches_the_handler(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let open = accepted_appeal(&app, "小区门口的路灯坏了一个星期，晚上看不清路。", CALLER).await;
    let other = accepted_appeal(&app, "楼下饭店油烟太大。", "13800003999").await;
    let before = app.stores.rates.count_appeals().await.unwrap();

    let mut op = Browser::new(&app);
    op.login("operator").await;
    let page = op.get("/staff/hotline").await;
    assert_eq!(page.status, StatusCode::OK);
    // One number field: the history hangs off it, no second lookup box.
    assert_eq!(
        page.body.matches("name=\"phone\"").count(),
        1,
        "{}",
        page.body
    );
    page.assert_contains("src=\"/static/hotline.js\"");
    let script = reqwest::get(format!("{}/static/hotline.js", app.base))
        .await
        .unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert!(script
        .text()
        .await
        .unwrap()
        .contains("/staff/hotline/history"));

    // The script's request: the history block for the number typed so far.
    let fragment = op
        .post_ok(
            &page,
            "/staff/hotline/history",
            &[("phone", CALLER)],
            StatusCode::OK,
        )
        .await;
    fragment.assert_contains(&format!("/staff/appeals/{open}"));
    fragment.assert_contains(&format!("name=\"follow_up\" value=\"{open}\""));
    assert!(!fragment.body.contains("<html"), "a fragment, not a page");
    let partial = op
        .post(&page, "/staff/hotline/history", &[("phone", "1380")])
        .await;
    partial.assert_contains("请输入完整的来电号码");

    // Without the script: the button beside the field posts the form back with the
    // history, keeping what was typed and recording nothing.
    let text = "来电人再次询问路灯什么时候修好。";
    let looked = op
        .post_ok(
            &page,
            "/staff/hotline",
            &[
                ("phone", CALLER),
                ("text", text),
                ("lookup", "1"),
                ("idem", &idem(&page)),
            ],
            StatusCode::OK,
        )
        .await;
    looked.assert_contains(&format!("/staff/appeals/{open}"));
    looked.assert_contains(text);
    assert_eq!(phone_field(&looked), CALLER);
    assert_eq!(app.stores.rates.count_appeals().await.unwrap(), before);

    // The follow-up: attached to the open appeal, not a new one; the form is empty.
    let done = op
        .post_ok(
            &looked,
            "/staff/hotline",
            &[
                ("phone", CALLER),
                ("text", text),
                ("follow_up", &open.to_string()),
                ("idem", &idem(&looked)),
            ],
            StatusCode::OK,
        )
        .await;
    done.assert_contains("id=\"recorded\"");
    done.assert_contains(&format!("已作为催问记入诉求 #{open}"));
    assert_eq!(phone_field(&done), "");
    assert!(!done.body.contains(text), "the form is cleared");
    assert_eq!(app.stores.rates.count_appeals().await.unwrap(), before);
    let appeal = app.appeal(open).await;
    assert_eq!(appeal.follow_ups, 1);
    assert!(app
        .event_kinds(open)
        .await
        .contains(&"follow_up".to_owned()));

    // It reaches the handler: a message, a flag in the inbox, the note on the case.
    // To the handler who owns it, or (no owner yet) to the unit's handlers.
    let handler_id = app.staff_id("station_a_handler").await;
    let to_handler = app
        .latest_message(&format!("staff:{handler_id}"), "follow_up")
        .await;
    let to_unit = app
        .latest_message(&format!("unit:{}", app.units.station_a), "follow_up")
        .await;
    let message = to_handler.or(to_unit).expect("the handler is told");
    assert!(message.contains(&format!("#{open}")), "{message}");
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    let inbox = handler.get("/staff").await;
    let row_at = inbox.body.find(&format!("data-id=\"{open}\"")).unwrap();
    let row_end = row_at + inbox.body[row_at..].find("</li>").unwrap();
    assert!(
        inbox.body[row_at..row_end].contains("催问 1 次"),
        "{}",
        &inbox.body[row_at..row_end]
    );
    let case = handler.get(&format!("/staff/appeals/{open}")).await;
    case.assert_contains("来电催问");
    case.assert_contains(text);

    // Not someone else's appeal, and not a new appeal by mistake.
    let page = op.get("/staff/hotline").await;
    let wrong = op
        .post_ok(
            &page,
            "/staff/hotline",
            &[
                ("phone", CALLER),
                ("text", "催问"),
                ("follow_up", &other.to_string()),
                ("idem", &idem(&page)),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    wrong.assert_contains("不属于这个来电号码");
    assert_eq!(app.appeal(other).await.follow_ups, 0);

    // A new appeal recorded: the form is empty again for the next caller.
    let recorded = op
        .post_ok(
            &page,
            "/staff/hotline",
            &[
                ("phone", CALLER),
                ("kind", "help"),
                ("text", "来电人反映小区里有人乱扔垃圾。"),
                ("idem", &idem(&page)),
            ],
            StatusCode::OK,
        )
        .await;
    recorded.assert_contains("id=\"recorded\"");
    assert_eq!(phone_field(&recorded), "");
    assert_eq!(app.stores.rates.count_appeals().await.unwrap(), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_on_an_answered_appeal_is_refused_and_stores_nothing() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let id = accepted_appeal(&app, "小区门口的路灯坏了。", CALLER).await;
    let handler = app.login("station_a_handler").await;
    handler.reply(id, "您好，路灯已修复。").await;
    let events = app.event_kinds(id).await.len();
    let mut op = Browser::new(&app);
    op.login("operator").await;
    let page = op.get("/staff/hotline").await;
    let r = op
        .post_ok(
            &page,
            "/staff/hotline",
            &[
                ("phone", CALLER),
                ("text", "又来催问"),
                ("follow_up", &id.to_string()),
                ("idem", &idem(&page)),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    r.assert_contains("已答复或办结");
    // What the operator typed is still there.
    r.assert_contains("又来催问");
    assert_eq!(app.event_kinds(id).await.len(), events);
}
