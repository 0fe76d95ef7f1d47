//! Issue 10 (what people met in the browser), the resident portal and the handlers'
//! inbox: emergencies routed to a duty unit at once with a notice, 可能紧急 first in the
//! 待办 tab, phones that can be reached, the tracking link by SMS, fitting reply
//! templates without placeholders, 首接负责, 复核中, the rating comment, HTML 404s.

use crate::common::{self, expect, Backend, START};
use crate::pages_support::{self, appeal_id, spawn_pages_app, Browser};
use police_square_domain::{tracking, AppealKind, Channel, Status, Urgency};
use police_square_notify::LogTransport;
use police_square_store::{NewAppeal, NewReplyTemplate};
use reqwest::StatusCode;
use serde_json::json;

const KNIFE: &str = "救命！现在有人拿着刀在街上砍人，快来！";

on_both_backends!(
    an_emergency_goes_to_the_duty_unit_with_a_notice,
    the_todo_tab_lists_open_work_possibly_urgent_first,
    phones_must_be_reachable_and_landlines_are_called_back,
    templates_fit_the_appeal_and_placeholders_are_refused,
    accepting_makes_the_handler_the_owner,
    an_unsatisfied_rating_reads_under_review_with_its_comment,
);

async fn an_emergency_goes_to_the_duty_unit_with_a_notice(backend: Backend) {
    let mut app = common::spawn_app_with(backend, |c| {
        c.emergency
            .duty_units
            .insert("吴兴区".into(), "月河派出所".into());
        c.public_base_url = "https://jwgc.example.org".into();
    })
    .await;
    app.base = pages_support::start_with_pages(app.state.clone()).await;
    // The district's configured duty unit takes it, with 10 minutes to accept.
    let r = app
        .submit_raw(
            json!({"kind": "help", "text": KNIFE, "channel": "hotline",
                   "contact_phone": "13800001111", "district": "吴兴区"}),
            None,
        )
        .await;
    let out = expect(r, StatusCode::CREATED).await;
    let id = out["id"].as_i64().unwrap();
    let appeal = app.appeal(id).await;
    assert!(appeal.emergency && appeal.possible_emergency);
    assert_eq!(appeal.unit_id, app.units.station_b);
    assert_eq!(appeal.accept_by - appeal.received_at, 10 * 60_000);
    // The duty contact is told at once, through the notification transports.
    let notice = app
        .latest_message(
            &format!("unit:{}", app.units.station_b),
            "portal.emergency_duty",
        )
        .await
        .expect("duty notice sent");
    assert!(notice.contains(&format!("#{id}")), "{notice}");
    // The caller gets the tracking link by SMS (a hotline appeal too).
    let sms = app
        .latest_message("13800001111", "portal.intake_received")
        .await
        .expect("tracking SMS");
    let code = out["tracking_code"].as_str().unwrap();
    assert!(
        sms.contains(&format!("https://jwgc.example.org/t/{code}")),
        "{sms}"
    );
    // The short link leads to the tracking page.
    let r = app.get(&format!("/t/{code}")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Nothing known about the place: the city bureau itself, never its
    // public-relations office's 2-hour queue (seen: a knife attack routed there).
    let r = app
        .submit_raw(
            json!({"kind": "help", "text": KNIFE, "channel": "web", "contact_phone": "13800001112"}),
            None,
        )
        .await;
    let id = expect(r, StatusCode::CREATED).await["id"].as_i64().unwrap();
    let appeal = app.appeal(id).await;
    assert_eq!(appeal.unit_id, app.units.city);
    assert_ne!(appeal.unit_id, app.units.city_office);
}

async fn the_todo_tab_lists_open_work_possibly_urgent_first(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let station = app.units.station_a;
    let ordinary = app
        .submit_direct(
            station,
            AppealKind::Consultation,
            "居住证怎么办理？",
            "13800002001",
        )
        .await;
    let closed_emergency = app
        .submit_direct(station, AppealKind::Help, KNIFE, "13800002002")
        .await;
    // Close the emergency (rejected as a duplicate): it is no work to do any more.
    let handler = app.login("station_a_handler").await;
    handler
        .reject(closed_emergency, "重复诉求，已合并办理")
        .await;
    // A later appeal the gate was unsure about (可能紧急), stored as intake stores it.
    app.advance_to(START + 60_000);
    let possible = insert_possible(&app, station, "楼下好像有人在吵架", "13800002003").await;

    let mut b = Browser::new(&app);
    b.login("station_a_handler").await;
    let inbox = b.get("/staff").await;
    inbox.assert_html();
    let urgent = inbox
        .body
        .find("id=\"possibly-urgent\"")
        .expect("urgent block");
    let possible_at = inbox
        .body
        .find(&format!("/staff/appeals/{possible}\""))
        .unwrap();
    let ordinary_at = inbox
        .body
        .find(&format!("/staff/appeals/{ordinary}\""))
        .unwrap();
    assert!(urgent < possible_at && possible_at < ordinary_at);
    inbox.assert_contains("可能紧急");
    assert!(
        !inbox
            .body
            .contains(&format!("/staff/appeals/{closed_emergency}\"")),
        "a closed emergency is no work to do"
    );
    // Counts per status: two received cases still open.
    let counts = &inbox.body[inbox.body.find("id=\"status-counts\"").unwrap()..];
    let received = &counts[counts.find("data-status=\"received\"").unwrap()..];
    assert!(received[..received.find("</a>").unwrap()].contains("<strong>2</strong>"));
    // Every status, closed ones too, one click away.
    let all = b.get("/staff?status=all").await;
    all.assert_contains(&format!("/staff/appeals/{closed_emergency}\""));
}

/// An appeal the urgency gate was unsure about (可能紧急), stored as intake stores one.
async fn insert_possible(app: &common::TestApp, unit: i64, text: &str, phone: &str) -> i64 {
    let now = app.clock_now();
    let phone = police_square_domain::pii::Phone::parse(phone).unwrap();
    let new = NewAppeal {
        tracking_code: tracking::encode([7; tracking::RANDOM_BYTES]),
        idempotency_key: None,
        kind: AppealKind::Help,
        channel: Channel::Web,
        text: text.into(),
        search_text: text.into(),
        category: Some("other".into()),
        category_confidence: Some(0.5),
        category_needs_review: false,
        urgency: Urgency::Normal,
        emergency: false,
        possible_emergency: true,
        sentiment: None,
        unit_id: unit,
        subject_unit_id: None,
        status: Status::Received,
        received_at: now,
        accept_by: now + 3_600_000,
        due_at: now + 7 * 86_400_000,
        contact: app.state.vault.seal_contact(&phone, None, None),
        recorded_by: None,
        history: None,
    };
    let id = app.stores.appeals.insert_appeal(new).await.unwrap().id();
    assert!(app.appeal(id).await.possible_emergency);
    id
}

/// Post the new-appeal form with `fields` (kind, text, phone, district…).
async fn post_new_appeal(b: &mut Browser, fields: &[(&str, &str)]) -> pages_support::Html {
    let form = b.get("/appeals/new").await;
    let idem = {
        let at = form.body.find("name=\"idem\"").unwrap();
        let v = form.body[at..].find("value=\"").unwrap() + at + 7;
        let end = form.body[v..].find('"').unwrap() + v;
        form.body[v..end].to_owned()
    };
    let mut all = fields.to_vec();
    all.push(("idem", &idem));
    b.post(&form, "/appeals/new", &all).await
}

async fn phones_must_be_reachable_and_landlines_are_called_back(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    // Seen: a 7-digit number was accepted, and no code could ever reach it.
    let r = app
        .submit_raw(
            json!({"kind": "help", "text": "井盖坏了", "channel": "web", "contact_phone": "1380000"}),
            None,
        )
        .await;
    let err = expect(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(err.to_string().contains("contact_phone"), "{err}");

    // The form says a landline is called back, and the confirmation says so again.
    let mut b = Browser::new(&app);
    let form = b.get("/appeals/new").await;
    form.assert_contains("0572-1234567");
    let done = post_new_appeal(
        &mut b,
        &[
            ("kind", "consultation"),
            ("text", "户口迁移要带什么材料？"),
            ("contact_phone", "0572-2345678"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    done.assert_contains("id=\"call-back\"");
    let code = pages_support::attr_after(&done.body, "id=\"tracking-code\"", "data-code").unwrap();
    let id = appeal_id(&app, &code).await;
    app.deliver_outbox().await;
    let appeal = app.appeal(id).await;
    assert!(
        LogTransport::latest_for(&app.notify_log, "05722345678", "portal.intake_received")
            .unwrap()
            .is_none(),
        "no SMS to a landline"
    );
    let track = b.get(&format!("/track/{}", appeal.tracking_code)).await;
    track.assert_contains("id=\"landline\"");
    let r = app.ask_for_otp(&code).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn templates_fit_the_appeal_and_placeholders_are_refused(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let theft = app
        .stores
        .catalog
        .create_fitting_reply_template(NewReplyTemplate {
            title: "电动车被盗答复".into(),
            body: "您好，您反映的电动车被盗情况已登记。".into(),
            kinds: vec![AppealKind::Report],
            categories: vec!["theft".into()],
        })
        .await
        .unwrap();
    let consult = app
        .stores
        .catalog
        .create_fitting_reply_template(NewReplyTemplate {
            title: "咨询解答".into(),
            body: "您好，【单位】答复如下：……如有疑问请拨打【电话】。".into(),
            kinds: vec![AppealKind::Consultation],
            categories: Vec::new(),
        })
        .await
        .unwrap();
    let id = app
        .submit_direct(
            app.units.station_a,
            AppealKind::Consultation,
            "驾驶证丢了怎么补办？",
            "13800003001",
        )
        .await;
    let handler = app.login("station_a_handler").await;
    handler.accept(id).await;
    // Seen: the template went out with its "……"; now it is refused, server-side.
    let r = handler
        .post(
            &format!("/api/v1/appeals/{id}/reply"),
            json!({"template_id": consult.id}),
        )
        .await;
    let err = expect(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(err.to_string().contains("placeholder"), "{err}");
    // A template for another kind is not offered, nor accepted.
    let r = handler
        .post(
            &format!("/api/v1/appeals/{id}/reply"),
            json!({"template_id": theft.id}),
        )
        .await;
    expect(r, StatusCode::UNPROCESSABLE_ENTITY).await;

    let mut b = Browser::new(&app);
    b.login("station_a_handler").await;
    let page = b.get(&format!("/staff/appeals/{id}")).await;
    page.assert_contains("咨询解答");
    assert!(
        !page.body.contains("电动车被盗答复"),
        "only fitting templates"
    );
    // Choosing it fills the reply box, fields filled in, for editing.
    let chosen = b
        .get(&format!("/staff/appeals/{id}?template={}", consult.id))
        .await;
    chosen.assert_contains("您好，爱山派出所答复如下：……如有疑问请拨打96110。</textarea>");
    // Sent unedited, it comes back with a clear message and the text kept.
    let r = b
        .post_ok(
            &chosen,
            &format!("/staff/appeals/{id}/reply"),
            &[("text", "您好，爱山派出所答复如下：……")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    r.assert_contains("占位内容“……”");
    r.assert_contains("爱山派出所答复如下：……</textarea>");
    assert_eq!(app.appeal(id).await.reply_text, None);
}

async fn accepting_makes_the_handler_the_owner(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let id = app
        .submit_direct(
            app.units.station_a,
            AppealKind::Help,
            "小区门口路灯坏了一个星期",
            "13800004001",
        )
        .await;
    let handler = app.login("station_a_handler").await;
    handler.accept(id).await;
    let me = app.staff_id("station_a_handler").await;
    assert_eq!(
        app.appeal(id).await.assignee_id,
        Some(me),
        "首接负责: whoever accepts owns the case"
    );
    let mut b = Browser::new(&app);
    b.login("station_a_handler").await;
    b.get(&format!("/staff/appeals/{id}"))
        .await
        .assert_contains("station_a_handler 警官");
}

async fn an_unsatisfied_rating_reads_under_review_with_its_comment(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let phone = "13800005001";
    let id = app
        .submit_direct(
            app.units.station_a,
            AppealKind::Help,
            "楼道里堆满杂物",
            phone,
        )
        .await;
    let handler = app.login("station_a_handler").await;
    handler.accept(id).await;
    handler.reply(id, "您好，已通知物业清理楼道杂物。").await;
    let code = app.tracking_code(id).await;
    // The reply SMS carries the link, not "please sign in" (residents have no login).
    let sms = app.latest_message(phone, "reply_ready").await.unwrap();
    assert!(
        sms.contains(&format!("/t/{code}")) && !sms.contains("登录"),
        "{sms}"
    );

    let resident = app.verify_resident(&code, phone).await;
    resident
        .rate(
            &code,
            json!({"resolved": false, "satisfaction": "unsatisfied", "comment": "杂物还在，物业没来"}),
        )
        .await;
    let view = resident.get_ok(&format!("/api/v1/track/{code}")).await;
    assert_eq!(view["status"], "closed");
    assert_eq!(view["status_label"], "复核中");
    assert_eq!(view["under_review"], true);
    let events = app.stores.appeals.events(id).await.unwrap();
    let rated = events.iter().find(|e| e.kind == "rated").unwrap();
    assert_eq!(rated.note.as_deref(), Some("杂物还在，物业没来"));
    let mut sup = Browser::new(&app);
    sup.login("a_supervisor").await;
    sup.get(&format!("/staff/appeals/{id}"))
        .await
        .assert_contains("杂物还在，物业没来");
    // The supervisor deciding the review reads the resident's reason there too.
    sup.get("/staff/supervision")
        .await
        .assert_contains("杂物还在，物业没来");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_are_html_404s_and_there_is_a_favicon() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut b = Browser::new(&app);
    let r = b.get("/stats").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    r.assert_html();
    let r = app.get("/api/v1/nothing").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let r = app.get("/favicon.ico").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[reqwest::header::CONTENT_TYPE], "image/svg+xml");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn home_kinds_lead_to_the_form_and_districts_are_places() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut b = Browser::new(&app);
    let home = b.get("/").await;
    home.assert_contains("href=\"/appeals/new?kind=help\"");
    home.assert_contains("老人走失");
    let form = b.get("/appeals/new?kind=help").await;
    form.assert_contains("value=\"help\" required checked");
    form.assert_contains("<option value=\"吴兴区\">吴兴区</option>");
    assert!(
        !form.body.contains(">吴兴区公安分局<"),
        "districts, not police units"
    );
    // Routing still finds the district bureau by the short name.
    let done = post_new_appeal(
        &mut b,
        &[
            ("kind", "suggestion"),
            ("text", "建议路口增设信号灯"),
            ("contact_phone", "13800006001"),
            ("district", "吴兴区"),
        ],
    )
    .await;
    done.assert_contains("id=\"code-texted\"");
    let code = pages_support::attr_after(&done.body, "id=\"tracking-code\"", "data-code").unwrap();
    let id = appeal_id(&app, &code).await;
    assert_eq!(app.appeal(id).await.unit_id, app.units.district_a);
}
