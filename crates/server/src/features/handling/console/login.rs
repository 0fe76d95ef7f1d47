//! Sign in and out of the console.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::{header, HeaderMap},
    response::Response,
    Extension,
};
use serde::Deserialize;

use crate::app::{
    auth::{self, session_cookie, ClientIp, Sessions, STAFF_COOKIE},
    error::{AppError, AppResult},
    pages::ctx::{render, render_status, see_other, CsrfForm, PageFrame},
    state::AppState,
};

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage {
    p: PageFrame,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// Only local console paths are followed after sign-in (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/staff")
                && !n.starts_with("/staff/login")
                && !n.contains("//")
                && !n.contains('\\') =>
        {
            n.to_owned()
        }
        _ => "/staff".to_owned(),
    }
}

pub async fn login_form(p: PageFrame, Query(q): Query<LoginQuery>) -> AppResult<Response> {
    render(&LoginPage {
        p,
        username: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    State(state): State<AppState>,
    p: PageFrame,
    ip: ClientIp,
    sessions: Option<Extension<Sessions>>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(Some(&form.next));
    let signed_in_as = sessions.and_then(|Extension(s)| s.staff_id());
    match auth::login(&state, &form.username, &form.password, &ip, signed_in_as).await {
        Ok(s) => {
            let mut r = see_other(&next);
            r.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(
                    STAFF_COOKIE,
                    &s.token,
                    state.config.session_ttl_minutes * 60,
                    state.config.secure_cookies,
                ),
            );
            Ok(r)
        }
        Err(e @ (AppError::BadCredentials(_) | AppError::TooManyRequests { .. })) => {
            let status = e.status();
            let key = if matches!(e, AppError::TooManyRequests { .. }) {
                "page.login.err_throttled"
            } else {
                "error.bad_credentials"
            };
            let page = LoginPage {
                error: Some(p.t(key)),
                username: form.username.chars().take(64).collect(),
                next,
                p,
            };
            let mut r = render_status(status, &page)?;
            if let Some(retry_after) = e.retry_after() {
                r.headers_mut().insert(header::RETRY_AFTER, retry_after);
            }
            Ok(r)
        }
        Err(e) => Err(e),
    }
}

/// Sign out. With a live session the server-wide guard has checked the form's CSRF
/// token; without one there is nothing to protect, so the cookie is simply cleared.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = auth::cookie(&headers, STAFF_COOKIE) {
        auth::logout(&state, &token).await?;
    }
    let mut r = see_other("/staff/login");
    r.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(STAFF_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(r)
}
