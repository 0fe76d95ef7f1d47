//! The server's integration tests: one binary, one module per former test file, so
//! the crate and its dependencies link once. `common` (spawn_app, both backends),
//! `pages_support` (the HTML console) and `browser_support` (headless Chromium) are
//! the shared helpers.

#[macro_use]
mod common;
mod browser_support;
mod pages_support;

mod access;
mod analysis;
mod api_opinion;
mod browser;
mod browser_axe;
mod deploy;
mod hardening;
mod hostile;
mod lifecycle;
mod nodes;
mod openapi;
mod ops;
mod pages_console;
mod pages_flow;
mod pages_hotline_follow_up;
mod pages_locale;
mod pages_security;
mod pages_supervision_and_rates;
mod portal;
mod reports;
mod search;
mod throttle;
