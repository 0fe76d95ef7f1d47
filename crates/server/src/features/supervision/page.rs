//! 督办: cases under supervision (reminded, escalated), overdue cases, and the pending
//! requests (extension, transfer, review) a supervisor approves or refuses.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    routing::{get, post},
    Router,
};
use police_square_store::{Id, RequestKind};
use serde::Deserialize;

use crate::{
    app::pages::{
        console::{rows, staff_page, Row},
        ctx::{render, see_other, CsrfForm, PageFrame},
    },
    features::handling::console::{request_detail, request_effect, request_kind, request_reason},
};
use crate::{
    app::{
        auth::CurrentStaff,
        error::{AppError, AppResult},
        state::AppState,
    },
    features::supervision,
};

/// The supervision page and its decisions.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/supervision", get(page))
        .route("/staff/requests/{id}/decide", post(decide))
}

struct Pending {
    id: Id,
    appeal_id: Id,
    kind: String,
    detail: String,
    reason: String,
    at: String,
    by: String,
    /// What approving does ("批准后将重办").
    effect: String,
    /// A refused review needs a reason.
    comment_required: bool,
}

#[derive(Template)]
#[template(path = "staff/supervision.html")]
struct SupervisionPage {
    p: PageFrame,
    pending: Vec<Pending>,
    supervised: Vec<Row>,
    overdue: Vec<Row>,
    can_decide: bool,
    page: u32,
    prev: Option<String>,
    next: Option<String>,
    done: bool,
    error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct SupervisionQuery {
    #[serde(default)]
    page: u32,
    done: Option<String>,
    error: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    Query(q): Query<SupervisionQuery>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let page = q.page.min(10_000);
    let view = supervision::overview(&state, &staff, page).await?;
    let org = state.org();
    let requesters: Vec<Id> = view
        .pending_requests
        .iter()
        .filter_map(|r| r.requested_by)
        .collect();
    let names: HashMap<Id, String> = state
        .stores
        .org
        .staff_by_ids(&requesters)
        .await?
        .into_iter()
        .map(|s| (s.id, s.display_name))
        .collect();
    let mut pending = Vec::new();
    for r in &view.pending_requests {
        let by = match r.requested_by {
            Some(sid) => names.get(&sid).cloned().unwrap_or_default(),
            None => p.t("page.detail.actor_resident"),
        };
        pending.push(Pending {
            id: r.id,
            appeal_id: r.appeal_id,
            kind: p.t(&format!("page.request.{}", request_kind(r.kind))),
            detail: request_detail(&p, &org, r),
            reason: request_reason(&p, r),
            at: p.time(&r.requested_at),
            by,
            effect: request_effect(&p, &org, r),
            comment_required: r.kind == RequestKind::Review,
        });
    }
    let has_next = view.cases.has_next || view.overdue.has_next;
    let page_view = SupervisionPage {
        supervised: rows(&state, &p, &view.cases.items),
        overdue: rows(&state, &p, &view.overdue.items),
        pending,
        can_decide: staff.role.supervises(),
        page: page + 1,
        prev: (page > 0).then(|| format!("/staff/supervision?page={}", page - 1)),
        next: has_next.then(|| format!("/staff/supervision?page={}", page + 1)),
        done: q.done.is_some(),
        error: q
            .error
            .as_deref()
            .filter(|e| *e == "comment")
            .map(|_| p.t("page.review.err_comment")),
        p,
    };
    render(&page_view)
}

#[derive(Debug, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    approve: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    comment: String,
}

pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Id>,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> AppResult<Response> {
    let approve = form.approve == "1";
    let request =
        match supervision::decide_request(&state, &staff, id, approve, Some(&form.comment)).await {
            Ok(r) => r,
            // A refused review without a reason: back to the list, saying so (nothing
            // was decided).
            Err(AppError::Unprocessable(_)) => {
                return Ok(see_other("/staff/supervision?error=comment"))
            }
            Err(e) => return Err(e),
        };
    let back = format!("/staff/appeals/{}", request.appeal_id);
    if form.next == back {
        Ok(see_other(&format!("{back}?done=decided")))
    } else {
        Ok(see_other("/staff/supervision?done=1"))
    }
}
