//! The dashboard part of the document: the three rates (三率) per unit.

use police_square_domain::UnitKind;
use serde_json::{json, Value};

use crate::app::openapi_blocks::{
    int, int_or_null, keys, ms, object, ok, query, schema, string, Fragment, Op, PathOp,
};

pub(crate) const FRAGMENT: Fragment = Fragment { paths, schemas };

fn paths() -> Vec<PathOp> {
    vec![(
        "/api/v1/dashboard",
        "get",
        Op {
            summary: "Three rates (三率) per unit, rolled up the tree, with case counts",
            tag: "supervision",
            auth: "staff",
            params: vec![
                query(
                    "from",
                    json!({"type": "integer", "format": "int64"}),
                    "Start (epoch ms, inclusive); default 30 days before `to`",
                ),
                query(
                    "to",
                    json!({"type": "integer", "format": "int64"}),
                    "End (epoch ms, exclusive); default now",
                ),
            ],
            body: None,
            success: ("200", ok("Rates", schema("Dashboard"))),
            errors: &["400", "401", "403"],
        },
    )]
}

fn schemas() -> Value {
    let rate = json!({"type": "object", "required": ["value", "numerator", "denominator"], "properties": {
        "value": {"type": ["number", "null"]}, "numerator": int(), "denominator": int()}});
    json!({
        "RateCounts": object(&["total"], json!({
            "total": int(), "responded_on_time": int(), "replied": int(), "replied_on_time": int(), "rated": int(),
            "resolved": int(), "satisfied": int(), "basic": int(), "overdue": int(), "reopened": int()})),
        "Rate": rate,
        "Rates": object(&["response", "resolution", "satisfaction"], json!({
            "response": schema("Rate"), "resolution": schema("Rate"), "satisfaction": schema("Rate"),
            "on_time_closure": schema("Rate"), "reopen": schema("Rate"), "overdue": int(), "total": int(),
            "composite": {"type": ["number", "null"]}})),
        "Dashboard": object(&["from", "to", "units"], json!({"from": ms(), "to": ms(),
            "units": {"type": "array", "items": object(&["unit_id", "name", "counts", "rates"], json!({
                "unit_id": int(), "parent_id": int_or_null(), "name": string(), "kind": {"enum": keys(UnitKind::ALL)},
                "depth": {"type": "integer"}, "counts": schema("RateCounts"), "rates": schema("Rates")}))}})),
    })
}
