//! The staff inbox: a unit subtree, filters, emergencies first, newest first, paged.
//!
//! Ordering is `emergency DESC, received_at DESC, id DESC` everywhere, and every filter
//! has an index that starts with its column and ends with those three, so the planner
//! can either walk a filter's index in order (no sort) or range-scan the scope + status
//! index and sort the few matches. `has_next` comes from fetching one row more than a
//! page (no `COUNT(*)`).

use police_square_domain::Category;

use super::{rows, subtree_range, Conn, OPEN};
use crate::error::StoreResult;
use crate::model::{AppealSummary, InboxQuery, Page};

/// Largest page the store will return, whatever the caller asks.
pub(crate) const MAX_PAGE_SIZE: u32 = 500;

enum Arg {
    Int(i64),
    Text(String),
}

/// Builds the WHERE clause and its arguments for `q`.
fn conditions(q: &InboxQuery) -> (Vec<String>, Vec<Arg>) {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let arg = |args: &mut Vec<Arg>, value: Arg| {
        args.push(value);
        format!("${}", args.len())
    };
    if let Some(scope) = &q.scope {
        let (lo, hi) = subtree_range(scope.as_str());
        let lo = arg(&mut args, Arg::Text(lo));
        let hi = arg(&mut args, Arg::Text(hi));
        conds.push(format!("unit_path >= {lo} AND unit_path < {hi}"));
    }
    if !q.include_conduct {
        conds.push(format!(
            "(category IS NULL OR category <> '{}')",
            Category::CONDUCT
        ));
    }
    if !q.statuses.is_empty() {
        // Status keys are the enum's own constants, safe to inline; literal values let
        // the planners use their statistics for the status distribution.
        let keys: Vec<String> = q
            .statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        conds.push(format!("status IN ({})", keys.join(", ")));
    }
    if let Some(kind) = q.kind {
        let p = arg(&mut args, Arg::Text(kind.as_str().into()));
        conds.push(format!("kind = {p}"));
    }
    if let Some(category) = &q.category {
        let p = arg(&mut args, Arg::Text(category.clone()));
        conds.push(format!("category = {p}"));
    }
    if let Some(channel) = q.channel {
        let p = arg(&mut args, Arg::Text(channel.as_str().into()));
        conds.push(format!("channel = {p}"));
    }
    if q.overdue_only {
        let p = arg(&mut args, Arg::Int(q.now));
        conds.push(format!("{OPEN} AND due_at < {p}"));
    }
    if q.supervised_only {
        conds.push("supervision_level > 0".into());
    }
    if let Some(assignee) = q.assignee_id {
        let p = arg(&mut args, Arg::Int(assignee));
        conds.push(format!("assignee_id = {p}"));
    }
    (conds, args)
}

pub(crate) async fn inbox(conn: &mut Conn, q: &InboxQuery) -> StoreResult<Page<AppealSummary>> {
    let page_size = q.page_size.clamp(1, MAX_PAGE_SIZE);
    let (conds, args) = conditions(q);
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    let sql = format!(
        "SELECT {} FROM appeals {filter} \
         ORDER BY emergency DESC, received_at DESC, id DESC LIMIT {} OFFSET {}",
        rows::SUMMARY_COLUMNS,
        page_size + 1,
        u64::from(q.page) * u64::from(page_size),
    );
    let mut query = sqlx::query(&sql);
    for a in args {
        query = match a {
            Arg::Int(v) => query.bind(v),
            Arg::Text(v) => query.bind(v),
        };
    }
    let found = query.fetch_all(&mut *conn).await?;
    let mut items = found
        .iter()
        .map(rows::summary)
        .collect::<StoreResult<Vec<_>>>()?;
    let has_next = items.len() > page_size as usize;
    items.truncate(page_size as usize);
    Ok(Page {
        items,
        page: q.page,
        has_next,
    })
}
