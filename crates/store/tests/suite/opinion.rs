//! Opinion analysis: corrections and text models, clusters, alerts, and the opinion view.

use super::*;

pub(super) async fn corrections_are_kept_and_models_stored(stores: Stores) {
    let o = org(&stores).await;
    let a = insert(&stores, new_appeal(&o.station_a, 1)).await;
    assert_eq!(stores.learning.latest_correction_id().await.unwrap(), 0);
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
    let a = stores.appeals.apply_change(other).await.unwrap();
    assert!(stores.learning.corrections(0, 10).await.unwrap().is_empty());
    // …a staff member's correction is, with the text it applies to.
    let fix = change(
        &a,
        Actor::Staff(o.handler_a.id),
        T0 + 2 * HOUR,
        AppealPatch {
            category: Some(("public_order".into(), 1.0)),
            category_corrected: true,
            ..Default::default()
        },
        "category_corrected",
    );
    stores.appeals.apply_change(fix).await.unwrap();
    let got = stores.learning.corrections(0, 10).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].appeal_id, a.id);
    assert_eq!(got[0].from_category.as_deref(), Some("traffic"));
    assert_eq!(got[0].to_category, "public_order");
    assert_eq!(got[0].text, a.text);
    assert_eq!(
        stores.learning.latest_correction_id().await.unwrap(),
        got[0].id
    );
    assert!(stores
        .learning
        .corrections(got[0].id, 10)
        .await
        .unwrap()
        .is_empty());

    assert_eq!(stores.learning.latest_text_model().await.unwrap(), None);
    let first = stores
        .learning
        .save_text_model(T0, got[0].id, 1, "{\"m\":1}")
        .await
        .unwrap();
    let second = stores
        .learning
        .save_text_model(T0 + DAY, got[0].id, 1, "{\"m\":2}")
        .await
        .unwrap();
    assert!(second > first);
    let latest = stores.learning.latest_text_model().await.unwrap().unwrap();
    assert_eq!((latest.id, latest.model.as_str()), (second, "{\"m\":2}"));
    assert_eq!(
        stores.learning.latest_text_model_id().await.unwrap(),
        Some(second)
    );
}

pub(super) async fn clusters_link_appeals_and_move_the_cursor(stores: Stores) {
    let o = org(&stores).await;
    let a = insert(&stores, new_appeal(&o.station_a, 1)).await;
    let b = insert(&stores, new_appeal(&o.station_b, 2)).await;
    let c = insert(&stores, new_appeal(&o.other_station, 3)).await;
    let rows = stores.opinion.analysis_rows(0, 0, 10).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![a.id, b.id, c.id]
    );
    assert_eq!(rows[0].search_text, "小区 门口 乱停车");
    assert_eq!(
        stores
            .opinion
            .analysis_rows(a.id, 0, 10)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(stores
        .opinion
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
    let ids = stores
        .opinion
        .save_clusters(&[link], "cluster_cursor", b.id)
        .await
        .unwrap();
    assert_eq!(
        stores.settings.setting("cluster_cursor").await.unwrap(),
        Some(b.id.to_string())
    );
    let cluster = stores.opinion.cluster(ids[0]).await.unwrap().unwrap();
    assert_eq!((cluster.size, cluster.first_appeal_id), (2, a.id));
    assert_eq!(
        stores
            .appeals
            .appeal(a.id)
            .await
            .unwrap()
            .unwrap()
            .cluster_id,
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
    stores
        .opinion
        .save_clusters(&[join], "cluster_cursor", c.id)
        .await
        .unwrap();
    let cluster = stores.opinion.cluster(cluster.id).await.unwrap().unwrap();
    assert_eq!((cluster.size, cluster.last_at), (3, c.received_at));
    // Members are read within a scope.
    let all = stores
        .opinion
        .cluster_appeals(cluster.id, None, false, 10)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|s| s.id).collect::<Vec<_>>(),
        vec![c.id, b.id, a.id]
    );
    let district = stores
        .opinion
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
    assert_eq!(stores.opinion.top_clusters(&q, 5).await.unwrap().len(), 1);
    let elsewhere = OpinionQuery {
        scope: Some(o.other_district.path.clone()),
        ..q.clone()
    };
    assert!(stores
        .opinion
        .top_clusters(&elsewhere, 5)
        .await
        .unwrap()
        .is_empty());
    let later = OpinionQuery {
        from: T0 + 2 * DAY,
        to: T0 + 3 * DAY,
        ..q
    };
    assert!(stores
        .opinion
        .top_clusters(&later, 5)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(stores.opinion.cluster(999_999).await.unwrap(), None);
}

pub(super) async fn alerts_merge_overlapping_bursts_and_respect_scope(stores: Stores) {
    let o = org(&stores).await;
    let mut ids = Vec::new();
    for n in 1..=4 {
        ids.push(insert(&stores, new_appeal(&o.station_a, n)).await.id);
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
    let (id, new) = stores.opinion.save_alert(&alert).await.unwrap();
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
    assert_eq!(
        stores.opinion.save_alert(&again).await.unwrap(),
        (id, false)
    );
    let got = stores.opinion.alert(id).await.unwrap().unwrap();
    assert_eq!((got.period_start, got.period_end), (T0, T0 + 8 * DAY));
    assert_eq!(got.keywords, vec!["电瓶车", "充电", "楼道"]);
    assert_eq!((got.observed, got.appeal_count), (4, 4));
    assert_eq!(got.status, AlertStatus::Open);
    // Different words in the same district are another issue.
    let other = NewEmergingAlert {
        keywords: vec!["诈骗".into()],
        ..alert.clone()
    };
    let (other_id, new) = stores.opinion.save_alert(&other).await.unwrap();
    assert!(new && other_id != id);

    // Scope: the district, its stations and the city see it; the other district not.
    for (scope, seen) in [
        (&o.district.path, 2),
        (&o.station_a.path, 2),
        (&o.city.path, 2),
        (&o.other_district.path, 0),
    ] {
        let found = stores
            .opinion
            .alerts(Some(scope), T0, T0 + 30 * DAY, 10)
            .await
            .unwrap();
        assert_eq!(found.len(), seen, "{scope:?}");
    }
    assert!(stores
        .opinion
        .alerts(None, T0 + 9 * DAY, T0 + 30 * DAY, 10)
        .await
        .unwrap()
        .is_empty());
    let members = stores
        .opinion
        .alert_appeals(id, Some(&o.station_a.path), false, 10)
        .await
        .unwrap();
    assert_eq!(members.len(), 4);
    assert!(stores
        .opinion
        .alert_appeals(id, Some(&o.station_b.path), false, 10)
        .await
        .unwrap()
        .is_empty());

    stores
        .opinion
        .set_alert_status(
            id,
            AlertStatus::Dismissed,
            o.supervisor.id,
            Some("已核实，系误报"),
        )
        .await
        .unwrap();
    let got = stores.opinion.alert(id).await.unwrap().unwrap();
    assert_eq!(got.status, AlertStatus::Dismissed);
    assert_eq!(got.handled_by, Some(o.supervisor.id));
    // A dismissed burst seen again stays dismissed (no new alert).
    assert_eq!(
        stores.opinion.save_alert(&again).await.unwrap(),
        (id, false)
    );

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
    let (sid, new) = stores.opinion.save_alert(&at_station).await.unwrap();
    assert!(new);
    let window = (later, later + 8 * DAY);
    let seen_by = |scope: &police_square_domain::org::UnitPath| {
        let stores = stores.clone();
        let scope = scope.clone();
        async move {
            stores
                .opinion
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
        stores.opinion.save_alert(&district_wide).await.unwrap(),
        (sid, false)
    );
    let got = stores.opinion.alert(sid).await.unwrap().unwrap();
    assert_eq!((got.district_unit_id, got.appeal_count), (o.district.id, 4));
    assert_eq!(seen_by(&o.station_b.path).await, 1);
    // The same words in another district are another issue.
    let elsewhere = NewEmergingAlert {
        district_unit_id: o.other_district.id,
        unit_path: o.other_district.path.clone(),
        ..at_station.clone()
    };
    let (eid, new) = stores.opinion.save_alert(&elsewhere).await.unwrap();
    assert!(new && eid != sid);
    assert!(matches!(
        stores
            .opinion
            .set_alert_status(999_999, AlertStatus::Open, o.supervisor.id, None)
            .await,
        Err(StoreError::NotFound)
    ));
}

pub(super) async fn opinion_view_counts_by_dimension(stores: Stores) {
    let o = org(&stores).await;
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
        insert(&stores, a).await;
    }
    insert(&stores, new_appeal(&o.other_station, 10)).await;
    let q = OpinionQuery {
        scope: Some(o.district.path.clone()),
        include_conduct: true,
        from: T0 - DAY,
        to: T0 + 10 * DAY,
        settled_before: Millis::MIN,
    };
    let v = stores.opinion.opinion(&q).await.unwrap();
    // The pre-aggregated days give the same view as counting live, for any edges.
    stores.rates.refresh_stats(T0 + 20 * DAY).await.unwrap();
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
            stores.opinion.opinion(&settled).await.unwrap(),
            stores.opinion.opinion(&live).await.unwrap(),
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
    let v = stores
        .opinion
        .opinion(&OpinionQuery {
            include_conduct: false,
            ..q.clone()
        })
        .await
        .unwrap();
    assert_eq!((v.total, count(&v.by_category, "conduct")), (8, None));
    let v = stores
        .opinion
        .opinion(&OpinionQuery {
            scope: Some(o.station_b.path.clone()),
            ..q
        })
        .await
        .unwrap();
    assert_eq!(v.total, 3);
}
