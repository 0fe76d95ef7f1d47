//! Category learning storage: the corrections (written inside the appeal change that
//! makes them) and the retrained models.

use async_trait::async_trait;
use police_square_domain::Millis;
use sqlx::Row as _;

use super::{Conn, Row, SqlStore};
use crate::error::StoreResult;
use crate::*;

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

#[async_trait]
impl LearningStore for SqlStore {
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
}
