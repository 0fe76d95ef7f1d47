//! PostgreSQL: a page of matches looked up among windows of the newest ids (or of a
//! period's newest ids), so that a common word costs a few pages' worth of rows, not
//! every match; SQLite's FTS5 walks its matches in id order and needs none of this.

use super::{
    bind_all, id_list, matching, pg_lexeme, scalar, Arg, Conn, PgTokens, Query, COUNT_BELOW,
    DAY_MS, FEW_CAP, MAX_ID_BLOCKS, MAX_PERIOD_DAYS, PG_FIRST_WINDOW, SORT_BELOW, SQLITE,
};
use crate::{error::StoreResult, Id};

/// The ids of one page and one more, newest first.
///
/// SQLite: FTS5 walks its matches (already narrowed by the filter tokens) newest first
/// and stops when the page is full.
///
/// PostgreSQL: a GIN index has no order, so the matches it finds are sorted (`id + 0`
/// keeps the planner off walking the primary key backwards, which reads every row
/// until the page is full: a full table scan for a word rarer than it guessed). Each
/// match found is one row read, so the lookup is first narrowed to a window of the
/// newest ids by the id-block lexemes of migration 0007: the newest appeals, or with a
/// period the newest of the period (no appeal of its days has a newer id than
/// [`period_ids`] says). A window is expected (from the planner's estimate, filter
/// lexemes included) to hold a few pages, at most [`PG_FIRST_WINDOW`] ids, then 8
/// times, then 64 times that. Every appeal with an id in the window is in the lookup,
/// so once it holds the page (and one more) the page is exact. A window that shows the
/// matches to be few (fewer than [`COUNT_BELOW`] by its share of the ids) ends the
/// windows: all the matches, if no more than [`FEW_CAP`], are read and sorted at once
/// (they would be counted anyway); otherwise, or after the last window, the full
/// lookup is sorted.
pub(super) async fn page_ids(
    conn: &mut Conn,
    filter: &str,
    args: &[Arg],
    page_size: u64,
    offset: u64,
    estimate: u64,
    pg_tokens: &PgTokens,
) -> StoreResult<(Vec<Id>, Option<Counted>)> {
    if SQLITE {
        let sql = matching(filter, page_size + 1, offset);
        return Ok((
            id_list(bind_all(sqlx::query(&sql), args), conn).await?,
            None,
        ));
    }
    let want = offset + page_size + 1;
    // The ids the windows count down from, the lowest id that can match, and how many
    // ids that is in all.
    // A period already narrows the lookup to its days (and need not be among the
    // newest appeals at all): fewer than SORT_BELOW / 2 expected matches (SORT_BELOW
    // without the period's ids) are sorted at once.
    let period_ids = match pg_tokens.period_bounds {
        Some((from, to)) if estimate >= SORT_BELOW / 2 => period_ids(conn, from, to).await?,
        _ => None,
    };
    let range = match period_ids {
        // No appeal on the period's days: nothing matches.
        Some(None) => return Ok((Vec::new(), None)),
        Some(Some(ids)) => Some(ids),
        None if pg_tokens.period && estimate < SORT_BELOW => None,
        None => {
            let newest = scalar(
                sqlx::query("SELECT coalesce(max(id), 0) FROM appeals"),
                conn,
            )
            .await?;
            Some((1, newest))
        }
    };
    if let Some((bottom, top)) = range {
        let span = (top - bottom + 1).max(1);
        // Ids are about as many as appeals; aim at 4 pages' worth of expected matches,
        // but look at no more than the newest PG_FIRST_WINDOW first: the planner takes
        // words as independent, and the words of one appeal (a phrase) often are not.
        let expected =
            ((want * 4) as f64 * span as f64 / estimate.max(1) as f64).min(i64::MAX as f64) as i64;
        let mut window = expected.min(PG_FIRST_WINDOW);
        for _ in 0..3 {
            let lowest = top.saturating_sub(window).max(0) + 1;
            if lowest <= bottom {
                break;
            }
            let Some(blocks) = id_blocks(lowest, top) else {
                break;
            };
            let mut narrowed: Vec<Arg> = args
                .iter()
                .map(|a| match a {
                    Arg::Int(v) => Arg::Int(*v),
                    Arg::Text(v) => Arg::Text(v.clone()),
                })
                .collect();
            let mut tokens = pg_tokens.filters.clone();
            tokens.push(format!("( {} )", blocks.join(" | ")));
            narrowed.truncate(pg_tokens.arg - 1);
            narrowed.push(Arg::Text(tokens.join(" & ")));
            let sql = format!(
                "SELECT a.id, count(*) OVER () FROM appeals a WHERE {} \
                 ORDER BY a.id + 0 DESC LIMIT {want}",
                pg_tokens.narrowed_filter
            );
            let (found, in_window) =
                ids_counted(bind_all(sqlx::query(&sql), &narrowed), conn).await?;
            // The window's share of the ids, scaled up: how many match in all.
            let seen = ids_seen(bottom, lowest, top);
            let scale = |n: i64| n as f64 * span as f64 / seen as f64;
            if found.len() as u64 == want {
                let all = scale(in_window);
                let ids = found.into_iter().skip(offset as usize).collect();
                let all = all as u64;
                let counted = if period_ids.is_some() {
                    Counted::InPeriod(all)
                } else {
                    Counted::Extrapolated(all)
                };
                return Ok((ids, Some(counted)));
            }
            if scale(in_window + 1) < COUNT_BELOW as f64 && estimate < SORT_BELOW {
                // Few in all, by this window: they would be counted anyway.
                let sql = format!(
                    "SELECT id, count(*) OVER () FROM (SELECT a.id FROM appeals a \
                     WHERE {filter} LIMIT {FEW_CAP}) AS m ORDER BY id DESC LIMIT {want}"
                );
                let (ids, all) = ids_counted(bind_all(sqlx::query(&sql), args), conn).await?;
                if (all as u64) < FEW_CAP {
                    let ids: Vec<Id> = ids.into_iter().skip(offset as usize).collect();
                    let counted = (!ids.is_empty()).then_some(Counted::Exact(all.max(0) as u64));
                    return Ok((ids, counted));
                }
            }
            window = window.saturating_mul(8);
        }
    }
    // All the matches are read to be sorted: counting them is free.
    let sql = format!(
        "SELECT a.id, count(*) OVER () FROM appeals a WHERE {filter} \
         ORDER BY a.id + 0 DESC LIMIT {} OFFSET {offset}",
        page_size + 1
    );
    let (ids, all) = ids_counted(bind_all(sqlx::query(&sql), args), conn).await?;
    // An offset past the end returns no row, and no count.
    let counted = (!ids.is_empty()).then_some(Counted::Exact(all.max(0) as u64));
    Ok((ids, counted))
}

/// PostgreSQL: the lowest and highest id received on the days of `from..to` (ms), the
/// days numbered as the `d` lexemes of migration 0007 (two probes of migration 0008's
/// index per day); `None` if there are more than [`MAX_PERIOD_DAYS`] days, or the days
/// have no appeal (`Some(None)`).
async fn period_ids(
    conn: &mut Conn,
    from: i64,
    to: i64,
) -> StoreResult<Option<Option<(i64, i64)>>> {
    if from < 0 || to <= from {
        return Ok(None);
    }
    let (first, last) = (from / DAY_MS, (to - 1) / DAY_MS);
    if last - first + 1 > MAX_PERIOD_DAYS {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT min(x.lo), max(x.hi) FROM generate_series($1::bigint, $2::bigint) AS d(day) \
         CROSS JOIN LATERAL (SELECT \
           (SELECT id FROM appeals WHERE received_at / 86400000 = d.day \
            ORDER BY received_at / 86400000, id LIMIT 1) AS lo, \
           (SELECT id FROM appeals WHERE received_at / 86400000 = d.day \
            ORDER BY received_at / 86400000 DESC, id DESC LIMIT 1) AS hi) AS x",
    )
    .bind(first)
    .bind(last)
    .fetch_one(&mut *conn)
    .await?;
    let lo: Option<i64> = sqlx::Row::try_get(&row, 0)?;
    let hi: Option<i64> = sqlx::Row::try_get(&row, 1)?;
    Ok(Some(lo.zip(hi)))
}

/// PostgreSQL: what a page query learnt of the number of matches.
pub(super) enum Counted {
    /// All of them were counted.
    Exact(u64),
    /// The matches among a window of the newest ids, scaled to all ids.
    Extrapolated(u64),
    /// The matches among a window of the newest ids of a period, scaled to the period.
    InPeriod(u64),
}

/// Rows of `(id, count)`: the ids and the count (0 without rows).
async fn ids_counted(query: Query<'_>, conn: &mut Conn) -> StoreResult<(Vec<Id>, i64)> {
    let rows = query.fetch_all(&mut *conn).await?;
    let mut ids = Vec::with_capacity(rows.len());
    let mut all = 0;
    for r in &rows {
        ids.push(sqlx::Row::try_get(r, 0)?);
        all = sqlx::Row::try_get(r, 1)?;
    }
    Ok((ids, all))
}

/// How many of the ids `bottom..=top` a window from `lowest` up looks at: the id
/// blocks reach down to `lowest`'s block of 1024, but not below `bottom` (ids below
/// a period cannot match, and counting them would scale the total down).
fn ids_seen(bottom: i64, lowest: i64, top: i64) -> i64 {
    (top - ((lowest / 1024) * 1024).max(bottom) + 1).max(1)
}

/// PostgreSQL: the id-block lexemes (`k` = id / 1024, `m` = id / 32768, migration 0007)
/// of exactly the ids from `lowest` (rounded down to its block of 1024) up, through
/// `newest`'s blocks. `None` if that takes more than [`MAX_ID_BLOCKS`].
fn id_blocks(lowest: i64, newest: i64) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let (mut k, last) = (lowest.max(0) / 1024, newest.max(0) / 1024);
    while k <= last {
        if k % 32 == 0 {
            out.push(pg_lexeme('m', &(k / 32).to_string()));
            k += 32;
        } else {
            out.push(pg_lexeme('k', &k.to_string()));
            k += 1;
        }
        if out.len() > MAX_ID_BLOCKS {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::MARKER;
    use super::*;

    #[test]
    fn a_window_sees_its_blocks_within_the_period() {
        // The window's blocks start at 2048; the period's ids at 2100.
        assert_eq!(ids_seen(2100, 2200, 3000), 901);
        // A period that starts below the window's first block: the whole blocks.
        assert_eq!(ids_seen(1, 2200, 3000), 953);
        assert_eq!(ids_seen(5000, 5000, 4000), 1);
    }

    #[test]
    fn id_blocks_hold_exactly_the_ids_from_the_lowest_block_up() {
        for (lowest, newest) in [
            (1, 1),
            (1_000, 5_000),
            (30_000, 1_000_000),
            (999_000, 1_000_000),
        ] {
            let blocks = id_blocks(lowest, newest).expect("few blocks");
            let mut ks: Vec<i64> = Vec::new();
            for b in &blocks {
                let inner = b.trim_matches('\'').trim_start_matches(MARKER);
                let n: i64 = inner[1..].parse().unwrap();
                match &inner[..1] {
                    "k" => ks.push(n),
                    "m" => ks.extend(n * 32..n * 32 + 32),
                    other => panic!("{other}"),
                }
            }
            ks.sort_unstable();
            let first = lowest / 1024;
            assert_eq!(ks[0], first);
            assert!(ks.windows(2).all(|w| w[1] == w[0] + 1));
            assert!(*ks.last().unwrap() >= newest / 1024);
        }
        assert!(id_blocks(1, 100_000_000).is_none());
    }
}
