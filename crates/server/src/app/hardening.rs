//! Defence in depth for every response and request, outside the routes: JSON is
//! never cached, sniffed or framed; oversized request headers are refused (431); a
//! state-changing request sent from a foreign page (its `Origin` is neither this
//! server nor `public_base_url`) is refused (403). HTML pages get their own headers
//! in `pages::html_layer`.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::app::{error::AppError, state::AppState};

/// All request headers together (names and values); a browser sends a few KB.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if header_bytes(request.headers()) > MAX_HEADER_BYTES {
        return AppError::HeadersTooLarge.into_response();
    }
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && is_foreign_origin(request.headers(), &state.config.public_base_url) {
        tracing::info!("state-changing request from a foreign origin refused");
        return AppError::Forbidden.into_response();
    }
    let mut response = next.run(request).await;
    if is_json(&response) {
        let h = response.headers_mut();
        // Answers may hold personal data (above all `/reveal`): never store them.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    response
}

fn header_bytes(headers: &HeaderMap) -> usize {
    headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum()
}

/// Whether `Origin` names another site. No `Origin` (non-browser clients) is not
/// foreign: the CSRF token still guards sessions. `Origin: null` is what browsers
/// send for our own forms under `Referrer-Policy: no-referrer` (the pages' policy),
/// and also from sandboxed frames: it is foreign only when `Sec-Fetch-Site` says the
/// request crossed sites.
fn is_foreign_origin(headers: &HeaderMap, public_base_url: &str) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    let origin = origin.trim_end_matches('/');
    if origin == "null" {
        let site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("same-origin");
        return !matches!(site, "same-origin" | "none");
    }
    let own_host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let host_of = |url: &str| {
        url.strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .map(|rest| rest.split('/').next().unwrap_or("").to_ascii_lowercase())
    };
    let Some(origin_host) = host_of(origin) else {
        // Another scheme.
        return true;
    };
    let same_host = !own_host.is_empty() && origin_host == own_host.to_ascii_lowercase();
    let public = host_of(public_base_url.trim()).is_some_and(|p| !p.is_empty() && p == origin_host);
    !(same_host || public)
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: &str, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ORIGIN, origin.parse().unwrap());
        h.insert(header::HOST, host.parse().unwrap());
        h
    }

    #[test]
    fn own_and_public_origins_pass_others_do_not() {
        assert!(!is_foreign_origin(
            &headers("http://127.0.0.1:8080", "127.0.0.1:8080"),
            ""
        ));
        assert!(!is_foreign_origin(
            &headers("https://jubao.example.gov.cn", "10.0.0.5:8080"),
            "https://jubao.example.gov.cn/"
        ));
        assert!(is_foreign_origin(
            &headers("https://evil.example", "127.0.0.1:8080"),
            ""
        ));
        let mut from_our_form = headers("null", "127.0.0.1:8080");
        assert!(!is_foreign_origin(&from_our_form, ""));
        from_our_form.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(!is_foreign_origin(&from_our_form, ""));
        let mut sandboxed = headers("null", "127.0.0.1:8080");
        sandboxed.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(is_foreign_origin(&sandboxed, ""));
        assert!(!is_foreign_origin(&HeaderMap::new(), ""));
    }
}
