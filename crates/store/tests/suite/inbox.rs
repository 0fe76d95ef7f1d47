//! The inbox: filters, paging and order (by hand and against brute force), and the
//! deadline candidates the reminder jobs read.

use super::*;

pub(super) async fn inbox_filters_paging_and_order(stores: Stores) {
    let o = org(&stores).await;
    let mut ids = Vec::new();
    for n in 0..25u64 {
        let unit = if n % 5 == 0 {
            &o.station_b
        } else {
            &o.station_a
        };
        let mut a = new_appeal(unit, n);
        if n == 3 || n == 17 {
            a.emergency = true;
            a.urgency = Urgency::Emergency;
        }
        if n == 4 {
            a.category = Some("conduct".into());
            a.subject_unit_id = Some(o.station_a.id);
        }
        if n == 6 {
            a.category = None;
        }
        if n % 2 == 1 {
            a.kind = AppealKind::Complaint;
            a.channel = Channel::Hotline;
        }
        if n == 8 {
            a.due_at = T0 - DAY; // overdue at T0
        }
        ids.push(stores.appeals.insert_appeal(a).await.unwrap().id());
    }
    // Station B's appeals don't leak into A's scope; `/1/2/` must not match `/1/20/`.
    let page = stores
        .appeals
        .inbox(&inbox_query(&o.station_b))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 5);
    assert!(page.items.iter().all(|s| s.unit_id == o.station_b.id));

    // District: 24 visible (the conduct complaint hidden), emergencies first, then newest.
    let mut q = inbox_query(&o.district);
    q.page_size = 10;
    let mut seen = Vec::new();
    loop {
        let page = stores.appeals.inbox(&q).await.unwrap();
        assert_eq!(page.page, q.page);
        seen.extend(page.items.iter().map(|s| s.id));
        if !page.has_next {
            break;
        }
        q.page += 1;
    }
    assert_eq!(q.page, 2);
    let mut expect: Vec<Id> = vec![ids[17], ids[3]];
    expect.extend(
        ids.iter()
            .rev()
            .filter(|&&id| id != ids[17] && id != ids[3] && id != ids[4]),
    );
    assert_eq!(seen, expect);

    q.page = 0;
    q.page_size = 100;
    q.include_conduct = true;
    let all = stores.appeals.inbox(&q).await.unwrap();
    assert_eq!(all.items.len(), 25);
    assert!(!all.has_next);
    assert!(all
        .items
        .iter()
        .any(|s| s.category.as_deref() == Some("conduct")));

    let count = |q: InboxQuery| {
        let stores = stores.clone();
        async move { stores.appeals.inbox(&q).await.unwrap().items.len() }
    };
    let base = || InboxQuery {
        page_size: 100,
        ..inbox_query(&o.city)
    };
    assert_eq!(
        count(InboxQuery {
            kind: Some(AppealKind::Complaint),
            ..base()
        })
        .await,
        12
    );
    assert_eq!(
        count(InboxQuery {
            channel: Some(Channel::Hotline),
            ..base()
        })
        .await,
        12
    );
    assert_eq!(
        count(InboxQuery {
            category: Some("traffic".into()),
            ..base()
        })
        .await,
        23
    );
    assert_eq!(
        count(InboxQuery {
            overdue_only: true,
            ..base()
        })
        .await,
        1
    );
    assert_eq!(
        count(InboxQuery {
            supervised_only: true,
            ..base()
        })
        .await,
        0
    );
    assert_eq!(
        count(InboxQuery {
            statuses: vec![Status::Received],
            ..base()
        })
        .await,
        24
    );
    assert_eq!(
        count(InboxQuery {
            statuses: vec![Status::Accepted, Status::Closed],
            ..base()
        })
        .await,
        0
    );
    assert_eq!(
        count(InboxQuery {
            assignee_id: Some(o.handler_a.id),
            ..base()
        })
        .await,
        0
    );
    assert_eq!(
        count(InboxQuery {
            scope: None,
            include_conduct: true,
            ..base()
        })
        .await,
        25
    );

    // Acting on one appeal moves it between status filters.
    let a = stores.appeals.appeal(ids[10]).await.unwrap().unwrap();
    let a = stores
        .appeals
        .apply_change(accept(&a, &o.handler_a, T0))
        .await
        .unwrap();
    stores
        .appeals
        .apply_change(change(
            &a,
            Actor::System,
            T0,
            AppealPatch {
                supervision_level: Some(1),
                ..Default::default()
            },
            "reminded",
        ))
        .await
        .unwrap();
    assert_eq!(
        count(InboxQuery {
            statuses: vec![Status::Accepted],
            ..base()
        })
        .await,
        1
    );
    assert_eq!(
        count(InboxQuery {
            assignee_id: Some(o.handler_a.id),
            ..base()
        })
        .await,
        1
    );
    assert_eq!(
        count(InboxQuery {
            supervised_only: true,
            ..base()
        })
        .await,
        1
    );
    let combined = InboxQuery {
        statuses: vec![Status::Received],
        kind: Some(AppealKind::Help),
        channel: Some(Channel::Web),
        ..inbox_query(&o.station_a)
    };
    let rows = stores.appeals.inbox(&combined).await.unwrap().items;
    assert!(rows
        .iter()
        .all(|s| s.kind == AppealKind::Help && s.unit_id == o.station_a.id));
    // Station A's even numbers but the conduct complaint (n = 4).
    assert_eq!(rows.len(), 9);
    assert!(rows[0].excerpt.starts_with("第"));
}

pub(super) async fn deadline_candidates_are_open_and_due(stores: Stores) {
    let o = org(&stores).await;
    let mut ids = Vec::new();
    for n in 0..6u64 {
        let mut a = new_appeal(&o.station_a, n);
        a.due_at = T0 + (6 - n as Millis) * HOUR;
        ids.push(insert(&stores, a).await);
    }
    // 0: replied (not open); 1: supervised at level 2; others open.
    let replied = stores
        .appeals
        .apply_change(accept(&ids[0], &o.handler_a, T0))
        .await
        .unwrap();
    stores
        .appeals
        .apply_change(change(
            &replied,
            Actor::Staff(o.handler_a.id),
            T0,
            AppealPatch {
                status: Some(Status::Replied),
                replied_at: Some(T0),
                ..Default::default()
            },
            "replied",
        ))
        .await
        .unwrap();
    stores
        .appeals
        .apply_change(change(
            &ids[1],
            Actor::System,
            T0,
            AppealPatch {
                supervision_level: Some(2),
                ..Default::default()
            },
            "escalated",
        ))
        .await
        .unwrap();
    let found = stores
        .supervision
        .deadline_candidates(T0 + 4 * HOUR + 1, 2, 10)
        .await
        .unwrap();
    // due: n=5 → +1h, n=4 → +2h, n=3 → +3h, n=2 → +4h; earliest first
    assert_eq!(
        found.iter().map(|c| c.appeal_id).collect::<Vec<_>>(),
        vec![ids[5].id, ids[4].id, ids[3].id, ids[2].id]
    );
    assert_eq!(found[0].version, ids[5].version);
    assert_eq!(found[0].unit_id, o.station_a.id);
    assert_eq!(
        stores
            .supervision
            .deadline_candidates(T0 + 10 * HOUR, 2, 2)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        stores
            .supervision
            .deadline_candidates(T0 + 10 * HOUR, 3, 10)
            .await
            .unwrap()
            .len(),
        5
    );
}

pub(super) async fn inbox_pages_match_brute_force(stores: Stores) {
    // Enough rows and filter mixes that pages come both from probing the newest rows
    // and from the filter-first fallback; every page must equal a brute-force answer.
    let o = org(&stores).await;
    let units = [&o.station_a, &o.station_b, &o.other_station, &o.district];
    let statuses = [
        Status::Received,
        Status::Accepted,
        Status::Closed,
        Status::Reopened,
        Status::Replied,
    ];
    let categories = ["traffic", "theft", "conduct", "fraud"];
    let mut batch = Vec::new();
    for n in 0..400u64 {
        let mut a = new_appeal(units[(n * 7 % 4) as usize], n);
        a.received_at = T0 + ((n * 7919) % 400) as Millis * HOUR; // not in id order
        a.emergency = n % 23 == 0;
        a.kind = AppealKind::ALL[(n % 6) as usize];
        a.channel = Channel::ALL[(n % 5) as usize];
        a.category = (n % 11 != 0).then(|| categories[(n / 3 % 4) as usize].to_owned());
        a.status = statuses[(n * 3 % 5) as usize];
        a.due_at = a.received_at + if n % 3 == 0 { DAY } else { 40 * DAY };
        a.history = Some(BulkHistory {
            supervision_level: (n % 9 == 0) as i32,
            assignee_id: (n % 4 == 1).then_some(o.handler_a.id),
            ..Default::default()
        });
        batch.push(a);
    }
    stores
        .appeals
        .insert_appeals_bulk(batch.clone())
        .await
        .unwrap();
    let mut all = Vec::new();
    for a in &batch {
        all.push(
            stores
                .appeals
                .appeal_by_tracking_code(&a.tracking_code)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    let now = T0 + 200 * HOUR;
    let base = |scope: Option<&Unit>| InboxQuery {
        scope: scope.map(|u| u.path.clone()),
        now,
        page_size: 7,
        ..Default::default()
    };
    let open = vec![
        Status::Received,
        Status::Accepted,
        Status::InProgress,
        Status::Transferred,
        Status::Reopened,
    ];
    let queries = vec![
        base(Some(&o.city)),
        InboxQuery {
            include_conduct: true,
            ..base(None)
        },
        InboxQuery {
            statuses: open.clone(),
            ..base(Some(&o.district))
        },
        InboxQuery {
            statuses: vec![Status::Reopened],
            ..base(Some(&o.station_a))
        },
        InboxQuery {
            statuses: vec![Status::Closed, Status::Replied],
            ..base(Some(&o.city))
        },
        InboxQuery {
            kind: Some(AppealKind::Praise),
            channel: Some(Channel::Hotline),
            ..base(Some(&o.city))
        },
        InboxQuery {
            category: Some("conduct".into()),
            include_conduct: true,
            ..base(Some(&o.city))
        },
        InboxQuery {
            category: Some("theft".into()),
            ..base(Some(&o.station_b))
        },
        InboxQuery {
            overdue_only: true,
            ..base(Some(&o.city))
        },
        InboxQuery {
            supervised_only: true,
            include_conduct: true,
            ..base(Some(&o.district))
        },
        InboxQuery {
            assignee_id: Some(o.handler_a.id),
            ..base(Some(&o.city))
        },
        InboxQuery {
            statuses: open.clone(),
            overdue_only: true,
            kind: Some(AppealKind::Complaint),
            ..base(Some(&o.city))
        },
    ];
    for q in queries {
        let mut expect: Vec<&Appeal> = all
            .iter()
            .filter(|a| q.scope.as_ref().is_none_or(|s| s.contains(&a.unit_path)))
            .filter(|a| q.include_conduct || a.category.as_deref() != Some("conduct"))
            .filter(|a| q.statuses.is_empty() || q.statuses.contains(&a.status))
            .filter(|a| q.kind.is_none_or(|k| k == a.kind))
            .filter(|a| q.channel.is_none_or(|c| c == a.channel))
            .filter(|a| q.category.is_none() || q.category == a.category)
            .filter(|a| !q.overdue_only || (a.status.is_open() && a.due_at < now))
            .filter(|a| !q.supervised_only || a.supervision_level > 0)
            .filter(|a| q.assignee_id.is_none() || q.assignee_id == a.assignee_id)
            .collect();
        expect.sort_by_key(|a| std::cmp::Reverse((a.emergency, a.received_at, a.id)));
        let expect: Vec<Id> = expect.iter().map(|a| a.id).collect();
        let mut got = Vec::new();
        let mut page = InboxQuery {
            page: 0,
            ..q.clone()
        };
        loop {
            let p = stores.appeals.inbox(&page).await.unwrap();
            assert!(p.items.len() <= 7);
            got.extend(p.items.iter().map(|s| s.id));
            if !p.has_next {
                break;
            }
            page.page += 1;
        }
        assert!(!expect.is_empty(), "{q:?} matches something");
        assert_eq!(got, expect, "{q:?}");
    }
}
