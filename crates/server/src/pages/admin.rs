//! Administration (admin role): the holiday / adjusted-workday calendar (CSV), the
//! default deadlines, the registry of external departments, the reply templates and
//! the words added to the segmentation dictionary.
//!
//! The services have no admin operations yet, so these are thin, audited helpers over
//! the store's settings, departments and templates; the settings cache of this node is
//! reloaded at once (other nodes reload within `jobs.settings_reload_secs`).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use police_square_domain::{calendar::DayOverride, DeadlinePolicy, WorkCalendar};
use police_square_store::{Department, NewAudit, ReplyTemplate};
use serde::Deserialize;

use super::{
    ctx::{render, render_status, see_other, CsrfForm, Page},
    staff::staff_page,
};
use crate::{
    auth::CurrentStaff,
    error::{AppError, AppResult},
    services::learning,
    state::{AppState, SETTING_DEADLINE_POLICY, SETTING_TEXT_DICTIONARY, SETTING_WORK_CALENDAR},
};

#[derive(Template)]
#[template(path = "staff/admin.html")]
struct AdminPage {
    p: Page,
    calendar_csv: String,
    calendar_days: usize,
    /// The admins' segmentation dictionary (jieba format).
    dictionary: String,
    policy: DeadlinePolicy,
    departments: Vec<Department>,
    templates: Vec<ReplyTemplate>,
    notice: Option<String>,
    error: Option<String>,
}

fn require_admin(staff: &CurrentStaff) -> AppResult<()> {
    if staff.role.administers() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn calendar_csv(cal: &WorkCalendar) -> String {
    let mut out = String::from("date,type\n");
    for o in cal.overrides() {
        match o {
            DayOverride::Holiday(d) => out.push_str(&format!("{d},holiday\n")),
            DayOverride::Workday(d) => out.push_str(&format!("{d},workday\n")),
        }
    }
    out
}

async fn view(
    state: &AppState,
    p: Page,
    staff: &CurrentStaff,
    notice: Option<String>,
    error: Option<String>,
    csv_override: Option<String>,
) -> AppResult<AdminPage> {
    let p = staff_page(state, p, staff);
    let settings = state.settings();
    let departments = state.store.departments().await?;
    let templates = state.store.reply_templates().await?;
    let dictionary = state
        .store
        .setting(SETTING_TEXT_DICTIONARY)
        .await?
        .unwrap_or_default();
    Ok(AdminPage {
        dictionary,
        calendar_csv: csv_override.unwrap_or_else(|| calendar_csv(&settings.calendar)),
        calendar_days: settings.calendar.overrides().count(),
        policy: settings.policy.clone(),
        departments,
        templates,
        notice,
        error,
        p,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct AdminQuery {
    done: Option<String>,
}

const SECTIONS: &[&str] = &[
    "calendar",
    "deadlines",
    "department",
    "template",
    "dictionary",
];

pub async fn page(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(q): Query<AdminQuery>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let notice = q
        .done
        .as_deref()
        .filter(|d| SECTIONS.contains(d))
        .map(|d| p.t(&format!("page.admin.saved_{d}")));
    render(&view(&state, p, &staff, notice, None, None).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct AdminForm {
    #[serde(default)]
    csv: String,
    accept_working_minutes: Option<String>,
    emergency_hours: Option<String>,
    normal_days: Option<String>,
    complex_days: Option<String>,
    consultation_days: Option<String>,
    near_hours: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    words: String,
}

/// A form value that must be a whole number in `range`.
fn number<T: std::str::FromStr + PartialOrd>(
    v: &Option<String>,
    range: std::ops::RangeInclusive<T>,
) -> Option<T> {
    v.as_deref()
        .and_then(|s| s.trim().parse::<T>().ok())
        .filter(|n| range.contains(n))
}

async fn audit(
    state: &AppState,
    staff: &CurrentStaff,
    action: &str,
    detail: String,
) -> AppResult<()> {
    state
        .store
        .audit(NewAudit {
            at: state.now(),
            actor: format!("staff:{}", staff.id),
            action: action.into(),
            subject: "settings".into(),
            detail,
        })
        .await?;
    Ok(())
}

fn clean(s: &str, max: usize) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()
        && s.chars().count() <= max
        && !s
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
    .then(|| s.to_owned())
}

pub async fn save(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Path(section): Path<String>,
    CsrfForm(form): CsrfForm<AdminForm>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let invalid = |p: Page, key: &str, csv: Option<String>| {
        let state = state.clone();
        let staff = staff.clone();
        let msg = p.t(key);
        async move {
            let page = view(&state, p, &staff, None, Some(msg), csv).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    };
    match section.as_str() {
        "calendar" => {
            let days = match WorkCalendar::parse_csv(&form.csv) {
                Ok(days) if form.csv.len() <= 200_000 => days,
                _ => return invalid(p, "page.admin.err_calendar", Some(form.csv)).await,
            };
            state
                .store
                .put_setting(SETTING_WORK_CALENDAR, &form.csv)
                .await?;
            audit(
                &state,
                &staff,
                "admin.calendar",
                format!("{} days", days.len()),
            )
            .await?;
        }
        "deadlines" => {
            let policy = (|| {
                Some(DeadlinePolicy {
                    accept_working_minutes: number(&form.accept_working_minutes, 10..=7 * 24 * 60)?,
                    emergency_hours: number(&form.emergency_hours, 1..=72)?,
                    normal_days: number(&form.normal_days, 1..=60)?,
                    complex_days: number(&form.complex_days, 1..=120)?,
                    consultation_days: number(&form.consultation_days, 1..=60)?,
                    near_hours: number(&form.near_hours, 1..=240)?,
                })
            })();
            let Some(policy) = policy else {
                return invalid(p, "page.admin.err_deadlines", None).await;
            };
            let json = serde_json::to_string(&policy).map_err(AppError::internal)?;
            state
                .store
                .put_setting(SETTING_DEADLINE_POLICY, &json)
                .await?;
            audit(&state, &staff, "admin.deadlines", json).await?;
        }
        "department" => {
            let (Some(name), contact) = (clean(&form.name, 100), clean(&form.contact, 200)) else {
                return invalid(p, "page.admin.err_department", None).await;
            };
            let d = state
                .store
                .create_department(&name, contact.as_deref().unwrap_or_default())
                .await?;
            audit(
                &state,
                &staff,
                "admin.department",
                format!("department:{}", d.id),
            )
            .await?;
        }
        "template" => {
            let (Some(title), Some(body)) = (clean(&form.title, 100), clean(&form.body, 5_000))
            else {
                return invalid(p, "page.admin.err_template", None).await;
            };
            let t = state.store.create_reply_template(&title, &body).await?;
            audit(
                &state,
                &staff,
                "admin.reply_template",
                format!("template:{}", t.id),
            )
            .await?;
        }
        "dictionary" => {
            let Ok(count) = learning::check_dictionary(&form.words) else {
                return invalid(p, "page.admin.err_dictionary", None).await;
            };
            state
                .store
                .put_setting(SETTING_TEXT_DICTIONARY, &form.words)
                .await?;
            audit(&state, &staff, "admin.dictionary", format!("{count} words")).await?;
            learning::reload(&state).await?;
        }
        _ => return Err(AppError::NotFound),
    }
    state.reload_settings().await?;
    Ok(see_other(&format!("/staff/admin?done={section}")))
}
