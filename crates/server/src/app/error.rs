//! The one application error type. Services return it; the JSON API renders it as
//! `{"error": {"code": "...", "message": "..."}}`; HTML pages map it through
//! [`AppError::status`] and [`AppError::message_key`] (a key of the locale catalogs).

use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use police_square_domain::DomainError;
use police_square_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is wrong; the message names the problem (English, safe to show).
    #[error("{0}")]
    BadRequest(String),
    /// A field value is well-formed JSON but not acceptable (unknown value, bad phone…).
    #[error("{0}")]
    Unprocessable(String),
    #[error("login required")]
    Unauthorized,
    /// Wrong one-time code or password: like `Unauthorized`, with its own message key.
    #[error("{0}")]
    BadCredentials(&'static str),
    #[error("forbidden")]
    Forbidden,
    /// Missing or wrong CSRF token.
    #[error("missing or invalid CSRF token")]
    Csrf,
    #[error("not found")]
    NotFound,
    /// The action does not fit the current state, or someone else changed it first.
    #[error("{0}")]
    Conflict(String),
    /// Held back by a rate limit or sign-in throttling; `Retry-After` tells the truth.
    #[error("too many requests, try again later")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("request body too large")]
    PayloadTooLarge,
    /// The request's headers together exceed `hardening::MAX_HEADER_BYTES`.
    #[error("request headers too large")]
    HeadersTooLarge,
    #[error("unsupported media type: send JSON with Content-Type: application/json")]
    UnsupportedMediaType,
    /// The installation is not set up for this yet (no units): the message says what
    /// is missing.
    #[error("{0}")]
    NotSetUp(String),
    /// Details are logged, never shown.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        Self::Internal(e.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthorized | AppError::BadCredentials(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::NotSetUp(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// For logs and job records: the whole cause chain of internal errors (which never
    /// holds request bodies or personal data), the message otherwise.
    pub fn detail(&self) -> String {
        match self {
            AppError::Internal(e) => format!("{e:#}"),
            other => other.to_string(),
        }
    }

    /// Stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Unprocessable(_) => "invalid_value",
            AppError::Unauthorized => "unauthorized",
            AppError::BadCredentials(_) => "bad_credentials",
            AppError::Forbidden => "forbidden",
            AppError::Csrf => "csrf",
            AppError::NotFound => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::HeadersTooLarge => "headers_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::NotSetUp(_) => "not_set_up",
            AppError::Internal(_) => "internal",
        }
    }

    /// The `Retry-After` value (whole seconds) of a 429.
    pub fn retry_after(&self) -> Option<HeaderValue> {
        match self {
            AppError::TooManyRequests { retry_after_secs } => {
                Some(HeaderValue::from(*retry_after_secs))
            }
            _ => None,
        }
    }

    /// Key of the user-facing message in the locale catalogs (`error.<code>`).
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::BadCredentials(key) => key,
            other => match other.code() {
                "bad_request" => "error.bad_request",
                "invalid_value" => "error.invalid_value",
                "unauthorized" => "error.unauthorized",
                "forbidden" => "error.forbidden",
                "csrf" => "error.csrf",
                "not_found" => "error.not_found",
                "conflict" => "error.conflict",
                "too_many_requests" => "error.too_many_requests",
                "payload_too_large" => "error.payload_too_large",
                "headers_too_large" => "error.bad_request",
                "unsupported_media_type" => "error.unsupported_media_type",
                "not_set_up" => "error.deploy.not_set_up",
                _ => "error.internal",
            },
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(msg) => AppError::Conflict(format!(
                "changed by someone else or already done, reload and try again ({msg})"
            )),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::InvalidTransition { status, action } => AppError::Conflict(format!(
                "cannot {} an appeal in status {}",
                action.as_str(),
                status.as_str()
            )),
            DomainError::Invalid { .. } => AppError::Unprocessable(e.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            // The chain names the failing layer; it never contains request bodies.
            tracing::error!(error = %format!("{e:#}"), "internal error");
        }
        let body = serde_json::json!({
            "error": { "code": self.code(), "message": self.to_string() }
        });
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(retry_after) = self.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after);
        }
        response
    }
}
