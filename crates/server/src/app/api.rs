//! The JSON API under `/api/v1` (documented in [`openapi`] at `/api/openapi.json`).
//!
//! Staff calls need the `ps_session` cookie from `POST /api/v1/login` and, when they
//! change state, the `X-CSRF-Token` header with the token that login returned.
//! Residents' rating needs the `ps_resident` cookie from `.../verify` and its token.

use axum::Router;

use crate::{
    app::{api_routes::ApiRoutes, openapi, state::AppState},
    features::{
        admin, dashboard, handling, intake, opinion, ops, reports, resident, search, supervision,
    },
};

/// Every API route: each feature adds its own (in its `api::routes`); the router serves
/// them, and [`route_table`] lists them for the OpenAPI test (axum cannot list a
/// router's routes).
fn api_routes() -> ApiRoutes {
    ApiRoutes::default()
        .get("/api/openapi.json", openapi::document)
        .feature(ops::api::routes)
        .feature(handling::api::routes)
        .feature(intake::api::routes)
        .feature(supervision::api::routes)
        .feature(search::api::routes)
        .feature(opinion::api::routes)
        .feature(reports::api::routes)
        .feature(dashboard::api::routes)
        .feature(admin::api::routes)
        .feature(resident::api::routes)
}

/// The JSON API and health checks as a router.
pub fn routes() -> Router<AppState> {
    api_routes().router
}

/// `(method, path)` of every API route, the method lowercase as in OpenAPI.
pub fn route_table() -> Vec<(&'static str, &'static str)> {
    api_routes().table
}
