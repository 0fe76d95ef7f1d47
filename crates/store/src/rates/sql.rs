//! Pre-aggregated rate counts (三率) per owning unit and day.
//!
//! Every write that can change an appeal's counts inserts its `(unit, day)` bucket into
//! `stats_dirty` (a plain insert: no row locks, so no contention and no deadlocks).
//! `refresh_stats` takes the committed marks, recomputes those days (all units at once,
//! from the covering index `appeals_stats`) and upserts them into `stats_daily`. A mark committed after a refresh read the table
//! simply stays for the next refresh, so no change is ever lost. Cases that become
//! overdue only by the passing of time are marked by `refresh_stats` itself, from the
//! partial index of open cases by due time.
//!
//! `rate_counts` adds up whole days from `stats_daily` and computes the partial days at
//! the edges of the period live from `appeals`, so any period boundary is exact.

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use police_square_domain::{rates::RateCounts, Millis};
use sqlx::Row as _;

use super::multi_row::values_sql;
use super::{day_of, day_start, settings, Conn, SqlStore, DAY_MS, DAY_OFFSET_MS, OPEN};
use crate::error::StoreResult;
use crate::*;

const OVERDUE_MARK: &str = "stats.overdue_mark";
/// Dirty days closer than this are recomputed as one range.
const MERGE_GAP_DAYS: i64 = 7;

const COUNT_COLUMNS: [&str; 10] = [
    "total",
    "responded_on_time",
    "replied",
    "replied_on_time",
    "rated",
    "resolved",
    "satisfied",
    "basic",
    "overdue",
    "reopened",
];

/// The counts of a group of appeals, as SQL aggregates in [`COUNT_COLUMNS`] order.
/// Definitions: [`RateCounts`]. `now` is the placeholder of the instant that decides
/// whether an open case is overdue.
fn aggregates(now: &str) -> String {
    format!(
        "COUNT(*) AS total, \
         SUM(CASE WHEN accepted_at <= accept_by THEN 1 ELSE 0 END) AS responded_on_time, \
         SUM(CASE WHEN replied_at IS NOT NULL THEN 1 ELSE 0 END) AS replied, \
         SUM(CASE WHEN replied_at <= due_at THEN 1 ELSE 0 END) AS replied_on_time, \
         SUM(CASE WHEN rating_satisfaction IS NOT NULL THEN 1 ELSE 0 END) AS rated, \
         SUM(CASE WHEN rating_resolved THEN 1 ELSE 0 END) AS resolved, \
         SUM(CASE WHEN rating_satisfaction = 'satisfied' THEN 1 ELSE 0 END) AS satisfied, \
         SUM(CASE WHEN rating_satisfaction = 'basic' THEN 1 ELSE 0 END) AS basic, \
         SUM(CASE WHEN ({OPEN} AND due_at < {now}) OR replied_at > due_at \
             THEN 1 ELSE 0 END) AS overdue, \
         SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END) AS reopened"
    )
}

fn day_expr() -> String {
    format!("(received_at + {DAY_OFFSET_MS}) / {DAY_MS}")
}

/// Marks the buckets of appeals `(unit_id, received_at)` for recomputation.
pub(crate) async fn mark_dirty(conn: &mut Conn, appeals: &[(Id, Millis)]) -> StoreResult<()> {
    let buckets: BTreeSet<(Id, i64)> = appeals
        .iter()
        .map(|&(unit, at)| (unit, day_of(at)))
        .collect();
    let buckets: Vec<_> = buckets.into_iter().collect();
    for chunk in buckets.chunks(200) {
        let sql = values_sql("stats_dirty", &["unit_id", "day"], chunk.len());
        let mut query = sqlx::query(&sql);
        for &(unit, day) in chunk {
            query = query.bind(unit).bind(day);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) async fn refresh(conn: &mut Conn, now: Millis) -> StoreResult<()> {
    // Open cases that became overdue since the last refresh changed their bucket's
    // `overdue` count without any write to the appeal.
    let last: Option<Millis> = settings::setting(conn, OVERDUE_MARK)
        .await?
        .and_then(|v| v.parse().ok());
    let since = last.unwrap_or(Millis::MIN);
    if now > since {
        let sql = format!(
            "INSERT INTO stats_dirty (unit_id, day) \
             SELECT DISTINCT unit_id, {} FROM appeals \
             WHERE {OPEN} AND due_at >= $1 AND due_at < $2",
            day_expr()
        );
        sqlx::query(&sql)
            .bind(since)
            .bind(now)
            .execute(&mut *conn)
            .await?;
        settings::put_setting(conn, OVERDUE_MARK, &now.to_string()).await?;
    }

    // Recompute whole days for every unit (the covering index `appeals_stats` makes a
    // day cheap); a bucket whose appeals are all gone (rejected, moved) must vanish.
    let marked: Vec<i64> = sqlx::query_scalar("DELETE FROM stats_dirty RETURNING day")
        .fetch_all(&mut *conn)
        .await?;
    let days: BTreeSet<i64> = marked.into_iter().collect();
    let columns = COUNT_COLUMNS.join(", ");
    let updates: Vec<String> = COUNT_COLUMNS
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let recompute = format!(
        "INSERT INTO stats_daily (unit_id, day, {columns}) \
         SELECT unit_id, {day} AS bucket_day, {aggregates} FROM appeals \
         WHERE received_at >= $1 AND received_at < $2 AND status <> 'rejected' \
         GROUP BY unit_id, bucket_day \
         ON CONFLICT (unit_id, day) DO UPDATE SET {updates}",
        day = day_expr(),
        aggregates = aggregates("$3"),
        updates = updates.join(", "),
    );
    for (first, last) in runs(&days) {
        sqlx::query("DELETE FROM stats_daily WHERE day >= $1 AND day <= $2")
            .bind(first)
            .bind(last)
            .execute(&mut *conn)
            .await?;
        sqlx::query(&recompute)
            .bind(day_start(first))
            .bind(day_start(last + 1))
            .bind(now)
            .execute(&mut *conn)
            .await?;
        super::opinion::refresh_opinion_days(conn, first, last).await?;
    }
    Ok(())
}

/// Sorted days grouped into inclusive ranges, merging small gaps.
fn runs(days: &BTreeSet<i64>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &day in days {
        match out.last_mut() {
            Some((_, last)) if day - *last <= MERGE_GAP_DAYS => *last = day,
            _ => out.push((day, day)),
        }
    }
    out
}

fn counts_from(r: &super::Row) -> StoreResult<(Id, RateCounts)> {
    let get =
        |name: &str| -> StoreResult<i64> { Ok(r.try_get::<Option<i64>, _>(name)?.unwrap_or(0)) };
    Ok((
        r.try_get("unit_id")?,
        RateCounts {
            total: get("total")?,
            responded_on_time: get("responded_on_time")?,
            replied: get("replied")?,
            replied_on_time: get("replied_on_time")?,
            rated: get("rated")?,
            resolved: get("resolved")?,
            satisfied: get("satisfied")?,
            basic: get("basic")?,
            overdue: get("overdue")?,
            reopened: get("reopened")?,
        },
    ))
}

pub(crate) async fn rate_counts(
    conn: &mut Conn,
    from: Millis,
    to: Millis,
    now: Millis,
) -> StoreResult<Vec<UnitCounts>> {
    let mut totals: HashMap<Id, RateCounts> = HashMap::new();
    let mut add = |rows: Vec<super::Row>| -> StoreResult<()> {
        for r in &rows {
            let (unit, counts) = counts_from(r)?;
            let slot = totals.entry(unit).or_default();
            *slot = *slot + counts;
        }
        Ok(())
    };
    if from < to {
        // Whole days [first_full, end_full) come from the pre-aggregated table.
        let first_full = if day_start(day_of(from)) == from {
            day_of(from)
        } else {
            day_of(from) + 1
        };
        let end_full = day_of(to);
        let mut live = Vec::new();
        if first_full < end_full {
            let sums: Vec<String> = COUNT_COLUMNS
                .iter()
                .map(|c| format!("SUM({c}) AS {c}"))
                .collect();
            let sql = format!(
                "SELECT unit_id, {} FROM stats_daily WHERE day >= $1 AND day < $2 \
                 GROUP BY unit_id",
                sums.join(", ")
            );
            add(sqlx::query(&sql)
                .bind(first_full)
                .bind(end_full)
                .fetch_all(&mut *conn)
                .await?)?;
            live.push((from, day_start(first_full)));
            live.push((day_start(end_full), to));
        } else {
            live.push((from, to));
        }
        let sql = format!(
            "SELECT unit_id, {} FROM appeals \
             WHERE received_at >= $1 AND received_at < $2 AND status <> 'rejected' \
             GROUP BY unit_id",
            aggregates("$3")
        );
        for (lo, hi) in live.into_iter().filter(|(lo, hi)| lo < hi) {
            add(sqlx::query(&sql)
                .bind(lo)
                .bind(hi)
                .bind(now)
                .fetch_all(&mut *conn)
                .await?)?;
        }
    }
    let mut out: Vec<UnitCounts> = totals
        .into_iter()
        .map(|(unit_id, counts)| UnitCounts { unit_id, counts })
        .collect();
    out.sort_by_key(|u| u.unit_id);
    Ok(out)
}

#[async_trait]
impl RateStore for SqlStore {
    async fn rate_counts(
        &self,
        from: Millis,
        to: Millis,
        now: Millis,
    ) -> StoreResult<Vec<UnitCounts>> {
        read!(self, |c| rate_counts(c, from, to, now).await)
    }

    async fn refresh_stats(&self, now: Millis) -> StoreResult<()> {
        write!(self, |c| refresh(c, now).await)
    }

    async fn count_appeals(&self) -> StoreResult<i64> {
        read!(self, |c| {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appeals")
                .fetch_one(&mut *c)
                .await?;
            Ok(n)
        })
    }
}
