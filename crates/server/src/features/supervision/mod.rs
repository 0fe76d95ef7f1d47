//! Supervision (督办): supervisors' decisions on requests (extension 延期, transfer 转办,
//! review 复核), the supervision view, and the deadline scan behind reminders (催办)
//! and escalation (升级督办).

pub mod api;
pub mod jobs;
pub mod openapi;
pub mod page;

use police_square_domain::{calendar::DAY_MS, deadline::DeadlineState, free_text::Remark, Action};
use police_square_store::{
    Actor, AppealChange, AppealPatch, AppealSummary, Id, InboxQuery, Page, Request, RequestKind,
    RequestState, Staff,
};
use serde::Serialize;

use super::{
    handling,
    lifecycle::{
        access::{self, Need},
        commit, event,
    },
    notices::{self, Internal},
};
use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

/// Approve or refuse a pending request. Approval applies its change in the same
/// transaction: an extension moves the due time on the working calendar; a transfer
/// moves the case; a review reopens it (重办) with a fresh deadline. Refusing a review
/// upholds the reply. `comment` is the supervisor's 督办意见, kept on the request;
/// refusing a review needs one (the resident's complaint is answered with a reason).
pub async fn decide_request(
    state: &AppState,
    staff: &Staff,
    request_id: Id,
    approve: bool,
    comment: Option<&str>,
) -> AppResult<Request> {
    let comment = Remark::parse_optional("comment", comment)?.map(Remark::into_inner);
    let request = state
        .stores
        .supervision
        .request(request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let appeal = access::load(state, staff, request.appeal_id, Need::Supervise).await?;
    if request.state != RequestState::Pending {
        return Err(AppError::Conflict("request already decided".into()));
    }
    if !approve && request.kind == RequestKind::Review && comment.is_none() {
        return Err(police_square_domain::DomainError::invalid(
            "comment",
            "a refused review needs a reason",
        )
        .into());
    }
    let now = state.now();
    let change = if approve {
        let settings = state.settings();
        let (action, patch, ev) = match request.kind {
            RequestKind::Extension => {
                let days = request.days.unwrap_or(0).max(0) as u32;
                let due_at = settings
                    .policy
                    .extend(&settings.calendar, appeal.due_at, days);
                let patch = AppealPatch {
                    due_at: Some(due_at),
                    // A new deadline starts supervision afresh.
                    supervision_level: Some(0),
                    ..Default::default()
                };
                (
                    None,
                    patch,
                    event("extension_granted", false, Some(format!("{days}"))),
                )
            }
            RequestKind::Transfer => {
                let to = request.to_unit_id.ok_or_else(|| {
                    AppError::internal(anyhow::anyhow!("transfer request without target"))
                })?;
                let (patch, ev) = handling::transfer_change(&appeal, to, request.reason.clone());
                (Some(Action::Transfer), patch, ev)
            }
            RequestKind::Review => {
                let due = settings.policy.deadlines(
                    &settings.calendar,
                    appeal.kind,
                    appeal.channel,
                    appeal.urgency,
                    now,
                );
                let patch = AppealPatch {
                    due_at: Some(due.due_at),
                    increment_reopen: true,
                    supervision_level: Some(0),
                    ..Default::default()
                };
                (Some(Action::Reopen), patch, event("reopened", true, None))
            }
        };
        let mut patch = patch;
        if let Some(action) = action {
            patch.status = Some(appeal.status.apply(action)?);
        }
        Some(AppealChange {
            appeal_id: appeal.id,
            expected_version: appeal.version,
            actor: Actor::Staff(staff.id),
            at: now,
            patch,
            event: ev,
            notify: None,
        })
    } else {
        None
    };
    Ok(state
        .stores
        .supervision
        .decide_request(
            request.id,
            approve,
            staff.id,
            now,
            comment.as_deref(),
            change,
        )
        .await?)
}

/// The supervision view: cases under supervision or overdue, and pending requests.
#[derive(Debug, Clone, Serialize)]
pub struct SupervisionView {
    /// Reminded, escalated or overdue cases in scope, emergencies first.
    pub cases: Page<AppealSummary>,
    pub overdue: Page<AppealSummary>,
    pub pending_requests: Vec<Request>,
}

pub async fn overview(state: &AppState, staff: &Staff, page: u32) -> AppResult<SupervisionView> {
    if !(staff.role.supervises() || staff.role == police_square_domain::Role::Leader) {
        return Err(AppError::Forbidden);
    }
    let base = InboxQuery {
        scope: Some(staff.unit_path.clone()),
        include_conduct: staff.role.sees_conduct(),
        now: state.now(),
        page,
        page_size: handling::PAGE_SIZE,
        ..Default::default()
    };
    let supervised = InboxQuery {
        supervised_only: true,
        ..base.clone()
    };
    let overdue = InboxQuery {
        overdue_only: true,
        ..base
    };
    let (cases, overdue, pending) = tokio::try_join!(
        state.stores.appeals.inbox(&supervised),
        state.stores.appeals.inbox(&overdue),
        state.stores.supervision.pending_requests(&staff.unit_path),
    )?;
    // Requests on conduct cases stay with those who may see them.
    let mut pending_requests = Vec::with_capacity(pending.len());
    for r in pending {
        if let Some(a) = state.stores.appeals.appeal(r.appeal_id).await? {
            if access::check(staff, &a, Need::Read).is_ok() {
                pending_requests.push(r);
            }
        }
    }
    Ok(SupervisionView {
        cases,
        overdue,
        pending_requests,
    })
}

/// What one deadline scan did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ScanReport {
    pub reminded: u32,
    pub escalated: u32,
    /// Another node (or a handler) changed the case first; nothing done twice.
    pub skipped: u32,
}

/// 催办 and 升级督办: cases near their deadline get a reminder to the handler (or the
/// unit) — supervision level 1; cases past it are escalated to the parent unit's
/// supervisors — level 2. Each level is reached once per case: the change names the
/// version it read, so when two nodes scan at once only one change per case lands.
/// 办结 when the rating window ends: replied appeals the resident did not rate within
/// `rating_window_days` are closed by the system (the reply stands, unrated).
pub async fn close_unrated(state: &AppState) -> AppResult<usize> {
    const BATCH: u32 = 500;
    let now = state.now();
    let cutoff = now - state.config.rating_window_days * DAY_MS;
    let mut closed = 0;
    for (id, _version) in state
        .stores
        .supervision
        .replied_before(cutoff, BATCH)
        .await?
    {
        // Re-read: the resident may have rated it since the list was made.
        let Some(appeal) = state.stores.appeals.appeal(id).await? else {
            continue;
        };
        let patch = AppealPatch {
            closed_at: Some(now),
            ..Default::default()
        };
        let done = commit(
            state,
            &appeal,
            Actor::System,
            Some(Action::Close),
            patch,
            event("closed", true, None),
            None,
        )
        .await;
        match done {
            Ok(_) => closed += 1,
            // Rated or changed meanwhile: nothing to do.
            Err(AppError::Conflict(_) | AppError::BadRequest(_)) => {}
            Err(e) => return Err(e),
        }
    }
    if closed > 0 {
        tracing::info!(closed, "closed appeals whose rating window ended");
    }
    Ok(closed)
}

pub async fn deadline_scan(state: &AppState) -> AppResult<ScanReport> {
    const BATCH: u32 = 500;
    let now = state.now();
    let settings = state.settings();
    let horizon = now + settings.policy.near_hours * crate::app::limits::HOUR;
    let mut report = ScanReport::default();
    let candidates = state
        .stores
        .supervision
        .deadline_candidates(horizon, 2, BATCH)
        .await?;
    let org = state.org();
    for c in candidates {
        // Re-read: the candidate list may be stale by now.
        let Some(appeal) = state.stores.appeals.appeal(c.appeal_id).await? else {
            continue;
        };
        let overdue = settings.policy.state(appeal.due_at, now) == DeadlineState::Overdue;
        let target = if overdue { 2 } else { 1 };
        if appeal.supervision_level >= target || !appeal.status.is_open() {
            report.skipped += 1;
            continue;
        }
        let (kind, template, to) = if overdue {
            let parent = org.parent(appeal.unit_id).map_or(appeal.unit_id, |p| p.id);
            ("escalated", "escalation", Internal::Unit(parent))
        } else {
            let to = appeal
                .assignee_id
                .map_or(Internal::Unit(appeal.unit_id), Internal::Staff);
            ("reminded", "reminder", to)
        };
        let notice = notices::to_staff(state, to, template, &appeal, appeal.due_at);
        let patch = AppealPatch {
            supervision_level: Some(target),
            ..Default::default()
        };
        match commit(
            state,
            &appeal,
            Actor::System,
            None,
            patch,
            event(kind, false, None),
            Some(notice),
        )
        .await
        {
            Ok(_) if overdue => report.escalated += 1,
            Ok(_) => report.reminded += 1,
            Err(AppError::Conflict(_)) => report.skipped += 1,
            Err(e) => return Err(e),
        }
    }
    if report != ScanReport::default() {
        tracing::info!(
            reminded = report.reminded,
            escalated = report.escalated,
            skipped = report.skipped,
            "deadline scan"
        );
    }
    Ok(report)
}

/// Residents' unsatisfied ratings open a review request (复核) with no staff author.
pub(crate) async fn open_review(
    state: &AppState,
    appeal_id: Id,
    reason: String,
) -> AppResult<Request> {
    Ok(state
        .stores
        .supervision
        .create_request(police_square_store::NewRequest {
            appeal_id,
            kind: RequestKind::Review,
            reason,
            days: None,
            to_unit_id: None,
            requested_by: None,
            requested_at: state.now(),
        })
        .await?)
}
