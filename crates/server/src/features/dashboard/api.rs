//! The dashboard API: the three rates per unit.

use axum::{extract::State, Json};

use crate::app::api_routes::ApiRoutes;
use crate::{
    app::{auth::CurrentStaff, error::AppResult, extract::ApiQuery, state::AppState},
    features::dashboard::{self, Dashboard, Period},
};

/// The three rates per unit.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/dashboard", dashboard)
}

pub async fn dashboard(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiQuery(period): ApiQuery<Period>,
) -> AppResult<Json<Dashboard>> {
    Ok(Json(dashboard::dashboard(&state, &staff, period).await?))
}
