//! Units and staff: creation, reads and credentials; the audited admin changes are in
//! [`admin`].

mod admin;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis, Role};

use super::{audit, constraint, now_millis, rows, subtree_range, Conn, Query, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::*;

pub(crate) use admin::UNIT_COLUMNS;

pub(crate) async fn create_unit(conn: &mut Conn, unit: &NewUnit) -> StoreResult<Unit> {
    let parent_path = match unit.parent_id {
        Some(parent) => Some(unit_path(conn, parent).await?.ok_or(StoreError::NotFound)?),
        None => None,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO units (parent_id, name, kind, path) VALUES ($1, $2, $3, '') RETURNING id",
    )
    .bind(unit.parent_id)
    .bind(&unit.name)
    .bind(unit.kind.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let path = match parent_path {
        Some(parent) => parent.child(id),
        None => UnitPath::root(id),
    };
    sqlx::query("UPDATE units SET path = $1 WHERE id = $2")
        .bind(path.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(Unit {
        id,
        parent_id: unit.parent_id,
        name: unit.name.clone(),
        kind: unit.kind,
        path,
        profile: UnitProfile::default(),
    })
}

pub(crate) async fn unit_path(conn: &mut Conn, id: Id) -> StoreResult<Option<UnitPath>> {
    let path: Option<String> = sqlx::query_scalar("SELECT path FROM units WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    path.map(|p| UnitPath::parse(&p).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

pub(crate) async fn units(conn: &mut Conn) -> StoreResult<Vec<Unit>> {
    let found = sqlx::query(&format!("SELECT {} FROM units ORDER BY path", UNIT_COLUMNS))
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::unit).collect()
}

pub(crate) async fn create_staff(
    conn: &mut Conn,
    new: &NewStaff,
    now: Millis,
) -> StoreResult<Staff> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO staff (username, display_name, role, unit_id, password_hash, disabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, FALSE, $6) RETURNING id",
    )
    .bind(&new.username)
    .bind(&new.display_name)
    .bind(new.role.as_str())
    .bind(new.unit_id)
    .bind(&new.password_hash)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| constraint(e, "username"))?;
    staff(conn, id).await?.ok_or(StoreError::NotFound)
}

fn staff_sql(condition: &str) -> String {
    format!(
        "SELECT {} FROM staff s JOIN units u ON u.id = s.unit_id WHERE {condition}",
        rows::STAFF_COLUMNS
    )
}

pub(crate) async fn staff(conn: &mut Conn, id: Id) -> StoreResult<Option<Staff>> {
    let row = sqlx::query(&staff_sql("s.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(rows::staff).transpose()
}

/// Ids are integers, safe to inline (as the appeal lists do).
pub(crate) async fn staff_by_ids(conn: &mut Conn, ids: &[Id]) -> StoreResult<Vec<Staff>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(Id::to_string).collect();
    let sql = staff_sql(&format!("s.id IN ({}) ORDER BY s.id", list.join(", ")));
    let found = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    found.iter().map(rows::staff).collect()
}

pub(crate) async fn staff_by_username(
    conn: &mut Conn,
    username: &str,
) -> StoreResult<Option<Staff>> {
    let row = sqlx::query(&staff_sql("s.username = $1"))
        .bind(username)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(rows::staff).transpose()
}

pub(crate) async fn staff_in(
    conn: &mut Conn,
    scope: &UnitPath,
    role: Option<Role>,
) -> StoreResult<Vec<Staff>> {
    let (lo, hi) = subtree_range(scope.as_str());
    let sql = format!(
        "SELECT {} FROM staff s JOIN units u ON u.id = s.unit_id \
         WHERE u.path >= $1 AND u.path < $2 AND ($3 IS NULL OR s.role = $3) \
         ORDER BY u.path, s.id",
        rows::STAFF_COLUMNS
    );
    let found = sqlx::query(&sql)
        .bind(lo)
        .bind(hi)
        .bind(role.map(Role::as_str))
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::staff).collect()
}

/// Runs an `UPDATE` of one row by id; no row is [`StoreError::NotFound`].
async fn update_one(conn: &mut Conn, query: Query<'_>) -> StoreResult<()> {
    let done = query.execute(&mut *conn).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub(crate) async fn set_password(conn: &mut Conn, staff_id: Id, hash: &str) -> StoreResult<()> {
    update_one(
        conn,
        sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(staff_id),
    )
    .await
}

pub(crate) async fn set_disabled(conn: &mut Conn, staff_id: Id, disabled: bool) -> StoreResult<()> {
    update_one(
        conn,
        sqlx::query("UPDATE staff SET disabled = $1 WHERE id = $2")
            .bind(disabled)
            .bind(staff_id),
    )
    .await?;
    if disabled {
        // A disabled account is logged out everywhere.
        sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
            .bind(staff_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[async_trait]
impl OrgStore for SqlStore {
    async fn create_unit(&self, unit: NewUnit) -> StoreResult<Unit> {
        write!(self, |c| create_unit(c, &unit).await)
    }

    async fn units(&self) -> StoreResult<Vec<Unit>> {
        read!(self, |c| units(c).await)
    }

    async fn create_staff(&self, staff: NewStaff) -> StoreResult<Staff> {
        write!(self, |c| create_staff(c, &staff, now_millis()).await)
    }

    async fn staff(&self, id: Id) -> StoreResult<Option<Staff>> {
        read!(self, |c| staff(c, id).await)
    }

    async fn staff_by_ids(&self, ids: &[Id]) -> StoreResult<Vec<Staff>> {
        read!(self, |c| staff_by_ids(c, ids).await)
    }

    async fn staff_by_username(&self, username: &str) -> StoreResult<Option<Staff>> {
        read!(self, |c| staff_by_username(c, username).await)
    }

    async fn staff_in(&self, scope: &UnitPath, role: Option<Role>) -> StoreResult<Vec<Staff>> {
        read!(self, |c| staff_in(c, scope, role).await)
    }

    async fn set_password(&self, staff_id: Id, password_hash: &str) -> StoreResult<()> {
        write!(self, |c| set_password(c, staff_id, password_hash).await)
    }

    async fn set_disabled(&self, staff_id: Id, disabled: bool) -> StoreResult<()> {
        write!(self, |c| set_disabled(c, staff_id, disabled).await)
    }

    async fn add_unit(
        &self,
        unit: NewUnit,
        profile: UnitProfile,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit> {
        let by = audit::By { actor, at };
        write!(self, |c| admin::add_unit(c, &unit, &profile, by).await)
    }

    async fn update_unit(
        &self,
        id: Id,
        edit: UnitEdit,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit> {
        let by = audit::By { actor, at };
        write!(self, |c| admin::update_unit(c, id, &edit, by).await)
    }

    async fn move_unit(
        &self,
        id: Id,
        parent_id: Option<Id>,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit> {
        let by = audit::By { actor, at };
        write!(self, |c| admin::move_unit(c, id, parent_id, by).await)
    }

    async fn add_staff(&self, staff: NewStaff, actor: &str, at: Millis) -> StoreResult<Staff> {
        let by = audit::By { actor, at };
        write!(self, |c| admin::add_staff(c, &staff, by).await)
    }

    async fn update_staff(
        &self,
        id: Id,
        edit: StaffEdit,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Staff> {
        let by = audit::By { actor, at };
        write!(self, |c| admin::update_staff(c, id, &edit, by).await)
    }
}
