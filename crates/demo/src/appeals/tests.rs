use std::collections::{HashMap, HashSet};

use police_square_domain::Category;

use super::*;
use crate::texts::plain_indexer;

/// 2026-11-22 16:00 China time.
const NOW: Millis = 1_795_334_400_000;

fn generate(seed: u64, n: usize) -> Vec<Generated> {
    let mut g = Generator::new(Org::synthetic(), seed, n, NOW, plain_indexer());
    (0..n).map(|_| g.next_appeal()).collect()
}

#[test]
fn is_deterministic_for_a_seed() {
    assert_eq!(generate(7, 300), generate(7, 300));
    assert_ne!(generate(7, 50), generate(8, 50));
}

#[test]
fn appeals_come_oldest_first() {
    let all = generate(9, 1_000);
    assert!(all.windows(2).all(|w| w[0].received_at <= w[1].received_at));
}

#[test]
fn covers_every_kind_channel_category_and_status() {
    let all = generate(2009, 2_000);
    let n = all.len() as f64;
    for kind in AppealKind::ALL {
        let share = all.iter().filter(|a| a.kind == *kind).count() as f64 / n;
        let expected = KIND_WEIGHTS.iter().find(|(k, _)| k == kind).unwrap().1 as f64 / 100.0;
        assert!(
            (share - expected).abs() < 0.04,
            "{kind}: {share:.3} vs {expected:.3}"
        );
    }
    for (channel, _) in CHANNEL_WEIGHTS {
        assert!(all.iter().any(|a| a.channel == *channel), "{channel}");
    }
    for c in Category::DEFAULTS {
        assert!(all.iter().any(|a| a.category == *c), "{c}");
    }
    let mut statuses: HashMap<Status, usize> = HashMap::new();
    for a in &all {
        *statuses.entry(a.status).or_default() += 1;
    }
    for s in Status::ALL {
        assert!(
            statuses.get(s).copied().unwrap_or(0) > 0,
            "{s}: {statuses:?}"
        );
    }
    assert!(statuses[&Status::Closed] as f64 > 0.5 * n, "{statuses:?}");
}

#[test]
fn phones_are_obviously_fake() {
    let all = generate(1, 2_000);
    for a in &all {
        let p = fake_phone(a.caller);
        assert_eq!(p.len(), 11);
        assert!(p.starts_with("1380000") || p.starts_with("1390000"), "{p}");
        assert!(p.bytes().all(|b| b.is_ascii_digit()));
    }
    for i in [0, 9_999, 10_000, MAX_CALLERS - 1, MAX_CALLERS + 5] {
        let p = fake_phone(i);
        assert!(p.starts_with("1380000") || p.starts_with("1390000"), "{p}");
    }
    assert_eq!(fake_phone(10_001), "13900000001");
    // Some callers appeal more than once (hotline caller lookup).
    let distinct: HashSet<u32> = all.iter().map(|a| a.caller).collect();
    assert!(distinct.len() < all.len());
    let names: Vec<_> = (0..200).filter_map(fake_name).collect();
    assert!(names
        .iter()
        .all(|n| n.ends_with('某') || n.ends_with("女士") || n.ends_with("先生")));
}

#[test]
fn texts_are_varied_colloquial_and_placed_in_huzhou() {
    let all = generate(3, 2_000);
    let distinct: HashSet<&str> = all.iter().map(|a| a.text.as_str()).collect();
    assert!(
        distinct.len() as f64 > 0.9 * all.len() as f64,
        "{} distinct of {}",
        distinct.len(),
        all.len()
    );
    for a in &all {
        assert!(
            !a.text.contains(['{', '}', '[', ']']) || a.text.starts_with("[随手拍]"),
            "{}",
            a.text
        );
        assert!(a.text.chars().count() >= 15, "{}", a.text);
        assert!(!a.search_text.is_empty());
    }
    assert!(all.iter().any(|a| a.text.contains("织里")));
    assert!(all.iter().any(|a| a.text.contains("电瓶车")));
    let codes: HashSet<&str> = all.iter().map(|a| a.tracking_code.as_str()).collect();
    assert_eq!(codes.len(), all.len(), "tracking codes are unique");
}

#[test]
fn near_duplicate_groups_share_place_and_problem() {
    let all = generate(4, 2_000);
    let mut groups: HashMap<u32, Vec<&Generated>> = HashMap::new();
    for a in all.iter().filter(|a| a.group.is_some()) {
        groups.entry(a.group.unwrap()).or_default().push(a);
    }
    let big = groups.values().filter(|g| g.len() >= 5).count();
    assert!(big >= 3, "{} groups", groups.len());
    for members in groups.values() {
        let units: HashSet<Id> = members
            .iter()
            .filter(|a| a.status != Status::Transferred)
            .map(|a| a.subject_unit_id.unwrap_or(a.unit_id))
            .collect();
        let categories: HashSet<&str> = members.iter().map(|a| a.category).collect();
        assert_eq!(categories.len(), 1);
        assert!(units.len() <= 1, "{units:?}");
    }
}

#[test]
fn lifecycles_are_consistent_and_include_trouble() {
    let all = generate(5, 2_000);
    let first = NOW - (SPAN_DAYS + 1) * DAY;
    let mut overdue = 0;
    let mut supervised = [0; 3];
    let mut unsatisfied = 0;
    let mut emergencies = 0;
    let mut handoffs = 0;
    for a in &all {
        let h = &a.history;
        assert!(a.received_at >= first && a.received_at < NOW);
        assert!(a.accept_by > a.received_at && a.due_at > a.received_at);
        let times = [
            Some(a.received_at),
            h.accepted_at,
            h.replied_at,
            h.closed_at,
        ];
        let present: Vec<Millis> = times.iter().flatten().copied().collect();
        assert!(present.windows(2).all(|w| w[0] <= w[1]), "{a:?}");
        assert!(present.iter().all(|t| *t < NOW));
        match a.status {
            Status::Received => assert!(h.accepted_at.is_none()),
            Status::Closed => {
                assert!(h.closed_at.is_some() && h.replied_at.is_some() && h.reply_text.is_some())
            }
            Status::Replied => assert!(h.replied_at.is_some() && h.closed_at.is_none()),
            Status::Rejected => assert!(h.reply_text.is_some()),
            Status::Reopened => assert_eq!(h.reopen_count, 1),
            _ => {}
        }
        if let Some((_, sat, at)) = h.rating {
            assert!(at <= NOW);
            if sat == Satisfaction::Unsatisfied {
                unsatisfied += 1;
            }
        }
        if a.status.is_open() && a.due_at < NOW {
            overdue += 1;
        }
        supervised[h.supervision_level as usize] += 1;
        if a.emergency {
            emergencies += 1;
            assert_eq!(a.urgency, Urgency::Emergency);
        }
        if a.category == Category::CONDUCT {
            assert!(a.subject_unit_id.is_some() && a.subject_unit_id != Some(a.unit_id));
        }
        if a.handoff.is_some() {
            handoffs += 1;
            assert_eq!(a.status, Status::Transferred);
        }
    }
    assert!(overdue > 10, "{overdue}");
    assert!(supervised[1] > 10 && supervised[2] > 3, "{supervised:?}");
    assert!(unsatisfied > 10, "{unsatisfied}");
    assert!(emergencies > 5, "{emergencies}");
    assert!(handoffs > 10, "{handoffs}");
    let rated = all.iter().filter(|a| a.history.rating.is_some()).count();
    let satisfied = all
        .iter()
        .filter(|a| matches!(a.history.rating, Some((_, Satisfaction::Satisfied, _))))
        .count();
    assert!(satisfied as f64 > 0.6 * rated as f64);
}

#[test]
fn more_appeals_on_weekdays_and_in_daytime() {
    use chrono::{Datelike, Timelike};
    let all = generate(6, 4_000);
    let (mut weekday, mut day) = (0, 0);
    for a in &all {
        let t = police_square_domain::calendar::to_local(a.received_at);
        if t.weekday().num_days_from_monday() < 5 {
            weekday += 1;
        }
        if (8..20).contains(&t.hour()) {
            day += 1;
        }
    }
    // 5/7 of days are weekdays: a weekday share above that means more per weekday.
    assert!(
        weekday as f64 / all.len() as f64 > 5.0 / 7.0 + 0.03,
        "{weekday}"
    );
    assert!(day as f64 / all.len() as f64 > 0.7, "{day}");
}
