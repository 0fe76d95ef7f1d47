//! Loading: organisation first, then appeals in batches through the bulk insert, with
//! generation on its own thread so that it overlaps the database work.

use std::time::Instant;

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use police_square_domain::{pii::mask_address, pii::Phone, Millis, Status};
use police_square_store::{
    vault::Vault, Actor, AppealChange, AppealPatch, BulkHistory, Id, NewAppeal, NewEvent,
    NewRequest, RequestKind, SealedContact, Stores,
};

use crate::appeals::{fake_name, fake_phone, Generated, Generator, HandoffPlan, Org, RequestPlan};
use crate::calendar::HOLIDAYS_CSV;
use crate::departments::{self, REPLY_TEMPLATES};
use crate::staff::{self, generate_password};
use crate::texts::{engine_indexer, Indexer};
use crate::units::UnitTree;
use crate::{DemoOptions, DemoSummary};

/// Setting key of the holiday calendar CSV (the server's `SETTING_WORK_CALENDAR`).
pub const WORK_CALENDAR_SETTING: &str = "work_calendar";
/// Appeals per `insert_appeals_bulk` call.
const BATCH: usize = 5_000;
/// Hand-offs and supervisor requests go through the ordinary (per-appeal) store calls,
/// so their number is capped for very large loads.
const HANDOFF_CAP: usize = 2_000;
const REQUEST_CAP: usize = 300;

/// Fill an EMPTY database with the demo data. Refuses if any unit exists. Search text
/// is segmented by the text engine, like the server does at intake.
pub async fn load(
    stores: &Stores,
    vault: &Vault,
    opts: &DemoOptions,
    now: Millis,
) -> anyhow::Result<DemoSummary> {
    load_with(stores, vault, opts, now, engine_indexer()).await
}

/// [`load`] with another search-text segmentation (called once per distinct template
/// piece, not per appeal).
pub async fn load_with(
    stores: &Stores,
    vault: &Vault,
    opts: &DemoOptions,
    now: Millis,
    indexer: Indexer,
) -> anyhow::Result<DemoSummary> {
    let started = Instant::now();
    if !stores
        .org
        .units()
        .await
        .context("reading units")?
        .is_empty()
    {
        bail!(
            "this database already has units: demo data only fills an empty database \
             (point POLICE_SQUARE_DATABASE_URL at a new one)"
        );
    }
    let tree = UnitTree::create(stores.org.as_ref()).await?;
    let units = UnitTree::plan().len();
    let password = opts.password.clone().unwrap_or_else(generate_password);
    let (logins, staff) = staff::create(stores.org.as_ref(), &tree, &password).await?;
    let departments = departments::create(stores.catalog.as_ref()).await?;
    // The calendar the demo deadlines were computed with becomes the server's calendar
    // (the key the server reads its admin-loaded calendar from).
    if stores
        .settings
        .setting(WORK_CALENDAR_SETTING)
        .await?
        .is_none()
    {
        stores
            .settings
            .put_setting(WORK_CALENDAR_SETTING, HOLIDAYS_CSV)
            .await
            .context("storing the demo work calendar")?;
    }
    let org = Org {
        tree,
        staff,
        departments,
    };

    let mut generator = Generator::new(org, opts.seed, opts.appeals, now, indexer);
    let total = opts.appeals;

    let bar = if opts.progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "演示诉求 {bar:40.cyan/blue} {human_pos}/{human_len} {per_sec} 剩余 {eta}",
            )
            .expect("valid template"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };

    // Generation (and sealing) on a thread of its own; the database work overlaps it.
    let appeals_started = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
    let vault_for_gen = vault.clone();
    let producer = std::thread::spawn(move || {
        let pool = ContactPool::new(&vault_for_gen, generator.callers());
        let mut left = total;
        let mut by_status = [0usize; 8];
        let mut budget = Budget {
            handoffs: HANDOFF_CAP,
            requests: REQUEST_CAP,
        };
        while left > 0 {
            let n = left.min(BATCH);
            left -= n;
            let mut batch = Batch::default();
            batch.appeals.reserve(n);
            for _ in 0..n {
                let g = generator.next_appeal();
                by_status[status_index(g.status)] += 1;
                batch.push(g, &pool, &vault_for_gen, &mut budget);
            }
            if tx.blocking_send(batch).is_err() {
                break; // the loader stopped on an error
            }
        }
        (by_status, generator.org().staff.clone())
    });

    let mut handoffs: Vec<(String, HandoffPlan, Id)> = Vec::new();
    let mut requests: Vec<(String, RequestPlan)> = Vec::new();
    let mut inserted = 0usize;
    while let Some(batch) = rx.recv().await {
        let n = batch.appeals.len();
        handoffs.extend(batch.handoffs);
        requests.extend(batch.requests);
        stores
            .appeals
            .insert_appeals_bulk(batch.appeals)
            .await
            .context("inserting demo appeals")?;
        inserted += n;
        bar.inc(n as u64);
    }
    let (by_status, staff) = producer
        .join()
        .map_err(|_| anyhow::anyhow!("the demo generator panicked"))?;
    bar.finish_and_clear();
    let appeals_elapsed = appeals_started.elapsed();

    // Hand-offs with receipts and pending requests, through the ordinary store calls.
    let mut handoffs_done = 0;
    for (code, plan, unit_id) in &handoffs {
        let appeal = stores
            .appeals
            .appeal_by_tracking_code(code)
            .await?
            .context("a demo appeal just inserted")?;
        let actor = appeal
            .assignee_id
            .or_else(|| staff.handler_of(*unit_id))
            .context("a handler for the hand-off")?;
        let (dept_name, _) = plan.department.info();
        let change = AppealChange {
            appeal_id: appeal.id,
            expected_version: appeal.version,
            actor: Actor::Staff(actor),
            at: plan.sent_at,
            patch: AppealPatch {
                status: Some(Status::Transferred),
                ..AppealPatch::default()
            },
            event: NewEvent {
                kind: "handed_off".into(),
                public: true,
                note: Some(format!("转交{dept_name}办理")),
                from_unit_id: Some(appeal.unit_id),
                to_unit_id: None,
            },
            notify: None,
        };
        let handoff = stores
            .appeals
            .create_handoff(
                change,
                plan.department_id,
                "非警务事项，请按职责办理并反馈结果。",
            )
            .await
            .context("recording a demo hand-off")?;
        if let Some(at) = plan.acknowledged_at {
            stores
                .appeals
                .acknowledge_handoff(handoff.id, "已签收，将在5个工作日内反馈办理结果。", at)
                .await
                .context("acknowledging a demo hand-off")?;
        }
        handoffs_done += 1;
    }
    let mut requests_done = 0;
    for (code, plan) in &requests {
        let appeal = stores
            .appeals
            .appeal_by_tracking_code(code)
            .await?
            .context("a demo appeal just inserted")?;
        let request = match *plan {
            RequestPlan::Extension { at, days } => NewRequest {
                appeal_id: appeal.id,
                kind: RequestKind::Extension,
                reason: "需调取监控并走访当事人，申请延期办理。".into(),
                days: Some(days),
                to_unit_id: None,
                requested_by: appeal.assignee_id,
                requested_at: at,
            },
            RequestPlan::Review { at } => NewRequest {
                appeal_id: appeal.id,
                kind: RequestKind::Review,
                reason: "群众评价不满意，申请复核。".into(),
                days: None,
                to_unit_id: None,
                requested_by: None,
                requested_at: at,
            },
        };
        stores
            .supervision
            .create_request(request)
            .await
            .context("recording a demo request")?;
        requests_done += 1;
    }

    stores
        .rates
        .refresh_stats(now)
        .await
        .context("refreshing statistics")?;
    // Fresh planner statistics: right after a large load the query plans are poor.
    stores
        .maintenance
        .optimize()
        .await
        .context("analysing the database")?;

    let by_status = police_square_domain::Status::ALL
        .iter()
        .map(|s| (*s, by_status[status_index(*s)]))
        .collect();
    Ok(DemoSummary {
        logins,
        password,
        units,
        departments: departments::Dept::ALL.len(),
        reply_templates: REPLY_TEMPLATES.len(),
        appeals: inserted,
        by_status,
        handoffs: handoffs_done,
        requests: requests_done,
        appeals_elapsed,
        elapsed: started.elapsed(),
    })
}

fn status_index(s: Status) -> usize {
    Status::ALL
        .iter()
        .position(|x| *x == s)
        .expect("listed in ALL")
}

/// Sealed contacts of the fake callers, sealed once: repeat callers are realistic
/// (the hotline's caller lookup finds their earlier appeals) and sealing stays cheap.
struct ContactPool(Vec<SealedContact>);

impl ContactPool {
    fn new(vault: &Vault, callers: u32) -> Self {
        Self(
            (0..callers)
                .map(|i| {
                    let phone = Phone::parse(&fake_phone(i)).expect("fake phones are valid");
                    vault.seal_contact(&phone, fake_name(i).as_deref(), None)
                })
                .collect(),
        )
    }
}

#[derive(Default)]
struct Batch {
    appeals: Vec<NewAppeal>,
    handoffs: Vec<(String, HandoffPlan, Id)>,
    requests: Vec<(String, RequestPlan)>,
}

/// How many more hand-offs and requests may be recorded.
struct Budget {
    handoffs: usize,
    requests: usize,
}

impl Batch {
    fn push(&mut self, g: Generated, pool: &ContactPool, vault: &Vault, budget: &mut Budget) {
        let mut contact = pool.0[g.caller as usize].clone();
        if let Some(address) = &g.address {
            contact.address_enc = Some(vault.seal(address));
            contact.address_masked = Some(mask_address(address));
        }
        let mut status = g.status;
        if let Some(plan) = g.handoff {
            // Under the cap, the hand-off is recorded through the store afterwards, which
            // moves the appeal from accepted to transferred with a timeline event.
            if budget.handoffs > 0 {
                budget.handoffs -= 1;
                status = Status::Accepted;
                self.handoffs
                    .push((g.tracking_code.clone(), plan, g.unit_id));
            }
        }
        if let Some(plan) = g.request {
            if budget.requests > 0 {
                budget.requests -= 1;
                self.requests.push((g.tracking_code.clone(), plan));
            }
        }
        let h = g.history;
        self.appeals.push(NewAppeal {
            tracking_code: g.tracking_code,
            idempotency_key: None,
            kind: g.kind,
            channel: g.channel,
            text: g.text,
            search_text: g.search_text,
            category: Some(g.category.to_owned()),
            category_confidence: Some(g.category_confidence),
            category_needs_review: g.category_confidence < 0.5,
            urgency: g.urgency,
            emergency: g.emergency,
            possible_emergency: g.emergency,
            sentiment: Some(g.sentiment.to_owned()),
            unit_id: g.unit_id,
            subject_unit_id: g.subject_unit_id,
            status,
            received_at: g.received_at,
            accept_by: g.accept_by,
            due_at: g.due_at,
            contact,
            recorded_by: g.recorded_by,
            history: Some(BulkHistory {
                accepted_at: h.accepted_at,
                replied_at: h.replied_at,
                closed_at: h.closed_at,
                reply_text: h.reply_text,
                rating: h.rating,
                reopen_count: h.reopen_count,
                supervision_level: h.supervision_level,
                assignee_id: h.assignee_id,
            }),
        });
    }
}
