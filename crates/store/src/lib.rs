//! Police Square persistence: one narrow trait per capability, each in its own folder
//! with its models and SQL (`<capability>/mod.rs` the trait, `model.rs` its records,
//! `sql.rs` or `sql/` its SQL and `impl` for the SQL backend). [`sqlite`] (the embedded
//! default) and [`postgres`] compile the same SQL (see `common/`), each with its own
//! migrations under `migrations/<backend>/`. [`connect`] picks the backend from the
//! database URL and returns [`Stores`], one handle per capability.

pub mod error;
pub mod password;
pub mod postgres;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
pub mod vault;

pub mod access;
pub mod appeals;
pub mod audit;
pub mod catalog;
pub mod contacts;
pub mod keys;
pub mod learning;
pub mod maintenance;
pub mod opinion;
pub mod org;
pub mod queue;
pub mod rates;
pub mod reports;
pub mod settings;
pub mod supervision;

pub use access::{model::*, AccessStore};
pub use appeals::{model::*, AppealStore};
pub use audit::{model::*, AuditStore};
pub use catalog::{model::*, CatalogStore};
pub use contacts::{model::*, ContactStore};
pub use error::{StoreError, StoreResult};
pub use keys::KeyStore;
pub use learning::{model::*, LearningStore};
pub use maintenance::MaintenanceStore;
pub use opinion::{model::*, OpinionStore};
pub use org::{model::*, OrgStore};
pub use queue::{model::*, QueueStore};
pub use rates::{model::*, RateStore};
pub use reports::{model::*, ReportStore};
pub use settings::SettingsStore;
pub use supervision::{model::*, SupervisionStore};

use std::sync::Arc;

/// Row ids (every table's primary key is a 64-bit integer).
pub type Id = i64;

/// One handle per storage capability, all on the same database. Cheap to clone; hand
/// each part of the program only the capabilities it needs (personal data is
/// [`Stores::contacts`] alone).
#[derive(Clone)]
pub struct Stores {
    pub maintenance: Arc<dyn MaintenanceStore>,
    pub org: Arc<dyn OrgStore>,
    pub catalog: Arc<dyn CatalogStore>,
    pub access: Arc<dyn AccessStore>,
    pub settings: Arc<dyn SettingsStore>,
    pub appeals: Arc<dyn AppealStore>,
    pub contacts: Arc<dyn ContactStore>,
    pub supervision: Arc<dyn SupervisionStore>,
    pub queue: Arc<dyn QueueStore>,
    pub audit: Arc<dyn AuditStore>,
    pub rates: Arc<dyn RateStore>,
    pub opinion: Arc<dyn OpinionStore>,
    pub learning: Arc<dyn LearningStore>,
    pub reports: Arc<dyn ReportStore>,
    pub keys: Arc<dyn KeyStore>,
}

/// Opens the database named by `url`: `postgres://…` or `postgresql://…` is a
/// PostgreSQL pool; anything else is a SQLite file path (an optional `sqlite://` or
/// `sqlite:` prefix is dropped), created if missing. Does not migrate: call
/// [`MaintenanceStore::migrate`].
pub async fn connect(url: &str) -> StoreResult<Stores> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(postgres::connect(url).await?.into_stores());
    }
    Ok(sqlite::open(sqlite_path(url)).await?.into_stores())
}

/// The file path of a SQLite URL (`sqlite://data/ps.db`, `sqlite:ps.db`, `ps.db`).
pub fn sqlite_path(url: &str) -> &str {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    path.split('?').next().unwrap_or(path)
}
