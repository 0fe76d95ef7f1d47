//! Reports (民意研判周报/月报/季报): the aggregates a report is built
//! from match hand computation, stay inside their scope and period, and stored reports
//! are drafted idempotently, frozen once published, annotated and audited.

use police_square_domain::{AppealKind, Channel, Millis, Role, Status, UnitKind, Urgency};
use police_square_store::*;

use crate::support::{phone_only_contact, unit, Raw};

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;
/// 2026-03-01 00:00 China Standard Time.
const MARCH: Millis = 1_772_294_400_000;
/// 2026-02-01 00:00 China Standard Time.
const FEBRUARY: Millis = MARCH - 28 * DAY;
/// 2026-04-01 00:00 China Standard Time.
const APRIL: Millis = MARCH + 31 * DAY;

struct Org {
    city: Unit,
    district: Unit,
    station_a: Unit,
    station_b: Unit,
    other_district: Unit,
    other_station: Unit,
}

async fn org(stores: &Stores) -> Org {
    let city = unit(stores, None, "湖州市公安局", UnitKind::City).await;
    let district = unit(stores, Some(&city), "吴兴区分局", UnitKind::District).await;
    let station_a = unit(stores, Some(&district), "爱山派出所", UnitKind::Station).await;
    let station_b = unit(stores, Some(&district), "月河派出所", UnitKind::Station).await;
    let other_district = unit(stores, Some(&city), "南浔区分局", UnitKind::District).await;
    let other_station = unit(
        stores,
        Some(&other_district),
        "南浔派出所",
        UnitKind::Station,
    )
    .await;
    Org {
        city,
        district,
        station_a,
        station_b,
        other_district,
        other_station,
    }
}

struct Spec {
    unit: Id,
    at: Millis,
    kind: AppealKind,
    channel: Channel,
    category: Option<&'static str>,
    status: Status,
    subject: Option<Id>,
    text: &'static str,
}

fn spec(unit: &Unit, at: Millis) -> Spec {
    Spec {
        unit: unit.id,
        at,
        kind: AppealKind::Complaint,
        channel: Channel::Web,
        category: Some("theft"),
        status: Status::Received,
        subject: None,
        text: "小区电瓶车被偷了",
    }
}

async fn insert_all(stores: &Stores, specs: Vec<Spec>) -> Vec<Id> {
    let mut ids = Vec::new();
    for (n, s) in specs.into_iter().enumerate() {
        let appeal = NewAppeal {
            tracking_code: format!("RP{n:014}"),
            idempotency_key: None,
            kind: s.kind,
            channel: s.channel,
            text: s.text.into(),
            search_text: s.text.into(),
            category: s.category.map(str::to_owned),
            category_confidence: Some(0.9),
            category_needs_review: false,
            urgency: Urgency::Normal,
            emergency: false,
            possible_emergency: false,
            sentiment: None,
            unit_id: s.unit,
            subject_unit_id: s.subject,
            status: s.status,
            received_at: s.at,
            accept_by: s.at + 2 * HOUR,
            due_at: s.at + 7 * DAY,
            contact: phone_only_contact(vec![n as u8]),
            recorded_by: None,
            history: None,
        };
        ids.push(stores.appeals.insert_appeal(appeal).await.unwrap().id());
    }
    ids
}

fn count(v: &[VolumeCount], f: impl Fn(&VolumeCount) -> bool) -> i64 {
    v.iter().filter(|c| f(c)).map(|c| c.count).sum()
}

pub(super) async fn aggregates_count_the_period_and_scope(stores: Stores, _raw: Raw) {
    let o = org(&stores).await;
    let mut specs = vec![
        // March, district: 3 theft complaints (a, a, b), 1 hotline fraud help at b.
        spec(&o.station_a, MARCH + HOUR),
        spec(&o.station_a, MARCH + 2 * DAY),
        spec(&o.station_b, MARCH + 10 * DAY),
        Spec {
            kind: AppealKind::Help,
            channel: Channel::Hotline,
            category: Some("fraud"),
            ..spec(&o.station_b, MARCH + 10 * DAY + HOUR)
        },
        // Uncategorised, owned by the district itself.
        Spec {
            category: None,
            ..spec(&o.district, MARCH + 20 * DAY)
        },
        // Rejected: not counted.
        Spec {
            status: Status::Rejected,
            ..spec(&o.station_a, MARCH + 3 * DAY)
        },
        // The last millisecond of February and the first of April: outside March.
        spec(&o.station_a, MARCH - 1),
        spec(&o.station_a, APRIL),
        // Other district, March.
        spec(&o.other_station, MARCH + 5 * DAY),
    ];
    // February: 2 in the district.
    specs.push(spec(&o.station_a, FEBRUARY));
    specs.push(spec(&o.station_b, FEBRUARY + 27 * DAY));
    insert_all(&stores, specs).await;

    let march = stores
        .reports
        .report_volume(&o.district.path, MARCH, APRIL)
        .await
        .unwrap();
    assert_eq!(count(&march, |_| true), 5, "{march:?}");
    assert_eq!(count(&march, |c| c.kind == AppealKind::Complaint), 4);
    assert_eq!(count(&march, |c| c.channel == Channel::Hotline), 1);
    assert_eq!(count(&march, |c| c.category.as_deref() == Some("theft")), 3);
    assert_eq!(count(&march, |c| c.category.is_none()), 1);
    assert_eq!(count(&march, |c| c.unit_id == o.station_a.id), 2);
    assert_eq!(count(&march, |c| c.unit_id == o.station_b.id), 2);
    assert_eq!(count(&march, |c| c.unit_id == o.district.id), 1);
    // Grouped: one row per (unit, kind, channel, category).
    let a_theft: Vec<_> = march
        .iter()
        .filter(|c| c.unit_id == o.station_a.id)
        .collect();
    assert_eq!(a_theft.len(), 1);
    assert_eq!(a_theft[0].count, 2);

    let city = stores
        .reports
        .report_volume(&o.city.path, MARCH, APRIL)
        .await
        .unwrap();
    assert_eq!(count(&city, |_| true), 6);
    let other = stores
        .reports
        .report_volume(&o.other_district.path, MARCH, APRIL)
        .await
        .unwrap();
    assert_eq!(count(&other, |_| true), 1);
    let february = stores
        .reports
        .report_volume(&o.district.path, FEBRUARY, MARCH)
        .await
        .unwrap();
    assert_eq!(
        count(&february, |_| true),
        3,
        "incl. the last ms of February"
    );

    // Days are China Standard Time days.
    let daily = stores
        .reports
        .report_daily(&o.district.path, MARCH, APRIL)
        .await
        .unwrap();
    let first_day = (MARCH + 8 * HOUR) / DAY;
    let days: Vec<(i64, i64)> = daily.iter().map(|d| (d.day - first_day, d.count)).collect();
    assert_eq!(days, vec![(0, 1), (2, 1), (10, 2), (20, 1)]);
}

pub(super) async fn clusters_alerts_and_quote_candidates(stores: Stores, raw: Raw) {
    let o = org(&stores).await;
    let ids = insert_all(
        &stores,
        vec![
            spec(&o.station_a, MARCH + HOUR),
            spec(&o.station_a, MARCH + 2 * HOUR),
            spec(&o.station_b, MARCH + 3 * HOUR),
            // Same cluster, but February.
            spec(&o.station_b, FEBRUARY + HOUR),
            // A cluster with one appeal in March only.
            spec(&o.station_b, MARCH + 4 * HOUR),
            // Conduct complaints are never quote candidates.
            Spec {
                category: Some("conduct"),
                ..spec(&o.station_a, MARCH + 5 * HOUR)
            },
            Spec {
                subject: Some(o.station_b.id),
                text: "派出所民警态度差",
                ..spec(&o.station_a, MARCH + 6 * HOUR)
            },
            // Another district's cluster member.
            spec(&o.other_station, MARCH + 7 * HOUR),
        ],
    )
    .await;
    let path = o.district.path.as_str();
    raw.exec(&format!(
        "INSERT INTO clusters (id, first_appeal_id, unit_path, category, label, size, \
         first_at, last_at) VALUES \
         (501, {}, '{path}', 'theft', '电瓶车 被盗 小区', 4, {}, {}), \
         (502, {}, '{path}', 'theft', '单独 一件', 1, {}, {})",
        ids[3],
        FEBRUARY + HOUR,
        MARCH + 3 * HOUR,
        ids[4],
        MARCH + 4 * HOUR,
        MARCH + 4 * HOUR,
    ))
    .await;
    raw.exec(&format!(
        "UPDATE appeals SET cluster_id = 501 WHERE id IN ({}, {}, {}, {}, {})",
        ids[0], ids[1], ids[2], ids[3], ids[7]
    ))
    .await;
    raw.exec(&format!(
        "UPDATE appeals SET cluster_id = 502 WHERE id = {}",
        ids[4]
    ))
    .await;

    let c = stores
        .reports
        .report_clusters(&o.district.path, MARCH, APRIL, 10)
        .await
        .unwrap();
    assert_eq!(c.clusters, 1, "{c:?}");
    assert_eq!(c.appeals, 3);
    assert_eq!(c.top.len(), 1);
    assert_eq!(c.top[0].cluster_id, 501);
    assert_eq!(c.top[0].in_period, 3);
    assert_eq!(c.top[0].size, 4);
    assert_eq!(c.top[0].label, "电瓶车 被盗 小区");
    // The city sees the other district's member too.
    let c = stores
        .reports
        .report_clusters(&o.city.path, MARCH, APRIL, 10)
        .await
        .unwrap();
    assert_eq!(c.top[0].in_period, 4);
    let none = stores
        .reports
        .report_clusters(&o.other_district.path, MARCH, APRIL, 10)
        .await
        .unwrap();
    assert_eq!(none.clusters, 0);

    // Alerts: overlapping March in the district (open and acknowledged), one dismissed,
    // one in February, one in the other district.
    let district = o.district.id;
    let other = o.other_district.id;
    let other_path = o.other_district.path.as_str();
    let mut values = Vec::new();
    for (id, unit, p, start, end, status, p_value) in [
        (
            701,
            district,
            path,
            MARCH - 2 * DAY,
            MARCH + 5 * DAY,
            "open",
            0.001,
        ),
        (
            702,
            district,
            path,
            MARCH + 9 * DAY,
            MARCH + 16 * DAY,
            "acknowledged",
            0.0001,
        ),
        (
            703,
            district,
            path,
            MARCH + 9 * DAY,
            MARCH + 16 * DAY,
            "dismissed",
            0.00001,
        ),
        (
            704,
            district,
            path,
            FEBRUARY,
            FEBRUARY + 7 * DAY,
            "open",
            0.001,
        ),
        (
            705,
            other,
            other_path,
            MARCH,
            MARCH + 7 * DAY,
            "open",
            0.001,
        ),
    ] {
        values.push(format!(
            "({id}, {unit}, '{p}', {start}, {end}, '[\"电瓶车\",\"充电\"]', '[\"theft\"]', 12, \
             2.5, {p_value}, {}, '{status}')",
            MARCH + 20 * DAY
        ));
    }
    raw.exec(&format!(
        "INSERT INTO emerging_alerts (id, district_unit_id, unit_path, period_start, \
         period_end, keywords, categories, observed, expected, p_value, detected_at, status) \
         VALUES {}",
        values.join(", ")
    ))
    .await;
    raw.exec(&format!(
        "INSERT INTO emerging_alert_appeals (alert_id, appeal_id) VALUES (701, {}), (701, {})",
        ids[0], ids[1]
    ))
    .await;
    let alerts = stores
        .reports
        .report_emerging(&o.district.path, MARCH, APRIL, 10)
        .await
        .unwrap();
    let got: Vec<(Id, i64)> = alerts.iter().map(|a| (a.id, a.appeals)).collect();
    assert_eq!(got, vec![(702, 0), (701, 2)], "most significant first");
    assert_eq!(alerts[0].keywords, vec!["电瓶车", "充电"]);
    assert_eq!(alerts[0].categories, vec!["theft"]);
    assert_eq!(alerts[0].observed, 12);
    let city_alerts = stores
        .reports
        .report_emerging(&o.city.path, MARCH, APRIL, 10)
        .await
        .unwrap();
    assert_eq!(city_alerts.len(), 3);

    // Quote candidates: newest first, in scope and period, never conduct.
    let q = stores
        .reports
        .report_quote_candidates(&o.district.path, MARCH, APRIL, "theft", 10)
        .await
        .unwrap();
    let got: Vec<Id> = q.iter().map(|c| c.appeal_id).collect();
    assert_eq!(got, vec![ids[4], ids[2], ids[1], ids[0]]);
    assert_eq!(q[1].cluster_id, Some(501));
    assert_eq!(q[0].text, "小区电瓶车被偷了");
    let q = stores
        .reports
        .report_quote_candidates(&o.district.path, MARCH, APRIL, "conduct", 10)
        .await
        .unwrap();
    assert!(q.is_empty());
    let q = stores
        .reports
        .report_quote_candidates(&o.district.path, MARCH, APRIL, "theft", 2)
        .await
        .unwrap();
    assert_eq!(q.len(), 2);
}

pub(super) async fn drafts_publishing_and_annotations(stores: Stores, _raw: Raw) {
    let o = org(&stores).await;
    let leader = stores
        .org
        .create_staff(NewStaff {
            username: "leader".into(),
            display_name: "局领导".into(),
            role: Role::Leader,
            unit_id: o.city.id,
            password_hash: "$argon2id$fake".into(),
        })
        .await
        .unwrap();
    let draft = |unit: Id, content: &str, at: Millis| NewReport {
        kind: ReportKind::Monthly,
        period_start: MARCH,
        period_end: APRIL,
        unit_id: unit,
        content: content.into(),
        generated_at: at,
        generated_by: None,
    };
    let first = stores
        .reports
        .save_report_draft(draft(o.district.id, "{\"v\":1}", APRIL + HOUR))
        .await
        .unwrap();
    assert_eq!(first.meta.status, ReportStatus::Draft);
    assert_eq!(first.meta.unit_path, o.district.path);
    assert_eq!(first.meta.kind, ReportKind::Monthly);
    // Regenerating a draft replaces it in place.
    let second = stores
        .reports
        .save_report_draft(NewReport {
            generated_by: Some(leader.id),
            ..draft(o.district.id, "{\"v\":2}", APRIL + 2 * HOUR)
        })
        .await
        .unwrap();
    assert_eq!(second.meta.id, first.meta.id);
    assert_eq!(second.content, "{\"v\":2}");
    assert_eq!(second.meta.generated_by, Some(leader.id));
    // A weekly report of the same unit and start is another report.
    let weekly = stores
        .reports
        .save_report_draft(NewReport {
            kind: ReportKind::Weekly,
            ..draft(o.district.id, "{}", APRIL)
        })
        .await
        .unwrap();
    assert_ne!(weekly.meta.id, first.meta.id);
    let city = stores
        .reports
        .save_report_draft(draft(o.city.id, "{\"city\":1}", APRIL))
        .await
        .unwrap();
    let other = stores
        .reports
        .save_report_draft(draft(o.other_district.id, "{}", APRIL))
        .await
        .unwrap();

    // Notes only on published reports.
    let err = stores
        .reports
        .annotate_report(first.meta.id, leader.id, APRIL, "先发布")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");

    let published = stores
        .reports
        .publish_report(first.meta.id, leader.id, APRIL + 3 * HOUR)
        .await
        .unwrap();
    assert_eq!(published.meta.status, ReportStatus::Published);
    assert_eq!(published.meta.published_by, Some(leader.id));
    assert_eq!(published.meta.published_at, Some(APRIL + 3 * HOUR));
    let again = stores
        .reports
        .publish_report(first.meta.id, leader.id, APRIL + 4 * HOUR)
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Conflict(_)), "{again:?}");
    assert!(matches!(
        stores
            .reports
            .publish_report(999_999, leader.id, APRIL)
            .await,
        Err(StoreError::NotFound)
    ));

    // Frozen: saving a draft for the same period leaves it exactly as it was.
    let frozen = stores
        .reports
        .save_report_draft(draft(o.district.id, "{\"v\":3}", APRIL + 5 * HOUR))
        .await
        .unwrap();
    assert_eq!(frozen.meta.id, first.meta.id);
    assert_eq!(frozen.meta.status, ReportStatus::Published);
    assert_eq!(frozen.content, "{\"v\":2}");
    assert_eq!(frozen.meta.generated_at, APRIL + 2 * HOUR);
    assert_eq!(
        stores
            .reports
            .report(first.meta.id)
            .await
            .unwrap()
            .unwrap()
            .content,
        "{\"v\":2}"
    );

    let note = stores
        .reports
        .annotate_report(
            first.meta.id,
            leader.id,
            APRIL + 6 * HOUR,
            "下周开展电瓶车防盗专项行动",
        )
        .await
        .unwrap();
    assert_eq!(note.author_name, "局领导");
    stores
        .reports
        .annotate_report(first.meta.id, leader.id, APRIL + 7 * HOUR, "<b>第二条</b>")
        .await
        .unwrap();
    let notes = stores
        .reports
        .report_annotations(first.meta.id)
        .await
        .unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0].text, "下周开展电瓶车防盗专项行动");
    assert_eq!(notes[1].text, "<b>第二条</b>");
    assert_eq!(notes[1].at, APRIL + 7 * HOUR);

    // Lookups and scopes.
    let found = stores
        .reports
        .report_for(o.district.id, ReportKind::Monthly, MARCH)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, first.meta.id);
    assert!(stores
        .reports
        .report_for(o.district.id, ReportKind::Quarterly, MARCH)
        .await
        .unwrap()
        .is_none());
    let ids = |v: Vec<ReportMeta>| {
        let mut ids: Vec<Id> = v.into_iter().map(|m| m.id).collect();
        ids.sort();
        ids
    };
    let mut all = vec![first.meta.id, weekly.meta.id, city.meta.id, other.meta.id];
    all.sort();
    assert_eq!(
        ids(stores.reports.reports_in(&o.city.path, 100).await.unwrap()),
        all
    );
    let mut district = vec![first.meta.id, weekly.meta.id];
    district.sort();
    assert_eq!(
        ids(stores
            .reports
            .reports_in(&o.district.path, 100)
            .await
            .unwrap()),
        district
    );
    assert_eq!(
        ids(stores
            .reports
            .reports_in(&o.station_a.path, 100)
            .await
            .unwrap()),
        Vec::<Id>::new()
    );
    let _ = &o.station_b;

    // Audited: generated (drafts written), published, annotated.
    let audit = stores.audit.audit_entries(0, 1000).await.unwrap();
    let subject = format!("report:{}", first.meta.id);
    let actions: Vec<&str> = audit
        .iter()
        .filter(|e| e.subject == subject)
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(
        actions,
        vec![
            "report.generated",
            "report.generated",
            "report.published",
            "report.annotated",
            "report.annotated"
        ]
    );
    let published_entry = audit
        .iter()
        .find(|e| e.action == "report.published")
        .unwrap();
    assert_eq!(published_entry.actor, format!("staff:{}", leader.id));
    assert!(audit
        .iter()
        .any(|e| e.action == "report.annotated" && e.detail == "下周开展电瓶车防盗专项行动"));
}
