//! The reports part of the document: 民意研判 periodic reports and their frozen content.

use police_square_domain::free_text::AnalystNote;
use serde_json::{json, Value};

use crate::app::openapi_blocks::{
    body, id_param, int, int_or_null, list, ms, nullable, number, object, ok, schema, staff_get,
    strict, string, strings, Fragment, Op, PathOp, WRITE_ERRORS,
};

pub(crate) const FRAGMENT: Fragment = Fragment { paths, schemas };

fn paths() -> Vec<PathOp> {
    let report_id = || vec![id_param("id", "Report id")];
    let report = || ok("The report", schema("ReportView"));
    vec![
        ("/api/v1/reports", "get", Op {
            summary: "民意研判 reports of the caller's bureau (the city sees all; supervisors, analysts, leaders, admins)",
            tag: "reports", auth: "staff", params: vec![], body: None,
            success: ("200", ok("Reports", schema("ReportList"))),
            errors: &["401", "403"],
        }),
        ("/api/v1/reports", "post", Op {
            summary: "Generate (or regenerate) the draft of a period on demand: 201 with the draft; 200 with the report unchanged when it is published (frozen). Analysts, leaders, admins",
            tag: "reports", auth: "staff", params: vec![],
            body: Some(body(strict(&["kind", "date", "unit_id"], json!({
                "kind": {"enum": ["weekly", "monthly", "quarterly"]},
                "date": {"type": "string", "format": "date", "description": "Any China-time day of the period"},
                "unit_id": {"type": "integer", "format": "int64", "description": "The city bureau or a district bureau in scope"}})))),
            success: ("201", ok("The draft (200: the published report, unchanged)", schema("ReportView"))),
            errors: WRITE_ERRORS,
        }),
        ("/api/v1/reports/{id}", "get", staff_get(
            "A report: its frozen content snapshot (quotes masked) and leaders' notes",
            "reports", report_id(), report())),
        ("/api/v1/reports/{id}/publish", "post", Op {
            summary: "Publish a draft; it is frozen from then on (409 when already published; audited)",
            tag: "reports", auth: "staff", params: report_id(), body: None,
            success: ("200", report()),
            errors: WRITE_ERRORS,
        }),
        ("/api/v1/reports/{id}/annotate", "post", Op {
            summary: "A leader's note on a published report (409 on a draft; audited)",
            tag: "reports", auth: "staff", params: report_id(),
            body: Some(body(strict(&["text"], json!({"text": {"type": "string", "maxLength": AnalystNote::MAX_CHARS}})))),
            success: ("201", ok("The note", schema("ReportAnnotation"))),
            errors: WRITE_ERRORS,
        }),
    ]
}

fn schemas() -> Value {
    let mut schemas = json!({
        "ReportItem": object(&["id", "kind", "period_start", "period_end", "unit_id", "status", "label"], json!({
            "id": int(), "kind": {"enum": ["weekly", "monthly", "quarterly"]}, "period_start": ms(), "period_end": ms(),
            "unit_id": int(), "unit_path": string(), "unit_name": nullable("string"),
            "status": {"enum": ["draft", "published"]}, "generated_at": ms(), "generated_by": int_or_null(),
            "published_at": {"type": ["integer", "null"], "format": "int64"}, "published_by": int_or_null(),
            "label": {"type": "string", "description": "2026-W10, 2026-03, 2026-Q1"}})),
        "ReportList": object(&["items", "can_generate", "units"], json!({
            "items": list("ReportItem"), "can_generate": {"type": "boolean"},
            "units": {"type": "array", "items": object(&["id", "name"], json!({"id": int(), "name": string()}))}})),
        "ReportView": object(&["report", "content", "annotations", "can_annotate"], json!({
            "report": schema("ReportItem"), "content": schema("ReportContent"),
            "annotations": list("ReportAnnotation"), "can_annotate": {"type": "boolean"}})),
        "ReportAnnotation": object(&["id", "report_id", "author_id", "at", "text"], json!({
            "id": int(), "report_id": int(), "author_id": int(), "author_name": string(), "at": ms(), "text": string()})),
        "Share": object(&["key", "count", "previous"], json!({
            "key": {"type": "string", "description": "Kind, channel or category key (`none`: no category), or a unit id"},
            "name": string(), "count": int(), "previous": int()})),
        "RateRow": object(&["unit_id", "name", "counts", "rates"], json!({
            "unit_id": int(), "name": string(), "rank": {"type": ["integer", "null"]},
            "counts": schema("RateCounts"), "rates": schema("Rates")})),
    });
    // The report snapshot, in parts (one json! of it all exceeds the macro recursion).
    let quote = object(
        &["appeal_id", "text"],
        json!({
        "appeal_id": int(), "unit": string(), "received_at": ms(),
        "text": {"type": "string", "description": "Personal data masked (numbers, the resident's name, phone and address)"},
        "clustered": {"type": "boolean"}}),
    );
    let concern = object(
        &["category", "count", "quotes"],
        json!({
        "category": string(), "count": int(), "previous": int(), "share": number(),
        "quotes": list("ReportQuote")}),
    );
    let clusters = object(
        &["clusters", "appeals", "top"],
        json!({
        "clusters": int(), "appeals": int(),
        "top": {"type": "array", "items": object(&["id", "label", "size"], json!({
            "id": int(), "label": string(), "category": nullable("string"), "unit": string(),
            "in_period": int(), "size": int(), "first_at": ms(), "last_at": ms()}))}}),
    );
    let emerging = object(
        &["id", "keywords"],
        json!({
        "id": int(), "district": string(), "period_start": ms(), "period_end": ms(),
        "keywords": strings(), "categories": strings(), "observed": int(), "expected": number(),
        "p_value": number(), "appeals": int()}),
    );
    let content = object(
        &[
            "version",
            "kind",
            "label",
            "period_start",
            "period_end",
            "unit_id",
            "total",
            "concerns",
            "rates",
        ],
        json!({
        "version": {"type": "integer"}, "kind": {"enum": ["weekly", "monthly", "quarterly"]}, "label": string(),
        "period_start": ms(), "period_end": ms(), "previous_start": ms(), "previous_end": ms(),
        "unit_id": int(), "unit_name": string(), "generated_at": ms(), "total": int(), "previous_total": int(),
        "by_kind": list("Share"), "by_channel": list("Share"), "by_category": list("Share"), "by_unit": list("Share"),
        "daily": {"type": "array", "items": object(&["date", "count"], json!({"date": {"type": "string", "format": "date"}, "count": int()}))},
        "concerns": list("ReportConcern"), "clusters": schema("ReportClusters"), "emerging": list("ReportEmerging"),
        "rates": object(&["current", "previous", "ranking"], json!({
            "current": schema("RateRow"), "previous": schema("RateRow"), "ranking": list("RateRow")}))}),
    );
    for (name, value) in [
        ("ReportQuote", quote),
        ("ReportConcern", concern),
        ("ReportClusters", clusters),
        ("ReportEmerging", emerging),
        ("ReportContent", content),
    ] {
        schemas[name] = value;
    }
    schemas
}
