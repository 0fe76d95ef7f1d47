//! The capabilities, one folder each with its service (the module root), its JSON API,
//! its pages, its OpenAPI fragment and its jobs. Features may use each other's services
//! (intake calls the opinion analysis, handling sends notices); the application shell
//! in [`crate::app`] uses none of them except in the composition root (route tables,
//! OpenAPI document, job registry).
//!
//! | feature | what |
//! |---|---|
//! | [`lifecycle`] | one change to an appeal = one commit; who may see and do what ([`lifecycle::access`]) |
//! | [`notices`] | the messages the lifecycle sends; the outbox delivery loop |
//! | [`intake`] | submitting an appeal (API, hotline page), repeat calls (催问), caller lookup |
//! | [`handling`] | inbox, case page and the handling actions: the staff console, its API, staff sign-in |
//! | [`resident`] | tracking by code or short link, one-time codes, resident sessions, rating (portal and API) |
//! | [`supervision`] | decisions on requests, the supervision view; the deadline-scan job |
//! | [`search`] | full-text search over appeals |
//! | [`dashboard`] | three rates per unit, rolled up the tree; the statistics-refresh job |
//! | [`opinion`] | 民意库: text analysis, category learning, clusters, emerging-issue alerts, their jobs and per-node state |
//! | [`reports`] | 民意研判 periodic reports: generation (and its job), review, publication, export |
//! | [`admin`] | settings, organisation and staff, audit log, directory, imports |
//! | [`ops`] | health and readiness checks; the purge of expired sessions and rate limits |
//!
//! Inside a feature: the module root is its service; `api` (JSON handlers), `page`
//! (HTML pages, each page module with its `routes()`), `jobs` (its [`crate::app::job::Job`]s)
//! and `openapi` (its fragment of the document) as it has them.

pub mod admin;
pub mod dashboard;
pub mod handling;
pub mod intake;
pub mod lifecycle;
pub mod notices;
pub mod opinion;
pub mod ops;
pub mod reports;
pub mod resident;
pub mod search;
pub mod supervision;
