//! Staff session (login, logout, who am I) and hand-off receipts.

use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::IntoResponse,
    Extension, Json,
};
use police_square_domain::Millis;
use police_square_store::{Handoff, Id};
use serde::{Deserialize, Serialize};

use crate::app::api_routes::ApiRoutes;
use crate::app::extract::{ApiJson, ApiPath};
use crate::{
    app::{
        auth::{self, ClientIp, CurrentStaff, Sessions, STAFF_COOKIE},
        error::AppResult,
        state::AppState,
    },
    features::{admin::directory::StaffProfile, handling},
};

/// Staff sign-in and hand-off receipts.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.post("/api/v1/login", login)
        .post("/api/v1/logout", logout)
        .get("/api/v1/me", me)
        .post("/api/v1/handoffs/{id}/acknowledge", acknowledge)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize)]
pub struct LoginResponse {
    /// Send as `X-CSRF-Token` on every state-changing request.
    pub csrf_token: String,
    pub expires_at: Millis,
    pub staff: StaffProfile,
}

/// Sets the `ps_session` cookie.
pub async fn login(
    State(state): State<AppState>,
    ip: ClientIp,
    sessions: Option<Extension<Sessions>>,
    ApiJson(body): ApiJson<LoginBody>,
) -> AppResult<impl IntoResponse> {
    let signed_in_as = sessions.and_then(|Extension(s)| s.staff_id());
    let s = auth::login(&state, &body.username, &body.password, &ip, signed_in_as).await?;
    let cookie = auth::session_cookie(
        STAFF_COOKIE,
        &s.token,
        state.config.session_ttl_minutes * 60,
        state.config.secure_cookies,
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(LoginResponse {
            csrf_token: s.csrf_token,
            expires_at: s.expires_at,
            staff: StaffProfile::from(&s.staff),
        }),
    ))
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<impl IntoResponse> {
    if let Some(token) = auth::cookie(&headers, STAFF_COOKIE) {
        auth::logout(&state, &token).await?;
    }
    let clear = auth::session_cookie(STAFF_COOKIE, "", 0, state.config.secure_cookies);
    Ok(([(header::SET_COOKIE, clear)], StatusCode::NO_CONTENT))
}

#[derive(Debug, Serialize)]
pub struct Me {
    pub staff: StaffProfile,
    pub csrf_token: String,
}

pub async fn me(staff: CurrentStaff) -> Json<Me> {
    Json(Me {
        staff: StaffProfile::from(&staff.staff),
        csrf_token: staff.csrf_token.clone(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeBody {
    /// The appeal the hand-off belongs to (checked).
    pub appeal_id: Id,
    /// The department's receipt (回执): who confirmed, reference number…
    pub receipt: String,
}

pub async fn acknowledge(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<AcknowledgeBody>,
) -> AppResult<Json<Handoff>> {
    Ok(Json(
        handling::acknowledge_handoff(&state, &staff, id, body.appeal_id, &body.receipt).await?,
    ))
}
