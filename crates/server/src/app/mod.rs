//! The application shell: what every feature stands on. It imports no feature except
//! in the composition root: the route tables ([`api`], [`router::page_routes`]), the
//! OpenAPI document ([`openapi`], from the features' fragments) and the job registry
//! ([`jobs`]), assembled by [`router`].
//!
//! | module | what |
//! |---|---|
//! | [`state`] | `AppState`: config, clock, vault, transports, the store, cached org tree and settings |
//! | [`config`] / [`clock`] | configuration; the clock (real or manual in tests) |
//! | [`keys`] | the personal-data key checked against the database's fingerprint at start-up |
//! | [`error`] | the one `AppError` every rejection becomes |
//! | [`extract`] | JSON API extractors that reject into `AppError` |
//! | [`auth`] | passwords, sessions, CSRF, login throttling, the staff/resident extractors |
//! | [`i18n`] / [`html`] | locale catalogs; HTML escaping |
//! | [`limits`] | database-backed rate limits and time units |
//! | [`org`] | the cached unit tree |
//! | [`setup`] | whether the installation is open for appeals |
//! | [`telemetry`] | logging setup and loggable paths |
//! | [`pages`] | the HTML shell: page context, the HTML layer, the error page, static files |
//! | [`job`] | the one trait periodic jobs implement |
//! | [`openapi_blocks`] | building blocks of the OpenAPI document |

pub mod api;
pub mod api_routes;
pub mod auth;
pub mod clock;
pub mod config;
pub mod error;
pub mod extract;
pub mod hardening;
pub mod html;
pub mod i18n;
pub mod job;
pub mod jobs;
pub mod keys;
pub mod limits;
pub mod openapi;
pub mod openapi_blocks;
pub mod org;
pub mod pages;
pub mod router;
pub mod setup;
pub mod state;
pub mod telemetry;
pub mod throttle;
