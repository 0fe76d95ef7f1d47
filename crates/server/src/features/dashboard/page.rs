//! 三率 dashboard: response, resolution and satisfaction rates, on-time closure,
//! overdue count and reopen rate per unit, rolled up the unit tree, for a period.
//! Every figure shows the cases behind it: "92.3% (1,204/1,304)". The table sorts by
//! any rate, ranks each unit among its siblings by the composite score (whose formula
//! is shown), marks the weakest, and links each unit to its appeals; a unit with fewer
//! rated cases than the configured minimum shows 样本不足 and takes no place.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use chrono::{Datelike, NaiveDate};
use police_square_domain::{
    calendar::{local_midnight, to_local},
    rates::{rank_by_composite, RateWeights},
    Millis, UnitKind,
};
use police_square_store::Id;
use serde::Deserialize;

use crate::{
    app::pages::ctx::{fmt_rate, group_digits, render, Page},
    features::handling::console::staff_page,
};
use crate::{
    app::{
        auth::CurrentStaff,
        error::{AppError, AppResult},
        limits::HOUR,
        pages::urlencode,
        state::AppState,
    },
    features::dashboard::{self, Period, UnitRates},
};

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// Column to sort by (`SORT_KEYS`); empty: the unit tree.
    #[serde(default)]
    sort: String,
}

/// Sortable columns; rates sort best first, overdue and reopen worst first.
const SORT_KEYS: &[&str] = &[
    "total",
    "response",
    "resolution",
    "satisfaction",
    "composite",
    "on_time",
    "overdue",
    "reopen",
];

struct UnitRow {
    name: String,
    /// The unit's appeals in the period (the inbox, narrowed).
    href: String,
    depth: usize,
    total: String,
    response: String,
    resolution: String,
    satisfaction: String,
    composite: String,
    on_time: String,
    overdue: String,
    reopen: String,
    /// "2 / 5" among its siblings, or 样本不足.
    rank: String,
    /// Fewer rated cases than the ranking needs.
    small_sample: bool,
    /// Last among two or more ranked siblings.
    weakest: bool,
}

struct SortLink {
    label: String,
    href: String,
    active: bool,
}

struct Figure {
    label: String,
    value: String,
}

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
struct DashboardPage {
    p: Page,
    period: String,
    from: String,
    to: String,
    range: String,
    figures: Vec<Figure>,
    units: Vec<UnitRow>,
    columns: Vec<SortLink>,
    tree_href: String,
    sorted: bool,
    formula: String,
    min_rule: String,
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

pub async fn page(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(q): Query<DashboardQuery>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let now = state.now();
    let today = to_local(now).date_naive();
    let (period, from, to) = match q.period.as_str() {
        "month" => {
            let first = today.with_day(1).unwrap_or(today);
            ("month", Some(local_midnight(first)), Some(now))
        }
        "custom" => {
            let (Some(f), Some(t)) = (parse_date(&q.from), parse_date(&q.to)) else {
                return Err(AppError::BadRequest("dates".into()));
            };
            let to = local_midnight(t) + 24 * HOUR;
            ("custom", Some(local_midnight(f)), Some(to))
        }
        _ => ("30d", None, None),
    };
    let d = dashboard::dashboard(&state, &staff, Period { from, to }).await?;
    let range = format!(
        "{} — {}",
        to_local(d.from).format("%Y-%m-%d"),
        to_local(d.to - 1).format("%Y-%m-%d")
    );
    let weights = state.settings().weights;
    let (from_day, to_day) = (
        to_local(d.from).format("%Y-%m-%d").to_string(),
        to_local(d.to - 1).format("%Y-%m-%d").to_string(),
    );
    let ranks = sibling_ranks(&d.units, &weights);
    let mut order: Vec<usize> = (0..d.units.len()).collect();
    let sort = SORT_KEYS.iter().find(|k| **k == q.sort.as_str()).copied();
    if let Some(key) = sort {
        order.sort_by(|&a, &b| {
            let (x, y) = (sort_value(&d.units[a], key), sort_value(&d.units[b], key));
            // Missing values last; otherwise best first (worst first for the
            // figures where more is worse).
            match (x, y) {
                (Some(x), Some(y)) if matches!(key, "overdue" | "reopen") => y.total_cmp(&x),
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then(a.cmp(&b))
        });
    }
    let units: Vec<UnitRow> = order
        .iter()
        .map(|&i| {
            let u = &d.units[i];
            let (rank, weakest) = ranks[i];
            let small_sample = !weights.enough_sample(&u.counts);
            UnitRow {
                name: u.name.clone(),
                href: format!("/staff?unit={}&from={from_day}&to={to_day}", u.unit_id),
                depth: if sort.is_some() { 0 } else { u.depth.min(3) },
                total: group_digits(u.rates.total),
                response: fmt_rate(&u.rates.response),
                resolution: fmt_rate(&u.rates.resolution),
                satisfaction: fmt_rate(&u.rates.satisfaction),
                composite: u
                    .rates
                    .composite
                    .map(|c| format!("{c:.1}"))
                    .unwrap_or_else(|| "—".into()),
                on_time: fmt_rate(&u.rates.on_time_closure),
                overdue: group_digits(u.rates.overdue),
                reopen: fmt_rate(&u.rates.reopen),
                rank: match rank {
                    Some((place, of)) => format!("{place} / {of}"),
                    None if small_sample => p.t("page.rank.small_sample"),
                    None => "—".into(),
                },
                small_sample,
                weakest,
            }
        })
        .collect();
    let keep = format!(
        "period={period}&from={}&to={}",
        urlencode(&q.from),
        urlencode(&q.to)
    );
    let columns = SORT_KEYS
        .iter()
        .map(|k| SortLink {
            label: match *k {
                "composite" => p.t("page.rank.composite"),
                k => p.t(&format!("page.dashboard.{k}")),
            },
            href: format!("/staff/dashboard?{keep}&sort={k}#rates"),
            active: sort == Some(*k),
        })
        .collect();
    let pct = |w: f64| format!("{:.0}%", 100.0 * w / weights_sum(&weights));
    let formula = p.ta(
        "page.rank.formula",
        &[
            ("response", &pct(weights.response)),
            ("resolution", &pct(weights.resolution)),
            ("satisfaction", &pct(weights.satisfaction)),
            ("basic", &format!("{:.0}%", 100.0 * weights.basic_counts_as)),
        ],
    );
    let min_rule = p.t1(
        "page.rank.min_rule",
        "n",
        &weights.min_rated.max(1).to_string(),
    );
    // The headline figures are those of the staff member's own unit (the first row).
    let figures = d
        .units
        .iter()
        .find(|u| u.unit_id == staff.unit_id)
        .or(d.units.first())
        .map(|u| {
            vec![
                Figure {
                    label: p.t("page.dashboard.response"),
                    value: fmt_rate(&u.rates.response),
                },
                Figure {
                    label: p.t("page.dashboard.resolution"),
                    value: fmt_rate(&u.rates.resolution),
                },
                Figure {
                    label: p.t("page.dashboard.satisfaction"),
                    value: fmt_rate(&u.rates.satisfaction),
                },
                Figure {
                    label: p.t("page.dashboard.on_time"),
                    value: fmt_rate(&u.rates.on_time_closure),
                },
                Figure {
                    label: p.t("page.dashboard.overdue"),
                    value: group_digits(u.rates.overdue),
                },
                Figure {
                    label: p.t("page.dashboard.reopen"),
                    value: fmt_rate(&u.rates.reopen),
                },
            ]
        })
        .unwrap_or_default();
    let fmt_day = |m: Millis| to_local(m).format("%Y-%m-%d").to_string();
    let view = DashboardPage {
        period: period.to_owned(),
        from: if q.from.is_empty() {
            fmt_day(d.from)
        } else {
            q.from.chars().take(10).collect()
        },
        to: if q.to.is_empty() {
            fmt_day(d.to - 1)
        } else {
            q.to.chars().take(10).collect()
        },
        range,
        figures,
        units,
        columns,
        tree_href: format!("/staff/dashboard?{keep}#rates"),
        sorted: sort.is_some(),
        formula,
        min_rule,
        p,
    };
    render(&view)
}

fn weights_sum(w: &RateWeights) -> f64 {
    let sum = w.response + w.resolution + w.satisfaction;
    if sum > 0.0 {
        sum
    } else {
        1.0
    }
}

/// The figure a column sorts by.
fn sort_value(u: &UnitRates, key: &str) -> Option<f64> {
    let r = &u.rates;
    match key {
        "total" => Some(r.total as f64),
        "response" => r.response.value,
        "resolution" => r.resolution.value,
        "satisfaction" => r.satisfaction.value,
        "composite" => r.composite,
        "on_time" => r.on_time_closure.value,
        "overdue" => Some(r.overdue as f64),
        "reopen" => r.reopen.value,
        _ => None,
    }
}

/// Each unit's place among its siblings (same parent, offices aside) as (place, of
/// how many ranked), and whether it is the weakest of two or more ranked siblings.
fn sibling_ranks(units: &[UnitRates], w: &RateWeights) -> Vec<(Option<(usize, usize)>, bool)> {
    let mut out = vec![(None, false); units.len()];
    let mut parents: Vec<Option<Id>> = units.iter().map(|u| u.parent_id).collect();
    parents.sort_unstable();
    parents.dedup();
    for parent in parents {
        let group: Vec<usize> = (0..units.len())
            .filter(|&i| units[i].parent_id == parent && units[i].kind != UnitKind::Office)
            .collect();
        let ranks = rank_by_composite(
            &group
                .iter()
                .map(|&i| (&units[i].rates, &units[i].counts))
                .collect::<Vec<_>>(),
            w,
        );
        let ranked = ranks.iter().flatten().count();
        for (&i, rank) in group.iter().zip(ranks) {
            // A place among one is no ranking.
            out[i] = (
                rank.filter(|_| ranked >= 2).map(|r| (r, ranked)),
                ranked >= 2 && rank == Some(ranked),
            );
        }
    }
    out
}
