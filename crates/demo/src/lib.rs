//! Police Square demo data (演示数据): the Huzhou unit tree, staff of every role with
//! demo logins, external departments, reply templates and realistic Chinese appeals
//! spread over the last six months in every lifecycle state — from 2,000 for a tour
//! to 1,000,000 for benchmarks.
//!
//! Everything personal is fake on purpose: phones are 1380000XXXX / 1390000XXXX,
//! names are 张某 / 李女士 style, and all of it is sealed by the [`Vault`] like real data.
//!
//! [`Vault`]: police_square_store::vault::Vault

pub mod appeals;
pub mod calendar;
pub mod corpus;
pub mod departments;
mod loader;
pub mod replies;
pub mod staff;
pub mod texts;
pub mod units;

use std::time::Duration;

use police_square_domain::Status;

pub use loader::{load, load_with, WORK_CALENDAR_SETTING};
pub use police_square_store::password::hash_password;
pub use staff::DemoLogin;
pub use texts::{engine_indexer, plain_indexer, Indexer};

/// What to load.
#[derive(Clone)]
pub struct DemoOptions {
    /// Number of appeals (default 2,000).
    pub appeals: usize,
    /// Seed of the generator: the same seed gives the same appeals (not the same password).
    pub seed: u64,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Password of every demo login; `None` generates one for this run.
    pub password: Option<String>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            appeals: 2_000,
            seed: 2009,
            progress: false,
            password: None,
        }
    }
}

impl std::fmt::Debug for DemoOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoOptions")
            .field("appeals", &self.appeals)
            .field("seed", &self.seed)
            .field("progress", &self.progress)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .finish()
    }
}

/// What was loaded. The CLI prints the logins once; the password is not stored anywhere.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub logins: Vec<DemoLogin>,
    /// The one password of every demo login.
    pub password: String,
    pub units: usize,
    pub departments: usize,
    pub reply_templates: usize,
    pub appeals: usize,
    /// Appeals by status (as generated).
    pub by_status: Vec<(Status, usize)>,
    /// Hand-offs to external departments recorded with their receipts.
    pub handoffs: usize,
    /// Pending supervisor requests (extensions, reviews) recorded.
    pub requests: usize,
    /// Time spent generating and inserting the appeals.
    pub appeals_elapsed: Duration,
    pub elapsed: Duration,
}

impl DemoSummary {
    /// Appeals inserted per second.
    pub fn appeals_per_second(&self) -> f64 {
        self.appeals as f64 / self.appeals_elapsed.as_secs_f64().max(1e-9)
    }
}

/// What the CLI prints once: the figures, then the logins with the one password.
impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "演示数据已载入 (demo data loaded): {} units, {} departments, {} reply templates, \
             {} appeals in {:.1?} ({:.0} appeals/s), total {:.1?}",
            self.units,
            self.departments,
            self.reply_templates,
            self.appeals,
            self.appeals_elapsed,
            self.appeals_per_second(),
            self.elapsed
        )?;
        let statuses: Vec<String> = self
            .by_status
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        writeln!(f, "  by status: {}", statuses.join(", "))?;
        writeln!(
            f,
            "  hand-offs to departments: {}, pending supervisor requests: {}",
            self.handoffs, self.requests
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "Demo logins — shown only now, note them (演示账号，仅显示一次). Password for every account: {}",
            self.password
        )?;
        for l in &self.logins {
            writeln!(
                f,
                "  {:<24} {:<11} {}",
                l.username,
                l.role.as_str(),
                l.unit_name
            )?;
        }
        Ok(())
    }
}
