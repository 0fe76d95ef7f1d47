//! A first real deployment (issue 10 §4) and the admin edits (defect 13): a database
//! without units refuses appeals with 503 and says so, until units exist; admins
//! create, rename, move and retire units, create and edit staff, disable them and
//! reset passwords; every change is in the audit log, which they can filter; and
//! departments and reply templates can be edited and retired.

use std::sync::Arc;

use crate::common::{self, base_config, Backend};
use crate::pages_support::{self, spawn_pages_app, start_with_pages, Browser};
use police_square_domain::{Role, UnitKind};
use police_square_notify::LogTransport;
use police_square_server::{AppState, ManualClock};
use police_square_store::{NewUnit, Stores};
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(
    an_empty_database_is_not_open_until_units_exist,
    admins_manage_units_and_staff_and_read_the_audit_log,
    departments_and_templates_are_edited_and_retired,
);

/// A server over a fresh, migrated database with no units at all (as after
/// `police-square migrate` on a new install). Returns the base URL and the store.
async fn spawn_empty(backend: Backend) -> (String, Stores, Box<dyn std::any::Any + Send>) {
    let (stores, guard): (Stores, Box<dyn std::any::Any + Send>) = match backend {
        Backend::Sqlite => {
            let (stores, dir) = police_square_store::testing::fresh_sqlite().await;
            (stores, Box::new(dir))
        }
        Backend::Postgres => {
            let db = police_square_store::testing::fresh_postgres_db().await;
            let stores = police_square_store::connect(&db.url).await.unwrap();
            stores.maintenance.migrate().await.unwrap();
            (stores, Box::new(db))
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("notify.jsonl");
    let config = base_config(&log);
    let clock = Arc::new(ManualClock::new(common::START));
    let state = AppState::with_parts(
        config,
        stores.clone(),
        clock,
        Arc::new(LogTransport::new(&log)),
    )
    .await
    .unwrap();
    let base = start_with_pages(state).await;
    (base, stores, Box::new((guard, dir)))
}

async fn an_empty_database_is_not_open_until_units_exist(backend: Backend) {
    let (base, stores, _guard) = spawn_empty(backend).await;
    let http = reqwest::Client::new();
    let appeal = json!({
        "kind": "consultation",
        "channel": "web",
        "text": "请问办理居住证需要带什么材料？",
        "contact_phone": "13800001234",
    });
    let r = http
        .post(format!("{base}/api/v1/appeals"))
        .json(&appeal)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "not_set_up");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("police-square org import"), "{message}");
    assert_eq!(stores.rates.count_appeals().await.unwrap(), 0);

    // The resident portal says the service is not open yet, in the visitor's language.
    for path in ["/", "/appeals/new"] {
        let r = http
            .get(format!("{base}{path}"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains("服务尚未开通"), "{path}: {html}");
        assert!(html.contains("110"), "{path}");
    }
    let en = http
        .get(format!("{base}/?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("Not open yet"), "{en}");
    // Tracking and the staff login still answer (nothing to track, but no 503).
    let login = http
        .get(format!("{base}/staff/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);

    // Units imported while the server runs (another process): open at once.
    stores
        .org
        .create_unit(NewUnit {
            parent_id: None,
            name: "某市公安局".into(),
            kind: UnitKind::City,
        })
        .await
        .unwrap();
    let r = http
        .post(format!("{base}/api/v1/appeals"))
        .json(&appeal)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );
    let home = http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
}

/// The value of the first `<option … selected>` text is not needed: tests pick ids.
fn id_after(body: &str, prefix: &str) -> i64 {
    let at = body
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} not in page"))
        + prefix.len();
    body[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

async fn admins_manage_units_and_staff_and_read_the_audit_log(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let u = &app.units;
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    for path in [
        "/staff/admin/units",
        "/staff/admin/staff",
        "/staff/admin/audit",
    ] {
        assert_eq!(
            handler.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let mut admin = Browser::new(&app);
    admin.login("admin").await;

    // Create a unit; a bad row is refused with the field's rule.
    let page = admin.get("/staff/admin/units").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("爱山派出所");
    let district = u.district_a.to_string();
    let bad = admin
        .post_ok(
            &page,
            "/staff/admin/units",
            &[
                ("name", "织里派出所"),
                ("kind", "station"),
                ("parent", &district),
                ("duty_phone", "call us"),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    bad.assert_contains("值班电话只能包含数字");
    let r = admin
        .post_ok(
            &page,
            "/staff/admin/units",
            &[
                ("name", "织里派出所"),
                ("kind", "station"),
                ("parent", &district),
                ("code", "330502009"),
                ("district", "吴兴区"),
                ("duty_phone", "0572-3000000"),
                ("address", "织里镇某路1号"),
                ("hours", "8:30-17:30"),
            ],
            StatusCode::OK,
        )
        .await;
    r.assert_contains("单位“织里派出所”已创建");
    let zhili = app
        .stores
        .org
        .units()
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.name == "织里派出所")
        .unwrap();
    assert_eq!(zhili.parent_id, Some(u.district_a));
    assert_eq!(zhili.profile.duty_phone, "0572-3000000");
    // The new unit is routable at once (the node's tree was reloaded).
    assert!(app.state.org().unit(zhili.id).is_some());

    // Rename it and move it under the other district; then retire it.
    let edit = admin.get(&format!("/staff/admin/units/{}", zhili.id)).await;
    assert_eq!(edit.status, StatusCode::OK);
    edit.assert_contains("330502009");
    // It cannot be offered as its own parent.
    assert!(!edit
        .body
        .contains(&format!("<option value=\"{}\"", zhili.id)));
    let other = u.district_b.to_string();
    // The unit form for 织里镇派出所 under 德清县公安局, retired or not.
    let form = |retired: bool| {
        let mut f = vec![
            ("name", "织里镇派出所"),
            ("kind", "station"),
            ("parent", other.as_str()),
            ("code", "330502009"),
            ("district", "德清县"),
            ("duty_phone", "0572-3000000"),
            ("address", ""),
            ("hours", ""),
        ];
        if retired {
            f.push(("retired", "on"));
        }
        f
    };
    let zhili_path = format!("/staff/admin/units/{}", zhili.id);
    admin
        .post_ok(&edit, &zhili_path, &form(false), StatusCode::OK)
        .await;
    let moved = app.state.org().unit(zhili.id).cloned().unwrap();
    assert_eq!(moved.name, "织里镇派出所");
    assert_eq!(moved.parent_id, Some(u.district_b));
    // A district cannot move under its own station.
    let dist = admin
        .get(&format!("/staff/admin/units/{}", u.district_a))
        .await;
    let station = u.station_a.to_string();
    let r = admin
        .post_ok(
            &dist,
            &format!("/staff/admin/units/{}", u.district_a),
            &[
                ("name", "吴兴区公安分局"),
                ("kind", "district"),
                ("parent", &station),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    r.assert_contains("不能把单位移到它自己的下级");
    admin
        .post_ok(&edit, &zhili_path, &form(true), StatusCode::OK)
        .await;
    assert!(app.state.org().unit(zhili.id).unwrap().profile.retired);

    // Staff: create (the temporary password is shown once and works), edit, disable.
    let page = admin.get("/staff/admin/staff").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("station_a_handler");
    // A retired unit is not offered for new staff.
    assert!(!page
        .body
        .contains(&format!("<option value=\"{}\"", zhili.id)));
    let station_b = u.station_b.to_string();
    let bad = admin
        .post_ok(
            &page,
            "/staff/admin/staff",
            &[
                ("username", "13800001111"),
                ("display_name", "王"),
                ("role", "handler"),
                ("unit", &station_b),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    bad.assert_contains("用户名须为3至32位");
    let r = admin
        .post_ok(
            &page,
            "/staff/admin/staff",
            &[
                ("username", "wang.fang"),
                ("display_name", "王芳"),
                ("role", "handler"),
                ("unit", &station_b),
            ],
            StatusCode::OK,
        )
        .await;
    let marker = "账号 wang.fang 的临时密码：";
    let at = r.body.find(marker).expect("password shown") + marker.len();
    let password: String = r.body[at..].chars().take(16).collect();
    assert!(
        password.chars().all(|c| c.is_ascii_alphanumeric()),
        "{password}"
    );
    let again = admin.get("/staff/admin/staff").await;
    assert!(!again.body.contains(&password), "shown only once");
    let created = app
        .stores
        .org
        .staff_by_username("wang.fang")
        .await
        .unwrap()
        .unwrap();
    assert!(police_square_server::app::auth::verify_password(
        &password,
        &created.password_hash
    ));
    assert_eq!(
        (created.role, created.unit_id),
        (Role::Handler, u.station_b)
    );
    admin
        .post_ok(
            &page,
            "/staff/admin/staff",
            &[
                ("username", "wang.fang"),
                ("display_name", "另一个"),
                ("role", "handler"),
                ("unit", &station_b),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;

    let account = admin
        .get(&format!("/staff/admin/staff/{}", created.id))
        .await;
    let district_b = u.district_b.to_string();
    admin
        .post_ok(
            &account,
            &format!("/staff/admin/staff/{}", created.id),
            &[
                ("display_name", "王芳"),
                ("role", "supervisor"),
                ("unit", &district_b),
            ],
            StatusCode::OK,
        )
        .await;
    let edited = app.stores.org.staff(created.id).await.unwrap().unwrap();
    assert_eq!(
        (edited.role, edited.unit_id),
        (Role::Supervisor, u.district_b)
    );
    let r = admin
        .post_ok(
            &account,
            &format!("/staff/admin/staff/{}/password", created.id),
            &[],
            StatusCode::OK,
        )
        .await;
    r.assert_contains("账号 wang.fang 的临时密码：");
    let reset = app.stores.org.staff(created.id).await.unwrap().unwrap();
    assert!(!police_square_server::app::auth::verify_password(
        &password,
        &reset.password_hash
    ));
    admin
        .post_ok(
            &account,
            &format!("/staff/admin/staff/{}/disable", created.id),
            &[],
            StatusCode::OK,
        )
        .await;
    assert!(
        app.stores
            .org
            .staff(created.id)
            .await
            .unwrap()
            .unwrap()
            .disabled
    );
    // An admin cannot disable themselves nor drop their own admin role.
    let me = app.staff_id("admin").await;
    let mine = admin.get(&format!("/staff/admin/staff/{me}")).await;
    admin
        .post_ok(
            &mine,
            &format!("/staff/admin/staff/{me}/disable"),
            &[],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let city = u.city.to_string();
    admin
        .post_ok(
            &mine,
            &format!("/staff/admin/staff/{me}"),
            &[
                ("display_name", "admin"),
                ("role", "leader"),
                ("unit", &city),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(!app.stores.org.staff(me).await.unwrap().unwrap().disabled);

    // Every change is in the audit log; the viewer filters by actor, kind and date.
    let log = admin.get("/staff/admin/audit?actor=admin&kind=staff").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    let tag = |action: &str| format!("<code>{action}</code>");
    for action in [
        "staff.created",
        "staff.updated",
        "staff.password_reset",
        "staff.disabled",
    ] {
        log.assert_contains(&tag(action));
    }
    assert!(!log.body.contains(&tag("unit.moved")));
    let log = admin.get("/staff/admin/audit?kind=unit").await;
    for action in ["unit.created", "unit.moved", "unit.updated"] {
        log.assert_contains(&tag(action));
    }
    // The date filter: the manual clock is at 2026-03-04; nothing the day before.
    let log = admin.get("/staff/admin/audit?to=2026-03-03").await;
    log.assert_contains("没有相符的记录");
    let log = admin
        .get("/staff/admin/audit?from=2026-03-04&to=2026-03-04&kind=unit")
        .await;
    log.assert_contains(&tag("unit.created"));
    let log = admin.get("/staff/admin/audit?from=03/04/2026").await;
    log.assert_contains("日期格式应为");
    // By appeal: its tracking code or id finds its entries and links to the case.
    let mut resident = Browser::new(&app);
    let code = resident
        .submit_appeal(
            "consultation",
            "请问爱山派出所周末办理户口吗？",
            "13800002222",
            "",
        )
        .await;
    let id = pages_support::appeal_id(&app, &code).await;
    let log = admin
        .get(&format!("/staff/admin/audit?appeal={code}"))
        .await;
    log.assert_contains(&format!("/staff/appeals/{id}"));
    log.assert_contains("<code>appeal.");
    assert!(!log.body.contains(&tag("staff.created")));
    let log = admin
        .get("/staff/admin/audit?appeal=ZZZZ-ZZZZ-ZZZZ-ZZZZ")
        .await;
    log.assert_contains("没有这个诉求编号或查询码");
    // Paging: one entry per page would be too many requests; 50 per page, older link.
    for n in 0..60 {
        app.stores
            .audit
            .audit(police_square_store::NewAudit {
                at: app.state.now(),
                actor: "system".into(),
                action: "test.filler".into(),
                subject: format!("filler:{n}"),
                detail: String::new(),
            })
            .await
            .unwrap();
    }
    let first = admin.get("/staff/admin/audit?kind=test").await;
    assert_eq!(first.body.matches(&tag("test.filler")).count(), 50);
    first.assert_contains("更早的记录");
    let older = id_after(&first.body, "before=");
    let second = admin
        .get(&format!("/staff/admin/audit?kind=test&before={older}"))
        .await;
    assert_eq!(second.body.matches(&tag("test.filler")).count(), 10);
    assert!(!second.body.contains("更早的记录"), "no older page");
}

async fn departments_and_templates_are_edited_and_retired(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let kept = app
        .stores
        .catalog
        .create_department("市城管局", "0572-1")
        .await
        .unwrap();
    let dep = app
        .stores
        .catalog
        .create_department("市环保局", "0572-2")
        .await
        .unwrap();
    let tpl = app
        .stores
        .catalog
        .create_reply_template("咨询答复", "您好……")
        .await
        .unwrap();
    let mut admin = Browser::new(&app);
    admin.login("admin").await;
    let page = admin.get("/staff/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    admin
        .post_ok(
            &page,
            &format!("/staff/admin/department/{}", dep.id),
            &[
                ("name", "市生态环境局"),
                ("contact", "0572-3"),
                ("retired", "on"),
            ],
            StatusCode::SEE_OTHER,
        )
        .await;
    let r = admin
        .post_ok(
            &page,
            &format!("/staff/admin/department/{}", dep.id),
            &[("name", "市城管局"), ("contact", "")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    r.assert_contains("名称已被使用");
    admin
        .post_ok(
            &page,
            &format!("/staff/admin/template/{}", tpl.id),
            &[
                ("title", "咨询答复（户籍）"),
                ("body", "您好，经核实，办理居住证需带身份证。"),
            ],
            StatusCode::SEE_OTHER,
        )
        .await;
    admin
        .post_ok(
            &page,
            &format!("/staff/admin/template/{}", tpl.id),
            &[("title", ""), ("body", "x")],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let page = admin.get("/staff/admin?done=department_edited").await;
    page.assert_contains("部门已保存");
    page.assert_contains("市生态环境局");
    page.assert_contains("已撤销");
    // Handlers are offered only what is not retired.
    let offered = app.stores.catalog.departments().await.unwrap();
    assert_eq!(offered, vec![kept]);
    let templates = app.stores.catalog.reply_templates().await.unwrap();
    assert_eq!(templates[0].body, "您好，经核实，办理居住证需带身份证。");
    admin
        .post_ok(
            &page,
            &format!("/staff/admin/template/{}", tpl.id),
            &[
                ("title", "咨询答复（户籍）"),
                ("body", "您好。"),
                ("retired", "on"),
            ],
            StatusCode::SEE_OTHER,
        )
        .await;
    assert!(app
        .stores
        .catalog
        .reply_templates()
        .await
        .unwrap()
        .is_empty());
    let log = admin.get("/staff/admin/audit?kind=reply_template").await;
    assert_eq!(
        log.body
            .matches("<code>reply_template.updated</code>")
            .count(),
        2
    );
    let log = admin.get("/staff/admin/audit?kind=department").await;
    assert_eq!(
        log.body.matches("<code>department.updated</code>").count(),
        1
    );
}
