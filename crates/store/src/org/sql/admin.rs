//! Administration of the organisation (issue 10 §4, defect 13): units with their
//! profile, moves in the tree, staff edits. Every change appends its audit entry in the
//! same transaction.

use police_square_domain::org::UnitPath;

use super::super::audit::{record, By};
use super::super::{constraint, rows, subtree_range, Conn};
use crate::error::{StoreError, StoreResult};
use crate::*;

pub(crate) const UNIT_COLUMNS: &str =
    "id, parent_id, name, kind, path, code, district, duty_phone, address, hours, retired";

pub(crate) async fn unit(conn: &mut Conn, id: Id) -> StoreResult<Unit> {
    let row = sqlx::query(&format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    rows::unit(&row)
}

async fn write_profile(
    conn: &mut Conn,
    id: Id,
    name: &str,
    kind: &str,
    p: &UnitProfile,
) -> StoreResult<()> {
    let done = sqlx::query(
        "UPDATE units SET name = $1, kind = $2, code = $3, district = $4, duty_phone = $5, \
         address = $6, hours = $7, retired = $8 WHERE id = $9",
    )
    .bind(name)
    .bind(kind)
    .bind(p.code.as_deref())
    .bind(&p.district)
    .bind(&p.duty_phone)
    .bind(&p.address)
    .bind(&p.hours)
    .bind(p.retired)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(|e| constraint(e, "unit code"))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

fn unit_detail(u: &Unit) -> String {
    format!(
        "{} ({}){}{}",
        u.name,
        u.kind,
        u.profile
            .code
            .as_deref()
            .map(|c| format!(" code {c}"))
            .unwrap_or_default(),
        if u.profile.retired { " retired" } else { "" }
    )
}

pub(crate) async fn add_unit(
    conn: &mut Conn,
    new: &NewUnit,
    profile: &UnitProfile,
    by: By<'_>,
) -> StoreResult<Unit> {
    let created = super::create_unit(conn, new).await?;
    write_profile(conn, created.id, &new.name, new.kind.as_str(), profile).await?;
    let u = unit(conn, created.id).await?;
    record(
        conn,
        by,
        "unit.created",
        format!("unit:{}", u.id),
        unit_detail(&u),
    )
    .await?;
    Ok(u)
}

pub(crate) async fn update_unit(
    conn: &mut Conn,
    id: Id,
    edit: &UnitEdit,
    by: By<'_>,
) -> StoreResult<Unit> {
    write_profile(conn, id, &edit.name, edit.kind.as_str(), &edit.profile).await?;
    let u = unit(conn, id).await?;
    record(
        conn,
        by,
        "unit.updated",
        format!("unit:{id}"),
        unit_detail(&u),
    )
    .await?;
    Ok(u)
}

/// Tables that copy a unit's path (so that "this subtree" is one index range there
/// too): a move rewrites them with the unit's own rows.
const PATH_COPIES: [(&str, &str); 4] = [
    ("appeals", "unit_path"),
    ("clusters", "unit_path"),
    ("emerging_alerts", "unit_path"),
    ("reports", "unit_path"),
];

pub(crate) async fn move_unit(
    conn: &mut Conn,
    id: Id,
    parent: Option<Id>,
    by: By<'_>,
) -> StoreResult<Unit> {
    let old = unit(conn, id).await?;
    let new_path = match parent {
        Some(p) => {
            let parent_path = super::unit_path(conn, p)
                .await?
                .ok_or(StoreError::NotFound)?;
            if old.path.contains(&parent_path) {
                return Err(StoreError::Conflict(
                    "a unit cannot move under itself or one of its sub-units".into(),
                ));
            }
            parent_path.child(id)
        }
        None => UnitPath::root(id),
    };
    if new_path == old.path {
        return Ok(old);
    }
    let (lo, hi) = subtree_range(old.path.as_str());
    // `substr` counts from 1: the part of each path below the moved unit's old path.
    let rest_from = old.path.as_str().len() as i32 + 1;
    for (table, column) in [("units", "path")].into_iter().chain(PATH_COPIES) {
        sqlx::query(&format!(
            "UPDATE {table} SET {column} = $1 || substr({column}, $2) \
             WHERE {column} >= $3 AND {column} < $4"
        ))
        .bind(new_path.as_str())
        .bind(rest_from)
        .bind(&lo)
        .bind(&hi)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE units SET parent_id = $1 WHERE id = $2")
        .bind(parent)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let u = unit(conn, id).await?;
    record(
        conn,
        by,
        "unit.moved",
        format!("unit:{id}"),
        format!("{} -> {}", old.path.as_str(), u.path.as_str()),
    )
    .await?;
    Ok(u)
}

pub(crate) async fn add_staff(conn: &mut Conn, new: &NewStaff, by: By<'_>) -> StoreResult<Staff> {
    let s = super::create_staff(conn, new, by.at).await?;
    record(
        conn,
        by,
        "staff.created",
        Actor::Staff(s.id).label(),
        format!("{} {} unit:{}", s.username, s.role, s.unit_id),
    )
    .await?;
    Ok(s)
}

pub(crate) async fn update_staff(
    conn: &mut Conn,
    id: Id,
    edit: &StaffEdit,
    by: By<'_>,
) -> StoreResult<Staff> {
    let done =
        sqlx::query("UPDATE staff SET display_name = $1, role = $2, unit_id = $3 WHERE id = $4")
            .bind(&edit.display_name)
            .bind(edit.role.as_str())
            .bind(edit.unit_id)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(|e| constraint(e, "staff"))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let s = super::staff(conn, id).await?.ok_or(StoreError::NotFound)?;
    record(
        conn,
        by,
        "staff.updated",
        Actor::Staff(id).label(),
        format!("{} {} unit:{}", s.username, s.role, s.unit_id),
    )
    .await?;
    Ok(s)
}
