//! Police Square domain: the rules of the appeal lifecycle (受理→办理→督办→反馈→评价),
//! deadlines on a working-day calendar, the three rates (三率), roles and their scopes,
//! and personal-data masking. Pure: no I/O, no async, no clock reads (callers pass `now`).

pub mod appeal;
pub mod audit;
pub mod calendar;
pub mod calendar_table;
pub mod deadline;
pub mod error;
pub mod free_text;
pub mod org;
pub mod org_rows;
pub mod pii;
pub mod rates;
pub mod rating;
pub mod reply;
pub mod throttle;
pub mod tracking;

pub use appeal::{Action, AppealKind, Category, Channel, Status, Urgency};
pub use calendar::WorkCalendar;
pub use deadline::DeadlinePolicy;
pub use error::DomainError;
pub use free_text::FreeText;
pub use org::{Role, UnitKind};
pub use rating::{Rating, Satisfaction};

/// Milliseconds since the Unix epoch, UTC. Every stored instant uses this so that the
/// SQLite and PostgreSQL schemas stay identical and comparisons are plain integers.
pub type Millis = i64;
