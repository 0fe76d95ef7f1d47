//! 民意研判周报/月报/季报 through the staff console, on SQLite and PostgreSQL:
//! generate on demand → view (charts, print styles, masked and escaped quotes) →
//! XLSX → publish (frozen: generating again or new appeals change nothing) → a leader
//! annotates (audited); non-leaders cannot; a district sees only its own reports; the
//! scheduled job drafts the ended periods once.

use std::io::Read;

use crate::common::{Backend, TestApp, START};
use crate::pages_support::{spawn_pages_app, Browser, Html};
use police_square_domain::Millis;
use police_square_server::features::reports::{self, ReportContent};
use police_square_store::{Actor, AppealChange, AppealPatch, Id, NewEvent, ReportStatus};
use reqwest::{header, StatusCode};

on_both_backends!(reports_end_to_end);

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;
const RAW_PHONE: &str = "13912345678";
const RAW_ID: &str = "330502199001011234";

/// Submit an appeal at the current clock and set its category.
async fn appeal(app: &TestApp, text: &str, unit: Id, category: &str) -> Id {
    let (id, _) = app.submitted("complaint", text, "13800005555", unit).await;
    let a = app.appeal(id).await;
    app.stores
        .appeals
        .apply_change(AppealChange {
            appeal_id: id,
            expected_version: a.version,
            actor: Actor::System,
            at: app.clock_now(),
            patch: AppealPatch {
                category: Some((category.into(), 1.0)),
                ..Default::default()
            },
            event: NewEvent {
                kind: "report_test_category".into(),
                public: false,
                note: None,
                from_unit_id: None,
                to_unit_id: None,
            },
            notify: None,
        })
        .await
        .unwrap();
    id
}

fn report_id(r: &Html) -> Id {
    let location = r.location.as_deref().expect("a redirect");
    location
        .strip_prefix("/staff/reports/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("unexpected redirect {location}"))
}

async fn generate(b: &mut Browser, kind: &str, date: &str, unit: Id) -> Html {
    let page = b.get("/staff/reports").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "{:?} {}",
        page.location,
        page.body
    );
    b.post(
        &page,
        "/staff/reports",
        &[
            ("kind", kind),
            ("date", date),
            ("unit_id", &unit.to_string()),
        ],
    )
    .await
}

async fn content(app: &TestApp, id: Id) -> (ReportStatus, String) {
    let r = app.stores.reports.report(id).await.unwrap().unwrap();
    (r.meta.status, r.content)
}

async fn reports_end_to_end(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let u = &app.units;
    // February (the previous period): one theft in district A.
    app.advance_to(START - 20 * DAY);
    appeal(&app, "二月份小区里电瓶车被偷", u.station_a, "theft").await;
    // March (START is Wednesday 2026-03-04 10:00 China time).
    app.advance_to(START - DAY);
    let quoted = appeal(
        &app,
        &format!(
            "我叫张三，住吴兴区爱山街道红旗路18号，电瓶车在楼下被偷了，电话{RAW_PHONE}，\
             身份证{RAW_ID}，<script>alert(1)</script>请尽快处理"
        ),
        u.station_a,
        "theft",
    )
    .await;
    appeal(
        &app,
        "小区车棚电瓶车又被偷了一辆，希望加强巡逻",
        u.station_b,
        "theft",
    )
    .await;
    appeal(
        &app,
        "接到冒充客服的诈骗电话，骗我转账",
        u.station_a,
        "fraud",
    )
    .await;
    // District B: never in district A's report.
    appeal(&app, "武康镇上电瓶车被偷了", u.station_c, "theft").await;
    app.advance_to(START);

    let mut analyst = Browser::new(&app);
    analyst.login("a_analyst").await;
    let list = analyst.get("/staff/reports").await;
    list.assert_html();
    list.assert_contains("id=\"generate\"");
    list.assert_contains(&format!("<option value=\"{}\">", u.district_a));
    assert!(
        !list
            .body
            .contains(&format!("<option value=\"{}\">", u.district_b)),
        "district A cannot generate district B's report"
    );
    // The navigation links the reports.
    list.assert_contains("href=\"/staff/reports\"");

    // CSRF: a form without the token is refused.
    let forged = analyst
        .post_raw(
            "/staff/reports",
            &[
                ("kind", "monthly"),
                ("date", "2026-03-04"),
                ("unit_id", &u.district_a.to_string()),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Generate on demand.
    let r = generate(&mut analyst, "monthly", "2026-03-04", u.district_a).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = report_id(&r);
    assert!(r.location.as_deref().unwrap().ends_with("done=generated"));
    let page = analyst.get(&format!("/staff/reports/{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("2026-03");
    page.assert_contains("<svg");
    page.assert_contains("@media print");
    page.assert_contains("id=\"publish\"");
    page.assert_contains("<b id=\"total\">3</b>");
    // Quotes: personal data masked, HTML escaped.
    page.assert_contains("139****5678");
    page.assert_contains("330***********1234");
    page.assert_contains("张*");
    page.assert_contains("&lt;script&gt;");
    for leak in [
        RAW_PHONE,
        RAW_ID,
        "张三",
        "红旗路18号",
        "<script>alert(1)",
        "武康镇",
    ] {
        assert!(!page.body.contains(leak), "report page leaks {leak:?}");
    }
    page.assert_contains(&format!("/staff/appeals/{quoted}"));
    let snapshot = app.stores.reports.report(id).await.unwrap().unwrap();
    let c = ReportContent::parse(&snapshot.content).unwrap();
    assert_eq!(c.total, 3);
    assert_eq!(c.previous_total, 1);
    assert_eq!(c.label, "2026-03");
    assert_eq!(c.by_category[0].key, "theft");
    assert_eq!(c.by_category[0].count, 2);
    assert_eq!(c.by_category[0].previous, 1);
    assert_eq!(c.concerns[0].category, "theft");
    assert_eq!(c.daily.len(), 31);
    assert_eq!(c.rates.current.counts.total, 3);
    assert!(c.rates.ranking.iter().any(|r| r.unit_id == u.station_a));
    assert!(!snapshot.content.contains(RAW_PHONE));

    // XLSX: a zip with the workbook, its sheets and the masked quote.
    let x = app
        .http
        .get(app.url(&format!("/staff/reports/{id}.xlsx")))
        .header(header::COOKIE, cookie(&analyst))
        .send()
        .await
        .unwrap();
    assert_eq!(x.status(), StatusCode::OK);
    assert_eq!(
        x.headers()[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = x.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let read = |zip: &mut zip::ZipArchive<std::io::Cursor<Vec<u8>>>, name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let workbook = read(&mut zip, "xl/workbook.xml");
    for sheet in ["概要", "诉求量", "热点与原话", "三率排名"] {
        assert!(workbook.contains(sheet), "sheet {sheet}: {workbook}");
    }
    let strings = read(&mut zip, "xl/sharedStrings.xml");
    assert!(strings.contains("139****5678"), "{strings}");
    assert!(!strings.contains(RAW_PHONE));
    assert!(strings.contains("爱山派出所"));

    // Leaders only annotate published reports; analysts publish.
    let mut leader = Browser::new(&app);
    leader.login("a_leader").await;
    let page = leader.get(&format!("/staff/reports/{id}")).await;
    assert!(
        !page.body.contains("id=\"annotate\""),
        "drafts take no notes"
    );
    leader
        .post_ok(
            &page,
            &format!("/staff/reports/{id}/annotate"),
            &[("text", "too early")],
            StatusCode::CONFLICT,
        )
        .await;

    let page = analyst.get(&format!("/staff/reports/{id}")).await;
    analyst
        .post_ok(
            &page,
            &format!("/staff/reports/{id}/publish"),
            &[],
            StatusCode::SEE_OTHER,
        )
        .await;
    let (status, frozen) = content(&app, id).await;
    assert_eq!(status, ReportStatus::Published);

    // Frozen: new appeals and generating again change nothing.
    // (Two hours later: still within the staff sessions' lifetime.)
    app.advance_to(START + 2 * HOUR);
    appeal(&app, "又有电瓶车被偷了", u.station_a, "theft").await;
    let r = generate(&mut analyst, "monthly", "2026-03-20", u.district_a).await;
    assert_eq!(report_id(&r), id);
    assert!(r.location.as_deref().unwrap().ends_with("done=frozen"));
    assert_eq!(content(&app, id).await.1, frozen);
    let page = analyst.get(&format!("/staff/reports/{id}")).await;
    page.assert_contains("<b id=\"total\">3</b>");
    assert!(!page.body.contains("id=\"publish\""));
    analyst
        .post_ok(
            &page,
            &format!("/staff/reports/{id}/publish"),
            &[],
            StatusCode::CONFLICT,
        )
        .await;
    // A draft of another period still sees the new appeal.
    let r = generate(&mut analyst, "weekly", "2026-03-05", u.district_a).await;
    let weekly = report_id(&r);
    assert_ne!(weekly, id);
    let w = ReportContent::parse(&content(&app, weekly).await.1).unwrap();
    assert_eq!(w.label, "2026-W10");
    assert_eq!(w.total, 4);

    // Non-leaders cannot annotate.
    let page = analyst.get(&format!("/staff/reports/{id}")).await;
    assert!(!page.body.contains("id=\"annotate\""));
    analyst
        .post_ok(
            &page,
            &format!("/staff/reports/{id}/annotate"),
            &[("text", "not mine to say")],
            StatusCode::FORBIDDEN,
        )
        .await;
    let mut supervisor = Browser::new(&app);
    supervisor.login("a_supervisor").await;
    let page = supervisor.get(&format!("/staff/reports/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    supervisor
        .post_ok(
            &page,
            &format!("/staff/reports/{id}/annotate"),
            &[("text", "nor mine")],
            StatusCode::FORBIDDEN,
        )
        .await;

    // The leader annotates; the note is shown escaped, stored and audited.
    let page = leader.get(&format!("/staff/reports/{id}")).await;
    page.assert_contains("id=\"annotate\"");
    leader
        .post_ok(
            &page,
            &format!("/staff/reports/{id}/annotate"),
            &[("text", "<b>下周</b>开展电瓶车防盗专项行动")],
            StatusCode::SEE_OTHER,
        )
        .await;
    let page = leader.get(&format!("/staff/reports/{id}")).await;
    page.assert_contains("&lt;b&gt;下周&lt;/b&gt;开展电瓶车防盗专项行动");
    page.assert_contains("a_leader 警官");
    let notes = app.stores.reports.report_annotations(id).await.unwrap();
    assert_eq!(notes.len(), 1);
    let leader_id = app.staff_id("a_leader").await;
    assert_eq!(notes[0].author_id, leader_id);
    assert_eq!(notes[0].at, app.clock_now());
    let audit = app.stores.audit.audit_entries(0, 10_000).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "report.annotated"
        && e.subject == format!("report:{id}")
        && e.actor == format!("staff:{leader_id}")));
    assert!(audit
        .iter()
        .any(|e| e.action == "report.published" && e.subject == format!("report:{id}")));
    assert_eq!(
        content(&app, id).await.1,
        frozen,
        "notes leave content as is"
    );

    // Scope: the city generates district B's report; district A never sees it.
    let mut city = Browser::new(&app);
    city.login("city_leader").await;
    let r = generate(&mut city, "monthly", "2026-03-04", u.district_b).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b_id = report_id(&r);
    let b = ReportContent::parse(&content(&app, b_id).await.1).unwrap();
    assert_eq!(b.total, 1);
    let r = generate(&mut city, "monthly", "2026-03-04", u.city).await;
    let city_id = report_id(&r);
    assert_eq!(
        ReportContent::parse(&content(&app, city_id).await.1)
            .unwrap()
            .total,
        5
    );
    let city_list = city.get("/staff/reports").await;
    for rid in [id, b_id, city_id] {
        city_list.assert_contains(&format!("/staff/reports/{rid}\""));
    }
    let a_list = analyst.get("/staff/reports").await;
    a_list.assert_contains(&format!("/staff/reports/{id}\""));
    for hidden in [b_id, city_id] {
        assert!(!a_list.body.contains(&format!("/staff/reports/{hidden}\"")));
        let r = analyst.get(&format!("/staff/reports/{hidden}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = analyst.get(&format!("/staff/reports/{hidden}.xlsx")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let r = generate(&mut analyst, "monthly", "2026-03-04", u.district_b).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Handlers and operators have no reports.
    let mut handler = Browser::new(&app);
    handler.login("station_a_handler").await;
    let r = handler.get("/staff/reports").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = handler.get(&format!("/staff/reports/{id}")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // English labels come from the catalog.
    let en = analyst.get(&format!("/staff/reports/{id}?lang=en")).await;
    en.assert_contains("Top concerns");
    en.assert_contains("Theft");

    // The scheduled job drafts every ended period for the city and each district,
    // once: the last week, month and quarter before 2026-03-04.
    let written = reports::generate_due(&app.state).await.unwrap();
    assert_eq!(written, 9);
    assert_eq!(reports::generate_due(&app.state).await.unwrap(), 0);
    let feb = app
        .stores
        .reports
        .report_for(
            u.district_a,
            police_square_store::ReportKind::Monthly,
            reports::Period::last_completed(
                police_square_store::ReportKind::Monthly,
                app.clock_now(),
            )
            .start,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(feb.generated_by, None);
    let f = ReportContent::parse(&content(&app, feb.id).await.1).unwrap();
    assert_eq!(f.label, "2026-02");
    assert_eq!(f.total, 1);
}

fn cookie(b: &Browser) -> String {
    b.cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}
