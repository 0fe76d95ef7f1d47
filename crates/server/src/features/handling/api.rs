//! `/api/v1/appeals…`: the staff actions (intake is `features::intake::api`).

use axum::{extract::State, http::StatusCode, Json};
use police_square_store::{Appeal, AppealSummary, Handoff, Id, Page, Request};
use serde::Deserialize;

use crate::app::api_routes::ApiRoutes;
use crate::app::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{
    app::{auth::CurrentStaff, error::AppResult, state::AppState},
    features::{
        admin::directory::{self, StaffProfile},
        handling::{self, AppealDetail, InboxFilter, ReplyInput, RevealedContact, TransferOutcome},
        opinion::learning,
    },
};

/// The inbox, the case and its actions, and (from [`super::staff_api`]) staff sign-in.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    super::staff_api::routes(r)
        .get("/api/v1/appeals", inbox)
        .get("/api/v1/appeals/{id}", detail)
        .post("/api/v1/appeals/{id}/accept", accept)
        .post("/api/v1/appeals/{id}/assign", assign)
        .post("/api/v1/appeals/{id}/transfer", transfer)
        .post("/api/v1/appeals/{id}/handoff", hand_off)
        .post("/api/v1/appeals/{id}/reply", reply)
        .post("/api/v1/appeals/{id}/extension", extension)
        .post("/api/v1/appeals/{id}/close", close)
        .post("/api/v1/appeals/{id}/reject", reject)
        .post("/api/v1/appeals/{id}/reveal", reveal)
        .get("/api/v1/appeals/{id}/assignees", assignees)
        .post("/api/v1/appeals/{id}/category", correct_category)
}

pub async fn inbox(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiQuery(filter): ApiQuery<InboxFilter>,
) -> AppResult<Json<Page<AppealSummary>>> {
    Ok(Json(handling::inbox(&state, &staff, &filter).await?))
}

pub async fn detail(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
) -> AppResult<Json<AppealDetail>> {
    Ok(Json(handling::detail(&state, &staff, id).await?))
}

pub async fn accept(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
) -> AppResult<Json<Appeal>> {
    Ok(Json(handling::accept(&state, &staff, id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    pub assignee_id: Id,
}

pub async fn assign(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<AssignBody>,
) -> AppResult<Json<Appeal>> {
    Ok(Json(
        handling::assign(&state, &staff, id, body.assignee_id).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    pub to_unit_id: Id,
    pub reason: String,
}

/// 200 with `{"outcome": "transferred", "appeal": …}` or 202 with
/// `{"outcome": "requested", "request": …}` when a supervisor must approve.
pub async fn transfer(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<TransferBody>,
) -> AppResult<(StatusCode, Json<TransferOutcome>)> {
    let out = handling::transfer(&state, &staff, id, body.to_unit_id, &body.reason).await?;
    let status = match out {
        TransferOutcome::Transferred { .. } => StatusCode::OK,
        TransferOutcome::Requested { .. } => StatusCode::ACCEPTED,
    };
    Ok((status, Json(out)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandOffBody {
    pub department_id: Id,
    pub note: String,
}

pub async fn hand_off(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<HandOffBody>,
) -> AppResult<(StatusCode, Json<Handoff>)> {
    let h = handling::hand_off(&state, &staff, id, body.department_id, &body.note).await?;
    Ok((StatusCode::CREATED, Json(h)))
}

pub async fn reply(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<ReplyInput>,
) -> AppResult<Json<Appeal>> {
    Ok(Json(handling::reply(&state, &staff, id, &body).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionBody {
    pub days: u32,
    pub reason: String,
}

pub async fn extension(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<ExtensionBody>,
) -> AppResult<(StatusCode, Json<Request>)> {
    let r = handling::request_extension(&state, &staff, id, body.days, &body.reason).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

pub async fn close(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
) -> AppResult<Json<Appeal>> {
    Ok(Json(handling::close(&state, &staff, id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    pub reason: String,
}

pub async fn reject(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<RejectBody>,
) -> AppResult<Json<Appeal>> {
    Ok(Json(
        handling::reject(&state, &staff, id, &body.reason).await?,
    ))
}

pub async fn reveal(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
) -> AppResult<Json<RevealedContact>> {
    Ok(Json(handling::reveal_contact(&state, &staff, id).await?))
}

pub async fn assignees(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
) -> AppResult<Json<Vec<StaffProfile>>> {
    Ok(Json(directory::assignees(&state, &staff, id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryBody {
    pub category: String,
}

/// Correct the topic category (kept for retraining the model); the appeal after it.
pub async fn correct_category(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<CategoryBody>,
) -> AppResult<Json<Appeal>> {
    Ok(Json(
        learning::correct_category(&state, &staff, id, &body.category).await?,
    ))
}
