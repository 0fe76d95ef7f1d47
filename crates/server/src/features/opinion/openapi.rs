//! The opinion-analysis part of the document: 民意库, 一事多诉 clusters, 未诉先办
//! alerts, 民意研判 reports and category corrections.

use police_square_domain::{Category, UnitKind};
use serde_json::{json, Map, Value};

use crate::app::openapi::{
    action, body, id_param, keys, nullable, object, ok, query, schema, strict, Op,
};

const READ_ERRORS: &[&str] = &["400", "401", "403", "404"];
const WRITE_ERRORS: &[&str] = &["400", "401", "403", "404", "409", "422"];

fn get(summary: &'static str, tag: &'static str, params: Vec<Value>, success: Value) -> Op {
    Op {
        summary,
        tag,
        auth: "staff",
        params,
        body: None,
        success: ("200", success),
        errors: READ_ERRORS,
    }
}

pub(crate) fn paths() -> Vec<(&'static str, &'static str, Op)> {
    let alert_id = || vec![id_param("id", "Alert id")];
    let report_id = || vec![id_param("id", "Report id")];
    let report = || ok("The report", schema("ReportView"));
    let correctable: Vec<&str> = Category::DEFAULTS
        .iter()
        .copied()
        .filter(|c| *c != Category::CONDUCT)
        .collect();
    vec![
        ("/api/v1/appeals/{id}/category", "post", action(
            "Correct the topic category (kept for retraining the category model; not into or out of `conduct`; open appeals the caller handles)",
            Some(strict(&["category"], json!({"category": {"enum": keys(&correctable)}}))),
            ("200", ok("The appeal after the change", schema("Appeal"))))),
        ("/api/v1/opinion", "get", get(
            "民意库: a period's appeals in a unit's subtree by category, kind, sub-unit and day against the previous period of the same length, with the largest clusters and the alerts. Drill down with GET /api/v1/appeals?unit=&from=&to=&category=|kind=",
            "analysis",
            vec![
                query("period", json!({"enum": ["7d", "30d", "90d", "custom"], "default": "30d"}), "The last 7, 30 or 90 days (today included), or custom days"),
                query("from", json!({"type": "string", "format": "date"}), "First day (China time), with period=custom"),
                query("to", json!({"type": "string", "format": "date"}), "Last day (China time, inclusive), with period=custom; at most 400 days"),
                query("unit", json!({"type": "integer", "format": "int64"}), "A unit inside the caller's subtree (default: their own)"),
            ],
            ok("The live view", schema("Opinion")))),
        ("/api/v1/clusters/{id}", "get", get(
            "一事多诉: a cluster with its appeals in the caller's subtree (404 when none is)",
            "analysis", vec![id_param("id", "Cluster id")],
            ok("The cluster", schema("ClusterDetail")))),
        ("/api/v1/alerts", "get", get(
            "未诉先办: emerging-issue alerts concerning the caller's subtree, detected in the last 180 days (at most 200, newest first)",
            "analysis", vec![],
            ok("Alerts", json!({"type": "array", "items": schema("Alert")})))),
        ("/api/v1/alerts/{id}", "get", get(
            "An alert with the appeals behind it in the caller's subtree",
            "analysis", alert_id(), ok("The alert", schema("AlertDetail")))),
        ("/api/v1/alerts/{id}/status", "post", Op {
            summary: "Mark what was done about an alert (已研判 / 不予处理); supervisors, analysts, leaders, admins",
            tag: "analysis", auth: "staff", params: alert_id(),
            body: Some(body(strict(&["status"], json!({
                "status": {"enum": ["open", "acknowledged", "dismissed"]},
                "note": {"type": ["string", "null"], "maxLength": 2000}})))),
            success: ("200", ok("The alert after the change", schema("AlertDetail"))),
            errors: WRITE_ERRORS,
        }),
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
        ("/api/v1/reports/{id}", "get", get(
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
            body: Some(body(strict(&["text"], json!({"text": {"type": "string", "maxLength": 2000}})))),
            success: ("201", ok("The note", schema("ReportAnnotation"))),
            errors: WRITE_ERRORS,
        }),
    ]
}

pub(crate) fn add_schemas(out: &mut Map<String, Value>) {
    let int = || json!({"type": "integer", "format": "int64"});
    let int_or_null = || json!({"type": ["integer", "null"], "format": "int64"});
    let ms = || json!({"type": "integer", "format": "int64", "description": "Milliseconds since the Unix epoch, UTC"});
    let string = || json!({"type": "string"});
    let strings = || json!({"type": "array", "items": {"type": "string"}});
    let number = || json!({"type": "number"});
    let list = |name: &str| json!({"type": "array", "items": schema(name)});
    let masked = "Residents' words: digit runs of 7 or more (phone, ID numbers) masked";
    let added = json!({
        "Figure": object(&["key", "total", "negative", "previous"], json!({
            "key": {"type": "string", "description": "Category key (empty: not categorised) or appeal kind"},
            "total": int(), "negative": {"type": "integer", "description": "Of which negative in sentiment"},
            "previous": {"type": "integer", "description": "The previous period's count"}})),
        "Opinion": object(&["unit", "period", "from", "to", "total", "by_category", "by_kind", "units", "daily", "clusters", "alerts"], json!({
            "unit": schema("Unit"), "parent_id": int_or_null(),
            "period": {"enum": ["7d", "30d", "90d", "custom"]}, "from": ms(), "to": ms(),
            "total": int(), "negative": int(), "previous_total": int(),
            "by_category": list("Figure"), "by_kind": list("Figure"),
            "units": {"type": "array", "items": object(&["unit_id", "name", "total", "previous"], json!({
                "unit_id": int(), "name": string(), "kind": {"enum": keys(UnitKind::ALL)},
                "total": int(), "negative": int(), "previous": int()}))},
            "daily": {"type": "array", "items": object(&["date", "total", "negative"], json!({
                "date": {"type": "string", "format": "date"}, "total": int(), "negative": int()}))},
            "clusters": list("Cluster"), "alerts": list("Alert")})),
        "Cluster": object(&["id", "first_appeal_id", "label", "size"], json!({
            "id": int(), "first_appeal_id": int(), "unit_path": string(), "category": nullable("string"),
            "label": {"type": "string", "description": masked}, "size": int(), "first_at": ms(), "last_at": ms()})),
        "ClusterDetail": object(&["cluster", "appeals"], json!({
            "cluster": schema("Cluster"), "unit_name": nullable("string"),
            "appeals": {"type": "array", "items": schema("AppealSummary"), "description": "Newest first, at most 200; excerpts masked"}})),
        "Alert": object(&["id", "district_unit_id", "period_start", "period_end", "keywords", "status", "appeal_count"], json!({
            "id": int(), "district_unit_id": {"type": "integer", "format": "int64", "description": "The place it names: a district, or a station holding all its appeals"},
            "place_name": nullable("string"), "unit_path": string(), "period_start": ms(), "period_end": ms(),
            "keywords": strings(), "categories": strings(), "observed": int(), "expected": number(),
            "p_value": number(), "detected_at": ms(), "status": {"enum": ["open", "acknowledged", "dismissed"]},
            "handled_by": int_or_null(), "note": nullable("string"), "appeal_count": int()})),
        "AlertDetail": object(&["alert", "can_handle", "appeals"], json!({
            "alert": schema("Alert"), "can_handle": {"type": "boolean"},
            "appeals": {"type": "array", "items": schema("AppealSummary"), "description": "At most 200; excerpts masked"}})),
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
    out.extend(added.as_object().expect("an object").clone());
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
        out.insert(name.to_owned(), value);
    }
}
