//! One storage test suite, run against both backends: every `async fn` listed in
//! `suite!` below becomes `sqlite::<name>` and `postgres::<name>`, each on a fresh,
//! migrated database. PostgreSQL tests need a server (see `testing::fresh_postgres`):
//! a missing server fails them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use police_square_domain::audit::{link_hash, AuditRecord, GENESIS};
use police_square_domain::org::UnitPath;
use police_square_domain::rates::RateCounts;
use police_square_domain::{
    AppealKind, Channel, Millis, Role, Satisfaction, Status, UnitKind, Urgency,
};
use police_square_store::*;

#[macro_use]
mod support;
use support::unit;

suite!(
    units_staff_and_sessions,
    idempotent_insert,
    concurrent_inserts_are_all_acknowledged_and_present,
    stale_version_is_a_conflict,
    transfer_moves_unit_path_and_scope,
    inbox_filters_paging_and_order,
    audit_chain_links_across_concurrent_writers,
    job_claims_are_exclusive,
    jobs_unique_keys_and_expired_leases,
    outbox_claim_fail_retry,
    rate_counts_match_hand_computation,
    rate_limits_count_per_window,
    one_time_codes_round_trip,
    requests_are_decided_once,
    handoff_and_acknowledgement,
    hostile_text_is_stored_verbatim,
    summaries_mask_numbers_typed_into_the_text,
    forged_ids_find_nothing,
    deadline_candidates_are_open_and_due,
    bulk_insert_carries_history,
    phone_lookup_settings_templates,
    inbox_pages_match_brute_force,
    corrections_are_kept_and_models_stored,
    clusters_link_appeals_and_move_the_cursor,
    alerts_merge_overlapping_bursts_and_respect_scope,
    opinion_view_counts_by_dimension,
);

// ── fixtures ────────────────────────────────────────────────────────────

const T0: Millis = 1_750_000_000_000; // 2025-06-15
const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;

struct Org {
    city: Unit,
    district: Unit,
    station_a: Unit,
    station_b: Unit,
    other_district: Unit,
    other_station: Unit,
    handler_a: Staff,
    supervisor: Staff,
}

async fn staff(store: &Arc<dyn Store>, username: &str, role: Role, unit: &Unit) -> Staff {
    store
        .create_staff(NewStaff {
            username: username.into(),
            display_name: format!("{username} 民警"),
            role,
            unit_id: unit.id,
            password_hash: "$argon2id$fake".into(),
        })
        .await
        .unwrap()
}

async fn org(store: &Arc<dyn Store>) -> Org {
    let city = unit(store, None, "湖州市公安局", UnitKind::City).await;
    let district = unit(store, Some(&city), "吴兴区分局", UnitKind::District).await;
    let station_a = unit(store, Some(&district), "爱山派出所", UnitKind::Station).await;
    let station_b = unit(store, Some(&district), "月河派出所", UnitKind::Station).await;
    let other_district = unit(store, Some(&city), "南浔区分局", UnitKind::District).await;
    let other_station = unit(
        store,
        Some(&other_district),
        "南浔派出所",
        UnitKind::Station,
    )
    .await;
    let handler_a = staff(store, "handler_a", Role::Handler, &station_a).await;
    let supervisor = staff(store, "supervisor", Role::Supervisor, &district).await;
    Org {
        city,
        district,
        station_a,
        station_b,
        other_district,
        other_station,
        handler_a,
        supervisor,
    }
}

fn new_appeal(unit: &Unit, n: u64) -> NewAppeal {
    NewAppeal {
        tracking_code: format!("TC{n:014}"),
        idempotency_key: None,
        kind: AppealKind::Help,
        channel: Channel::Web,
        text: format!("第{n}号诉求：小区门口有人乱停车"),
        search_text: "小区 门口 乱停车".into(),
        category: Some("traffic".into()),
        category_confidence: Some(0.9),
        category_needs_review: false,
        urgency: Urgency::Normal,
        emergency: false,
        sentiment: Some("negative".into()),
        unit_id: unit.id,
        subject_unit_id: None,
        status: Status::Received,
        received_at: T0 + n as Millis * 1000,
        accept_by: T0 + n as Millis * 1000 + 2 * HOUR,
        due_at: T0 + n as Millis * 1000 + 7 * DAY,
        contact: SealedContact {
            phone_enc: vec![1, 2, 3, n as u8],
            phone_hash: format!("hash-{}", n % 3).into_bytes(),
            phone_masked: "138****1234".into(),
            name_enc: None,
            address_enc: Some(vec![9, 9]),
            address_masked: Some("吴兴区爱山街****".into()),
        },
        recorded_by: None,
        history: None,
    }
}

async fn insert(store: &Arc<dyn Store>, a: NewAppeal) -> Appeal {
    let id = store.insert_appeal(a).await.unwrap().id();
    store.appeal(id).await.unwrap().unwrap()
}

fn event(kind: &str) -> NewEvent {
    NewEvent {
        kind: kind.into(),
        public: true,
        note: None,
        from_unit_id: None,
        to_unit_id: None,
    }
}

fn change(a: &Appeal, actor: Actor, at: Millis, patch: AppealPatch, kind: &str) -> AppealChange {
    AppealChange {
        appeal_id: a.id,
        expected_version: a.version,
        actor,
        at,
        patch,
        event: event(kind),
        notify: None,
    }
}

fn accept(a: &Appeal, by: &Staff, at: Millis) -> AppealChange {
    change(
        a,
        Actor::Staff(by.id),
        at,
        AppealPatch {
            status: Some(Status::Accepted),
            accepted_at: Some(at),
            assignee_id: Some(Some(by.id)),
            ..Default::default()
        },
        "accepted",
    )
}

fn verify_chain(entries: &[AuditEntry]) {
    let mut prev = GENESIS.to_owned();
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e.seq, i as i64 + 1, "audit seq is dense");
        assert_eq!(
            e.prev_hash, prev,
            "entry {} links to its predecessor",
            e.seq
        );
        let expect = link_hash(
            &prev,
            &AuditRecord {
                seq: e.seq,
                at: e.at,
                actor: &e.actor,
                action: &e.action,
                subject: &e.subject,
                detail: &e.detail,
            },
        );
        assert_eq!(e.hash, expect, "entry {} hash", e.seq);
        prev = e.hash.clone();
    }
}

async fn all_audit(store: &Arc<dyn Store>) -> Vec<AuditEntry> {
    let mut out = Vec::new();
    loop {
        let after = out.last().map_or(0, |e: &AuditEntry| e.seq);
        let page = store.audit_entries(after, 500).await.unwrap();
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

fn inbox_query(scope: &Unit) -> InboxQuery {
    InboxQuery {
        scope: Some(scope.path.clone()),
        now: T0,
        page_size: 20,
        ..Default::default()
    }
}

// ── tests ───────────────────────────────────────────────────────────────

async fn units_staff_and_sessions(store: Arc<dyn Store>) {
    store.ping().await.unwrap();
    store.migrate().await.unwrap(); // idempotent
    let o = org(&store).await;
    assert_eq!(o.city.path, UnitPath::root(o.city.id));
    assert_eq!(o.station_a.path, o.district.path.child(o.station_a.id));
    let units = store.units().await.unwrap();
    assert_eq!(units.len(), 6);
    assert!(units.contains(&o.station_b));

    assert_eq!(o.handler_a.unit_path, o.station_a.path);
    assert_eq!(
        store.staff(o.handler_a.id).await.unwrap().unwrap(),
        o.handler_a
    );
    let by_name = store
        .staff_by_username("supervisor")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_name.role, Role::Supervisor);
    let dup = store
        .create_staff(NewStaff {
            username: "supervisor".into(),
            display_name: "x".into(),
            role: Role::Handler,
            unit_id: o.city.id,
            password_hash: "x".into(),
        })
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");

    let in_district = store.staff_in(&o.district.path, None).await.unwrap();
    assert_eq!(in_district.len(), 2);
    let handlers = store
        .staff_in(&o.city.path, Some(Role::Handler))
        .await
        .unwrap();
    assert_eq!(
        handlers.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![o.handler_a.id]
    );
    assert!(store
        .staff_in(&o.other_district.path, None)
        .await
        .unwrap()
        .is_empty());

    store
        .set_password(o.handler_a.id, "new-hash")
        .await
        .unwrap();
    let session = Session {
        token_hash: "tok".into(),
        staff_id: Some(o.handler_a.id),
        appeal_id: None,
        csrf_token: "csrf".into(),
        created_at: T0,
        expires_at: T0 + HOUR,
    };
    store.create_session(session.clone()).await.unwrap();
    assert_eq!(store.session("tok", T0 + 1).await.unwrap(), Some(session));
    assert_eq!(
        store.session("tok", T0 + HOUR).await.unwrap(),
        None,
        "expired"
    );
    assert_eq!(store.session("nope", T0).await.unwrap(), None);
    store.set_disabled(o.handler_a.id, true).await.unwrap();
    let h = store.staff(o.handler_a.id).await.unwrap().unwrap();
    assert!(h.disabled);
    assert_eq!(h.password_hash, "new-hash");
    assert_eq!(
        store.session("tok", T0 + 1).await.unwrap(),
        None,
        "disabling logs out"
    );

    store
        .create_session(Session {
            token_hash: "tok2".into(),
            staff_id: None,
            appeal_id: None,
            csrf_token: "c".into(),
            created_at: T0,
            expires_at: T0 + 10,
        })
        .await
        .unwrap();
    store.delete_session("tok2").await.unwrap();
    assert_eq!(store.session("tok2", T0).await.unwrap(), None);
    assert!(matches!(
        store
            .create_unit(NewUnit {
                parent_id: Some(9999),
                name: "x".into(),
                kind: UnitKind::Station
            })
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn idempotent_insert(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let mut a = new_appeal(&o.station_a, 1);
    a.idempotency_key = Some("key-1".into());
    let first = store.insert_appeal(a.clone()).await.unwrap();
    assert!(matches!(first, InsertOutcome::Created(_)));
    let mut again = a.clone();
    again.tracking_code = "OTHERCODE0000001".into();
    let second = store.insert_appeal(again).await.unwrap();
    assert_eq!(second, InsertOutcome::Duplicate(first.id()));
    assert_eq!(store.count_appeals().await.unwrap(), 1);

    let appeal = store.appeal(first.id()).await.unwrap().unwrap();
    assert_eq!(appeal.unit_path, o.station_a.path);
    assert_eq!(appeal.status, Status::Received);
    assert_eq!(appeal.text, a.text);
    assert_eq!(appeal.phone_masked, "138****1234");
    assert_eq!(
        store
            .appeal_by_tracking_code(&a.tracking_code)
            .await
            .unwrap()
            .unwrap()
            .id,
        first.id()
    );
    let contact = store.appeal_contact(first.id()).await.unwrap().unwrap();
    assert_eq!(contact.phone_enc, a.contact.phone_enc);
    assert_eq!(contact.address_enc, Some(vec![9, 9]));

    let events = store.events(first.id()).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "received");
    assert!(events[0].public);

    let audit = all_audit(&store).await;
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
        store.insert_appeal(clash).await,
        Err(StoreError::Conflict(_))
    ));
    let mut nowhere = new_appeal(&o.station_a, 3);
    nowhere.unit_id = 424242;
    assert!(matches!(
        store.insert_appeal(nowhere).await,
        Err(StoreError::NotFound)
    ));

    // Recorded by an operator: the audit names them.
    let op = staff(&store, "op", Role::Operator, &o.city).await;
    let mut by_op = new_appeal(&o.station_a, 4);
    by_op.recorded_by = Some(op.id);
    let id = store.insert_appeal(by_op).await.unwrap().id();
    let audit = all_audit(&store).await;
    assert_eq!(audit.last().unwrap().actor, format!("staff:{}", op.id));
    assert_eq!(
        store.events(id).await.unwrap()[0].actor_staff_id,
        Some(op.id)
    );
}

async fn concurrent_inserts_are_all_acknowledged_and_present(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let mut tasks = Vec::new();
    for n in 0..200u64 {
        let store = store.clone();
        let mut a = new_appeal(&o.station_a, n);
        // Every fourth request repeats an earlier key: exactly one appeal per key.
        a.idempotency_key = Some(format!("k{}", if n % 4 == 3 { n - 1 } else { n }));
        tasks.push(tokio::spawn(async move { store.insert_appeal(a).await }));
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
    assert_eq!(store.count_appeals().await.unwrap(), 150);
    for ids in by_key.values() {
        let id = *ids.iter().next().unwrap();
        assert!(store.appeal(id).await.unwrap().is_some());
        assert_eq!(store.events(id).await.unwrap().len(), 1);
    }
    let audit = all_audit(&store).await;
    assert_eq!(audit.len(), 150);
    verify_chain(&audit);
}

async fn stale_version_is_a_conflict(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let a = insert(&store, new_appeal(&o.station_a, 1)).await;
    let accepted = store
        .apply_change(accept(&a, &o.handler_a, T0 + 60_000))
        .await
        .unwrap();
    assert_eq!(accepted.version, a.version + 1);
    assert_eq!(accepted.status, Status::Accepted);
    assert_eq!(accepted.assignee_id, Some(o.handler_a.id));
    assert_eq!(accepted.accepted_at, Some(T0 + 60_000));
    assert_eq!(accepted.updated_at, T0 + 60_000);

    // Same read version again: someone else changed it first.
    let again = store
        .apply_change(accept(&a, &o.handler_a, T0 + 70_000))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let now = store.appeal(a.id).await.unwrap().unwrap();
    assert_eq!(now, accepted, "a failed change leaves no trace");
    assert_eq!(store.events(a.id).await.unwrap().len(), 2);

    // Many patch fields at once, including clearing the assignee.
    let replied = store
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

    let rated = store
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
    let reopened = store
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
    store.apply_change(with_notice).await.unwrap();
    let claimed = store
        .claim_outbox("n1", T0 + 4 * DAY, 60_000, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].template, "reminder");

    let actions: Vec<String> = all_audit(&store)
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

async fn transfer_moves_unit_path_and_scope(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let a = insert(&store, new_appeal(&o.station_a, 1)).await;
    assert_eq!(
        store
            .inbox(&inbox_query(&o.station_a))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let moved = store
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
    assert!(store
        .inbox(&inbox_query(&o.station_a))
        .await
        .unwrap()
        .items
        .is_empty());
    assert!(store
        .inbox(&inbox_query(&o.district))
        .await
        .unwrap()
        .items
        .is_empty());
    assert_eq!(
        store
            .inbox(&inbox_query(&o.other_district))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    assert_eq!(
        store
            .inbox(&inbox_query(&o.city))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let events = store.events(a.id).await.unwrap();
    assert_eq!(events[1].from_unit_id, Some(o.station_a.id));
    assert_eq!(events[1].to_unit_id, Some(o.other_station.id));
    assert_eq!(events[1].note.as_deref(), Some("辖区调整"));

    // A transfer to a unit that does not exist changes nothing.
    let bad = store
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
    assert_eq!(store.appeal(a.id).await.unwrap().unwrap(), moved);
}

async fn inbox_filters_paging_and_order(store: Arc<dyn Store>) {
    let o = org(&store).await;
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
        ids.push(store.insert_appeal(a).await.unwrap().id());
    }
    // Station B's appeals don't leak into A's scope; `/1/2/` must not match `/1/20/`.
    let page = store.inbox(&inbox_query(&o.station_b)).await.unwrap();
    assert_eq!(page.items.len(), 5);
    assert!(page.items.iter().all(|s| s.unit_id == o.station_b.id));

    // District: 24 visible (the conduct complaint hidden), emergencies first, then newest.
    let mut q = inbox_query(&o.district);
    q.page_size = 10;
    let mut seen = Vec::new();
    loop {
        let page = store.inbox(&q).await.unwrap();
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
    let all = store.inbox(&q).await.unwrap();
    assert_eq!(all.items.len(), 25);
    assert!(!all.has_next);
    assert!(all
        .items
        .iter()
        .any(|s| s.category.as_deref() == Some("conduct")));

    let count = |q: InboxQuery| {
        let store = store.clone();
        async move { store.inbox(&q).await.unwrap().items.len() }
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
    let a = store.appeal(ids[10]).await.unwrap().unwrap();
    let a = store
        .apply_change(accept(&a, &o.handler_a, T0))
        .await
        .unwrap();
    store
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
    let rows = store.inbox(&combined).await.unwrap().items;
    assert!(rows
        .iter()
        .all(|s| s.kind == AppealKind::Help && s.unit_id == o.station_a.id));
    // Station A's even numbers but the conduct complaint (n = 4).
    assert_eq!(rows.len(), 9);
    assert!(rows[0].excerpt.starts_with("第"));
}

async fn audit_chain_links_across_concurrent_writers(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let mut appeals = Vec::new();
    for n in 0..10 {
        appeals.push(insert(&store, new_appeal(&o.station_a, n)).await);
    }
    // Ten writers each push one appeal through a few changes while inserts, free-standing
    // audit entries and supervisors' requests run beside them.
    let mut tasks = Vec::new();
    for a in appeals {
        let store = store.clone();
        let by = o.handler_a.clone();
        tasks.push(tokio::spawn(async move {
            let mut a = store.apply_change(accept(&a, &by, T0 + 1)).await.unwrap();
            for step in 0..4 {
                a = store
                    .apply_change(change(
                        &a,
                        Actor::Staff(by.id),
                        T0 + 2 + step,
                        AppealPatch {
                            supervision_level: Some(step as i32),
                            ..Default::default()
                        },
                        "reminded",
                    ))
                    .await
                    .unwrap();
            }
        }));
    }
    for n in 0..20u64 {
        let store = store.clone();
        let unit = o.station_b.clone();
        tasks.push(tokio::spawn(async move {
            store
                .insert_appeal(new_appeal(&unit, 100 + n))
                .await
                .unwrap();
            store
                .audit(NewAudit {
                    at: T0,
                    actor: "staff:1".into(),
                    action: "pii.reveal".into(),
                    subject: format!("appeal:{n}"),
                    detail: "{\"field\":\"phone\"}".into(),
                })
                .await
                .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let audit = all_audit(&store).await;
    assert_eq!(audit.len(), 10 + 10 * 5 + 20 * 2);
    verify_chain(&audit);
    // Tampering with any entry breaks the chain at that entry.
    let mut forged = audit.clone();
    forged[17].detail = "{}".into();
    let result = std::panic::catch_unwind(|| verify_chain(&forged));
    assert!(result.is_err());
}

async fn job_claims_are_exclusive(store: Arc<dyn Store>) {
    for n in 0..60 {
        store
            .schedule_job("deadline_sweep", &format!("{{\"n\":{n}}}"), T0 + n, None)
            .await
            .unwrap();
    }
    store
        .schedule_job("later", "{}", T0 + DAY, None)
        .await
        .unwrap();
    let claimer = |node: &'static str| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let jobs = store.claim_jobs(node, T0 + HOUR, 60_000, 7).await.unwrap();
                if jobs.is_empty() {
                    return mine;
                }
                for j in jobs {
                    assert_eq!(j.attempts, 1);
                    mine.push(j.id);
                    store.finish_job(j.id).await.unwrap();
                }
            }
        })
    };
    let (a, b) = (claimer("node-a"), claimer("node-b"));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let all: HashSet<Id> = a.iter().chain(&b).copied().collect();
    assert_eq!(a.len() + b.len(), 60, "each job claimed once");
    assert_eq!(all.len(), 60);
    // The later job is not due yet.
    assert!(store
        .claim_jobs("node-a", T0 + HOUR, 60_000, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .claim_jobs("node-a", T0 + DAY, 60_000, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn jobs_unique_keys_and_expired_leases(store: Arc<dyn Store>) {
    store
        .schedule_job("sweep", "1", T0, Some("sweep"))
        .await
        .unwrap();
    store
        .schedule_job("sweep", "2", T0, Some("sweep"))
        .await
        .unwrap();
    let jobs = store.claim_jobs("a", T0, 1_000, 10).await.unwrap();
    assert_eq!(jobs.len(), 1, "one pending job per key");
    assert_eq!(jobs[0].payload, "1");
    // While it runs, the next one may be scheduled.
    store
        .schedule_job("sweep", "3", T0 + 10_000, Some("sweep"))
        .await
        .unwrap();
    store
        .schedule_job("sweep", "4", T0 + 10_000, Some("sweep"))
        .await
        .unwrap();
    // Node a crashed: after its lease, node b gets the job again.
    assert!(store
        .claim_jobs("b", T0 + 999, 1_000, 10)
        .await
        .unwrap()
        .is_empty());
    let again = store.claim_jobs("b", T0 + 1_000, 1_000, 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].payload.as_str(), again[0].attempts), ("1", 2));
    // Failing it while a newer pending job has the key drops it: that one does the work.
    store
        .fail_job(again[0].id, "boom", T0 + 5_000)
        .await
        .unwrap();
    assert!(store
        .claim_jobs("c", T0 + 9_999, 1_000, 10)
        .await
        .unwrap()
        .is_empty());
    let next = store.claim_jobs("c", T0 + 10_000, 1_000, 10).await.unwrap();
    assert_eq!(
        next.iter().map(|j| j.payload.as_str()).collect::<Vec<_>>(),
        ["3"]
    );
    // Without a twin, a failed job is retried at its retry time.
    store
        .fail_job(next[0].id, "boom", T0 + 20_000)
        .await
        .unwrap();
    assert!(store
        .claim_jobs("c", T0 + 19_999, 1_000, 10)
        .await
        .unwrap()
        .is_empty());
    let retry = store.claim_jobs("c", T0 + 20_000, 1_000, 10).await.unwrap();
    assert_eq!((retry.len(), retry[0].attempts), (1, 2));
    store.finish_job(retry[0].id).await.unwrap();
    assert!(store
        .claim_jobs("c", T0 + DAY, 1_000, 10)
        .await
        .unwrap()
        .is_empty());
    // Once finished, the key is free again.
    store
        .schedule_job("sweep", "5", T0, Some("sweep"))
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_jobs("c", T0 + DAY, 1_000, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn outbox_claim_fail_retry(store: Arc<dyn Store>) {
    let msg = |n: u8| NewOutboxMessage {
        channel: "sms".into(),
        recipient_enc: vec![n],
        template: "otp".into(),
        body: format!("验证码 {n}"),
    };
    let first = store.enqueue(msg(1), T0).await.unwrap();
    let second = store.enqueue(msg(2), T0 + 1).await.unwrap();
    store.enqueue(msg(3), T0 + DAY).await.unwrap();
    let claimed = store.claim_outbox("a", T0 + 10, 30_000, 10).await.unwrap();
    assert_eq!(
        claimed.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![first, second]
    );
    assert_eq!(claimed[0].attempts, 1);
    assert_eq!(claimed[1].body, "验证码 2");
    // Leased: nobody else gets them until the lease ends.
    assert!(store
        .claim_outbox("b", T0 + 20, 30_000, 10)
        .await
        .unwrap()
        .is_empty());
    store.outbox_sent(first, T0 + 20).await.unwrap();
    store
        .outbox_failed(second, "smsc down", Some(T0 + 60_000))
        .await
        .unwrap();
    assert!(store
        .claim_outbox("b", T0 + 59_999, 30_000, 10)
        .await
        .unwrap()
        .is_empty());
    let retry = store
        .claim_outbox("b", T0 + 60_000, 30_000, 10)
        .await
        .unwrap();
    assert_eq!(retry.len(), 1);
    assert_eq!(retry[0].id, second);
    assert_eq!(retry[0].attempts, 2);
    // Crash while sending: the lease expires and the message comes back.
    let back = store
        .claim_outbox("c", T0 + 90_000, 30_000, 10)
        .await
        .unwrap();
    assert_eq!(back.iter().map(|m| m.attempts).collect::<Vec<_>>(), vec![3]);
    store.outbox_failed(second, "gave up", None).await.unwrap();
    assert!(
        store
            .claim_outbox("c", T0 + 10 * DAY, 30_000, 10)
            .await
            .unwrap()
            .iter()
            .all(|m| m.id != second),
        "dead letters stay dead"
    );
    assert!(matches!(
        store.outbox_sent(999_999, T0).await,
        Err(StoreError::NotFound)
    ));
}

async fn rate_counts_match_hand_computation(store: Arc<dyn Store>) {
    let o = org(&store).await;
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
        let a = insert(&store, a).await;
        ids.push(a.id);
        let mut cur = a.clone();
        if *rejected {
            store
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
            cur = store
                .apply_change(accept(&cur, &o.handler_a, day0 + at))
                .await
                .unwrap();
        }
        if let Some(at) = replied {
            cur = store
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
            cur = store
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
            store
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
    store.refresh_stats(now).await.unwrap();
    let sorted = |m: &HashMap<Id, RateCounts>| {
        let mut v: Vec<UnitCounts> = m
            .iter()
            .map(|(&unit_id, &counts)| UnitCounts { unit_id, counts })
            .collect();
        v.sort_by_key(|u| u.unit_id);
        v
    };
    let whole = store.rate_counts(day0, day0 + 30 * DAY, now).await.unwrap();
    assert_eq!(whole, sorted(&expect));

    // Periods that cut through days: edges are computed live, whole days pre-aggregated.
    for (from, to) in [
        (day0 + 2 * HOUR, day0 + 10 * DAY + 23 * HOUR),
        (day0 + DAY, day0 + 5 * DAY + 13 * HOUR + 1),
        (day0 + 30 * 60_000, day0 + 20 * HOUR),
        (day0 - 5 * DAY, day0 + 2 * DAY),
    ] {
        let mut part: HashMap<Id, RateCounts> = HashMap::new();
        let got = store.rate_counts(from, to, now).await.unwrap();
        // Recompute by restricting to received in [from, to): use single-appeal counts.
        for (i, (unit, recv, ..)) in cases.iter().enumerate() {
            let at = day0 + recv;
            if at < from || at >= to || cases[i].7 {
                continue;
            }
            let single = store.rate_counts(at, at + 1, now).await.unwrap();
            assert_eq!(single.len(), 1, "case {i}");
            let slot = part.entry(unit.id).or_default();
            *slot = *slot + single[0].counts;
        }
        assert_eq!(got, sorted(&part), "period {from}..{to}");
    }

    // Changes after a refresh show up after the next refresh; time alone makes the
    // open case due at 40 days overdue.
    let later = day0 + 41 * DAY;
    store.refresh_stats(later).await.unwrap();
    let a_counts = store
        .rate_counts(day0, day0 + 30 * DAY, later)
        .await
        .unwrap();
    let a = a_counts
        .iter()
        .find(|u| u.unit_id == o.station_a.id)
        .unwrap();
    assert_eq!(a.counts.overdue, expect[&o.station_a.id].overdue + 1);
    let open = store.appeal(ids[3]).await.unwrap().unwrap();
    store
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
    store.refresh_stats(later + 1).await.unwrap();
    let a_counts = store
        .rate_counts(day0, day0 + 30 * DAY, later)
        .await
        .unwrap();
    let a = a_counts
        .iter()
        .find(|u| u.unit_id == o.station_a.id)
        .unwrap();
    assert_eq!(a.counts.total, expect[&o.station_a.id].total - 1);
    assert_eq!(a.counts.overdue, expect[&o.station_a.id].overdue);
    assert!(store.rate_counts(day0, day0, now).await.unwrap().is_empty());
}

async fn rate_limits_count_per_window(store: Arc<dyn Store>) {
    let w = 60_000;
    for i in 1..=5 {
        assert_eq!(
            store
                .hit_rate_limit("login:alice", w, T0 + i)
                .await
                .unwrap(),
            i
        );
    }
    assert_eq!(store.hit_rate_limit("login:bob", w, T0).await.unwrap(), 1);
    let next_window = T0 - T0 % w + w;
    assert_eq!(
        store
            .hit_rate_limit("login:alice", w, next_window)
            .await
            .unwrap(),
        1
    );
    store.clear_rate_limit("login:alice").await.unwrap();
    assert_eq!(
        store
            .hit_rate_limit("login:alice", w, next_window + 1)
            .await
            .unwrap(),
        1
    );
    assert!(store.purge_expired(next_window + 2 * w).await.unwrap() >= 2);
    assert_eq!(
        store.hit_rate_limit("login:bob", w, T0).await.unwrap(),
        1,
        "purged"
    );
}

async fn one_time_codes_round_trip(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let a = insert(&store, new_appeal(&o.station_a, 1)).await;
    assert_eq!(store.one_time_code(a.id).await.unwrap(), None);
    let mut code = OneTimeCode {
        appeal_id: a.id,
        code_hash: "h1".into(),
        expires_at: T0 + 600_000,
        attempts: 0,
        locked_until: None,
        lockouts: 0,
    };
    store.put_one_time_code(code.clone()).await.unwrap();
    assert_eq!(store.one_time_code(a.id).await.unwrap(), Some(code.clone()));
    code.attempts = 5;
    code.locked_until = Some(T0 + 900_000);
    code.lockouts = 1;
    store.put_one_time_code(code.clone()).await.unwrap();
    assert_eq!(store.one_time_code(a.id).await.unwrap(), Some(code.clone()));
    code.appeal_id = 424_242;
    assert!(matches!(
        store.put_one_time_code(code).await,
        Err(StoreError::NotFound)
    ));
}

async fn requests_are_decided_once(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let a = insert(&store, new_appeal(&o.station_a, 1)).await;
    let a = store
        .apply_change(accept(&a, &o.handler_a, T0 + 1))
        .await
        .unwrap();
    let r = store
        .create_request(NewRequest {
            appeal_id: a.id,
            kind: RequestKind::Extension,
            reason: "需要调取监控".into(),
            days: Some(5),
            to_unit_id: None,
            requested_by: Some(o.handler_a.id),
            requested_at: T0 + 2,
        })
        .await
        .unwrap();
    assert_eq!(r.state, RequestState::Pending);
    assert_eq!(store.request(r.id).await.unwrap(), Some(r.clone()));
    assert_eq!(store.requests_for(a.id).await.unwrap(), vec![r.clone()]);
    assert_eq!(
        store
            .pending_requests(&o.district.path)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(store
        .pending_requests(&o.other_district.path)
        .await
        .unwrap()
        .is_empty());

    let extend = change(
        &a,
        Actor::Staff(o.supervisor.id),
        T0 + 3,
        AppealPatch {
            due_at: Some(a.due_at + 5 * DAY),
            ..Default::default()
        },
        "extension_granted",
    );
    let decided = store
        .decide_request(r.id, true, o.supervisor.id, T0 + 3, Some(extend.clone()))
        .await
        .unwrap();
    assert_eq!(decided.state, RequestState::Approved);
    assert_eq!(decided.decided_by, Some(o.supervisor.id));
    assert_eq!(decided.decided_at, Some(T0 + 3));
    let now = store.appeal(a.id).await.unwrap().unwrap();
    assert_eq!(now.due_at, a.due_at + 5 * DAY);
    assert!(store
        .pending_requests(&o.district.path)
        .await
        .unwrap()
        .is_empty());

    let twice = store
        .decide_request(r.id, false, o.supervisor.id, T0 + 4, None)
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert!(matches!(
        store
            .decide_request(999_999, true, o.supervisor.id, T0, None)
            .await,
        Err(StoreError::NotFound)
    ));

    // Approval whose change is stale rolls the decision back too.
    let r2 = store
        .create_request(NewRequest {
            appeal_id: a.id,
            kind: RequestKind::Transfer,
            reason: "不属本所辖区".into(),
            days: None,
            to_unit_id: Some(o.station_b.id),
            requested_by: Some(o.handler_a.id),
            requested_at: T0 + 5,
        })
        .await
        .unwrap();
    let stale = store
        .decide_request(r2.id, true, o.supervisor.id, T0 + 6, Some(extend))
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))));
    assert_eq!(
        store.request(r2.id).await.unwrap().unwrap().state,
        RequestState::Pending
    );
    let rejected = store
        .decide_request(r2.id, false, o.supervisor.id, T0 + 7, None)
        .await
        .unwrap();
    assert_eq!(rejected.state, RequestState::Rejected);
    let actions: Vec<String> = all_audit(&store)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"appeal.extension_granted".to_owned()));
    assert!(actions.contains(&"request.approved".to_owned()));
    assert!(actions.contains(&"request.rejected".to_owned()));
    verify_chain(&all_audit(&store).await);
}

async fn handoff_and_acknowledgement(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let dept = store
        .create_department("市场监督管理局", "0572-12345")
        .await
        .unwrap();
    assert!(matches!(
        store.create_department("市场监督管理局", "x").await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.departments().await.unwrap(), vec![dept.clone()]);
    let a = insert(&store, new_appeal(&o.station_a, 1)).await;
    let a = store
        .apply_change(accept(&a, &o.handler_a, T0 + 1))
        .await
        .unwrap();
    let hand = change(
        &a,
        Actor::Staff(o.handler_a.id),
        T0 + 2,
        AppealPatch {
            status: Some(Status::Transferred),
            ..Default::default()
        },
        "handed_off",
    );
    let h = store
        .create_handoff(hand.clone(), dept.id, "食品安全问题，转市场监管")
        .await
        .unwrap();
    assert_eq!(h.sent_by, o.handler_a.id);
    assert_eq!(h.acknowledged_at, None);
    assert_eq!(
        store.appeal(a.id).await.unwrap().unwrap().status,
        Status::Transferred
    );
    let acked = store
        .acknowledge_handoff(h.id, "回执-2025-001", T0 + HOUR)
        .await
        .unwrap();
    assert_eq!(acked.acknowledged_at, Some(T0 + HOUR));
    assert_eq!(acked.receipt.as_deref(), Some("回执-2025-001"));
    assert_eq!(store.handoffs(a.id).await.unwrap(), vec![acked]);
    assert!(matches!(
        store
            .acknowledge_handoff(h.id, "again", T0 + 2 * HOUR)
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.acknowledge_handoff(9999, "x", T0).await,
        Err(StoreError::NotFound)
    ));
    let kinds: Vec<String> = store
        .events(a.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        ["received", "accepted", "handed_off", "handoff_acknowledged"]
    );

    // Stale version or unknown department: nothing recorded.
    assert!(matches!(
        store.create_handoff(hand, dept.id, "x").await,
        Err(StoreError::Conflict(_))
    ));
    let cur = store.appeal(a.id).await.unwrap().unwrap();
    let bad = change(
        &cur,
        Actor::Staff(o.handler_a.id),
        T0 + 3,
        AppealPatch::default(),
        "handed_off",
    );
    assert!(matches!(
        store.create_handoff(bad, 9999, "x").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        store.appeal(a.id).await.unwrap().unwrap().version,
        cur.version
    );
    assert_eq!(store.handoffs(a.id).await.unwrap().len(), 1);
}

async fn hostile_text_is_stored_verbatim(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let nasty = "Robert'); DROP TABLE appeals;-- \" \\ % _ $1 ? :x <script>alert(1)</script> \u{202e}反转 🚓 \n\t 100% 'quoted' \"dq\" NULL";
    let mut a = new_appeal(&o.station_a, 1);
    a.text = nasty.into();
    a.search_text = nasty.into();
    a.category = Some("'; --".into());
    a.idempotency_key = Some(nasty.into());
    a.contact.phone_masked = "<b>138</b>".into();
    let id = store.insert_appeal(a.clone()).await.unwrap().id();
    let got = store.appeal(id).await.unwrap().unwrap();
    assert_eq!(got.text, nasty);
    assert_eq!(got.category.as_deref(), Some("'; --"));
    assert_eq!(got.phone_masked, "<b>138</b>");
    assert_eq!(
        store.insert_appeal(a).await.unwrap(),
        InsertOutcome::Duplicate(id)
    );
    let q = InboxQuery {
        category: Some("'; --".into()),
        ..inbox_query(&o.city)
    };
    assert_eq!(store.inbox(&q).await.unwrap().items.len(), 1);
    let wild = InboxQuery {
        category: Some("%".into()),
        ..inbox_query(&o.city)
    };
    assert!(store.inbox(&wild).await.unwrap().items.is_empty());
    store.put_setting(nasty, nasty).await.unwrap();
    assert_eq!(store.setting(nasty).await.unwrap().as_deref(), Some(nasty));
    let t = store.create_reply_template(nasty, nasty).await.unwrap();
    assert_eq!(store.reply_templates().await.unwrap(), vec![t]);
    let u = unit(&store, Some(&o.city), nasty, UnitKind::Office).await;
    assert_eq!(u.name, nasty);
    assert_eq!(store.count_appeals().await.unwrap(), 1);
}

async fn summaries_mask_numbers_typed_into_the_text(store: Arc<dyn Store>) {
    let o = org(&store).await;
    // A phone at the start, an ID number, and a phone cut by the excerpt's end.
    let text = format!(
        "电话13800001234，身份证33050219900101123X，{}找我13900005678",
        "楼下噪音".repeat(9)
    );
    let mut a = new_appeal(&o.station_a, 1);
    a.text = text.clone();
    let stored = insert(&store, a).await;
    assert_eq!(stored.text, text, "the appeal itself keeps its words");
    let rows = store.inbox(&inbox_query(&o.station_a)).await.unwrap().items;
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

async fn forged_ids_find_nothing(store: Arc<dyn Store>) {
    let o = org(&store).await;
    for id in [0, -1, i64::MAX, i64::MIN, 123_456_789] {
        assert_eq!(store.appeal(id).await.unwrap(), None);
        assert_eq!(store.appeal_contact(id).await.unwrap(), None);
        assert!(store.events(id).await.unwrap().is_empty());
        assert!(store.handoffs(id).await.unwrap().is_empty());
        assert!(store.requests_for(id).await.unwrap().is_empty());
        assert_eq!(store.request(id).await.unwrap(), None);
        assert_eq!(store.staff(id).await.unwrap(), None);
        assert_eq!(store.one_time_code(id).await.unwrap(), None);
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
            store.apply_change(forged).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.set_password(id, "x").await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.set_disabled(id, true).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.outbox_failed(id, "x", None).await,
            Err(StoreError::NotFound)
        ));
        store.finish_job(id).await.unwrap();
    }
    for code in ["", "'", "0000000000000000", "%", "TC%"] {
        assert_eq!(store.appeal_by_tracking_code(code).await.unwrap(), None);
    }
    assert!(store
        .staff_by_username("' OR 1=1 --")
        .await
        .unwrap()
        .is_none());
    assert!(store
        .appeals_by_phone_hash(b"nobody", 10)
        .await
        .unwrap()
        .is_empty());
    // An inbox page far beyond the end is empty, not an error.
    let mut q = inbox_query(&o.city);
    q.page = u32::MAX;
    q.page_size = u32::MAX;
    let page = store.inbox(&q).await.unwrap();
    assert!(page.items.is_empty() && !page.has_next);
}

async fn deadline_candidates_are_open_and_due(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let mut ids = Vec::new();
    for n in 0..6u64 {
        let mut a = new_appeal(&o.station_a, n);
        a.due_at = T0 + (6 - n as Millis) * HOUR;
        ids.push(insert(&store, a).await);
    }
    // 0: replied (not open); 1: supervised at level 2; others open.
    let replied = store
        .apply_change(accept(&ids[0], &o.handler_a, T0))
        .await
        .unwrap();
    store
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
    store
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
    let found = store
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
        store
            .deadline_candidates(T0 + 10 * HOUR, 2, 2)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        store
            .deadline_candidates(T0 + 10 * HOUR, 3, 10)
            .await
            .unwrap()
            .len(),
        5
    );
}

async fn bulk_insert_carries_history(store: Arc<dyn Store>) {
    let o = org(&store).await;
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
    store.insert_appeals_bulk(batch.clone()).await.unwrap();
    store.insert_appeals_bulk(Vec::new()).await.unwrap();
    assert_eq!(store.count_appeals().await.unwrap(), 450);
    let closed = store
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
    let kinds: Vec<String> = store
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
    let open = store
        .appeal_by_tracking_code(&batch[11].tracking_code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(open.status, Status::Received);
    assert_eq!(store.events(open.id).await.unwrap().len(), 1);

    store.refresh_stats(T0 + DAY).await.unwrap();
    let counts = store
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
    assert!(store.insert_appeals_bulk(dup).await.is_err());
    assert_eq!(store.count_appeals().await.unwrap(), 450);
    verify_chain(&all_audit(&store).await);
}

async fn phone_lookup_settings_templates(store: Arc<dyn Store>) {
    let o = org(&store).await;
    for n in 0..9u64 {
        store
            .insert_appeal(new_appeal(&o.station_a, n))
            .await
            .unwrap();
    }
    let mine = store.appeals_by_phone_hash(b"hash-1", 10).await.unwrap();
    assert_eq!(mine.len(), 3);
    assert!(
        mine.windows(2).all(|w| w[0].received_at > w[1].received_at),
        "newest first"
    );
    assert_eq!(
        store
            .appeals_by_phone_hash(b"hash-1", 2)
            .await
            .unwrap()
            .len(),
        2
    );

    assert_eq!(store.setting("deadline.policy").await.unwrap(), None);
    store
        .put_setting("deadline.policy", "{\"a\":1}")
        .await
        .unwrap();
    store
        .put_setting("deadline.policy", "{\"a\":2}")
        .await
        .unwrap();
    assert_eq!(
        store.setting("deadline.policy").await.unwrap().as_deref(),
        Some("{\"a\":2}")
    );
    assert!(store.reply_templates().await.unwrap().is_empty());
    let t = store
        .create_reply_template("感谢", "感谢您的反映。")
        .await
        .unwrap();
    assert_eq!(store.reply_templates().await.unwrap(), vec![t]);
    assert!(matches!(store.backend(), "sqlite" | "postgres"));
}

async fn inbox_pages_match_brute_force(store: Arc<dyn Store>) {
    // Enough rows and filter mixes that pages come both from probing the newest rows
    // and from the filter-first fallback; every page must equal a brute-force answer.
    let o = org(&store).await;
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
    store.insert_appeals_bulk(batch.clone()).await.unwrap();
    let mut all = Vec::new();
    for a in &batch {
        all.push(
            store
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
            let p = store.inbox(&page).await.unwrap();
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

// ── opinion analysis ────────────────────────────────────────────────────

async fn corrections_are_kept_and_models_stored(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let a = insert(&store, new_appeal(&o.station_a, 1)).await;
    assert_eq!(store.latest_correction_id().await.unwrap(), 0);
    // An ordinary change with a category patch is not a correction…
    let other = change(
        &a,
        Actor::System,
        T0 + HOUR,
        AppealPatch {
            category: Some(("traffic".into(), 0.95)),
            ..Default::default()
        },
        "reclassified",
    );
    let a = store.apply_change(other).await.unwrap();
    assert!(store.corrections(0, 10).await.unwrap().is_empty());
    // …a staff member's correction is, with the text it applies to.
    let fix = change(
        &a,
        Actor::Staff(o.handler_a.id),
        T0 + 2 * HOUR,
        AppealPatch {
            category: Some(("public_order".into(), 1.0)),
            ..Default::default()
        },
        CATEGORY_CORRECTED,
    );
    store.apply_change(fix).await.unwrap();
    let got = store.corrections(0, 10).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].appeal_id, a.id);
    assert_eq!(got[0].from_category.as_deref(), Some("traffic"));
    assert_eq!(got[0].to_category, "public_order");
    assert_eq!(got[0].text, a.text);
    assert_eq!(store.latest_correction_id().await.unwrap(), got[0].id);
    assert!(store.corrections(got[0].id, 10).await.unwrap().is_empty());

    assert_eq!(store.latest_text_model().await.unwrap(), None);
    let first = store
        .save_text_model(T0, got[0].id, 1, "{\"m\":1}")
        .await
        .unwrap();
    let second = store
        .save_text_model(T0 + DAY, got[0].id, 1, "{\"m\":2}")
        .await
        .unwrap();
    assert!(second > first);
    let latest = store.latest_text_model().await.unwrap().unwrap();
    assert_eq!((latest.id, latest.model.as_str()), (second, "{\"m\":2}"));
    assert_eq!(store.latest_text_model_id().await.unwrap(), Some(second));
}

async fn clusters_link_appeals_and_move_the_cursor(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let a = insert(&store, new_appeal(&o.station_a, 1)).await;
    let b = insert(&store, new_appeal(&o.station_b, 2)).await;
    let c = insert(&store, new_appeal(&o.other_station, 3)).await;
    let rows = store.analysis_rows(0, 0, 10).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![a.id, b.id, c.id]
    );
    assert_eq!(rows[0].search_text, "小区 门口 乱停车");
    assert_eq!(store.analysis_rows(a.id, 0, 10).await.unwrap().len(), 2);
    assert!(store
        .analysis_rows(0, T0 + DAY, 10)
        .await
        .unwrap()
        .is_empty());

    let link = ClusterLink {
        cluster: None,
        appeal_ids: vec![a.id, b.id],
        unit_path: o.station_a.path.clone(),
        category: Some("traffic".into()),
        label: "门口 乱停车".into(),
        first_at: a.received_at,
        last_at: b.received_at,
    };
    let ids = store
        .save_clusters(&[link], "cluster_cursor", b.id)
        .await
        .unwrap();
    assert_eq!(
        store.setting("cluster_cursor").await.unwrap(),
        Some(b.id.to_string())
    );
    let cluster = store.cluster(ids[0]).await.unwrap().unwrap();
    assert_eq!((cluster.size, cluster.first_appeal_id), (2, a.id));
    assert_eq!(
        store.appeal(a.id).await.unwrap().unwrap().cluster_id,
        Some(cluster.id)
    );
    // A third appeal joins the stored cluster.
    let join = ClusterLink {
        cluster: Some(cluster.id),
        appeal_ids: vec![c.id],
        unit_path: o.other_station.path.clone(),
        category: None,
        label: String::new(),
        first_at: c.received_at,
        last_at: c.received_at,
    };
    store
        .save_clusters(&[join], "cluster_cursor", c.id)
        .await
        .unwrap();
    let cluster = store.cluster(cluster.id).await.unwrap().unwrap();
    assert_eq!((cluster.size, cluster.last_at), (3, c.received_at));
    // Members are read within a scope.
    let all = store
        .cluster_appeals(cluster.id, None, false, 10)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![c.id, b.id, a.id]
    );
    let district = store
        .cluster_appeals(cluster.id, Some(&o.district.path), false, 10)
        .await
        .unwrap();
    assert_eq!(district.len(), 2);
    let q = OpinionQuery {
        scope: Some(o.district.path.clone()),
        include_conduct: false,
        from: T0,
        to: T0 + DAY,
        settled_before: Millis::MIN,
    };
    assert_eq!(store.top_clusters(&q, 5).await.unwrap().len(), 1);
    let elsewhere = OpinionQuery {
        scope: Some(o.other_district.path.clone()),
        ..q.clone()
    };
    assert!(store.top_clusters(&elsewhere, 5).await.unwrap().is_empty());
    let later = OpinionQuery {
        from: T0 + 2 * DAY,
        to: T0 + 3 * DAY,
        ..q
    };
    assert!(store.top_clusters(&later, 5).await.unwrap().is_empty());
    assert_eq!(store.cluster(999_999).await.unwrap(), None);
}

async fn alerts_merge_overlapping_bursts_and_respect_scope(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let mut ids = Vec::new();
    for n in 1..=4 {
        ids.push(insert(&store, new_appeal(&o.station_a, n)).await.id);
    }
    let alert = NewEmergingAlert {
        district_unit_id: o.district.id,
        unit_path: o.district.path.clone(),
        period_start: T0,
        period_end: T0 + 7 * DAY,
        keywords: vec!["电瓶车".into(), "充电".into()],
        categories: vec!["fire".into()],
        appeal_ids: ids[..3].to_vec(),
        observed: 3,
        expected: 0.4,
        p_value: 1e-6,
        detected_at: T0 + 7 * DAY,
    };
    let (id, new) = store.save_alert(&alert).await.unwrap();
    assert!(new);
    // Seen again a day later with one more appeal: the same alert, extended.
    let again = NewEmergingAlert {
        period_start: T0 + DAY,
        period_end: T0 + 8 * DAY,
        keywords: vec!["充电".into(), "楼道".into()],
        appeal_ids: ids[1..].to_vec(),
        observed: 4,
        detected_at: T0 + 8 * DAY,
        ..alert.clone()
    };
    assert_eq!(store.save_alert(&again).await.unwrap(), (id, false));
    let got = store.alert(id).await.unwrap().unwrap();
    assert_eq!((got.period_start, got.period_end), (T0, T0 + 8 * DAY));
    assert_eq!(got.keywords, vec!["电瓶车", "充电", "楼道"]);
    assert_eq!((got.observed, got.appeal_count), (4, 4));
    assert_eq!(got.status, AlertStatus::Open);
    // Different words in the same district are another issue.
    let other = NewEmergingAlert {
        keywords: vec!["诈骗".into()],
        ..alert.clone()
    };
    let (other_id, new) = store.save_alert(&other).await.unwrap();
    assert!(new && other_id != id);

    // Scope: the district, its stations and the city see it; the other district not.
    for (scope, seen) in [
        (&o.district.path, 2),
        (&o.station_a.path, 2),
        (&o.city.path, 2),
        (&o.other_district.path, 0),
    ] {
        let found = store
            .alerts(Some(scope), T0, T0 + 30 * DAY, 10)
            .await
            .unwrap();
        assert_eq!(found.len(), seen, "{scope:?}");
    }
    assert!(store
        .alerts(None, T0 + 9 * DAY, T0 + 30 * DAY, 10)
        .await
        .unwrap()
        .is_empty());
    let members = store
        .alert_appeals(id, Some(&o.station_a.path), false, 10)
        .await
        .unwrap();
    assert_eq!(members.len(), 4);
    assert!(store
        .alert_appeals(id, Some(&o.station_b.path), false, 10)
        .await
        .unwrap()
        .is_empty());

    store
        .set_alert_status(
            id,
            AlertStatus::Dismissed,
            o.supervisor.id,
            Some("已核实，系误报"),
        )
        .await
        .unwrap();
    let got = store.alert(id).await.unwrap().unwrap();
    assert_eq!(got.status, AlertStatus::Dismissed);
    assert_eq!(got.handled_by, Some(o.supervisor.id));
    // A dismissed burst seen again stays dismissed (no new alert).
    assert_eq!(store.save_alert(&again).await.unwrap(), (id, false));

    // A burst first seen at one station, then for its whole district, is one alert
    // that takes the wider place; until then the other station does not see it.
    let later = T0 + 20 * DAY;
    let at_station = NewEmergingAlert {
        district_unit_id: o.station_a.id,
        unit_path: o.station_a.path.clone(),
        period_start: later,
        period_end: later + 7 * DAY,
        keywords: vec!["渔网".into()],
        categories: vec![],
        appeal_ids: ids[..1].to_vec(),
        ..alert.clone()
    };
    let (sid, new) = store.save_alert(&at_station).await.unwrap();
    assert!(new);
    let window = (later, later + 8 * DAY);
    let seen_by = |scope: &police_square_domain::org::UnitPath| {
        let store = store.clone();
        let scope = scope.clone();
        async move {
            store
                .alerts(Some(&scope), window.0, window.1, 10)
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(seen_by(&o.station_a.path).await, 1);
    assert_eq!(seen_by(&o.station_b.path).await, 0);
    let district_wide = NewEmergingAlert {
        district_unit_id: o.district.id,
        unit_path: o.district.path.clone(),
        appeal_ids: ids.clone(),
        ..at_station.clone()
    };
    assert_eq!(
        store.save_alert(&district_wide).await.unwrap(),
        (sid, false)
    );
    let got = store.alert(sid).await.unwrap().unwrap();
    assert_eq!((got.district_unit_id, got.appeal_count), (o.district.id, 4));
    assert_eq!(seen_by(&o.station_b.path).await, 1);
    // The same words in another district are another issue.
    let elsewhere = NewEmergingAlert {
        district_unit_id: o.other_district.id,
        unit_path: o.other_district.path.clone(),
        ..at_station.clone()
    };
    let (eid, new) = store.save_alert(&elsewhere).await.unwrap();
    assert!(new && eid != sid);
    assert!(matches!(
        store
            .set_alert_status(999_999, AlertStatus::Open, o.supervisor.id, None)
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn opinion_view_counts_by_dimension(store: Arc<dyn Store>) {
    let o = org(&store).await;
    let mut expect_a = 0;
    for n in 1..=9u64 {
        let unit = if n % 3 == 0 {
            &o.station_b
        } else {
            &o.station_a
        };
        let mut a = new_appeal(unit, n);
        a.received_at = T0 + (n as Millis % 3) * DAY;
        if n % 2 == 0 {
            a.category = Some("theft".into());
            a.kind = AppealKind::Report;
            a.sentiment = Some("neutral".into());
        }
        if n == 9 {
            a.category = Some("conduct".into());
        }
        if unit.id == o.station_a.id {
            expect_a += 1;
        }
        insert(&store, a).await;
    }
    insert(&store, new_appeal(&o.other_station, 10)).await;
    let q = OpinionQuery {
        scope: Some(o.district.path.clone()),
        include_conduct: true,
        from: T0 - DAY,
        to: T0 + 10 * DAY,
        settled_before: Millis::MIN,
    };
    let v = store.opinion(&q).await.unwrap();
    // The pre-aggregated days give the same view as counting live, for any edges.
    store.refresh_stats(T0 + 20 * DAY).await.unwrap();
    for (from, to, conduct) in [
        (q.from, q.to, true),
        (T0 - 5 * HOUR, T0 + DAY + 7 * HOUR, false),
        (T0 + 2 * HOUR, T0 + 3 * HOUR, true),
    ] {
        let live = OpinionQuery {
            from,
            to,
            include_conduct: conduct,
            ..q.clone()
        };
        let settled = OpinionQuery {
            settled_before: T0 + 20 * DAY,
            ..live.clone()
        };
        assert_eq!(
            store.opinion(&settled).await.unwrap(),
            store.opinion(&live).await.unwrap(),
            "{from}..{to}"
        );
    }
    assert_eq!(v.total, 9);
    // Odd n are negative: 1, 3, 5, 7, 9.
    assert_eq!(v.negative, 5);
    let count = |b: &[OpinionBucket], k: &str| b.iter().find(|x| x.key == k).map(|x| x.total);
    assert_eq!(count(&v.by_category, "theft"), Some(4));
    assert_eq!(count(&v.by_category, "traffic"), Some(4));
    assert_eq!(count(&v.by_category, "conduct"), Some(1));
    assert_eq!(count(&v.by_kind, "report"), Some(4));
    assert_eq!(
        count(&v.by_unit, &o.station_a.id.to_string()),
        Some(expect_a)
    );
    assert_eq!(v.by_day.iter().map(|b| b.total).sum::<i64>(), 9);
    assert_eq!(v.by_day.len(), 3);
    assert!(v.by_day.windows(2).all(|w| w[0].key < w[1].key));
    // Without the conduct track, and for one station only.
    let v = store
        .opinion(&OpinionQuery {
            include_conduct: false,
            ..q.clone()
        })
        .await
        .unwrap();
    assert_eq!((v.total, count(&v.by_category, "conduct")), (8, None));
    let v = store
        .opinion(&OpinionQuery {
            scope: Some(o.station_b.path.clone()),
            ..q
        })
        .await
        .unwrap();
    assert_eq!(v.total, 3);
}
