//! Records of opinion analysis (民意研判): near-duplicate clusters (一事多诉) and
//! emerging-issue alerts (未诉先办).

use police_square_domain::{org::UnitPath, Millis};
use serde::{Deserialize, Serialize};

use crate::Id;

/// What the analysis jobs read of an appeal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisRow {
    pub id: Id,
    pub text: String,
    pub search_text: String,
    pub received_at: Millis,
    pub unit_path: UnitPath,
    pub category: Option<String>,
    pub cluster_id: Option<Id>,
}

/// Appeals found to be about one problem. With `cluster` they join that cluster;
/// without, a new cluster starts with them (the first id is its first appeal).
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterLink {
    pub cluster: Option<Id>,
    pub appeal_ids: Vec<Id>,
    /// For a new cluster: where and what.
    pub unit_path: UnitPath,
    pub category: Option<String>,
    pub label: String,
    pub first_at: Millis,
    pub last_at: Millis,
}

/// 一事多诉: a cluster of appeals about one specific problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: Id,
    pub first_appeal_id: Id,
    pub unit_path: UnitPath,
    pub category: Option<String>,
    pub label: String,
    pub size: i64,
    pub first_at: Millis,
    pub last_at: Millis,
}

/// An emerging issue as the detector reported it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEmergingAlert {
    /// The place the alert names: a district, or a unit inside it (a station) when
    /// all the alert's appeals belong there. (The column kept its first name.)
    pub district_unit_id: Id,
    pub unit_path: UnitPath,
    pub period_start: Millis,
    pub period_end: Millis,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub appeal_ids: Vec<Id>,
    pub observed: i64,
    pub expected: f64,
    pub p_value: f64,
    pub detected_at: Millis,
}

/// 未诉先办 alert state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    Open,
    Acknowledged,
    Dismissed,
}

impl AlertStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Acknowledged => "acknowledged",
            AlertStatus::Dismissed => "dismissed",
        }
    }
}

impl std::str::FromStr for AlertStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "open" => Ok(AlertStatus::Open),
            "acknowledged" => Ok(AlertStatus::Acknowledged),
            "dismissed" => Ok(AlertStatus::Dismissed),
            _ => Err(()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergingAlertRecord {
    pub id: Id,
    /// The place the alert names: a district, or a unit inside it (a station) when
    /// all the alert's appeals belong there. (The column kept its first name.)
    pub district_unit_id: Id,
    pub unit_path: UnitPath,
    pub period_start: Millis,
    pub period_end: Millis,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub observed: i64,
    pub expected: f64,
    pub p_value: f64,
    pub detected_at: Millis,
    pub status: AlertStatus,
    pub handled_by: Option<Id>,
    pub note: Option<String>,
    /// Appeals behind the alert.
    pub appeal_count: i64,
}

/// Counts of appeals by one dimension over a period and scope (民意库).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpinionQuery {
    pub scope: Option<UnitPath>,
    pub include_conduct: bool,
    pub from: Millis,
    pub to: Millis,
    /// Whole days before this instant are read from the pre-aggregated counts, which
    /// the statistics refresh keeps current (pass the start of today); later ones are
    /// counted live. `Millis::MIN`: everything live.
    pub settled_before: Millis,
}

/// One bucket: the key (a category, a unit id, a day number …) and its counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpinionBucket {
    pub key: String,
    pub total: i64,
    /// Appeals whose sentiment is negative.
    pub negative: i64,
}

/// The live view: totals by category, by unit path, by day; clusters; alerts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct OpinionView {
    pub total: i64,
    pub negative: i64,
    pub by_category: Vec<OpinionBucket>,
    pub by_kind: Vec<OpinionBucket>,
    /// Keyed by the appeal's unit id.
    pub by_unit: Vec<OpinionBucket>,
    /// Keyed by the statistics day number (CST).
    pub by_day: Vec<OpinionBucket>,
}
