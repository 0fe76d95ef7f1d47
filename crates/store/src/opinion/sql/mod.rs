//! Opinion analysis storage: clusters, emerging-issue alerts, and the grouped counts
//! behind the opinion view (民意库).

mod alerts;
mod clusters;
mod view;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Category, Millis};
use sqlx::Row as _;

pub(crate) use view::refresh_opinion_days;

use super::{rows, subtree_range, Conn, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::*;

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
