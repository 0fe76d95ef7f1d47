//! Emerging-issue alerts (未诉先办): saved (or folded into an overlapping one), read,
//! and given a status by staff.

use police_square_domain::{org::UnitPath, Millis};
use sqlx::Row as _;

use super::super::{constraint, parse_key, Conn, Row};
use super::{path, scope_range};
use crate::error::{StoreError, StoreResult};
use crate::*;

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
        status: parse_key(r.try_get("status")?, "alert status")?,
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
                .map_err(|e| constraint(e, "district"))?;
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
        .map_err(|e| constraint(e, "appeal"))?;
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
