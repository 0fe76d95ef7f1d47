//! The supervision API: supervisors' decisions on requests and the supervision view.

use axum::{extract::State, Json};
use police_square_store::{Id, Request};
use serde::Deserialize;

use crate::app::api_routes::ApiRoutes;
use crate::{
    app::{
        auth::CurrentStaff,
        error::AppResult,
        extract::{ApiJson, ApiPath, ApiQuery},
        state::AppState,
    },
    features::supervision::{self, SupervisionView},
};

/// Decisions on requests and the supervision view.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.post("/api/v1/requests/{id}/decide", decide)
        .get("/api/v1/supervision", overview)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecideBody {
    pub approve: bool,
    /// The supervisor's comment (督办意见); required to refuse a review.
    #[serde(default)]
    pub comment: Option<String>,
}

pub async fn decide(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<DecideBody>,
) -> AppResult<Json<Request>> {
    Ok(Json(
        supervision::decide_request(&state, &staff, id, body.approve, body.comment.as_deref())
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[serde(default)]
    pub page: u32,
}

pub async fn overview(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<Json<SupervisionView>> {
    Ok(Json(supervision::overview(&state, &staff, q.page).await?))
}
