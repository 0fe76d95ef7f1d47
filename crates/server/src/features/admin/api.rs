//! Reference lists for API clients: units, external departments, reply templates.

use axum::{extract::State, Json};
use police_square_store::{Department, ReplyTemplate, Unit};

use crate::app::api_routes::ApiRoutes;
use crate::{
    app::{auth::CurrentStaff, error::AppResult, state::AppState},
    features::admin::directory,
};

/// The reference lists.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/units", units)
        .get("/api/v1/departments", departments)
        .get("/api/v1/reply-templates", reply_templates)
}

pub async fn units(State(state): State<AppState>) -> AppResult<Json<Vec<Unit>>> {
    Ok(Json(directory::units(&state).await?))
}

pub async fn departments(
    State(state): State<AppState>,
    _staff: CurrentStaff,
) -> AppResult<Json<Vec<Department>>> {
    Ok(Json(directory::departments(&state).await?))
}

pub async fn reply_templates(
    State(state): State<AppState>,
    _staff: CurrentStaff,
) -> AppResult<Json<Vec<ReplyTemplate>>> {
    Ok(Json(directory::reply_templates(&state).await?))
}
