//! Staff console pages beyond the inbox: the 96110 hotline form, supervision with
//! request decisions, the three-rates dashboard, administration, and who may open
//! which page.

use crate::common::Backend;
use crate::pages_support::{appeal_id, spawn_pages_app, Browser};
use police_square_domain::Channel;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hotline_operator_finds_the_caller_and_records_the_call() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let phone = "13566668888";
    let mut resident = Browser::new(&app);
    let earlier = resident
        .submit_appeal("consultation", "市局出入境办证需要预约吗？", phone, "")
        .await;
    let earlier_id = appeal_id(&app, &earlier).await;

    let mut op = Browser::new(&app);
    op.login("operator").await;
    let page = op.get("/staff/hotline").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("autofocus");
    let page = op.get(&format!("/staff/hotline?phone={phone}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The consultation went to the city office, the operator's own unit.
    page.assert_contains(&format!("/staff/appeals/{earlier_id}"));
    page.assert_contains("135****8888");

    let idem = {
        let at = page.body.find("name=\"idem\"").unwrap();
        let v = page.body[at..].find("value=\"").unwrap() + at + 7;
        let end = page.body[v..].find('"').unwrap() + v;
        page.body[v..end].to_owned()
    };
    let fields = [
        ("phone", phone),
        ("kind", "help"),
        ("text", "来电人反映德清县武康派出所附近的路口有人聚众赌博。"),
        ("district", ""),
        ("idem", idem.as_str()),
    ];
    let r = op
        .post_ok(&page, "/staff/hotline", &fields, StatusCode::OK)
        .await;
    r.assert_contains("id=\"recorded\"");
    // The same form posted twice (double click) records one appeal.
    op.post_ok(&page, "/staff/hotline", &fields, StatusCode::OK)
        .await;
    assert_eq!(app.stores.rates.count_appeals().await.unwrap(), 2);
    let page = app
        .stores
        .appeals
        .inbox(&police_square_store::InboxQuery {
            channel: Some(Channel::Hotline),
            now: app.state.now(),
            page_size: 10,
            include_conduct: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].unit_id, app.units.station_c);

    // Missing kind → the form again with a message.
    let r = op
        .post_ok(
            &r,
            "/staff/hotline",
            &[("phone", phone), ("text", "无类型")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    r.assert_contains("请选择诉求类型");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extension_request_is_approved_on_the_supervision_page() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut resident = Browser::new(&app);
    let code = resident
        .submit_appeal(
            "report",
            "爱山派出所辖区有一家网吧长期接纳未成年人上网。",
            "13511112222",
            "",
        )
        .await;
    let id = appeal_id(&app, &code).await;
    let due_before = app.appeal(id).await.due_at;

    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    let detail = handler.get(&format!("/staff/appeals/{id}")).await;
    handler.accept(&detail, id).await;
    // Invalid days → the page again with a message, nothing filed.
    let r = handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/extension"),
            &[("days", "99"), ("reason", "需要调查")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    r.assert_contains("1到30个工作日");
    handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/extension"),
            &[("days", "5"), ("reason", "需要联合文化部门调查取证")],
            StatusCode::SEE_OTHER,
        )
        .await;
    // Handlers do not reach the supervision page.
    let r = handler.get("/staff/supervision").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let mut sup = Browser::new(&app);
    sup.login("a_supervisor").await;
    let page = sup.get("/staff/supervision").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("需要联合文化部门调查取证");
    let request_id = app.stores.supervision.requests_for(id).await.unwrap()[0].id;
    let r = sup
        .post_ok(
            &page,
            &format!("/staff/requests/{request_id}/decide"),
            &[("approve", "1"), ("next", "/staff/supervision")],
            StatusCode::SEE_OTHER,
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/staff/supervision?done=1"));
    let due_after = app.appeal(id).await.due_at;
    assert!(due_after > due_before, "the deadline moved");
    let detail = sup.get(&format!("/staff/appeals/{id}")).await;
    detail.assert_contains("已批准延期");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_shows_rates_with_their_counts() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut resident = Browser::new(&app);
    resident
        .submit_appeal("help", "爱山派出所附近的小区电动车被盗", "13522223333", "")
        .await;
    app.clock.advance(std::time::Duration::from_secs(60));
    app.stores
        .rates
        .refresh_stats(app.state.now())
        .await
        .unwrap();
    let mut leader = Browser::new(&app);
    leader.login("city_leader").await;
    for q in [
        "",
        "?period=month",
        "?period=custom&from=2026-01-01&to=2026-03-31",
    ] {
        let page = leader.get(&format!("/staff/dashboard{q}")).await;
        assert_eq!(page.status, StatusCode::OK, "{q}: {}", page.body);
        page.assert_contains("响应率");
        page.assert_contains("湖州市公安局");
        page.assert_contains("爱山派出所");
        // "n% (a/b)" or "— (0/0)" for every figure.
        page.assert_contains("(0/1)");
    }
    let r = leader.get("/staff/dashboard?period=custom&from=x").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    r.assert_html();
    let mut op = Browser::new(&app);
    op.login("operator").await;
    let r = op.get("/staff/dashboard").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_loads_the_calendar_and_registers_departments_and_templates() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    assert_eq!(
        handler.get("/staff/admin").await.status,
        StatusCode::FORBIDDEN
    );

    let mut admin = Browser::new(&app);
    admin.login("admin").await;
    let page = admin.get("/staff/admin").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The calendar is a table of rows (date, kind, name); defect 13.
    admin
        .post_ok(
            &page,
            "/staff/admin/calendar",
            &[
                ("date_0", "2026-10-01"),
                ("kind_0", "holiday"),
                ("name_0", "国庆节"),
                ("date_1", "2026-10-02"),
                ("kind_1", "holiday"),
                ("name_1", "国庆节"),
                ("date_2", "2026-10-11"),
                ("kind_2", "workday"),
                ("name_2", "国庆调休"),
                ("date_3", ""),
                ("kind_3", "holiday"),
                ("name_3", ""),
            ],
            StatusCode::SEE_OTHER,
        )
        .await;
    assert_eq!(app.state.settings().calendar.overrides().count(), 3);
    let r = admin
        .post_ok(
            &page,
            "/staff/admin/calendar",
            &[
                ("date_0", "2026-13-01"),
                ("kind_0", "holiday"),
                ("name_0", ""),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    r.assert_contains("日期无效");
    assert_eq!(app.state.settings().calendar.overrides().count(), 3);

    admin
        .post_ok(
            &page,
            "/staff/admin/deadlines",
            &[
                ("accept_working_minutes", "60"),
                ("emergency_hours", "1"),
                ("normal_days", "5"),
                ("complex_days", "10"),
                ("consultation_days", "3"),
                ("near_hours", "12"),
            ],
            StatusCode::SEE_OTHER,
        )
        .await;
    assert_eq!(app.state.settings().policy.normal_days, 5);

    admin
        .post_ok(
            &page,
            "/staff/admin/department",
            &[("name", "吴兴区城管执法局<b>"), ("contact", "0572-1234567")],
            StatusCode::SEE_OTHER,
        )
        .await;
    admin
        .post_ok(
            &page,
            "/staff/admin/template",
            &[
                ("title", "已修复"),
                ("body", "您反映的问题已处理完毕，感谢您的监督。"),
            ],
            StatusCode::SEE_OTHER,
        )
        .await;
    let page = admin.get("/staff/admin?done=template").await;
    page.assert_contains("吴兴区城管执法局&lt;b&gt;");
    page.assert_contains("您反映的问题已处理完毕");

    // The department and the template appear in a handler's case page.
    let mut resident = Browser::new(&app);
    let code = resident
        .submit_appeal(
            "complaint",
            "爱山派出所旁边的占道经营堵塞道路",
            "13533334444",
            "",
        )
        .await;
    let id = appeal_id(&app, &code).await;
    let detail = handler.get(&format!("/staff/appeals/{id}")).await;
    detail.assert_contains("吴兴区城管执法局");
    handler.accept(&detail, id).await;
    let detail = handler.get(&format!("/staff/appeals/{id}")).await;
    detail.assert_contains("已修复");
    let dep = app.stores.catalog.departments().await.unwrap()[0]
        .id
        .to_string();
    let r = handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/handoff"),
            &[("department_id", &dep), ("note", "占道经营属城管职责")],
            StatusCode::SEE_OTHER,
        )
        .await;
    let detail = handler.get(r.location.as_deref().unwrap()).await;
    detail.assert_contains("占道经营属城管职责");
    let handoff = app.stores.appeals.handoffs(id).await.unwrap()[0]
        .id
        .to_string();
    handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/acknowledge"),
            &[("handoff_id", &handoff), ("receipt", "城管局张科长签收")],
            StatusCode::SEE_OTHER,
        )
        .await;
    // Reply with the template only.
    let detail = handler.get(&format!("/staff/appeals/{id}")).await;
    detail.assert_contains("城管局张科长签收");
    let template = app.stores.catalog.reply_templates().await.unwrap()[0]
        .id
        .to_string();
    handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/reply"),
            &[("template_id", &template), ("text", "")],
            StatusCode::SEE_OTHER,
        )
        .await;
    let a = app.appeal(id).await;
    assert_eq!(
        a.reply_text.as_deref(),
        Some("您反映的问题已处理完毕，感谢您的监督。")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_assign_reject_and_category_correction() {
    let app = spawn_pages_app(Backend::Sqlite).await;
    let mut resident = Browser::new(&app);
    let code = resident
        .submit_appeal("help", "爱山派出所门口的共享单车乱停放", "13544445555", "")
        .await;
    let id = appeal_id(&app, &code).await;
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    let detail = handler.get(&format!("/staff/appeals/{id}")).await;
    handler.accept(&detail, id).await;
    let detail = handler.get(&format!("/staff/appeals/{id}")).await;
    let h2 = app.staff_id("station_a_handler2").await.to_string();
    detail.assert_contains(&format!("value=\"{h2}\""));
    handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/assign"),
            &[("assignee_id", &h2)],
            StatusCode::SEE_OTHER,
        )
        .await;
    handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/category"),
            &[("category", "traffic")],
            StatusCode::SEE_OTHER,
        )
        .await;
    let a = app.appeal(id).await;
    assert_eq!(a.category.as_deref(), Some("traffic"));
    handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/category"),
            &[("category", "conduct")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    // Transfer without a reason → message; with one → moved to 月河派出所.
    let to = app.units.station_b.to_string();
    let r = handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/transfer"),
            &[("to_unit_id", &to), ("reason", "")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    r.assert_contains("请选择转至单位并填写理由");
    handler
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/transfer"),
            &[("to_unit_id", &to), ("reason", "属月河派出所辖区")],
            StatusCode::SEE_OTHER,
        )
        .await;
    assert_eq!(app.appeal(id).await.unit_id, app.units.station_b);
    // Now it is station B's: station A gets 404 (out of scope looks missing),
    // station B accepts it.
    assert_eq!(
        handler.get(&format!("/staff/appeals/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut b = Browser::new(&app);
    b.login("station_b_handler").await;
    let detail = b.get(&format!("/staff/appeals/{id}")).await;
    detail.assert_contains("属月河派出所辖区");
    // Conflict: close is not allowed before a reply → message, not a crash.
    let r = b
        .post_ok(
            &detail,
            &format!("/staff/appeals/{id}/reject"),
            &[("reason", "重复诉求")],
            StatusCode::CONFLICT,
        )
        .await;
    r.assert_contains("当前状态下不能进行此操作");
}
