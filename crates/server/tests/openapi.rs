//! The OpenAPI document: a snapshot, and every API route documented (and vice versa).

use std::collections::BTreeSet;

use police_square_server::app::openapi::spec;

const SNAPSHOT: &str = "tests/openapi.snap.json";

#[test]
fn document_matches_the_snapshot() {
    let current = serde_json::to_string_pretty(&spec()).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os("UPDATE_SNAPSHOT").is_some() {
        std::fs::write(&path, &current).unwrap();
    }
    let stored = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{SNAPSHOT} missing: run with UPDATE_SNAPSHOT=1"));
    assert!(
        stored == current,
        "the OpenAPI document changed; review and run with UPDATE_SNAPSHOT=1 to accept"
    );
}

/// `(method, path)` of every `.route(...)` in `src/app/api.rs`.
fn routes_in_router() -> BTreeSet<(String, String)> {
    let source = include_str!("../src/app/api.rs");
    let mut out = BTreeSet::new();
    for chunk in source.split(".route(").skip(1) {
        let path = chunk.split('"').nth(1).unwrap().to_owned();
        let call = &chunk[..chunk.find(")\n").unwrap_or(chunk.len())];
        for method in ["get", "post", "put", "patch", "delete"] {
            if call.contains(&format!("{method}(")) {
                out.insert((method.to_owned(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn every_route_is_documented_and_every_documented_route_exists() {
    let routes = routes_in_router();
    assert!(routes.len() > 20, "parsed {routes:?}");
    let doc = spec();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.clone(), path.clone()));
        }
    }
    let missing: Vec<_> = routes.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&routes).collect();
    assert!(
        missing.is_empty(),
        "routes without documentation: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "documented routes that do not exist: {stale:?}"
    );
}

#[test]
fn every_reference_resolves() {
    let doc = spec();
    let text = doc.to_string();
    for r in text.split("\"$ref\":\"").skip(1) {
        let target = r.split('"').next().unwrap();
        let pointer = target.trim_start_matches('#');
        assert!(doc.pointer(pointer).is_some(), "dangling $ref {target}");
    }
}
