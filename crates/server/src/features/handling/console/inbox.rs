//! The unit inbox: filters, paging, the opinion view's drill-down, and the case-list
//! rows the other console lists (search, hotline, supervision, opinion) reuse.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use police_square_domain::{deadline::DeadlineState, AppealKind, Category, Channel, Status};
use police_square_store::{AppealSummary, Id};
use serde::Deserialize;

use super::{options, staff_page, Options};
use crate::{
    app::{
        auth::CurrentStaff,
        error::AppResult,
        pages::ctx::{fmt_remaining, render, Page},
        state::AppState,
    },
    features::{
        dashboard::page as dashboard,
        handling::{self, InboxFilter},
    },
};

/// Inbox filters as a GET form sends them (empty strings for "any").
#[derive(Debug, Default, Deserialize)]
pub struct InboxParams {
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    supervised: String,
    #[serde(default)]
    mine: String,
    /// Drill-down from the opinion view: a unit and China-time days.
    #[serde(default)]
    unit: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: u32,
}

impl InboxParams {
    fn filter(&self) -> InboxFilter {
        InboxFilter {
            status: Status::parse(&self.status).ok(),
            kind: AppealKind::parse(&self.kind).ok(),
            category: Category::new(&self.category).ok().map(|c| c.to_string()),
            channel: Channel::parse(&self.channel).ok(),
            overdue: !self.overdue.is_empty(),
            supervised: !self.supervised.is_empty(),
            mine: !self.mine.is_empty(),
            unit: self.unit.trim().parse().ok(),
            from: dashboard::parse_date(&self.from),
            to: dashboard::parse_date(&self.to),
            page: self.page.min(10_000),
            page_size: None,
            open_only: self.todo(),
        }
    }

    /// The 待办 tab: no status chosen (`all` lists every status) and no drill-down
    /// from the opinion view, which counts every appeal of its period.
    fn todo(&self) -> bool {
        self.status.is_empty()
            && self.unit.trim().is_empty()
            && self.from.is_empty()
            && self.to.is_empty()
    }

    /// Query string of the filters (for paging links), without `page`.
    fn query(&self) -> String {
        let f = self.filter();
        let mut q = Vec::new();
        if let Some(s) = f.status {
            q.push(format!("status={s}"));
        } else if self.status == ALL_STATUSES {
            q.push(format!("status={ALL_STATUSES}"));
        }
        if let Some(k) = f.kind {
            q.push(format!("kind={k}"));
        }
        if let Some(c) = &f.category {
            q.push(format!("category={c}"));
        }
        if let Some(c) = f.channel {
            q.push(format!("channel={c}"));
        }
        if f.overdue {
            q.push("overdue=1".into());
        }
        if f.supervised {
            q.push("supervised=1".into());
        }
        if f.mine {
            q.push("mine=1".into());
        }
        if let Some(u) = f.unit {
            q.push(format!("unit={u}"));
        }
        if let Some(d) = f.from {
            q.push(format!("from={d}"));
        }
        if let Some(d) = f.to {
            q.push(format!("to={d}"));
        }
        q.join("&")
    }
}

/// The status filter's value for "every status, closed ones too".
const ALL_STATUSES: &str = "all";
/// Most possibly urgent cases listed above the 待办 list.
const URGENT_LIMIT: u32 = 20;

/// One row of a case list.
pub(crate) struct Row {
    pub id: Id,
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub excerpt: String,
    pub status: Status,
    pub status_label: String,
    pub emergency: bool,
    /// 可能紧急 (not shown beside 紧急, which says more).
    pub possible: bool,
    pub overdue: bool,
    pub near: bool,
    pub supervision: String,
    /// Follow-up calls (催问) since intake.
    pub follow_ups: i32,
    pub unit: String,
    pub received: String,
    pub remaining: String,
    pub phone: String,
}

pub(crate) fn rows(state: &AppState, p: &Page, items: &[AppealSummary]) -> Vec<Row> {
    let org = state.org();
    let now = state.now();
    let policy = state.settings().policy.clone();
    items
        .iter()
        .map(|s| {
            let open = s.status.is_open();
            let dl = policy.state(s.due_at, now);
            Row {
                id: s.id,
                kind: p.t(&format!("kind.{}", s.kind)),
                channel: p.t(&format!("channel.{}", s.channel)),
                category: s
                    .category
                    .as_deref()
                    .map(|c| p.t(&format!("category.{c}")))
                    .unwrap_or_default(),
                excerpt: s.excerpt.clone(),
                status: s.status,
                status_label: p.t(&format!("status.{}", s.status)),
                emergency: s.emergency,
                possible: s.possible_emergency && !s.emergency,
                overdue: open && dl == DeadlineState::Overdue,
                near: open && dl == DeadlineState::Near,
                supervision: match s.supervision_level {
                    1 => p.t("page.inbox.reminded"),
                    l if l >= 2 => p.t("page.inbox.escalated"),
                    _ => String::new(),
                },
                follow_ups: s.follow_ups,
                unit: org.name(s.unit_id).unwrap_or_default().to_owned(),
                received: p.time(&s.received_at),
                remaining: if open {
                    fmt_remaining(p.lang, s.due_at, now)
                } else {
                    String::new()
                },
                phone: s.phone_masked.clone(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff/inbox.html")]
struct InboxPage {
    p: Page,
    rows: Vec<Row>,
    /// The 待办 tab (open cases only) rather than a chosen status or every status.
    todo: bool,
    /// Open 可能紧急 / emergency cases, above the list on the 待办 tab's first page.
    urgent: Vec<Row>,
    /// Open cases per status: (status key, label, count).
    counts: Vec<(String, String, i64)>,
    all_selected: bool,
    statuses: Options,
    kinds: Options,
    categories: Options,
    channels: Options,
    overdue: bool,
    supervised: bool,
    mine: bool,
    /// The drill-down in force (unit, period), kept by the filter form.
    drill: Option<Drill>,
    page: u32,
    prev: Option<String>,
    next: Option<String>,
}

struct Drill {
    unit: String,
    from: String,
    to: String,
    label: String,
}

pub async fn inbox(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(params): Query<InboxParams>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let filter = params.filter();
    let todo = filter.open_only;
    let mut page = handling::inbox(&state, &staff, &filter).await?;
    let urgent = if todo && filter.page == 0 {
        handling::possibly_urgent(&state, &staff, URGENT_LIMIT).await?
    } else {
        Vec::new()
    };
    // Listed once: in the urgent block, not again below it.
    page.items.retain(|s| !urgent.iter().any(|u| u.id == s.id));
    let counts = handling::open_counts(&state, &staff)
        .await?
        .into_iter()
        .map(|(status, n)| (status.to_string(), p.t(&format!("status.{status}")), n))
        .collect();
    let base = params.query();
    let link = |n: u32| {
        if base.is_empty() {
            format!("/staff?page={n}")
        } else {
            format!("/staff?{base}&page={n}")
        }
    };
    let categories: Vec<&str> = Category::DEFAULTS
        .iter()
        .copied()
        .filter(|c| *c != Category::CONDUCT || staff.role.sees_conduct())
        .collect();
    let view = InboxPage {
        rows: rows(&state, &p, &page.items),
        urgent: rows(&state, &p, &urgent),
        todo,
        counts,
        all_selected: params.status == ALL_STATUSES,
        statuses: options(&p, "status", Status::ALL, &params.status),
        kinds: options(&p, "kind", AppealKind::ALL, &params.kind),
        categories: options(&p, "category", &categories, &params.category),
        channels: options(&p, "channel", Channel::ALL, &params.channel),
        overdue: filter.overdue,
        supervised: filter.supervised,
        mine: filter.mine,
        drill: (filter.unit.is_some() || filter.from.is_some() || filter.to.is_some()).then(|| {
            let fmt = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let unit = filter
                .unit
                .and_then(|u| state.org().name(u).map(str::to_owned))
                .unwrap_or_default();
            Drill {
                label: p.ta(
                    "page.inbox.drill",
                    &[
                        ("unit", unit.as_str()),
                        ("from", fmt(filter.from).as_str()),
                        ("to", fmt(filter.to).as_str()),
                    ],
                ),
                unit: filter.unit.map(|u| u.to_string()).unwrap_or_default(),
                from: fmt(filter.from),
                to: fmt(filter.to),
            }
        }),
        page: filter.page + 1,
        prev: (filter.page > 0).then(|| link(filter.page - 1)),
        next: page.has_next.then(|| link(filter.page + 1)),
        p,
    };
    render(&view)
}
