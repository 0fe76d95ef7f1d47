//! 三率 dashboard: response, resolution and satisfaction rates, on-time closure,
//! overdue count and reopen rate per unit, rolled up the unit tree, for a period.
//! Every figure shows the cases behind it: "92.3% (1,204/1,304)".

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use chrono::{Datelike, NaiveDate};
use police_square_domain::{
    calendar::{local_midnight, to_local},
    Millis,
};
use serde::Deserialize;

use super::{
    ctx::{fmt_rate, group_digits, render, Page},
    staff::staff_page,
};
use crate::{
    auth::CurrentStaff,
    error::{AppError, AppResult},
    limits::HOUR,
    services::dashboard::{self, Period},
    state::AppState,
};

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    period: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

struct UnitRow {
    name: String,
    depth: usize,
    total: String,
    response: String,
    resolution: String,
    satisfaction: String,
    on_time: String,
    overdue: String,
    reopen: String,
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
}

pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
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
    let units: Vec<UnitRow> = d
        .units
        .iter()
        .map(|u| UnitRow {
            name: u.name.clone(),
            depth: u.depth.min(3),
            total: group_digits(u.rates.total),
            response: fmt_rate(&u.rates.response),
            resolution: fmt_rate(&u.rates.resolution),
            satisfaction: fmt_rate(&u.rates.satisfaction),
            on_time: fmt_rate(&u.rates.on_time_closure),
            overdue: group_digits(u.rates.overdue),
            reopen: fmt_rate(&u.rates.reopen),
        })
        .collect();
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
        p,
    };
    render(&view)
}
