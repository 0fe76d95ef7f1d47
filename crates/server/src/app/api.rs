//! The JSON API under `/api/v1` (documented in [`openapi`] at `/api/openapi.json`).
//!
//! Staff calls need the `ps_session` cookie from `POST /api/v1/login` and, when they
//! change state, the `X-CSRF-Token` header with the token that login returned.
//! Residents' rating needs the `ps_resident` cookie from `.../verify` and its token.

use axum::{
    routing::{get, post},
    Router,
};

use crate::{
    app::{openapi, state::AppState},
    features::{
        handling::{api as appeals, staff_api as staff},
        opinion::api as opinion,
        ops::api as ops,
        reports::api as reports,
        resident::api as track,
        search::api as search,
    },
};

/// Every API route. The OpenAPI test checks each one is documented.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/v1/login", post(staff::login))
        .route("/api/v1/logout", post(staff::logout))
        .route("/api/v1/me", get(staff::me))
        .route("/api/v1/appeals", post(appeals::submit).get(appeals::inbox))
        .route("/api/v1/appeals/{id}", get(appeals::detail))
        .route("/api/v1/appeals/{id}/accept", post(appeals::accept))
        .route("/api/v1/appeals/{id}/assign", post(appeals::assign))
        .route("/api/v1/appeals/{id}/transfer", post(appeals::transfer))
        .route("/api/v1/appeals/{id}/handoff", post(appeals::hand_off))
        .route("/api/v1/appeals/{id}/reply", post(appeals::reply))
        .route("/api/v1/appeals/{id}/extension", post(appeals::extension))
        .route("/api/v1/appeals/{id}/close", post(appeals::close))
        .route("/api/v1/appeals/{id}/reject", post(appeals::reject))
        .route("/api/v1/appeals/{id}/reveal", post(appeals::reveal))
        .route("/api/v1/appeals/{id}/assignees", get(appeals::assignees))
        .route(
            "/api/v1/appeals/{id}/category",
            post(appeals::correct_category),
        )
        .route("/api/v1/callers/lookup", post(appeals::caller_lookup))
        .route("/api/v1/requests/{id}/decide", post(staff::decide))
        .route(
            "/api/v1/handoffs/{id}/acknowledge",
            post(staff::acknowledge),
        )
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/opinion", get(opinion::opinion))
        .route("/api/v1/clusters/{id}", get(opinion::cluster))
        .route("/api/v1/alerts", get(opinion::alerts))
        .route("/api/v1/alerts/{id}", get(opinion::alert))
        .route(
            "/api/v1/alerts/{id}/status",
            post(opinion::set_alert_status),
        )
        .route(
            "/api/v1/reports",
            get(reports::list).post(reports::generate),
        )
        .route("/api/v1/reports/{id}", get(reports::show))
        .route("/api/v1/reports/{id}/publish", post(reports::publish))
        .route("/api/v1/reports/{id}/annotate", post(reports::annotate))
        .route("/api/v1/dashboard", get(staff::dashboard))
        .route("/api/v1/supervision", get(staff::supervision))
        .route("/api/v1/units", get(staff::units))
        .route("/api/v1/departments", get(staff::departments))
        .route("/api/v1/reply-templates", get(staff::reply_templates))
        .route("/api/v1/track/{code}", get(track::show))
        .route("/api/v1/track/{code}/otp", post(track::send_code))
        .route("/api/v1/track/{code}/verify", post(track::verify))
        .route("/api/v1/track/{code}/rate", post(track::rate))
}
