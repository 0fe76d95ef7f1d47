//! The directory part of the document: units, departments, reply templates, staff profiles.

use police_square_domain::{AppealKind, Role, UnitKind};
use serde_json::{json, Value};

use crate::app::openapi_blocks::{
    int, int_or_null, keys, nullable, object, ok, schema, string, Fragment, Op, PathOp,
};

pub(crate) const FRAGMENT: Fragment = Fragment { paths, schemas };

fn paths() -> Vec<PathOp> {
    vec![
        (
            "/api/v1/units",
            "get",
            Op {
                summary: "The unit tree (public)",
                tag: "directory",
                auth: "public",
                params: vec![],
                body: None,
                success: (
                    "200",
                    ok("Units", json!({"type": "array", "items": schema("Unit")})),
                ),
                errors: &[],
            },
        ),
        (
            "/api/v1/departments",
            "get",
            Op {
                summary: "External departments for hand-offs",
                tag: "directory",
                auth: "staff",
                params: vec![],
                body: None,
                success: (
                    "200",
                    ok(
                        "Departments",
                        json!({"type": "array", "items": schema("Department")}),
                    ),
                ),
                errors: &["401"],
            },
        ),
        (
            "/api/v1/reply-templates",
            "get",
            Op {
                summary: "Reply templates",
                tag: "directory",
                auth: "staff",
                params: vec![],
                body: None,
                success: (
                    "200",
                    ok(
                        "Templates",
                        json!({"type": "array", "items": schema("ReplyTemplate")}),
                    ),
                ),
                errors: &["401"],
            },
        ),
    ]
}

fn schemas() -> Value {
    json!({
        "StaffProfile": object(&["id", "username", "display_name", "role", "unit_id"], json!({
            "id": int(), "username": string(), "display_name": string(), "role": {"enum": keys(Role::ALL)}, "unit_id": int()})),
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
