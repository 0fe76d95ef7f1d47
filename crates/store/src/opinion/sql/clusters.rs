//! Near-duplicate clusters (一事多诉): links saved by the cluster job, and reads.

use sqlx::Row as _;

use super::super::{settings, Conn, Row};
use super::{path, scope_range, without_conduct};
use crate::error::StoreResult;
use crate::*;

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
