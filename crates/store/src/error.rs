use thiserror::Error;

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Someone else changed the record first, or a unique value is taken.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid stored data: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The operation is not available on this backend (e.g. a file backup of PostgreSQL).
    #[error("not supported by this backend: {0}")]
    Unsupported(&'static str),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}
