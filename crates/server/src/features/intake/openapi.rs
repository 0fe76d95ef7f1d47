//! The intake part of the document: submitting an appeal and the caller lookup.

use police_square_domain::{appeal::AppealText, AppealKind, Channel, Status};
use serde_json::{json, Value};

use crate::app::openapi_blocks::{
    body, int, int_or_null, keys, ms, nullable, object, ok, schema, strict, string, Fragment, Op,
    PathOp,
};

pub(crate) const FRAGMENT: Fragment = Fragment { paths, schemas };

fn paths() -> Vec<PathOp> {
    vec![
        ("/api/v1/appeals", "post", Op {
            summary: "Submit an appeal (public). Idempotency-Key: the same key (and phone) again returns the first appeal with 200",
            tag: "intake", auth: "public",
            params: vec![json!({"name": "Idempotency-Key", "in": "header", "required": false,
                "schema": {"type": "string", "maxLength": 200}})],
            body: Some(body(schema("NewAppeal"))),
            success: ("201", ok("Created (200: the same appeal again, for a repeated Idempotency-Key)", schema("SubmitResponse"))),
            errors: &["400", "413", "415", "422", "429", "503"],
        }),
        ("/api/v1/callers/lookup", "post", Op {
            summary: "Hotline: a caller's earlier appeals by phone (audited)", tag: "intake", auth: "staff",
            params: vec![], body: Some(body(strict(&["phone"], json!({"phone": {"type": "string"}})))),
            success: ("200", ok("Earlier appeals, newest first", json!({"type": "array", "items": schema("AppealSummary")}))),
            errors: &["401", "403", "422"],
        }),
    ]
}

fn schemas() -> Value {
    json!({
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
    })
}
