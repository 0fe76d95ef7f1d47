//! `/api/v1/track/{code}…`: residents follow, verify and rate.

use axum::{extract::State, http::header, response::IntoResponse, Json};
use police_square_domain::Millis;
use serde::{Deserialize, Serialize};

use crate::app::api_routes::ApiRoutes;
use crate::app::extract::{ApiJson, ApiPath};
use crate::{
    app::{
        auth::{self, ClientIp, CurrentResident, RESIDENT_COOKIE},
        error::AppResult,
        i18n::Lang,
        state::AppState,
    },
    features::resident::{self, CodeSent, RatingInput, TrackView},
};

/// Tracking, one-time codes and rating.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/track/{code}", show)
        .post("/api/v1/track/{code}/otp", send_code)
        .post("/api/v1/track/{code}/verify", verify)
        .post("/api/v1/track/{code}/rate", rate)
}

pub async fn show(
    State(state): State<AppState>,
    ip: ClientIp,
    lang: Lang,
    resident: Option<CurrentResident>,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<TrackView>> {
    Ok(Json(
        resident::track(&state, &code, &ip, resident.as_ref(), lang).await?,
    ))
}

pub async fn send_code(
    State(state): State<AppState>,
    ip: ClientIp,
    resident: Option<CurrentResident>,
    ApiPath(code): ApiPath<String>,
) -> AppResult<Json<CodeSent>> {
    Ok(Json(
        resident::send_code(&state, &code, &ip, resident.as_ref()).await?,
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    pub otp: String,
}

#[derive(Debug, Serialize)]
pub struct VerifyResponse {
    /// Send as `X-CSRF-Token` when rating.
    pub csrf_token: String,
    pub expires_at: Millis,
}

/// Sets the `ps_resident` cookie.
pub async fn verify(
    State(state): State<AppState>,
    ip: ClientIp,
    resident: Option<CurrentResident>,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<VerifyBody>,
) -> AppResult<impl IntoResponse> {
    let login = resident::verify_code(&state, &code, &body.otp, &ip, resident.as_ref()).await?;
    let cookie = auth::session_cookie(
        RESIDENT_COOKIE,
        &login.token,
        state.config.resident_session_minutes * 60,
        state.config.secure_cookies,
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(VerifyResponse {
            csrf_token: login.csrf_token,
            expires_at: login.expires_at,
        }),
    ))
}

pub async fn rate(
    State(state): State<AppState>,
    ip: ClientIp,
    resident: CurrentResident,
    ApiPath(code): ApiPath<String>,
    lang: Lang,
    ApiJson(body): ApiJson<RatingInput>,
) -> AppResult<Json<TrackView>> {
    resident::rate(&state, &resident, &code, body, &ip).await?;
    Ok(Json(
        resident::track(&state, &code, &ip, Some(&resident), lang).await?,
    ))
}
