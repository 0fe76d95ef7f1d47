//! Whether this installation is set up to take appeals (开通). A fresh database has no
//! units until the bureau imports its organisation (`police-square org import`), and
//! with no unit an appeal has nowhere to go: intake answers 503 with what is missing,
//! the resident portal says the service is not open yet, and `serve` logs how to set
//! it up. The units are read again while none are known, so an import done with the
//! CLI while the server runs opens the service at once.

use axum::response::{IntoResponse, Response};
use police_square_domain::Role;

use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

/// What is missing, for API clients and logs (the pages show `error.not_set_up`).
pub const NO_UNITS: &str = "the service is not open yet: no police units are set up \
    (an administrator imports them with `police-square org import FILE`)";

/// True once there is a unit for appeals to go to.
pub async fn is_open(state: &AppState) -> AppResult<bool> {
    if state.org().fallback_unit().is_some() {
        return Ok(true);
    }
    Ok(state.reload_org().await?.fallback_unit().is_some())
}

/// `Err(NotSetUp)` (503) until units exist.
pub async fn ensure_open(state: &AppState) -> AppResult<()> {
    if is_open(state).await? {
        Ok(())
    } else {
        Err(AppError::NotSetUp(NO_UNITS.into()))
    }
}

/// The resident pages that lead to an appeal (the home page and the form) answer 503
/// until the service is open; the page layer renders it as "not open yet".
pub async fn gate_resident_page(state: &AppState, path: &str) -> Option<Response> {
    if path != "/" && path != "/appeals/new" {
        return None;
    }
    match ensure_open(state).await {
        Ok(()) => None,
        Err(e) => Some(e.into_response()),
    }
}

/// Logs at start-up what a new installation still lacks and the commands that set it
/// up (see the README, "Deploying for a real bureau").
pub async fn log_setup_hints(state: &AppState) -> AppResult<()> {
    if !is_open(state).await? {
        tracing::warn!(
            "no police units yet: appeals are refused (503) until the organisation is \
             imported. Run `police-square org import units.csv` (CSV in UTF-8 or GBK, or \
             XLSX), then `police-square user import staff.csv` or `police-square user add \
             NAME --role admin --unit ID` for the first admin; see the README section \
             \"Deploying for a real bureau\""
        );
        return Ok(());
    }
    let org = state.org();
    let mut admins = 0;
    for root in org.all().iter().filter(|u| u.parent_id.is_none()) {
        admins += state
            .stores
            .org
            .staff_in(&root.path, Some(Role::Admin))
            .await?
            .iter()
            .filter(|s| !s.disabled)
            .count();
    }
    if admins == 0 {
        tracing::warn!(
            "no admin account yet: create one with `police-square user add NAME --role \
             admin --unit ID` (unit ids: `police-square org list`)"
        );
    }
    Ok(())
}
