//! The opinion view (民意库): the period's appeals by category, kind, unit and day, from
//! the daily table for whole days and live at the edges.

use police_square_domain::{Category, Millis};
use sqlx::Row as _;

use super::super::{day_of, day_start, Conn, DAY_MS, DAY_OFFSET_MS};
use super::{scope_range, without_conduct};
use crate::error::StoreResult;
use crate::*;

fn negative_sum() -> &'static str {
    "SUM(CASE WHEN sentiment = 'negative' THEN 1 ELSE 0 END)"
}

/// Recompute the pre-aggregated opinion counts of days `first..=last` (called by the
/// statistics refresh for the days it recomputes).
pub(crate) async fn refresh_opinion_days(
    conn: &mut Conn,
    first: i64,
    last: i64,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM opinion_daily WHERE day >= $1 AND day <= $2")
        .bind(first)
        .bind(last)
        .execute(&mut *conn)
        .await?;
    let day = format!("(received_at + {DAY_OFFSET_MS}) / {DAY_MS}");
    let neg = negative_sum();
    let conduct = format!("COALESCE(category, '') = '{}'", Category::CONDUCT);
    for sql in [
        format!(
            "INSERT INTO opinion_daily (day, unit_id, dim, bucket, conduct, total, negative) \
             SELECT {day} AS d, unit_id, 'category', COALESCE(category, ''), {conduct}, \
             COUNT(*), {neg} FROM appeals WHERE received_at >= $1 AND received_at < $2 \
             GROUP BY d, unit_id, COALESCE(category, '')"
        ),
        format!(
            "INSERT INTO opinion_daily (day, unit_id, dim, bucket, conduct, total, negative) \
             SELECT {day} AS d, unit_id, 'kind', kind, {conduct} AS c, COUNT(*), {neg} \
             FROM appeals WHERE received_at >= $1 AND received_at < $2 \
             GROUP BY d, unit_id, kind, c"
        ),
    ] {
        sqlx::query(&sql)
            .bind(day_start(first))
            .bind(day_start(last + 1))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The four breakdowns of the view, in order.
const DIMENSIONS: [Dimension; 4] = [
    Dimension::Category,
    Dimension::Kind,
    Dimension::Unit,
    Dimension::Day,
];

#[derive(Clone, Copy)]
enum Dimension {
    Category,
    Kind,
    Unit,
    Day,
}

impl Dimension {
    /// The key over `appeals` (live part).
    fn live_key(self) -> String {
        match self {
            Dimension::Category => "COALESCE(category, '')".into(),
            Dimension::Kind => "kind".into(),
            Dimension::Unit => "CAST(unit_id AS TEXT)".into(),
            Dimension::Day => format!("CAST((received_at + {DAY_OFFSET_MS}) / {DAY_MS} AS TEXT)"),
        }
    }

    /// The key and row kind over `opinion_daily` (settled days).
    fn daily_key(self) -> (&'static str, &'static str) {
        match self {
            Dimension::Category => ("o.bucket", "category"),
            Dimension::Kind => ("o.bucket", "kind"),
            Dimension::Unit => ("CAST(o.unit_id AS TEXT)", "kind"),
            Dimension::Day => ("CAST(o.day AS TEXT)", "kind"),
        }
    }
}

/// Totals of the period's appeals in the scope by category, kind, unit and day. Whole
/// days before `q.settled_before` come from `opinion_daily`; the rest is counted live.
pub(crate) async fn opinion(conn: &mut Conn, q: &OpinionQuery) -> StoreResult<OpinionView> {
    let (lo, hi) = scope_range(q.scope.as_ref());
    // Whole days inside [from, to) that are settled.
    let first_day = day_of(q.from - 1) + 1;
    let end_day = day_of(q.to).min(day_of(q.settled_before));
    // Settled days [d0, d1) and the live ranges around them.
    type Split = (Option<(i64, i64)>, Vec<(Millis, Millis)>);
    let (settled, live): Split = if first_day < end_day {
        let (a, b) = (day_start(first_day), day_start(end_day));
        (
            Some((first_day, end_day)),
            [(q.from, a), (b, q.to)]
                .into_iter()
                .filter(|(f, t)| f < t)
                .collect(),
        )
    } else {
        (None, vec![(q.from, q.to)])
    };
    let mut view = OpinionView::default();
    for dim in DIMENSIONS {
        let mut merged: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
        let mut add = |k: String, n: i64, neg: i64| {
            let e = merged.entry(k).or_insert((0, 0));
            e.0 += n;
            e.1 += neg;
        };
        if let Some((d0, d1)) = settled {
            let (key, kind) = dim.daily_key();
            let conduct = if q.include_conduct {
                ""
            } else {
                " AND NOT o.conduct"
            };
            let sql = format!(
                "SELECT {key} AS k, CAST(SUM(o.total) AS BIGINT) AS n, \
                 CAST(SUM(o.negative) AS BIGINT) AS neg \
                 FROM opinion_daily o JOIN units u ON u.id = o.unit_id \
                 WHERE o.day >= $1 AND o.day < $2 AND o.dim = '{kind}' \
                 AND u.path >= $3 AND u.path < $4{conduct} GROUP BY {key}"
            );
            let rows = sqlx::query(&sql)
                .bind(d0)
                .bind(d1)
                .bind(&lo)
                .bind(&hi)
                .fetch_all(&mut *conn)
                .await?;
            for r in &rows {
                add(
                    r.try_get("k")?,
                    r.try_get::<Option<i64>, _>("n")?.unwrap_or(0),
                    r.try_get::<Option<i64>, _>("neg")?.unwrap_or(0),
                );
            }
        }
        let conduct = without_conduct(q.include_conduct);
        let key = dim.live_key();
        let sql = format!(
            "SELECT {key} AS k, COUNT(*) AS n, {neg} AS neg \
             FROM appeals WHERE received_at >= $1 AND received_at < $2 \
             AND unit_path >= $3 AND unit_path < $4{conduct} GROUP BY {key}",
            neg = negative_sum()
        );
        for (from, to) in &live {
            let rows = sqlx::query(&sql)
                .bind(from)
                .bind(to)
                .bind(&lo)
                .bind(&hi)
                .fetch_all(&mut *conn)
                .await?;
            for r in &rows {
                add(
                    r.try_get("k")?,
                    r.try_get("n")?,
                    r.try_get::<Option<i64>, _>("neg")?.unwrap_or(0),
                );
            }
        }
        let mut buckets: Vec<OpinionBucket> = merged
            .into_iter()
            .filter(|(_, (n, _))| *n > 0)
            .map(|(key, (total, negative))| OpinionBucket {
                key,
                total,
                negative,
            })
            .collect();
        match dim {
            Dimension::Day => {
                buckets.sort_by_key(|b| b.key.parse::<i64>().unwrap_or(0));
                view.by_day = buckets;
            }
            _ => {
                buckets.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
                match dim {
                    Dimension::Category => {
                        view.total = buckets.iter().map(|b| b.total).sum();
                        view.negative = buckets.iter().map(|b| b.negative).sum();
                        view.by_category = buckets;
                    }
                    Dimension::Kind => view.by_kind = buckets,
                    _ => view.by_unit = buckets,
                }
            }
        }
    }
    Ok(view)
}
