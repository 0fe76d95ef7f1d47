//! Staff console: sign-in, the unit inbox, the case page and its action forms.
//!
//! - `login`: the sign-in form, signing in and out;
//! - `inbox`: the unit inbox with its filters, and the case-list rows other console
//!   pages share;
//! - `detail`: the case page (timeline, requests, hand-offs, the action forms);
//! - `actions`: what those action forms post, answered by a redirect back to the case
//!   page or by the case page with an error.
//!
//! What every console page shares (navigation bar, select options, case-list rows)
//! lives in the page shell, `app::pages::console`.

use crate::app::state::AppState;
use axum::{
    routing::{get, post},
    Router,
};

mod actions;
mod detail;
mod inbox;
mod login;

pub use actions::act;
pub use detail::detail;
pub(crate) use detail::{request_detail, request_effect, request_kind, request_reason};
pub use inbox::inbox;
pub use login::{login, login_form, logout};

/// The console's sign-in, inbox and case pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/login", get(login_form).post(login))
        .route("/staff/logout", post(logout))
        .route("/staff", get(inbox))
        .route("/staff/appeals/{id}", get(detail))
        .route("/staff/appeals/{id}/{action}", post(act))
}
