//! The report as an XLSX workbook, one sheet per part, labels in the reader's language.

use axum::{
    http::header,
    response::{IntoResponse, Response},
};
use police_square_store::Report;

use super::{category_label, fmt_change, fmt_day, share_label, status_label, title};
use crate::{
    app::{
        error::{AppError, AppResult},
        pages::ctx::Page,
    },
    features::{opinion::unusual_page as unusual, reports::ReportContent},
};

// ── XLSX export ─────────────────────────────────────────────────────────

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::internal(anyhow::anyhow!("xlsx: {e}"))
}

pub(crate) fn export(p: &Page, report: &Report, c: &ReportContent) -> AppResult<Response> {
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
    let (period, previous) = c.periods();

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
                p.t("analysis.unusual.problem"),
                p.t("page.reports.col_district"),
                p.t("page.reports.col_period"),
                p.t("page.reports.col_observed"),
                p.t("analysis.unusual.heading"),
                p.t("page.reports.col_expected"),
                p.t("page.reports.col_appeals"),
                p.t("page.reports.col_keywords"),
            ],
        )?;
        row += 1;
        for e in &c.emerging {
            ws.write_string(
                row,
                0,
                unusual::alert_headline(p, &e.keywords, &e.categories),
            )?;
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
            ws.write_string(row, 4, unusual::unusual(p, e.observed, e.expected))?;
            ws.write_number(row, 5, e.expected)?;
            ws.write_number(row, 6, e.appeals as f64)?;
            ws.write_string(row, 7, e.keywords.join(" "))?;
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
