//! 督办: cases under supervision (reminded, escalated), overdue cases, and the pending
//! requests (extension, transfer, review) a supervisor approves or refuses.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use police_square_store::Id;
use serde::Deserialize;

use super::{
    ctx::{render, see_other, CsrfForm, Page},
    staff::{request_detail, request_kind, rows, staff_page, Row},
};
use crate::{auth::CurrentStaff, error::AppResult, services::supervision, state::AppState};

struct Pending {
    id: Id,
    appeal_id: Id,
    kind: String,
    detail: String,
    reason: String,
    at: String,
    by: String,
}

#[derive(Template)]
#[template(path = "staff/supervision.html")]
struct SupervisionPage {
    p: Page,
    pending: Vec<Pending>,
    supervised: Vec<Row>,
    overdue: Vec<Row>,
    can_decide: bool,
    page: u32,
    prev: Option<String>,
    next: Option<String>,
    done: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct SupervisionQuery {
    #[serde(default)]
    page: u32,
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(q): Query<SupervisionQuery>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let page = q.page.min(10_000);
    let view = supervision::overview(&state, &staff, page).await?;
    let org = state.org();
    let mut pending = Vec::new();
    for r in &view.pending_requests {
        let by = match r.requested_by {
            Some(sid) => state
                .store
                .staff(sid)
                .await?
                .map(|s| s.display_name)
                .unwrap_or_default(),
            None => p.t("page.detail.actor_resident"),
        };
        pending.push(Pending {
            id: r.id,
            appeal_id: r.appeal_id,
            kind: p.t(&format!("page.request.{}", request_kind(r.kind))),
            detail: request_detail(&p, &org, r),
            reason: r.reason.clone(),
            at: p.time(&r.requested_at),
            by,
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
}

pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Id>,
    CsrfForm(form): CsrfForm<DecideForm>,
) -> AppResult<Response> {
    let approve = form.approve == "1";
    let request = supervision::decide_request(&state, &staff, id, approve).await?;
    let back = format!("/staff/appeals/{}", request.appeal_id);
    if form.next == back {
        Ok(see_other(&format!("{back}?done=decided")))
    } else {
        Ok(see_other("/staff/supervision?done=1"))
    }
}
