//! `GET /api/v1/search`: full-text search over the appeals in the caller's scope.

use axum::{extract::State, Json};

use super::extract::ApiQuery;
use crate::{
    auth::CurrentStaff,
    error::AppResult,
    services::search::{self, SearchFilter, SearchOutcome},
    state::AppState,
};

pub async fn search(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiQuery(filter): ApiQuery<SearchFilter>,
) -> AppResult<Json<SearchOutcome>> {
    Ok(Json(search::search(&state, &staff, &filter).await?))
}
