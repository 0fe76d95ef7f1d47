//! `/api/v1/reports…`: 民意研判 weekly/monthly/quarterly reports as JSON, with the
//! console's rules (the reports service applies them): a bureau sees its own reports;
//! analysts, leaders and admins generate and publish; a published report is frozen;
//! leaders annotate published reports (audited).
//!
//! The content is the stored snapshot: quotes were masked when it was assembled.

use axum::{extract::State, http::StatusCode, Json};
use police_square_store::{Id, Report, ReportAnnotation, ReportKind, ReportMeta, ReportStatus};
use serde::{Deserialize, Serialize};

use crate::app::api_routes::ApiRoutes;
use crate::app::extract::{ApiJson, ApiPath};
use crate::{
    app::{auth::CurrentStaff, error::AppResult, state::AppState},
    features::reports::{self, Period, ReportContent},
};

/// Reports: list, generate, show, publish, annotate.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/reports", list)
        .post("/api/v1/reports", generate)
        .get("/api/v1/reports/{id}", show)
        .post("/api/v1/reports/{id}/publish", publish)
        .post("/api/v1/reports/{id}/annotate", annotate)
}

/// A report's metadata with its language-neutral names.
#[derive(Debug, Serialize)]
pub struct ReportItem {
    #[serde(flatten)]
    pub meta: ReportMeta,
    /// `2026-W10`, `2026-03`, `2026-Q1`.
    pub label: String,
    pub unit_name: Option<String>,
}

fn item(state: &AppState, meta: ReportMeta) -> ReportItem {
    let period = Period {
        kind: meta.kind,
        start: meta.period_start,
        end: meta.period_end,
    };
    ReportItem {
        label: period.label(),
        unit_name: state.org().name(meta.unit_id).map(str::to_owned),
        meta,
    }
}

#[derive(Debug, Serialize)]
pub struct UnitOption {
    pub id: Id,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct ReportList {
    /// Newest period first (at most 200).
    pub items: Vec<ReportItem>,
    /// Whether the caller may generate and publish.
    pub can_generate: bool,
    /// Units the caller may generate reports for.
    pub units: Vec<UnitOption>,
}

pub async fn list(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> AppResult<Json<ReportList>> {
    let metas = reports::list(&state, &staff).await?;
    let scope = reports::report_scope(&state, &staff)?;
    Ok(Json(ReportList {
        items: metas.into_iter().map(|m| item(&state, m)).collect(),
        can_generate: reports::may_generate(staff.role),
        units: reports::report_units(&state, &scope)
            .into_iter()
            .map(|(id, name)| UnitOption { id, name })
            .collect(),
    }))
}

#[derive(Debug, Serialize)]
pub struct ReportView {
    pub report: ReportItem,
    pub content: ReportContent,
    /// Leaders' notes, oldest first.
    pub annotations: Vec<ReportAnnotation>,
    /// Whether the caller may annotate it now (a leader, once it is published).
    pub can_annotate: bool,
}

async fn view(state: &AppState, staff: &CurrentStaff, report: Report) -> AppResult<ReportView> {
    let content = ReportContent::parse(&report.content)?;
    let annotations = state
        .stores
        .reports
        .report_annotations(report.meta.id)
        .await?;
    let can_annotate =
        reports::may_annotate(staff.role) && report.meta.status == ReportStatus::Published;
    Ok(ReportView {
        report: item(state, report.meta),
        content,
        annotations,
        can_annotate,
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateBody {
    pub kind: ReportKind,
    /// Any China-time day of the period, `YYYY-MM-DD`.
    pub date: String,
    /// The city bureau or a district bureau within the caller's scope.
    pub unit_id: Id,
}

/// 201 with the (re)generated draft; 200 with the published report unchanged when
/// that period's report is already published (frozen).
pub async fn generate(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiJson(body): ApiJson<GenerateBody>,
) -> AppResult<(StatusCode, Json<ReportView>)> {
    let period = Period::containing_date(body.kind, reports::report_date(&body.date)?);
    let report = reports::generate_for(&state, &staff, body.unit_id, period).await?;
    let status = match report.meta.status {
        ReportStatus::Published => StatusCode::OK,
        ReportStatus::Draft => StatusCode::CREATED,
    };
    Ok((status, Json(view(&state, &staff, report).await?)))
}

pub async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
) -> AppResult<Json<ReportView>> {
    let report = reports::visible_report(&state, &staff, id).await?;
    Ok(Json(view(&state, &staff, report).await?))
}

/// Publish a draft: from now on it is frozen (409 when already published).
pub async fn publish(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
) -> AppResult<Json<ReportView>> {
    let report = reports::publish(&state, &staff, id).await?;
    Ok(Json(view(&state, &staff, report).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotateBody {
    pub text: String,
}

pub async fn annotate(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<AnnotateBody>,
) -> AppResult<(StatusCode, Json<ReportAnnotation>)> {
    let note = reports::annotate(&state, &staff, id, &body.text).await?;
    Ok((StatusCode::CREATED, Json(note)))
}
