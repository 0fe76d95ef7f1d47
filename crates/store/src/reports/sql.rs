//! Opinion analysis reports (民意研判周报/月报/季报): the aggregates a report is
//! assembled from, and the stored reports with their annotations.
//!
//! Every aggregate reads appeals received in `[from, to)` within a unit subtree,
//! rejected ones excluded (as the three rates do), through the covering index
//! `appeals_report (received_at, unit_path, status, unit_id, kind, channel, category,
//! cluster_id)`: a month of a million-appeal table is one index range scan, grouped in
//! the database; only the groups cross the wire.
//!
//! A published report is frozen: [`save_draft`] never touches it, and its content is
//! the snapshot taken when it was generated.

use std::collections::HashMap;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis};
use sqlx::Row as _;

use super::{audit, dialect, parse_key, subtree_range, Conn, Row, SqlStore, DAY_MS, DAY_OFFSET_MS};
use crate::error::{StoreError, StoreResult};
use crate::*;

/// The period and scope condition every aggregate shares: `$1..$4`.
const IN_PERIOD: &str = "received_at >= $1 AND received_at < $2 \
    AND unit_path >= $3 AND unit_path < $4 AND status <> 'rejected'";

fn bind_period<'q>(
    query: super::Query<'q>,
    scope: &UnitPath,
    from: Millis,
    to: Millis,
) -> super::Query<'q> {
    let (lo, hi) = subtree_range(scope.as_str());
    query.bind(from).bind(to).bind(lo).bind(hi)
}

/// Appeals per owning unit, kind, channel and category.
pub(crate) async fn volume(
    conn: &mut Conn,
    scope: &UnitPath,
    from: Millis,
    to: Millis,
) -> StoreResult<Vec<VolumeCount>> {
    let sql = format!(
        "SELECT unit_id, kind, channel, category, COUNT(*) AS n FROM appeals \
         WHERE {IN_PERIOD} GROUP BY unit_id, kind, channel, category"
    );
    let rows = bind_period(sqlx::query(&sql), scope, from, to)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(VolumeCount {
                unit_id: r.try_get("unit_id")?,
                kind: parse_key(r.try_get("kind")?, "appeal kind")?,
                channel: parse_key(r.try_get("channel")?, "channel")?,
                category: r.try_get("category")?,
                count: r.try_get("n")?,
            })
        })
        .collect()
}

/// Appeals per China Standard Time day, in day order (days without appeals omitted).
pub(crate) async fn daily(
    conn: &mut Conn,
    scope: &UnitPath,
    from: Millis,
    to: Millis,
) -> StoreResult<Vec<DayCount>> {
    let sql = format!(
        "SELECT (received_at + {DAY_OFFSET_MS}) / {DAY_MS} AS d, COUNT(*) AS n FROM appeals \
         WHERE {IN_PERIOD} GROUP BY d ORDER BY d"
    );
    let rows = bind_period(sqlx::query(&sql), scope, from, to)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DayCount {
                day: r.try_get("d")?,
                count: r.try_get("n")?,
            })
        })
        .collect()
}

/// Clusters with two or more appeals in the period: totals and the `top` largest.
pub(crate) async fn clusters(
    conn: &mut Conn,
    scope: &UnitPath,
    from: Millis,
    to: Millis,
    top: u32,
) -> StoreResult<ClusterSummary> {
    let sql = format!(
        "SELECT cluster_id, COUNT(*) AS n FROM appeals \
         WHERE {IN_PERIOD} AND cluster_id IS NOT NULL \
         GROUP BY cluster_id HAVING COUNT(*) >= 2"
    );
    let rows = bind_period(sqlx::query(&sql), scope, from, to)
        .fetch_all(&mut *conn)
        .await?;
    let mut counts: Vec<(Id, i64)> = rows
        .iter()
        .map(|r| Ok((r.try_get("cluster_id")?, r.try_get("n")?)))
        .collect::<StoreResult<_>>()?;
    let mut summary = ClusterSummary {
        clusters: counts.len() as i64,
        appeals: counts.iter().map(|(_, n)| n).sum(),
        top: Vec::new(),
    };
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.truncate(top as usize);
    if counts.is_empty() {
        return Ok(summary);
    }
    let in_period: HashMap<Id, i64> = counts.iter().copied().collect();
    let marks: Vec<String> = (1..=counts.len()).map(dialect::placeholder).collect();
    let sql = format!(
        "SELECT id, label, category, unit_path, size, first_at, last_at FROM clusters \
         WHERE id IN ({})",
        marks.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for (id, _) in &counts {
        query = query.bind(*id);
    }
    let found = query.fetch_all(&mut *conn).await?;
    let mut by_id: HashMap<Id, ClusterActivity> = HashMap::new();
    for r in &found {
        let id: Id = r.try_get("id")?;
        by_id.insert(
            id,
            ClusterActivity {
                cluster_id: id,
                label: r.try_get("label")?,
                category: r.try_get("category")?,
                unit_path: r.try_get("unit_path")?,
                in_period: in_period.get(&id).copied().unwrap_or(0),
                size: r.try_get("size")?,
                first_at: r.try_get("first_at")?,
                last_at: r.try_get("last_at")?,
            },
        );
    }
    summary.top = counts
        .iter()
        .filter_map(|(id, _)| by_id.remove(id))
        .collect();
    Ok(summary)
}

fn string_list(value: &str, what: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(value).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

/// Emerging-issue alerts overlapping the period within the scope (dismissed ones
/// left out), most significant first.
pub(crate) async fn emerging(
    conn: &mut Conn,
    scope: &UnitPath,
    from: Millis,
    to: Millis,
    limit: u32,
) -> StoreResult<Vec<EmergingAlertInfo>> {
    let (lo, hi) = subtree_range(scope.as_str());
    let rows = sqlx::query(
        "SELECT e.id, e.district_unit_id, e.period_start, e.period_end, e.keywords, \
         e.categories, e.observed, e.expected, e.p_value, e.status, \
         (SELECT COUNT(*) FROM emerging_alert_appeals x WHERE x.alert_id = e.id) AS appeals \
         FROM emerging_alerts e \
         WHERE e.period_start < $2 AND e.period_end > $1 \
         AND e.unit_path >= $3 AND e.unit_path < $4 AND e.status <> 'dismissed' \
         ORDER BY e.p_value, e.observed DESC, e.id LIMIT $5",
    )
    .bind(from)
    .bind(to)
    .bind(lo)
    .bind(hi)
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EmergingAlertInfo {
                id: r.try_get("id")?,
                district_unit_id: r.try_get("district_unit_id")?,
                period_start: r.try_get("period_start")?,
                period_end: r.try_get("period_end")?,
                keywords: string_list(r.try_get("keywords")?, "alert keywords")?,
                categories: string_list(r.try_get("categories")?, "alert categories")?,
                observed: r.try_get("observed")?,
                expected: r.try_get("expected")?,
                p_value: r.try_get("p_value")?,
                status: r.try_get("status")?,
                appeals: r.try_get("appeals")?,
            })
        })
        .collect()
}

/// The newest appeals of one category in the period and scope, for quoting (praise is
/// not a concern, so never a candidate). Conduct complaints (a confidential track) are
/// never candidates: neither the category
/// `conduct` nor any appeal about a unit (`subject_unit_id`).
///
/// The category is compared through `COALESCE` on purpose: it keeps both planners off
/// the `appeals_category` index (every appeal of the category in the scope, then a
/// sort: a second per category over a million appeals) and on `appeals_report`, walked
/// newest first, which stops after `limit` matches (under a millisecond).
pub(crate) async fn quote_candidates(
    conn: &mut Conn,
    scope: &UnitPath,
    from: Millis,
    to: Millis,
    category: &str,
    limit: u32,
) -> StoreResult<Vec<QuoteCandidate>> {
    let sql = format!(
        "SELECT id, text, received_at, unit_id, cluster_id FROM appeals \
         WHERE {IN_PERIOD} AND COALESCE(category, '') = $5 AND category <> 'conduct' \
         AND kind <> 'praise' AND subject_unit_id IS NULL \
         ORDER BY received_at DESC, id DESC LIMIT $6"
    );
    let rows = bind_period(sqlx::query(&sql), scope, from, to)
        .bind(category)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(QuoteCandidate {
                appeal_id: r.try_get("id")?,
                text: r.try_get("text")?,
                received_at: r.try_get("received_at")?,
                unit_id: r.try_get("unit_id")?,
                cluster_id: r.try_get("cluster_id")?,
            })
        })
        .collect()
}

// ── stored reports ──────────────────────────────────────────────────────

const META_COLUMNS: &str = "r.id, r.kind, r.period_start, r.period_end, r.unit_id, \
    r.unit_path, r.status, r.generated_at, r.generated_by, r.published_at, r.published_by";

fn meta(r: &Row) -> StoreResult<ReportMeta> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let path: String = r.try_get("unit_path")?;
    Ok(ReportMeta {
        id: r.try_get("id")?,
        kind: ReportKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("report kind: unknown key `{kind}`")))?,
        period_start: r.try_get("period_start")?,
        period_end: r.try_get("period_end")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: UnitPath::parse(&path).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        status: match status.as_str() {
            "draft" => ReportStatus::Draft,
            "published" => ReportStatus::Published,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "report status: unknown key `{other}`"
                )))
            }
        },
        generated_at: r.try_get("generated_at")?,
        generated_by: r.try_get("generated_by")?,
        published_at: r.try_get("published_at")?,
        published_by: r.try_get("published_by")?,
    })
}

fn actor(staff_id: Option<Id>) -> String {
    match staff_id {
        Some(id) => Actor::Staff(id).label(),
        None => Actor::System.label(),
    }
}

/// Inserts the draft, or replaces the content of the draft already there for the same
/// unit, kind and period start. A published report is left exactly as it is and
/// returned: callers see from its status that nothing was written. Audited as
/// `report.generated` when something was written.
pub(crate) async fn save_draft(conn: &mut Conn, new: &NewReport) -> StoreResult<Report> {
    let path = super::org::unit_path(conn, new.unit_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let written: Option<Id> = sqlx::query_scalar(
        "INSERT INTO reports (kind, period_start, period_end, unit_id, unit_path, status, \
         content, generated_at, generated_by) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8) \
         ON CONFLICT (unit_id, kind, period_start) DO UPDATE SET \
         period_end = excluded.period_end, content = excluded.content, \
         generated_at = excluded.generated_at, generated_by = excluded.generated_by \
         WHERE reports.status = 'draft' \
         RETURNING id",
    )
    .bind(new.kind.as_str())
    .bind(new.period_start)
    .bind(new.period_end)
    .bind(new.unit_id)
    .bind(path.as_str())
    .bind(&new.content)
    .bind(new.generated_at)
    .bind(new.generated_by)
    .fetch_optional(&mut *conn)
    .await?;
    let id = match written {
        Some(id) => {
            audit::append_all(
                conn,
                &[NewAudit {
                    at: new.generated_at,
                    actor: actor(new.generated_by),
                    action: "report.generated".into(),
                    subject: format!("report:{id}"),
                    detail: format!(
                        "{} unit {} from {}",
                        new.kind.as_str(),
                        new.unit_id,
                        new.period_start
                    ),
                }],
            )
            .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "SELECT id FROM reports WHERE unit_id = $1 AND kind = $2 AND period_start = $3",
            )
            .bind(new.unit_id)
            .bind(new.kind.as_str())
            .bind(new.period_start)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    report(conn, id).await?.ok_or(StoreError::NotFound)
}

pub(crate) async fn report(conn: &mut Conn, id: Id) -> StoreResult<Option<Report>> {
    let sql = format!("SELECT {META_COLUMNS}, r.content FROM reports r WHERE r.id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        Ok(Report {
            meta: meta(&r)?,
            content: r.try_get("content")?,
        })
    })
    .transpose()
}

pub(crate) async fn report_for(
    conn: &mut Conn,
    unit_id: Id,
    kind: ReportKind,
    period_start: Millis,
) -> StoreResult<Option<ReportMeta>> {
    let sql = format!(
        "SELECT {META_COLUMNS} FROM reports r \
         WHERE r.unit_id = $1 AND r.kind = $2 AND r.period_start = $3"
    );
    let row = sqlx::query(&sql)
        .bind(unit_id)
        .bind(kind.as_str())
        .bind(period_start)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(meta).transpose()
}

/// Reports of units inside `scope`, newest period first.
pub(crate) async fn reports_in(
    conn: &mut Conn,
    scope: &UnitPath,
    limit: u32,
) -> StoreResult<Vec<ReportMeta>> {
    let (lo, hi) = subtree_range(scope.as_str());
    let sql = format!(
        "SELECT {META_COLUMNS} FROM reports r WHERE r.unit_path >= $1 AND r.unit_path < $2 \
         ORDER BY r.period_start DESC, r.unit_path, r.kind, r.id DESC LIMIT $3"
    );
    let rows = sqlx::query(&sql)
        .bind(lo)
        .bind(hi)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(meta).collect()
}

/// Publishes a draft (audited as `report.published`); publishing a published report is
/// a [`StoreError::Conflict`].
pub(crate) async fn publish(conn: &mut Conn, id: Id, by: Id, at: Millis) -> StoreResult<Report> {
    let done = sqlx::query(
        "UPDATE reports SET status = 'published', published_at = $2, published_by = $3 \
         WHERE id = $1 AND status = 'draft'",
    )
    .bind(id)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return match report(conn, id).await? {
            Some(_) => Err(StoreError::Conflict("report already published".into())),
            None => Err(StoreError::NotFound),
        };
    }
    audit::append_all(
        conn,
        &[NewAudit {
            at,
            actor: Actor::Staff(by).label(),
            action: "report.published".into(),
            subject: format!("report:{id}"),
            detail: String::new(),
        }],
    )
    .await?;
    report(conn, id).await?.ok_or(StoreError::NotFound)
}

fn annotation(r: &Row) -> StoreResult<ReportAnnotation> {
    Ok(ReportAnnotation {
        id: r.try_get("id")?,
        report_id: r.try_get("report_id")?,
        author_id: r.try_get("author_id")?,
        author_name: r.try_get("display_name")?,
        at: r.try_get("at")?,
        text: r.try_get("text")?,
    })
}

/// Adds a note to a published report (a draft is a [`StoreError::Conflict`]), audited as
/// `report.annotated` with the note's text.
pub(crate) async fn annotate(
    conn: &mut Conn,
    report_id: Id,
    author_id: Id,
    at: Millis,
    text: &str,
) -> StoreResult<ReportAnnotation> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM reports WHERE id = $1")
        .bind(report_id)
        .fetch_optional(&mut *conn)
        .await?;
    match status.as_deref() {
        None => return Err(StoreError::NotFound),
        Some("published") => {}
        Some(_) => return Err(StoreError::Conflict("report not published".into())),
    }
    let id: Id = sqlx::query_scalar(
        "INSERT INTO report_annotations (report_id, author_id, at, text) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(report_id)
    .bind(author_id)
    .bind(at)
    .bind(text)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| super::constraint(e, "annotation"))?;
    audit::append_all(
        conn,
        &[NewAudit {
            at,
            actor: Actor::Staff(author_id).label(),
            action: "report.annotated".into(),
            subject: format!("report:{report_id}"),
            detail: text.to_owned(),
        }],
    )
    .await?;
    let row = sqlx::query(
        "SELECT a.id, a.report_id, a.author_id, s.display_name, a.at, a.text \
         FROM report_annotations a JOIN staff s ON s.id = a.author_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    annotation(&row)
}

pub(crate) async fn annotations(
    conn: &mut Conn,
    report_id: Id,
) -> StoreResult<Vec<ReportAnnotation>> {
    let rows = sqlx::query(
        "SELECT a.id, a.report_id, a.author_id, s.display_name, a.at, a.text \
         FROM report_annotations a JOIN staff s ON s.id = a.author_id \
         WHERE a.report_id = $1 ORDER BY a.id",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(annotation).collect()
}

#[async_trait]
impl ReportStore for SqlStore {
    async fn report_volume(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
    ) -> StoreResult<Vec<VolumeCount>> {
        read!(self, |c| volume(c, scope, from, to).await)
    }

    async fn report_daily(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
    ) -> StoreResult<Vec<DayCount>> {
        read!(self, |c| daily(c, scope, from, to).await)
    }

    async fn report_clusters(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
        top: u32,
    ) -> StoreResult<ClusterSummary> {
        read!(self, |c| clusters(c, scope, from, to, top).await)
    }

    async fn report_emerging(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
        limit: u32,
    ) -> StoreResult<Vec<EmergingAlertInfo>> {
        read!(self, |c| emerging(c, scope, from, to, limit).await)
    }

    async fn report_quote_candidates(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
        category: &str,
        limit: u32,
    ) -> StoreResult<Vec<QuoteCandidate>> {
        read!(self, |c| quote_candidates(
            c, scope, from, to, category, limit
        )
        .await)
    }

    async fn save_report_draft(&self, report: NewReport) -> StoreResult<Report> {
        write!(self, |c| save_draft(c, &report).await)
    }

    async fn report(&self, id: Id) -> StoreResult<Option<Report>> {
        read!(self, |c| report(c, id).await)
    }

    async fn report_for(
        &self,
        unit_id: Id,
        kind: ReportKind,
        period_start: Millis,
    ) -> StoreResult<Option<ReportMeta>> {
        read!(self, |c| report_for(c, unit_id, kind, period_start).await)
    }

    async fn reports_in(&self, scope: &UnitPath, limit: u32) -> StoreResult<Vec<ReportMeta>> {
        read!(self, |c| reports_in(c, scope, limit).await)
    }

    async fn publish_report(&self, id: Id, by: Id, at: Millis) -> StoreResult<Report> {
        write!(self, |c| publish(c, id, by, at).await)
    }

    async fn annotate_report(
        &self,
        report_id: Id,
        author_id: Id,
        at: Millis,
        text: &str,
    ) -> StoreResult<ReportAnnotation> {
        write!(self, |c| annotate(c, report_id, author_id, at, text).await)
    }

    async fn report_annotations(&self, report_id: Id) -> StoreResult<Vec<ReportAnnotation>> {
        read!(self, |c| annotations(c, report_id).await)
    }
}
