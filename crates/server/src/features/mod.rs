//! The capabilities, one folder each with its service (the module root), its JSON API,
//! its pages, its OpenAPI fragment and its jobs. Features may use each other's services
//! (intake calls the opinion analysis, handling sends notices); the application shell
//! in [`crate::app`] uses none of them except in the composition root (route tables,
//! OpenAPI document, job registry).
//!
//! | feature | what |
//! |---|---|
//! | [`lifecycle`] | one change to an appeal = one commit; who may see and do what ([`lifecycle::access`]) |
//! | [`notices`] | the messages the lifecycle sends, and the outbox delivery |
//! | [`intake`] | submitting an appeal (portal, hotline), repeat calls (催问), caller history |
//! | [`handling`] | inbox, case page and the handling actions; the staff console and API |
//! | [`resident`] | tracking by code, one-time codes, resident sessions, rating |
//! | [`supervision`] | decisions on requests, the supervision view, the deadline scan |
//! | [`search`] | full-text search over appeals |
//! | [`dashboard`] | three rates per unit, rolled up the tree |
//! | [`opinion`] | 民意库: text analysis, category learning, clusters, emerging-issue alerts |
//! | [`reports`] | 民意研判 periodic reports: generation, review, publication, export |
//! | [`admin`] | settings, organisation and staff, audit log, directory, imports |
//! | [`ops`] | health and readiness checks |

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
