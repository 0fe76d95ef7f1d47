//! 检索: full-text search over the appeals in the caller's scope, with filters, the
//! matches highlighted in a snippet of each appeal, and links to the case pages.

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
};
use police_square_domain::{AppealKind, Category, Status};
use serde::Deserialize;

use crate::{
    app::pages::{
        ctx::{group_digits, render, Page},
        urlencode,
    },
    features::{
        dashboard::page::parse_date,
        handling::console::{options, rows, staff_page, Options, Row},
    },
};
use crate::{
    app::{auth::CurrentStaff, error::AppResult, state::AppState},
    features::search::{self, SearchFilter, MAX_QUERY_CHARS},
};

/// The form as a GET sends it (empty strings for "any").
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: u32,
}

impl SearchParams {
    fn filter(&self) -> SearchFilter {
        SearchFilter {
            q: self.q.chars().take(MAX_QUERY_CHARS).collect(),
            from: parse_date(&self.from),
            to: parse_date(&self.to),
            kind: AppealKind::parse(&self.kind).ok(),
            category: Category::new(&self.category).ok().map(|c| c.to_string()),
            status: Status::parse(&self.status).ok(),
            page: self.page.min(500),
            page_size: None,
        }
    }

    /// Query string of the search (for paging links), without `page`.
    fn query(&self, f: &SearchFilter) -> String {
        let mut q = vec![format!("q={}", urlencode(&f.q))];
        if let Some(d) = f.from {
            q.push(format!("from={d}"));
        }
        if let Some(d) = f.to {
            q.push(format!("to={d}"));
        }
        if let Some(k) = f.kind {
            q.push(format!("kind={k}"));
        }
        if let Some(c) = &f.category {
            q.push(format!("category={}", urlencode(c)));
        }
        if let Some(s) = f.status {
            q.push(format!("status={s}"));
        }
        q.join("&")
    }
}

/// A result: the case-list row and the highlighted snippet (escaped HTML).
struct Hit {
    row: Row,
    snippet_html: String,
}

#[derive(Template)]
#[template(path = "staff/search.html")]
struct SearchPage {
    p: Page,
    q: String,
    from: String,
    to: String,
    kinds: Options,
    categories: Options,
    statuses: Options,
    /// A search was asked for (a query was typed).
    searched: bool,
    /// The query held no searchable word.
    no_terms: bool,
    terms: String,
    total: String,
    hits: Vec<Hit>,
    page: u32,
    prev: Option<String>,
    next: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(params): Query<SearchParams>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let filter = params.filter();
    let searched = !filter.q.trim().is_empty();
    let outcome = if searched {
        Some(search::search(&state, &staff, &filter).await?)
    } else {
        None
    };
    let categories: Vec<&str> = Category::DEFAULTS
        .iter()
        .copied()
        .filter(|c| *c != Category::CONDUCT || staff.role.sees_conduct())
        .collect();
    let base = params.query(&filter);
    let link = |n: u32| format!("/staff/search?{base}&page={n}");
    let (hits, total, terms, has_next, no_terms) = match &outcome {
        Some(o) => {
            let summaries: Vec<_> = o.items.iter().map(|i| i.summary.clone()).collect();
            let hits = rows(&state, &p, &summaries)
                .into_iter()
                .zip(&o.items)
                .map(|(row, item)| Hit {
                    row,
                    snippet_html: item.snippet_html.clone(),
                })
                .collect();
            let n = group_digits(o.total as i64);
            let total = if o.total_capped {
                p.t1("page.search.total_more", "n", &n)
            } else if o.total_estimated {
                p.t1("page.search.total_about", "n", &n)
            } else {
                p.t1("page.search.total", "n", &n)
            };
            (
                hits,
                total,
                o.terms.join(" "),
                o.has_next,
                o.terms.is_empty(),
            )
        }
        None => (Vec::new(), String::new(), String::new(), false, false),
    };
    let view = SearchPage {
        q: filter.q.clone(),
        from: filter.from.map(|d| d.to_string()).unwrap_or_default(),
        to: filter.to.map(|d| d.to_string()).unwrap_or_default(),
        kinds: options(&p, "kind", AppealKind::ALL, &params.kind),
        categories: options(&p, "category", &categories, &params.category),
        statuses: options(&p, "status", Status::ALL, &params.status),
        searched,
        no_terms,
        terms,
        total,
        hits,
        page: filter.page + 1,
        prev: (searched && filter.page > 0).then(|| link(filter.page - 1)),
        next: has_next.then(|| link(filter.page + 1)),
        p,
    };
    render(&view)
}
