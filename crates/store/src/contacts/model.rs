//! Sealed personal data of an appeal.

use crate::Id;

/// The sealed personal data of one appeal, fetched only for an audited reveal.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealContact {
    pub appeal_id: Id,
    pub phone_enc: Vec<u8>,
    pub name_enc: Option<Vec<u8>>,
    pub address_enc: Option<Vec<u8>>,
}
