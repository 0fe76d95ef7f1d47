//! Shared view pieces: the error page and labels of enum values.

use askama::Template;
use axum::{
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
};

use super::ctx::Page;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    p: &'a Page,
    status: u16,
    title: String,
    message: String,
    retry: bool,
    home: &'static str,
}

/// The message key of an error code from a JSON error body (see `AppError::code`).
fn message_key(status: StatusCode, code: Option<&str>) -> &'static str {
    match code {
        Some("bad_request") => "error.bad_request",
        Some("invalid_value") => "error.invalid_value",
        Some("unauthorized") => "error.unauthorized",
        Some("bad_credentials") => "error.bad_credentials",
        Some("forbidden") => "error.forbidden",
        Some("csrf") => "error.csrf",
        Some("not_found") => "error.not_found",
        Some("conflict") => "error.conflict",
        Some("too_many_requests") => "error.too_many_requests",
        Some("payload_too_large") => "error.payload_too_large",
        Some("unsupported_media_type") => "error.unsupported_media_type",
        Some("not_set_up") => "error.deploy.not_set_up",
        _ => match status {
            StatusCode::BAD_REQUEST => "error.bad_request",
            StatusCode::UNPROCESSABLE_ENTITY => "error.invalid_value",
            StatusCode::UNAUTHORIZED => "error.unauthorized",
            StatusCode::FORBIDDEN => "error.forbidden",
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => "error.not_found",
            StatusCode::CONFLICT => "error.conflict",
            StatusCode::TOO_MANY_REQUESTS => "error.too_many_requests",
            StatusCode::PAYLOAD_TOO_LARGE => "error.payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "error.unsupported_media_type",
            _ => "error.internal",
        },
    }
}

fn title_key(status: StatusCode) -> &'static str {
    match status {
        StatusCode::FORBIDDEN => "page.error.title_403",
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => "page.error.title_404",
        StatusCode::TOO_MANY_REQUESTS => "page.error.title_429",
        StatusCode::CONFLICT => "page.error.title_409",
        StatusCode::SERVICE_UNAVAILABLE => "page.deploy.title_503",
        s if s.is_server_error() => "page.error.title_500",
        _ => "page.error.title_400",
    }
}

/// Turn any error response into the friendly HTML error page (same status code,
/// `Retry-After` kept).
pub async fn error_page(p: &Page, response: Response) -> Response {
    let (status, retry, code) = super::error_code(response).await;
    let page = ErrorPage {
        p,
        status: status.as_u16(),
        title: p.t(title_key(status)),
        message: p.t(message_key(status, code.as_deref())),
        retry: retry.is_some(),
        home: if p.path.starts_with("/staff") {
            "/staff"
        } else {
            "/"
        },
    };
    let body = page
        .render()
        .unwrap_or_else(|_| format!("{} {}", status.as_u16(), page.message));
    let mut r = (status, Html(body)).into_response();
    if let Some(v) = retry {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("static"));
    r
}
