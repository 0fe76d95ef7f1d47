use axum::{extract::State, http::StatusCode, Json};
use serde_json::{json, Value};

use crate::app::api_routes::ApiRoutes;
use crate::app::state::AppState;

/// The health checks.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/healthz", healthz).get("/readyz", readyz)
}

/// The process is up.
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The database answers.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.stores.maintenance.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "backend": state.stores.maintenance.backend() })),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable" })),
            )
        }
    }
}
