//! Staff sign-in and sign-out.

use police_square_domain::Millis;
use police_square_store::{Actor, Id, NewAudit, Session, Staff};

use super::{hash_password, new_token, token_hash, verify_password, ClientIp};
use crate::app::{
    error::{AppError, AppResult},
    limits::MINUTE,
    state::AppState,
    throttle::{self, Attempt},
};

/// A new staff session. `token` goes into the `ps_session` cookie and nowhere else.
#[derive(Debug)]
pub struct LoggedIn {
    pub token: String,
    pub csrf_token: String,
    pub staff: Staff,
    pub expires_at: Millis,
}

/// Check the password and open a session. Throttled per account and address (see
/// [`throttle`]): a guesser is slowed, the account's owner is not locked out when
/// `signed_in_as` is their live session or the address signed in before.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    ip: &ClientIp,
    signed_in_as: Option<Id>,
) -> AppResult<LoggedIn> {
    let username: String = username.trim().chars().take(64).collect();
    let staff = state.stores.org.staff_by_username(&username).await?;
    let known = staff.as_ref().is_some_and(|s| signed_in_as == Some(s.id));
    let attempt = Attempt::check(
        state,
        throttle::login_policy(&state.config.limits),
        format!("staff:{username}"),
        ip.key(),
        known,
    )
    .await?;

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
        other => {
            if let Some(s) = &other {
                audit_login(state, now, s, "staff.login_failed").await?;
            }
            attempt.failed().await?;
            return Err(AppError::BadCredentials("error.bad_credentials"));
        }
    };
    attempt.succeeded().await?;

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
