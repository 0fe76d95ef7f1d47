//! Handling (办理) by staff: inbox, detail, accept (首接负责), assign, transfer (转办),
//! hand-off to an external department (转交), reply (答复), extension request (延期),
//! close (办结), reject (不予受理), and the audited reveal of personal data.

pub mod api;
pub mod console;
pub mod openapi;
pub mod staff_api;

use chrono::NaiveDate;
use police_square_domain::{
    calendar::{local_midnight, to_local, DAY_MS},
    deadline::DeadlineState,
    free_text::{LongText, Remark},
    reply, Action, AppealKind, Channel, Millis, Status,
};
use police_square_store::{
    Actor, Appeal, AppealEvent, AppealPatch, AppealSummary, Handoff, Id, InboxQuery, NewAudit,
    NewRequest, Page, ReplyTemplate, Request, RequestKind, Staff,
};
use serde::{Deserialize, Serialize};

use super::{
    lifecycle::{
        access::{self, Need},
        commit, event,
    },
    notices,
};
use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

pub const PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;

// ── reading ─────────────────────────────────────────────────────────────

/// Inbox filters (all optional). `page` is zero-based.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxFilter {
    pub status: Option<Status>,
    pub kind: Option<AppealKind>,
    pub category: Option<String>,
    pub channel: Option<Channel>,
    #[serde(default)]
    pub overdue: bool,
    #[serde(default)]
    pub supervised: bool,
    /// Only cases assigned to the caller.
    #[serde(default)]
    pub mine: bool,
    /// Only open cases, the work still to do (the console's 待办 tab; `status` wins).
    #[serde(skip)]
    pub open_only: bool,
    /// Only this unit's subtree (a unit inside the caller's scope).
    pub unit: Option<Id>,
    /// Received on or after / on or before these China-time days.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[serde(default)]
    pub page: u32,
    pub page_size: Option<u32>,
}

/// The caller's unit inbox: their subtree, emergencies first, newest first; `conduct`
/// complaints only for supervisors and admins.
pub async fn inbox(
    state: &AppState,
    staff: &Staff,
    filter: &InboxFilter,
) -> AppResult<Page<AppealSummary>> {
    let query = inbox_query(state, staff, filter)?;
    Ok(visible(
        state,
        staff,
        state.stores.appeals.inbox(&query).await?,
    ))
}

fn inbox_query(state: &AppState, staff: &Staff, filter: &InboxFilter) -> AppResult<InboxQuery> {
    let scope = match filter.unit {
        Some(unit) => access::unit_in_scope(state, staff, Some(unit))?.path,
        None => staff.unit_path.clone(),
    };
    let received = match (filter.from, filter.to) {
        (None, None) => None,
        (from, to) => Some((
            from.map(local_midnight).unwrap_or(Millis::MIN),
            to.map(|d| local_midnight(d + chrono::Duration::days(1)))
                .unwrap_or(Millis::MAX),
        )),
    };
    Ok(InboxQuery {
        scope: Some(scope),
        received,
        include_conduct: staff.role.sees_conduct(),
        statuses: match filter.status {
            Some(status) => vec![status],
            None if filter.open_only => Status::ALL
                .iter()
                .copied()
                .filter(|s| s.is_open())
                .collect(),
            None => Vec::new(),
        },
        kind: filter.kind,
        category: filter.category.clone(),
        channel: filter.channel,
        overdue_only: filter.overdue,
        supervised_only: filter.supervised,
        assignee_id: filter.mine.then_some(staff.id),
        now: state.now(),
        page: filter.page,
        page_size: filter
            .page_size
            .unwrap_or(PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE),
        ..Default::default()
    })
}

/// Belt and braces: the accused unit's own supervisors never see a conduct case.
fn visible(state: &AppState, staff: &Staff, mut page: Page<AppealSummary>) -> Page<AppealSummary> {
    if staff.role.sees_conduct() {
        let org = state.org();
        page.items.retain(|s| {
            s.category.as_deref() != Some(police_square_domain::Category::CONDUCT)
                || staff.role == police_square_domain::Role::Admin
                || org
                    .unit(s.unit_id)
                    .is_some_and(|u| staff.unit_path.contains(&u.path))
        });
    }
    page
}

/// The top of the 待办 tab: open cases in the caller's scope flagged 可能紧急 (an
/// emergency is always one), newest first, at most `limit`.
pub async fn possibly_urgent(
    state: &AppState,
    staff: &Staff,
    limit: u32,
) -> AppResult<Vec<AppealSummary>> {
    let filter = InboxFilter {
        open_only: true,
        page_size: Some(limit),
        ..Default::default()
    };
    let mut query = inbox_query(state, staff, &filter)?;
    query.possible_only = true;
    Ok(visible(state, staff, state.stores.appeals.inbox(&query).await?).items)
}

/// How many open cases of each status the caller's scope holds (the 待办 counts).
pub async fn open_counts(state: &AppState, staff: &Staff) -> AppResult<Vec<(Status, i64)>> {
    Ok(state
        .stores
        .appeals
        .open_counts(&staff.unit_path, staff.role.sees_conduct())
        .await?)
}

/// Everything the case page shows.
#[derive(Debug, Clone, Serialize)]
pub struct AppealDetail {
    pub appeal: Appeal,
    pub unit_name: Option<String>,
    pub subject_unit_name: Option<String>,
    pub deadline_state: DeadlineState,
    /// All events, internal ones included.
    pub events: Vec<AppealEvent>,
    pub handoffs: Vec<Handoff>,
    pub requests: Vec<Request>,
    /// What the caller may do now (see [`access::allowed_actions`]).
    pub actions: Vec<&'static str>,
}

pub async fn detail(state: &AppState, staff: &Staff, id: Id) -> AppResult<AppealDetail> {
    let appeal = access::load(state, staff, id, Need::Read).await?;
    let org = state.org_knowing(appeal.unit_id).await?;
    let (events, handoffs, requests) = tokio::try_join!(
        state.stores.appeals.events(id),
        state.stores.appeals.handoffs(id),
        state.stores.supervision.requests_for(id),
    )?;
    Ok(AppealDetail {
        unit_name: org.name(appeal.unit_id).map(str::to_owned),
        subject_unit_name: appeal
            .subject_unit_id
            .and_then(|u| org.name(u))
            .map(str::to_owned),
        deadline_state: state.settings().policy.state(appeal.due_at, state.now()),
        actions: access::allowed_actions(staff, &appeal),
        events,
        handoffs,
        requests,
        appeal,
    })
}

// ── acting ──────────────────────────────────────────────────────────────

/// 首接负责: the caller's unit takes ownership (also after a transfer to it).
pub async fn accept(state: &AppState, staff: &Staff, id: Id) -> AppResult<Appeal> {
    let appeal = access::load(state, staff, id, Need::Handle).await?;
    let patch = AppealPatch {
        accepted_at: Some(appeal.accepted_at.unwrap_or(state.now())),
        // 首接负责: whoever accepts owns the case until it is assigned to someone else.
        assignee_id: appeal.assignee_id.is_none().then_some(Some(staff.id)),
        ..Default::default()
    };
    commit(
        state,
        &appeal,
        Actor::Staff(staff.id),
        Some(Action::Accept),
        patch,
        event("accepted", true, None),
        None,
    )
    .await
}

/// Give the case to an officer of the owning unit (or a unit below it).
pub async fn assign(state: &AppState, staff: &Staff, id: Id, assignee_id: Id) -> AppResult<Appeal> {
    let appeal = access::load(state, staff, id, Need::Handle).await?;
    let assignee = state
        .stores
        .org
        .staff(assignee_id)
        .await?
        .filter(|s| !s.disabled && s.role.handles_appeals())
        .ok_or_else(|| {
            AppError::Unprocessable(format!(
                "invalid value for assignee_id: no active handler {assignee_id}"
            ))
        })?;
    if !appeal.unit_path.contains(&assignee.unit_path) {
        return Err(AppError::Unprocessable(
            "invalid value for assignee_id: the officer is not in the owning unit".into(),
        ));
    }
    let patch = AppealPatch {
        assignee_id: Some(Some(assignee.id)),
        ..Default::default()
    };
    commit(
        state,
        &appeal,
        Actor::Staff(staff.id),
        Some(Action::Assign),
        patch,
        event("assigned", false, Some(assignee.display_name.clone())),
        None,
    )
    .await
}

/// Result of a transfer: done at once, or waiting for a supervisor
/// (`transfer_requires_approval`).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TransferOutcome {
    Transferred { appeal: Box<Appeal> },
    Requested { request: Request },
}

/// 转办: move the case to another police unit, which must accept it.
pub async fn transfer(
    state: &AppState,
    staff: &Staff,
    id: Id,
    to_unit_id: Id,
    reason: &str,
) -> AppResult<TransferOutcome> {
    let appeal = access::load(state, staff, id, Need::Handle).await?;
    let reason = Remark::parse("reason", reason)?.into_inner();
    let org = state.org_knowing(to_unit_id).await?;
    if org.unit(to_unit_id).is_none() {
        return Err(AppError::Unprocessable(format!(
            "invalid value for to_unit_id: no unit {to_unit_id}"
        )));
    }
    if to_unit_id == appeal.unit_id {
        return Err(AppError::Unprocessable(
            "invalid value for to_unit_id: the appeal is already there".into(),
        ));
    }
    // Check the lifecycle now, so a request is never filed for an impossible move.
    appeal.status.apply(Action::Transfer)?;
    if state.config.transfer_requires_approval && !staff.role.supervises() {
        let request = state
            .stores
            .supervision
            .create_request(NewRequest {
                appeal_id: appeal.id,
                kind: RequestKind::Transfer,
                reason,
                days: None,
                to_unit_id: Some(to_unit_id),
                requested_by: Some(staff.id),
                requested_at: state.now(),
            })
            .await?;
        return Ok(TransferOutcome::Requested { request });
    }
    let appeal = apply_transfer(state, &appeal, Actor::Staff(staff.id), to_unit_id, reason).await?;
    Ok(TransferOutcome::Transferred {
        appeal: Box::new(appeal),
    })
}

/// The transfer change itself (also used when a supervisor approves a request).
pub(crate) fn transfer_change(
    appeal: &Appeal,
    to_unit_id: Id,
    reason: String,
) -> (AppealPatch, police_square_store::NewEvent) {
    let patch = AppealPatch {
        unit_id: Some(to_unit_id),
        assignee_id: Some(None),
        ..Default::default()
    };
    let mut ev = event("transferred", true, Some(reason));
    ev.from_unit_id = Some(appeal.unit_id);
    ev.to_unit_id = Some(to_unit_id);
    (patch, ev)
}

async fn apply_transfer(
    state: &AppState,
    appeal: &Appeal,
    actor: Actor,
    to_unit_id: Id,
    reason: String,
) -> AppResult<Appeal> {
    let (patch, ev) = transfer_change(appeal, to_unit_id, reason);
    commit(
        state,
        appeal,
        actor,
        Some(Action::Transfer),
        patch,
        ev,
        None,
    )
    .await
}

/// 转交: hand the case to an external (non-police) department; the owning unit
/// follows up, records the department's receipt and replies to the resident.
pub async fn hand_off(
    state: &AppState,
    staff: &Staff,
    id: Id,
    department_id: Id,
    note: &str,
) -> AppResult<Handoff> {
    let appeal = access::load(state, staff, id, Need::Handle).await?;
    let note = Remark::parse("note", note)?.into_inner();
    let departments = state.stores.catalog.departments().await?;
    let department = departments
        .iter()
        .find(|d| d.id == department_id)
        .ok_or_else(|| {
            AppError::Unprocessable(format!(
                "invalid value for department_id: no department {department_id}"
            ))
        })?;
    let change = police_square_store::AppealChange {
        appeal_id: appeal.id,
        expected_version: appeal.version,
        actor: Actor::Staff(staff.id),
        at: state.now(),
        patch: AppealPatch {
            status: Some(appeal.status.apply(Action::HandOff)?),
            ..Default::default()
        },
        // The department's name is public; the note may be internal.
        event: event("handed_off", true, Some(department.name.clone())),
        notify: None,
    };
    Ok(state
        .stores
        .appeals
        .create_handoff(change, department.id, &note)
        .await?)
}

/// 回执: record that the department acknowledged receipt.
pub async fn acknowledge_handoff(
    state: &AppState,
    staff: &Staff,
    handoff_id: Id,
    appeal_id: Id,
    receipt: &str,
) -> AppResult<Handoff> {
    access::load(state, staff, appeal_id, Need::Handle).await?;
    let receipt = Remark::parse("receipt", receipt)?.into_inner();
    let known = state.stores.appeals.handoffs(appeal_id).await?;
    let handoff = known
        .iter()
        .find(|h| h.id == handoff_id)
        .ok_or(AppError::NotFound)?;
    if handoff.acknowledged_at.is_some() {
        return Err(AppError::Conflict("hand-off already acknowledged".into()));
    }
    Ok(state
        .stores
        .appeals
        .acknowledge_handoff(handoff_id, &receipt, state.now())
        .await?)
}

/// A reply: free text, or a reply template's body with its fields filled in (text wins
/// when both are given). Either way a reply still holding a placeholder is refused.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyInput {
    pub text: Option<String>,
    pub template_id: Option<Id>,
}

/// The reply templates that fit this appeal's kind and category, bodies filled in for
/// it, for the handler to edit before sending.
pub async fn templates_for(state: &AppState, appeal: &Appeal) -> AppResult<Vec<ReplyTemplate>> {
    let fields = template_fields(state, appeal);
    Ok(state
        .stores
        .catalog
        .reply_templates()
        .await?
        .into_iter()
        .filter(|t| t.fits(appeal.kind, appeal.category.as_deref()))
        .map(|t| ReplyTemplate {
            body: reply::fill(&t.body, &fields),
            ..t
        })
        .collect())
}

fn template_fields(state: &AppState, appeal: &Appeal) -> reply::TemplateFields {
    let day = |at: Millis| to_local(at).format("%Y年%-m月%-d日").to_string();
    reply::TemplateFields {
        unit: state
            .org()
            .name(appeal.unit_id)
            .unwrap_or_default()
            .to_owned(),
        // Units have no public phone of their own yet: the police service hotline.
        phone: "96110".into(),
        date: day(state.now()),
        received: day(appeal.received_at),
    }
}

/// 答复: answer the resident, who is notified by SMS and may then rate the reply.
pub async fn reply(
    state: &AppState,
    staff: &Staff,
    id: Id,
    input: &ReplyInput,
) -> AppResult<Appeal> {
    let appeal = access::load(state, staff, id, Need::Handle).await?;
    let text = match (&input.text, input.template_id) {
        (Some(t), _) if !t.trim().is_empty() => t.clone(),
        (_, Some(template_id)) => templates_for(state, &appeal)
            .await?
            .into_iter()
            .find(|t| t.id == template_id)
            .map(|t| t.body)
            .ok_or_else(|| {
                AppError::Unprocessable(format!(
                    "invalid value for template_id: no template {template_id} fits this appeal"
                ))
            })?,
        _ => {
            return Err(AppError::Unprocessable(
                "invalid value for text: give text or template_id".into(),
            ))
        }
    };
    let text = LongText::parse("text", &text)?.into_inner();
    reply::check_reply(&text)?;
    let now = state.now();
    let patch = AppealPatch {
        replied_at: Some(now),
        reply_text: Some(text),
        // 首接负责: a reply without an earlier acceptance makes the replier the owner.
        assignee_id: appeal.assignee_id.is_none().then_some(Some(staff.id)),
        ..Default::default()
    };
    let notice = notices::to_resident(state, &appeal, "reply_ready", &[]).await?;
    commit(
        state,
        &appeal,
        Actor::Staff(staff.id),
        Some(Action::Reply),
        patch,
        event("replied", true, None),
        notice,
    )
    .await
}

/// 延期: ask a supervisor for more working days.
pub async fn request_extension(
    state: &AppState,
    staff: &Staff,
    id: Id,
    days: u32,
    reason: &str,
) -> AppResult<Request> {
    let appeal = access::load(state, staff, id, Need::Handle).await?;
    if !appeal.status.is_open() {
        return Err(AppError::Conflict(format!(
            "cannot extend an appeal in status {}",
            appeal.status
        )));
    }
    if !(1..=30).contains(&days) {
        return Err(AppError::Unprocessable(
            "invalid value for days: 1 to 30 working days".into(),
        ));
    }
    let reason = Remark::parse("reason", reason)?.into_inner();
    Ok(state
        .stores
        .supervision
        .create_request(NewRequest {
            appeal_id: appeal.id,
            kind: RequestKind::Extension,
            reason,
            days: Some(days as i32),
            to_unit_id: None,
            requested_by: Some(staff.id),
            requested_at: state.now(),
        })
        .await?)
}

/// 办结 by staff: only once the resident's rating window has passed unrated.
pub async fn close(state: &AppState, staff: &Staff, id: Id) -> AppResult<Appeal> {
    let appeal = access::load(state, staff, id, Need::Handle).await?;
    let now = state.now();
    let window = state.config.rating_window_days * DAY_MS;
    if let Some(replied_at) = appeal.replied_at {
        if appeal.status == Status::Replied && now < replied_at + window {
            return Err(AppError::Conflict(
                "the resident may still rate the reply; close after the rating window".into(),
            ));
        }
    }
    commit(
        state,
        &appeal,
        Actor::Staff(staff.id),
        Some(Action::Close),
        AppealPatch {
            closed_at: Some(now),
            ..Default::default()
        },
        event("closed", true, None),
        None,
    )
    .await
}

/// 不予受理, with the reason as the reply the resident reads.
pub async fn reject(state: &AppState, staff: &Staff, id: Id, reason: &str) -> AppResult<Appeal> {
    let appeal = access::load(state, staff, id, Need::Handle).await?;
    let reason = Remark::parse("reason", reason)?.into_inner();
    let now = state.now();
    let notice = notices::to_resident(state, &appeal, "rejected", &[]).await?;
    commit(
        state,
        &appeal,
        Actor::Staff(staff.id),
        Some(Action::Reject),
        AppealPatch {
            replied_at: Some(now),
            closed_at: Some(now),
            reply_text: Some(reason.clone()),
            ..Default::default()
        },
        event("rejected", true, Some(reason)),
        notice,
    )
    .await
}

/// The resident's contact details in clear.
#[derive(Debug, Clone, Serialize)]
pub struct RevealedContact {
    pub phone: String,
    pub name: Option<String>,
    pub address: Option<String>,
}

/// Decrypt the resident's contact details; every reveal is audited (`pii.reveal`).
pub async fn reveal_contact(state: &AppState, staff: &Staff, id: Id) -> AppResult<RevealedContact> {
    let appeal = access::load(state, staff, id, Need::Reveal).await?;
    let contact = state
        .stores
        .contacts
        .appeal_contact(appeal.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let open = |sealed: &[u8]| state.vault.open(sealed).map_err(AppError::internal);
    let revealed = RevealedContact {
        phone: open(&contact.phone_enc)?,
        name: contact.name_enc.as_deref().map(open).transpose()?,
        address: contact.address_enc.as_deref().map(open).transpose()?,
    };
    // Audit before answering: no reveal without its trace.
    let fields: Vec<&str> = [
        Some("phone"),
        revealed.name.as_ref().map(|_| "name"),
        revealed.address.as_ref().map(|_| "address"),
    ]
    .into_iter()
    .flatten()
    .collect();
    state
        .stores
        .audit
        .audit(NewAudit {
            at: state.now(),
            actor: Actor::Staff(staff.id).label(),
            action: "pii.reveal".into(),
            subject: format!("appeal:{}", appeal.id),
            detail: fields.join(","),
        })
        .await?;
    Ok(revealed)
}
