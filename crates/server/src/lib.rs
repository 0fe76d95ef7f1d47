//! Police Square server (警务广场): JSON API, sessions, the appeal services and the
//! background workers.
//!
//! - [`app`] — the application shell: state, config, errors, auth, i18n, the page
//!   shell, and the composition root (router, route tables, OpenAPI document, jobs).
//! - [`features`] — one folder per capability: its service, API, pages and jobs.
//! - [`router`] / [`serve`] — assembling and running it all.

pub mod app;
pub mod features;

pub use app::clock::{Clock, ManualClock, SystemClock};
pub use app::config::Config;
pub use app::error::{AppError, AppResult};
pub use app::router::{
    open_state, page_routes, router, router_with, serve, serve_with_state, shutdown_signal,
};
pub use app::state::AppState;
