//! Administration (admin role): the holiday / adjusted-workday calendar (a table of
//! dated, named rows), the
//! default deadlines, the registry of external departments, the reply templates and
//! the words added to the segmentation dictionary.
//!
//! The page parses the forms and shows the outcome; [`super::settings`] validates,
//! writes and audits.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
    Router,
};
use std::collections::HashMap;

use police_square_domain::{
    calendar::DayOverride,
    calendar_table::{self, CalendarDay, DayKind, RawDay},
    DeadlinePolicy, WorkCalendar,
};
use police_square_store::{Department, ReplyTemplate};
use serde::Deserialize;

use super::settings::{self, require_admin, Refusal};

use crate::app::{
    auth::CurrentStaff,
    error::{AppError, AppResult},
    state::{AppState, SETTING_TEXT_DICTIONARY, SETTING_WORK_CALENDAR},
};
use crate::{
    app::pages::console::staff_page,
    app::pages::ctx::{render, render_status, see_other, CsrfForm, PageFrame},
};

/// The settings page and its forms.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/admin", get(page))
        .route("/staff/admin/{section}", post(save))
        .route("/staff/admin/{section}/{id}", post(edit))
}

#[derive(Template)]
#[template(path = "staff/admin.html")]
struct AdminPage {
    p: PageFrame,
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
    p: PageFrame,
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
    p: PageFrame,
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

/// A form value that must be a whole number (the service checks its range).
fn number<T: std::str::FromStr>(v: &Option<String>) -> Option<T> {
    v.as_deref().and_then(|s| s.trim().parse::<T>().ok())
}

pub async fn save(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    Path(section): Path<String>,
    CsrfForm(form): CsrfForm<AdminForm>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let outcome = match section.as_str() {
        "calendar" => {
            let rows = form.calendar_rows();
            let raw: Vec<RawDay> = rows
                .iter()
                .map(|r| RawDay {
                    date: &r.date,
                    kind: &r.kind,
                    name: &r.name,
                })
                .collect();
            match settings::save_calendar(&state, &staff, &raw).await? {
                Ok(_) => Ok(()),
                Err(Refusal::Calendar(errors)) => {
                    let mut rows = rows;
                    for e in errors {
                        rows[e.row - 1].error =
                            Some(p.t(&format!("page.admin_edit.cal_{}", e.reason)));
                    }
                    pad_calendar(&mut rows);
                    let msg = p.t("page.admin_edit.err_calendar_rows");
                    let page = view(&state, p, &staff, None, Some(msg), Some(rows)).await?;
                    return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
                }
                Err(other) => Err(other),
            }
        }
        "deadlines" => {
            let policy = (|| {
                Some(DeadlinePolicy {
                    accept_working_minutes: number(&form.accept_working_minutes)?,
                    emergency_hours: number(&form.emergency_hours)?,
                    normal_days: number(&form.normal_days)?,
                    complex_days: number(&form.complex_days)?,
                    consultation_days: number(&form.consultation_days)?,
                    near_hours: number(&form.near_hours)?,
                })
            })();
            match policy {
                Some(policy) => settings::save_deadlines(&state, &staff, policy).await?,
                None => Err(Refusal::Deadlines),
            }
        }
        "department" => {
            settings::create_department(&state, &staff, &form.name, &form.contact).await?
        }
        "template" => settings::create_template(&state, &staff, &form.title, &form.body).await?,
        "dictionary" => settings::save_dictionary(&state, &staff, &form.words).await?,
        _ => return Err(AppError::NotFound),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/staff/admin?done={section}"))),
        Err(refusal) => refused(&state, p, &staff, refusal).await,
    }
}

/// Edit or retire one department or reply template (`/staff/admin/{section}/{id}`);
/// audited by the store with the change.
pub async fn edit(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    Path((section, id)): Path<(String, i64)>,
    CsrfForm(form): CsrfForm<AdminForm>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let retired = form.retired.is_some();
    let outcome = match section.as_str() {
        "department" => {
            settings::edit_department(&state, &staff, id, &form.name, &form.contact, retired)
                .await?
        }
        "template" => {
            settings::edit_template(&state, &staff, id, &form.title, &form.body, retired).await?
        }
        _ => return Err(AppError::NotFound),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/staff/admin?done={section}_edited"))),
        Err(refusal) => refused(&state, p, &staff, refusal).await,
    }
}

/// The settings page again, 422, saying why the edit was refused.
async fn refused(
    state: &AppState,
    p: PageFrame,
    staff: &CurrentStaff,
    refusal: Refusal,
) -> AppResult<Response> {
    let key = match refusal {
        Refusal::Calendar(_) => "page.admin_edit.err_calendar_rows",
        Refusal::Deadlines => "page.admin.err_deadlines",
        Refusal::Department => "page.admin.err_department",
        Refusal::Template => "page.admin.err_template",
        Refusal::Dictionary => "page.admin.err_dictionary",
        Refusal::Taken => "page.admin_edit.err_taken",
    };
    let msg = p.t(key);
    let page = view(state, p, staff, None, Some(msg), None).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
