//! The report screen's charts: SVG drawn on the server, no scripts.

use super::group_digits;
use crate::{app::html::escape, features::reports};

// ── SVG charts (server-rendered, no scripts) ────────────────────────────

/// Horizontal bars: this period (solid) and the previous one (outline).
pub(crate) fn bar_chart(title: &str, rows: &[(String, i64, i64)], legend: (&str, &str)) -> String {
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
pub(crate) fn day_chart(title: &str, days: &[reports::DayPoint]) -> String {
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
pub(crate) fn score_chart(title: &str, rows: &[(String, Option<f64>)]) -> String {
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
