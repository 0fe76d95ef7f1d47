//! The case page: the appeal, its timeline, pending requests and hand-offs, and the
//! forms for whatever the signed-in staff member may do next.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use police_square_domain::{deadline::DeadlineState, Category};
use police_square_store::{Department, Id, ReplyTemplate, Request, RequestKind, RequestState};
use serde::Deserialize;

use crate::app::pages::console::{options, staff_page, Options};
use crate::{
    app::{
        auth::CurrentStaff,
        error::AppResult,
        org::OrgTree,
        pages::ctx::{fmt_remaining, render, PageFrame},
        state::AppState,
    },
    features::{
        admin::directory,
        handling::{self, AppealDetail, RevealedContact},
        opinion::learning,
    },
};

struct EventRow {
    at: String,
    label: String,
    public: bool,
    actor: String,
    note: String,
    route: String,
}

struct RequestRow {
    id: Id,
    kind: String,
    state: RequestState,
    state_label: String,
    reason: String,
    detail: String,
    at: String,
    /// What approving does, for a pending request.
    effect: String,
    /// The supervisor's comment on a decided one.
    decision_note: String,
    /// A refused review needs a reason.
    comment_required: bool,
}

struct HandoffRow {
    id: Id,
    department: String,
    note: String,
    sent: String,
    acknowledged: Option<String>,
    receipt: String,
}

#[derive(Template)]
#[template(path = "staff/detail.html")]
pub(crate) struct DetailPage {
    p: PageFrame,
    d: AppealDetail,
    code: String,
    kind: String,
    channel: String,
    category: String,
    status_label: String,
    urgency: String,
    deadline_class: &'static str,
    accept_by: String,
    due: String,
    remaining: String,
    assignee: String,
    events: Vec<EventRow>,
    requests: Vec<RequestRow>,
    handoffs: Vec<HandoffRow>,
    assignees: Vec<(Id, String)>,
    units: Vec<(Id, String)>,
    departments: Vec<Department>,
    templates: Vec<ReplyTemplate>,
    /// What the reply box holds: a chosen template's filled body, or the text of a
    /// reply that was refused (kept, not lost).
    pub(crate) reply_draft: String,
    categories: Options,
    revealed: Option<RevealedContact>,
    notice: Option<String>,
    error: Option<String>,
    can_decide: bool,
    can_correct: bool,
    /// 一事多诉: the cluster this appeal belongs to (id, size, label).
    cluster: Option<(Id, i64, String)>,
}

impl DetailPage {
    fn can(&self, action: &str) -> bool {
        self.d.actions.contains(&action)
    }
    fn can_handle(&self) -> bool {
        self.d.actions.iter().any(|a| *a != "reveal")
    }
}

pub(crate) async fn detail_page(
    state: &AppState,
    p: PageFrame,
    staff: &CurrentStaff,
    id: Id,
    revealed: Option<RevealedContact>,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<DetailPage> {
    let p = staff_page(state, p, staff);
    let d = handling::detail(state, staff, id).await?;
    let org = state.org();
    let now = state.now();
    let a = &d.appeal;
    let name_of = |staff_id: Option<Id>, cache: &[(Id, String)]| -> String {
        staff_id
            .and_then(|sid| {
                cache
                    .iter()
                    .find(|(i, _)| *i == sid)
                    .map(|(_, n)| n.clone())
            })
            .unwrap_or_default()
    };
    // Names of the staff who appear in the timeline.
    let mut people: Vec<(Id, String)> = Vec::new();
    let mut wanted: Vec<Id> = d.events.iter().filter_map(|e| e.actor_staff_id).collect();
    wanted.extend(a.assignee_id);
    wanted.sort_unstable();
    wanted.dedup();
    for s in state.stores.org.staff_by_ids(&wanted).await? {
        people.push((s.id, s.display_name));
    }
    let departments = directory::departments(state).await?;
    let events = d
        .events
        .iter()
        .map(|e| {
            let route = match (e.from_unit_id, e.to_unit_id) {
                (Some(f), Some(t)) => format!(
                    "{} → {}",
                    org.name(f).unwrap_or_default(),
                    org.name(t).unwrap_or_default()
                ),
                (None, Some(t)) => format!("→ {}", org.name(t).unwrap_or_default()),
                _ => String::new(),
            };
            let note = match e.kind.as_str() {
                "extension_granted" | "extension_requested" => e
                    .note
                    .as_deref()
                    .map(|n| p.t1("page.detail.days", "n", n))
                    .unwrap_or_default(),
                "category_corrected" => e
                    .note
                    .as_deref()
                    .map(|c| p.t(&format!("category.{c}")))
                    .unwrap_or_default(),
                _ => e.note.clone().unwrap_or_default(),
            };
            EventRow {
                at: p.time(&e.at),
                label: p.t(&format!("event.{}", e.kind)),
                public: e.public,
                actor: match e.actor_staff_id {
                    Some(sid) => name_of(Some(sid), &people),
                    None if e.kind == "rated" => p.t("page.detail.actor_resident"),
                    None => p.t("page.detail.actor_system"),
                },
                note,
                route,
            }
        })
        .collect();
    let requests = d
        .requests
        .iter()
        .map(|r| RequestRow {
            id: r.id,
            kind: p.t(&format!("page.request.{}", request_kind(r.kind))),
            state: r.state,
            state_label: p.t(&format!("page.request.state_{}", request_state(r.state))),
            reason: request_reason(&p, r),
            detail: request_detail(&p, &org, r),
            at: p.time(&r.requested_at),
            effect: request_effect(&p, &org, r),
            decision_note: r.decision_note.clone().unwrap_or_default(),
            comment_required: r.kind == RequestKind::Review,
        })
        .collect();
    let handoffs = d
        .handoffs
        .iter()
        .map(|h| HandoffRow {
            id: h.id,
            department: departments
                .iter()
                .find(|x| x.id == h.department_id)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            note: h.note.clone(),
            sent: p.time(&h.sent_at),
            acknowledged: h.acknowledged_at.map(|t| p.time(&t)),
            receipt: h.receipt.clone().unwrap_or_default(),
        })
        .collect();
    let assignees = if d.actions.contains(&"assign") {
        directory::assignees(state, staff, id)
            .await?
            .into_iter()
            .map(|s| (s.id, s.display_name))
            .collect()
    } else {
        Vec::new()
    };
    let units = if d.actions.contains(&"transfer") {
        org.all()
            .iter()
            .filter(|u| u.id != a.unit_id)
            .map(|u| {
                let depth = u.path.ids().len().saturating_sub(1);
                (u.id, format!("{}{}", "　".repeat(depth), u.name))
            })
            .collect()
    } else {
        Vec::new()
    };
    // Only templates that fit this appeal, their fields filled in for it.
    let templates = if d.actions.contains(&"reply") {
        handling::templates_for(state, a).await?
    } else {
        Vec::new()
    };
    let open = a.status.is_open();
    let deadline_class = match d.deadline_state {
        DeadlineState::Overdue if open => "overdue",
        DeadlineState::Near if open => "near",
        _ => "",
    };
    let can_correct = learning::may_correct_category(staff, a);
    let cluster = match a.cluster_id {
        Some(id) => state
            .stores
            .opinion
            .cluster(id)
            .await?
            .filter(|c| c.size > 1)
            .map(|c| (c.id, c.size, c.label)),
        None => None,
    };
    let current_category = a.category.clone().unwrap_or_default();
    let corrections: Vec<&str> = Category::DEFAULTS
        .iter()
        .copied()
        .filter(|c| *c != Category::CONDUCT)
        .collect();
    Ok(DetailPage {
        code: police_square_domain::tracking::display(&a.tracking_code),
        kind: p.t(&format!("kind.{}", a.kind)),
        channel: p.t(&format!("channel.{}", a.channel)),
        category: a
            .category
            .as_deref()
            .map(|c| p.t(&format!("category.{c}")))
            .unwrap_or_default(),
        status_label: p.t(&format!("status.{}", a.status)),
        urgency: p.t(&format!("urgency.{}", a.urgency)),
        deadline_class,
        accept_by: p.time(&a.accept_by),
        due: p.time(&a.due_at),
        remaining: if open {
            fmt_remaining(p.lang, a.due_at, now)
        } else {
            String::new()
        },
        assignee: name_of(a.assignee_id, &people),
        events,
        requests,
        handoffs,
        assignees,
        units,
        departments,
        templates,
        reply_draft: String::new(),
        categories: options(&p, "category", &corrections, &current_category),
        revealed,
        notice,
        error,
        can_decide: staff.role.supervises(),
        can_correct,
        cluster,
        d,
        p,
    })
}

pub(crate) fn request_kind(k: RequestKind) -> &'static str {
    match k {
        RequestKind::Extension => "extension",
        RequestKind::Transfer => "transfer",
        RequestKind::Review => "review",
    }
}

/// What a request asks for, in words: an extension's days, a transfer's unit.
pub(crate) fn request_detail(p: &PageFrame, org: &OrgTree, r: &Request) -> String {
    match r.kind {
        RequestKind::Extension => r
            .days
            .map(|n| p.t1("page.detail.days", "n", &n.to_string()))
            .unwrap_or_default(),
        RequestKind::Transfer => r
            .to_unit_id
            .and_then(|u| org.name(u))
            .map(|n| format!("→ {n}"))
            .unwrap_or_default(),
        RequestKind::Review => String::new(),
    }
}

/// What the request's author wrote. A review (复核) opened by a resident's unsatisfied
/// rating has no staff author: it says so in the page's language, with the resident's
/// comment when there is one.
pub(crate) fn request_reason(p: &PageFrame, r: &Request) -> String {
    if r.kind != RequestKind::Review || r.requested_by.is_some() {
        return r.reason.clone();
    }
    let opened_by = p.t("page.review.by_resident");
    let comment = r.reason.trim();
    // Reviews opened before comments existed stored this marker as their reason.
    if comment.is_empty() || comment == "unsatisfied rating" {
        opened_by
    } else {
        p.t1("page.review.by_resident_comment", "comment", comment)
    }
}

/// What approving a request does, said before the supervisor decides ("批准后将重办").
pub(crate) fn request_effect(p: &PageFrame, org: &OrgTree, r: &Request) -> String {
    match r.kind {
        RequestKind::Extension => p.t1(
            "page.review.effect_extension",
            "n",
            &r.days.unwrap_or(0).to_string(),
        ),
        RequestKind::Transfer => p.t1(
            "page.review.effect_transfer",
            "unit",
            r.to_unit_id.and_then(|u| org.name(u)).unwrap_or_default(),
        ),
        RequestKind::Review => p.t("page.review.effect_review"),
    }
}

fn request_state(s: RequestState) -> &'static str {
    match s {
        RequestState::Pending => "pending",
        RequestState::Approved => "approved",
        RequestState::Rejected => "rejected",
    }
}

#[derive(Debug, Deserialize)]
pub struct DetailQuery {
    done: Option<String>,
    /// A reply template chosen to fill the reply box.
    template: Option<Id>,
}

/// Actions that may be reported back after a redirect (`?done=`).
const ACTIONS: &[&str] = &[
    "accept",
    "assign",
    "transfer",
    "transfer_requested",
    "handoff",
    "acknowledge",
    "reply",
    "extension",
    "close",
    "reject",
    "category",
    "decided",
];

pub async fn detail(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    Path(id): Path<Id>,
    Query(q): Query<DetailQuery>,
) -> AppResult<Response> {
    let notice = q
        .done
        .as_deref()
        .filter(|d| ACTIONS.contains(d))
        .map(|d| p.t(&format!("page.detail.done.{d}")));
    let mut page = detail_page(&state, p, &staff, id, None, notice, None).await?;
    if let Some(chosen) = q.template {
        if let Some(t) = page.templates.iter().find(|t| t.id == chosen) {
            page.reply_draft = t.body.clone();
        }
    }
    render(&page)
}
