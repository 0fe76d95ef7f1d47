//! The opinion-analysis part of the document: 民意库, 一事多诉 clusters and 未诉先办
//! alerts.

use police_square_domain::{free_text::AnalystNote, UnitKind};
use serde_json::{json, Value};

use crate::app::openapi_blocks::{
    body, id_param, int, int_or_null, keys, list, ms, nullable, number, object, ok, query, schema,
    staff_get, strict, string, strings, Fragment, Op, PathOp, WRITE_ERRORS,
};

pub(crate) const FRAGMENT: Fragment = Fragment { paths, schemas };

fn paths() -> Vec<PathOp> {
    let alert_id = || vec![id_param("id", "Alert id")];
    vec![
        ("/api/v1/opinion", "get", staff_get(
            "民意库: a period's appeals in a unit's subtree by category, kind, sub-unit and day against the previous period of the same length, with the largest clusters and the alerts. Drill down with GET /api/v1/appeals?unit=&from=&to=&category=|kind=",
            "analysis",
            vec![
                query("period", json!({"enum": ["7d", "30d", "90d", "custom"], "default": "30d"}), "The last 7, 30 or 90 days (today included), or custom days"),
                query("from", json!({"type": "string", "format": "date"}), "First day (China time), with period=custom"),
                query("to", json!({"type": "string", "format": "date"}), "Last day (China time, inclusive), with period=custom; at most 400 days"),
                query("unit", json!({"type": "integer", "format": "int64"}), "A unit inside the caller's subtree (default: their own)"),
            ],
            ok("The live view", schema("Opinion")))),
        ("/api/v1/clusters/{id}", "get", staff_get(
            "一事多诉: a cluster with its appeals in the caller's subtree (404 when none is)",
            "analysis", vec![id_param("id", "Cluster id")],
            ok("The cluster", schema("ClusterDetail")))),
        ("/api/v1/alerts", "get", staff_get(
            "未诉先办: emerging-issue alerts concerning the caller's subtree, detected in the last 180 days (at most 200, newest first)",
            "analysis", vec![],
            ok("Alerts", json!({"type": "array", "items": schema("Alert")})))),
        ("/api/v1/alerts/{id}", "get", staff_get(
            "An alert with the appeals behind it in the caller's subtree",
            "analysis", alert_id(), ok("The alert", schema("AlertDetail")))),
        ("/api/v1/alerts/{id}/status", "post", Op {
            summary: "Mark what was done about an alert (已研判 / 不予处理); supervisors, analysts, leaders, admins",
            tag: "analysis", auth: "staff", params: alert_id(),
            body: Some(body(strict(&["status"], json!({
                "status": {"enum": ["open", "acknowledged", "dismissed"]},
                "note": {"type": ["string", "null"], "maxLength": AnalystNote::MAX_CHARS}})))),
            success: ("200", ok("The alert after the change", schema("AlertDetail"))),
            errors: WRITE_ERRORS,
        }),
    ]
}

fn schemas() -> Value {
    let masked = "Residents' words: digit runs of 7 or more (phone, ID numbers) masked";
    json!({
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
    })
}
