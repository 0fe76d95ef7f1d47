//! External departments and reply templates: created, listed (active ones for
//! handlers, all for the admin registry), edited and retired with an audit entry.

use async_trait::async_trait;
use police_square_domain::Millis;

use super::audit::{record, By};
use super::{constraint, parse_key, Conn, SqlStore};
use crate::error::{StoreError, StoreResult};
use crate::*;

pub(crate) async fn create_reply_template(
    conn: &mut Conn,
    t: &NewReplyTemplate,
) -> StoreResult<ReplyTemplate> {
    let kinds = t
        .kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let categories = t.categories.join(" ");
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO reply_templates (title, body, kinds, categories) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(&t.title)
    .bind(&t.body)
    .bind(&kinds)
    .bind(&categories)
    .fetch_one(&mut *conn)
    .await?;
    Ok(ReplyTemplate {
        id,
        title: t.title.clone(),
        body: t.body.clone(),
        kinds: t.kinds.clone(),
        categories: t.categories.clone(),
        retired: false,
    })
}

pub(crate) async fn create_department(
    conn: &mut Conn,
    name: &str,
    contact: &str,
) -> StoreResult<Department> {
    let id: i64 =
        sqlx::query_scalar("INSERT INTO departments (name, contact) VALUES ($1, $2) RETURNING id")
            .bind(name)
            .bind(contact)
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| constraint(e, "department"))?;
    Ok(Department {
        id,
        name: name.to_owned(),
        contact: contact.to_owned(),
        retired: false,
    })
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
            .map(|k| parse_key(k, "appeal kind"))
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

#[async_trait]
impl CatalogStore for SqlStore {
    async fn create_department(&self, name: &str, contact: &str) -> StoreResult<Department> {
        write!(self, |c| create_department(c, name, contact).await)
    }

    async fn departments(&self) -> StoreResult<Vec<Department>> {
        read!(self, |c| departments(c, false).await)
    }

    async fn create_reply_template(&self, title: &str, body: &str) -> StoreResult<ReplyTemplate> {
        let t = NewReplyTemplate {
            title: title.to_owned(),
            body: body.to_owned(),
            ..Default::default()
        };
        write!(self, |c| create_reply_template(c, &t).await)
    }

    async fn create_fitting_reply_template(
        &self,
        t: NewReplyTemplate,
    ) -> StoreResult<ReplyTemplate> {
        write!(self, |c| create_reply_template(c, &t).await)
    }

    async fn reply_templates(&self) -> StoreResult<Vec<ReplyTemplate>> {
        read!(self, |c| reply_templates(c, false).await)
    }

    async fn department_registry(&self) -> StoreResult<Vec<Department>> {
        read!(self, |c| departments(c, true).await)
    }

    async fn update_department(
        &self,
        id: Id,
        name: &str,
        contact: &str,
        retired: bool,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Department> {
        let by = By { actor, at };
        write!(self, |c| update_department(
            c, id, name, contact, retired, by
        )
        .await)
    }

    async fn reply_template_registry(&self) -> StoreResult<Vec<ReplyTemplate>> {
        read!(self, |c| reply_templates(c, true).await)
    }

    async fn update_reply_template(
        &self,
        id: Id,
        title: &str,
        body: &str,
        retired: bool,
        actor: &str,
        at: Millis,
    ) -> StoreResult<ReplyTemplate> {
        let by = By { actor, at };
        write!(self, |c| update_reply_template(
            c, id, title, body, retired, by
        )
        .await)
    }
}
