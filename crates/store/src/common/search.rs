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
//! - **PostgreSQL**: the GIN expression index on `to_tsvector('simple', search_text)`
//!   queried with `plainto_tsquery('simple', $n)`, which reads no operators at all.
//!
//! **Order: newest first by id**, which is the order of intake (ids are handed out as
//! appeals arrive; the demo and imports load in `received_at` order). Not by relevance:
//! staff search for "what has come in about X", the texts are short and every term
//! must match, so a relevance score mostly ranks by length; and the id order is the
//! order the indexes can produce cheaply: FTS5 walks its doclists newest first and
//! stops after one page (index on rowid), PostgreSQL either walks the primary key
//! backwards testing the few recent rows (common words) or sorts the few matches the
//! GIN index finds (rare words) — the planner chooses from the index statistics.
//!
//! The count of matches stops at [`SearchResults::TOTAL_CAP`]; `has_next` comes from
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
    let not_conduct = format!("(a.category IS NULL OR a.category <> '{}')", Category::CONDUCT);
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
        // newest rowid first and the walk stops once the page is full.
        format!(
            "SELECT {what} FROM appeals_fts f CROSS JOIN appeals a ON a.id = f.rowid \
             WHERE appeals_fts MATCH $1 AND {filter} \
             ORDER BY f.rowid DESC LIMIT {limit} OFFSET {offset}"
        )
    } else {
        format!(
            "SELECT {what} FROM appeals a \
             WHERE to_tsvector('simple', a.search_text) @@ plainto_tsquery('simple', $1) \
             AND {filter} ORDER BY a.id DESC LIMIT {limit} OFFSET {offset}"
        )
    }
}

/// Matches in any order, for counting.
fn counting(filter: &str, cap: u64) -> String {
    if SQLITE {
        format!(
            "SELECT count(*) FROM (SELECT 1 FROM appeals_fts f CROSS JOIN appeals a \
             ON a.id = f.rowid WHERE appeals_fts MATCH $1 AND {filter} LIMIT {cap}) AS m"
        )
    } else {
        format!(
            "SELECT count(*) FROM (SELECT 1 FROM appeals a \
             WHERE to_tsvector('simple', a.search_text) @@ plainto_tsquery('simple', $1) \
             AND {filter} LIMIT {cap}) AS m"
        )
    }
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
    let empty = SearchResults {
        items: Vec::new(),
        page: q.page,
        has_next: false,
        total: 0,
        total_capped: false,
    };
    let Some(matcher) = match_arg(&q.terms) else {
        return Ok(empty);
    };
    let page_size = u64::from(q.page_size.clamp(1, MAX_PAGE_SIZE));
    let offset = u64::from(q.page) * page_size;
    let mut args = vec![Arg::Text(matcher)];
    let conds = conditions(q, &mut args);
    let filter = if conds.is_empty() {
        "TRUE".to_owned()
    } else {
        conds.join(" AND ")
    };

    let cap = SearchResults::TOTAL_CAP;
    let counted: i64 = bind_all(sqlx::query(&counting(&filter, cap + 1)), &args)
        .fetch_one(&mut *conn)
        .await
        .and_then(|r| sqlx::Row::try_get(&r, 0))?;
    let counted = counted.max(0) as u64;
    let total = counted.min(cap);
    let total_capped = counted > cap;

    if offset > MAX_OFFSET || (!total_capped && offset >= counted) {
        return Ok(SearchResults {
            total,
            total_capped,
            ..empty
        });
    }
    let sql = matching("a.id", &filter, page_size + 1, offset);
    let ids: Vec<Id> = bind_all(sqlx::query(&sql), &args)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| sqlx::Row::try_get(r, 0))
        .collect::<Result<_, _>>()?;
    let has_next = ids.len() as u64 > page_size;
    let ids = &ids[..ids.len().min(page_size as usize)];
    Ok(SearchResults {
        items: hits(conn, ids).await?,
        page: q.page,
        has_next,
        total,
        total_capped,
    })
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
