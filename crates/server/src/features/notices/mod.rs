//! Outbox messages the lifecycle sends. Bodies come from the zh-CN catalog (`notify.*`);
//! recipients are sealed with the vault, as the outbox stores them.

pub mod outbox;

use police_square_domain::{
    pii::{self, Phone},
    tracking, Millis,
};
use police_square_store::{Appeal, Id, NewOutboxMessage};

use crate::app::{
    error::{AppError, AppResult},
    i18n::{Catalog, Lang},
    state::AppState,
};

/// Residents get SMS in Chinese (the language of the service; no per-resident setting).
const RESIDENT_LANG: Lang = Lang::ZhCn;

/// An SMS to the appeal's contact phone: `template` is `otp`, `reply_ready`, `rejected`,
/// `portal.intake_received`; `{code}` and `{link}` (the short link to the appeal's
/// tracking page) are filled in. `None` when the contact is a fixed line, which SMS
/// cannot reach (the resident was told they would be called back).
pub(crate) async fn to_resident(
    state: &AppState,
    appeal: &Appeal,
    template: &str,
    args: &[(&str, &str)],
) -> AppResult<Option<NewOutboxMessage>> {
    if !pii::mask_is_mobile(&appeal.phone_masked) {
        return Ok(None);
    }
    let contact = state
        .stores
        .contacts
        .appeal_contact(appeal.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let code = tracking::display(&appeal.tracking_code);
    let link = state.config.tracking_link(&appeal.tracking_code);
    let mut all: Vec<(&str, &str)> = vec![("code", code.as_str()), ("link", link.as_str())];
    all.extend_from_slice(args);
    Ok(Some(NewOutboxMessage {
        channel: "sms".into(),
        // Already sealed by the vault at intake: the phone is never decrypted here.
        recipient_enc: contact.phone_enc,
        template: template.into(),
        body: Catalog::global().t_args(RESIDENT_LANG, &format!("notify.{template}"), &all),
    }))
}

/// The immediate notices of an emergency to the duty contact of the unit that owns it:
/// the internal gateway (`unit:<id>`, as reminders go) and, when configured, an SMS to
/// the unit's duty phone (`[emergency] duty_phones`). No text of the appeal: a notice
/// names the case, the unit and the acceptance deadline; the console shows the rest.
pub(crate) fn to_duty(state: &AppState, appeal: &Appeal) -> Vec<NewOutboxMessage> {
    const TEMPLATE: &str = "portal.emergency_duty";
    let org = state.org();
    let unit = org.name(appeal.unit_id).unwrap_or_default().to_owned();
    let due = police_square_domain::calendar::to_local(appeal.accept_by)
        .format("%H:%M")
        .to_string();
    let id = appeal.id.to_string();
    let body = Catalog::global().t_args(
        Lang::ZhCn,
        &format!("notify.{TEMPLATE}"),
        &[("id", &id), ("unit", &unit), ("due", &due)],
    );
    let mut out = vec![NewOutboxMessage {
        channel: "webhook".into(),
        recipient_enc: state.vault.seal(&format!("unit:{}", appeal.unit_id)),
        template: TEMPLATE.into(),
        body: body.clone(),
    }];
    let phone = state.config.emergency.duty_phones.get(&unit);
    match phone.map(|p| Phone::parse_mobile(p)) {
        Some(Ok(phone)) => out.push(NewOutboxMessage {
            channel: "sms".into(),
            recipient_enc: state.vault.seal(phone.as_str()),
            template: TEMPLATE.into(),
            body,
        }),
        Some(Err(_)) => {
            tracing::warn!(
                unit_id = appeal.unit_id,
                "duty phone in [emergency] duty_phones is not a mobile number"
            );
        }
        None => {}
    }
    out
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
