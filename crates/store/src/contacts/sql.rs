//! Personal data: an appeal's sealed contact, and a caller's appeals by phone hash.

use async_trait::async_trait;
use sqlx::Row as _;

use super::{rows, Conn, SqlStore};
use crate::error::StoreResult;
use crate::*;

pub(crate) async fn contact(conn: &mut Conn, id: Id) -> StoreResult<Option<AppealContact>> {
    let row = sqlx::query("SELECT id, phone_enc, name_enc, address_enc FROM appeals WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| {
        Ok(AppealContact {
            appeal_id: r.try_get("id")?,
            phone_enc: r.try_get("phone_enc")?,
            name_enc: r.try_get("name_enc")?,
            address_enc: r.try_get("address_enc")?,
        })
    })
    .transpose()
}

pub(crate) async fn by_phone_hash(
    conn: &mut Conn,
    phone_hash: &[u8],
    limit: u32,
) -> StoreResult<Vec<AppealSummary>> {
    let sql = format!(
        "SELECT {} FROM appeals WHERE phone_hash = $1 \
         ORDER BY received_at DESC, id DESC LIMIT $2",
        rows::SUMMARY_COLUMNS
    );
    let found = sqlx::query(&sql)
        .bind(phone_hash)
        .bind(i64::from(limit))
        .fetch_all(&mut *conn)
        .await?;
    found.iter().map(rows::summary).collect()
}

#[async_trait]
impl ContactStore for SqlStore {
    async fn appeal_contact(&self, id: Id) -> StoreResult<Option<AppealContact>> {
        read!(self, |c| contact(c, id).await)
    }

    async fn appeals_by_phone_hash(
        &self,
        phone_hash: &[u8],
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>> {
        read!(self, |c| by_phone_hash(c, phone_hash, limit).await)
    }
}
