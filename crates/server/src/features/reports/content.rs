//! The content snapshot of a report: assembled once, stored as JSON, and the only
//! thing pages, charts and the XLSX export read.

use police_square_domain::{
    rates::{RateCounts, Rates},
    Millis,
};
use police_square_store::{Id, ReportKind};
use serde::{Deserialize, Serialize};

use super::Period;
use crate::app::error::{AppError, AppResult};

/// Version of the [`ReportContent`] layout (stored in every snapshot).
pub const CONTENT_VERSION: u32 = 1;

// ── content snapshot ────────────────────────────────────────────────────

/// A count in this period beside the previous one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// A kind, channel or category key (`none` for no category), or a unit id.
    pub key: String,
    /// Unit name for rows by unit; empty otherwise (keys are translated when shown).
    #[serde(default)]
    pub name: String,
    pub count: i64,
    pub previous: i64,
}

impl Share {
    /// Change against the previous period in percent, `None` when it had none.
    pub fn change_percent(&self) -> Option<f64> {
        change_percent(self.count, self.previous)
    }
}

pub fn change_percent(count: i64, previous: i64) -> Option<f64> {
    (previous > 0).then(|| (count - previous) as f64 * 100.0 / previous as f64)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayPoint {
    /// `2026-03-02`
    pub date: String,
    pub count: i64,
}

/// A resident's words, personal data masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub appeal_id: Id,
    pub unit: String,
    pub received_at: Millis,
    pub text: String,
    /// Part of a cluster (一事多诉).
    pub clustered: bool,
}

/// A top concern: a category with its volume and representative quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concern {
    pub category: String,
    pub count: i64,
    pub previous: i64,
    /// Share of the period's appeals, percent.
    pub share: f64,
    pub quotes: Vec<Quote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterRow {
    pub id: Id,
    pub label: String,
    pub category: Option<String>,
    pub unit: String,
    pub in_period: i64,
    pub size: i64,
    pub first_at: Millis,
    pub last_at: Millis,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterSection {
    pub clusters: i64,
    pub appeals: i64,
    pub top: Vec<ClusterRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergingRow {
    pub id: Id,
    pub district: String,
    pub period_start: Millis,
    pub period_end: Millis,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub observed: i64,
    pub expected: f64,
    pub p_value: f64,
    pub appeals: i64,
}

/// The three rates of one unit (with its sub-units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateRow {
    pub unit_id: Id,
    pub name: String,
    /// 1 = best composite score; `None` when the unit has no composite yet.
    pub rank: Option<usize>,
    pub counts: RateCounts,
    pub rates: Rates,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatesSection {
    /// The report's own unit, this period and the previous one.
    pub current: RateRow,
    pub previous: RateRow,
    /// The units directly below, best composite first (units without one last).
    pub ranking: Vec<RateRow>,
}

/// Everything a report shows, frozen when generated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportContent {
    pub version: u32,
    pub kind: ReportKind,
    pub label: String,
    pub period_start: Millis,
    pub period_end: Millis,
    pub previous_start: Millis,
    pub previous_end: Millis,
    pub unit_id: Id,
    pub unit_name: String,
    pub generated_at: Millis,
    pub total: i64,
    pub previous_total: i64,
    pub by_kind: Vec<Share>,
    pub by_channel: Vec<Share>,
    pub by_category: Vec<Share>,
    pub by_unit: Vec<Share>,
    pub daily: Vec<DayPoint>,
    pub concerns: Vec<Concern>,
    pub clusters: ClusterSection,
    pub emerging: Vec<EmergingRow>,
    pub rates: RatesSection,
}

impl ReportContent {
    pub fn parse(json: &str) -> AppResult<ReportContent> {
        serde_json::from_str(json).map_err(AppError::internal)
    }

    /// The period the report covers, and the one before it that it compares with.
    pub fn periods(&self) -> (Period, Period) {
        let period = |start, end| Period {
            kind: self.kind,
            start,
            end,
        };
        (
            period(self.period_start, self.period_end),
            period(self.previous_start, self.previous_end),
        )
    }
}
