//! The OpenAPI 3.1 document, written by hand: the assembly of the features' fragments
//! (each feature's `openapi.rs`, built from [`super::openapi_blocks`]) with the info,
//! the security schemes, the shared error responses and the appeal schemas every
//! feature refers to. `tests/it/openapi.rs` compares it with `tests/openapi.snap.json`
//! (update with `UPDATE_SNAPSHOT=1`) and checks that every route in
//! [`super::api::route_table`] is documented and every documented route exists.

use axum::Json;
use police_square_domain::{AppealKind, Channel, Satisfaction, Status, Urgency};
use serde_json::{json, Map, Value};

use super::openapi_blocks::{
    int, int_or_null, keys, ms, ms_or_null, nullable, object, ok, schema, string, Fragment, Op,
    PathOp,
};
use crate::features::{
    admin, dashboard, handling, intake, opinion, ops, reports, resident, search, supervision,
};

/// The features' fragments, one line each.
const FRAGMENTS: [Fragment; 10] = [
    ops::openapi::FRAGMENT,
    handling::openapi::FRAGMENT,
    intake::openapi::FRAGMENT,
    supervision::openapi::FRAGMENT,
    search::openapi::FRAGMENT,
    opinion::openapi::FRAGMENT,
    reports::openapi::FRAGMENT,
    dashboard::openapi::FRAGMENT,
    admin::openapi::FRAGMENT,
    resident::openapi::FRAGMENT,
];

/// This document's own path and the appeal schemas shared by the features.
const SHARED: Fragment = Fragment { paths, schemas };

pub async fn document() -> Json<Value> {
    Json(spec())
}

fn paths() -> Vec<PathOp> {
    vec![(
        "/api/openapi.json",
        "get",
        Op {
            summary: "This document",
            tag: "operations",
            auth: "public",
            params: vec![],
            body: None,
            success: ("200", ok("OpenAPI 3.1", json!({"type": "object"}))),
            errors: &[],
        },
    )]
}

fn schemas() -> Value {
    json!({
        "Error": object(&["error"], json!({"error": object(&["code", "message"], json!({
            "code": {"type": "string", "description": "bad_request | invalid_value | unauthorized | bad_credentials | forbidden | csrf | not_found | conflict | too_many_requests | payload_too_large | unsupported_media_type | internal"},
            "message": string()}))})),
        "Appeal": object(&["id", "tracking_code", "kind", "channel", "text", "status", "unit_id", "version"], json!({
            "id": int(), "tracking_code": string(), "kind": {"enum": keys(AppealKind::ALL)},
            "channel": {"enum": keys(Channel::ALL)}, "text": string(), "category": nullable("string"),
            "category_confidence": {"type": ["number", "null"]}, "category_needs_review": {"type": "boolean"},
            "urgency": {"enum": keys(Urgency::ALL)}, "emergency": {"type": "boolean"},
            "possible_emergency": {"type": "boolean", "description": "可能紧急: the urgency gate was unsure; true whenever emergency is"},
            "sentiment": nullable("string"),
            "unit_id": int(), "unit_path": string(), "subject_unit_id": int_or_null(), "assignee_id": int_or_null(),
            "status": {"enum": keys(Status::ALL)}, "received_at": ms(), "accept_by": ms(), "accepted_at": ms_or_null(),
            "due_at": ms(), "replied_at": ms_or_null(), "closed_at": ms_or_null(), "reply_text": nullable("string"),
            "rating_resolved": {"type": ["boolean", "null"]},
            "rating_satisfaction": {"oneOf": [{"type": "null"}, {"enum": keys(Satisfaction::ALL)}]},
            "rated_at": ms_or_null(), "reopen_count": {"type": "integer"},
            "supervision_level": {"type": "integer", "description": "0 none, 1 reminded (催办), 2 escalated"},
            "follow_ups": {"type": "integer", "description": "Follow-up calls (催问) about the appeal"},
            "phone_masked": string(), "address_masked": nullable("string"), "cluster_id": int_or_null(),
            "version": int(), "updated_at": ms()})),
        "AppealSummary": object(&["id", "tracking_code", "kind", "status", "unit_id"], json!({
            "id": int(), "tracking_code": string(), "kind": {"enum": keys(AppealKind::ALL)},
            "channel": {"enum": keys(Channel::ALL)}, "excerpt": string(), "category": nullable("string"),
            "urgency": {"enum": keys(Urgency::ALL)}, "emergency": {"type": "boolean"},
            "possible_emergency": {"type": "boolean"}, "unit_id": int(),
            "status": {"enum": keys(Status::ALL)}, "received_at": ms(), "due_at": ms(),
            "supervision_level": {"type": "integer"}, "follow_ups": {"type": "integer"},
            "phone_masked": string()})),
        "AppealPage": object(&["items", "page", "has_next"], json!({
            "items": {"type": "array", "items": schema("AppealSummary")},
            "page": {"type": "integer"}, "has_next": {"type": "boolean"}})),
    })
}

fn error_responses() -> Value {
    let described = [
        (
            "400",
            "Malformed request (broken JSON, invalid UTF-8, bad query or path)",
        ),
        ("401", "Not signed in, or wrong credentials / one-time code"),
        (
            "403",
            "Not allowed, missing/wrong CSRF token, or a state-changing request from a foreign Origin",
        ),
        ("404", "Not found (also: not visible to the caller)"),
        (
            "409",
            "Not possible in the current state, or changed by someone else",
        ),
        ("413", "Body too large"),
        ("415", "Body is not JSON"),
        (
            "422",
            "A field is missing, unknown or has an unacceptable value (named in the message)",
        ),
        (
            "429",
            "Too many requests; Retry-After says in how many seconds an attempt is let through",
        ),
        ("431", "Request headers too large (over 32 KiB together)"),
        (
            "503",
            "Database unavailable, or the service is not set up yet (`not_set_up`: no units; an administrator runs `police-square org import`)",
        ),
    ];
    Value::Object(
        described
            .iter()
            .map(|(code, d)| (format!("E{code}"), ok(d, schema("Error"))))
            .collect(),
    )
}

/// The document.
pub fn spec() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for fragment in std::iter::once(SHARED).chain(FRAGMENTS) {
        for (path, method, op) in (fragment.paths)() {
            let entry = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
            assert!(
                entry.get(method).is_none(),
                "{method} {path} documented twice"
            );
            entry[method] = op.to_json(method);
        }
        let Value::Object(owned) = (fragment.schemas)() else {
            panic!("a fragment's schemas are an object of name to schema");
        };
        for (name, value) in owned {
            assert!(
                schemas.insert(name.clone(), value).is_none(),
                "schema {name} defined twice"
            );
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Police Square (警务广场) API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Residents' appeals to the police, each tracked to a rated reply. Staff calls need the ps_session cookie from /api/v1/login and, when they change state, the X-CSRF-Token header. Instants are epoch milliseconds (UTC).",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": error_responses(),
            "securitySchemes": {
                "staffSession": {"type": "apiKey", "in": "cookie", "name": "ps_session"},
                "residentSession": {"type": "apiKey", "in": "cookie", "name": "ps_resident"},
                "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token",
                    "description": "Required on state-changing requests that carry a session cookie"}
            }
        }
    })
}
