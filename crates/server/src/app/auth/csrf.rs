//! Session loading and the CSRF check, as one middleware on the whole router.
//!
//! Rule (the only one): a request that may change state (any method but GET, HEAD,
//! OPTIONS) and carries a live session cookie must carry that session's CSRF token,
//! in the `X-CSRF-Token` header or, for `application/x-www-form-urlencoded` forms, in
//! the `_csrf` field. Otherwise → 403. Pages render the token from [`Sessions`]
//! (a request extension) into every form.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use police_square_store::Session;

use super::{constant_time_eq, cookie, token_hash, RESIDENT_COOKIE, STAFF_COOKIE};
use crate::app::{error::AppError, state::AppState};

/// Header carrying the CSRF token for API clients.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Form field carrying the CSRF token for HTML forms.
pub const CSRF_FIELD: &str = "_csrf";

/// The live sessions of this request, loaded once by [`csrf_guard`].
#[derive(Debug, Clone, Default)]
pub struct Sessions {
    pub staff: Option<Session>,
    pub resident: Option<Session>,
}

impl Sessions {
    /// The CSRF token to render into forms (staff session first).
    pub fn csrf_token(&self) -> Option<&str> {
        self.staff
            .as_ref()
            .or(self.resident.as_ref())
            .map(|s| s.csrf_token.as_str())
    }

    /// The staff member of the live staff session, if any.
    pub fn staff_id(&self) -> Option<police_square_store::Id> {
        self.staff.as_ref().and_then(|s| s.staff_id)
    }

    fn accepts(&self, token: &str) -> bool {
        [&self.staff, &self.resident]
            .into_iter()
            .flatten()
            .any(|s| constant_time_eq(s.csrf_token.as_bytes(), token.as_bytes()))
    }

    fn is_empty(&self) -> bool {
        self.staff.is_none() && self.resident.is_none()
    }
}

pub async fn csrf_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match check(&state, request).await {
        Ok(request) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

async fn check(state: &AppState, mut request: Request) -> Result<Request, AppError> {
    let now = state.now();
    let mut sessions = Sessions::default();
    for (name, slot) in [
        (STAFF_COOKIE, &mut sessions.staff),
        (RESIDENT_COOKIE, &mut sessions.resident),
    ] {
        if let Some(token) = cookie(request.headers(), name) {
            *slot = state
                .stores
                .access
                .session(&token_hash(&token), now)
                .await?;
        }
    }
    // A staff cookie must open a staff session and a resident cookie a resident one.
    sessions.staff = sessions.staff.filter(|s| s.staff_id.is_some());
    sessions.resident = sessions.resident.filter(|s| s.appeal_id.is_some());

    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !sessions.is_empty() {
        let from_header = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let token = match from_header {
            Some(t) => Some(t),
            None if is_form(&request) => {
                let (token, rebuilt) = form_token(request, state.config.max_body_bytes).await?;
                request = rebuilt;
                token
            }
            None => None,
        };
        match token {
            Some(t) if sessions.accepts(&t) => {}
            _ => return Err(AppError::Csrf),
        }
    }
    request.extensions_mut().insert(sessions);
    Ok(request)
}

fn is_form(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Read the form body (within the size limit) to find `_csrf`, then put the body back.
async fn form_token(request: Request, limit: usize) -> Result<(Option<String>, Request), AppError> {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;
    // Tokens are hex, so they need no percent-decoding.
    let token = std::str::from_utf8(&bytes).ok().and_then(|s| {
        s.split('&')
            .find_map(|kv| {
                kv.strip_prefix(CSRF_FIELD)
                    .and_then(|r| r.strip_prefix('='))
            })
            .map(str::to_owned)
    });
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}
