//! What every page needs: the language, the CSRF token to put into forms, who is
//! signed in, and a few formatting helpers the templates call.
//!
//! Anonymous forms (new appeal, tracking, one-time code, staff login) have no session
//! to carry a CSRF token, so they use a double-submit cookie: [`html_layer`] makes sure
//! every page visitor has a random `ps_form` cookie, forms echo it in `_csrf`, and
//! [`CsrfForm`] compares the two. Once a session exists, the session's own token is put
//! into forms and the server-wide `csrf_guard` checks it.
//!
//! [`html_layer`]: super::html_layer

use askama::Template;
use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    Form,
};
use police_square_domain::{calendar::to_local, Millis, Role};
use police_square_store::Staff;
use serde::de::DeserializeOwned;

use crate::app::{
    auth::{constant_time_eq, cookie, Sessions},
    error::{AppError, AppResult},
    i18n::{Catalog, Lang},
};

/// Cookie holding the anonymous double-submit CSRF token.
pub const FORM_COOKIE: &str = "ps_form";

/// The anonymous form token of this request (from its cookie, or freshly minted by
/// the layer, which then sets the cookie on the response).
#[derive(Debug, Clone)]
pub struct FormToken {
    pub value: String,
    /// True when the request carried the cookie (a POST without it cannot be genuine).
    pub from_cookie: bool,
}

/// Who is signed in to the staff console, for the navigation bar.
#[derive(Debug, Clone)]
pub struct StaffNav {
    pub name: String,
    pub role: Role,
    pub unit: String,
}

impl StaffNav {
    pub fn supervises(&self) -> bool {
        self.role.supervises()
    }
    pub fn is_admin(&self) -> bool {
        self.role.administers()
    }
    pub fn takes_calls(&self) -> bool {
        matches!(
            self.role,
            Role::Operator | Role::Handler | Role::Supervisor | Role::Admin
        )
    }
    pub fn role_key(&self) -> String {
        format!("role.{}", self.role.as_str())
    }
}

/// Per-request page context (`p` in every template).
#[derive(Debug, Clone)]
pub struct Page {
    pub lang: Lang,
    /// Token for the `_csrf` field of every form on the page.
    pub csrf: String,
    pub staff: Option<StaffNav>,
    /// Link that shows this page in the other language.
    pub switch_href: String,
    /// Current path (for highlighting the navigation).
    pub path: String,
}

impl Page {
    pub fn t(&self, key: &str) -> String {
        Catalog::global().t(self.lang, key)
    }

    /// `t` with one `{name}` placeholder filled in.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        Catalog::global().t_args(self.lang, key, &[(name, value)])
    }

    pub fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        Catalog::global().t_args(self.lang, key, args)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    pub fn other_lang_label(&self) -> String {
        self.t("page.common.other_lang")
    }

    pub fn nav_class(&self, prefix: &str) -> &'static str {
        let here = if prefix == "/staff" {
            self.path == "/staff" || self.path.starts_with("/staff/appeals")
        } else {
            self.path.starts_with(prefix)
        };
        if here {
            "here"
        } else {
            ""
        }
    }

    pub fn with_staff(mut self, staff: &Staff, unit: Option<&str>) -> Self {
        self.staff = Some(StaffNav {
            name: staff.display_name.clone(),
            role: staff.role,
            unit: unit.unwrap_or_default().to_owned(),
        });
        self
    }

    /// `2025-03-01 14:05` in China time.
    pub fn time(&self, at: &Millis) -> String {
        fmt_time(*at)
    }
}

pub fn fmt_time(at: Millis) -> String {
    to_local(at).format("%Y-%m-%d %H:%M").to_string()
}

/// "2 天 3 小时" / "2 d 3 h" (rounded down to minutes).
pub fn fmt_span(lang: Lang, ms: Millis) -> String {
    let minutes = (ms.max(0) / 60_000).max(0);
    let (d, h, m) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    let c = Catalog::global();
    let d_s = d.to_string();
    let h_s = h.to_string();
    let m_s = m.to_string();
    if d > 0 {
        c.t_args(lang, "page.span.dh", &[("d", &d_s), ("h", &h_s)])
    } else if h > 0 {
        c.t_args(lang, "page.span.hm", &[("h", &h_s), ("m", &m_s)])
    } else {
        c.t_args(lang, "page.span.m", &[("m", &m_s)])
    }
}

/// "剩余 2 天 3 小时" or "已超期 5 小时".
pub fn fmt_remaining(lang: Lang, due_at: Millis, now: Millis) -> String {
    let c = Catalog::global();
    if due_at >= now {
        c.t_args(
            lang,
            "page.span.remaining",
            &[("span", &fmt_span(lang, due_at - now))],
        )
    } else {
        c.t_args(
            lang,
            "page.span.overdue",
            &[("span", &fmt_span(lang, now - due_at))],
        )
    }
}

/// "92.3% (1,204/1,304)" or "— (0/0)".
pub fn fmt_rate(rate: &police_square_domain::rates::Rate) -> String {
    let pct = match rate.percent() {
        Some(p) => format!("{p:.1}%"),
        None => "—".to_owned(),
    };
    format!(
        "{pct} ({}/{})",
        group_digits(rate.numerator),
        group_digits(rate.denominator)
    )
}

pub fn group_digits(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(page_from_parts(parts))
    }
}

pub fn page_from_parts(parts: &Parts) -> Page {
    let lang = Lang::from_parts(parts);
    let session_token = parts
        .extensions
        .get::<Sessions>()
        .and_then(|s| s.csrf_token().map(str::to_owned));
    let csrf = session_token
        .or_else(|| parts.extensions.get::<FormToken>().map(|t| t.value.clone()))
        .or_else(|| cookie(&parts.headers, FORM_COOKIE))
        .unwrap_or_default();
    let other = match lang {
        Lang::ZhCn => Lang::En,
        Lang::En => Lang::ZhCn,
    };
    let path = parts.uri.path().to_owned();
    // Keep the other query parameters (filters, paging) when switching language.
    let mut query: Vec<String> = parts
        .uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
        .map(str::to_owned)
        .collect();
    query.push(format!("lang={}", other.code()));
    Page {
        lang,
        csrf,
        staff: None,
        switch_href: format!("{path}?{}", query.join("&")),
        path,
    }
}

/// Render a template as an HTML response.
pub fn render(t: &impl Template) -> AppResult<Response> {
    let body = t.render().map_err(AppError::internal)?;
    Ok(Html(body).into_response())
}

/// Render with a status other than 200 (e.g. a form shown again with its errors).
pub fn render_status(status: StatusCode, t: &impl Template) -> AppResult<Response> {
    let mut r = render(t)?;
    *r.status_mut() = status;
    Ok(r)
}

/// 303 See Other: the page to show after a successful POST.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// An url-encoded form whose `_csrf` field was checked: against the session's token by
/// `csrf_guard` when a session exists, else against the `ps_form` cookie here.
pub struct CsrfForm<T>(pub T);

impl<S, T> FromRequest<S> for CsrfForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        let has_session = req
            .extensions()
            .get::<Sessions>()
            .is_some_and(|s| s.csrf_token().is_some());
        let cookie_token = cookie(req.headers(), FORM_COOKIE);
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?;
        if !has_session {
            let sent = std::str::from_utf8(&bytes).ok().and_then(|s| {
                s.split('&')
                    .find_map(|kv| kv.strip_prefix("_csrf="))
                    .map(str::to_owned)
            });
            let ok = match (sent, cookie_token) {
                (Some(sent), Some(cookie)) if !cookie.is_empty() => {
                    constant_time_eq(sent.as_bytes(), cookie.as_bytes())
                }
                _ => false,
            };
            if !ok {
                return Err(AppError::Csrf);
            }
        }
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        let Form(value) = Form::<T>::from_request(req, state)
            .await
            .map_err(|e| AppError::BadRequest(e.body_text()))?;
        Ok(CsrfForm(value))
    }
}

/// `Set-Cookie` for the anonymous form token.
pub fn form_cookie(value: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{FORM_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400{secure}"
    ))
    .expect("hex token")
}

/// `Set-Cookie` remembering the chosen language for a year.
pub fn lang_cookie(lang: Lang) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "lang={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    ))
    .expect("ascii")
}

/// Append a `Set-Cookie` header.
pub fn add_cookie(response: &mut Response, value: HeaderValue) {
    response.headers_mut().append(header::SET_COOKIE, value);
}
