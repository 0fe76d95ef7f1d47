//! Full-text search over appeals (民意研判: 检索), for staff.
//!
//! The text was segmented at intake into `appeals.search_text` (space-separated jieba
//! search-mode tokens); the caller segments the query the same way and passes the
//! words as [`SearchQuery::terms`]. Every term must match (AND).
//!
//! - **SQLite**: the FTS5 table `appeals_fts_filtered` (contentless, `ascii` tokenizer,
//!   kept by triggers; migration 0007, which replaced 0004's `appeals_fts`). Each term
//!   becomes quoted FTS5 strings split exactly where the tokenizer splits, so no query
//!   text is ever read as FTS5 syntax (`OR`, `NOT`, `*`, `"`, `:`, `-`, `^`, `NEAR`
//!   are words).
//! - **PostgreSQL**: the stored column `search_doc` (`to_tsvector('simple',
//!   search_text)` plus marker lexemes) with a GIN index (migration 0007, which replaced
//!   0004's `search_tsv`), queried with `plainto_tsquery('simple', $n)`, which reads no
//!   operators at all, ANDed with marker lexemes built here.
//!
//! Both indexes also hold, per appeal, marker tokens (U+E000 and a letter) for its units
//! (every unit on its path), category, status and day of receipt (PostgreSQL: also its
//! id block), so a search's filters narrow the index lookup itself: a common word at
//! one station, in one old month, or of one category and status meets only the
//! appeals that can pass, not every appeal with the word. The tokens only narrow: every
//! filter is still checked on the row ([`conditions`]).
//!
//! **Order: newest first by id**, which is the order of intake (ids are handed out as
//! appeals arrive). Not by relevance: staff search for "what has come in about X", the
//! texts are short and every term must match, so a relevance score mostly ranks by
//! length; and the id order is the order the indexes can produce cheaply: FTS5 walks
//! its doclists newest first and stops after one page (index on rowid); PostgreSQL
//! looks up the matches among windows of the newest ids first and sorts the few found,
//! see [`page_ids`].
//!
//! The count of matches stops at [`SearchResults::TOTAL_CAP`] (and on SQLite is estimated
//! for very common words under narrow filters, see [`count`]); `has_next` comes from
//! fetching one row more than a page.

use police_square_domain::Category;

mod windows;

use windows::{page_ids, Counted};

use super::super::{dialect, rows, status_in, subtree_range, Conn, Query, DAY_MS};
use crate::error::StoreResult;
use crate::{Id, SearchHit, SearchQuery, SearchResults};

/// Largest page the store will return, whatever the caller asks.
const MAX_PAGE_SIZE: u32 = 100;
/// Deepest result served (pages further down are empty): a person refines the query.
const MAX_OFFSET: u64 = 10_000;
/// Most terms used from a query; most characters per term.
const MAX_TERMS: usize = 16;
const MAX_TERM_CHARS: usize = 64;
/// SQLite counts among at most this many of a word's newest matches (see [`count`]).
const SAMPLE: u64 = 10_000;
/// PostgreSQL looks among at most this many newest ids first (see [`page_ids`]).
const PG_FIRST_WINDOW: i64 = 32_768;
/// PostgreSQL counts (rather than estimates) searches expected to match fewer by the
/// planner...
const SORT_BELOW: u64 = 2_000;
/// ...or by the matches among the newest ids (see [`page_ids`]).
const COUNT_BELOW: u64 = 500;
/// PostgreSQL: most matches read and sorted at once when a window shows them to be few
/// (see [`page_ids`]).
const FEW_CAP: u64 = 1_000;
/// PostgreSQL: most days of a period whose ids are looked up (see [`period_ids`]).
const MAX_PERIOD_DAYS: i64 = 400;
/// PostgreSQL: most id-block lexemes in one window (see [`id_blocks`]).
const MAX_ID_BLOCKS: usize = 48;

const SQLITE: bool = matches!(dialect::BACKEND.as_bytes(), b"sqlite");

/// The first character of the marker tokens of migration 0007 (U+E000, private use).
const MARKER: char = '\u{E000}';
/// A period is narrowed in the index only if this many day tokens cover it.
const MAX_PERIOD_TOKENS: usize = 24;

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
    // A word holding the marker of the filter tokens is not searched (see `narrowed`).
    words.retain(|w| {
        w.chars().any(char::is_alphanumeric) && !w.contains(MARKER) && seen.insert(w.clone())
    });
    words.truncate(MAX_TERMS);
    if words.is_empty() {
        return None;
    }
    Some(if SQLITE {
        // Quoted strings, ANDed. A piece holds no `"` (ASCII punctuation is a
        // separator), but double any anyway.
        words
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND ")
    } else {
        words.join(" ")
    })
}

/// SQLite: the match expression `words` narrowed by the filter tokens of migration 0007
/// (scope, category, statuses, period), so FTS5 itself meets only the appeals that can
/// pass the filters. The tokens only narrow: [`conditions`] still checks every filter on
/// the row.
async fn narrowed(conn: &mut Conn, q: &SearchQuery, words: &str) -> StoreResult<String> {
    let token = |kind: char, value: &str| format!("\"{MARKER}{kind}{value}\"");
    let hex = |text: &str| hex::encode(text.as_bytes());
    let mut parts = vec![words.to_owned()];
    if let Some(scope) = &q.scope {
        // A one-unit path (the city) is every appeal's ancestor: nothing to narrow.
        let ids = scope.ids();
        if ids.len() >= 2 {
            parts.push(token('u', &ids[ids.len() - 1].to_string()));
        }
    }
    if let Some(category) = &q.category {
        parts.push(token('c', &hex(category)));
    }
    if !q.statuses.is_empty() && q.statuses.len() <= 4 {
        let any: Vec<String> = q
            .statuses
            .iter()
            .map(|s| token('s', &hex(s.as_str())))
            .collect();
        parts.push(format!("({})", any.join(" OR ")));
    }
    if let Some((from, to)) = period_bounds(conn, q).await? {
        if let Some(days) = period_tokens(from, to) {
            let any: Vec<String> = days
                .iter()
                .map(|(kind, n)| token(*kind, &n.to_string()))
                .collect();
            parts.push(format!("({})", any.join(" OR ")));
        }
    }
    Ok(parts.join(" AND "))
}

/// The period of `q` as `from..to` (ms), an open end closed by the oldest or newest
/// appeal's time (an index look-up); `None` without a period or appeals.
async fn period_bounds(conn: &mut Conn, q: &SearchQuery) -> StoreResult<Option<(i64, i64)>> {
    if q.from.is_none() && q.to.is_none() {
        return Ok(None);
    }
    let from = match q.from {
        Some(from) => Some(from),
        None => scalar_opt(sqlx::query("SELECT min(received_at) FROM appeals"), conn).await?,
    };
    let to = match q.to {
        Some(to) => Some(to),
        None => scalar_opt(sqlx::query("SELECT max(received_at) FROM appeals"), conn)
            .await?
            .map(|max| max.saturating_add(1)),
    };
    Ok(from.zip(to))
}

/// The day tokens (`d` a day, `e` 8 days, `f` 64 days, numbered as in migration 0007:
/// `received_at / DAY_MS`, then `/ 8`, `/ 64`) whose appeals include every one received
/// in `from..to` (ms): the days from `from`'s to `to - 1`'s, in the fewest tokens.
/// `None` (no narrowing) when that takes more than [`MAX_PERIOD_TOKENS`], the period
/// starts before 1970 (integer division truncates towards zero there, so the blocks
/// would not line up) or is empty (the row filter finds nothing anyway).
fn period_tokens(from: i64, to: i64) -> Option<Vec<(char, i64)>> {
    if from < 0 || to <= from {
        return None;
    }
    let mut out = Vec::new();
    let (mut day, last) = (from / DAY_MS, (to - 1) / DAY_MS);
    while day <= last {
        if day % 64 == 0 && day + 63 <= last {
            out.push(('f', day / 64));
            day += 64;
        } else if day % 8 == 0 && day + 7 <= last {
            out.push(('e', day / 8));
            day += 8;
        } else {
            out.push(('d', day));
            day += 1;
        }
        if out.len() > MAX_PERIOD_TOKENS {
            return None;
        }
    }
    Some(out)
}

/// The filter terms (on `appeals a`) and their arguments; `$1` is the match argument.
///
/// PostgreSQL: the columns are written so that no btree index can serve them (same
/// values, same collation): the GIN lookup, narrowed by the filter lexemes, always
/// drives, and the planner does not AND it with a scan of, say, every appeal of the
/// scope (which it takes for selective, not knowing the lexemes already narrowed it).
fn conditions(q: &SearchQuery, args: &mut Vec<Arg>) -> Vec<String> {
    let mut conds = Vec::new();
    let (path, received, kind_col, category_col, status) = if SQLITE {
        (
            "a.unit_path",
            "a.received_at",
            "a.kind",
            "a.category",
            "a.status",
        )
    } else {
        (
            "(a.unit_path || '')",
            "(a.received_at + 0)",
            "(a.kind || '')",
            "(a.category || '')",
            "(a.status || '')",
        )
    };
    let arg = |args: &mut Vec<Arg>, value: Arg| {
        args.push(value);
        format!("${}", args.len())
    };
    if let Some(scope) = &q.scope {
        let (lo, hi) = subtree_range(scope.as_str());
        let lo = arg(args, Arg::Text(lo));
        let hi = arg(args, Arg::Text(hi));
        conds.push(format!("{path} >= {lo} AND {path} < {hi}"));
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
        conds.push(format!("{received} >= {p}"));
    }
    if let Some(to) = q.to {
        let p = arg(args, Arg::Int(to));
        conds.push(format!("{received} < {p}"));
    }
    if let Some(kind) = q.kind {
        let p = arg(args, Arg::Text(kind.as_str().into()));
        conds.push(format!("{kind_col} = {p}"));
    }
    if let Some(category) = &q.category {
        let p = arg(args, Arg::Text(category.clone()));
        conds.push(format!("{category_col} = {p}"));
    }
    if !q.statuses.is_empty() {
        conds.push(status_in(status, &q.statuses));
    }
    conds
}

/// SQLite: the ids of the matching appeals, newest first, with `limit` and `offset`.
/// FTS5 drives (CROSS JOIN keeps it the outer loop): its doclists are walked newest
/// rowid first and the walk stops once the page is full. Each match is checked against
/// the small covering index of the filter columns.
fn matching(filter: &str, limit: u64, offset: u64) -> String {
    format!(
        "SELECT a.id FROM appeals_fts_filtered f CROSS JOIN appeals a INDEXED BY \
         appeals_search_filter ON a.id = f.rowid \
         WHERE appeals_fts_filtered MATCH $1 AND {filter} \
         ORDER BY f.rowid DESC LIMIT {limit} OFFSET {offset}"
    )
}

/// A marker lexeme of migration 0007 as a `tsquery` operand. Only called with ids,
/// numbers and keys made of `[a-z0-9_]`, which need no escaping inside the quotes.
fn pg_lexeme(kind: char, value: &str) -> String {
    format!("'{MARKER}{kind}{value}'")
}

/// PostgreSQL: the filter lexemes of a search and where they are bound.
struct PgTokens {
    /// `tsquery` operands, ANDed.
    filters: Vec<String>,
    /// Whether the operands narrow to a period.
    period: bool,
    /// The argument number (`$n`) of the token `tsquery`.
    arg: usize,
    /// The filter with the token `tsquery` in the match (for the id windows).
    narrowed_filter: String,
    /// The period (`from..to`, ms) the operands narrow to.
    period_bounds: Option<(i64, i64)>,
}

impl PgTokens {
    /// The GIN condition with `operands` only (no other filter), and its arguments.
    fn alone(&self, operands: &[String], matcher: &str) -> (String, Vec<Arg>) {
        let mut args = vec![Arg::Text(matcher.to_owned())];
        if operands.is_empty() {
            return ("a.search_doc @@ plainto_tsquery('simple', $1)".into(), args);
        }
        args.push(Arg::Text(operands.join(" & ")));
        (
            "a.search_doc @@ (plainto_tsquery('simple', $1) && $2::tsquery)".into(),
            args,
        )
    }
}

/// PostgreSQL: the filter lexemes of migration 0007 for `q` (scope, category, statuses,
/// period), as `tsquery` operands. They only narrow the GIN lookup; every filter is
/// also checked on the row.
fn pg_filter_tokens(q: &SearchQuery, period: Option<(i64, i64)>) -> Vec<String> {
    let mut out = Vec::new();
    let plain = |v: &str| {
        !v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    if let Some(scope) = &q.scope {
        let ids = scope.ids();
        if ids.len() >= 2 {
            out.push(pg_lexeme('u', &ids[ids.len() - 1].to_string()));
        }
    }
    if let Some(category) = q.category.as_deref().filter(|c| plain(c)) {
        out.push(pg_lexeme('c', category));
    }
    if !q.statuses.is_empty() && q.statuses.len() <= 4 {
        let any: Vec<String> = q
            .statuses
            .iter()
            .map(|s| pg_lexeme('s', s.as_str()))
            .collect();
        out.push(format!("( {} )", any.join(" | ")));
    }
    if let Some((from, to)) = period {
        if let Some(days) = period_tokens(from, to) {
            let any: Vec<String> = days
                .iter()
                .map(|(kind, n)| pg_lexeme(*kind, &n.to_string()))
                .collect();
            out.push(format!("( {} )", any.join(" | ")));
        }
    }
    out
}

/// The planner's estimate of the matches (PostgreSQL), from `EXPLAIN` (no execution).
///
/// Of the GIN condition alone (words and filter lexemes): the planner knows nothing of
/// the other conditions as written (see [`conditions`]), and the lexemes already narrow
/// to scope, category, status and period.
async fn planned(conn: &mut Conn, pg_tokens: &PgTokens, matcher: &str) -> StoreResult<u64> {
    let (sql, args) = pg_tokens.alone(&pg_tokens.filters, matcher);
    let sql = format!("EXPLAIN SELECT 1 FROM appeals a WHERE {sql}");
    let plan: Vec<String> = bind_all(sqlx::query(&sql), &args)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| sqlx::Row::try_get(r, 0))
        .collect::<Result<_, _>>()?;
    Ok(planned_rows(plan.first().map_or("", String::as_str)))
}

async fn id_list(query: Query<'_>, conn: &mut Conn) -> StoreResult<Vec<Id>> {
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
        let from_where = format!("FROM appeals a WHERE {filter}");
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
        "SELECT count(*) FROM (SELECT 1 FROM (SELECT rowid FROM appeals_fts_filtered \
         WHERE appeals_fts_filtered MATCH $1 ORDER BY rowid DESC LIMIT {SAMPLE}) AS f \
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
        "SELECT count(*) FROM (SELECT 1 FROM appeals_fts_filtered \
         WHERE appeals_fts_filtered MATCH $1 LIMIT {}) AS m",
        SAMPLE + 1
    );
    let words = scalar(sqlx::query(&sql).bind(matcher), conn).await?.max(0) as u64;
    if words <= SAMPLE {
        return Ok((counted, false));
    }
    let all = scalar(
        sqlx::query(
            "SELECT count(*) FROM appeals_fts_filtered WHERE appeals_fts_filtered MATCH $1",
        )
        .bind(matcher),
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

async fn scalar_opt(query: Query<'_>, conn: &mut Conn) -> StoreResult<Option<i64>> {
    let row = query.fetch_one(&mut *conn).await?;
    Ok(sqlx::Row::try_get(&row, 0)?)
}

async fn scalar(query: Query<'_>, conn: &mut Conn) -> StoreResult<i64> {
    let row = query.fetch_one(&mut *conn).await?;
    Ok(sqlx::Row::try_get(&row, 0)?)
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

pub(crate) async fn search(conn: &mut Conn, q: &SearchQuery) -> StoreResult<SearchResults> {
    let mut out = SearchResults {
        items: Vec::new(),
        page: q.page,
        has_next: false,
        total: 0,
        total_capped: false,
        total_estimated: false,
    };
    let Some(mut matcher) = match_arg(&q.terms) else {
        return Ok(out);
    };
    if SQLITE {
        matcher = narrowed(conn, q, &matcher).await?;
    }
    let page_size = u64::from(q.page_size.clamp(1, MAX_PAGE_SIZE));
    let offset = u64::from(q.page) * page_size;
    let mut args = vec![Arg::Text(matcher.clone())];
    let mut conds = conditions(q, &mut args);
    let mut pg_tokens = PgTokens {
        filters: Vec::new(),
        period: false,
        arg: 0,
        narrowed_filter: String::new(),
        period_bounds: None,
    };
    if !SQLITE {
        // The words, and the filters' lexemes (`$n`, bound below) narrowing the lookup.
        let period = period_bounds(conn, q).await?;
        pg_tokens.filters = pg_filter_tokens(q, period);
        pg_tokens.period = period.is_some_and(|(from, to)| period_tokens(from, to).is_some());
        if pg_tokens.period {
            pg_tokens.period_bounds = period;
        }
        // Bound only if used: the id windows bind it (or replace it) themselves.
        pg_tokens.arg = args.len() + 1;
        if !pg_tokens.filters.is_empty() {
            args.push(Arg::Text(pg_tokens.filters.join(" & ")));
        }
        let with_tokens = format!(
            "a.search_doc @@ (plainto_tsquery('simple', $1) && ${}::tsquery)",
            pg_tokens.arg
        );
        let rest = conds.join(" AND ");
        let and_rest = if rest.is_empty() {
            String::new()
        } else {
            format!(" AND {rest}")
        };
        pg_tokens.narrowed_filter = format!("{with_tokens}{and_rest}");
        let words = if pg_tokens.filters.is_empty() {
            "a.search_doc @@ plainto_tsquery('simple', $1)".to_owned()
        } else {
            with_tokens
        };
        conds.insert(0, words);
    }
    let filter = if conds.is_empty() {
        "TRUE".to_owned()
    } else {
        conds.join(" AND ")
    };

    let estimate = if SQLITE {
        0
    } else {
        planned(conn, &pg_tokens, &matcher).await?
    };
    let mut ids: Vec<Id> = Vec::new();
    let mut counted_by_page = None;
    if offset <= MAX_OFFSET {
        (ids, counted_by_page) = page_ids(
            conn, &filter, &args, page_size, offset, estimate, &pg_tokens,
        )
        .await?;
    }
    out.has_next = ids.len() as u64 > page_size;
    ids.truncate(page_size as usize);

    // The last page (with something on it) tells the count without counting.
    let cap = SearchResults::TOTAL_CAP;
    let (counted, estimated) = if !out.has_next && (offset == 0 || !ids.is_empty()) {
        (offset + ids.len() as u64, false)
    } else {
        match counted_by_page {
            Some(Counted::Exact(n)) => (n, false),
            // A better guess than the planner's (it takes words as independent).
            // Counting means reading every match's row (up to the cap): only when few
            // are expected.
            // Not with a status or period filter: open or recent appeals crowd among
            // the newest ids (of a period, too), so the window's share would say far
            // too many.
            Some(Counted::Extrapolated(_)) | Some(Counted::InPeriod(_))
                if !q.statuses.is_empty() =>
            {
                count(conn, &filter, &args, &matcher, cap + 1, estimate).await?
            }
            Some(Counted::Extrapolated(_)) if q.from.is_some() || q.to.is_some() => {
                count(conn, &filter, &args, &matcher, cap + 1, estimate).await?
            }
            Some(Counted::Extrapolated(n) | Counted::InPeriod(n)) if n >= COUNT_BELOW => (n, true),
            Some(Counted::Extrapolated(n) | Counted::InPeriod(n)) => {
                count(conn, &filter, &args, &matcher, cap + 1, n).await?
            }
            None => count(conn, &filter, &args, &matcher, cap + 1, estimate).await?,
        }
    };
    // An estimate is never below what the pages show (a page past the end shows
    // nothing: the offset proves no match).
    let shown = if ids.is_empty() {
        0
    } else {
        offset + ids.len() as u64 + u64::from(out.has_next)
    };
    let counted = counted.max(shown);
    out.total = counted.min(cap);
    out.total_capped = counted > cap;
    out.total_estimated = estimated;
    out.items = hits(conn, &ids).await?;
    Ok(out)
}

/// The rows of `ids` with their full text, in the order given.
async fn hits(conn: &mut Conn, ids: &[Id]) -> StoreResult<Vec<SearchHit>> {
    let columns = format!("{}, text", rows::SUMMARY_COLUMNS);
    rows::appeals_in_order(conn, &columns, ids, |r| {
        Ok(SearchHit {
            summary: rows::summary(r)?,
            text: sqlx::Row::try_get(r, "text")?,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(tokens: &[(char, i64)]) -> Vec<i64> {
        let mut out = Vec::new();
        for &(kind, n) in tokens {
            let (start, len) = match kind {
                'd' => (n, 1),
                'e' => (n * 8, 8),
                'f' => (n * 64, 64),
                _ => panic!("{kind}"),
            };
            out.extend(start..start + len);
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn period_tokens_cover_exactly_the_days_of_the_period() {
        let t0 = 1_780_000_000_000;
        for (from, to) in [
            (t0, t0 + 1),
            (t0, t0 + DAY_MS),
            (t0 + 5, t0 + 30 * DAY_MS + 7),
            (t0 - 150 * DAY_MS, t0 - 120 * DAY_MS),
            (0, 63 * DAY_MS + 1),
            (t0, t0 + 200 * DAY_MS),
        ] {
            let tokens = period_tokens(from, to).expect("few tokens");
            assert!(tokens.len() <= MAX_PERIOD_TOKENS);
            let expected: Vec<i64> = (from / DAY_MS..=(to - 1) / DAY_MS).collect();
            assert_eq!(days(&tokens), expected, "{from}..{to}");
        }
        assert!(period_tokens(t0, t0).is_none());
        assert!(period_tokens(-DAY_MS, t0).is_none());
        assert!(period_tokens(DAY_MS, 20_000 * DAY_MS + 5 * DAY_MS).is_none());
    }
}
