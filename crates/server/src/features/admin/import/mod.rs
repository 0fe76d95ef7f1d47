//! Imports of the tables a bureau keeps in spreadsheets (导入): the unit tree and staff
//! today; survey frames, appeals and results next. Written once for all of them:
//! - [`table`] reads CSV (UTF-8, with or without BOM, or GBK/GB18030 as Excel on a
//!   Chinese Windows saves it) and XLSX into rows of text with their row numbers;
//! - [`columns`] finds each expected column by its header, Chinese or English;
//! - [`report`] counts what was created, updated or already there, and lists every
//!   rejected row with its row number, column and reason;
//! - each kind of import matches rows to stored records by a natural key (a unit by
//!   its code or name path, a user by username), so running it twice changes nothing.
//!
//! What a valid row is lives in the domain (`police_square_domain::org_rows`).

pub mod columns;
pub mod org;
pub mod report;
pub mod staff;
pub mod table;

pub use columns::{Column, Columns};
pub use report::{ImportReport, Rejection};
pub use table::{Table, TableRow};

/// Progress of an import, row by row (the CLI draws a bar; tests and pages need none).
pub trait Progress: Send + Sync {
    fn start(&self, _rows: u64) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {}

/// Why an import could not run at all (a bad row is a [`Rejection`] instead).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] table::ReadError),
    #[error("missing column(s): {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    #[error("{0}")]
    Password(String),
    #[error(transparent)]
    Store(#[from] police_square_store::StoreError),
}
