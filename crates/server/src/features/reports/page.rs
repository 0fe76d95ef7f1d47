//! 民意研判周报/月报/季报: the list with the generate-on-demand form, the report screen
//! (print styles, inline SVG charts drawn on the server, no scripts), the XLSX export,
//! publishing and leaders' annotations. Everything shown comes from the report's
//! frozen snapshot ([`ReportContent`]); only the labels follow the reader's language.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
    routing::{get, post},
    Router,
};
use police_square_domain::calendar::to_local;
use police_square_store::{Id, ReportKind, ReportMeta, ReportStatus};
use serde::Deserialize;

mod charts;
mod xlsx;

use charts::{bar_chart, day_chart, score_chart};

use crate::{
    app::pages::console::staff_page,
    app::pages::ctx::{fmt_rate, group_digits, render, see_other, CsrfForm, PageFrame},
    features::opinion::unusual_page as unusual,
};
use crate::{
    app::{
        auth::CurrentStaff,
        error::{AppError, AppResult},
        state::AppState,
    },
    features::reports::{self, change_percent, Period, ReportContent, Share},
};

/// The reports pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/reports", get(list).post(generate))
        .route("/staff/reports/{id}", get(show))
        .route("/staff/reports/{id}/publish", post(publish))
        .route("/staff/reports/{id}/annotate", post(annotate))
}

// ── labels ──────────────────────────────────────────────────────────────

fn kind_label(p: &PageFrame, kind: ReportKind) -> String {
    p.t(&format!("page.reports.kind_{}", kind.as_str()))
}

fn status_label(p: &PageFrame, status: ReportStatus) -> String {
    p.t(&format!("page.reports.status_{}", status.as_str()))
}

fn category_label(p: &PageFrame, key: &str) -> String {
    if key == "none" {
        p.t("page.reports.uncategorized")
    } else {
        p.t(&format!("category.{key}"))
    }
}

fn share_label(p: &PageFrame, dimension: &str, s: &Share) -> String {
    match dimension {
        "kind" => p.t(&format!("kind.{}", s.key)),
        "channel" => p.t(&format!("channel.{}", s.key)),
        "category" => category_label(p, &s.key),
        _ => s.name.clone(),
    }
}

/// `+12.5%`, `-3.0%`, or `—` without a previous count.
fn fmt_change(count: i64, previous: i64) -> String {
    match change_percent(count, previous) {
        Some(c) if c.abs() < 0.05 => "0.0%".to_owned(),
        Some(c) if c > 0.0 => format!("+{c:.1}%"),
        Some(c) => format!("{c:.1}%"),
        None => "—".to_owned(),
    }
}

fn fmt_day(at: i64) -> String {
    to_local(at).format("%Y-%m-%d").to_string()
}

fn title(p: &PageFrame, meta_kind: ReportKind, unit: &str, label: &str) -> String {
    p.ta(
        "page.reports.report_title",
        &[
            ("unit", unit),
            ("period", label),
            ("kind", &kind_label(p, meta_kind)),
        ],
    )
}

// ── list ────────────────────────────────────────────────────────────────

struct ListRow {
    id: Id,
    title: String,
    range: String,
    status: String,
    published: bool,
    generated: String,
}

#[derive(Template)]
#[template(path = "staff/reports.html")]
struct ReportsPage {
    p: PageFrame,
    rows: Vec<ListRow>,
    can_generate: bool,
    units: Vec<(Id, String)>,
    today: String,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    done: String,
}

fn list_row(state: &AppState, p: &PageFrame, m: &ReportMeta) -> ListRow {
    let org = state.org();
    let period = Period {
        kind: m.kind,
        start: m.period_start,
        end: m.period_end,
    };
    ListRow {
        id: m.id,
        title: title(
            p,
            m.kind,
            org.name(m.unit_id).unwrap_or_default(),
            &period.label(),
        ),
        range: period.range(),
        status: status_label(p, m.status),
        published: m.status == ReportStatus::Published,
        generated: p.time(&m.generated_at),
    }
}

pub async fn list(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let metas = reports::list(&state, &staff).await?;
    let scope = reports::report_scope(&state, &staff)?;
    let rows = metas.iter().map(|m| list_row(&state, &p, m)).collect();
    let notice = match q.done.as_str() {
        "" => None,
        _ => Some(p.t("page.reports.done_generated")),
    };
    let view = ReportsPage {
        rows,
        can_generate: reports::may_generate(staff.role),
        units: reports::report_units(&state, &scope),
        today: fmt_day(state.now()),
        notice,
        p,
    };
    render(&view)
}

#[derive(Debug, Deserialize)]
pub struct GenerateForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    unit_id: String,
}

/// Generate (or regenerate) a draft on demand, then show it.
pub async fn generate(
    State(state): State<AppState>,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<GenerateForm>,
) -> AppResult<Response> {
    let kind = ReportKind::parse(form.kind.trim())
        .ok_or_else(|| AppError::Unprocessable("kind".into()))?;
    let date = reports::report_date(&form.date)?;
    let unit_id: Id = form
        .unit_id
        .trim()
        .parse()
        .map_err(|_| AppError::Unprocessable("unit_id".into()))?;
    let period = Period::containing_date(kind, date);
    let report = reports::generate_for(&state, &staff, unit_id, period).await?;
    let done = match report.meta.status {
        ReportStatus::Published => "frozen",
        ReportStatus::Draft => "generated",
    };
    Ok(see_other(&format!(
        "/staff/reports/{}?done={done}",
        report.meta.id
    )))
}

// ── one report ──────────────────────────────────────────────────────────

struct Row {
    label: String,
    count: String,
    previous: String,
    change: String,
}

struct QuoteView {
    appeal_id: Id,
    unit: String,
    at: String,
    text: String,
    clustered: bool,
}

struct ConcernView {
    category: String,
    count: String,
    share: String,
    change: String,
    quotes: Vec<QuoteView>,
}

struct ClusterView {
    id: Id,
    label: String,
    category: String,
    unit: String,
    in_period: String,
    size: String,
    span: String,
}

struct EmergingView {
    id: Id,
    /// Place + problem, and how unusual in plain words (the test on request).
    headline: String,
    unusual: String,
    test: String,
    district: String,
    span: String,
    keywords: String,
    categories: String,
    observed: String,
    appeals: String,
}

struct RateView {
    rank: String,
    name: String,
    total: String,
    response: String,
    resolution: String,
    satisfaction: String,
    composite: String,
    overdue: String,
}

struct AnnotationView {
    author: String,
    at: String,
    text: String,
}

#[derive(Template)]
#[template(path = "staff/reports_view.html")]
struct ReportPage {
    p: PageFrame,
    id: Id,
    title: String,
    range: String,
    previous_range: String,
    status: String,
    published: bool,
    published_info: String,
    generated_info: String,
    notice: Option<String>,
    can_publish: bool,
    can_annotate: bool,
    total: String,
    previous_total: String,
    total_change: String,
    clusters_total: String,
    emerging_total: String,
    composite: String,
    svg_daily: String,
    svg_category: String,
    svg_units: String,
    svg_scores: String,
    by_kind: Vec<Row>,
    by_channel: Vec<Row>,
    by_category: Vec<Row>,
    by_unit: Vec<Row>,
    concerns: Vec<ConcernView>,
    clusters: Vec<ClusterView>,
    emerging: Vec<EmergingView>,
    rate_current: RateView,
    rate_previous: RateView,
    ranking: Vec<RateView>,
    annotations: Vec<AnnotationView>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ViewQuery {
    #[serde(default)]
    done: String,
}

fn rows(p: &PageFrame, dimension: &str, shares: &[Share]) -> Vec<Row> {
    shares
        .iter()
        .map(|s| Row {
            label: share_label(p, dimension, s),
            count: group_digits(s.count),
            previous: group_digits(s.previous),
            change: fmt_change(s.count, s.previous),
        })
        .collect()
}

fn rate_view(r: &reports::RateRow) -> RateView {
    RateView {
        rank: r.rank.map(|n| n.to_string()).unwrap_or_else(|| "—".into()),
        name: r.name.clone(),
        total: group_digits(r.counts.total),
        response: fmt_rate(&r.rates.response),
        resolution: fmt_rate(&r.rates.resolution),
        satisfaction: fmt_rate(&r.rates.satisfaction),
        composite: r
            .rates
            .composite
            .map(|c| format!("{c:.1}"))
            .unwrap_or_else(|| "—".into()),
        overdue: group_digits(r.rates.overdue),
    }
}

fn ranking_label(p: &PageFrame, r: &reports::RateRow) -> String {
    match r.rank {
        Some(n) => format!("{n}. {}", r.name),
        None => format!("{} ({})", r.name, p.t("page.reports.no_score")),
    }
}

async fn staff_name(state: &AppState, id: Option<Id>) -> String {
    match id {
        Some(id) => state
            .stores
            .org
            .staff(id)
            .await
            .ok()
            .flatten()
            .map(|s| s.display_name)
            .unwrap_or_default(),
        None => String::new(),
    }
}

/// `/staff/reports/{id}` and `/staff/reports/{id}.xlsx`.
pub async fn show(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Query(q): Query<ViewQuery>,
) -> AppResult<Response> {
    let (id, xlsx) = match id.strip_suffix(".xlsx") {
        Some(n) => (n, true),
        None => (id.as_str(), false),
    };
    let id: Id = id.parse().map_err(|_| AppError::NotFound)?;
    let p = staff_page(&state, p, &staff);
    let report = reports::visible_report(&state, &staff, id).await?;
    let content = ReportContent::parse(&report.content)?;
    if xlsx {
        return xlsx::export(&p, &report, &content);
    }
    let annotations = state.stores.reports.report_annotations(id).await?;
    let meta = &report.meta;
    let published = meta.status == ReportStatus::Published;
    let published_info = match meta.published_at {
        Some(at) => p.ta(
            "page.reports.published_info",
            &[
                ("at", &p.time(&at)),
                ("by", &staff_name(&state, meta.published_by).await),
            ],
        ),
        None => String::new(),
    };
    let generated_info = match meta.generated_by {
        Some(_) => p.ta(
            "page.reports.generated_info",
            &[
                ("at", &p.time(&meta.generated_at)),
                ("by", &staff_name(&state, meta.generated_by).await),
            ],
        ),
        None => p.t1(
            "page.reports.generated_by_job",
            "at",
            &p.time(&meta.generated_at),
        ),
    };
    let notice = match q.done.as_str() {
        "generated" => Some(p.t("page.reports.done_generated")),
        "frozen" => Some(p.t("page.reports.done_frozen")),
        "published" => Some(p.t("page.reports.done_published")),
        "annotated" => Some(p.t("page.reports.done_annotated")),
        _ => None,
    };
    let c = &content;
    let (period, previous) = c.periods();
    let category_rows: Vec<(String, i64, i64)> = c
        .by_category
        .iter()
        .map(|s| (category_label(&p, &s.key), s.count, s.previous))
        .collect();
    let unit_rows: Vec<(String, i64, i64)> = c
        .by_unit
        .iter()
        .map(|s| (s.name.clone(), s.count, s.previous))
        .collect();
    let legend_now = p.t("page.reports.this_period");
    let legend_prev = p.t("page.reports.previous_period");
    let score_rows: Vec<(String, Option<f64>)> = c
        .rates
        .ranking
        .iter()
        .map(|r| (ranking_label(&p, r), r.rates.composite))
        .collect();
    let view = ReportPage {
        id,
        title: title(&p, c.kind, &c.unit_name, &c.label),
        range: period.range(),
        previous_range: previous.range(),
        status: status_label(&p, meta.status),
        published,
        published_info,
        generated_info,
        notice,
        can_publish: !published && reports::may_generate(staff.role),
        can_annotate: published && reports::may_annotate(staff.role),
        total: group_digits(c.total),
        previous_total: group_digits(c.previous_total),
        total_change: fmt_change(c.total, c.previous_total),
        clusters_total: p.ta(
            "page.reports.clusters_total",
            &[
                ("n", &group_digits(c.clusters.clusters)),
                ("appeals", &group_digits(c.clusters.appeals)),
            ],
        ),
        emerging_total: group_digits(c.emerging.len() as i64),
        composite: c
            .rates
            .current
            .rates
            .composite
            .map(|v| format!("{v:.1}"))
            .unwrap_or_else(|| "—".into()),
        svg_daily: day_chart(&p.t("page.reports.chart_daily"), &c.daily),
        svg_category: bar_chart(
            &p.t("page.reports.chart_category"),
            &category_rows,
            (&legend_now, &legend_prev),
        ),
        svg_units: bar_chart(
            &p.t("page.reports.chart_unit"),
            &unit_rows,
            (&legend_now, &legend_prev),
        ),
        svg_scores: score_chart(&p.t("page.reports.chart_scores"), &score_rows),
        by_kind: rows(&p, "kind", &c.by_kind),
        by_channel: rows(&p, "channel", &c.by_channel),
        by_category: rows(&p, "category", &c.by_category),
        by_unit: rows(&p, "unit", &c.by_unit),
        concerns: c
            .concerns
            .iter()
            .map(|k| ConcernView {
                category: category_label(&p, &k.category),
                count: group_digits(k.count),
                share: format!("{:.1}%", k.share),
                change: fmt_change(k.count, k.previous),
                quotes: k
                    .quotes
                    .iter()
                    .map(|q| QuoteView {
                        appeal_id: q.appeal_id,
                        unit: q.unit.clone(),
                        at: p.time(&q.received_at),
                        text: q.text.clone(),
                        clustered: q.clustered,
                    })
                    .collect(),
            })
            .collect(),
        clusters: c
            .clusters
            .top
            .iter()
            .map(|k| ClusterView {
                id: k.id,
                label: k.label.clone(),
                category: k
                    .category
                    .as_deref()
                    .map(|k| category_label(&p, k))
                    .unwrap_or_default(),
                unit: k.unit.clone(),
                in_period: group_digits(k.in_period),
                size: group_digits(k.size),
                span: format!("{} — {}", fmt_day(k.first_at), fmt_day(k.last_at)),
            })
            .collect(),
        emerging: c
            .emerging
            .iter()
            .map(|e| EmergingView {
                id: e.id,
                headline: unusual::alert_headline(&p, &e.keywords, &e.categories),
                unusual: unusual::unusual(&p, e.observed, e.expected),
                test: unusual::test_details(&p, e.observed, e.expected, e.p_value),
                district: e.district.clone(),
                span: format!(
                    "{} — {}",
                    fmt_day(e.period_start),
                    fmt_day(e.period_end - 1)
                ),
                keywords: e.keywords.join(" "),
                categories: e
                    .categories
                    .iter()
                    .map(|k| category_label(&p, k))
                    .collect::<Vec<_>>()
                    .join("、"),
                observed: group_digits(e.observed),
                appeals: group_digits(e.appeals),
            })
            .collect(),
        rate_current: rate_view(&c.rates.current),
        rate_previous: rate_view(&c.rates.previous),
        ranking: c.rates.ranking.iter().map(rate_view).collect(),
        annotations: annotations
            .iter()
            .map(|a| AnnotationView {
                author: a.author_name.clone(),
                at: p.time(&a.at),
                text: a.text.clone(),
            })
            .collect(),
        p,
    };
    render(&view)
}

// ── actions ─────────────────────────────────────────────────────────────

#[derive(Debug, Deserialize)]
pub struct AnnotateForm {
    #[serde(default)]
    text: String,
}

#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

pub async fn publish(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Id>,
    CsrfForm(_form): CsrfForm<EmptyForm>,
) -> AppResult<Response> {
    reports::publish(&state, &staff, id).await?;
    Ok(see_other(&format!("/staff/reports/{id}?done=published")))
}

pub async fn annotate(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Id>,
    CsrfForm(form): CsrfForm<AnnotateForm>,
) -> AppResult<Response> {
    reports::annotate(&state, &staff, id, &form.text).await?;
    Ok(see_other(&format!("/staff/reports/{id}?done=annotated")))
}
