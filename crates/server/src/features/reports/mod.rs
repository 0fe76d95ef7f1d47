//! Opinion analysis reports (民意研判周报/月报/季报): periods, assembly of the content
//! snapshot from the store's aggregates, access rules, publishing and leaders'
//! annotations, and the scheduled generation of drafts.
//!
//! A report covers the appeals received in one period (ISO week Monday–Sunday,
//! calendar month or calendar quarter, in China Standard Time) within one bureau's
//! subtree (the city bureau or a district bureau). Its content is assembled once into
//! [`ReportContent`] and stored as JSON; pages, charts and the XLSX export only ever
//! read that snapshot, so a published report never changes, whatever happens to the
//! appeals afterwards. Labels are stored as stable keys (kind, channel, category) and
//! translated when shown; unit names are stored as they were.
//!
//! Quotes never carry personal data: phone and ID numbers in the text are masked, and
//! so are the resident's own name, phone and address wherever the text repeats them
//! (masking helpers of `police_square_domain::pii`). Conduct complaints are never
//! quoted.

pub mod api;
mod content;
mod generate;
pub mod jobs;
pub mod openapi;
pub mod page;
mod period;

pub use content::*;
pub use generate::{assemble, generate, generate_for, mask_quote};
pub use period::{report_date, Period};

use police_square_domain::{free_text::AnalystNote, org::UnitPath, Role, UnitKind};
use police_square_store::{
    Id, Report, ReportAnnotation, ReportKind, ReportMeta, ReportStatus, Staff,
};

use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

/// Reports listed on the reports page.
pub const LIST_LIMIT: u32 = 200;

// ── access ──────────────────────────────────────────────────────────────

/// The bureau (city or district) whose reports a staff member sees: the one at or
/// above their unit. A district sees only its own reports; the city sees all.
pub fn report_scope(state: &AppState, staff: &Staff) -> AppResult<UnitPath> {
    if !may_view(staff.role) {
        return Err(AppError::Forbidden);
    }
    let org = state.org();
    Ok(org
        .bureau_at_or_above(staff.unit_id)
        .map(|u| u.path.clone())
        .unwrap_or_else(|| staff.unit_path.clone()))
}

pub fn may_view(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Leader | Role::Supervisor | Role::Analyst
    )
}

/// Generate and publish: the analysts (民意研判), leaders and admins.
pub fn may_generate(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Leader | Role::Analyst)
}

/// Only leaders (局领导) annotate a published report with what will be done.
pub fn may_annotate(role: Role) -> bool {
    role == Role::Leader
}

/// Units a report can be generated for within `scope`: the bureau itself and the
/// district bureaus below it.
pub fn report_units(state: &AppState, scope: &UnitPath) -> Vec<(Id, String)> {
    let org = state.org();
    let mut units: Vec<_> = org
        .in_scope(scope)
        .filter(|u| &u.path == scope || u.kind == UnitKind::District)
        .map(|u| (u.path.ids().len(), u.id, u.name.clone()))
        .collect();
    units.sort();
    units.into_iter().map(|(_, id, name)| (id, name)).collect()
}

/// A report the staff member may see, else 404 (never reveal that it exists).
pub async fn visible_report(state: &AppState, staff: &Staff, id: Id) -> AppResult<Report> {
    let scope = report_scope(state, staff)?;
    let report = state
        .stores
        .reports
        .report(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !scope.contains(&report.meta.unit_path) {
        return Err(AppError::NotFound);
    }
    Ok(report)
}

pub async fn list(state: &AppState, staff: &Staff) -> AppResult<Vec<ReportMeta>> {
    let scope = report_scope(state, staff)?;
    Ok(state.stores.reports.reports_in(&scope, LIST_LIMIT).await?)
}

// ── publishing and annotations ──────────────────────────────────────────

pub async fn publish(state: &AppState, staff: &Staff, id: Id) -> AppResult<Report> {
    if !may_generate(staff.role) {
        return Err(AppError::Forbidden);
    }
    visible_report(state, staff, id).await?;
    Ok(state
        .stores
        .reports
        .publish_report(id, staff.id, state.now())
        .await?)
}

/// A leader's note on a published report.
pub async fn annotate(
    state: &AppState,
    staff: &Staff,
    id: Id,
    text: &str,
) -> AppResult<ReportAnnotation> {
    let report = visible_report(state, staff, id).await?;
    if !may_annotate(staff.role) {
        return Err(AppError::Forbidden);
    }
    if report.meta.status != ReportStatus::Published {
        return Err(AppError::Conflict("publish the report first".into()));
    }
    let text = AnalystNote::parse("annotation", text)?.into_inner();
    Ok(state
        .stores
        .reports
        .annotate_report(id, staff.id, state.now(), &text)
        .await?)
}

// ── scheduled generation ────────────────────────────────────────────────

/// The scheduled job: for every kind, the last completed period gets a draft for the
/// city bureau and each district bureau, unless one exists already (published or
/// not), so running it again does nothing. Returns how many drafts were written.
pub async fn generate_due(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    let org = state.org();
    let Some(city) = org.city() else {
        return Ok(0);
    };
    let units: Vec<Id> = report_units(state, &city.path)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let mut written = 0;
    for kind in ReportKind::ALL {
        let period = Period::last_completed(kind, now);
        for &unit in &units {
            if state
                .stores
                .reports
                .report_for(unit, kind, period.start)
                .await?
                .is_some()
            {
                continue;
            }
            generate(state, unit, period, None).await?;
            written += 1;
        }
    }
    Ok(written)
}
