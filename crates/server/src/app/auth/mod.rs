//! Authentication: argon2id passwords, database-backed sessions (staff and verified
//! residents), CSRF tokens, login throttling, and the extractors handlers use.
//!
//! Cookies: `ps_session` (staff) and `ps_resident` (a resident after the one-time code),
//! both HttpOnly and SameSite=Lax, holding a random 32-byte token; the database stores
//! only its sha256. Each session has its own CSRF token, which every state-changing
//! request that carries a session cookie must echo (header `X-CSRF-Token` or form field
//! `_csrf`) — see [`csrf`].

pub mod csrf;
mod extract;
mod login;
mod token;

pub use csrf::{csrf_guard, Sessions};
pub use extract::{ClientIp, CurrentResident, CurrentStaff};
pub use login::{login, logout, LoggedIn};
pub use police_square_store::password::{hash_password, verify_password};
pub use token::{constant_time_eq, new_token, token_hash};

use axum::http::{header, HeaderMap, HeaderValue};

/// Staff session cookie.
pub const STAFF_COOKIE: &str = "ps_session";
/// Verified-resident session cookie.
pub const RESIDENT_COOKIE: &str = "ps_resident";

/// The value of cookie `name` in the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
}

/// `Set-Cookie` value for a session token (or for clearing it with `max_age_secs = 0`).
pub fn session_cookie(name: &str, token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    ))
    .expect("token is hex, so the header value is valid")
}
