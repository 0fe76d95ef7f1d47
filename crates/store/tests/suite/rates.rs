//! Rate counts (acceptance, on-time, satisfaction…) checked against a hand computation.

use std::collections::HashMap;

use police_square_domain::rates::RateCounts;
use police_square_domain::Satisfaction;

use super::*;

pub(super) async fn rate_counts_match_hand_computation(stores: Stores) {
    let o = org(&stores).await;
    // Day boundaries in China Standard Time: T0 is 2025-06-15 23:06:40 +08:00.
    let day0 = 1_749_916_800_000; // 2025-06-15 00:00 +08:00
    let mut expect: HashMap<Id, RateCounts> = HashMap::new();
    let now = day0 + 20 * DAY;
    let mut n = 0u64;
    // (unit, received offset, accepted?, accepted late?, replied offset, due offset, rating, reopen, rejected)
    #[allow(clippy::type_complexity)]
    let cases: Vec<(
        &Unit,
        Millis,
        Option<Millis>,
        Option<Millis>,
        Millis,
        Option<(bool, Satisfaction)>,
        bool,
        bool,
    )> = vec![
        (
            &o.station_a,
            HOUR,
            Some(HOUR + 60_000),
            Some(2 * DAY),
            7 * DAY,
            Some((true, Satisfaction::Satisfied)),
            false,
            false,
        ),
        (
            &o.station_a,
            3 * HOUR,
            Some(6 * HOUR),
            Some(9 * DAY),
            7 * DAY,
            Some((false, Satisfaction::Unsatisfied)),
            true,
            false,
        ),
        (
            &o.station_a,
            DAY + HOUR,
            Some(DAY + 2 * HOUR),
            None,
            8 * DAY,
            None,
            false,
            false,
        ), // open, overdue at now
        (
            &o.station_a,
            2 * DAY,
            None,
            None,
            40 * DAY,
            None,
            false,
            false,
        ), // open, not yet due
        (
            &o.station_a,
            2 * DAY + HOUR,
            None,
            None,
            3 * DAY,
            None,
            false,
            true,
        ), // rejected: not counted
        (
            &o.station_b,
            5 * DAY + 13 * HOUR,
            Some(5 * DAY + 14 * HOUR),
            Some(6 * DAY),
            12 * DAY,
            Some((true, Satisfaction::Basic)),
            false,
            false,
        ),
        (
            &o.station_b,
            9 * DAY,
            Some(9 * DAY + HOUR),
            Some(9 * DAY + 2 * HOUR),
            16 * DAY,
            None,
            false,
            false,
        ),
        (
            &o.other_station,
            10 * DAY + 23 * HOUR,
            Some(11 * DAY),
            Some(11 * DAY),
            18 * DAY,
            Some((true, Satisfaction::Satisfied)),
            false,
            false,
        ),
    ];
    let mut ids = Vec::new();
    for (unit, recv, accepted, replied, due, rating, reopened, rejected) in &cases {
        n += 1;
        let mut a = new_appeal(unit, n);
        a.received_at = day0 + recv;
        a.accept_by = day0 + recv + 2 * HOUR;
        a.due_at = day0 + due;
        let a = insert(&stores, a).await;
        ids.push(a.id);
        let mut cur = a.clone();
        if *rejected {
            stores
                .appeals
                .apply_change(change(
                    &cur,
                    Actor::Staff(o.handler_a.id),
                    cur.received_at + 1,
                    AppealPatch {
                        status: Some(Status::Rejected),
                        ..Default::default()
                    },
                    "rejected",
                ))
                .await
                .unwrap();
            continue;
        }
        if let Some(at) = accepted {
            cur = stores
                .appeals
                .apply_change(accept(&cur, &o.handler_a, day0 + at))
                .await
                .unwrap();
        }
        if let Some(at) = replied {
            cur = stores
                .appeals
                .apply_change(change(
                    &cur,
                    Actor::Staff(o.handler_a.id),
                    day0 + at,
                    AppealPatch {
                        status: Some(Status::Replied),
                        replied_at: Some(day0 + at),
                        reply_text: Some("答复".into()),
                        ..Default::default()
                    },
                    "replied",
                ))
                .await
                .unwrap();
        }
        if let Some((resolved, sat)) = rating {
            cur = stores
                .appeals
                .apply_change(change(
                    &cur,
                    Actor::Resident,
                    cur.updated_at + 1,
                    AppealPatch {
                        status: Some(Status::Closed),
                        rating: Some((*resolved, *sat, cur.updated_at + 1)),
                        ..Default::default()
                    },
                    "rated",
                ))
                .await
                .unwrap();
        }
        if *reopened {
            stores
                .appeals
                .apply_change(change(
                    &cur,
                    Actor::Staff(o.supervisor.id),
                    cur.updated_at + 1,
                    AppealPatch {
                        status: Some(Status::Reopened),
                        increment_reopen: true,
                        ..Default::default()
                    },
                    "reopened",
                ))
                .await
                .unwrap();
        }
        let c = expect.entry(unit.id).or_default();
        let received = day0 + recv;
        c.total += 1;
        if accepted.is_some_and(|at| day0 + at <= received + 2 * HOUR) {
            c.responded_on_time += 1;
        }
        if let Some(r) = replied {
            c.replied += 1;
            c.replied_on_time += i64::from(r <= due);
        }
        // Overdue: open past due at `now`, or replied late — each appeal once.
        let open = replied.is_none() || *reopened;
        let late = replied.is_some_and(|r| r > *due);
        c.overdue += i64::from((open && day0 + due < now) || late);
        if let Some((resolved, sat)) = rating {
            c.rated += 1;
            c.resolved += i64::from(*resolved);
            c.satisfied += i64::from(*sat == Satisfaction::Satisfied);
            c.basic += i64::from(*sat == Satisfaction::Basic);
        }
        c.reopened += i64::from(*reopened);
    }
    stores.rates.refresh_stats(now).await.unwrap();
    let sorted = |m: &HashMap<Id, RateCounts>| {
        let mut v: Vec<UnitCounts> = m
            .iter()
            .map(|(&unit_id, &counts)| UnitCounts { unit_id, counts })
            .collect();
        v.sort_by_key(|u| u.unit_id);
        v
    };
    let whole = stores
        .rates
        .rate_counts(day0, day0 + 30 * DAY, now)
        .await
        .unwrap();
    assert_eq!(whole, sorted(&expect));

    // Periods that cut through days: edges are computed live, whole days pre-aggregated.
    for (from, to) in [
        (day0 + 2 * HOUR, day0 + 10 * DAY + 23 * HOUR),
        (day0 + DAY, day0 + 5 * DAY + 13 * HOUR + 1),
        (day0 + 30 * 60_000, day0 + 20 * HOUR),
        (day0 - 5 * DAY, day0 + 2 * DAY),
    ] {
        let mut part: HashMap<Id, RateCounts> = HashMap::new();
        let got = stores.rates.rate_counts(from, to, now).await.unwrap();
        // Recompute by restricting to received in [from, to): use single-appeal counts.
        for (i, (unit, recv, ..)) in cases.iter().enumerate() {
            let at = day0 + recv;
            if at < from || at >= to || cases[i].7 {
                continue;
            }
            let single = stores.rates.rate_counts(at, at + 1, now).await.unwrap();
            assert_eq!(single.len(), 1, "case {i}");
            let slot = part.entry(unit.id).or_default();
            *slot = *slot + single[0].counts;
        }
        assert_eq!(got, sorted(&part), "period {from}..{to}");
    }

    // Changes after a refresh show up after the next refresh; time alone makes the
    // open case due at 40 days overdue.
    let later = day0 + 41 * DAY;
    stores.rates.refresh_stats(later).await.unwrap();
    let a_counts = stores
        .rates
        .rate_counts(day0, day0 + 30 * DAY, later)
        .await
        .unwrap();
    let a = a_counts
        .iter()
        .find(|u| u.unit_id == o.station_a.id)
        .unwrap();
    assert_eq!(a.counts.overdue, expect[&o.station_a.id].overdue + 1);
    let open = stores.appeals.appeal(ids[3]).await.unwrap().unwrap();
    stores
        .appeals
        .apply_change(change(
            &open,
            Actor::Staff(o.handler_a.id),
            later,
            AppealPatch {
                status: Some(Status::Rejected),
                ..Default::default()
            },
            "rejected",
        ))
        .await
        .unwrap();
    stores.rates.refresh_stats(later + 1).await.unwrap();
    let a_counts = stores
        .rates
        .rate_counts(day0, day0 + 30 * DAY, later)
        .await
        .unwrap();
    let a = a_counts
        .iter()
        .find(|u| u.unit_id == o.station_a.id)
        .unwrap();
    assert_eq!(a.counts.total, expect[&o.station_a.id].total - 1);
    assert_eq!(a.counts.overdue, expect[&o.station_a.id].overdue);
    assert!(stores
        .rates
        .rate_counts(day0, day0, now)
        .await
        .unwrap()
        .is_empty());
}
