//! Follow-up calls (催问): a resident calls 96110 again about an appeal that is still
//! open. The call is attached to that appeal — an internal event with what the caller
//! said, one more on the appeal's follow-up count (the handler's inbox flags it) and a
//! message to the handler (or, before anyone accepted it, to the unit) — instead of
//! being recorded as a new appeal.

use police_square_domain::free_text::LongText;
use police_square_store::{Actor, Appeal, AppealPatch, Id, Staff};

use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};
use crate::features::{
    intake,
    lifecycle::{commit, event},
    notices,
    notices::Internal,
};

/// Attach a follow-up call from `phone` to appeal `appeal_id`. The appeal must be one
/// of the caller's own (found by the same audited lookup as the caller's history) and
/// still open; otherwise 404 / 409, and nothing is stored.
pub async fn record(
    state: &AppState,
    staff: &Staff,
    appeal_id: Id,
    phone: &str,
    note: &str,
) -> AppResult<Appeal> {
    let note = LongText::parse("text", note)?.into_inner();
    let history = intake::caller_history(state, staff, phone).await?;
    let summary = history
        .iter()
        .find(|s| s.id == appeal_id)
        .ok_or(AppError::NotFound)?;
    if !summary.status.is_open() {
        return Err(AppError::Conflict(format!(
            "appeal {appeal_id} is {}; record the call as a new appeal",
            summary.status
        )));
    }
    let appeal = state
        .stores
        .appeals
        .appeal(appeal_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = match appeal.assignee_id {
        Some(handler) => Internal::Staff(handler),
        None => Internal::Unit(appeal.unit_id),
    };
    let message = notices::to_staff(state, to, "follow_up", &appeal, appeal.due_at);
    commit(
        state,
        &appeal,
        Actor::Staff(staff.id),
        None,
        AppealPatch {
            increment_follow_ups: true,
            ..Default::default()
        },
        // Internal: the caller's words may name people; the resident was on the phone.
        event("follow_up", false, Some(note)),
        Some(message),
    )
    .await
}
