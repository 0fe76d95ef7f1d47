//! Building blocks of the OpenAPI document: operations, schemas, parameters and
//! the shared error responses, for [`super::openapi`] and the features' fragments.

use serde_json::{json, Map, Value};

pub(crate) fn keys<T: std::fmt::Display>(all: &[T]) -> Value {
    Value::Array(all.iter().map(|v| Value::String(v.to_string())).collect())
}

pub(crate) fn schema(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

pub(crate) fn nullable(t: &str) -> Value {
    json!({ "type": [t, "null"] })
}

pub(crate) fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

/// A closed request body: unknown fields are rejected (422).
pub(crate) fn strict(required: &[&str], properties: Value) -> Value {
    let mut o = object(required, properties);
    o["additionalProperties"] = json!(false);
    o
}

pub(crate) fn body(s: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": s } } })
}

pub(crate) fn ok(description: &str, s: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": s } } })
}

fn errors(codes: &[&str]) -> Map<String, Value> {
    codes
        .iter()
        .map(|c| {
            (
                (*c).to_owned(),
                json!({ "$ref": format!("#/components/responses/E{c}") }),
            )
        })
        .collect()
}

pub(crate) struct Op {
    pub(crate) summary: &'static str,
    pub(crate) tag: &'static str,
    /// `staff`, `resident` or `public`.
    pub(crate) auth: &'static str,
    pub(crate) params: Vec<Value>,
    pub(crate) body: Option<Value>,
    pub(crate) success: (&'static str, Value),
    pub(crate) errors: &'static [&'static str],
}

impl Op {
    /// The operation under HTTP `method`: besides its own errors, every operation may
    /// answer 431 (request headers too large) and every state-changing one 403 (a
    /// foreign `Origin`), from `app::hardening`.
    pub(crate) fn to_json(&self, method: &str) -> Value {
        let mut responses = errors(self.errors);
        let mut shared = vec!["431"];
        if !matches!(method, "get" | "head" | "options") {
            shared.push("403");
        }
        for (code, response) in errors(&shared) {
            responses.entry(code).or_insert(response);
        }
        responses.insert(self.success.0.to_owned(), self.success.1.clone());
        let mut op = json!({
            "summary": self.summary,
            "tags": [self.tag],
            "parameters": self.params,
            "responses": responses,
        });
        match self.auth {
            "staff" => op["security"] = json!([{ "staffSession": [], "csrfToken": [] }]),
            "resident" => op["security"] = json!([{ "residentSession": [], "csrfToken": [] }]),
            _ => op["security"] = json!([]),
        }
        if let Some(b) = &self.body {
            op["requestBody"] = b.clone();
        }
        op
    }
}

pub(crate) fn id_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description,
            "schema": { "type": "integer", "format": "int64" } })
}

pub(crate) fn query(name: &str, s: Value, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": s })
}

pub(crate) fn action(
    summary: &'static str,
    body_schema: Option<Value>,
    success: (&'static str, Value),
) -> Op {
    Op {
        summary,
        tag: "handling",
        auth: "staff",
        params: vec![id_param("id", "Appeal id")],
        body: body_schema.map(body),
        success,
        errors: &["400", "401", "403", "404", "409", "422"],
    }
}

pub(crate) const READ_ERRORS: &[&str] = &["400", "401", "403", "404"];
pub(crate) const WRITE_ERRORS: &[&str] = &["400", "401", "403", "404", "409", "422"];

/// A staff read without a body.
pub(crate) fn staff_get(
    summary: &'static str,
    tag: &'static str,
    params: Vec<Value>,
    success: Value,
) -> Op {
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

pub(crate) fn int() -> Value {
    json!({"type": "integer", "format": "int64"})
}

pub(crate) fn int_or_null() -> Value {
    json!({"type": ["integer", "null"], "format": "int64"})
}

/// An instant.
pub(crate) fn ms() -> Value {
    json!({"type": "integer", "format": "int64", "description": "Milliseconds since the Unix epoch, UTC"})
}

/// An instant that may not have happened yet.
pub(crate) fn ms_or_null() -> Value {
    int_or_null()
}

pub(crate) fn string() -> Value {
    json!({"type": "string"})
}

pub(crate) fn strings() -> Value {
    json!({"type": "array", "items": {"type": "string"}})
}

pub(crate) fn number() -> Value {
    json!({"type": "number"})
}

/// An array of the named schema.
pub(crate) fn list(name: &str) -> Value {
    json!({"type": "array", "items": schema(name)})
}

/// `(path, method, operation)`.
pub(crate) type PathOp = (&'static str, &'static str, Op);

/// A feature's part of the document: its operations and the schemas it owns (a JSON
/// object of name to schema; other fragments may refer to them).
pub(crate) struct Fragment {
    pub(crate) paths: fn() -> Vec<PathOp>,
    pub(crate) schemas: fn() -> Value,
}

/// For a fragment that owns no schema.
pub(crate) fn no_schemas() -> Value {
    json!({})
}
