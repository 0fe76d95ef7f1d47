//! The staff inbox: a unit subtree, filters, emergencies first, newest first, paged.
//!
//! The order `emergency DESC, received_at DESC, id DESC` is the order of the covering
//! index `appeals_inbox`, which holds every column a filter tests. A page is found in
//! one of two ways, chosen by the data rather than by a planner's guess:
//!
//! 1. **Probe**: walk the newest K index entries (index-only), keep those that match,
//!    and take the page from them. The K newest rows are a prefix of the full order, so
//!    if they hold at least `offset + page + 1` matches the page is exact. Inboxes are
//!    dominated by recent, open work, so this answers the usual pages in a few ms.
//!    K grows in two steps ([`probe_sizes`]).
//! 2. **Filter first**: the matches are sparse among recent rows, so there are few of
//!    them: let the planner pick the most selective filter index (scope, open cases,
//!    category, assignee, supervised) and sort what it finds. The sort key is written
//!    `received_at + 0` so that no planner walks the order index for it again.
//!
//! `has_next` comes from fetching one row more than a page (no `COUNT(*)`).

use police_square_domain::Category;

use super::super::{parse_key, rows, status_in, subtree_range, Conn, Query, OPEN};

use crate::error::StoreResult;
use crate::{AppealSummary, Id, InboxQuery, Page};

/// Largest page the store will return, whatever the caller asks.
pub(crate) const MAX_PAGE_SIZE: u32 = 500;
/// Most index entries a probe walks.
const MAX_PROBE: u64 = 200_000;
/// Deepest offset served by probing; beyond it, filter first.
const MAX_PROBE_OFFSET: u64 = 20_000;

enum Arg {
    Int(i64),
    Text(String),
}

/// The WHERE terms and their arguments for `q`; they only name columns that are in
/// the covering index `appeals_inbox`.
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
        conds.push(status_in("status", &q.statuses));
        if q.statuses.iter().all(|s| s.is_open()) {
            // Implied, but spelled out so the partial index of open cases applies.
            conds.push(OPEN.to_owned());
        }
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
    if q.possible_only {
        // Not in the covering index: such queries filter first (see `inbox`), where
        // the partial index `appeals_possible_open` finds the few open ones.
        conds.push("possible_emergency".into());
    }
    if let Some(assignee) = q.assignee_id {
        let p = arg(&mut args, Arg::Int(assignee));
        conds.push(format!("assignee_id = {p}"));
    }
    if let Some((from, to)) = q.received {
        let from = arg(&mut args, Arg::Int(from));
        let to = arg(&mut args, Arg::Int(to));
        conds.push(format!("received_at >= {from} AND received_at < {to}"));
    }
    (conds, args)
}

fn bind_all<'q>(mut query: Query<'q>, args: &'q [Arg]) -> Query<'q> {
    for a in args {
        query = match a {
            Arg::Int(v) => query.bind(*v),
            Arg::Text(v) => query.bind(v.as_str()),
        };
    }
    query
}

/// How many of the newest entries each probe walks, for `want` matches.
fn probe_sizes(want: u64) -> Vec<u64> {
    let mut sizes: Vec<u64> = [64 * want, 1024 * want]
        .into_iter()
        .map(|k| k.min(MAX_PROBE))
        .collect();
    sizes.dedup();
    sizes
}

pub(crate) async fn inbox(conn: &mut Conn, q: &InboxQuery) -> StoreResult<Page<AppealSummary>> {
    let page_size = u64::from(q.page_size.clamp(1, MAX_PAGE_SIZE));
    let offset = u64::from(q.page) * page_size;
    let want = offset + page_size + 1;
    let (conds, args) = conditions(q);
    let filter = if conds.is_empty() {
        "TRUE".to_owned()
    } else {
        conds.join(" AND ")
    };

    let mut items = None;
    // One officer's cases are few: no need to look among the newest of everyone's.
    let selective = q.assignee_id.is_some() || q.possible_only;
    if offset <= MAX_PROBE_OFFSET && !selective {
        for k in probe_sizes(want) {
            let sql = format!(
                "SELECT id FROM (SELECT id, emergency, received_at, unit_path, status, \
                 category, kind, channel, supervision_level, assignee_id, due_at FROM appeals \
                 ORDER BY emergency DESC, received_at DESC, id DESC LIMIT {k}) AS recent \
                 WHERE {filter} ORDER BY emergency DESC, received_at DESC, id DESC LIMIT {want}"
            );
            let ids = ids(bind_all(sqlx::query(&sql), &args), conn).await?;
            if ids.len() as u64 == want {
                items = Some(summaries(conn, &ids[offset as usize..]).await?);
                break;
            }
        }
    }
    let mut items = match items {
        Some(items) => items,
        None => {
            // Ids first: index-only where the chosen index covers the filters.
            let sql = format!(
                "SELECT id FROM appeals WHERE {filter} \
                 ORDER BY emergency DESC, received_at + 0 DESC, id DESC LIMIT {} OFFSET {offset}",
                page_size + 1,
            );
            let ids = ids(bind_all(sqlx::query(&sql), &args), conn).await?;
            summaries(conn, &ids).await?
        }
    };
    let has_next = items.len() as u64 > page_size;
    items.truncate(page_size as usize);
    Ok(Page {
        items,
        page: q.page,
        has_next,
    })
}

async fn ids(query: Query<'_>, conn: &mut Conn) -> StoreResult<Vec<Id>> {
    let found: Vec<Id> = query
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| sqlx::Row::try_get(r, 0))
        .collect::<Result<_, _>>()?;
    Ok(found)
}

/// The inbox rows of `ids`, in the order given.
async fn summaries(conn: &mut Conn, ids: &[Id]) -> StoreResult<Vec<AppealSummary>> {
    rows::appeals_in_order(conn, rows::SUMMARY_COLUMNS, ids, rows::summary).await
}

/// How many open cases of each status a unit subtree holds (the 待办 tab's counts),
/// `conduct` complaints only when `include_conduct`.
pub(crate) async fn open_counts(
    conn: &mut Conn,
    scope: &police_square_domain::org::UnitPath,
    include_conduct: bool,
) -> StoreResult<Vec<(police_square_domain::Status, i64)>> {
    let (lo, hi) = subtree_range(scope.as_str());
    let conduct = if include_conduct {
        String::new()
    } else {
        format!(
            " AND (category IS NULL OR category <> '{}')",
            Category::CONDUCT
        )
    };
    let sql = format!(
        "SELECT status, COUNT(*) FROM appeals WHERE unit_path >= $1 AND unit_path < $2 \
         AND {OPEN}{conduct} GROUP BY status"
    );
    let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
        .bind(lo)
        .bind(hi)
        .fetch_all(&mut *conn)
        .await?;
    let mut counts = rows
        .into_iter()
        .map(|(status, n)| Ok((parse_key(&status, "status")?, n)))
        .collect::<StoreResult<Vec<_>>>()?;
    counts.sort();
    Ok(counts)
}
