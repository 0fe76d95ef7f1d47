//! The appeal lifecycle: services are plain async functions — the one place where the
//! rules are applied. The JSON API (and the HTML pages) are thin layers over them.
//!
//! Every operation that changes an appeal:
//! 1. loads it and checks access ([`access`]),
//! 2. computes the next status with the domain state machine (`Status::apply`),
//! 3. writes ONE `AppealStore::apply_change` naming the version it read (optimistic
//!    concurrency: a concurrent change makes it fail with 409 Conflict), which records
//!    the event (public or internal), the audit entry and any outbox notification
//!    atomically.
//!
//! The services that do so live with their features (intake, handling, supervision,
//! resident, opinion); what they share lives here: `commit`, `event`, the
//! free-text checks, and [`access`], who may see and do what.

pub mod access;

use police_square_domain::Action;
use police_square_store::{Actor, Appeal, AppealChange, AppealPatch, NewEvent, NewOutboxMessage};

use crate::app::{error::AppResult, state::AppState};

/// Persist one change to `appeal` (read at its current version). With `action`, the
/// status is moved by the state machine, which refuses transitions the lifecycle
/// does not allow (409).
pub(crate) async fn commit(
    state: &AppState,
    appeal: &Appeal,
    actor: Actor,
    action: Option<Action>,
    mut patch: AppealPatch,
    event: NewEvent,
    notify: Option<NewOutboxMessage>,
) -> AppResult<Appeal> {
    if let Some(action) = action {
        patch.status = Some(appeal.status.apply(action)?);
    }
    let change = AppealChange {
        appeal_id: appeal.id,
        expected_version: appeal.version,
        actor,
        at: state.now(),
        patch,
        event,
        notify,
    };
    Ok(state.stores.appeals.apply_change(change).await?)
}

/// An event record; `public` events appear on the resident's timeline.
pub(crate) fn event(kind: &str, public: bool, note: Option<String>) -> NewEvent {
    NewEvent {
        kind: kind.into(),
        public,
        note,
        from_unit_id: None,
        to_unit_id: None,
    }
}
