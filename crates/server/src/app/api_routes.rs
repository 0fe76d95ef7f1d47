//! The API's route table: a router that also records each route's method and path,
//! so the OpenAPI test can check every route is documented (axum cannot list a
//! router's routes). Features add their routes through it; `app/api.rs` assembles them.

use axum::{
    handler::Handler,
    routing::{self, MethodRouter},
    Router,
};

use crate::app::state::AppState;

/// A router that records the method and path of each route it is given.
#[derive(Default)]
pub(crate) struct ApiRoutes {
    pub(super) router: Router<AppState>,
    pub(super) table: Vec<(&'static str, &'static str)>,
}

impl ApiRoutes {
    pub(crate) fn get<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.add("get", path, routing::get(handler))
    }

    pub(crate) fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        handler: H,
    ) -> Self {
        self.add("post", path, routing::post(handler))
    }

    /// A feature's routes (its `api::routes`).
    pub(crate) fn feature(self, routes: fn(Self) -> Self) -> Self {
        routes(self)
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
