//! Administration (admin role): the holiday / adjusted-workday calendar (a table of
//! dated, named rows), the
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
use std::collections::HashMap;

use police_square_domain::{
    calendar::DayOverride,
    calendar_table::{self, CalendarDay, DayKind, RawDay},
    DeadlinePolicy, WorkCalendar,
};
use police_square_store::{Department, NewAudit, ReplyTemplate};
use serde::Deserialize;

use crate::{
    app::pages::ctx::{render, render_status, see_other, CsrfForm, Page},
    features::handling::console::staff_page,
};
use crate::{
    app::{
        auth::CurrentStaff,
        error::{AppError, AppResult},
        state::{
            AppState, SETTING_DEADLINE_POLICY, SETTING_TEXT_DICTIONARY, SETTING_WORK_CALENDAR,
        },
    },
    features::opinion::learning,
};

#[derive(Template)]
#[template(path = "staff/admin.html")]
struct AdminPage {
    p: Page,
    /// The holiday calendar as table rows, with blank rows to add days.
    calendar: Vec<CalendarRow>,
    calendar_days: usize,
    /// The admins' segmentation dictionary (jieba format).
    dictionary: String,
    policy: DeadlinePolicy,
    departments: Vec<Department>,
    templates: Vec<ReplyTemplate>,
    notice: Option<String>,
    error: Option<String>,
}

pub(crate) fn require_admin(staff: &CurrentStaff) -> AppResult<()> {
    if staff.role.administers() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// One row of the calendar table as the form shows it.
pub struct CalendarRow {
    pub index: usize,
    pub date: String,
    /// The kind as sent (`holiday` / `workday`); validated with the row.
    pub kind: String,
    pub holiday: bool,
    pub name: String,
    pub error: Option<String>,
}

/// Blank rows offered for new days under the stored ones.
const BLANK_CALENDAR_ROWS: usize = 5;
const MAX_CALENDAR_ROWS: usize = 1_000;

fn calendar_rows(days: &[CalendarDay]) -> Vec<CalendarRow> {
    let mut rows: Vec<CalendarRow> = days
        .iter()
        .enumerate()
        .map(|(index, d)| CalendarRow {
            index,
            date: d.date.to_string(),
            kind: d.kind.as_str().to_owned(),
            holiday: d.kind == DayKind::Holiday,
            name: d.name.clone(),
            error: None,
        })
        .collect();
    pad_calendar(&mut rows);
    rows
}

fn pad_calendar(rows: &mut Vec<CalendarRow>) {
    for _ in 0..BLANK_CALENDAR_ROWS {
        rows.push(CalendarRow {
            index: rows.len(),
            date: String::new(),
            kind: DayKind::Holiday.as_str().to_owned(),
            holiday: true,
            name: String::new(),
            error: None,
        });
    }
}

/// The stored calendar as rows; a calendar saved before names existed has none.
fn stored_calendar(stored: Option<&str>, cal: &WorkCalendar) -> Vec<CalendarDay> {
    match stored {
        Some(text) => calendar_table::from_csv(text),
        None => cal
            .overrides()
            .map(|o| match o {
                DayOverride::Holiday(date) => (date, DayKind::Holiday),
                DayOverride::Workday(date) => (date, DayKind::Workday),
            })
            .map(|(date, kind)| CalendarDay {
                date,
                kind,
                name: String::new(),
            })
            .collect(),
    }
}

async fn view(
    state: &AppState,
    p: Page,
    staff: &CurrentStaff,
    notice: Option<String>,
    error: Option<String>,
    calendar_override: Option<Vec<CalendarRow>>,
) -> AppResult<AdminPage> {
    let p = staff_page(state, p, staff);
    let settings = state.settings();
    let departments = state.stores.catalog.department_registry().await?;
    let templates = state.stores.catalog.reply_template_registry().await?;
    let calendar = match calendar_override {
        Some(rows) => rows,
        None => {
            let stored = state.stores.settings.setting(SETTING_WORK_CALENDAR).await?;
            calendar_rows(&stored_calendar(stored.as_deref(), &settings.calendar))
        }
    };
    let dictionary = state
        .stores
        .settings
        .setting(SETTING_TEXT_DICTIONARY)
        .await?
        .unwrap_or_default();
    Ok(AdminPage {
        dictionary,
        calendar,
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

/// Notices after an edit of a department or template.
const EDITED: &[&str] = &["department_edited", "template_edited"];

pub async fn page(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(q): Query<AdminQuery>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let notice = q.done.as_deref().and_then(|d| {
        if SECTIONS.contains(&d) {
            Some(p.t(&format!("page.admin.saved_{d}")))
        } else {
            EDITED
                .contains(&d)
                .then(|| p.t(&format!("page.admin_edit.saved_{d}")))
        }
    });
    render(&view(&state, p, &staff, notice, None, None).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct AdminForm {
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
    /// Ticked to retire a department or template.
    retired: Option<String>,
    /// The calendar table's cells: `date_N`, `kind_N`, `name_N`, `remove_N`.
    #[serde(flatten)]
    cells: HashMap<String, String>,
}

impl AdminForm {
    fn cell(&self, name: &str, row: usize) -> &str {
        self.cells
            .get(&format!("{name}_{row}"))
            .map_or("", |s| s.as_str())
    }

    /// The rows of the calendar table, in order, without those marked for removal.
    fn calendar_rows(&self) -> Vec<CalendarRow> {
        let count = (0..MAX_CALENDAR_ROWS)
            .take_while(|i| self.cells.contains_key(&format!("date_{i}")))
            .count();
        (0..count)
            .filter(|&i| self.cell("remove", i).is_empty())
            .enumerate()
            .map(|(index, i)| CalendarRow {
                index,
                date: self.cell("date", i).trim().to_owned(),
                kind: self.cell("kind", i).to_owned(),
                holiday: self.cell("kind", i) != "workday",
                name: self.cell("name", i).trim().to_owned(),
                error: None,
            })
            .collect()
    }
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
        .stores
        .audit
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
    let invalid = |p: Page, key: &str, rows: Option<Vec<CalendarRow>>| {
        let state = state.clone();
        let staff = staff.clone();
        let msg = p.t(key);
        async move {
            let page = view(&state, p, &staff, None, Some(msg), rows).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    };
    match section.as_str() {
        "calendar" => {
            let mut rows = form.calendar_rows();
            let raw: Vec<RawDay> = rows
                .iter()
                .map(|r| RawDay {
                    date: &r.date,
                    kind: &r.kind,
                    name: &r.name,
                })
                .collect();
            let days = match calendar_table::validate(&raw) {
                Ok(days) => days,
                Err(errors) => {
                    for e in errors {
                        rows[e.row - 1].error =
                            Some(p.t(&format!("page.admin_edit.cal_{}", e.reason)));
                    }
                    pad_calendar(&mut rows);
                    let state = state.clone();
                    let msg = p.t("page.admin_edit.err_calendar_rows");
                    let page = view(&state, p, &staff, None, Some(msg), Some(rows)).await?;
                    return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
                }
            };
            state
                .stores
                .settings
                .put_setting(SETTING_WORK_CALENDAR, &calendar_table::to_csv(&days))
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
                .stores
                .settings
                .put_setting(SETTING_DEADLINE_POLICY, &json)
                .await?;
            audit(&state, &staff, "admin.deadlines", json).await?;
        }
        "department" => {
            let (Some(name), contact) = (clean(&form.name, 100), clean(&form.contact, 200)) else {
                return invalid(p, "page.admin.err_department", None).await;
            };
            let d = state
                .stores
                .catalog
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
            let t = state
                .stores
                .catalog
                .create_reply_template(&title, &body)
                .await?;
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
                .stores
                .settings
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

/// Edit or retire one department or reply template (`/staff/admin/{section}/{id}`);
/// audited by the store with the change.
pub async fn edit(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Path((section, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<AdminForm>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let actor = format!("staff:{}", staff.id);
    let retired = form.retired.is_some();
    let result = match section.as_str() {
        "department" => {
            let (Some(name), contact) = (clean(&form.name, 100), clean(&form.contact, 200)) else {
                return invalid_edit(&state, p, &staff, "page.admin.err_department").await;
            };
            let contact = contact.unwrap_or_default();
            state
                .stores
                .catalog
                .update_department(id, &name, &contact, retired, &actor, state.now())
                .await
                .map(|_| ())
        }
        "template" => {
            let (Some(title), Some(body)) = (clean(&form.title, 100), clean(&form.body, 5_000))
            else {
                return invalid_edit(&state, p, &staff, "page.admin.err_template").await;
            };
            state
                .stores
                .catalog
                .update_reply_template(id, &title, &body, retired, &actor, state.now())
                .await
                .map(|_| ())
        }
        _ => return Err(AppError::NotFound),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/staff/admin?done={section}_edited"))),
        Err(police_square_store::StoreError::Conflict(_)) => {
            invalid_edit(&state, p, &staff, "page.admin_edit.err_taken").await
        }
        Err(e) => Err(e.into()),
    }
}

async fn invalid_edit(
    state: &AppState,
    p: Page,
    staff: &CurrentStaff,
    key: &str,
) -> AppResult<Response> {
    let msg = p.t(key);
    let page = view(state, p, staff, None, Some(msg), None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
