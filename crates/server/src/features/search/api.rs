//! `GET /api/v1/search`: full-text search over the appeals in the caller's scope.

use axum::{extract::State, Json};

use crate::app::api_routes::ApiRoutes;
use crate::app::extract::ApiQuery;
use crate::{
    app::{auth::CurrentStaff, error::AppResult, state::AppState},
    features::search::{self, SearchFilter, SearchOutcome},
};

/// Full-text search.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/search", search)
}

pub async fn search(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiQuery(filter): ApiQuery<SearchFilter>,
) -> AppResult<Json<SearchOutcome>> {
    Ok(Json(search::search(&state, &staff, &filter).await?))
}
