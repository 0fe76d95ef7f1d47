//! `/api/v1/appeals…`: intake (public) and the staff actions.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    Extension, Json,
};
use police_square_domain::{tracking, Millis, Status};
use police_square_store::{Appeal, AppealSummary, Handoff, Id, Page, Request};
use serde::{Deserialize, Serialize};

use crate::app::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{
    app::{
        auth::{ClientIp, CurrentStaff, Sessions},
        error::{AppError, AppResult},
        i18n::{Catalog, Lang},
        state::AppState,
    },
    features::{
        admin::directory::{self, StaffProfile},
        handling::{self, AppealDetail, InboxFilter, ReplyInput, RevealedContact, TransferOutcome},
        intake::{self, NewAppealInput},
        opinion::learning,
    },
};

#[derive(Debug, Serialize)]
pub struct SubmitResponse {
    pub id: Id,
    pub tracking_code: String,
    /// Grouped for reading aloud: `ABCD-EFGH-JKMN-PQRS`.
    pub tracking_code_display: String,
    pub status: Status,
    pub emergency: bool,
    pub call_110: bool,
    /// What to tell the resident, in the request's language.
    pub message: String,
    pub accept_by: Millis,
    pub due_at: Millis,
}

/// `POST /api/v1/appeals` — 201 with the new appeal; the same `Idempotency-Key`
/// (with the same phone) again → 200 with the same appeal.
pub async fn submit(
    State(state): State<AppState>,
    ip: ClientIp,
    lang: Lang,
    headers: HeaderMap,
    sessions: Option<Extension<Sessions>>,
    ApiJson(input): ApiJson<NewAppealInput>,
) -> AppResult<(StatusCode, Json<SubmitResponse>)> {
    intake::check_flood(&state, &ip).await?;
    let key = headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str()
                .map_err(|_| AppError::BadRequest("Idempotency-Key must be ASCII".into()))
        })
        .transpose()?;
    // A hotline operator signed in records the call on the caller's behalf.
    let staff_id = sessions.and_then(|Extension(s)| s.staff.and_then(|s| s.staff_id));
    let recorder = match staff_id {
        Some(id) => state.stores.org.staff(id).await?.filter(|s| !s.disabled),
        None => None,
    };
    let out = intake::submit(&state, input, key, recorder.as_ref()).await?;
    let a = &out.appeal;
    let catalog = Catalog::global();
    let message = if out.call_110 {
        catalog.t(lang, "intake.call_110")
    } else {
        catalog.t_args(
            lang,
            "intake.received",
            &[("code", &tracking::display(&a.tracking_code))],
        )
    };
    let status = if out.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(SubmitResponse {
            id: a.id,
            tracking_code: a.tracking_code.clone(),
            tracking_code_display: tracking::display(&a.tracking_code),
            status: a.status,
            emergency: a.emergency,
            call_110: out.call_110,
            message,
            accept_by: a.accept_by,
            due_at: a.due_at,
        }),
    ))
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallerLookupBody {
    pub phone: String,
}

/// POST so the phone never appears in a URL (and so in no access log).
pub async fn caller_lookup(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiJson(body): ApiJson<CallerLookupBody>,
) -> AppResult<Json<Vec<AppealSummary>>> {
    Ok(Json(
        intake::caller_history(&state, &staff, &body.phone).await?,
    ))
}
