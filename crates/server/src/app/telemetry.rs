//! Structured logs. Filter with `RUST_LOG` (default `info`); JSON lines with
//! `log_json = true`. What is logged: method, route path (tracking codes redacted),
//! status, latency, request id, ids of records — never phones, names, addresses,
//! appeal texts or request bodies.

use tracing_subscriber::{fmt, EnvFilter};

/// Install the global subscriber (once; later calls are ignored).
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    let _ = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.try_init()
    };
}

/// A request path safe to log: secrets in the path (tracking codes) are replaced.
pub fn loggable_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut redact_next = false;
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if redact_next && !segment.is_empty() {
            out.push_str("{code}");
        } else {
            out.push_str(segment);
        }
        // `/t/<code>` is the short link residents get by SMS.
        redact_next = segment == "track" || (i == 1 && segment == "t");
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn tracking_codes_are_not_logged() {
        assert_eq!(super::loggable_path("/t/ABCD1234EFGH5678"), "/t/{code}");
        assert_eq!(
            super::loggable_path("/api/v1/track/ABCD1234EFGH5678/otp"),
            "/api/v1/track/{code}/otp"
        );
        assert_eq!(
            super::loggable_path("/api/v1/appeals/7"),
            "/api/v1/appeals/7"
        );
    }
}
