//! The unit inbox: filters, paging, the opinion view's drill-down, and the case-list
//! rows the other console lists (search, hotline, supervision, opinion) reuse.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use police_square_domain::{AppealKind, Category, Channel, Status};
use serde::Deserialize;

use crate::app::pages::console::{options, parse_date, rows, staff_page, Options, Row};
use crate::{
    app::{
        auth::CurrentStaff,
        error::AppResult,
        pages::ctx::{render, PageFrame},
        state::AppState,
    },
    features::handling::{self, InboxFilter},
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
            from: parse_date(&self.from),
            to: parse_date(&self.to),
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

#[derive(Template)]
#[template(path = "staff/inbox.html")]
struct InboxPage {
    p: PageFrame,
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
    p: PageFrame,
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
