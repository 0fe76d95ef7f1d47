//! Full-text search ([`AppealStore::search_appeals`]).

use police_square_domain::{AppealKind, Channel, Millis, Status, UnitKind, Urgency};
use police_square_store::*;

use crate::support::{insert_in_batches, phone_only_contact, unit};

const T0: Millis = 1_750_000_000_000;
const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;

struct Org {
    city: Unit,
    district: Unit,
    station_a: Unit,
    station_b: Unit,
    other_station: Unit,
}

async fn org(stores: &Stores) -> Org {
    let city = unit(stores, None, "湖州市公安局", UnitKind::City).await;
    let district = unit(stores, Some(&city), "吴兴区分局", UnitKind::District).await;
    let station_a = unit(stores, Some(&district), "爱山派出所", UnitKind::Station).await;
    let station_b = unit(stores, Some(&district), "月河派出所", UnitKind::Station).await;
    let other = unit(stores, Some(&city), "南浔区分局", UnitKind::District).await;
    let other_station = unit(stores, Some(&other), "南浔派出所", UnitKind::Station).await;
    Org {
        city,
        district,
        station_a,
        station_b,
        other_station,
    }
}

/// An appeal received `n` hours after T0 with this text and search text.
fn appeal(unit: &Unit, n: i64, text: &str, search_text: &str) -> NewAppeal {
    let at = T0 + n * HOUR;
    NewAppeal {
        tracking_code: format!("SR{n:014}"),
        idempotency_key: None,
        kind: AppealKind::Complaint,
        channel: Channel::Web,
        text: text.into(),
        search_text: search_text.into(),
        category: Some("theft".into()),
        category_confidence: Some(0.9),
        category_needs_review: false,
        urgency: Urgency::Normal,
        emergency: false,
        possible_emergency: false,
        sentiment: Some("negative".into()),
        unit_id: unit.id,
        subject_unit_id: None,
        status: Status::Received,
        received_at: at,
        accept_by: at + 2 * HOUR,
        due_at: at + 7 * DAY,
        contact: phone_only_contact(b"hash".to_vec()),
        recorded_by: None,
        history: None,
    }
}

async fn insert(stores: &Stores, a: NewAppeal) -> Id {
    stores.appeals.insert_appeal(a).await.unwrap().id()
}

fn query(scope: &Unit, terms: &[&str]) -> SearchQuery {
    SearchQuery {
        terms: terms.iter().map(|t| t.to_string()).collect(),
        scope: Some(scope.path.clone()),
        page_size: 20,
        ..Default::default()
    }
}

async fn ids(stores: &Stores, q: &SearchQuery) -> Vec<Id> {
    let r = stores.appeals.search_appeals(q).await.unwrap();
    r.items.iter().map(|h| h.summary.id).collect()
}

// ── tests ───────────────────────────────────────────────────────────────

pub(super) async fn search_matches_every_term_newest_first_with_pages(stores: Stores) {
    let o = org(&stores).await;
    let bike = "电瓶车 被偷 小区 楼下";
    let mut bikes = Vec::new();
    for n in 0..25 {
        let text = format!("第{n}次：我的电瓶车在小区楼下被偷了");
        bikes.push(insert(&stores, appeal(&o.station_a, n, &text, bike)).await);
    }
    let noise = insert(
        &stores,
        appeal(&o.station_a, 30, "楼下噪音扰民", "楼下 噪音 扰民"),
    )
    .await;
    let fraud = insert(
        &stores,
        appeal(
            &o.station_b,
            31,
            "接到电话说电瓶车中奖，被骗了",
            "电话 电瓶车 中奖 被骗",
        ),
    )
    .await;

    // One term: every appeal holding it, newest first.
    let r = stores
        .appeals
        .search_appeals(&query(&o.city, &["电瓶车"]))
        .await
        .unwrap();
    let mut expected: Vec<Id> = bikes.iter().rev().copied().collect();
    expected.insert(0, fraud);
    let got: Vec<Id> = r.items.iter().map(|h| h.summary.id).collect();
    assert_eq!(got, expected[..20].to_vec());
    assert!(r.has_next);
    assert_eq!((r.total, r.total_capped), (26, false));
    // The hit carries the full text and the masked phone only.
    assert_eq!(r.items[0].text, "接到电话说电瓶车中奖，被骗了");
    assert_eq!(r.items[0].summary.phone_masked, "138****1234");

    // Second page: the rest, no next.
    let mut q = query(&o.city, &["电瓶车"]);
    q.page = 1;
    let r = stores.appeals.search_appeals(&q).await.unwrap();
    let got: Vec<Id> = r.items.iter().map(|h| h.summary.id).collect();
    assert_eq!(got, expected[20..].to_vec());
    assert!(!r.has_next);
    // Just past the end: empty, and the count is still the true one.
    q.page = 2;
    let r = stores.appeals.search_appeals(&q).await.unwrap();
    assert!(r.items.is_empty() && !r.has_next);
    assert_eq!(r.total, 26);
    // Far beyond the end: empty, not an error.
    q.page = 1_000;
    assert!(stores
        .appeals
        .search_appeals(&q)
        .await
        .unwrap()
        .items
        .is_empty());
    // A later page of a word nobody used counts nothing.
    let mut q = query(&o.city, &["无人用过的词"]);
    q.page = 4;
    let r = stores.appeals.search_appeals(&q).await.unwrap();
    assert!(r.items.is_empty());
    assert_eq!(r.total, 0);

    // Every term must match.
    assert_eq!(
        ids(&stores, &query(&o.city, &["电瓶车", "被骗"])).await,
        vec![fraud]
    );
    assert_eq!(ids(&stores, &query(&o.city, &["楼下"])).await.len(), 20);
    assert_eq!(
        ids(&stores, &query(&o.city, &["噪音", "楼下"])).await,
        vec![noise]
    );
    assert!(ids(&stores, &query(&o.city, &["噪音", "被骗"]))
        .await
        .is_empty());
    // Whole tokens, not substrings: 电瓶 is no token here.
    assert!(ids(&stores, &query(&o.city, &["电瓶"])).await.is_empty());
    // Repeated terms are one.
    assert_eq!(
        ids(&stores, &query(&o.city, &["中奖", "中奖", "中奖"])).await,
        vec![fraud]
    );
    // Upper-case ASCII finds lower-case tokens.
    let phone = insert(
        &stores,
        appeal(&o.station_a, 40, "iPhone 被偷", "iphone 被偷"),
    )
    .await;
    assert_eq!(
        ids(&stores, &query(&o.city, &["IPHONE"])).await,
        vec![phone]
    );
}

pub(super) async fn search_finds_bulk_imported_appeals(stores: Stores) {
    let o = org(&stores).await;
    let mut batch = Vec::new();
    for n in 0..50 {
        let st = if n % 10 == 0 {
            "织里 童装 市场 电动车 被盗"
        } else {
            "南浔 古镇 游客 走失"
        };
        batch.push(appeal(&o.other_station, n, "批量导入的诉求", st));
    }
    stores.appeals.insert_appeals_bulk(batch).await.unwrap();
    let r = stores
        .appeals
        .search_appeals(&query(&o.city, &["童装", "被盗"]))
        .await
        .unwrap();
    assert_eq!(r.items.len(), 5);
    assert_eq!(r.total, 5);
    assert!(r
        .items
        .windows(2)
        .all(|w| w[0].summary.id > w[1].summary.id));
    let r = stores
        .appeals
        .search_appeals(&query(&o.city, &["走失"]))
        .await
        .unwrap();
    assert_eq!((r.items.len(), r.total, r.has_next), (20, 45, true));
}

pub(super) async fn search_filters_period_kind_category_status(stores: Stores) {
    let o = org(&stores).await;
    let st = "反诈 刷单 被骗";
    let early = insert(&stores, appeal(&o.station_a, 0, "刷单被骗", st)).await;
    let mut a = appeal(&o.station_a, 24, "刷单被骗 举报", st);
    a.kind = AppealKind::Report;
    let report = insert(&stores, a).await;
    let mut a = appeal(&o.station_a, 48, "刷单被骗", st);
    a.category = Some("fraud".into());
    let fraud = insert(&stores, a).await;
    let late = insert(&stores, appeal(&o.station_a, 72, "刷单被骗", st)).await;
    // Reply to `late`: its status moves on.
    let appeal_late = stores.appeals.appeal(late).await.unwrap().unwrap();
    stores
        .appeals
        .apply_change(AppealChange {
            appeal_id: late,
            expected_version: appeal_late.version,
            actor: Actor::System,
            at: T0 + 73 * HOUR,
            patch: AppealPatch {
                status: Some(Status::Accepted),
                accepted_at: Some(T0 + 73 * HOUR),
                ..Default::default()
            },
            event: NewEvent {
                kind: "accepted".into(),
                public: true,
                note: None,
                from_unit_id: None,
                to_unit_id: None,
            },
            notify: None,
        })
        .await
        .unwrap();

    let all = query(&o.city, &["刷单"]);
    assert_eq!(ids(&stores, &all).await, vec![late, fraud, report, early]);

    let mut q = all.clone();
    q.from = Some(T0 + 24 * HOUR);
    q.to = Some(T0 + 72 * HOUR); // exclusive
    assert_eq!(ids(&stores, &q).await, vec![fraud, report]);

    let mut q = all.clone();
    q.kind = Some(AppealKind::Report);
    assert_eq!(ids(&stores, &q).await, vec![report]);

    let mut q = all.clone();
    q.category = Some("fraud".into());
    assert_eq!(ids(&stores, &q).await, vec![fraud]);

    let mut q = all.clone();
    q.statuses = vec![Status::Accepted];
    assert_eq!(ids(&stores, &q).await, vec![late]);
    q.statuses = vec![Status::Received, Status::Replied];
    assert_eq!(ids(&stores, &q).await, vec![fraud, report, early]);
    let r = stores.appeals.search_appeals(&q).await.unwrap();
    assert_eq!(r.total, 3);

    // A hostile category value is a value, not SQL.
    let mut q = all.clone();
    q.category = Some("fraud' OR '1'='1".into());
    assert!(ids(&stores, &q).await.is_empty());
}

pub(super) async fn search_keeps_to_scope_and_hides_conduct_like_the_inbox(stores: Stores) {
    let o = org(&stores).await;
    let st = "民警 态度 恶劣 推诿";
    let a = insert(&stores, appeal(&o.station_a, 0, "态度恶劣", st)).await;
    let b = insert(&stores, appeal(&o.station_b, 1, "态度恶劣", st)).await;
    let far = insert(&stores, appeal(&o.other_station, 2, "态度恶劣", st)).await;
    // A complaint about station A's officers, owned by the district (confidential).
    let mut c = appeal(&o.district, 3, "爱山派出所民警态度恶劣", st);
    c.category = Some("conduct".into());
    c.subject_unit_id = Some(o.station_a.id);
    let conduct = insert(&stores, c).await;

    // A handler at station A: own station only, no conduct.
    let q = query(&o.station_a, &["态度"]);
    assert_eq!(ids(&stores, &q).await, vec![a]);
    // The district without conduct (handlers, leaders): its two stations.
    let q = query(&o.district, &["态度"]);
    assert_eq!(ids(&stores, &q).await, vec![b, a]);
    assert_eq!(stores.appeals.search_appeals(&q).await.unwrap().total, 2);
    // The district's supervisor sees the complaint about station A.
    let mut q = query(&o.district, &["态度"]);
    q.include_conduct = true;
    q.hide_conduct_about = o.district.path.ids().to_vec();
    assert_eq!(ids(&stores, &q).await, vec![conduct, b, a]);
    // A supervisor posted at station A itself (the accused unit) never does.
    let mut q = query(&o.district, &["态度"]);
    q.include_conduct = true;
    q.hide_conduct_about = o.station_a.path.ids().to_vec();
    assert_eq!(ids(&stores, &q).await, vec![b, a]);
    assert_eq!(stores.appeals.search_appeals(&q).await.unwrap().total, 2);
    // Admins hide nothing; the city sees everything.
    let mut q = query(&o.city, &["态度"]);
    q.include_conduct = true;
    assert_eq!(ids(&stores, &q).await, vec![conduct, far, b, a]);
    // No scope set (tools): everything but conduct.
    let mut q = query(&o.city, &["态度"]);
    q.scope = None;
    assert_eq!(ids(&stores, &q).await, vec![far, b, a]);
}

pub(super) async fn search_query_syntax_is_never_interpreted(stores: Stores) {
    let o = org(&stores).await;
    let plain = insert(
        &stores,
        appeal(&o.station_a, 0, "电瓶车被偷", "电瓶车 被偷"),
    )
    .await;
    // Words that are operators in FTS5 or tsquery, as the resident wrote them.
    let words = insert(
        &stores,
        appeal(
            &o.station_a,
            1,
            "or not and near 都是英文单词",
            "or not and near 英文 单词",
        ),
    )
    .await;
    let hostile = [
        "\"",
        "\"\"",
        "\"电瓶车",
        "电瓶车\"",
        "*",
        "电瓶*",
        "OR",
        "AND",
        "NOT",
        "NEAR",
        "NEAR(电瓶车 被偷)",
        "-",
        "-电瓶车",
        ":",
        "search_text:电瓶车",
        "appeals_fts:x",
        "^电瓶车",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "+",
        "'",
        "';DROP TABLE appeals;--",
        "%",
        "_",
        "\\",
        "!",
        "&",
        "|",
        "<->",
        "电瓶车 & 被偷 | 噪音",
        "!被偷",
        "a:*",
        "\0",
        "电瓶车\0被偷",
        "\u{7}",
        "😀",
        "<script>alert(1)</script>",
        "　",
    ];
    for h in hostile {
        for terms in [vec![h], vec!["电瓶车", h], vec![h, h, "被偷"]] {
            let q = query(&o.city, &terms);
            let r = stores.appeals.search_appeals(&q).await;
            assert!(r.is_ok(), "{terms:?}: {r:?}");
            let got: Vec<Id> = r.unwrap().items.iter().map(|h| h.summary.id).collect();
            assert!(
                got.iter().all(|id| *id == plain || *id == words),
                "{terms:?}: {got:?}"
            );
        }
    }
    // Operator words are ordinary words.
    for w in ["OR", "or", "NOT", "AND", "NEAR"] {
        assert_eq!(
            ids(&stores, &query(&o.city, &[w])).await,
            vec![words],
            "{w}"
        );
    }
    // Punctuation around a word does not stop it from matching, nor widen it.
    assert_eq!(
        ids(&stores, &query(&o.city, &["\"电瓶车\""])).await,
        vec![plain]
    );
    assert_eq!(
        ids(&stores, &query(&o.city, &["-电瓶车"])).await,
        vec![plain]
    );
    // The table is still there.
    assert_eq!(stores.rates.count_appeals().await.unwrap(), 2);
}

pub(super) async fn search_without_terms_finds_nothing(stores: Stores) {
    let o = org(&stores).await;
    insert(
        &stores,
        appeal(&o.station_a, 0, "电瓶车被偷", "电瓶车 被偷"),
    )
    .await;
    for terms in [
        vec![],
        vec![""],
        vec!["   "],
        vec!["，。！"],
        vec!["\"", "*"],
    ] {
        let r = stores
            .appeals
            .search_appeals(&query(&o.city, &terms))
            .await
            .unwrap();
        assert!(r.items.is_empty(), "{terms:?}");
        assert_eq!((r.total, r.has_next), (0, false));
    }
    // Page size 0 is clamped, not a division by zero or an empty page.
    let mut q = query(&o.city, &["电瓶车"]);
    q.page_size = 0;
    assert_eq!(
        stores.appeals.search_appeals(&q).await.unwrap().items.len(),
        1
    );
}

/// More appeals than the newest-first probe looks at (PostgreSQL: 20,000): words found
/// only in old appeals, or rare among recent ones, are still found, in order, counted.
pub(super) async fn search_beyond_the_newest_appeals_finds_old_matches(stores: Stores) {
    let o = org(&stores).await;
    let n: i64 = 21_000;
    let appeals = (0..n).map(|i| {
        let st = match i {
            0 | 1 => "古老 纠纷 邻居",
            _ if i % 1000 == 7 => "稀疏 邻居 吵架",
            _ => "邻居 噪音",
        };
        let mut a = appeal(&o.station_a, i, "批量", st);
        a.tracking_code = format!("OLD{i:012}");
        a
    });
    insert_in_batches(&stores, appeals).await;
    let first = stores
        .appeals
        .search_appeals(&query(&o.city, &["古老"]))
        .await
        .unwrap();
    assert_eq!(first.items.len(), 2);
    assert!(first.items[0].summary.id > first.items[1].summary.id);
    assert_eq!((first.total, first.has_next), (2, false));
    // 21 sparse matches: a page of 20, then one more.
    let r = stores
        .appeals
        .search_appeals(&query(&o.city, &["稀疏"]))
        .await
        .unwrap();
    assert_eq!(r.items.len(), 20);
    assert!(r.has_next);
    assert_eq!((r.total, r.total_capped), (21, false));
    let mut q = query(&o.city, &["稀疏"]);
    q.page = 1;
    let last = stores.appeals.search_appeals(&q).await.unwrap();
    assert_eq!(last.items.len(), 1);
    assert!(last.items[0].summary.id < r.items[19].summary.id);
    // A common word: capped count, pages newest first.
    let r = stores
        .appeals
        .search_appeals(&query(&o.city, &["邻居"]))
        .await
        .unwrap();
    assert_eq!(r.items.len(), 20);
    assert!(r.total_capped);
    assert_eq!(r.total, SearchResults::TOTAL_CAP);
    assert!(r
        .items
        .windows(2)
        .all(|w| w[0].summary.id > w[1].summary.id));
    // Combined with a filter no recent appeal passes: the old ones by period.
    let mut q = query(&o.city, &["邻居"]);
    q.to = Some(T0 + 3 * HOUR);
    let r = stores.appeals.search_appeals(&q).await.unwrap();
    assert_eq!(r.items.len(), 3);
    assert_eq!(r.total, 3);
}

async fn change(stores: &Stores, id: Id, at: Millis, patch: AppealPatch) {
    let current = stores.appeals.appeal(id).await.unwrap().unwrap();
    stores
        .appeals
        .apply_change(AppealChange {
            appeal_id: id,
            expected_version: current.version,
            actor: Actor::System,
            at,
            patch,
            event: NewEvent {
                kind: "note".into(),
                public: false,
                note: None,
                from_unit_id: None,
                to_unit_id: None,
            },
            notify: None,
        })
        .await
        .unwrap();
}

/// The indexes narrow a search by its filters (scope, category, status, period) before
/// the rows are read: they must follow every change of those, and a period must keep
/// exactly its edges, whatever its length.
pub(super) async fn search_follows_transfers_reclassification_and_exact_periods(stores: Stores) {
    let o = org(&stores).await;
    let st = "井盖 丢失 路口";
    let moved = insert(&stores, appeal(&o.station_a, 0, "井盖丢失", st)).await;
    let stays = insert(&stores, appeal(&o.station_a, 1, "井盖丢失", st)).await;
    // A resident who types the index's own filter markers gains nothing by it.
    let marker = format!("井盖 \u{E000}u{} \u{E000}ctraffic", o.other_station.id);
    let sly = insert(&stores, appeal(&o.station_b, 2, "井盖", &marker)).await;

    change(
        &stores,
        moved,
        T0 + 5 * HOUR,
        AppealPatch {
            unit_id: Some(o.other_station.id),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        ids(&stores, &query(&o.station_a, &["井盖"])).await,
        vec![stays]
    );
    assert_eq!(
        ids(&stores, &query(&o.district, &["井盖"])).await,
        vec![sly, stays]
    );
    assert_eq!(
        ids(&stores, &query(&o.other_station, &["井盖"])).await,
        vec![moved]
    );

    change(
        &stores,
        stays,
        T0 + 6 * HOUR,
        AppealPatch {
            category: Some(("traffic".into(), 0.8)),
            ..Default::default()
        },
    )
    .await;
    let mut q = query(&o.city, &["井盖"]);
    q.category = Some("traffic".into());
    assert_eq!(ids(&stores, &q).await, vec![stays]);
    q.category = Some("theft".into());
    assert_eq!(ids(&stores, &q).await, vec![sly, moved]);
    // The marker as a query word finds nothing.
    let q = query(&o.city, &[&format!("\u{E000}u{}", o.other_station.id)]);
    assert!(ids(&stores, &q).await.is_empty());

    // Appeals every 5 hours over 400 days: periods of many lengths, cut mid-day.
    let mut batch = Vec::new();
    for i in 0..(400 * 24 / 5) {
        let mut a = appeal(&o.station_b, 100 + 5 * i, "积水", "积水 严重");
        a.tracking_code = format!("RAIN{i:010}");
        batch.push(a);
    }
    stores.appeals.insert_appeals_bulk(batch).await.unwrap();
    let at = |i: i64| T0 + (100 + 5 * i) * HOUR;
    for (from, to) in [
        (at(0), at(1)),
        (at(3) + 1, at(9)),
        (at(7) - 1, at(7)),
        (at(10), at(10) + 45 * DAY + 7 * HOUR),
        (at(0) + 13 * HOUR, at(0) + 300 * DAY),
        (at(2), at(1)),
    ] {
        let mut q = query(&o.city, &["积水"]);
        q.from = Some(from);
        q.to = Some(to);
        q.page_size = 100;
        let r = stores.appeals.search_appeals(&q).await.unwrap();
        let expected: Vec<i64> = (0..(400 * 24 / 5))
            .map(at)
            .filter(|t| *t >= from && *t < to)
            .collect();
        if !r.total_estimated {
            assert_eq!(r.total as usize, expected.len().min(1000), "{from}..{to}");
        }
        let got: Vec<i64> = r.items.iter().map(|h| h.summary.received_at).collect();
        let newest: Vec<i64> = expected.iter().rev().take(100).copied().collect();
        assert_eq!(got, newest, "{from}..{to}");
    }
    // Open at one end.
    let mut q = query(&o.city, &["积水"]);
    q.from = Some(at(1915));
    assert_eq!(stores.appeals.search_appeals(&q).await.unwrap().total, 5);
    let mut q = query(&o.city, &["积水"]);
    q.to = Some(at(3));
    assert_eq!(stores.appeals.search_appeals(&q).await.unwrap().total, 3);
}
