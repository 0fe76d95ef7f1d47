//! Server-rendered HTML: the resident portal (警务e广场, no login) and the staff
//! console (`/staff/...`). Handlers are thin: they call the services in [`crate::features`] and render
//! askama templates from `templates/`. Every user-facing word comes from the locale
//! catalogs (`page.*` keys and the shared enum keys), zh-CN first, `?lang=en` or the
//! `lang` cookie for English.
//!
//! [`html_layer`] wraps the whole app (outermost) for page paths: it remembers the
//! language choice, issues the anonymous form token (see [`ctx`]), sends signed-out
//! staff to the login page and turns every error response — including those produced
//! outside the pages (CSRF guard, body limit) — into a friendly HTML page in the
//! visitor's language.

pub mod ctx;
pub mod views;

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};

use crate::{
    app::{auth::cookie, i18n::Lang, state::AppState},
    features::{
        admin::{audit_page as admin_audit, org_page as admin_org, settings_page as admin},
        dashboard::page as dashboard,
        handling::console as staff,
        intake::hotline_page as hotline,
        opinion::page as opinion,
        reports::page as reports,
        resident::page as resident,
        search::page as search,
        supervision::page as supervision,
    },
};
use ctx::{add_cookie, form_cookie, lang_cookie, page_from_parts, FormToken, FORM_COOKIE};

pub use ctx::{fmt_rate, fmt_time};

/// The HTML routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(resident::home))
        .route("/static/app.css", get(static_css))
        .route("/favicon.ico", get(favicon))
        .route("/static/favicon.svg", get(favicon))
        .route("/static/hotline.js", get(static_hotline_js))
        .route(
            "/appeals/new",
            get(resident::new_form).post(resident::submit),
        )
        .route("/track", get(resident::track_form))
        .route("/t/{code}", get(resident::short_link))
        .route("/track/{code}", get(resident::track_page))
        .route("/track/{code}/otp", post(resident::send_otp))
        .route("/track/{code}/verify", post(resident::verify))
        .route("/track/{code}/rate", post(resident::rate))
        .route("/staff/login", get(staff::login_form).post(staff::login))
        .route("/staff/logout", post(staff::logout))
        .route("/staff", get(staff::inbox))
        .route("/staff/appeals/{id}", get(staff::detail))
        .route("/staff/appeals/{id}/{action}", post(staff::act))
        .route("/staff/hotline", get(hotline::page).post(hotline::record))
        .route("/staff/hotline/history", post(hotline::history_fragment))
        .route("/staff/supervision", get(supervision::page))
        .route("/staff/requests/{id}/decide", post(supervision::decide))
        .route("/staff/search", get(search::page))
        .route("/staff/dashboard", get(dashboard::page))
        .route("/staff/reports", get(reports::list).post(reports::generate))
        .route("/staff/reports/{id}", get(reports::show))
        .route("/staff/reports/{id}/publish", post(reports::publish))
        .route("/staff/reports/{id}/annotate", post(reports::annotate))
        .route("/staff/opinion", get(opinion::page))
        .route("/staff/clusters/{id}", get(opinion::cluster))
        .route("/staff/alerts", get(opinion::alerts))
        .route("/staff/alerts/{id}", get(opinion::alert))
        .route("/staff/alerts/{id}/status", post(opinion::set_alert_status))
        .route("/staff/admin", get(admin::page))
        .route("/staff/admin/{section}", post(admin::save))
        .route("/staff/admin/{section}/{id}", post(admin::edit))
        .route(
            "/staff/admin/units",
            get(admin_org::units).post(admin_org::create_unit),
        )
        .route(
            "/staff/admin/units/{id}",
            get(admin_org::unit).post(admin_org::save_unit),
        )
        .route(
            "/staff/admin/staff",
            get(admin_org::staff_list).post(admin_org::create_staff),
        )
        .route(
            "/staff/admin/staff/{id}",
            get(admin_org::account).post(admin_org::save_account),
        )
        .route(
            "/staff/admin/staff/{id}/{action}",
            post(admin_org::account_action),
        )
        .route("/staff/admin/audit", get(admin_audit::page))
}

/// One small stylesheet, embedded in the binary.
async fn static_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/app.css"),
    )
        .into_response()
}

/// The browser tab's icon: a small badge, served for `/favicon.ico` too (browsers ask
/// there first; they accept SVG whatever the name).
async fn favicon() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../../static/favicon.svg"),
    )
        .into_response()
}

/// The hotline page's one script (caller history as the number is typed).
async fn static_hotline_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../static/hotline.js"),
    )
        .into_response()
}

/// True for the paths the pages own: everything but the JSON API (`/api/…`) and the
/// health checks, so an unknown page (`/stats`) gets an HTML 404 while API errors
/// stay JSON.
pub fn is_page_path(path: &str) -> bool {
    let api = ["/api", "/healthz", "/readyz"]
        .iter()
        .any(|p| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')));
    !api
}

/// Outermost middleware for page paths; see the module docs.
pub async fn html_layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !is_page_path(&path) || path.starts_with("/static/") {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let lang = Lang::from_parts(&parts);
    let lang_chosen = parts
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .any(|kv| kv.strip_prefix("lang=").and_then(Lang::parse).is_some());
    let existing = cookie(&parts.headers, FORM_COOKIE).filter(|v| is_token(v));
    let token = FormToken {
        value: existing.clone().unwrap_or_else(crate::app::auth::new_token),
        from_cookie: existing.is_some(),
    };
    parts.extensions.insert(token.clone());
    let method = parts.method.clone();
    let error_parts = {
        let mut p = axum::http::Request::new(());
        *p.uri_mut() = parts.uri.clone();
        *p.headers_mut() = parts.headers.clone();
        p.extensions_mut().insert(token.clone());
        p.into_parts().0
    };

    // Until units exist the resident's way in says the service is not open yet.
    let response = match crate::app::setup::gate_resident_page(&state, &path).await {
        Some(closed) => closed,
        None => next.run(Request::from_parts(parts, body)).await,
    };

    let mut response = if response.status() == StatusCode::UNAUTHORIZED
        && path.starts_with("/staff")
        && path != "/staff/login"
    {
        let next_path = if method == Method::GET {
            path.as_str()
        } else {
            "/staff"
        };
        ctx::see_other(&format!("/staff/login?next={}", urlencode(next_path)))
    } else if response.status().is_client_error() || response.status().is_server_error() {
        if is_html(&response) {
            response
        } else {
            views::error_page(&page_from_parts(&error_parts), response).await
        }
    } else {
        response
    };
    if is_html(&response) {
        harden(
            &mut response,
            path.starts_with("/staff") || path.starts_with("/track"),
        );
    }
    if !token.from_cookie {
        add_cookie(
            &mut response,
            form_cookie(&token.value, state.config.secure_cookies),
        );
    }
    if lang_chosen {
        add_cookie(&mut response, lang_cookie(lang));
    }
    response
}

/// Defence in depth for every page: no scripts but our own files (no inline script;
/// only the hotline page uses one), no
/// framing, no referrer (tracking codes are in URLs), and no caching of console pages
/// or tracking pages.
fn harden(response: &mut Response, private: bool) {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if private {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

fn is_token(v: &str) -> bool {
    v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Percent-encode a path for a query value.
pub(crate) fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Body of an error response (small: error bodies are JSON messages or plain text).
pub(crate) async fn error_code(
    response: Response,
) -> (StatusCode, Option<HeaderValue>, Option<String>) {
    let status = response.status();
    let retry = response.headers().get(header::RETRY_AFTER).cloned();
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let code = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(str::to_owned));
    (status, retry, code)
}
