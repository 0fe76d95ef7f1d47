//! Outbox messages the lifecycle sends. Bodies come from the zh-CN catalog (`notify.*`);
//! recipients are sealed with the vault, as the outbox stores them.

use police_square_domain::{tracking, Millis};
use police_square_store::{Appeal, Id, NewOutboxMessage};

use crate::{
    error::{AppError, AppResult},
    i18n::{Catalog, Lang},
    state::AppState,
};

/// Residents get SMS in Chinese (the language of the service; no per-resident setting).
const RESIDENT_LANG: Lang = Lang::ZhCn;

/// An SMS to the appeal's contact phone: `template` is `otp`, `reply_ready`, `rejected`.
pub(crate) async fn to_resident(
    state: &AppState,
    appeal: &Appeal,
    template: &str,
    args: &[(&str, &str)],
) -> AppResult<NewOutboxMessage> {
    let contact = state
        .store
        .appeal_contact(appeal.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let code = tracking::display(&appeal.tracking_code);
    let mut all: Vec<(&str, &str)> = vec![("code", code.as_str())];
    all.extend_from_slice(args);
    Ok(NewOutboxMessage {
        channel: "sms".into(),
        // Already sealed by the vault at intake: the phone is never decrypted here.
        recipient_enc: contact.phone_enc,
        template: template.into(),
        body: Catalog::global().t_args(RESIDENT_LANG, &format!("notify.{template}"), &all),
    })
}

/// Who inside the police receives a reminder: a staff member or a unit's supervisors.
/// Delivered through the `webhook` channel to the internal messaging gateway as the
/// address `staff:<id>` or `unit:<id>`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Internal {
    Staff(Id),
    Unit(Id),
}

pub(crate) fn to_staff(
    state: &AppState,
    to: Internal,
    template: &str,
    appeal: &Appeal,
    due_at: Millis,
) -> NewOutboxMessage {
    let address = match to {
        Internal::Staff(id) => format!("staff:{id}"),
        Internal::Unit(id) => format!("unit:{id}"),
    };
    let due = police_square_domain::calendar::to_local(due_at)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let id = appeal.id.to_string();
    NewOutboxMessage {
        channel: "webhook".into(),
        recipient_enc: state.vault.seal(&address),
        template: template.into(),
        body: Catalog::global().t_args(
            Lang::ZhCn,
            &format!("notify.{template}"),
            &[("id", &id), ("due", &due)],
        ),
    }
}
