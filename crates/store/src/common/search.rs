//! Full-text search over appeals (民意研判: 检索), for staff.
//!
//! The text was segmented at intake into `appeals.search_text` (space-separated jieba
//! search-mode tokens); the caller segments the query the same way and passes the
//! words as [`SearchQuery::terms`]. Every term must match (AND).
//!
//! - **SQLite**: the FTS5 table `appeals_fts` (external content over `search_text`,
//!   `ascii` tokenizer, kept by triggers; migration 0004). Each term becomes quoted
//!   FTS5 strings split exactly where the tokenizer splits, so no query text is ever
//!   read as FTS5 syntax (`OR`, `NOT`, `*`, `"`, `:`, `-`, `^`, `NEAR` are words).
//! - **PostgreSQL**: the stored column `search_tsv = to_tsvector('simple', search_text)`
//!   with a GIN index (migration 0004), queried with `plainto_tsquery('simple', $n)`,
//!   which reads no operators at all.
//!
//! **Order: newest first by id**, which is the order of intake (ids are handed out as
//! appeals arrive; the demo and imports load in `received_at` order). Not by relevance:
//! staff search for "what has come in about X", the texts are short and every term
//! must match, so a relevance score mostly ranks by length; and the id order is the
//! order the indexes can produce cheaply: FTS5 walks its doclists newest first and
//! stops after one page (index on rowid); PostgreSQL tests the newest appeals first
//! (common words fill a page there) and otherwise sorts the few matches the GIN index
//! finds (rare words), see [`page_ids`].
//!
//! The count of matches stops at [`SearchResults::TOTAL_CAP`] (and on SQLite is estimated
//! for very common words under narrow filters, see [`count`]); `has_next` comes from
//! fetching one row more than a page.

use std::collections::HashMap;

use police_square_domain::Category;

use super::{dialect, rows, subtree_range, Conn};
use crate::error::StoreResult;
use crate::model::{AppealSummary, Id, SearchHit, SearchQuery, SearchResults};

/// Largest page the store will return, whatever the caller asks.
const MAX_PAGE_SIZE: u32 = 100;
/// Deepest result served (pages further down are empty): a person refines the query.
const MAX_OFFSET: u64 = 10_000;
/// Most terms used from a query; most characters per term.
const MAX_TERMS: usize = 16;
const MAX_TERM_CHARS: usize = 64;
/// SQLite counts among at most this many of a word's newest matches (see [`count`]).
const SAMPLE: u64 = 10_000;
/// PostgreSQL pages look among this many newest appeals first (see [`page_ids`]).
const PROBE: u64 = 20_000;
/// PostgreSQL sorts the matches of words expected fewer times than this at once.
const SORT_BELOW: u64 = 2_000;

const SQLITE: bool = matches!(dialect::BACKEND.as_bytes(), b"sqlite");

enum Arg {
    Int(i64),
    Text(String),
}

/// The terms as one safe match argument for this backend, or `None` if nothing
/// searchable is left (no results).
fn match_arg(terms: &[String]) -> Option<String> {
    let mut words: Vec<String> = Vec::new();
    for term in terms {
        let term: String = term.chars().take(MAX_TERM_CHARS).collect();
        if SQLITE {
            // The `ascii` tokenizer: every non-ASCII character is part of a token;
            // ASCII other than letters and digits separates tokens.
            for piece in term.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric()) {
                if !piece.is_empty() {
                    words.push(piece.to_ascii_lowercase());
                }
            }
        } else {
            // `plainto_tsquery` parses the text like `to_tsvector` did; only control
            // characters (a NUL is refused by PostgreSQL) need to go.
            let clean: String = term
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            words.extend(clean.split_whitespace().map(str::to_owned));
        }
    }
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| w.chars().any(char::is_alphanumeric) && seen.insert(w.clone()));
    words.truncate(MAX_TERMS);
    if words.is_empty() {
        return None;
    }
    Some(if SQLITE {
        // Quoted strings, implicitly ANDed. A piece holds no `"` (ASCII punctuation is
        // a separator), but double any anyway.
        words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        words.join(" ")
    })
}

/// The filter terms (on `appeals a`) and their arguments; `$1` is the match argument.
fn conditions(q: &SearchQuery, args: &mut Vec<Arg>) -> Vec<String> {
    let mut conds = Vec::new();
    let arg = |args: &mut Vec<Arg>, value: Arg| {
        args.push(value);
        format!("${}", args.len())
    };
    if let Some(scope) = &q.scope {
        let (lo, hi) = subtree_range(scope.as_str());
        let lo = arg(args, Arg::Text(lo));
        let hi = arg(args, Arg::Text(hi));
        conds.push(format!("a.unit_path >= {lo} AND a.unit_path < {hi}"));
    }
    let not_conduct = format!(
        "(a.category IS NULL OR a.category <> '{}')",
        Category::CONDUCT
    );
    if !q.include_conduct {
        conds.push(not_conduct);
    } else if !q.hide_conduct_about.is_empty() {
        // Ids are integers: safe to inline.
        let ids: Vec<String> = q.hide_conduct_about.iter().map(Id::to_string).collect();
        conds.push(format!(
            "({not_conduct} OR a.subject_unit_id IS NULL OR a.subject_unit_id NOT IN ({}))",
            ids.join(", ")
        ));
    }
    if let Some(from) = q.from {
        let p = arg(args, Arg::Int(from));
        conds.push(format!("a.received_at >= {p}"));
    }
    if let Some(to) = q.to {
        let p = arg(args, Arg::Int(to));
        conds.push(format!("a.received_at < {p}"));
    }
    if let Some(kind) = q.kind {
        let p = arg(args, Arg::Text(kind.as_str().into()));
        conds.push(format!("a.kind = {p}"));
    }
    if let Some(category) = &q.category {
        let p = arg(args, Arg::Text(category.clone()));
        conds.push(format!("a.category = {p}"));
    }
    if !q.statuses.is_empty() {
        // Status keys are the enum's own constants, safe to inline.
        let keys: Vec<String> = q
            .statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        conds.push(format!("a.status IN ({})", keys.join(", ")));
    }
    conds
}

/// `SELECT <what>` over the matching appeals, newest first, with `limit` and `offset`.
fn matching(what: &str, filter: &str, limit: u64, offset: u64) -> String {
    if SQLITE {
        // FTS5 drives (CROSS JOIN keeps it the outer loop): its doclists are walked
        // newest rowid first and the walk stops once the page is full. Each match is
        // checked against the small covering index of the filter columns.
        format!(
            "SELECT {what} FROM appeals_fts f CROSS JOIN appeals a INDEXED BY \
             appeals_search_filter ON a.id = f.rowid \
             WHERE appeals_fts MATCH $1 AND {filter} \
             ORDER BY f.rowid DESC LIMIT {limit} OFFSET {offset}"
        )
    } else {
        format!(
            "SELECT {what} FROM appeals a \
             WHERE a.search_tsv @@ plainto_tsquery('simple', $1) \
             AND {filter} ORDER BY a.id DESC LIMIT {limit} OFFSET {offset}"
        )
    }
}

/// The ids of one page and one more, newest first.
///
/// SQLite: FTS5 walks its matches newest first and stops when the page is full.
/// PostgreSQL: a GIN index has no order, and the planner's guess of how common a word is
/// decides between walking the primary key backwards (fine for common words, a full
/// table scan for a rare word it took for common) and sorting the GIN matches (fine for
/// rare words, slow for common ones). So: words the planner expects fewer than
/// [`SORT_BELOW`] times are sorted at once; for the others, first look among the newest
/// [`PROBE`] / 10, then [`PROBE`] appeals only (bounded work, whichever plan); if they
/// hold the page, done;
/// otherwise matches are sparse and the GIN matches are sorted (`id + 0` keeps the
/// planner off the primary key order).
async fn page_ids(
    conn: &mut Conn,
    filter: &str,
    args: &[Arg],
    page_size: u64,
    offset: u64,
    estimate: u64,
) -> StoreResult<Vec<Id>> {
    if !SQLITE && offset + page_size < PROBE / 10 && estimate >= SORT_BELOW {
        let want = offset + page_size + 1;
        let newest = scalar(
            sqlx::query("SELECT coalesce(max(id), 0) FROM appeals"),
            conn,
        )
        .await?;
        for window in [PROBE / 10, PROBE] {
            let floor = newest - window as i64;
            let sql = format!(
                "SELECT a.id FROM appeals a WHERE a.id > {floor} \
                 AND a.search_tsv @@ plainto_tsquery('simple', $1) AND {filter} \
                 ORDER BY a.id DESC LIMIT {want}"
            );
            let found = id_list(bind_all(sqlx::query(&sql), args), conn).await?;
            if found.len() as u64 == want || floor <= 0 {
                return Ok(found.into_iter().skip(offset as usize).collect());
            }
        }
    }
    if !SQLITE {
        let sql = format!(
            "SELECT a.id FROM appeals a \
             WHERE a.search_tsv @@ plainto_tsquery('simple', $1) AND {filter} \
             ORDER BY a.id + 0 DESC LIMIT {} OFFSET {offset}",
            page_size + 1
        );
        return id_list(bind_all(sqlx::query(&sql), args), conn).await;
    }
    let sql = matching("a.id", filter, page_size + 1, offset);
    id_list(bind_all(sqlx::query(&sql), args), conn).await
}

/// The planner's estimate of the matches (PostgreSQL), from `EXPLAIN` (no execution).
async fn planned(conn: &mut Conn, filter: &str, args: &[Arg]) -> StoreResult<u64> {
    let sql = format!(
        "EXPLAIN SELECT 1 FROM appeals a \
         WHERE a.search_tsv @@ plainto_tsquery('simple', $1) AND {filter}"
    );
    let plan: Vec<String> = bind_all(sqlx::query(&sql), args)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| sqlx::Row::try_get(r, 0))
        .collect::<Result<_, _>>()?;
    Ok(planned_rows(plan.first().map_or("", String::as_str)))
}

async fn id_list(query: super::Query<'_>, conn: &mut Conn) -> StoreResult<Vec<Id>> {
    query
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok(sqlx::Row::try_get(r, 0)?))
        .collect()
}

/// How many matches pass the filters, as `(count, estimated)`; the count stops at
/// `cap`. Only asked when the page did not reach the end. PostgreSQL counts from the
/// GIN bitmap the words its planner expects fewer than [`SORT_BELOW`] times, and takes
/// the planner's estimate for the others. SQLite checks at most [`SAMPLE`] of
/// the newest matches; a word with more matches than that (and filters that keep fewer
/// than `cap` of the sample) is estimated from the sample's share and the word's total.
async fn count(
    conn: &mut Conn,
    filter: &str,
    args: &[Arg],
    matcher: &str,
    cap: u64,
    estimate: u64,
) -> StoreResult<(u64, bool)> {
    if !SQLITE {
        let from_where = format!(
            "FROM appeals a WHERE a.search_tsv @@ plainto_tsquery('simple', $1) AND {filter}"
        );
        // Only rare words are counted: the matches of a common one would all be read
        // from the table (the filters are in the rows) to find how many pass; the
        // planner's estimate says as much at no cost.
        if estimate >= SORT_BELOW {
            return Ok((estimate.min(cap), true));
        }
        let sql = format!("SELECT count(*) FROM (SELECT 1 {from_where} LIMIT {cap}) AS m");
        let n: i64 = scalar(bind_all(sqlx::query(&sql), args), conn).await?;
        return Ok((n.max(0) as u64, false));
    }
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM (SELECT rowid FROM appeals_fts \
         WHERE appeals_fts MATCH $1 ORDER BY rowid DESC LIMIT {SAMPLE}) AS f \
         CROSS JOIN appeals a INDEXED BY appeals_search_filter ON a.id = f.rowid \
         WHERE {filter} LIMIT {cap}) AS m"
    );
    let counted = scalar(bind_all(sqlx::query(&sql), args), conn)
        .await?
        .max(0) as u64;
    if counted >= cap {
        return Ok((counted, false));
    }
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM appeals_fts WHERE appeals_fts MATCH $1 \
         LIMIT {}) AS m",
        SAMPLE + 1
    );
    let words = scalar(sqlx::query(&sql).bind(matcher), conn).await?.max(0) as u64;
    if words <= SAMPLE {
        return Ok((counted, false));
    }
    let all = scalar(
        sqlx::query("SELECT count(*) FROM appeals_fts WHERE appeals_fts MATCH $1").bind(matcher),
        conn,
    )
    .await?
    .max(0) as u64;
    let estimate = (counted as f64 * all as f64 / SAMPLE as f64).round() as u64;
    Ok((estimate.max(counted), true))
}

/// `rows=N` of the top line of a PostgreSQL plan.
fn planned_rows(line: &str) -> u64 {
    line.split("rows=")
        .nth(1)
        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

async fn scalar(query: super::Query<'_>, conn: &mut Conn) -> StoreResult<i64> {
    let row = query.fetch_one(&mut *conn).await?;
    Ok(sqlx::Row::try_get(&row, 0)?)
}

fn bind_all<'q>(mut query: super::Query<'q>, args: &'q [Arg]) -> super::Query<'q> {
    for a in args {
        query = match a {
            Arg::Int(v) => query.bind(*v),
            Arg::Text(v) => query.bind(v.as_str()),
        };
    }
    query
}

pub(crate) async fn search(conn: &mut Conn, q: &SearchQuery) -> StoreResult<SearchResults> {
    let mut out = SearchResults {
        items: Vec::new(),
        page: q.page,
        has_next: false,
        total: 0,
        total_capped: false,
        total_estimated: false,
    };
    let Some(matcher) = match_arg(&q.terms) else {
        return Ok(out);
    };
    let page_size = u64::from(q.page_size.clamp(1, MAX_PAGE_SIZE));
    let offset = u64::from(q.page) * page_size;
    let mut args = vec![Arg::Text(matcher.clone())];
    let conds = conditions(q, &mut args);
    let filter = if conds.is_empty() {
        "TRUE".to_owned()
    } else {
        conds.join(" AND ")
    };

    let estimate = if SQLITE {
        0
    } else {
        planned(conn, &filter, &args).await?
    };
    let mut ids: Vec<Id> = Vec::new();
    if offset <= MAX_OFFSET {
        ids = page_ids(conn, &filter, &args, page_size, offset, estimate).await?;
    }
    out.has_next = ids.len() as u64 > page_size;
    ids.truncate(page_size as usize);

    // The last page (with something on it) tells the count without counting.
    let cap = SearchResults::TOTAL_CAP;
    let (counted, estimated) = if !out.has_next && (offset == 0 || !ids.is_empty()) {
        (offset + ids.len() as u64, false)
    } else {
        count(conn, &filter, &args, &matcher, cap + 1, estimate).await?
    };
    // An estimate is never below what the pages show.
    let shown = offset + ids.len() as u64 + u64::from(out.has_next);
    let counted = counted.max(shown);
    out.total = counted.min(cap);
    out.total_capped = counted > cap;
    out.total_estimated = estimated;
    out.items = hits(conn, &ids).await?;
    Ok(out)
}

/// The rows of `ids` with their full text, in the order given.
async fn hits(conn: &mut Conn, ids: &[Id]) -> StoreResult<Vec<SearchHit>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(Id::to_string).collect();
    let sql = format!(
        "SELECT {}, text FROM appeals WHERE id IN ({})",
        rows::SUMMARY_COLUMNS,
        list.join(", ")
    );
    let position: HashMap<Id, usize> = ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut found = sqlx::query(&sql)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let summary: AppealSummary = rows::summary(r)?;
            let text: String = sqlx::Row::try_get(r, "text")?;
            Ok(SearchHit { summary, text })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    found.sort_by_key(|h| position.get(&h.summary.id).copied().unwrap_or(usize::MAX));
    Ok(found)
}
