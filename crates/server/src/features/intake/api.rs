//! Intake over the API: submitting an appeal (public, or a hotline operator signed
//! in) and looking up a caller's earlier appeals.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    Extension, Json,
};
use police_square_domain::{tracking, Millis, Status};
use police_square_store::{AppealSummary, Id};
use serde::{Deserialize, Serialize};

use crate::app::api_routes::ApiRoutes;
use crate::{
    app::{
        auth::{ClientIp, CurrentStaff, Sessions},
        error::{AppError, AppResult},
        extract::ApiJson,
        i18n::{Catalog, Lang},
        state::AppState,
    },
    features::intake::{self, NewAppealInput},
};

/// Submitting an appeal and the caller lookup.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.post("/api/v1/appeals", submit)
        .post("/api/v1/callers/lookup", caller_lookup)
}

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
