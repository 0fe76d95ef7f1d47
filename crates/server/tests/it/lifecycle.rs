//! The whole appeal lifecycle through HTTP, on SQLite and PostgreSQL.

use crate::common::{expect, id_and_code, spawn_app, Backend};
use police_square_server::{app::jobs, features::supervision};
use reqwest::StatusCode;
use serde_json::json;

const PHONE: &str = "13800001234";

on_both_backends!(
    intake_accept_transfer_reply_rate_close,
    unsatisfied_rating_opens_review_and_reopens,
    overdue_cases_are_reminded_then_escalated,
    external_handoff_and_receipt,
    emergency_tells_the_resident_to_call_110,
    unrated_replies_close_when_the_rating_window_ends,
);

async fn intake_accept_transfer_reply_rate_close(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .submit(
            "complaint",
            "爱山街道红旗路夜市烧烤摊每晚噪音扰民到凌晨两点，多次反映无果",
            PHONE,
            Some(app.units.station_a),
        )
        .await;
    let (id, code) = id_and_code(&created);
    assert_eq!(created["status"], "received");
    assert_eq!(created["call_110"], false);
    assert_eq!(code.len(), 16);

    // Station A accepts (首接负责) and transfers to station B.
    let a = app.login("station_a_handler").await;
    let inbox = a.get_ok("/api/v1/appeals").await;
    assert!(inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == id));
    let accepted = a.accept(id).await;
    assert_eq!(accepted["status"], "accepted");
    let moved = a
        .post_ok(
            &format!("/api/v1/appeals/{id}/transfer"),
            json!({"to_unit_id": app.units.station_b, "reason": "属月河派出所辖区"}),
            StatusCode::OK,
        )
        .await;
    assert_eq!(moved["outcome"], "transferred");
    assert_eq!(moved["appeal"]["status"], "transferred");
    // Once transferred, station A no longer owns it: out of scope looks missing.
    let r = a.get(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // Station B accepts, assigns and replies.
    let b = app.login("station_b_handler").await;
    b.accept(id).await;
    let me = app.staff_id("station_b_handler").await;
    let assigned = b
        .post_ok(
            &format!("/api/v1/appeals/{id}/assign"),
            json!({"assignee_id": me}),
            StatusCode::OK,
        )
        .await;
    assert_eq!(assigned["status"], "in_progress");
    // Replying too early in the lifecycle is refused by the state machine elsewhere;
    // here it is allowed.
    let replied = b
        .reply(id, "已联系城管与市场监管部门联合整治，烧烤摊已限时经营。")
        .await;
    assert_eq!(replied["status"], "replied");
    let notice = app
        .latest_message(PHONE, "reply_ready")
        .await
        .expect("reply notice");
    assert!(notice.contains(&code[..4]), "{notice}");
    // Staff may not close while the resident may still rate.
    let r = b
        .post(&format!("/api/v1/appeals/{id}/close"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // The public view: status and timeline, but no reply or text before verification.
    let public = expect(
        app.get(&format!("/api/v1/track/{code}")).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(public["status"], "replied");
    assert_eq!(public["verified"], false);
    assert!(public["reply_text"].is_null());
    assert!(public["text"].is_null());
    let kinds: Vec<&str> = public["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["received", "accepted", "transferred", "accepted", "replied"]
    );
    assert!(!public.to_string().contains("13800001234"));
    assert!(!public.to_string().contains("张三"));

    // A wrong one-time code fails; the right one opens a resident session.
    let r = app.ask_for_otp(&code).await;
    expect(r, StatusCode::OK).await;
    let r = app
        .http
        .post(app.url(&format!("/api/v1/track/{code}/verify")))
        .json(&json!({"otp": "000000x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let resident = app.verify_resident(&code, PHONE).await;
    let mine = resident.get_ok(&format!("/api/v1/track/{code}")).await;
    assert_eq!(mine["verified"], true);
    assert_eq!(mine["can_rate"], true);
    assert!(mine["reply_text"].as_str().unwrap().contains("联合整治"));

    // Rating without the CSRF token is refused; with it, the case closes.
    let r = app
        .http
        .post(app.url(&format!("/api/v1/track/{code}/rate")))
        .header("cookie", &resident.cookie)
        .json(&json!({"resolved": true, "satisfaction": "satisfied"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let rated = resident
        .rate(
            &code,
            json!({"resolved": true, "satisfaction": "satisfied"}),
        )
        .await;
    assert_eq!(rated["status"], "closed");
    assert_eq!(rated["rating"]["satisfaction"], "satisfied");
    // Rating twice is a conflict.
    let r = resident
        .post(
            &format!("/api/v1/track/{code}/rate"),
            json!({"resolved": true, "satisfaction": "basic"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let events = app.event_kinds(id).await;
    assert!(events.contains(&"assigned".to_string()));
    assert_eq!(events.last().unwrap(), "rated");
    // The audit trail has every change.
    let audit = app.stores.audit.audit_entries(0, 100).await.unwrap();
    assert!(audit.len() >= 7, "{audit:?}");
}

async fn unsatisfied_rating_opens_review_and_reopens(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .submit(
            "help",
            "我家小区门口的路口没有红绿灯，上下学时间孩子过马路很危险，希望设置信号灯",
            PHONE,
            Some(app.units.station_a),
        )
        .await;
    let (id, code) = id_and_code(&created);
    let handler = app.login("station_a_handler").await;
    handler.accept(id).await;
    handler.reply(id, "已转告交通部门研究。").await;
    let resident = app.verify_resident(&code, PHONE).await;
    let rated = resident
        .rate(
            &code,
            json!({"resolved": false, "satisfaction": "unsatisfied"}),
        )
        .await;
    assert_eq!(rated["status"], "closed");
    assert_eq!(rated["review"], "pending");

    // The district supervisor sees the review request and reopens the case.
    let supervisor = app.login("a_supervisor").await;
    let view = supervisor.get_ok("/api/v1/supervision").await;
    let request = view["pending_requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["appeal_id"] == id && r["kind"] == "review")
        .expect("review request")
        .clone();
    // Handlers may not decide.
    let r = handler
        .post(
            &format!("/api/v1/requests/{}/decide", request["id"]),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let decided = supervisor.decide(&request["id"], true).await;
    assert_eq!(decided["state"], "approved");
    let detail = handler.get_ok(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(detail["appeal"]["status"], "reopened");
    assert_eq!(detail["appeal"]["reopen_count"], 1);
    assert!(detail["appeal"]["due_at"].as_i64().unwrap() > created["due_at"].as_i64().unwrap() - 1);
    // Deciding twice is a conflict.
    let r = supervisor
        .post(
            &format!("/api/v1/requests/{}/decide", request["id"]),
            json!({"approve": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // Reply again; the resident can rate again.
    let again = handler
        .reply(id, "交通部门已在路口增设信号灯，本周内启用。")
        .await;
    assert_eq!(again["status"], "replied");
    let rated = resident
        .rate(
            &code,
            json!({"resolved": true, "satisfaction": "satisfied"}),
        )
        .await;
    assert_eq!(rated["status"], "closed");
    let kinds = app.event_kinds(id).await;
    assert!(kinds.contains(&"reopened".to_string()), "{kinds:?}");
}

async fn overdue_cases_are_reminded_then_escalated(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .submit(
            "report",
            "小区地下车库经常有人聚众赌博，深夜吵闹",
            PHONE,
            Some(app.units.station_a),
        )
        .await;
    let id = created["id"].as_i64().unwrap();
    let due_at = created["due_at"].as_i64().unwrap();
    let handler = app.login("station_a_handler").await;
    handler.accept(id).await;

    // Nothing to do while far from the deadline.
    let report = supervision::deadline_scan(&app.state).await.unwrap();
    assert_eq!(report.reminded + report.escalated, 0);

    // Near the deadline: one reminder (催办), once.
    app.advance_to(due_at - 3_600_000);
    let report = supervision::deadline_scan(&app.state).await.unwrap();
    assert_eq!(report.reminded, 1);
    let report = supervision::deadline_scan(&app.state).await.unwrap();
    assert_eq!(report.reminded + report.escalated, 0);
    // The handler who accepted owns the case (首接负责): the reminder is theirs.
    let owner = app.staff_id("station_a_handler").await;
    let reminder = app
        .latest_message(&format!("staff:{owner}"), "reminder")
        .await
        .expect("reminder to the handler who accepted");
    assert!(reminder.contains(&format!("#{id}")));

    // Past the deadline: escalated (升级督办) to the parent unit, once.
    app.advance_to(due_at + 3_600_000);
    let report = supervision::deadline_scan(&app.state).await.unwrap();
    assert_eq!(report.escalated, 1);
    let report = supervision::deadline_scan(&app.state).await.unwrap();
    assert_eq!(report.reminded + report.escalated, 0);
    assert!(app
        .latest_message(&format!("unit:{}", app.units.district_a), "escalation")
        .await
        .is_some());
    let kinds = app.event_kinds(id).await;
    assert_eq!(kinds.iter().filter(|k| *k == "reminded").count(), 1);
    assert_eq!(kinds.iter().filter(|k| *k == "escalated").count(), 1);

    // The supervision view lists it; the overdue inbox filter finds it. (Sessions
    // expired while the clock moved a week: sign in again.)
    let handler = app.login("station_a_handler").await;
    let supervisor = app.login("a_supervisor").await;
    let view = supervisor.get_ok("/api/v1/supervision").await;
    assert!(view["cases"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == id));
    let overdue = handler.get_ok("/api/v1/appeals?overdue=true").await;
    assert!(overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == id));

    // An extension approved by the supervisor moves the deadline and clears supervision.
    let request = handler
        .post_ok(
            &format!("/api/v1/appeals/{id}/extension"),
            json!({"days": 5, "reason": "需调取监控"}),
            StatusCode::CREATED,
        )
        .await;
    supervisor.decide(&request["id"], true).await;
    let detail = handler.get_ok(&format!("/api/v1/appeals/{id}")).await;
    assert!(detail["appeal"]["due_at"].as_i64().unwrap() > due_at + 4 * 86_400_000);
    assert_eq!(detail["appeal"]["supervision_level"], 0);

    // The periodic job path runs the same scan through the jobs table.
    jobs::schedule_periodic(&app.state, true).await.unwrap();
    assert!(jobs::run_due_jobs(&app.state).await.unwrap() >= 1);

    // Dashboard: rates per unit rolled up the tree, with case counts.
    app.stores
        .rates
        .refresh_stats(app.clock_now())
        .await
        .unwrap();
    let dash = supervisor.get_ok("/api/v1/dashboard").await;
    let district = dash["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == app.units.district_a)
        .unwrap()
        .clone();
    assert!(
        district["counts"]["total"].as_i64().unwrap() >= 1,
        "{district}"
    );
}

async fn external_handoff_and_receipt(backend: Backend) {
    let app = spawn_app(backend).await;
    let dept = app
        .stores
        .catalog
        .create_department("吴兴区城市管理局", "0572-1234567")
        .await
        .unwrap();
    let (id, code) = app
        .submitted(
            "suggestion",
            "红旗路的路灯坏了一个多月了，晚上很黑，希望尽快修好",
            PHONE,
            app.units.station_a,
        )
        .await;
    let handler = app.login("station_a_handler").await;
    handler.accept(id).await;
    let handoff = handler
        .post_ok(
            &format!("/api/v1/appeals/{id}/handoff"),
            json!({"department_id": dept.id, "note": "路灯维修属城管职责"}),
            StatusCode::CREATED,
        )
        .await;
    assert!(handoff["acknowledged_at"].is_null());
    let detail = handler.get_ok(&format!("/api/v1/appeals/{id}")).await;
    assert_eq!(detail["appeal"]["status"], "transferred");
    assert_eq!(detail["handoffs"].as_array().unwrap().len(), 1);

    // Another station's handler cannot record the receipt (out of scope: 404).
    let other = app.login("station_c_handler").await;
    let r = other
        .post(
            &format!("/api/v1/handoffs/{}/acknowledge", handoff["id"]),
            json!({"appeal_id": id, "receipt": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let acked = handler
        .post_ok(
            &format!("/api/v1/handoffs/{}/acknowledge", handoff["id"]),
            json!({"appeal_id": id, "receipt": "城管局王科长电话确认签收，编号CG-2026-118"}),
            StatusCode::OK,
        )
        .await;
    assert!(acked["acknowledged_at"].is_i64());
    let r = handler
        .post(
            &format!("/api/v1/handoffs/{}/acknowledge", handoff["id"]),
            json!({"appeal_id": id, "receipt": "again"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // The owning unit still replies to the resident.
    handler.reply(id, "城管局已安排维修，三日内修复。").await;
    let public = expect(
        app.get(&format!("/api/v1/track/{code}")).await,
        StatusCode::OK,
    )
    .await;
    let handed = public["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "handed_off")
        .expect("hand-off on the timeline")
        .clone();
    assert_eq!(handed["to"], "吴兴区城市管理局");
    // The internal note is not public.
    assert!(!public.to_string().contains("路灯维修属城管职责"));
}

async fn emergency_tells_the_resident_to_call_110(backend: Backend) {
    let app = spawn_app(backend).await;
    let created = app
        .submit(
            "help",
            "救命！现在有人拿着刀在我家楼下砍人，快来！",
            PHONE,
            None,
        )
        .await;
    assert_eq!(created["emergency"], true);
    assert_eq!(created["call_110"], true);
    assert!(created["message"].as_str().unwrap().contains("110"));
    // Emergencies head the inbox.
    app.submit(
        "consultation",
        "请问身份证丢了怎么补办？",
        "13900001111",
        None,
    )
    .await;
    let admin = app.login("admin").await;
    let inbox = admin.get_ok("/api/v1/appeals").await;
    assert_eq!(inbox["items"][0]["id"], created["id"]);
    assert_eq!(inbox["items"][0]["emergency"], true);
}

async fn unrated_replies_close_when_the_rating_window_ends(backend: Backend) {
    let app = spawn_app(backend).await;
    let handler = app.login("station_a_handler").await;
    let mut ids = Vec::new();
    for text in [
        "楼道里堆满杂物，消防通道被堵",
        "夜市摊贩占道经营，车辆无法通行",
    ] {
        let reply = "已联系社区和城管处理，通道已清理。";
        let (id, _) = app
            .submitted_and_replied(&handler, "complaint", text, PHONE, reply)
            .await;
        ids.push(id);
    }
    let window = app.state.config.rating_window_days * 24 * 3_600_000;
    let replied_at = app.clock_now();

    // Inside the window nothing closes: the resident may still rate.
    app.advance_to(replied_at + window - 60_000);
    assert_eq!(supervision::close_unrated(&app.state).await.unwrap(), 0);

    // The resident rates one of them in time; the other is closed unrated afterwards.
    let code = app.tracking_code(ids[0]).await;
    let resident = app.verify_resident(&code, PHONE).await;
    resident
        .rate(
            &code,
            json!({"resolved": true, "satisfaction": "satisfied"}),
        )
        .await;
    app.advance_to(replied_at + window + 60_000);
    assert_eq!(supervision::close_unrated(&app.state).await.unwrap(), 1);
    assert_eq!(
        supervision::close_unrated(&app.state).await.unwrap(),
        0,
        "once"
    );
    let closed = app.appeal(ids[1]).await;
    assert_eq!(closed.status.as_str(), "closed");
    assert_eq!(closed.rating_satisfaction, None, "closed without a rating");
    assert_eq!(closed.closed_at, Some(app.clock_now()));
    let rated = app.appeal(ids[0]).await;
    assert!(rated.rating_satisfaction.is_some());
    assert!(app
        .event_kinds(ids[1])
        .await
        .contains(&"closed".to_string()));
}
