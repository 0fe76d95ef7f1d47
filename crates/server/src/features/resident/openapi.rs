//! The resident part of the document: tracking by code, one-time codes, rating.

use police_square_domain::{free_text::Remark, AppealKind, Satisfaction, Status};
use serde_json::{json, Value};

use crate::app::openapi_blocks::{
    body, keys, ms, ms_or_null, nullable, object, ok, schema, strict, string, Fragment, Op, PathOp,
};

fn code_param() -> Value {
    json!({ "name": "code", "in": "path", "required": true,
            "description": "Tracking code as typed (case, dashes and look-alikes are normalised)",
            "schema": { "type": "string" } })
}

pub(crate) const FRAGMENT: Fragment = Fragment { paths, schemas };

fn paths() -> Vec<PathOp> {
    vec![
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
    json!({
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
    })
}
