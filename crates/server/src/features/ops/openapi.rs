//! The operations part of the document: health and readiness checks.

use serde_json::json;

use crate::app::openapi_blocks::{no_schemas, object, ok, Fragment, Op, PathOp};

pub(crate) const FRAGMENT: Fragment = Fragment {
    paths,
    schemas: no_schemas,
};

fn paths() -> Vec<PathOp> {
    vec![
        (
            "/healthz",
            "get",
            Op {
                summary: "Process is up",
                tag: "operations",
                auth: "public",
                params: vec![],
                body: None,
                success: (
                    "200",
                    ok(
                        "Up",
                        object(&["status"], json!({"status": {"type": "string"}})),
                    ),
                ),
                errors: &[],
            },
        ),
        (
            "/readyz",
            "get",
            Op {
                summary: "Database answers",
                tag: "operations",
                auth: "public",
                params: vec![],
                body: None,
                success: (
                    "200",
                    ok(
                        "Ready",
                        object(
                            &["status"],
                            json!({"status": {"type": "string"}, "backend": {"type": "string"}}),
                        ),
                    ),
                ),
                errors: &["503"],
            },
        ),
    ]
}
