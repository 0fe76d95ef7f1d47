//! Administration of the organisation and reference tables (issue 10 §4, defect 13):
//! units with their profile, moves in the tree, staff edits, departments and reply
//! templates edited and retired, and the audit-log viewer's filtered reads. Every
//! change appends its audit entry in the same transaction.

use police_square_domain::{org::UnitPath, Millis};

use super::{audit, constraint, org, rows, subtree_range, Conn};
use crate::error::{StoreError, StoreResult};
use crate::model::*;

/// Who changed what, for the audit entry written with the change.
#[derive(Debug, Clone, Copy)]
pub(crate) struct By<'a> {
    pub actor: &'a str,
    pub at: Millis,
}

async fn record(
    conn: &mut Conn,
    by: By<'_>,
    action: &str,
    subject: String,
    detail: String,
) -> StoreResult<()> {
    audit::append_all(
        conn,
        &[NewAudit {
            at: by.at,
            actor: by.actor.to_owned(),
            action: action.to_owned(),
            subject,
            detail,
        }],
    )
    .await
}

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
    let created = org::create_unit(conn, new).await?;
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
            let parent_path = org::unit_path(conn, p).await?.ok_or(StoreError::NotFound)?;
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
    let s = org::create_staff(conn, new, by.at).await?;
    record(
        conn,
        by,
        "staff.created",
        format!("staff:{}", s.id),
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
    let s = org::staff(conn, id).await?.ok_or(StoreError::NotFound)?;
    record(
        conn,
        by,
        "staff.updated",
        format!("staff:{id}"),
        format!("{} {} unit:{}", s.username, s.role, s.unit_id),
    )
    .await?;
    Ok(s)
}

pub(crate) async fn departments(
    conn: &mut Conn,
    include_retired: bool,
) -> StoreResult<Vec<Department>> {
    let found: Vec<(i64, String, String, bool)> = sqlx::query_as(
        "SELECT id, name, contact, retired FROM departments \
         WHERE $1 OR NOT retired ORDER BY retired, name, id",
    )
    .bind(include_retired)
    .fetch_all(&mut *conn)
    .await?;
    Ok(found
        .into_iter()
        .map(|(id, name, contact, retired)| Department {
            id,
            name,
            contact,
            retired,
        })
        .collect())
}

pub(crate) async fn update_department(
    conn: &mut Conn,
    id: Id,
    name: &str,
    contact: &str,
    retired: bool,
    by: By<'_>,
) -> StoreResult<Department> {
    let done =
        sqlx::query("UPDATE departments SET name = $1, contact = $2, retired = $3 WHERE id = $4")
            .bind(name)
            .bind(contact)
            .bind(retired)
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(|e| constraint(e, "department"))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    record(
        conn,
        by,
        "department.updated",
        format!("department:{id}"),
        format!("{name}{}", if retired { " retired" } else { "" }),
    )
    .await?;
    Ok(Department {
        id,
        name: name.to_owned(),
        contact: contact.to_owned(),
        retired,
    })
}

pub(crate) async fn reply_templates(
    conn: &mut Conn,
    include_retired: bool,
) -> StoreResult<Vec<ReplyTemplate>> {
    let found: Vec<TemplateRow> = sqlx::query_as(
        "SELECT id, title, body, kinds, categories, retired FROM reply_templates \
         WHERE $1 OR NOT retired ORDER BY retired, id",
    )
    .bind(include_retired)
    .fetch_all(&mut *conn)
    .await?;
    found.into_iter().map(template_from_row).collect()
}

type TemplateRow = (i64, String, String, String, String, bool);

fn template_from_row(
    (id, title, body, kinds, categories, retired): TemplateRow,
) -> StoreResult<ReplyTemplate> {
    Ok(ReplyTemplate {
        id,
        title,
        body,
        kinds: kinds
            .split_whitespace()
            .map(|k| super::parse_key(k, "appeal kind"))
            .collect::<StoreResult<_>>()?,
        categories: categories.split_whitespace().map(str::to_owned).collect(),
        retired,
    })
}

pub(crate) async fn update_reply_template(
    conn: &mut Conn,
    id: Id,
    title: &str,
    body: &str,
    retired: bool,
    by: By<'_>,
) -> StoreResult<ReplyTemplate> {
    let done =
        sqlx::query("UPDATE reply_templates SET title = $1, body = $2, retired = $3 WHERE id = $4")
            .bind(title)
            .bind(body)
            .bind(retired)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    record(
        conn,
        by,
        "reply_template.updated",
        format!("template:{id}"),
        format!("{title}{}", if retired { " retired" } else { "" }),
    )
    .await?;
    let row: TemplateRow = sqlx::query_as(
        "SELECT id, title, body, kinds, categories, retired FROM reply_templates WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    template_from_row(row)
}

/// The audit-log viewer: only the filters given become conditions, so each query can
/// use the index of its most selective filter.
pub(crate) async fn audit_search(conn: &mut Conn, q: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
    let mut conditions = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    // Text parameters come first ($1…), numbers after them.
    if let Some(subject) = &q.subject {
        texts.push(subject.clone());
        conditions.push(format!("subject = ${}", texts.len()));
    }
    if let Some(actor) = &q.actor {
        texts.push(actor.clone());
        conditions.push(format!("actor = ${}", texts.len()));
    }
    if let Some(action) = &q.action {
        texts.push(action.clone());
        texts.push(format!("{action}.%"));
        conditions.push(format!(
            "(action = ${} OR action LIKE ${})",
            texts.len() - 1,
            texts.len()
        ));
    }
    let mut number = |column: &str, op: &str, value: Option<i64>| {
        if let Some(v) = value {
            numbers.push(v);
            conditions.push(format!("{column} {op} ${}", texts.len() + numbers.len()));
        }
    };
    number("at", ">=", q.from);
    number("at", "<", q.to);
    number("seq", "<", q.before_seq);
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT {} FROM audit_log {filter} ORDER BY seq DESC LIMIT {}",
        rows::AUDIT_COLUMNS,
        q.limit.clamp(1, 1_000)
    );
    let mut query = sqlx::query(&sql);
    for t in &texts {
        query = query.bind(t);
    }
    for n in &numbers {
        query = query.bind(*n);
    }
    let found = query.fetch_all(&mut *conn).await?;
    found.iter().map(rows::audit_entry).collect()
}
