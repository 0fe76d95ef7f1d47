//! The appeal lifecycle as plain async functions — the one place where the rules are
//! applied. The JSON API (and the HTML pages) are thin layers over these.
//!
//! Every operation that changes an appeal:
//! 1. loads it and checks access ([`access`]),
//! 2. computes the next status with the domain state machine (`Status::apply`),
//! 3. writes ONE `AppealStore::apply_change` naming the version it read (optimistic
//!    concurrency: a concurrent change makes it fail with 409 Conflict), which records
//!    the event (public or internal), the audit entry and any outbox notification
//!    atomically.
//!
//! | module | what |
//! |---|---|
//! | [`intake`] | submit an appeal (validation, urgency gate, analysis, routing, deadlines, idempotency); caller history |
//! | [`follow_up`] | a repeat call about an open appeal (催问), attached to it |
//! | [`handling`] | inbox, detail, accept, assign, transfer, hand-off, reply, extension request, close, reject, reveal |
//! | [`supervision`] | decide requests (extension, transfer, review), supervision view, deadline scan |
//! | [`resident`] | tracking view, one-time codes, resident sessions, rating |
//! | [`dashboard`] | three rates per unit, rolled up the tree |
//! | [`directory`] | units, departments, reply templates, assignable staff |
//! | [`access`] | who may see and do what |
//! | [`analysis`] | text analysis at intake; the category model in use |
//! | [`learning`] | retraining the category model from staff corrections |
//! | [`clustering`] | 一事多诉 near-duplicate clusters |
//! | [`emerging`] | 未诉先办 emerging-issue alerts |
//! | [`opinion`] | 民意库 the live opinion view |

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

/// Trimmed free text with a length cap, or a 422 naming the field.
pub(crate) fn required_text(
    field: &'static str,
    value: &str,
    max_chars: usize,
) -> AppResult<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(police_square_domain::DomainError::invalid(field, "must not be empty").into());
    }
    if v.chars().count() > max_chars {
        return Err(police_square_domain::DomainError::invalid(
            field,
            format!("at most {max_chars} characters"),
        )
        .into());
    }
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(police_square_domain::DomainError::invalid(
            field,
            "contains control characters",
        )
        .into());
    }
    Ok(v.to_owned())
}

/// Like [`required_text`], but empty means `None`.
pub(crate) fn optional_text(
    field: &'static str,
    value: Option<&str>,
    max_chars: usize,
) -> AppResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => required_text(field, v, max_chars).map(Some),
        None => Ok(None),
    }
}
