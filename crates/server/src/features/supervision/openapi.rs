//! The supervision part of the document: decisions on requests, the supervision view.

use serde_json::{json, Value};

use crate::app::openapi_blocks::{
    body, id_param, nullable, object, ok, query, schema, strict, Fragment, Op, PathOp,
};

pub(crate) const FRAGMENT: Fragment = Fragment { paths, schemas };

fn paths() -> Vec<PathOp> {
    vec![
        (
            "/api/v1/requests/{id}/decide",
            "post",
            Op {
                summary: "Supervisor decides an extension, transfer or review request",
                tag: "supervision",
                auth: "staff",
                params: vec![id_param("id", "Request id")],
                body: Some(body(strict(
                    &["approve"],
                    json!({"approve": {"type": "boolean"}, "comment": nullable("string")}),
                ))),
                success: ("200", ok("The decided request", schema("Request"))),
                errors: &["400", "401", "403", "404", "409", "422"],
            },
        ),
        (
            "/api/v1/supervision",
            "get",
            Op {
                summary: "Cases under supervision, overdue cases, pending requests (督办)",
                tag: "supervision",
                auth: "staff",
                params: vec![query(
                    "page",
                    json!({"type": "integer", "minimum": 0}),
                    "Zero-based page",
                )],
                body: None,
                success: ("200", ok("Supervision view", schema("SupervisionView"))),
                errors: &["400", "401", "403"],
            },
        ),
    ]
}

fn schemas() -> Value {
    json!({
        "SupervisionView": object(&["cases", "overdue", "pending_requests"], json!({
            "cases": schema("AppealPage"), "overdue": schema("AppealPage"),
            "pending_requests": {"type": "array", "items": schema("Request")}})),
    })
}
