//! 民意研判周报/月报/季报: the list with the generate-on-demand form, the report screen
//! (print styles, inline SVG charts drawn on the server, no scripts), the XLSX export,
//! publishing and leaders' annotations. Everything shown comes from the report's
//! frozen snapshot ([`ReportContent`]); only the labels follow the reader's language.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use police_square_domain::calendar::to_local;
use police_square_store::{Id, Report, ReportKind, ReportMeta, ReportStatus};
use serde::Deserialize;

use crate::html::escape;

use super::{
    ctx::{fmt_rate, group_digits, render, see_other, CsrfForm, Page},
    staff::staff_page,
};
use crate::{
    auth::CurrentStaff,
    error::{AppError, AppResult},
    services::reports::{self, change_percent, Period, ReportContent, Share},
    state::AppState,
};

// ── labels ──────────────────────────────────────────────────────────────

fn kind_label(p: &Page, kind: ReportKind) -> String {
    p.t(&format!("page.reports.kind_{}", kind.as_str()))
}

fn status_label(p: &Page, status: ReportStatus) -> String {
    p.t(&format!("page.reports.status_{}", status.as_str()))
}

fn category_label(p: &Page, key: &str) -> String {
    if key == "none" {
        p.t("page.reports.uncategorized")
    } else {
        p.t(&format!("category.{key}"))
    }
}

fn share_label(p: &Page, dimension: &str, s: &Share) -> String {
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

fn title(p: &Page, meta_kind: ReportKind, unit: &str, label: &str) -> String {
    p.ta(
        "page.reports.report_title",
        &[
            ("unit", unit),
            ("period", label),
            ("kind", &kind_label(p, meta_kind)),
        ],
    )
}

// ── SVG charts (server-rendered, no scripts) ────────────────────────────

/// Horizontal bars: this period (solid) and the previous one (outline).
fn bar_chart(title: &str, rows: &[(String, i64, i64)], legend: (&str, &str)) -> String {
    let label_w = 150.0;
    let bar_w = 420.0;
    let row_h = 24.0;
    let top = 28.0;
    let height = top + row_h * rows.len() as f64 + 8.0;
    let max = rows
        .iter()
        .map(|(_, a, b)| (*a).max(*b))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut svg = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 680 {height}\" \
         role=\"img\" aria-label=\"{t}\"><title>{t}</title>\
         <rect x=\"{label_w}\" y=\"6\" width=\"12\" height=\"10\" fill=\"#1f5fa8\"/>\
         <text x=\"{lx1}\" y=\"15\" font-size=\"11\">{l1}</text>\
         <rect x=\"{lx2}\" y=\"6\" width=\"12\" height=\"10\" fill=\"none\" stroke=\"#d08a1c\" stroke-width=\"2\"/>\
         <text x=\"{lx3}\" y=\"15\" font-size=\"11\">{l2}</text>",
        t = escape(title),
        lx1 = label_w + 16.0,
        lx2 = label_w + 120.0,
        lx3 = label_w + 136.0,
        l1 = escape(legend.0),
        l2 = escape(legend.1),
    );
    for (i, (label, count, previous)) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let w = bar_w * *count as f64 / max;
        let pw = bar_w * *previous as f64 / max;
        svg.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{label_w}\" y=\"{y1}\" width=\"{w:.1}\" height=\"14\" fill=\"#1f5fa8\"/>\
             <rect x=\"{label_w}\" y=\"{y1}\" width=\"{pw:.1}\" height=\"14\" fill=\"none\" \
             stroke=\"#d08a1c\" stroke-width=\"2\"/>\
             <text x=\"{vx:.1}\" y=\"{ty}\" font-size=\"11\">{v}</text>",
            lx = label_w - 6.0,
            ty = y + 12.0,
            y1 = y + 1.0,
            label = escape(label),
            vx = label_w + w.max(pw) + 6.0,
            v = group_digits(*count),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Daily appeals as columns.
fn day_chart(title: &str, days: &[reports::DayPoint]) -> String {
    let width = 680.0;
    let height = 180.0;
    let left = 40.0;
    let bottom = 24.0;
    let plot_h = height - bottom - 14.0;
    let n = days.len().max(1) as f64;
    let step = (width - left - 6.0) / n;
    let max = days.iter().map(|d| d.count).max().unwrap_or(0).max(1) as f64;
    let mut svg = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         role=\"img\" aria-label=\"{t}\"><title>{t}</title>\
         <line x1=\"{left}\" y1=\"{base}\" x2=\"{width}\" y2=\"{base}\" stroke=\"#8a96a3\"/>\
         <text x=\"{lx}\" y=\"20\" font-size=\"10\" text-anchor=\"end\">{max}</text>\
         <text x=\"{lx}\" y=\"{base}\" font-size=\"10\" text-anchor=\"end\">0</text>",
        t = escape(title),
        base = height - bottom,
        lx = left - 4.0,
        max = group_digits(max as i64),
    );
    let label_every = (days.len() / 8).max(1);
    for (i, d) in days.iter().enumerate() {
        let h = plot_h * d.count as f64 / max;
        let x = left + step * i as f64;
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#1f5fa8\">\
             <title>{date}: {c}</title></rect>",
            y = height - bottom - h,
            w = (step * 0.8).max(1.0),
            date = escape(&d.date),
            c = d.count,
        ));
        if i % label_every == 0 {
            svg.push_str(&format!(
                "<text x=\"{x:.1}\" y=\"{y}\" font-size=\"10\">{md}</text>",
                y = height - 8.0,
                md = escape(d.date.get(5..).unwrap_or(&d.date)),
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Composite scores (0–100) of the ranked units.
fn score_chart(title: &str, rows: &[(String, Option<f64>)]) -> String {
    let label_w = 150.0;
    let bar_w = 420.0;
    let row_h = 22.0;
    let height = 10.0 + row_h * rows.len() as f64;
    let mut svg = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 680 {height}\" \
         role=\"img\" aria-label=\"{t}\"><title>{t}</title>",
        t = escape(title)
    );
    for (i, (label, score)) in rows.iter().enumerate() {
        let y = 6.0 + row_h * i as f64;
        let w = bar_w * score.unwrap_or(0.0) / 100.0;
        svg.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"end\">{label}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w:.1}\" height=\"14\" fill=\"#2e7d4f\"/>\
             <text x=\"{vx:.1}\" y=\"{ty}\" font-size=\"11\">{v}</text>",
            lx = label_w - 6.0,
            ty = y + 11.0,
            label = escape(label),
            vx = label_w + w + 6.0,
            v = score
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "—".into()),
        ));
    }
    svg.push_str("</svg>");
    svg
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
    p: Page,
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

fn list_row(state: &AppState, p: &Page, m: &ReportMeta) -> ListRow {
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
    p: Page,
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
    district: String,
    span: String,
    keywords: String,
    categories: String,
    observed: String,
    expected: String,
    p_value: String,
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
    p: Page,
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

fn rows(p: &Page, dimension: &str, shares: &[Share]) -> Vec<Row> {
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

fn ranking_label(p: &Page, r: &reports::RateRow) -> String {
    match r.rank {
        Some(n) => format!("{n}. {}", r.name),
        None => format!("{} ({})", r.name, p.t("page.reports.no_score")),
    }
}

async fn staff_name(state: &AppState, id: Option<Id>) -> String {
    match id {
        Some(id) => state
            .store
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
    p: Page,
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
        return export(&p, &report, &content);
    }
    let annotations = state.store.report_annotations(id).await?;
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
    let period = Period {
        kind: c.kind,
        start: c.period_start,
        end: c.period_end,
    };
    let previous = Period {
        kind: c.kind,
        start: c.previous_start,
        end: c.previous_end,
    };
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
                expected: format!("{:.1}", e.expected),
                p_value: format!("{:.1e}", e.p_value),
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

// ── XLSX export ─────────────────────────────────────────────────────────

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::internal(anyhow::anyhow!("xlsx: {e}"))
}

fn export(p: &Page, report: &Report, c: &ReportContent) -> AppResult<Response> {
    let bytes = workbook(p, report, c).map_err(xlsx_error)?;
    let filename = format!(
        "report-{}-{}-{}.xlsx",
        c.kind.as_str(),
        c.label,
        report.meta.unit_id
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The report as a workbook: one sheet per part of the report.
fn workbook(
    p: &Page,
    report: &Report,
    c: &ReportContent,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let mut wb = Workbook::new();
    let head = |ws: &mut rust_xlsxwriter::Worksheet, row: u32, cols: &[String]| {
        for (i, h) in cols.iter().enumerate() {
            ws.write_string_with_format(row, i as u16, h, &bold)?;
        }
        Ok::<(), rust_xlsxwriter::XlsxError>(())
    };
    let period = Period {
        kind: c.kind,
        start: c.period_start,
        end: c.period_end,
    };
    let previous = Period {
        kind: c.kind,
        start: c.previous_start,
        end: c.previous_end,
    };

    // Summary.
    {
        let ws = sheet(
            &mut wb,
            p.t("page.reports.sheet_summary"),
            &[(0, 24.0), (1, 40.0)],
        )?;
        let lines: Vec<(String, String)> = vec![
            (
                p.t("page.reports.col_report"),
                title(p, c.kind, &c.unit_name, &c.label),
            ),
            (p.t("page.reports.col_period"), period.range()),
            (p.t("page.reports.col_previous"), previous.range()),
            (
                p.t("page.reports.col_status"),
                status_label(p, report.meta.status),
            ),
            (p.t("page.reports.col_generated"), p.time(&c.generated_at)),
            (p.t("page.reports.total"), c.total.to_string()),
            (
                p.t("page.reports.previous_total"),
                c.previous_total.to_string(),
            ),
            (
                p.t("page.reports.change"),
                fmt_change(c.total, c.previous_total),
            ),
        ];
        for (i, (k, v)) in lines.iter().enumerate() {
            ws.write_string_with_format(i as u32, 0, k, &bold)?;
            ws.write_string(i as u32, 1, v)?;
        }
    }
    // Volume by dimension.
    {
        let ws = sheet(&mut wb, p.t("page.reports.sheet_volume"), &[(1, 24.0)])?;
        head(
            ws,
            0,
            &[
                p.t("page.reports.col_dimension"),
                p.t("page.reports.col_item"),
                p.t("page.reports.this_period"),
                p.t("page.reports.previous_period"),
                p.t("page.reports.change"),
            ],
        )?;
        let mut row = 1u32;
        for (dimension, key, shares) in [
            ("kind", "page.reports.by_kind", &c.by_kind),
            ("channel", "page.reports.by_channel", &c.by_channel),
            ("category", "page.reports.by_category", &c.by_category),
            ("unit", "page.reports.by_unit", &c.by_unit),
        ] {
            for s in shares.iter() {
                ws.write_string(row, 0, p.t(key))?;
                ws.write_string(row, 1, share_label(p, dimension, s))?;
                ws.write_number(row, 2, s.count as f64)?;
                ws.write_number(row, 3, s.previous as f64)?;
                if let Some(ch) = s.change_percent() {
                    ws.write_number_with_format(row, 4, ch / 100.0, &pct)?;
                }
                row += 1;
            }
        }
    }
    // Daily series.
    {
        let ws = sheet(&mut wb, p.t("page.reports.sheet_daily"), &[(0, 14.0)])?;
        head(
            ws,
            0,
            &[p.t("page.reports.col_date"), p.t("page.reports.total")],
        )?;
        for (i, d) in c.daily.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, &d.date)?;
            ws.write_number(row, 1, d.count as f64)?;
        }
    }
    // Concerns and quotes.
    {
        let ws = sheet(&mut wb, p.t("page.reports.sheet_concerns"), &[(4, 80.0)])?;
        head(
            ws,
            0,
            &[
                p.t("page.reports.col_category"),
                p.t("page.reports.this_period"),
                p.t("page.reports.change"),
                p.t("page.reports.col_appeal"),
                p.t("page.reports.col_quote"),
            ],
        )?;
        let mut row = 1u32;
        for k in &c.concerns {
            ws.write_string(row, 0, category_label(p, &k.category))?;
            ws.write_number(row, 1, k.count as f64)?;
            ws.write_string(row, 2, fmt_change(k.count, k.previous))?;
            for q in &k.quotes {
                ws.write_number(row, 3, q.appeal_id as f64)?;
                ws.write_string(row, 4, &q.text)?;
                row += 1;
            }
            if k.quotes.is_empty() {
                row += 1;
            }
        }
    }
    // Clusters and emerging issues.
    {
        let ws = sheet(&mut wb, p.t("page.reports.sheet_clusters"), &[(0, 30.0)])?;
        head(
            ws,
            0,
            &[
                p.t("page.reports.col_label"),
                p.t("page.reports.col_category"),
                p.t("page.reports.col_unit"),
                p.t("page.reports.col_in_period"),
                p.t("page.reports.col_size"),
            ],
        )?;
        let mut row = 1u32;
        for k in &c.clusters.top {
            ws.write_string(row, 0, &k.label)?;
            ws.write_string(
                row,
                1,
                k.category
                    .as_deref()
                    .map(|x| category_label(p, x))
                    .unwrap_or_default(),
            )?;
            ws.write_string(row, 2, &k.unit)?;
            ws.write_number(row, 3, k.in_period as f64)?;
            ws.write_number(row, 4, k.size as f64)?;
            row += 1;
        }
        row += 1;
        head(
            ws,
            row,
            &[
                p.t("page.reports.col_keywords"),
                p.t("page.reports.col_district"),
                p.t("page.reports.col_period"),
                p.t("page.reports.col_observed"),
                p.t("page.reports.col_expected"),
                p.t("page.reports.col_appeals"),
            ],
        )?;
        row += 1;
        for e in &c.emerging {
            ws.write_string(row, 0, e.keywords.join(" "))?;
            ws.write_string(row, 1, &e.district)?;
            ws.write_string(
                row,
                2,
                format!(
                    "{} — {}",
                    fmt_day(e.period_start),
                    fmt_day(e.period_end - 1)
                ),
            )?;
            ws.write_number(row, 3, e.observed as f64)?;
            ws.write_number(row, 4, e.expected)?;
            ws.write_number(row, 5, e.appeals as f64)?;
            row += 1;
        }
    }
    // Three rates and the ranking.
    {
        let ws = sheet(&mut wb, p.t("page.reports.sheet_rates"), &[(1, 24.0)])?;
        head(
            ws,
            0,
            &[
                p.t("page.reports.col_rank"),
                p.t("page.reports.col_unit"),
                p.t("page.reports.total"),
                p.t("page.dashboard.response"),
                p.t("page.dashboard.resolution"),
                p.t("page.dashboard.satisfaction"),
                p.t("page.reports.col_composite"),
                p.t("page.dashboard.overdue"),
            ],
        )?;
        let all = std::iter::once(&c.rates.current).chain(c.rates.ranking.iter());
        for (i, r) in all.enumerate() {
            let row = i as u32 + 1;
            if let Some(rank) = r.rank {
                ws.write_number(row, 0, rank as f64)?;
            }
            ws.write_string(row, 1, &r.name)?;
            ws.write_number(row, 2, r.counts.total as f64)?;
            for (col, rate) in [
                (3u16, &r.rates.response),
                (4, &r.rates.resolution),
                (5, &r.rates.satisfaction),
            ] {
                if let Some(v) = rate.value {
                    ws.write_number_with_format(row, col, v, &pct)?;
                }
            }
            if let Some(v) = r.rates.composite {
                ws.write_number(row, 6, v)?;
            }
            ws.write_number(row, 7, r.rates.overdue as f64)?;
        }
    }
    wb.save_to_buffer()
}

/// A new sheet with its name and column widths.
fn sheet<'a>(
    wb: &'a mut rust_xlsxwriter::Workbook,
    name: String,
    widths: &[(u16, f64)],
) -> Result<&'a mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    for &(col, width) in widths {
        ws.set_column_width(col, width)?;
    }
    Ok(ws)
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
