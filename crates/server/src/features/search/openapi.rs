//! The search part of the document: full-text search over appeals.

use police_square_domain::{AppealKind, Status};
use serde_json::{json, Value};

use super::MAX_QUERY_CHARS;

use crate::app::openapi_blocks::{keys, object, ok, query, schema, string, Fragment, Op, PathOp};

pub(crate) const FRAGMENT: Fragment = Fragment { paths, schemas };

fn paths() -> Vec<PathOp> {
    vec![
        ("/api/v1/search", "get", Op {
            summary: "Full-text search over the appeals in the caller's subtree (every word must match; newest first; conduct complaints only for supervisors outside the accused unit)",
            tag: "analysis", auth: "staff",
            params: vec![
                query("q", json!({"type": "string", "maxLength": MAX_QUERY_CHARS}), "Words to search for, segmented like the appeal texts; no searchable word gives no results"),
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
    ]
}

fn schemas() -> Value {
    json!({
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
    })
}
