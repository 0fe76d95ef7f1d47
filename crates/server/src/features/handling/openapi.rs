//! The handling part of the document: staff sign-in, the inbox, the case and its
//! actions (including the category correction), hand-off receipts.

use police_square_domain::{free_text::Remark, AppealKind, Category, Channel, Status};
use serde_json::{json, Value};

use crate::app::openapi_blocks::{
    action, body, id_param, int, int_or_null, keys, ms, ms_or_null, nullable, object, ok, query,
    schema, strict, string, Fragment, Op, PathOp,
};

pub(crate) const FRAGMENT: Fragment = Fragment { paths, schemas };

fn paths() -> Vec<PathOp> {
    let appeal = || ok("The appeal after the change", schema("Appeal"));
    let correctable: Vec<&str> = Category::DEFAULTS
        .iter()
        .copied()
        .filter(|c| *c != Category::CONDUCT)
        .collect();
    vec![
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
        ("/api/v1/handoffs/{id}/acknowledge", "post", Op {
            summary: "Record the department's receipt (回执)", tag: "handling", auth: "staff",
            params: vec![id_param("id", "Hand-off id")],
            body: Some(body(strict(&["appeal_id", "receipt"], json!({"appeal_id": {"type": "integer", "format": "int64"}, "receipt": {"type": "string"}})))),
            success: ("200", ok("The hand-off", schema("Handoff"))),
            errors: &["400", "401", "403", "404", "409", "422"],
        }),
        ("/api/v1/appeals/{id}/category", "post", action(
            "Correct the topic category (kept for retraining the category model; not into or out of `conduct`; open appeals the caller handles)",
            Some(strict(&["category"], json!({"category": {"enum": keys(&correctable)}}))),
            ("200", ok("The appeal after the change", schema("Appeal"))))),
    ]
}

fn schemas() -> Value {
    json!({
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
        "LoginResponse": object(&["csrf_token", "expires_at", "staff"], json!({
            "csrf_token": string(), "expires_at": ms(), "staff": schema("StaffProfile")})),
    })
}
