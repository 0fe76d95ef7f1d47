//! Staff sign-in and sign-out.

use police_square_domain::Millis;
use police_square_store::{Actor, NewAudit, Session, Staff};

use super::{hash_password, new_token, token_hash, verify_password, ClientIp};
use crate::app::{
    error::{AppError, AppResult},
    limits::{self, MINUTE},
    state::AppState,
};

/// A new staff session. `token` goes into the `ps_session` cookie and nowhere else.
#[derive(Debug)]
pub struct LoggedIn {
    pub token: String,
    pub csrf_token: String,
    pub staff: Staff,
    pub expires_at: Millis,
}

/// Check the password (throttled per username and per client address: after
/// `login_max_failures` failures within the window, further attempts get 429 until the
/// window passes) and open a session.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    ip: &ClientIp,
) -> AppResult<LoggedIn> {
    let limits = &state.config.limits;
    let window = limits.login_window_minutes * MINUTE;
    let username: String = username.trim().chars().take(64).collect();
    let user_key = format!("login:user:{username}");
    let ip_key = format!("login:ip:{}", ip.key());
    // Every attempt counts; a success clears the counters, so what is counted is the
    // failures since the last success.
    limits::hit(state, &user_key, limits.login_max_failures, window).await?;
    limits::hit(state, &ip_key, limits.login_max_failures, window).await?;

    let staff = state.stores.org.staff_by_username(&username).await?;
    let ok = match &staff {
        Some(s) => verify_password(password, &s.password_hash) && !s.disabled,
        None => {
            // Same work as for a real account, so timing does not reveal usernames.
            verify_password(password, dummy_hash());
            false
        }
    };
    let now = state.now();
    let staff = match staff {
        Some(s) if ok => s,
        Some(s) => {
            audit_login(state, now, &s, "staff.login_failed").await?;
            return Err(AppError::BadCredentials("error.bad_credentials"));
        }
        None => return Err(AppError::BadCredentials("error.bad_credentials")),
    };
    state.stores.access.clear_rate_limit(&user_key).await?;
    state.stores.access.clear_rate_limit(&ip_key).await?;

    let token = new_token();
    let csrf_token = new_token();
    let expires_at = now + state.config.session_ttl_minutes * MINUTE;
    state
        .stores
        .access
        .create_session(Session {
            token_hash: token_hash(&token),
            staff_id: Some(staff.id),
            appeal_id: None,
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at,
        })
        .await?;
    audit_login(state, now, &staff, "staff.login").await?;
    tracing::info!(staff_id = staff.id, "staff signed in");
    Ok(LoggedIn {
        token,
        csrf_token,
        staff,
        expires_at,
    })
}

/// End the session whose cookie token is `token` (staff or resident).
pub async fn logout(state: &AppState, token: &str) -> AppResult<()> {
    state
        .stores
        .access
        .delete_session(&token_hash(token))
        .await?;
    Ok(())
}

async fn audit_login(state: &AppState, at: Millis, staff: &Staff, action: &str) -> AppResult<()> {
    state
        .stores
        .audit
        .audit(NewAudit {
            at,
            actor: Actor::Staff(staff.id).label(),
            action: action.into(),
            subject: Actor::Staff(staff.id).label(),
            detail: String::new(),
        })
        .await?;
    Ok(())
}

fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password").expect("argon2 works"))
}
