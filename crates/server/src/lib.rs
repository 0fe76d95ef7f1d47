//! Police Square server (警务广场): JSON API, sessions, the appeal services and the
//! background workers.
//!
//! - [`services`] — the lifecycle, one function per operation (what pages call).
//! - [`api`] — the JSON API under `/api/v1` and its OpenAPI document.
//! - [`auth`] — passwords, sessions, CSRF, extractors.
//! - [`jobs`] — deadline scan, statistics refresh and the notification outbox.
//! - [`router`] / [`serve`] — assembling and running it all.

pub mod api;
pub mod auth;
pub mod clock;
pub mod config;
pub mod error;
pub mod html;
pub mod i18n;
pub mod import;
pub mod jobs;
pub mod limits;
pub mod org;
pub mod pages;
pub mod services;
pub mod setup;
pub mod state;
pub mod telemetry;

mod server;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::Config;
pub use error::{AppError, AppResult};
pub use server::{router, router_with, serve, serve_with_state, shutdown_signal};
pub use state::AppState;
