//! Opinion analysis storage: corrections and retrained models, clusters, emerging-issue
//! alerts, and the grouped counts behind the opinion view (民意库).

use police_square_domain::{org::UnitPath, Category, Millis};
use sqlx::Row as _;

use async_trait::async_trait;

use super::{rows, settings, subtree_range, Conn, Row, SqlStore, DAY_MS, DAY_OFFSET_MS};
use crate::error::{StoreError, StoreResult};
use crate::*;

// ── corrections and models ───────────────────────────────────────────────

/// Record a hand-set category (a change whose patch says `category_corrected`).
pub(crate) async fn record_correction(
    conn: &mut Conn,
    appeal_id: Id,
    from: Option<&str>,
    to: &str,
    staff_id: Option<Id>,
    at: Millis,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO category_corrections (appeal_id, from_category, to_category, staff_id, at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(appeal_id)
    .bind(from)
    .bind(to)
    .bind(staff_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(crate) async fn corrections(
    conn: &mut Conn,
    after: Id,
    limit: u32,
) -> StoreResult<Vec<CategoryCorrection>> {
    let rows = sqlx::query(
        "SELECT c.id, c.appeal_id, a.text, c.from_category, c.to_category, c.at \
         FROM category_corrections c JOIN appeals a ON a.id = c.appeal_id \
         WHERE c.id > $1 ORDER BY c.id LIMIT $2",
    )
    .bind(after)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CategoryCorrection {
                id: r.try_get("id")?,
                appeal_id: r.try_get("appeal_id")?,
                text: r.try_get("text")?,
                from_category: r.try_get("from_category")?,
                to_category: r.try_get("to_category")?,
                at: r.try_get("at")?,
            })
        })
        .collect()
}

pub(crate) async fn latest_correction_id(conn: &mut Conn) -> StoreResult<Id> {
    let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM category_corrections")
        .fetch_one(&mut *conn)
        .await?;
    Ok(id.unwrap_or(0))
}

const MODEL_COLUMNS: &str = "id, trained_at, corrections_through, corrections, model";

fn text_model(r: &Row) -> StoreResult<TextModel> {
    Ok(TextModel {
        id: r.try_get("id")?,
        trained_at: r.try_get("trained_at")?,
        corrections_through: r.try_get("corrections_through")?,
        corrections: r.try_get("corrections")?,
        model: r.try_get("model")?,
    })
}

pub(crate) async fn latest_text_model(conn: &mut Conn) -> StoreResult<Option<TextModel>> {
    let sql = format!("SELECT {MODEL_COLUMNS} FROM text_models ORDER BY id DESC LIMIT 1");
    let row = sqlx::query(&sql).fetch_optional(&mut *conn).await?;
    row.as_ref().map(text_model).transpose()
}

pub(crate) async fn latest_text_model_id(conn: &mut Conn) -> StoreResult<Option<Id>> {
    Ok(sqlx::query_scalar("SELECT MAX(id) FROM text_models")
        .fetch_one(&mut *conn)
        .await?)
}

pub(crate) async fn save_text_model(
    conn: &mut Conn,
    trained_at: Millis,
    corrections_through: Id,
    corrections: i64,
    model: &str,
) -> StoreResult<Id> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO text_models (trained_at, corrections_through, corrections, model) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(trained_at)
    .bind(corrections_through)
    .bind(corrections)
    .bind(model)
    .fetch_one(&mut *conn)
    .await?;
    // Older models are never read again.
    sqlx::query("DELETE FROM text_models WHERE id < $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

// ── appeals as the analysis jobs read them ───────────────────────────────

/// Appeals after `after_id` received at or after `since`, in id order.
pub(crate) async fn analysis_rows(
    conn: &mut Conn,
    after_id: Id,
    since: Millis,
    limit: u32,
) -> StoreResult<Vec<AnalysisRow>> {
    let rows = sqlx::query(
        "SELECT id, text, search_text, received_at, unit_path, category, cluster_id \
         FROM appeals WHERE id > $1 AND received_at >= $2 ORDER BY id LIMIT $3",
    )
    .bind(after_id)
    .bind(since)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AnalysisRow {
                id: r.try_get("id")?,
                text: r.try_get("text")?,
                search_text: r.try_get("search_text")?,
                received_at: r.try_get("received_at")?,
                unit_path: path(r.try_get("unit_path")?)?,
                category: r.try_get("category")?,
                cluster_id: r.try_get("cluster_id")?,
            })
        })
        .collect()
}

fn path(value: &str) -> StoreResult<UnitPath> {
    UnitPath::parse(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

// ── clusters (一事多诉) ───────────────────────────────────────────────────

/// Apply the links and move the job's cursor, in one transaction.
pub(crate) async fn save_clusters(
    conn: &mut Conn,
    links: &[ClusterLink],
    cursor_key: &str,
    cursor: Id,
) -> StoreResult<Vec<Id>> {
    let mut ids = Vec::with_capacity(links.len());
    for link in links {
        let Some(&first) = link.appeal_ids.first() else {
            continue;
        };
        let n = link.appeal_ids.len() as i64;
        let id: i64 = match link.cluster {
            Some(id) => {
                sqlx::query(
                    "UPDATE clusters SET size = size + $2, \
                     last_at = CASE WHEN last_at > $3 THEN last_at ELSE $3 END WHERE id = $1",
                )
                .bind(id)
                .bind(n)
                .bind(link.last_at)
                .execute(&mut *conn)
                .await?;
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO clusters (first_appeal_id, unit_path, category, label, size, \
                     first_at, last_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(first)
                .bind(link.unit_path.as_str())
                .bind(link.category.as_deref())
                .bind(&link.label)
                .bind(n)
                .bind(link.first_at)
                .bind(link.last_at)
                .fetch_one(&mut *conn)
                .await?
            }
        };
        for appeal in &link.appeal_ids {
            sqlx::query("UPDATE appeals SET cluster_id = $1 WHERE id = $2")
                .bind(id)
                .bind(appeal)
                .execute(&mut *conn)
                .await?;
        }
        ids.push(id);
    }
    settings::put_setting(conn, cursor_key, &cursor.to_string()).await?;
    Ok(ids)
}

const CLUSTER_COLUMNS: &str =
    "id, first_appeal_id, unit_path, category, label, size, first_at, last_at";

fn cluster(r: &Row) -> StoreResult<Cluster> {
    Ok(Cluster {
        id: r.try_get("id")?,
        first_appeal_id: r.try_get("first_appeal_id")?,
        unit_path: path(r.try_get("unit_path")?)?,
        category: r.try_get("category")?,
        label: r.try_get("label")?,
        size: r.try_get("size")?,
        first_at: r.try_get("first_at")?,
        last_at: r.try_get("last_at")?,
    })
}

pub(crate) async fn cluster_by_id(conn: &mut Conn, id: Id) -> StoreResult<Option<Cluster>> {
    let sql = format!("SELECT {CLUSTER_COLUMNS} FROM clusters WHERE id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(cluster).transpose()
}

/// The largest clusters active in the period, started within the scope.
pub(crate) async fn top_clusters(
    conn: &mut Conn,
    q: &OpinionQuery,
    limit: u32,
) -> StoreResult<Vec<Cluster>> {
    let (lo, hi) = scope_range(q.scope.as_ref());
    let conduct = without_conduct(q.include_conduct);
    let sql = format!(
        "SELECT {CLUSTER_COLUMNS} FROM clusters WHERE last_at >= $1 AND first_at < $2 \
         AND unit_path >= $3 AND unit_path < $4{conduct} \
         ORDER BY size DESC, last_at DESC LIMIT $5"
    );
    let rows = sqlx::query(&sql)
        .bind(q.from)
        .bind(q.to)
        .bind(lo)
        .bind(hi)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(cluster).collect()
}

/// The SQL condition that leaves out the confidential conduct track, unless included.
fn without_conduct(include_conduct: bool) -> String {
    if include_conduct {
        String::new()
    } else {
        format!(
            " AND (category IS NULL OR category <> '{}')",
            Category::CONDUCT
        )
    }
}

/// `[lo, hi)` of unit paths in scope; everything without one.
fn scope_range(scope: Option<&UnitPath>) -> (String, String) {
    match scope {
        Some(s) => subtree_range(s.as_str()),
        // Every path starts with '/', and '0' sorts after it.
        None => ("/".into(), "0".into()),
    }
}

/// Appeals of a cluster (or of an alert) visible in the scope, newest first.
pub(crate) async fn member_appeals(
    conn: &mut Conn,
    of: Members,
    scope: Option<&UnitPath>,
    include_conduct: bool,
    limit: u32,
) -> StoreResult<Vec<AppealSummary>> {
    let (lo, hi) = scope_range(scope);
    let conduct = without_conduct(include_conduct);
    let (from, id) = match of {
        Members::Cluster(id) => ("appeals WHERE cluster_id = $1", id),
        Members::Alert(id) => (
            "appeals WHERE id IN (SELECT appeal_id FROM emerging_alert_appeals WHERE alert_id = $1)",
            id,
        ),
    };
    let sql = format!(
        "SELECT {} FROM {from} AND unit_path >= $2 AND unit_path < $3{conduct} \
         ORDER BY received_at DESC, id DESC LIMIT $4",
        rows::SUMMARY_COLUMNS
    );
    let rows = sqlx::query(&sql)
        .bind(id)
        .bind(lo)
        .bind(hi)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(rows::summary).collect()
}

// ── emerging issues (未诉先办) ────────────────────────────────────────────

const ALERT_COLUMNS: &str = "a.id, a.district_unit_id, a.unit_path, a.period_start, \
    a.period_end, a.keywords, a.categories, a.observed, a.expected, a.p_value, a.detected_at, \
    a.status, a.handled_by, a.note, \
    (SELECT COUNT(*) FROM emerging_alert_appeals l WHERE l.alert_id = a.id) AS appeal_count";

fn alert(r: &Row) -> StoreResult<EmergingAlertRecord> {
    let list = |col: &str| -> StoreResult<Vec<String>> {
        let raw: String = r.try_get(col)?;
        serde_json::from_str(&raw).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
    };
    Ok(EmergingAlertRecord {
        id: r.try_get("id")?,
        district_unit_id: r.try_get("district_unit_id")?,
        unit_path: path(r.try_get("unit_path")?)?,
        period_start: r.try_get("period_start")?,
        period_end: r.try_get("period_end")?,
        keywords: list("keywords")?,
        categories: list("categories")?,
        observed: r.try_get("observed")?,
        expected: r.try_get("expected")?,
        p_value: r.try_get("p_value")?,
        detected_at: r.try_get("detected_at")?,
        status: super::parse_key(r.try_get("status")?, "alert status")?,
        handled_by: r.try_get("handled_by")?,
        note: r.try_get("note")?,
        appeal_count: r.try_get("appeal_count")?,
    })
}

/// Store an alert, or fold it into an earlier one of the same district whose period
/// overlaps it and that shares a keyword (a burst is reported once, however many days
/// the detector sees it). Returns the alert id and whether it is new.
pub(crate) async fn save_alert(conn: &mut Conn, a: &NewEmergingAlert) -> StoreResult<(Id, bool)> {
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM emerging_alerts a \
         WHERE (a.unit_path LIKE ($1 || '%') OR $1 LIKE (a.unit_path || '%')) \
         AND a.period_end >= $2 AND a.period_start <= $3 ORDER BY a.id"
    );
    // The same burst may first be seen at a station and later for its whole
    // district (or the other way round): places on one line of the tree match.
    let earlier = sqlx::query(&sql)
        .bind(a.unit_path.as_str())
        .bind(a.period_start)
        .bind(a.period_end)
        .fetch_all(&mut *conn)
        .await?;
    let mut same = None;
    for row in &earlier {
        let e = alert(row)?;
        if e.keywords.iter().any(|k| a.keywords.contains(k)) {
            same = Some(e);
            break;
        }
    }
    let json = |v: &Vec<String>| serde_json::to_string(v).expect("strings serialize");
    let (id, new) =
        match same {
            Some(e) => {
                let mut keywords = e.keywords.clone();
                for k in &a.keywords {
                    if !keywords.contains(k) {
                        keywords.push(k.clone());
                    }
                }
                keywords.truncate(12);
                let mut categories = e.categories.clone();
                for c in &a.categories {
                    if !categories.contains(c) {
                        categories.push(c.clone());
                    }
                }
                // The alert keeps the wider of the two places.
                let (place_id, place_path) =
                    if a.unit_path.as_str().len() < e.unit_path.as_str().len() {
                        (a.district_unit_id, &a.unit_path)
                    } else {
                        (e.district_unit_id, &e.unit_path)
                    };
                sqlx::query(
                "UPDATE emerging_alerts SET period_start = $2, period_end = $3, keywords = $4, \
                 categories = $5, observed = $6, expected = $7, p_value = $8, detected_at = $9, \
                 district_unit_id = $10, unit_path = $11 WHERE id = $1",
            )
            .bind(e.id)
            .bind(e.period_start.min(a.period_start))
            .bind(e.period_end.max(a.period_end))
            .bind(json(&keywords))
            .bind(json(&categories))
            .bind(e.observed.max(a.observed))
            .bind(if a.observed > e.observed { a.expected } else { e.expected })
            .bind(e.p_value.min(a.p_value))
            .bind(a.detected_at)
            .bind(place_id)
            .bind(place_path.as_str())
            .execute(&mut *conn)
            .await?;
                (e.id, false)
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO emerging_alerts (district_unit_id, unit_path, period_start, \
                 period_end, keywords, categories, observed, expected, p_value, detected_at, \
                 status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open') RETURNING id",
                )
                .bind(a.district_unit_id)
                .bind(a.unit_path.as_str())
                .bind(a.period_start)
                .bind(a.period_end)
                .bind(json(&a.keywords))
                .bind(json(&a.categories))
                .bind(a.observed)
                .bind(a.expected)
                .bind(a.p_value)
                .bind(a.detected_at)
                .fetch_one(&mut *conn)
                .await
                .map_err(|e| super::constraint(e, "district"))?;
                (id, true)
            }
        };
    for appeal in &a.appeal_ids {
        sqlx::query(
            "INSERT INTO emerging_alert_appeals (alert_id, appeal_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(appeal)
        .execute(&mut *conn)
        .await
        .map_err(|e| super::constraint(e, "appeal"))?;
    }
    Ok((id, new))
}

/// Alerts overlapping `[from, to)` that concern the scope: the district is inside it,
/// or it is inside the district (a station sees its district's alerts).
pub(crate) async fn alerts(
    conn: &mut Conn,
    scope: Option<&UnitPath>,
    from: Millis,
    to: Millis,
    limit: u32,
) -> StoreResult<Vec<EmergingAlertRecord>> {
    let (lo, hi) = scope_range(scope);
    let inside = scope.map(|s| s.as_str().to_owned()).unwrap_or_default();
    let sql = format!(
        "SELECT {ALERT_COLUMNS} FROM emerging_alerts a \
         WHERE a.period_end > $1 AND a.period_start < $2 \
         AND ((a.unit_path >= $3 AND a.unit_path < $4) \
              OR substr($5, 1, length(a.unit_path)) = a.unit_path) \
         ORDER BY a.period_end DESC, a.id DESC LIMIT $6"
    );
    let rows = sqlx::query(&sql)
        .bind(from)
        .bind(to)
        .bind(lo)
        .bind(hi)
        .bind(inside)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(alert).collect()
}

pub(crate) async fn alert_by_id(
    conn: &mut Conn,
    id: Id,
) -> StoreResult<Option<EmergingAlertRecord>> {
    let sql = format!("SELECT {ALERT_COLUMNS} FROM emerging_alerts a WHERE a.id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(alert).transpose()
}

pub(crate) async fn set_alert_status(
    conn: &mut Conn,
    id: Id,
    status: AlertStatus,
    staff_id: Id,
    note: Option<&str>,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE emerging_alerts SET status = $2, handled_by = $3, note = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(staff_id)
    .bind(note)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

// ── the opinion view (民意库) ─────────────────────────────────────────────

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
            .bind(super::day_start(first))
            .bind(super::day_start(last + 1))
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
    let first_day = super::day_of(q.from - 1) + 1;
    let end_day = super::day_of(q.to).min(super::day_of(q.settled_before));
    // Settled days [d0, d1) and the live ranges around them.
    type Split = (Option<(i64, i64)>, Vec<(Millis, Millis)>);
    let (settled, live): Split = if first_day < end_day {
        let (a, b) = (super::day_start(first_day), super::day_start(end_day));
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

/// Who a member list is read for.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Members {
    Cluster(Id),
    Alert(Id),
}

#[async_trait]
impl OpinionStore for SqlStore {
    async fn corrections(&self, after: Id, limit: u32) -> StoreResult<Vec<CategoryCorrection>> {
        read!(self, |c| corrections(c, after, limit).await)
    }

    async fn latest_correction_id(&self) -> StoreResult<Id> {
        read!(self, |c| latest_correction_id(c).await)
    }

    async fn latest_text_model(&self) -> StoreResult<Option<TextModel>> {
        read!(self, |c| latest_text_model(c).await)
    }

    async fn latest_text_model_id(&self) -> StoreResult<Option<Id>> {
        read!(self, |c| latest_text_model_id(c).await)
    }

    async fn save_text_model(
        &self,
        trained_at: Millis,
        corrections_through: Id,
        corrections: i64,
        model: &str,
    ) -> StoreResult<Id> {
        write!(self, |c| save_text_model(
            c,
            trained_at,
            corrections_through,
            corrections,
            model
        )
        .await)
    }

    async fn analysis_rows(
        &self,
        after_id: Id,
        since: Millis,
        limit: u32,
    ) -> StoreResult<Vec<AnalysisRow>> {
        read!(self, |c| analysis_rows(c, after_id, since, limit).await)
    }

    async fn save_clusters(
        &self,
        links: &[ClusterLink],
        cursor_key: &str,
        cursor: Id,
    ) -> StoreResult<Vec<Id>> {
        write!(self, |c| save_clusters(c, links, cursor_key, cursor).await)
    }

    async fn cluster(&self, id: Id) -> StoreResult<Option<Cluster>> {
        read!(self, |c| cluster_by_id(c, id).await)
    }

    async fn top_clusters(&self, q: &OpinionQuery, limit: u32) -> StoreResult<Vec<Cluster>> {
        read!(self, |c| top_clusters(c, q, limit).await)
    }

    async fn cluster_appeals(
        &self,
        cluster_id: Id,
        scope: Option<&UnitPath>,
        include_conduct: bool,
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>> {
        let of = Members::Cluster(cluster_id);
        read!(self, |c| member_appeals(
            c,
            of,
            scope,
            include_conduct,
            limit
        )
        .await)
    }

    async fn save_alert(&self, alert: &NewEmergingAlert) -> StoreResult<(Id, bool)> {
        write!(self, |c| save_alert(c, alert).await)
    }

    async fn alerts(
        &self,
        scope: Option<&UnitPath>,
        from: Millis,
        to: Millis,
        limit: u32,
    ) -> StoreResult<Vec<EmergingAlertRecord>> {
        read!(self, |c| alerts(c, scope, from, to, limit).await)
    }

    async fn alert(&self, id: Id) -> StoreResult<Option<EmergingAlertRecord>> {
        read!(self, |c| alert_by_id(c, id).await)
    }

    async fn alert_appeals(
        &self,
        alert_id: Id,
        scope: Option<&UnitPath>,
        include_conduct: bool,
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>> {
        let of = Members::Alert(alert_id);
        read!(self, |c| member_appeals(
            c,
            of,
            scope,
            include_conduct,
            limit
        )
        .await)
    }

    async fn set_alert_status(
        &self,
        id: Id,
        status: AlertStatus,
        staff_id: Id,
        note: Option<&str>,
    ) -> StoreResult<()> {
        write!(self, |c| set_alert_status(c, id, status, staff_id, note)
            .await)
    }

    async fn opinion(&self, q: &OpinionQuery) -> StoreResult<OpinionView> {
        read!(self, |c| opinion(c, q).await)
    }
}
