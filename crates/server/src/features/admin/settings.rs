//! Settings administration (admin role): the holiday / adjusted-workday calendar, the
//! default deadlines, the registry of external departments, the reply templates and
//! the words added to the segmentation dictionary. Each operation validates, writes
//! and audits; a saved setting reloads this node's settings cache at once (other
//! nodes reload within `jobs.settings_reload_secs`).
//!
//! An operation returns `Ok(Err(refusal))` for input the admin can correct (the page
//! shows the form again with the reason) and `Err` for everything else.

use police_square_domain::{
    calendar_table::{self, DayError, RawDay},
    free_text::{AddressLine, LongText, Title},
    DeadlinePolicy,
};
use police_square_store::{Actor, NewAudit, Staff, StoreError};

use crate::{
    app::{
        error::{AppError, AppResult},
        state::{
            AppState, SETTING_DEADLINE_POLICY, SETTING_TEXT_DICTIONARY, SETTING_WORK_CALENDAR,
        },
    },
    features::opinion::learning,
};

/// Why an edit was refused, for the form to say.
#[derive(Debug)]
pub enum Refusal {
    /// The calendar rows that are wrong, each with its reason.
    Calendar(Vec<DayError>),
    Deadlines,
    Department,
    Template,
    Dictionary,
    /// Another department or template already has that name.
    Taken,
}

/// What an admin operation answers: done, or refused with a reason the admin can fix.
pub type Edit<T> = AppResult<Result<T, Refusal>>;

/// 403 unless `staff` administers.
pub fn require_admin(staff: &Staff) -> AppResult<()> {
    if staff.role.administers() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Replace the calendar with `rows` (blank rows skipped); returns the number of days.
pub async fn save_calendar(state: &AppState, staff: &Staff, rows: &[RawDay<'_>]) -> Edit<usize> {
    require_admin(staff)?;
    let days = match calendar_table::validate(rows) {
        Ok(days) => days,
        Err(errors) => return Ok(Err(Refusal::Calendar(errors))),
    };
    state
        .stores
        .settings
        .put_setting(SETTING_WORK_CALENDAR, &calendar_table::to_csv(&days))
        .await?;
    audit(
        state,
        staff,
        "admin.calendar",
        format!("{} days", days.len()),
    )
    .await?;
    state.reload_settings().await?;
    Ok(Ok(days.len()))
}

/// Replace the default deadlines; each must lie in its range.
pub async fn save_deadlines(state: &AppState, staff: &Staff, policy: DeadlinePolicy) -> Edit<()> {
    require_admin(staff)?;
    let valid = (10..=7 * 24 * 60).contains(&policy.accept_working_minutes)
        && (1..=72).contains(&policy.emergency_hours)
        && (1..=60).contains(&policy.normal_days)
        && (1..=120).contains(&policy.complex_days)
        && (1..=60).contains(&policy.consultation_days)
        && (1..=240).contains(&policy.near_hours);
    if !valid {
        return Ok(Err(Refusal::Deadlines));
    }
    let json = serde_json::to_string(&policy).map_err(AppError::internal)?;
    state
        .stores
        .settings
        .put_setting(SETTING_DEADLINE_POLICY, &json)
        .await?;
    audit(state, staff, "admin.deadlines", json).await?;
    state.reload_settings().await?;
    Ok(Ok(()))
}

/// Add an external department (转交 goes to one).
pub async fn create_department(
    state: &AppState,
    staff: &Staff,
    name: &str,
    contact: &str,
) -> Edit<()> {
    require_admin(staff)?;
    let (Ok(name), Ok(contact)) = (
        Title::parse("name", name),
        AddressLine::parse_optional("contact", Some(contact)),
    ) else {
        return Ok(Err(Refusal::Department));
    };
    let (name, contact) = (name.into_inner(), contact.map(AddressLine::into_inner));
    let d = state
        .stores
        .catalog
        .create_department(&name, contact.as_deref().unwrap_or_default())
        .await?;
    audit(
        state,
        staff,
        "admin.department",
        format!("department:{}", d.id),
    )
    .await?;
    state.reload_settings().await?;
    Ok(Ok(()))
}

/// Add a reply template.
pub async fn create_template(state: &AppState, staff: &Staff, title: &str, body: &str) -> Edit<()> {
    require_admin(staff)?;
    let (Ok(title), Ok(body)) = (Title::parse("title", title), LongText::parse("body", body))
    else {
        return Ok(Err(Refusal::Template));
    };
    let (title, body) = (title.into_inner(), body.into_inner());
    let t = state
        .stores
        .catalog
        .create_reply_template(&title, &body)
        .await?;
    audit(
        state,
        staff,
        "admin.reply_template",
        format!("template:{}", t.id),
    )
    .await?;
    state.reload_settings().await?;
    Ok(Ok(()))
}

/// Replace the admins' segmentation dictionary and rebuild this node's text models.
pub async fn save_dictionary(state: &AppState, staff: &Staff, words: &str) -> Edit<()> {
    require_admin(staff)?;
    let Ok(count) = learning::check_dictionary(words) else {
        return Ok(Err(Refusal::Dictionary));
    };
    state
        .stores
        .settings
        .put_setting(SETTING_TEXT_DICTIONARY, words)
        .await?;
    audit(state, staff, "admin.dictionary", format!("{count} words")).await?;
    learning::reload(state).await?;
    state.reload_settings().await?;
    Ok(Ok(()))
}

/// Edit or retire a department; audited by the store with the change.
pub async fn edit_department(
    state: &AppState,
    staff: &Staff,
    id: i64,
    name: &str,
    contact: &str,
    retired: bool,
) -> Edit<()> {
    require_admin(staff)?;
    let (Ok(name), Ok(contact)) = (
        Title::parse("name", name),
        AddressLine::parse_optional("contact", Some(contact)),
    ) else {
        return Ok(Err(Refusal::Department));
    };
    let (name, contact) = (name.into_inner(), contact.map(AddressLine::into_inner));
    let actor = Actor::Staff(staff.id).label();
    let contact = contact.unwrap_or_default();
    let result = state
        .stores
        .catalog
        .update_department(id, &name, &contact, retired, &actor, state.now())
        .await
        .map(|_| ());
    taken_or(result)
}

/// Edit or retire a reply template; audited by the store with the change.
pub async fn edit_template(
    state: &AppState,
    staff: &Staff,
    id: i64,
    title: &str,
    body: &str,
    retired: bool,
) -> Edit<()> {
    require_admin(staff)?;
    let (Ok(title), Ok(body)) = (Title::parse("title", title), LongText::parse("body", body))
    else {
        return Ok(Err(Refusal::Template));
    };
    let (title, body) = (title.into_inner(), body.into_inner());
    let actor = Actor::Staff(staff.id).label();
    let result = state
        .stores
        .catalog
        .update_reply_template(id, &title, &body, retired, &actor, state.now())
        .await
        .map(|_| ());
    taken_or(result)
}

/// A name clash is the admin's to fix; any other store error is not.
fn taken_or(result: Result<(), StoreError>) -> Edit<()> {
    match result {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::Conflict(_)) => Ok(Err(Refusal::Taken)),
        Err(e) => Err(e.into()),
    }
}

async fn audit(state: &AppState, staff: &Staff, action: &str, detail: String) -> AppResult<()> {
    state
        .stores
        .audit
        .audit(NewAudit {
            at: state.now(),
            actor: Actor::Staff(staff.id).label(),
            action: action.into(),
            subject: "settings".into(),
            detail,
        })
        .await?;
    Ok(())
}
