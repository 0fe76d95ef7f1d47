//! Appeals themselves: idempotent and concurrent inserts, versioned changes, transfers,
//! hostile text, masking, forged ids and the bulk (import) path.

use std::collections::{HashMap, HashSet};

use police_square_domain::rates::RateCounts;
use police_square_domain::Satisfaction;

use super::*;

pub(super) async fn idempotent_insert(stores: Stores) {
    let o = org(&stores).await;
    let mut a = new_appeal(&o.station_a, 1);
    a.idempotency_key = Some("key-1".into());
    let first = stores.appeals.insert_appeal(a.clone()).await.unwrap();
    assert!(matches!(first, InsertOutcome::Created(_)));
    let mut again = a.clone();
    again.tracking_code = "OTHERCODE0000001".into();
    let second = stores.appeals.insert_appeal(again).await.unwrap();
    assert_eq!(second, InsertOutcome::Duplicate(first.id()));
    assert_eq!(stores.rates.count_appeals().await.unwrap(), 1);

    let appeal = stores.appeals.appeal(first.id()).await.unwrap().unwrap();
    assert_eq!(appeal.unit_path, o.station_a.path);
    assert_eq!(appeal.status, Status::Received);
    assert_eq!(appeal.text, a.text);
    assert_eq!(appeal.phone_masked, "138****1234");
    assert_eq!(
        stores
            .appeals
            .appeal_by_tracking_code(&a.tracking_code)
            .await
            .unwrap()
            .unwrap()
            .id,
        first.id()
    );
    let contact = stores
        .contacts
        .appeal_contact(first.id())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(contact.phone_enc, a.contact.phone_enc);
    assert_eq!(contact.address_enc, Some(vec![9, 9]));

    let events = stores.appeals.events(first.id()).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "received");
    assert!(events[0].public);

    let audit = all_audit(&stores).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "appeal.received");
    assert_eq!(audit[0].actor, "system");
    assert_eq!(audit[0].subject, format!("appeal:{}", first.id()));
    assert!(
        !audit[0].detail.contains("138"),
        "no personal data in audit"
    );

    // A tracking code is unique too; a missing unit is not found.
    let mut clash = new_appeal(&o.station_a, 2);
    clash.tracking_code = a.tracking_code.clone();
    assert!(matches!(
        stores.appeals.insert_appeal(clash).await,
        Err(StoreError::Conflict(_))
    ));
    let mut nowhere = new_appeal(&o.station_a, 3);
    nowhere.unit_id = 424242;
    assert!(matches!(
        stores.appeals.insert_appeal(nowhere).await,
        Err(StoreError::NotFound)
    ));

    // Recorded by an operator: the audit names them.
    let op = staff(&stores, "op", Role::Operator, &o.city).await;
    let mut by_op = new_appeal(&o.station_a, 4);
    by_op.recorded_by = Some(op.id);
    let id = stores.appeals.insert_appeal(by_op).await.unwrap().id();
    let audit = all_audit(&stores).await;
    assert_eq!(audit.last().unwrap().actor, format!("staff:{}", op.id));
    assert_eq!(
        stores.appeals.events(id).await.unwrap()[0].actor_staff_id,
        Some(op.id)
    );
}

pub(super) async fn concurrent_inserts_are_all_acknowledged_and_present(stores: Stores) {
    let o = org(&stores).await;
    let mut tasks = Vec::new();
    for n in 0..200u64 {
        let stores = stores.clone();
        let mut a = new_appeal(&o.station_a, n);
        // Every fourth request repeats an earlier key: exactly one appeal per key.
        a.idempotency_key = Some(format!("k{}", if n % 4 == 3 { n - 1 } else { n }));
        tasks.push(tokio::spawn(async move {
            stores.appeals.insert_appeal(a).await
        }));
    }
    let mut by_key: HashMap<u64, HashSet<Id>> = HashMap::new();
    let mut created = 0;
    for (n, t) in tasks.into_iter().enumerate() {
        let outcome = t.await.unwrap().unwrap();
        if matches!(outcome, InsertOutcome::Created(_)) {
            created += 1;
        }
        let key = if n % 4 == 3 { n - 1 } else { n } as u64;
        by_key.entry(key).or_default().insert(outcome.id());
    }
    assert_eq!(created, 150);
    assert!(by_key.values().all(|ids| ids.len() == 1));
    assert_eq!(stores.rates.count_appeals().await.unwrap(), 150);
    for ids in by_key.values() {
        let id = *ids.iter().next().unwrap();
        assert!(stores.appeals.appeal(id).await.unwrap().is_some());
        assert_eq!(stores.appeals.events(id).await.unwrap().len(), 1);
    }
    let audit = all_audit(&stores).await;
    assert_eq!(audit.len(), 150);
    verify_chain(&audit);
}

pub(super) async fn stale_version_is_a_conflict(stores: Stores) {
    let o = org(&stores).await;
    let a = insert(&stores, new_appeal(&o.station_a, 1)).await;
    let accepted = stores
        .appeals
        .apply_change(accept(&a, &o.handler_a, T0 + 60_000))
        .await
        .unwrap();
    assert_eq!(accepted.version, a.version + 1);
    assert_eq!(accepted.status, Status::Accepted);
    assert_eq!(accepted.assignee_id, Some(o.handler_a.id));
    assert_eq!(accepted.accepted_at, Some(T0 + 60_000));
    assert_eq!(accepted.updated_at, T0 + 60_000);

    // Same read version again: someone else changed it first.
    let again = stores
        .appeals
        .apply_change(accept(&a, &o.handler_a, T0 + 70_000))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let now = stores.appeals.appeal(a.id).await.unwrap().unwrap();
    assert_eq!(now, accepted, "a failed change leaves no trace");
    assert_eq!(stores.appeals.events(a.id).await.unwrap().len(), 2);

    // Many patch fields at once, including clearing the assignee.
    let replied = stores
        .appeals
        .apply_change(change(
            &accepted,
            Actor::Staff(o.handler_a.id),
            T0 + DAY,
            AppealPatch {
                status: Some(Status::Replied),
                replied_at: Some(T0 + DAY),
                reply_text: Some("已处理，感谢反映".into()),
                assignee_id: Some(None),
                supervision_level: Some(1),
                category: Some(("dispute".into(), 1.0)),
                urgency: Some(Urgency::Complex),
                cluster_id: Some(77),
                due_at: Some(T0 + 9 * DAY),
                ..Default::default()
            },
            "replied",
        ))
        .await
        .unwrap();
    assert_eq!(replied.reply_text.as_deref(), Some("已处理，感谢反映"));
    assert_eq!(replied.assignee_id, None);
    assert_eq!(
        replied.accepted_at,
        Some(T0 + 60_000),
        "unpatched fields stay"
    );
    assert_eq!(replied.category.as_deref(), Some("dispute"));
    assert_eq!(replied.category_confidence, Some(1.0));
    assert_eq!(replied.urgency, Urgency::Complex);
    assert_eq!(replied.cluster_id, Some(77));
    assert_eq!(replied.due_at, T0 + 9 * DAY);
    assert_eq!(replied.supervision_level, 1);

    let rated = stores
        .appeals
        .apply_change(change(
            &replied,
            Actor::Resident,
            T0 + 2 * DAY,
            AppealPatch {
                status: Some(Status::Closed),
                rating: Some((false, Satisfaction::Unsatisfied, T0 + 2 * DAY)),
                closed_at: Some(T0 + 2 * DAY),
                ..Default::default()
            },
            "rated",
        ))
        .await
        .unwrap();
    assert_eq!(rated.rating_resolved, Some(false));
    assert_eq!(rated.rating_satisfaction, Some(Satisfaction::Unsatisfied));
    let reopened = stores
        .appeals
        .apply_change(change(
            &rated,
            Actor::Staff(o.supervisor.id),
            T0 + 3 * DAY,
            AppealPatch {
                status: Some(Status::Reopened),
                increment_reopen: true,
                ..Default::default()
            },
            "reopened",
        ))
        .await
        .unwrap();
    assert_eq!(reopened.reopen_count, 1);
    assert_eq!(reopened.version, a.version + 4);

    // A notification is enqueued with the change.
    let mut with_notice = change(
        &reopened,
        Actor::System,
        T0 + 4 * DAY,
        AppealPatch::default(),
        "reminded",
    );
    with_notice.notify = Some(NewOutboxMessage {
        channel: "sms".into(),
        recipient_enc: vec![1],
        template: "reminder".into(),
        body: "请尽快办理".into(),
    });
    stores.appeals.apply_change(with_notice).await.unwrap();
    let claimed = stores
        .queue
        .claim_outbox("n1", T0 + 4 * DAY, 60_000, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].template, "reminder");

    let actions: Vec<String> = all_audit(&stores)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "appeal.received",
            "appeal.accepted",
            "appeal.replied",
            "appeal.rated",
            "appeal.reopened",
            "appeal.reminded"
        ]
    );
}

pub(super) async fn transfer_moves_unit_path_and_scope(stores: Stores) {
    let o = org(&stores).await;
    let a = insert(&stores, new_appeal(&o.station_a, 1)).await;
    assert_eq!(
        stores
            .appeals
            .inbox(&inbox_query(&o.station_a))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let moved = stores
        .appeals
        .apply_change(AppealChange {
            event: NewEvent {
                kind: "transferred".into(),
                public: true,
                note: Some("辖区调整".into()),
                from_unit_id: Some(o.station_a.id),
                to_unit_id: Some(o.other_station.id),
            },
            ..change(
                &a,
                Actor::Staff(o.supervisor.id),
                T0 + HOUR,
                AppealPatch {
                    status: Some(Status::Transferred),
                    unit_id: Some(o.other_station.id),
                    assignee_id: Some(None),
                    ..Default::default()
                },
                "transferred",
            )
        })
        .await
        .unwrap();
    assert_eq!(moved.unit_id, o.other_station.id);
    assert_eq!(moved.unit_path, o.other_station.path);
    assert!(stores
        .appeals
        .inbox(&inbox_query(&o.station_a))
        .await
        .unwrap()
        .items
        .is_empty());
    assert!(stores
        .appeals
        .inbox(&inbox_query(&o.district))
        .await
        .unwrap()
        .items
        .is_empty());
    assert_eq!(
        stores
            .appeals
            .inbox(&inbox_query(&o.other_district))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(
        stores
            .appeals
            .inbox(&inbox_query(&o.city))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let events = stores.appeals.events(a.id).await.unwrap();
    assert_eq!(events[1].from_unit_id, Some(o.station_a.id));
    assert_eq!(events[1].to_unit_id, Some(o.other_station.id));
    assert_eq!(events[1].note.as_deref(), Some("辖区调整"));

    // A transfer to a unit that does not exist changes nothing.
    let bad = stores
        .appeals
        .apply_change(change(
            &moved,
            Actor::System,
            T0 + 2 * HOUR,
            AppealPatch {
                unit_id: Some(9999),
                ..Default::default()
            },
            "transferred",
        ))
        .await;
    assert!(matches!(bad, Err(StoreError::NotFound)), "{bad:?}");
    assert_eq!(stores.appeals.appeal(a.id).await.unwrap().unwrap(), moved);
}

pub(super) async fn hostile_text_is_stored_verbatim(stores: Stores) {
    let o = org(&stores).await;
    let nasty = "Robert'); DROP TABLE appeals;-- \" \\ % _ $1 ? :x <script>alert(1)</script> \u{202e}反转 🚓 \n\t 100% 'quoted' \"dq\" NULL";
    let mut a = new_appeal(&o.station_a, 1);
    a.text = nasty.into();
    a.search_text = nasty.into();
    a.category = Some("'; --".into());
    a.idempotency_key = Some(nasty.into());
    a.contact.phone_masked = "<b>138</b>".into();
    let id = stores.appeals.insert_appeal(a.clone()).await.unwrap().id();
    let got = stores.appeals.appeal(id).await.unwrap().unwrap();
    assert_eq!(got.text, nasty);
    assert_eq!(got.category.as_deref(), Some("'; --"));
    assert_eq!(got.phone_masked, "<b>138</b>");
    assert_eq!(
        stores.appeals.insert_appeal(a).await.unwrap(),
        InsertOutcome::Duplicate(id)
    );
    let q = InboxQuery {
        category: Some("'; --".into()),
        ..inbox_query(&o.city)
    };
    assert_eq!(stores.appeals.inbox(&q).await.unwrap().items.len(), 1);
    let wild = InboxQuery {
        category: Some("%".into()),
        ..inbox_query(&o.city)
    };
    assert!(stores.appeals.inbox(&wild).await.unwrap().items.is_empty());
    stores.settings.put_setting(nasty, nasty).await.unwrap();
    assert_eq!(
        stores.settings.setting(nasty).await.unwrap().as_deref(),
        Some(nasty)
    );
    let t = stores
        .catalog
        .create_reply_template(nasty, nasty)
        .await
        .unwrap();
    assert_eq!(stores.catalog.reply_templates().await.unwrap(), vec![t]);
    let u = unit(&stores, Some(&o.city), nasty, UnitKind::Office).await;
    assert_eq!(u.name, nasty);
    assert_eq!(stores.rates.count_appeals().await.unwrap(), 1);
}

pub(super) async fn summaries_mask_numbers_typed_into_the_text(stores: Stores) {
    let o = org(&stores).await;
    // A phone at the start, an ID number, and a phone cut by the excerpt's end.
    let text = format!(
        "电话13800001234，身份证33050219900101123X，{}找我13900005678",
        "楼下噪音".repeat(9)
    );
    let mut a = new_appeal(&o.station_a, 1);
    a.text = text.clone();
    let stored = insert(&stores, a).await;
    assert_eq!(stored.text, text, "the appeal itself keeps its words");
    let rows = stores
        .appeals
        .inbox(&inbox_query(&o.station_a))
        .await
        .unwrap()
        .items;
    let excerpt = &rows.iter().find(|r| r.id == stored.id).unwrap().excerpt;
    assert!(
        excerpt.starts_with("电话138****1234，身份证330***********123X，"),
        "{excerpt}"
    );
    assert_eq!(excerpt.chars().count(), 80);
    for raw in ["13800001234", "050219900101", "139000"] {
        assert!(!excerpt.contains(raw), "{raw} in {excerpt}");
    }
}

pub(super) async fn forged_ids_find_nothing(stores: Stores) {
    let o = org(&stores).await;
    for id in [0, -1, i64::MAX, i64::MIN, 123_456_789] {
        assert_eq!(stores.appeals.appeal(id).await.unwrap(), None);
        assert_eq!(stores.contacts.appeal_contact(id).await.unwrap(), None);
        assert!(stores.appeals.events(id).await.unwrap().is_empty());
        assert!(stores.appeals.handoffs(id).await.unwrap().is_empty());
        assert!(stores
            .supervision
            .requests_for(id)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(stores.supervision.request(id).await.unwrap(), None);
        assert_eq!(stores.org.staff(id).await.unwrap(), None);
        assert_eq!(stores.access.one_time_code(id).await.unwrap(), None);
        let forged = AppealChange {
            appeal_id: id,
            expected_version: 1,
            actor: Actor::System,
            at: T0,
            patch: AppealPatch::default(),
            event: event("accepted"),
            notify: None,
        };
        assert!(matches!(
            stores.appeals.apply_change(forged).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            stores.org.set_password(id, "x").await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            stores.org.set_disabled(id, true).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            stores.queue.outbox_failed(id, "x", None).await,
            Err(StoreError::NotFound)
        ));
        stores.queue.finish_job(id).await.unwrap();
    }
    for code in ["", "'", "0000000000000000", "%", "TC%"] {
        assert_eq!(
            stores.appeals.appeal_by_tracking_code(code).await.unwrap(),
            None
        );
    }
    assert!(stores
        .org
        .staff_by_username("' OR 1=1 --")
        .await
        .unwrap()
        .is_none());
    assert!(stores
        .contacts
        .appeals_by_phone_hash(b"nobody", 10)
        .await
        .unwrap()
        .is_empty());
    // An inbox page far beyond the end is empty, not an error.
    let mut q = inbox_query(&o.city);
    q.page = u32::MAX;
    q.page_size = u32::MAX;
    let page = stores.appeals.inbox(&q).await.unwrap();
    assert!(page.items.is_empty() && !page.has_next);
}

pub(super) async fn bulk_insert_carries_history(stores: Stores) {
    let o = org(&stores).await;
    let mut batch = Vec::new();
    for n in 0..450u64 {
        let unit = [&o.station_a, &o.station_b, &o.other_station][n as usize % 3];
        let mut a = new_appeal(unit, n);
        if n % 2 == 0 {
            a.status = Status::Closed;
            a.history = Some(BulkHistory {
                accepted_at: Some(a.received_at + HOUR),
                replied_at: Some(a.received_at + DAY),
                closed_at: Some(a.received_at + 2 * DAY),
                reply_text: Some("已妥善处理".into()),
                rating: Some((true, Satisfaction::Satisfied, a.received_at + 2 * DAY)),
                reopen_count: 0,
                supervision_level: 1,
                assignee_id: Some(o.handler_a.id),
            });
        }
        batch.push(a);
    }
    stores
        .appeals
        .insert_appeals_bulk(batch.clone())
        .await
        .unwrap();
    stores
        .appeals
        .insert_appeals_bulk(Vec::new())
        .await
        .unwrap();
    assert_eq!(stores.rates.count_appeals().await.unwrap(), 450);
    let closed = stores
        .appeals
        .appeal_by_tracking_code(&batch[10].tracking_code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(closed.status, Status::Closed);
    assert_eq!(closed.unit_path, o.station_b.path);
    assert_eq!(closed.reply_text.as_deref(), Some("已妥善处理"));
    assert_eq!(closed.rating_satisfaction, Some(Satisfaction::Satisfied));
    assert_eq!(closed.assignee_id, Some(o.handler_a.id));
    assert_eq!(closed.supervision_level, 1);
    assert_eq!(closed.updated_at, batch[10].received_at + 2 * DAY);
    let kinds: Vec<String> = stores
        .appeals
        .events(closed.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        ["received", "accepted", "replied", "rated", "closed"]
    );
    let open = stores
        .appeals
        .appeal_by_tracking_code(&batch[11].tracking_code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(open.status, Status::Received);
    assert_eq!(stores.appeals.events(open.id).await.unwrap().len(), 1);

    stores.rates.refresh_stats(T0 + DAY).await.unwrap();
    let counts = stores
        .rates
        .rate_counts(T0 - DAY, T0 + DAY, T0 + DAY)
        .await
        .unwrap();
    let total: RateCounts = counts
        .iter()
        .fold(RateCounts::default(), |a, u| a + u.counts);
    assert_eq!(total.total, 450);
    assert_eq!(total.rated, 225);
    assert_eq!(total.satisfied, 225);
    assert_eq!(total.responded_on_time, 225);

    // A duplicate tracking code fails the whole call, leaving nothing behind.
    let dup = vec![
        new_appeal(&o.station_a, 1000),
        new_appeal(&o.station_a, 1000),
    ];
    assert!(stores.appeals.insert_appeals_bulk(dup).await.is_err());
    assert_eq!(stores.rates.count_appeals().await.unwrap(), 450);
    verify_chain(&all_audit(&stores).await);
}
