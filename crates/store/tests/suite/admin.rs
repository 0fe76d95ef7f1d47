//! Administration: units with their profile edited, moved and retired; staff edited;
//! departments and templates retired; the audit-log viewer's filters.

use super::*;

const ADMIN: &str = "staff:1";

fn profile(code: &str) -> UnitProfile {
    UnitProfile {
        code: Some(code.into()),
        district: "吴兴区".into(),
        duty_phone: "0572-2000000".into(),
        address: "某路1号".into(),
        hours: "8:30-17:30".into(),
        retired: false,
    }
}

pub(super) async fn units_are_edited_moved_and_retired(stores: Stores) {
    let o = org(&stores).await;
    let added = stores
        .org
        .add_unit(
            NewUnit {
                parent_id: Some(o.district.id),
                name: "织里派出所".into(),
                kind: UnitKind::Station,
            },
            profile("330502009"),
            ADMIN,
            T0,
        )
        .await
        .unwrap();
    assert_eq!(added.profile, profile("330502009"));
    assert_eq!(added.path, o.district.path.child(added.id));
    // The code is the natural key of a re-import: it cannot be taken twice.
    let taken = stores
        .org
        .add_unit(
            NewUnit {
                parent_id: None,
                name: "另一个".into(),
                kind: UnitKind::Office,
            },
            profile("330502009"),
            ADMIN,
            T0,
        )
        .await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");

    // Rename and retire.
    let mut retired = profile("330502009");
    retired.retired = true;
    let edited = stores
        .org
        .update_unit(
            added.id,
            UnitEdit {
                name: "织里镇派出所".into(),
                kind: UnitKind::Station,
                profile: retired.clone(),
            },
            ADMIN,
            T0 + 1,
        )
        .await
        .unwrap();
    assert_eq!(edited.name, "织里镇派出所");
    assert!(edited.profile.retired);
    let listed = stores.org.units().await.unwrap();
    assert_eq!(listed.iter().find(|u| u.id == added.id), Some(&edited));

    // Move a station that has an appeal to the other district: the appeal's copied
    // path moves too, so the new district's scope sees it and the old one does not.
    let a = insert(&stores, new_appeal(&o.station_a, 1)).await;
    let moved = stores
        .org
        .move_unit(o.station_a.id, Some(o.other_district.id), ADMIN, T0 + 2)
        .await
        .unwrap();
    assert_eq!(moved.parent_id, Some(o.other_district.id));
    assert_eq!(moved.path, o.other_district.path.child(o.station_a.id));
    assert_eq!(
        stores
            .appeals
            .appeal(a.id)
            .await
            .unwrap()
            .unwrap()
            .unit_path,
        moved.path
    );
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
    assert!(stores
        .appeals
        .inbox(&inbox_query(&o.district))
        .await
        .unwrap()
        .items
        .is_empty());
    // Staff of the moved unit are in the new scope.
    let in_new = stores
        .org
        .staff_in(&o.other_district.path, None)
        .await
        .unwrap();
    assert!(in_new.iter().any(|s| s.id == o.handler_a.id));

    // Not under itself nor under a sub-unit; not under a unit that does not exist.
    let cycle = stores
        .org
        .move_unit(o.other_district.id, Some(o.station_a.id), ADMIN, T0)
        .await;
    assert!(matches!(cycle, Err(StoreError::Conflict(_))), "{cycle:?}");
    let gone = stores
        .org
        .move_unit(o.station_b.id, Some(999_999), ADMIN, T0)
        .await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
    // A failed move changed nothing.
    let b = stores
        .org
        .units()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.id == o.station_b.id)
        .unwrap();
    assert_eq!(b.path, o.station_b.path);

    // Each change is audited with its subject.
    let trail = stores
        .audit
        .audit_search(&AuditQuery {
            action: Some("unit".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["unit.moved", "unit.updated", "unit.created"]);
    assert!(trail.iter().all(|e| e.actor == ADMIN));
    assert_eq!(trail[1].subject, format!("unit:{}", added.id));
}

pub(super) async fn staff_registries_and_audit_filters(stores: Stores) {
    let o = org(&stores).await;
    let s = stores
        .org
        .add_staff(
            NewStaff {
                username: "li.na".into(),
                display_name: "李娜".into(),
                role: Role::Handler,
                unit_id: o.station_a.id,
                password_hash: "$argon2id$fake".into(),
            },
            ADMIN,
            T0,
        )
        .await
        .unwrap();
    let edited = stores
        .org
        .update_staff(
            s.id,
            StaffEdit {
                display_name: "李娜".into(),
                role: Role::Supervisor,
                unit_id: o.district.id,
            },
            ADMIN,
            T0 + DAY,
        )
        .await
        .unwrap();
    assert_eq!(
        (edited.role, edited.unit_id),
        (Role::Supervisor, o.district.id)
    );
    assert_eq!(edited.unit_path, o.district.path);
    let bad_unit = stores
        .org
        .update_staff(
            s.id,
            StaffEdit {
                display_name: "李娜".into(),
                role: Role::Handler,
                unit_id: 999_999,
            },
            ADMIN,
            T0,
        )
        .await;
    assert!(
        matches!(bad_unit, Err(StoreError::NotFound)),
        "{bad_unit:?}"
    );

    // Retired departments and templates stay in the registry, not in the choices.
    let d = stores
        .catalog
        .create_department("市城管局", "0572-1")
        .await
        .unwrap();
    let kept = stores
        .catalog
        .create_department("市市场监管局", "0572-2")
        .await
        .unwrap();
    let d2 = stores
        .catalog
        .update_department(d.id, "市综合执法局", "0572-3", true, ADMIN, T0 + 2 * DAY)
        .await
        .unwrap();
    assert!(d2.retired);
    assert_eq!(
        stores.catalog.departments().await.unwrap(),
        vec![kept.clone()]
    );
    assert_eq!(
        stores.catalog.department_registry().await.unwrap(),
        vec![kept, d2]
    );
    let taken = stores
        .catalog
        .update_department(d.id, "市市场监管局", "", false, ADMIN, T0)
        .await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    let t = stores
        .catalog
        .create_reply_template("咨询答复", "您好……")
        .await
        .unwrap();
    let t2 = stores
        .catalog
        .update_reply_template(
            t.id,
            "咨询答复",
            "您好，经核实……",
            true,
            ADMIN,
            T0 + 3 * DAY,
        )
        .await
        .unwrap();
    assert!(stores.catalog.reply_templates().await.unwrap().is_empty());
    assert_eq!(
        stores.catalog.reply_template_registry().await.unwrap(),
        vec![t2]
    );

    // Filters: subject, actor, action family, time range, and keyset paging.
    let all = |q: AuditQuery| {
        let stores = stores.clone();
        async move {
            stores
                .audit
                .audit_search(&AuditQuery { limit: 100, ..q })
                .await
                .unwrap()
        }
    };
    let of_staff = all(AuditQuery {
        subject: Some(format!("staff:{}", s.id)),
        ..Default::default()
    })
    .await;
    let actions: Vec<&str> = of_staff.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["staff.updated", "staff.created"]);
    assert_eq!(
        all(AuditQuery {
            action: Some("staff".into()),
            ..Default::default()
        })
        .await
        .len(),
        2
    );
    // A family matches whole words only: `staff` is not `staffing`, `unit` not `units`.
    assert!(all(AuditQuery {
        action: Some("staf".into()),
        ..Default::default()
    })
    .await
    .is_empty());
    let in_range = all(AuditQuery {
        from: Some(T0 + DAY),
        to: Some(T0 + 3 * DAY),
        ..Default::default()
    })
    .await;
    let actions: Vec<&str> = in_range.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["department.updated", "staff.updated"]);
    assert!(all(AuditQuery {
        actor: Some("staff:2".into()),
        ..Default::default()
    })
    .await
    .is_empty());
    let mine = all(AuditQuery {
        actor: Some(ADMIN.into()),
        ..Default::default()
    })
    .await;
    assert_eq!(mine.len(), 4);
    let first = stores
        .audit
        .audit_search(&AuditQuery {
            actor: Some(ADMIN.into()),
            limit: 3,
            ..Default::default()
        })
        .await
        .unwrap();
    let rest = stores
        .audit
        .audit_search(&AuditQuery {
            actor: Some(ADMIN.into()),
            before_seq: Some(first.last().unwrap().seq),
            limit: 3,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(first.len(), 3);
    let paged: Vec<i64> = first.iter().chain(&rest).map(|e| e.seq).collect();
    let whole: Vec<i64> = mine.iter().map(|e| e.seq).collect();
    assert_eq!(paged, whole);
}
