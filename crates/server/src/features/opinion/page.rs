//! 民意库 pages: the live opinion view with drill-down, clusters (一事多诉) and
//! emerging-issue alerts (未诉先办).

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use police_square_domain::{calendar::to_local, Millis};
use police_square_store::{AlertStatus, EmergingAlertRecord, Id};
use serde::Deserialize;

use super::unusual_page as unusual;
use crate::{
    app::pages::{
        ctx::{group_digits, render, see_other, CsrfForm, Page},
        urlencode,
    },
    features::handling::console::{rows, staff_page, Row},
};
use crate::{
    app::{
        auth::CurrentStaff,
        error::{AppError, AppResult},
        limits::DAY,
        state::AppState,
    },
    features::opinion::{self, clustering, count_of, emerging},
};

/// Appeals listed under a cluster or an alert.
const MEMBERS_SHOWN: u32 = 200;

#[derive(Debug, Default, Deserialize)]
pub struct OpinionParams {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// A bar of a breakdown: label, count, bar width (% of the largest), change.
struct Bar {
    label: String,
    count: String,
    width: u32,
    change: String,
    negative: String,
    link: String,
}

struct UnitLine {
    name: String,
    link: String,
    drill: String,
    count: String,
    change: String,
    negative: String,
}

struct ClusterLine {
    id: Id,
    label: String,
    size: String,
    unit: String,
}

struct AlertLine {
    id: Id,
    /// Place + problem (织里镇烧烤店夜间噪音), not the keyword pile.
    headline: String,
    /// How unusual the burst is in plain words (比平常多 6 倍).
    unusual: String,
    /// The statistical test behind `unusual`, shown on request.
    test: String,
    district: String,
    period: String,
    keywords: String,
    count: String,
    status: String,
}

#[derive(Template)]
#[template(path = "staff/opinion.html")]
struct OpinionPage {
    p: Page,
    unit_name: String,
    unit_id: Id,
    parent_link: String,
    period: String,
    from: String,
    to: String,
    range: String,
    total: String,
    total_change: String,
    negative: String,
    categories: Vec<Bar>,
    kinds: Vec<Bar>,
    units: Vec<UnitLine>,
    trend_points: String,
    trend_max: String,
    trend_days: usize,
    first_day: String,
    last_day: String,
    clusters: Vec<ClusterLine>,
    alerts: Vec<AlertLine>,
    all_link: String,
}

/// "+12%" / "−5%" / "new" against the previous period.
fn change(p: &Page, now: i64, before: i64) -> String {
    if before == 0 {
        return if now == 0 {
            "—".into()
        } else {
            p.t("page.opinion.new")
        };
    }
    let pct = ((now - before) as f64 * 100.0 / before as f64).round() as i64;
    if pct > 0 {
        format!("+{pct}%")
    } else if pct < 0 {
        format!("−{}%", -pct)
    } else {
        "0%".into()
    }
}

fn share(part: i64, total: i64) -> String {
    if total == 0 {
        return "—".into();
    }
    format!("{:.0}%", part as f64 * 100.0 / total as f64)
}

fn day(at: Millis) -> String {
    to_local(at).format("%Y-%m-%d").to_string()
}

pub async fn page(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(q): Query<OpinionParams>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let (period, from, to) =
        opinion::period(state.now(), q.period.trim(), Some(&q.from), Some(&q.to))?;
    let unit_id = match q.unit.trim() {
        "" => None,
        v => Some(
            v.parse::<Id>()
                .map_err(|_| AppError::BadRequest("unit".into()))?,
        ),
    };
    let o = opinion::opinion(&state, &staff, unit_id, from, to).await?;
    let org = state.org();
    // Drill-down: the inbox, narrowed to the unit and period, lists the appeals behind
    // any figure.
    let (from_s, to_s) = (day(from), day(to - 1));
    let drill =
        |extra: &str, unit: Id| format!("/staff?unit={unit}&from={from_s}&to={to_s}{extra}");
    let keep = format!(
        "period={period}&from={}&to={}",
        urlencode(&q.from),
        urlencode(&q.to)
    );
    let max_cat = o
        .view
        .by_category
        .iter()
        .map(|b| b.total)
        .max()
        .unwrap_or(1)
        .max(1);
    let categories = o
        .view
        .by_category
        .iter()
        .map(|b| Bar {
            label: if b.key.is_empty() {
                p.t("page.opinion.uncategorised")
            } else {
                p.t(&format!("category.{}", b.key))
            },
            count: group_digits(b.total),
            width: (b.total * 100 / max_cat) as u32,
            change: change(&p, b.total, o.previous_of(&b.key)),
            negative: share(b.negative, b.total),
            link: drill(&format!("&category={}", urlencode(&b.key)), o.unit.id),
        })
        .collect();
    let max_kind = o
        .view
        .by_kind
        .iter()
        .map(|b| b.total)
        .max()
        .unwrap_or(1)
        .max(1);
    let kinds = o
        .view
        .by_kind
        .iter()
        .map(|b| Bar {
            label: p.t(&format!("kind.{}", b.key)),
            count: group_digits(b.total),
            width: (b.total * 100 / max_kind) as u32,
            change: change(&p, b.total, count_of(&o.previous.by_kind, &b.key)),
            negative: share(b.negative, b.total),
            link: drill(&format!("&kind={}", urlencode(&b.key)), o.unit.id),
        })
        .collect();
    let units = o
        .units
        .iter()
        .map(|u| UnitLine {
            name: u.unit.name.clone(),
            link: format!("/staff/opinion?unit={}&{keep}", u.unit.id),
            drill: drill("", u.unit.id),
            count: group_digits(u.total),
            change: change(&p, u.total, u.previous),
            negative: share(u.negative, u.total),
        })
        .collect();
    // Daily trend as an SVG polyline: one point per day, zero-filled.
    let days = ((to - from) / DAY).max(1) as usize;
    let first_day = (from + 8 * 3_600_000).div_euclid(DAY);
    let mut per_day = vec![0i64; days];
    for b in &o.view.by_day {
        if let Ok(d) = b.key.parse::<i64>() {
            if let Some(slot) = per_day.get_mut((d - first_day) as usize) {
                *slot = b.total;
            }
        }
    }
    let max_day = per_day.iter().copied().max().unwrap_or(0).max(1);
    let trend_points = per_day
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let x = if days > 1 { i * 600 / (days - 1) } else { 300 };
            let y = 110 - n * 100 / max_day;
            format!("{x},{y}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let clusters = o
        .clusters
        .iter()
        .map(|c| ClusterLine {
            id: c.id,
            label: c.label.clone(),
            size: group_digits(c.size),
            unit: org
                .unit(*c.unit_path.ids().last().unwrap_or(&0))
                .map(|u| u.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    let alerts = alert_lines(&state, &p, &o.alerts);
    let parent_link = org
        .parent(o.unit.id)
        .filter(|u| staff.unit_path.contains(&u.path))
        .map(|u| format!("/staff/opinion?unit={}&{keep}", u.id))
        .unwrap_or_default();
    render(&OpinionPage {
        total: group_digits(o.view.total),
        total_change: change(&p, o.view.total, o.previous.total),
        negative: share(o.view.negative, o.view.total),
        unit_name: o.unit.name.clone(),
        unit_id: o.unit.id,
        parent_link,
        period: period.into(),
        from: q.from.clone(),
        to: q.to.clone(),
        range: format!("{from_s} — {to_s}"),
        categories,
        kinds,
        units,
        trend_points,
        trend_max: group_digits(max_day),
        trend_days: days,
        first_day: from_s.clone(),
        last_day: to_s.clone(),
        clusters,
        alerts,
        all_link: drill("", o.unit.id),
        p,
    })
}

fn alert_lines(state: &AppState, p: &Page, alerts: &[EmergingAlertRecord]) -> Vec<AlertLine> {
    let org = state.org();
    alerts
        .iter()
        .map(|a| AlertLine {
            id: a.id,
            headline: unusual::alert_headline(p, &a.keywords, &a.categories),
            unusual: unusual::unusual(p, a.observed, a.expected),
            test: unusual::test_details(p, a.observed, a.expected, a.p_value),
            district: org.name(a.district_unit_id).unwrap_or_default().to_owned(),
            period: format!("{} — {}", day(a.period_start), day(a.period_end - 1)),
            keywords: a.keywords.join(" · "),
            count: group_digits(a.appeal_count),
            status: p.t(&format!("page.alerts.status_{}", a.status.as_str())),
        })
        .collect()
}

// ── clusters ────────────────────────────────────────────────────────────

#[derive(Template)]
#[template(path = "staff/cluster.html")]
struct ClusterPage {
    p: Page,
    label: String,
    size: String,
    unit: String,
    period: String,
    rows: Vec<Row>,
}

pub async fn cluster(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Path(id): Path<Id>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let (c, members) = clustering::visible(&state, &staff, id, MEMBERS_SHOWN).await?;
    let org = state.org();
    render(&ClusterPage {
        label: c.label.clone(),
        size: group_digits(c.size),
        unit: org
            .unit(*c.unit_path.ids().last().unwrap_or(&0))
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        period: format!("{} — {}", day(c.first_at), day(c.last_at)),
        rows: rows(&state, &p, &members),
        p,
    })
}

// ── alerts ──────────────────────────────────────────────────────────────

#[derive(Template)]
#[template(path = "staff/alerts.html")]
struct AlertsPage {
    p: Page,
    alerts: Vec<AlertLine>,
}

pub async fn alerts(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let found = emerging::list(&state, &staff).await?;
    render(&AlertsPage {
        alerts: alert_lines(&state, &p, &found),
        p,
    })
}

#[derive(Template)]
#[template(path = "staff/alert.html")]
struct AlertPage {
    p: Page,
    id: Id,
    line: AlertLine,
    categories: String,
    observed: String,
    expected: String,
    note: String,
    can_handle: bool,
    rows: Vec<Row>,
}

pub async fn alert(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Path(id): Path<Id>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let (a, members) = emerging::visible(&state, &staff, id, MEMBERS_SHOWN).await?;
    let line = alert_lines(&state, &p, std::slice::from_ref(&a)).remove(0);
    render(&AlertPage {
        id,
        categories: a
            .categories
            .iter()
            .map(|c| p.t(&format!("category.{c}")))
            .collect::<Vec<_>>()
            .join(" · "),
        observed: group_digits(a.observed),
        expected: format!("{:.1}", a.expected),
        note: a.note.clone().unwrap_or_default(),
        can_handle: staff.role.studies_opinion(),
        rows: rows(&state, &p, &members),
        line,
        p,
    })
}

#[derive(Debug, Deserialize)]
pub struct AlertStatusForm {
    status: String,
    #[serde(default)]
    note: String,
}

pub async fn set_alert_status(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<Id>,
    CsrfForm(form): CsrfForm<AlertStatusForm>,
) -> AppResult<Response> {
    let status: AlertStatus = form
        .status
        .parse()
        .map_err(|_| AppError::Unprocessable("status".into()))?;
    emerging::set_status(&state, &staff, id, status, Some(&form.note)).await?;
    Ok(see_other(&format!("/staff/alerts/{id}")))
}
