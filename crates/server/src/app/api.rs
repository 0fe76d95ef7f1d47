//! The JSON API under `/api/v1` (documented in [`openapi`] at `/api/openapi.json`).
//!
//! Staff calls need the `ps_session` cookie from `POST /api/v1/login` and, when they
//! change state, the `X-CSRF-Token` header with the token that login returned.
//! Residents' rating needs the `ps_resident` cookie from `.../verify` and its token.

use axum::{
    handler::Handler,
    routing::{self, MethodRouter},
    Router,
};

use crate::{
    app::{openapi, state::AppState},
    features::{
        admin::api as directory,
        dashboard::api as dashboard,
        handling::{api as appeals, staff_api as staff},
        intake::api as intake,
        opinion::api as opinion,
        ops::api as ops,
        reports::api as reports,
        resident::api as track,
        search::api as search,
        supervision::api as supervision,
    },
};

/// Every API route, in one table: the router serves it, and [`route_table`] lists it
/// for the OpenAPI test (axum cannot list a router's routes).
fn api_routes() -> ApiRoutes {
    ApiRoutes::default()
        .get("/healthz", ops::healthz)
        .get("/readyz", ops::readyz)
        .get("/api/openapi.json", openapi::document)
        .post("/api/v1/login", staff::login)
        .post("/api/v1/logout", staff::logout)
        .get("/api/v1/me", staff::me)
        .post("/api/v1/appeals", intake::submit)
        .get("/api/v1/appeals", appeals::inbox)
        .get("/api/v1/appeals/{id}", appeals::detail)
        .post("/api/v1/appeals/{id}/accept", appeals::accept)
        .post("/api/v1/appeals/{id}/assign", appeals::assign)
        .post("/api/v1/appeals/{id}/transfer", appeals::transfer)
        .post("/api/v1/appeals/{id}/handoff", appeals::hand_off)
        .post("/api/v1/appeals/{id}/reply", appeals::reply)
        .post("/api/v1/appeals/{id}/extension", appeals::extension)
        .post("/api/v1/appeals/{id}/close", appeals::close)
        .post("/api/v1/appeals/{id}/reject", appeals::reject)
        .post("/api/v1/appeals/{id}/reveal", appeals::reveal)
        .get("/api/v1/appeals/{id}/assignees", appeals::assignees)
        .post("/api/v1/appeals/{id}/category", appeals::correct_category)
        .post("/api/v1/callers/lookup", intake::caller_lookup)
        .post("/api/v1/requests/{id}/decide", supervision::decide)
        .post("/api/v1/handoffs/{id}/acknowledge", staff::acknowledge)
        .get("/api/v1/search", search::search)
        .get("/api/v1/opinion", opinion::opinion)
        .get("/api/v1/clusters/{id}", opinion::cluster)
        .get("/api/v1/alerts", opinion::alerts)
        .get("/api/v1/alerts/{id}", opinion::alert)
        .post("/api/v1/alerts/{id}/status", opinion::set_alert_status)
        .get("/api/v1/reports", reports::list)
        .post("/api/v1/reports", reports::generate)
        .get("/api/v1/reports/{id}", reports::show)
        .post("/api/v1/reports/{id}/publish", reports::publish)
        .post("/api/v1/reports/{id}/annotate", reports::annotate)
        .get("/api/v1/dashboard", dashboard::dashboard)
        .get("/api/v1/supervision", supervision::overview)
        .get("/api/v1/units", directory::units)
        .get("/api/v1/departments", directory::departments)
        .get("/api/v1/reply-templates", directory::reply_templates)
        .get("/api/v1/track/{code}", track::show)
        .post("/api/v1/track/{code}/otp", track::send_code)
        .post("/api/v1/track/{code}/verify", track::verify)
        .post("/api/v1/track/{code}/rate", track::rate)
}

/// The JSON API and health checks as a router.
pub fn routes() -> Router<AppState> {
    api_routes().router
}

/// `(method, path)` of every API route, the method lowercase as in OpenAPI.
pub fn route_table() -> Vec<(&'static str, &'static str)> {
    api_routes().table
}

/// A router that records the method and path of each route it is given.
#[derive(Default)]
struct ApiRoutes {
    router: Router<AppState>,
    table: Vec<(&'static str, &'static str)>,
}

impl ApiRoutes {
    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("get", path, routing::get(handler))
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add("post", path, routing::post(handler))
    }

    /// A second method on a path merges into the first (axum's `route` allows that).
    fn add(
        mut self,
        method: &'static str,
        path: &'static str,
        route: MethodRouter<AppState>,
    ) -> Self {
        self.table.push((method, path));
        self.router = self.router.route(path, route);
        self
    }
}
