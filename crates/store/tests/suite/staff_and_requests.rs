//! Units, staff and sessions, rate limits, one-time codes, requests decided once,
//! handoffs, and phone lookup, settings and templates.

use police_square_domain::org::UnitPath;

use super::*;

pub(super) async fn units_staff_and_sessions(stores: Stores) {
    stores.maintenance.ping().await.unwrap();
    stores.maintenance.migrate().await.unwrap(); // idempotent
    let o = org(&stores).await;
    assert_eq!(o.city.path, UnitPath::root(o.city.id));
    assert_eq!(o.station_a.path, o.district.path.child(o.station_a.id));
    let units = stores.org.units().await.unwrap();
    assert_eq!(units.len(), 6);
    assert!(units.contains(&o.station_b));

    assert_eq!(o.handler_a.unit_path, o.station_a.path);
    assert_eq!(
        stores.org.staff(o.handler_a.id).await.unwrap().unwrap(),
        o.handler_a
    );
    let by_name = stores
        .org
        .staff_by_username("supervisor")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_name.role, Role::Supervisor);
    let dup = stores
        .org
        .create_staff(NewStaff {
            username: "supervisor".into(),
            display_name: "x".into(),
            role: Role::Handler,
            unit_id: o.city.id,
            password_hash: "x".into(),
        })
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");

    let in_district = stores.org.staff_in(&o.district.path, None).await.unwrap();
    assert_eq!(in_district.len(), 2);
    let handlers = stores
        .org
        .staff_in(&o.city.path, Some(Role::Handler))
        .await
        .unwrap();
    assert_eq!(
        handlers.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![o.handler_a.id]
    );
    assert!(stores
        .org
        .staff_in(&o.other_district.path, None)
        .await
        .unwrap()
        .is_empty());

    stores
        .org
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
    stores.access.create_session(session.clone()).await.unwrap();
    assert_eq!(
        stores.access.session("tok", T0 + 1).await.unwrap(),
        Some(session)
    );
    assert_eq!(
        stores.access.session("tok", T0 + HOUR).await.unwrap(),
        None,
        "expired"
    );
    assert_eq!(stores.access.session("nope", T0).await.unwrap(), None);
    stores.org.set_disabled(o.handler_a.id, true).await.unwrap();
    let h = stores.org.staff(o.handler_a.id).await.unwrap().unwrap();
    assert!(h.disabled);
    assert_eq!(h.password_hash, "new-hash");
    assert_eq!(
        stores.access.session("tok", T0 + 1).await.unwrap(),
        None,
        "disabling logs out"
    );

    stores
        .access
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
    stores.access.delete_session("tok2").await.unwrap();
    assert_eq!(stores.access.session("tok2", T0).await.unwrap(), None);
    assert!(matches!(
        stores
            .org
            .create_unit(NewUnit {
                parent_id: Some(9999),
                name: "x".into(),
                kind: UnitKind::Station
            })
            .await,
        Err(StoreError::NotFound)
    ));
}

pub(super) async fn staff_are_found_by_ids_in_one_call(stores: Stores) {
    let o = org(&stores).await;
    let other = staff(&stores, "handler_b", Role::Handler, &o.station_b).await;
    assert!(stores.org.staff_by_ids(&[]).await.unwrap().is_empty());
    // Unknown ids are left out; a repeated id comes back once; id order.
    let found = stores
        .org
        .staff_by_ids(&[other.id, 999_999, o.handler_a.id, other.id])
        .await
        .unwrap();
    let mut expected = vec![o.handler_a.clone(), other];
    expected.sort_by_key(|s| s.id);
    assert_eq!(found, expected);
    assert!(found.iter().all(|s| s.id != o.supervisor.id));
}

pub(super) async fn rate_limits_count_per_window(stores: Stores) {
    let w = 60_000;
    for i in 1..=5 {
        assert_eq!(
            stores
                .access
                .hit_rate_limit("login:alice", w, T0 + i)
                .await
                .unwrap(),
            i
        );
    }
    assert_eq!(
        stores
            .access
            .hit_rate_limit("login:bob", w, T0)
            .await
            .unwrap(),
        1
    );
    let next_window = T0 - T0 % w + w;
    assert_eq!(
        stores
            .access
            .hit_rate_limit("login:alice", w, next_window)
            .await
            .unwrap(),
        1
    );
    stores.access.clear_rate_limit("login:alice").await.unwrap();
    assert_eq!(
        stores
            .access
            .hit_rate_limit("login:alice", w, next_window + 1)
            .await
            .unwrap(),
        1
    );
    assert!(
        stores
            .access
            .purge_expired(next_window + 2 * w)
            .await
            .unwrap()
            >= 2
    );
    assert_eq!(
        stores
            .access
            .hit_rate_limit("login:bob", w, T0)
            .await
            .unwrap(),
        1,
        "purged"
    );
}

pub(super) async fn one_time_codes_round_trip(stores: Stores) {
    let o = org(&stores).await;
    let a = insert(&stores, new_appeal(&o.station_a, 1)).await;
    assert_eq!(stores.access.one_time_code(a.id).await.unwrap(), None);
    let mut code = OneTimeCode {
        appeal_id: a.id,
        code_hash: "h1".into(),
        expires_at: T0 + 600_000,
        attempts: 0,
        locked_until: None,
        lockouts: 0,
    };
    stores.access.put_one_time_code(code.clone()).await.unwrap();
    assert_eq!(
        stores.access.one_time_code(a.id).await.unwrap(),
        Some(code.clone())
    );
    code.attempts = 5;
    code.locked_until = Some(T0 + 900_000);
    code.lockouts = 1;
    stores.access.put_one_time_code(code.clone()).await.unwrap();
    assert_eq!(
        stores.access.one_time_code(a.id).await.unwrap(),
        Some(code.clone())
    );
    code.appeal_id = 424_242;
    assert!(matches!(
        stores.access.put_one_time_code(code).await,
        Err(StoreError::NotFound)
    ));
}

pub(super) async fn requests_are_decided_once(stores: Stores) {
    let o = org(&stores).await;
    let a = insert(&stores, new_appeal(&o.station_a, 1)).await;
    let a = stores
        .appeals
        .apply_change(accept(&a, &o.handler_a, T0 + 1))
        .await
        .unwrap();
    let r = stores
        .supervision
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
    assert_eq!(
        stores.supervision.request(r.id).await.unwrap(),
        Some(r.clone())
    );
    assert_eq!(
        stores.supervision.requests_for(a.id).await.unwrap(),
        vec![r.clone()]
    );
    assert_eq!(
        stores
            .supervision
            .pending_requests(&o.district.path)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(stores
        .supervision
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
    let decided = stores
        .supervision
        .decide_request(
            r.id,
            true,
            o.supervisor.id,
            T0 + 3,
            Some("监控调取需时，同意延期"),
            Some(extend.clone()),
        )
        .await
        .unwrap();
    assert_eq!(decided.state, RequestState::Approved);
    assert_eq!(decided.decided_by, Some(o.supervisor.id));
    assert_eq!(decided.decided_at, Some(T0 + 3));
    assert_eq!(
        decided.decision_note.as_deref(),
        Some("监控调取需时，同意延期")
    );
    assert_eq!(
        stores
            .supervision
            .request(r.id)
            .await
            .unwrap()
            .unwrap()
            .decision_note,
        decided.decision_note
    );
    let now = stores.appeals.appeal(a.id).await.unwrap().unwrap();
    assert_eq!(now.due_at, a.due_at + 5 * DAY);
    assert!(stores
        .supervision
        .pending_requests(&o.district.path)
        .await
        .unwrap()
        .is_empty());

    let twice = stores
        .supervision
        .decide_request(r.id, false, o.supervisor.id, T0 + 4, None, None)
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert!(matches!(
        stores
            .supervision
            .decide_request(999_999, true, o.supervisor.id, T0, None, None)
            .await,
        Err(StoreError::NotFound)
    ));

    // Approval whose change is stale rolls the decision back too.
    let r2 = stores
        .supervision
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
    let stale = stores
        .supervision
        .decide_request(r2.id, true, o.supervisor.id, T0 + 6, None, Some(extend))
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))));
    assert_eq!(
        stores
            .supervision
            .request(r2.id)
            .await
            .unwrap()
            .unwrap()
            .state,
        RequestState::Pending
    );
    let rejected = stores
        .supervision
        .decide_request(r2.id, false, o.supervisor.id, T0 + 7, None, None)
        .await
        .unwrap();
    assert_eq!(rejected.state, RequestState::Rejected);
    assert_eq!(rejected.decision_note, None);
    let actions: Vec<String> = all_audit(&stores)
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"appeal.extension_granted".to_owned()));
    assert!(actions.contains(&"request.approved".to_owned()));
    assert!(actions.contains(&"request.rejected".to_owned()));
    verify_chain(&all_audit(&stores).await);
}

pub(super) async fn handoff_and_acknowledgement(stores: Stores) {
    let o = org(&stores).await;
    let dept = stores
        .catalog
        .create_department("市场监督管理局", "0572-12345")
        .await
        .unwrap();
    assert!(matches!(
        stores
            .catalog
            .create_department("市场监督管理局", "x")
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        stores.catalog.departments().await.unwrap(),
        vec![dept.clone()]
    );
    let a = insert(&stores, new_appeal(&o.station_a, 1)).await;
    let a = stores
        .appeals
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
    let h = stores
        .appeals
        .create_handoff(hand.clone(), dept.id, "食品安全问题，转市场监管")
        .await
        .unwrap();
    assert_eq!(h.sent_by, o.handler_a.id);
    assert_eq!(h.acknowledged_at, None);
    assert_eq!(
        stores.appeals.appeal(a.id).await.unwrap().unwrap().status,
        Status::Transferred
    );
    let acked = stores
        .appeals
        .acknowledge_handoff(h.id, "回执-2025-001", T0 + HOUR)
        .await
        .unwrap();
    assert_eq!(acked.acknowledged_at, Some(T0 + HOUR));
    assert_eq!(acked.receipt.as_deref(), Some("回执-2025-001"));
    assert_eq!(stores.appeals.handoffs(a.id).await.unwrap(), vec![acked]);
    assert!(matches!(
        stores
            .appeals
            .acknowledge_handoff(h.id, "again", T0 + 2 * HOUR)
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        stores.appeals.acknowledge_handoff(9999, "x", T0).await,
        Err(StoreError::NotFound)
    ));
    let kinds: Vec<String> = stores
        .appeals
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
        stores.appeals.create_handoff(hand, dept.id, "x").await,
        Err(StoreError::Conflict(_))
    ));
    let cur = stores.appeals.appeal(a.id).await.unwrap().unwrap();
    let bad = change(
        &cur,
        Actor::Staff(o.handler_a.id),
        T0 + 3,
        AppealPatch::default(),
        "handed_off",
    );
    assert!(matches!(
        stores.appeals.create_handoff(bad, 9999, "x").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        stores.appeals.appeal(a.id).await.unwrap().unwrap().version,
        cur.version
    );
    assert_eq!(stores.appeals.handoffs(a.id).await.unwrap().len(), 1);
}

pub(super) async fn phone_lookup_settings_templates(stores: Stores) {
    let o = org(&stores).await;
    for n in 0..9u64 {
        stores
            .appeals
            .insert_appeal(new_appeal(&o.station_a, n))
            .await
            .unwrap();
    }
    let mine = stores
        .contacts
        .appeals_by_phone_hash(b"hash-1", 10)
        .await
        .unwrap();
    assert_eq!(mine.len(), 3);
    assert!(
        mine.windows(2).all(|w| w[0].received_at > w[1].received_at),
        "newest first"
    );
    assert_eq!(
        stores
            .contacts
            .appeals_by_phone_hash(b"hash-1", 2)
            .await
            .unwrap()
            .len(),
        2
    );

    assert_eq!(
        stores.settings.setting("deadline.policy").await.unwrap(),
        None
    );
    stores
        .settings
        .put_setting("deadline.policy", "{\"a\":1}")
        .await
        .unwrap();
    stores
        .settings
        .put_setting("deadline.policy", "{\"a\":2}")
        .await
        .unwrap();
    assert_eq!(
        stores
            .settings
            .setting("deadline.policy")
            .await
            .unwrap()
            .as_deref(),
        Some("{\"a\":2}")
    );
    assert!(stores.catalog.reply_templates().await.unwrap().is_empty());
    let t = stores
        .catalog
        .create_reply_template("感谢", "感谢您的反映。")
        .await
        .unwrap();
    assert_eq!(stores.catalog.reply_templates().await.unwrap(), vec![t]);
    assert!(matches!(
        stores.maintenance.backend(),
        "sqlite" | "postgres"
    ));
}
