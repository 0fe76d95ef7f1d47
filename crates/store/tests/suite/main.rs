//! One storage test suite, run against both backends: every `async fn` listed in
//! `suite!` below becomes `sqlite::<name>` and `postgres::<name>`, each on a fresh,
//! migrated database. PostgreSQL tests need a server (see `testing::fresh_postgres`):
//! a missing server fails them.
//!
//! This file holds the shared fixtures and the list; the tests live in the modules
//! below by what they cover, each `pub(super)` and glob-imported here, so the list
//! (and the test names) stay flat: `sqlite::idempotent_insert`, not
//! `sqlite::appeals::idempotent_insert`.

use police_square_domain::audit::{link_hash, AuditRecord, GENESIS};
use police_square_domain::{AppealKind, Channel, Millis, Role, Status, UnitKind, Urgency};
use police_square_store::*;

#[macro_use]
#[path = "../support/mod.rs"]
mod support;
use support::unit;

mod admin;
mod appeals;
mod audit_and_jobs;
mod inbox;
mod login_failures;
mod opinion;
mod rates;
mod reports;
mod search;
mod search_windows;
mod staff_and_requests;

use admin::*;
use appeals::*;
use audit_and_jobs::*;
use inbox::*;
use login_failures::*;
use opinion::*;
use rates::*;
use reports::*;
use search::*;
use search_windows::*;
use staff_and_requests::*;

suite!(
    units_staff_and_sessions,
    staff_are_found_by_ids_in_one_call,
    idempotent_insert,
    concurrent_inserts_are_all_acknowledged_and_present,
    stale_version_is_a_conflict,
    transfer_moves_unit_path_and_scope,
    inbox_filters_paging_and_order,
    audit_chain_links_across_concurrent_writers,
    audit_checkpoints_round_trip,
    job_claims_are_exclusive,
    jobs_unique_keys_and_expired_leases,
    outbox_claim_fail_retry,
    rate_counts_match_hand_computation,
    rate_limits_count_per_window,
    login_failures_are_read_per_pair_address_and_account,
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
    units_are_edited_moved_and_retired,
    staff_registries_and_audit_filters,
    search_matches_every_term_newest_first_with_pages,
    search_finds_bulk_imported_appeals,
    search_filters_period_kind_category_status,
    search_keeps_to_scope_and_hides_conduct_like_the_inbox,
    search_query_syntax_is_never_interpreted,
    search_without_terms_finds_nothing,
    search_beyond_the_newest_appeals_finds_old_matches,
    search_follows_transfers_reclassification_and_exact_periods,
    search_answers_common_words_from_the_newest_ids;
    raw:
    aggregates_count_the_period_and_scope,
    clusters_alerts_and_quote_candidates,
    drafts_publishing_and_annotations,
);

// ── fixtures ────────────────────────────────────────────────────────────

pub(crate) const T0: Millis = 1_750_000_000_000; // 2025-06-15
pub(crate) const HOUR: Millis = 3_600_000;
pub(crate) const DAY: Millis = 24 * HOUR;

pub(crate) struct Org {
    city: Unit,
    district: Unit,
    station_a: Unit,
    station_b: Unit,
    other_district: Unit,
    other_station: Unit,
    handler_a: Staff,
    supervisor: Staff,
}

pub(crate) async fn staff(stores: &Stores, username: &str, role: Role, unit: &Unit) -> Staff {
    stores
        .org
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

pub(crate) async fn org(stores: &Stores) -> Org {
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
    let handler_a = staff(stores, "handler_a", Role::Handler, &station_a).await;
    let supervisor = staff(stores, "supervisor", Role::Supervisor, &district).await;
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

pub(crate) fn new_appeal(unit: &Unit, n: u64) -> NewAppeal {
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
        possible_emergency: false,
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

pub(crate) async fn insert(stores: &Stores, a: NewAppeal) -> Appeal {
    let id = stores.appeals.insert_appeal(a).await.unwrap().id();
    stores.appeals.appeal(id).await.unwrap().unwrap()
}

pub(crate) fn event(kind: &str) -> NewEvent {
    NewEvent {
        kind: kind.into(),
        public: true,
        note: None,
        from_unit_id: None,
        to_unit_id: None,
    }
}

pub(crate) fn change(
    a: &Appeal,
    actor: Actor,
    at: Millis,
    patch: AppealPatch,
    kind: &str,
) -> AppealChange {
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

pub(crate) fn accept(a: &Appeal, by: &Staff, at: Millis) -> AppealChange {
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

pub(crate) fn verify_chain(entries: &[AuditEntry]) {
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

pub(crate) async fn all_audit(stores: &Stores) -> Vec<AuditEntry> {
    let mut out = Vec::new();
    loop {
        let after = out.last().map_or(0, |e: &AuditEntry| e.seq);
        let page = stores.audit.audit_entries(after, 500).await.unwrap();
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

pub(crate) fn inbox_query(scope: &Unit) -> InboxQuery {
    InboxQuery {
        scope: Some(scope.path.clone()),
        now: T0,
        page_size: 20,
        ..Default::default()
    }
}
