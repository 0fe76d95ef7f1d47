//! Staff console: sign-in, the unit inbox, the case page and its action forms.
//!
//! - `login`: the sign-in form, signing in and out;
//! - `inbox`: the unit inbox with its filters, and the case-list rows other console
//!   pages share;
//! - `detail`: the case page (timeline, requests, hand-offs, the action forms);
//! - `actions`: what those action forms post, answered by a redirect back to the case
//!   page or by the case page with an error.
//!
//! The navigation-bar context and select options used across the console live here.

use crate::app::pages::ctx::Page;
use crate::app::{auth::CurrentStaff, state::AppState};

mod actions;
mod detail;
mod inbox;
mod login;

pub use actions::act;
pub use detail::detail;
pub(crate) use detail::{request_detail, request_effect, request_kind, request_reason};
pub use inbox::inbox;
pub(crate) use inbox::{rows, Row};
pub use login::{login, login_form, logout};

/// The page context with the signed-in staff member in the navigation bar.
pub(crate) fn staff_page(state: &AppState, p: Page, staff: &CurrentStaff) -> Page {
    let org = state.org();
    p.with_staff(staff, org.name(staff.unit_id))
}

/// One option of a select.
pub(crate) struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) type Options = Vec<Opt>;

/// Options for enum keys labelled by `<prefix>.<key>` catalog entries.
pub(crate) fn options<T: std::fmt::Display>(
    p: &Page,
    prefix: &str,
    all: &[T],
    current: &str,
) -> Options {
    all.iter()
        .map(|v| {
            let value = v.to_string();
            Opt {
                label: p.t(&format!("{prefix}.{value}")),
                selected: value == current,
                value,
            }
        })
        .collect()
}
