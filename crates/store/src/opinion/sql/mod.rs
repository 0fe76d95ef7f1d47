//! Opinion analysis storage: corrections and retrained models, clusters, emerging-issue
//! alerts, and the grouped counts behind the opinion view (民意库).

mod alerts;
mod clusters;
mod view;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Category, Millis};
use sqlx::Row as _;

pub(crate) use view::refresh_opinion_days;

use super::{rows, subtree_range, Conn, Row, SqlStore};
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
        write!(self, |c| clusters::save_clusters(
            c, links, cursor_key, cursor
        )
        .await)
    }

    async fn cluster(&self, id: Id) -> StoreResult<Option<Cluster>> {
        read!(self, |c| clusters::cluster_by_id(c, id).await)
    }

    async fn top_clusters(&self, q: &OpinionQuery, limit: u32) -> StoreResult<Vec<Cluster>> {
        read!(self, |c| clusters::top_clusters(c, q, limit).await)
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
        write!(self, |c| alerts::save_alert(c, alert).await)
    }

    async fn alerts(
        &self,
        scope: Option<&UnitPath>,
        from: Millis,
        to: Millis,
        limit: u32,
    ) -> StoreResult<Vec<EmergingAlertRecord>> {
        read!(self, |c| alerts::alerts(c, scope, from, to, limit).await)
    }

    async fn alert(&self, id: Id) -> StoreResult<Option<EmergingAlertRecord>> {
        read!(self, |c| alerts::alert_by_id(c, id).await)
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
        write!(self, |c| alerts::set_alert_status(
            c, id, status, staff_id, note
        )
        .await)
    }

    async fn opinion(&self, q: &OpinionQuery) -> StoreResult<OpinionView> {
        read!(self, |c| view::opinion(c, q).await)
    }
}
