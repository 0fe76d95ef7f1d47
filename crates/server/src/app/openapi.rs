//! The OpenAPI 3.1 document, written by hand. `tests/it/openapi.rs` compares it with
//! `tests/openapi.snap.json` (update with `UPDATE_SNAPSHOT=1`) and checks that every
//! route in [`super::api::route_table`] is documented and every documented route exists.

use axum::Json;
use police_square_domain::{
    appeal::AppealText, free_text::Remark, AppealKind, Channel, Role, Satisfaction, Status,
    UnitKind, Urgency,
};
use serde_json::{json, Map, Value};

use super::openapi_blocks::{
    action, body, id_param, keys, nullable, object, ok, query, schema, strict, Op,
};
use crate::features::opinion::openapi as analysis;

pub async fn document() -> Json<Value> {
    Json(spec())
}

fn code_param() -> Value {
    json!({ "name": "code", "in": "path", "required": true,
            "description": "Tracking code as typed (case, dashes and look-alikes are normalised)",
            "schema": { "type": "string" } })
}

fn paths() -> Vec<(&'static str, &'static str, Op)> {
    let appeal = || ok("The appeal after the change", schema("Appeal"));
    vec![
        ("/healthz", "get", Op {
            summary: "Process is up", tag: "operations", auth: "public", params: vec![], body: None,
            success: ("200", ok("Up", object(&["status"], json!({"status": {"type": "string"}})))),
            errors: &[],
        }),
        ("/readyz", "get", Op {
            summary: "Database answers", tag: "operations", auth: "public", params: vec![], body: None,
            success: ("200", ok("Ready", object(&["status"], json!({"status": {"type": "string"}, "backend": {"type": "string"}})))),
            errors: &["503"],
        }),
        ("/api/openapi.json", "get", Op {
            summary: "This document", tag: "operations", auth: "public", params: vec![], body: None,
            success: ("200", ok("OpenAPI 3.1", json!({"type": "object"}))),
            errors: &[],
        }),
        ("/api/v1/login", "post", Op {
            summary: "Staff sign-in; sets the ps_session cookie (throttled per username and address)",
            tag: "session", auth: "public", params: vec![],
            body: Some(body(strict(&["username", "password"], json!({"username": {"type": "string"}, "password": {"type": "string"}})))),
            success: ("200", ok("Signed in", schema("LoginResponse"))),
            errors: &["400", "401", "422", "429"],
        }),
        ("/api/v1/logout", "post", Op {
            summary: "End the staff session", tag: "session", auth: "staff", params: vec![], body: None,
            success: ("204", json!({"description": "Signed out"})),
            errors: &["403"],
        }),
        ("/api/v1/me", "get", Op {
            summary: "The signed-in staff member and CSRF token", tag: "session", auth: "staff", params: vec![], body: None,
            success: ("200", ok("Me", object(&["staff", "csrf_token"], json!({"staff": schema("StaffProfile"), "csrf_token": {"type": "string"}})))),
            errors: &["401"],
        }),
        ("/api/v1/appeals", "post", Op {
            summary: "Submit an appeal (public). Idempotency-Key: the same key (and phone) again returns the first appeal with 200",
            tag: "intake", auth: "public",
            params: vec![json!({"name": "Idempotency-Key", "in": "header", "required": false,
                "schema": {"type": "string", "maxLength": 200}})],
            body: Some(body(schema("NewAppeal"))),
            success: ("201", ok("Created (200: the same appeal again, for a repeated Idempotency-Key)", schema("SubmitResponse"))),
            errors: &["400", "413", "415", "422", "429", "503"],
        }),
        ("/api/v1/appeals", "get", Op {
            summary: "Unit inbox (the caller's subtree; emergencies first, newest first)",
            tag: "handling", auth: "staff",
            params: vec![
                query("status", json!({"enum": keys(Status::ALL)}), "Status"),
                query("kind", json!({"enum": keys(AppealKind::ALL)}), "Kind"),
                query("category", json!({"type": "string"}), "Topic category key"),
                query("channel", json!({"enum": keys(Channel::ALL)}), "Channel"),
                query("overdue", json!({"type": "boolean"}), "Only open cases past due"),
                query("supervised", json!({"type": "boolean"}), "Only cases under supervision"),
                query("mine", json!({"type": "boolean"}), "Only cases assigned to me"),
                query("unit", json!({"type": "integer"}), "Only this unit's subtree (inside mine)"),
                query("from", json!({"type": "string", "format": "date"}), "Received on or after this China-time day"),
                query("to", json!({"type": "string", "format": "date"}), "Received on or before this China-time day"),
                query("page", json!({"type": "integer", "minimum": 0}), "Zero-based page"),
                query("page_size", json!({"type": "integer", "minimum": 1, "maximum": 100}), "Rows per page (20)"),
            ],
            body: None,
            success: ("200", ok("A page of appeals", schema("AppealPage"))),
            errors: &["400", "401"],
        }),
        ("/api/v1/appeals/{id}", "get", Op {
            summary: "Appeal with events, hand-offs, requests and allowed actions",
            tag: "handling", auth: "staff", params: vec![id_param("id", "Appeal id")], body: None,
            success: ("200", ok("Detail", schema("AppealDetail"))),
            errors: &["400", "401", "403", "404"],
        }),
        ("/api/v1/appeals/{id}/accept", "post", action("Accept (首接负责)", None, ("200", appeal()))),
        ("/api/v1/appeals/{id}/assign", "post", action("Assign to an officer of the owning unit",
            Some(strict(&["assignee_id"], json!({"assignee_id": {"type": "integer", "format": "int64"}}))), ("200", appeal()))),
        ("/api/v1/appeals/{id}/transfer", "post", action("Transfer to another police unit (转办); 202 when a supervisor must approve",
            Some(strict(&["to_unit_id", "reason"], json!({"to_unit_id": {"type": "integer", "format": "int64"}, "reason": {"type": "string", "maxLength": Remark::MAX_CHARS}}))),
            ("200", ok("Transferred, or (202) requested", schema("TransferOutcome"))))),
        ("/api/v1/appeals/{id}/handoff", "post", action("Hand off to an external department (转交)",
            Some(strict(&["department_id", "note"], json!({"department_id": {"type": "integer", "format": "int64"}, "note": {"type": "string", "maxLength": Remark::MAX_CHARS}}))),
            ("201", ok("The hand-off record", schema("Handoff"))))),
        ("/api/v1/appeals/{id}/reply", "post", action("Reply (答复); notifies the resident",
            Some(strict(&[], json!({"text": nullable("string"), "template_id": {"type": ["integer", "null"], "format": "int64"}}))), ("200", appeal()))),
        ("/api/v1/appeals/{id}/extension", "post", action("Ask a supervisor for more working days (延期)",
            Some(strict(&["days", "reason"], json!({"days": {"type": "integer", "minimum": 1, "maximum": 30}, "reason": {"type": "string"}}))),
            ("201", ok("The pending request", schema("Request"))))),
        ("/api/v1/appeals/{id}/close", "post", action("Close (办结) after the rating window", None, ("200", appeal()))),
        ("/api/v1/appeals/{id}/reject", "post", action("Reject (不予受理) with a reason the resident reads",
            Some(strict(&["reason"], json!({"reason": {"type": "string", "maxLength": Remark::MAX_CHARS}}))), ("200", appeal()))),
        ("/api/v1/appeals/{id}/reveal", "post", action("Reveal the resident's contact details (audited)", None,
            ("200", ok("Contact details", schema("RevealedContact"))))),
        ("/api/v1/appeals/{id}/assignees", "get", Op {
            summary: "Officers the appeal can be assigned to", tag: "handling", auth: "staff",
            params: vec![id_param("id", "Appeal id")], body: None,
            success: ("200", ok("Officers", json!({"type": "array", "items": schema("StaffProfile")}))),
            errors: &["401", "403", "404"],
        }),
        ("/api/v1/callers/lookup", "post", Op {
            summary: "Hotline: a caller's earlier appeals by phone (audited)", tag: "intake", auth: "staff",
            params: vec![], body: Some(body(strict(&["phone"], json!({"phone": {"type": "string"}})))),
            success: ("200", ok("Earlier appeals, newest first", json!({"type": "array", "items": schema("AppealSummary")}))),
            errors: &["401", "403", "422"],
        }),
        ("/api/v1/requests/{id}/decide", "post", Op {
            summary: "Supervisor decides an extension, transfer or review request", tag: "supervision", auth: "staff",
            params: vec![id_param("id", "Request id")],
            body: Some(body(strict(&["approve"], json!({"approve": {"type": "boolean"}, "comment": nullable("string")})))),
            success: ("200", ok("The decided request", schema("Request"))),
            errors: &["400", "401", "403", "404", "409", "422"],
        }),
        ("/api/v1/handoffs/{id}/acknowledge", "post", Op {
            summary: "Record the department's receipt (回执)", tag: "handling", auth: "staff",
            params: vec![id_param("id", "Hand-off id")],
            body: Some(body(strict(&["appeal_id", "receipt"], json!({"appeal_id": {"type": "integer", "format": "int64"}, "receipt": {"type": "string"}})))),
            success: ("200", ok("The hand-off", schema("Handoff"))),
            errors: &["400", "401", "403", "404", "409", "422"],
        }),
        ("/api/v1/search", "get", Op {
            summary: "Full-text search over the appeals in the caller's subtree (every word must match; newest first; conduct complaints only for supervisors outside the accused unit)",
            tag: "analysis", auth: "staff",
            params: vec![
                query("q", json!({"type": "string", "maxLength": 200}), "Words to search for, segmented like the appeal texts; no searchable word gives no results"),
                query("from", json!({"type": "string", "format": "date"}), "First day received (China time, inclusive)"),
                query("to", json!({"type": "string", "format": "date"}), "Last day received (China time, inclusive)"),
                query("kind", json!({"enum": keys(AppealKind::ALL)}), "Kind"),
                query("category", json!({"type": "string"}), "Topic category key"),
                query("status", json!({"enum": keys(Status::ALL)}), "Status"),
                query("page", json!({"type": "integer", "minimum": 0}), "Zero-based page"),
                query("page_size", json!({"type": "integer", "minimum": 1, "maximum": 100}), "Rows per page (20)"),
            ],
            body: None,
            success: ("200", ok("A page of matching appeals with highlighted snippets", schema("SearchResults"))),
            errors: &["400", "401", "422"],
        }),
        ("/api/v1/dashboard", "get", Op {
            summary: "Three rates (三率) per unit, rolled up the tree, with case counts", tag: "supervision", auth: "staff",
            params: vec![
                query("from", json!({"type": "integer", "format": "int64"}), "Start (epoch ms, inclusive); default 30 days before `to`"),
                query("to", json!({"type": "integer", "format": "int64"}), "End (epoch ms, exclusive); default now"),
            ],
            body: None,
            success: ("200", ok("Rates", schema("Dashboard"))),
            errors: &["400", "401", "403"],
        }),
        ("/api/v1/supervision", "get", Op {
            summary: "Cases under supervision, overdue cases, pending requests (督办)", tag: "supervision", auth: "staff",
            params: vec![query("page", json!({"type": "integer", "minimum": 0}), "Zero-based page")],
            body: None,
            success: ("200", ok("Supervision view", schema("SupervisionView"))),
            errors: &["400", "401", "403"],
        }),
        ("/api/v1/units", "get", Op {
            summary: "The unit tree (public)", tag: "directory", auth: "public", params: vec![], body: None,
            success: ("200", ok("Units", json!({"type": "array", "items": schema("Unit")}))),
            errors: &[],
        }),
        ("/api/v1/departments", "get", Op {
            summary: "External departments for hand-offs", tag: "directory", auth: "staff", params: vec![], body: None,
            success: ("200", ok("Departments", json!({"type": "array", "items": schema("Department")}))),
            errors: &["401"],
        }),
        ("/api/v1/reply-templates", "get", Op {
            summary: "Reply templates", tag: "directory", auth: "staff", params: vec![], body: None,
            success: ("200", ok("Templates", json!({"type": "array", "items": schema("ReplyTemplate")}))),
            errors: &["401"],
        }),
        ("/api/v1/track/{code}", "get", Op {
            summary: "Follow an appeal by tracking code (rate-limited per address); text, reply and rating only with a resident session",
            tag: "resident", auth: "public", params: vec![code_param()], body: None,
            success: ("200", ok("Public view", schema("TrackView"))),
            errors: &["404", "429"],
        }),
        ("/api/v1/track/{code}/otp", "post", Op {
            summary: "Send a one-time code to the contact phone", tag: "resident", auth: "public",
            params: vec![code_param()], body: None,
            success: ("200", ok("Sent", object(&["phone_masked", "expires_at"], json!({"phone_masked": {"type": "string"}, "expires_at": {"type": "integer", "format": "int64"}})))),
            errors: &["404", "429"],
        }),
        ("/api/v1/track/{code}/verify", "post", Op {
            summary: "Verify the one-time code; sets the ps_resident cookie (locked out with backoff after repeated failures)",
            tag: "resident", auth: "public", params: vec![code_param()],
            body: Some(body(strict(&["otp"], json!({"otp": {"type": "string"}})))),
            success: ("200", ok("Verified", object(&["csrf_token", "expires_at"], json!({"csrf_token": {"type": "string"}, "expires_at": {"type": "integer", "format": "int64"}})))),
            errors: &["400", "401", "404", "422", "429"],
        }),
        ("/api/v1/track/{code}/rate", "post", Op {
            summary: "Rate the reply (closes the case; unsatisfied opens a review)", tag: "resident", auth: "resident",
            params: vec![code_param()],
            body: Some(body(strict(&["resolved", "satisfaction"], json!({"resolved": {"type": "boolean"}, "satisfaction": {"enum": keys(Satisfaction::ALL)}, "comment": {"type": ["string", "null"], "maxLength": Remark::MAX_CHARS, "description": "Optional: why (shown to the supervisor deciding a review)"}})))),
            success: ("200", ok("The appeal as the resident sees it", schema("TrackView"))),
            errors: &["400", "401", "403", "404", "409", "422", "429"],
        }),
    ]
}

fn schemas() -> Value {
    let int = || json!({"type": "integer", "format": "int64"});
    let int_or_null = || json!({"type": ["integer", "null"], "format": "int64"});
    let ms = || json!({"type": "integer", "format": "int64", "description": "Milliseconds since the Unix epoch, UTC"});
    let ms_or_null = || json!({"type": ["integer", "null"], "format": "int64"});
    let string = || json!({"type": "string"});
    let rate = json!({"type": "object", "required": ["value", "numerator", "denominator"], "properties": {
        "value": {"type": ["number", "null"]}, "numerator": int(), "denominator": int()}});
    json!({
        "Error": object(&["error"], json!({"error": object(&["code", "message"], json!({
            "code": {"type": "string", "description": "bad_request | invalid_value | unauthorized | bad_credentials | forbidden | csrf | not_found | conflict | too_many_requests | payload_too_large | unsupported_media_type | internal"},
            "message": string()}))})),
        "NewAppeal": strict(&["kind", "text", "channel", "contact_phone"], json!({
            "kind": {"enum": keys(AppealKind::ALL)},
            "text": {"type": "string", "maxLength": AppealText::MAX_CHARS},
            "channel": {"enum": keys(Channel::ALL)},
            "contact_phone": {"type": "string", "description": "Mainland phone; stored encrypted, shown masked"},
            "address": nullable("string"),
            "name": nullable("string"),
            "unit_id": int_or_null(),
            "district": nullable("string")})),
        "SubmitResponse": object(&["id", "tracking_code", "status", "emergency", "call_110", "accept_by", "due_at"], json!({
            "id": int(), "tracking_code": string(), "tracking_code_display": string(),
            "status": {"enum": keys(Status::ALL)}, "emergency": {"type": "boolean"},
            "call_110": {"type": "boolean", "description": "Ongoing danger: tell the resident to call 110 now"},
            "message": string(), "accept_by": ms(), "due_at": ms()})),
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
        "SearchHit": {"allOf": [schema("AppealSummary"), object(&["snippet", "snippet_html"], json!({
            "snippet": {"type": "string", "description": "About 120 characters of the text around the first match; mobile numbers masked"},
            "snippet_html": {"type": "string", "description": "The snippet HTML-escaped, matches wrapped in <mark>"}}))]},
        "SearchResults": object(&["terms", "items", "page", "has_next", "total", "total_capped", "total_estimated"], json!({
            "terms": {"type": "array", "items": string(), "description": "The words searched for, as segmented"},
            "items": {"type": "array", "items": schema("SearchHit")},
            "page": {"type": "integer"}, "has_next": {"type": "boolean"},
            "total": {"type": "integer", "description": "Matches counted, at most 1000"},
            "total_capped": {"type": "boolean", "description": "More than `total` matches exist"},
            "total_estimated": {"type": "boolean", "description": "`total` is an estimate (a very common word under narrow filters)"}})),
        "Event": object(&["id", "appeal_id", "at", "kind", "public"], json!({
            "id": int(), "appeal_id": int(), "at": ms(), "actor_staff_id": int_or_null(), "kind": string(),
            "public": {"type": "boolean"}, "note": nullable("string"), "from_unit_id": int_or_null(), "to_unit_id": int_or_null()})),
        "Handoff": object(&["id", "appeal_id", "department_id", "sent_at"], json!({
            "id": int(), "appeal_id": int(), "department_id": int(), "note": string(), "sent_at": ms(),
            "sent_by": int(), "acknowledged_at": ms_or_null(), "receipt": nullable("string")})),
        "Request": object(&["id", "appeal_id", "kind", "state"], json!({
            "id": int(), "appeal_id": int(), "kind": {"enum": ["extension", "transfer", "review"]},
            "state": {"enum": ["pending", "approved", "rejected"]}, "reason": string(),
            "days": {"type": ["integer", "null"]}, "to_unit_id": int_or_null(), "requested_by": int_or_null(),
            "requested_at": ms(), "decided_by": int_or_null(), "decided_at": ms_or_null(),
            "decision_note": nullable("string")})),
        "AppealDetail": object(&["appeal", "events", "handoffs", "requests", "actions", "deadline_state"], json!({
            "appeal": schema("Appeal"), "unit_name": nullable("string"), "subject_unit_name": nullable("string"),
            "deadline_state": {"enum": ["on_time", "near", "overdue"]},
            "events": {"type": "array", "items": schema("Event")},
            "handoffs": {"type": "array", "items": schema("Handoff")},
            "requests": {"type": "array", "items": schema("Request")},
            "actions": {"type": "array", "items": {"enum": ["accept", "assign", "transfer", "handoff", "reply", "close", "reject", "extension", "reveal"]}}})),
        "TransferOutcome": {"oneOf": [
            object(&["outcome", "appeal"], json!({"outcome": {"const": "transferred"}, "appeal": schema("Appeal")})),
            object(&["outcome", "request"], json!({"outcome": {"const": "requested"}, "request": schema("Request")}))]},
        "RevealedContact": object(&["phone"], json!({"phone": string(), "name": nullable("string"), "address": nullable("string")})),
        "TrackView": object(&["tracking_code", "kind", "status", "timeline", "verified", "can_rate"], json!({
            "tracking_code": string(), "kind": {"enum": keys(AppealKind::ALL)}, "kind_label": string(),
            "status": {"enum": keys(Status::ALL)}, "status_label": string(), "emergency": {"type": "boolean"},
            "possible_emergency": {"type": "boolean", "description": "Tell the resident to call 110 if anyone is in danger"},
            "under_review": {"type": "boolean", "description": "A review is pending: the status label reads 复核中"},
            "landline": {"type": "boolean", "description": "A fixed-line contact: no SMS or one-time code, a call back instead"},
            "received_at": ms(), "due_at": ms(),
            "timeline": {"type": "array", "items": object(&["at", "kind", "label"], json!({
                "at": ms(), "kind": string(), "label": string(), "to": nullable("string")}))},
            "verified": {"type": "boolean"}, "text": nullable("string"), "reply_text": nullable("string"),
            "replied_at": ms_or_null(),
            "rating": {"oneOf": [{"type": "null"}, object(&["resolved", "satisfaction", "rated_at"], json!({
                "resolved": {"type": "boolean"}, "satisfaction": {"enum": keys(Satisfaction::ALL)}, "rated_at": ms()}))]},
            "can_rate": {"type": "boolean"},
            "review": {"enum": [Value::Null, "pending", "approved", "rejected"]}})),
        "RateCounts": object(&["total"], json!({
            "total": int(), "responded_on_time": int(), "replied": int(), "replied_on_time": int(), "rated": int(),
            "resolved": int(), "satisfied": int(), "basic": int(), "overdue": int(), "reopened": int()})),
        "Rate": rate,
        "Rates": object(&["response", "resolution", "satisfaction"], json!({
            "response": schema("Rate"), "resolution": schema("Rate"), "satisfaction": schema("Rate"),
            "on_time_closure": schema("Rate"), "reopen": schema("Rate"), "overdue": int(), "total": int(),
            "composite": {"type": ["number", "null"]}})),
        "Dashboard": object(&["from", "to", "units"], json!({"from": ms(), "to": ms(),
            "units": {"type": "array", "items": object(&["unit_id", "name", "counts", "rates"], json!({
                "unit_id": int(), "parent_id": int_or_null(), "name": string(), "kind": {"enum": keys(UnitKind::ALL)},
                "depth": {"type": "integer"}, "counts": schema("RateCounts"), "rates": schema("Rates")}))}})),
        "SupervisionView": object(&["cases", "overdue", "pending_requests"], json!({
            "cases": schema("AppealPage"), "overdue": schema("AppealPage"),
            "pending_requests": {"type": "array", "items": schema("Request")}})),
        "StaffProfile": object(&["id", "username", "display_name", "role", "unit_id"], json!({
            "id": int(), "username": string(), "display_name": string(), "role": {"enum": keys(Role::ALL)}, "unit_id": int()})),
        "LoginResponse": object(&["csrf_token", "expires_at", "staff"], json!({
            "csrf_token": string(), "expires_at": ms(), "staff": schema("StaffProfile")})),
        "Unit": object(&["id", "name", "kind", "path", "code", "district", "duty_phone", "address", "hours", "retired"], json!({
            "id": int(), "parent_id": int_or_null(), "name": string(), "kind": {"enum": keys(UnitKind::ALL)}, "path": string(),
            "code": nullable("string"), "district": string(), "duty_phone": string(), "address": string(), "hours": string(),
            "retired": {"type": "boolean"}})),
        "Department": object(&["id", "name", "contact", "retired"], json!({"id": int(), "name": string(), "contact": string(), "retired": {"type": "boolean"}})),
        "ReplyTemplate": object(&["id", "title", "body", "retired"], json!({"id": int(), "title": string(), "body": string(), "retired": {"type": "boolean"},
            "kinds": {"type": "array", "items": {"enum": keys(AppealKind::ALL)}, "description": "Kinds it fits; empty: any"},
            "categories": {"type": "array", "items": string(), "description": "Category keys it fits; empty: any"}})),
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

fn all_schemas() -> Value {
    let mut out = schemas();
    analysis::add_schemas(out.as_object_mut().expect("an object"));
    out
}

/// The document.
pub fn spec() -> Value {
    let mut paths = Map::new();
    for (path, method, op) in self::paths().into_iter().chain(analysis::paths()) {
        let entry = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
        entry[method] = op.to_json(method);
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
            "schemas": all_schemas(),
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
