//! Reports (民意研判周报/月报/季报) and the aggregates they are built from.

use police_square_domain::{org::UnitPath, AppealKind, Channel, Millis};
use serde::{Deserialize, Serialize};

use crate::Id;

/// How long a report's period is (China Standard Time boundaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 周报: ISO week, Monday to Sunday.
    Weekly,
    /// 月报: calendar month.
    Monthly,
    /// 季报: calendar quarter.
    Quarterly,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [
        ReportKind::Weekly,
        ReportKind::Monthly,
        ReportKind::Quarterly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Weekly => "weekly",
            ReportKind::Monthly => "monthly",
            ReportKind::Quarterly => "quarterly",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    /// Frozen: the content is never regenerated.
    Published,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Published => "published",
        }
    }
}

/// A report without its content (lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportMeta {
    pub id: Id,
    pub kind: ReportKind,
    /// Appeals received in `[period_start, period_end)`.
    pub period_start: Millis,
    pub period_end: Millis,
    /// The unit whose subtree the report covers (city or district bureau).
    pub unit_id: Id,
    pub unit_path: UnitPath,
    pub status: ReportStatus,
    pub generated_at: Millis,
    /// `None` when the scheduled job generated it.
    pub generated_by: Option<Id>,
    pub published_at: Option<Millis>,
    pub published_by: Option<Id>,
}

/// A report with its content: a JSON snapshot the server assembled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub meta: ReportMeta,
    pub content: String,
}

/// A draft to save; see [`crate::ReportStore::save_report_draft`].
#[derive(Debug, Clone)]
pub struct NewReport {
    pub kind: ReportKind,
    pub period_start: Millis,
    pub period_end: Millis,
    pub unit_id: Id,
    pub content: String,
    pub generated_at: Millis,
    pub generated_by: Option<Id>,
}

/// A leader's note on a published report: what will be done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportAnnotation {
    pub id: Id,
    pub report_id: Id,
    pub author_id: Id,
    pub author_name: String,
    pub at: Millis,
    pub text: String,
}

/// Appeals received in a period within a unit subtree (rejected ones excluded), counted
/// per owning unit, kind, channel and category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VolumeCount {
    pub unit_id: Id,
    pub kind: AppealKind,
    pub channel: Channel,
    pub category: Option<String>,
    pub count: i64,
}

/// Appeals per China Standard Time day (`day` = days since 1970-01-01 CST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub day: i64,
    pub count: i64,
}

/// A near-duplicate cluster (一事多诉) with its appeals in a report's period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterActivity {
    pub cluster_id: Id,
    pub label: String,
    pub category: Option<String>,
    pub unit_path: String,
    /// Appeals in the cluster received in the period and scope.
    pub in_period: i64,
    /// Appeals in the cluster overall.
    pub size: i64,
    pub first_at: Millis,
    pub last_at: Millis,
}

/// Clusters with at least two appeals in a period: the largest few and the totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterSummary {
    pub top: Vec<ClusterActivity>,
    /// Clusters with two or more appeals in the period.
    pub clusters: i64,
    /// Appeals belonging to those clusters.
    pub appeals: i64,
}

/// An emerging-issue alert (未诉先办) overlapping a report's period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergingAlertInfo {
    pub id: Id,
    pub district_unit_id: Id,
    pub period_start: Millis,
    pub period_end: Millis,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub observed: i64,
    pub expected: f64,
    pub p_value: f64,
    pub status: String,
    pub appeals: i64,
}

/// An appeal that might be quoted in a report (text still to be masked by the caller).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteCandidate {
    pub appeal_id: Id,
    pub text: String,
    pub received_at: Millis,
    pub unit_id: Id,
    pub cluster_id: Option<Id>,
}
