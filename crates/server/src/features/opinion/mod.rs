//! 民意库 the live opinion view: a period's appeals in a unit's subtree by category,
//! kind, sub-unit and day, against the previous period of the same length, with the
//! largest clusters and the emerging-issue alerts; every figure drills down to the
//! appeals behind it.

pub mod analysis;
pub mod api;
pub mod clustering;
pub mod emerging;
pub mod jobs;
pub mod learning;
pub mod openapi;
pub mod page;
pub mod unusual_page;

use std::sync::Arc;

use police_square_domain::{
    calendar::{local_date, local_midnight, DAY_MS},
    org::UnitPath,
    Millis,
};
use police_square_store::{
    Cluster, EmergingAlertRecord, Id, OpinionBucket, OpinionQuery, OpinionView, Staff, Unit,
};
use serde::{Deserialize, Serialize};

use super::lifecycle::access;
use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

/// Largest clusters shown.
const TOP_CLUSTERS: u32 = 10;
const ALERTS_SHOWN: u32 = 20;

/// A sub-unit's share of the period.
#[derive(Debug, Clone)]
pub struct UnitShare {
    pub unit: Unit,
    pub total: i64,
    pub negative: i64,
    pub previous: i64,
}

#[derive(Debug, Clone)]
pub struct Opinion {
    pub unit: Unit,
    pub from: Millis,
    pub to: Millis,
    pub view: OpinionView,
    /// The period of the same length before `from`.
    pub previous: OpinionView,
    /// The unit's children (or the unit itself when it has none), largest first.
    pub units: Vec<UnitShare>,
    pub clusters: Vec<Cluster>,
    pub alerts: Vec<EmergingAlertRecord>,
}

impl Opinion {
    /// The previous period's count of a category.
    pub fn previous_of(&self, category: &str) -> i64 {
        count_of(&self.previous.by_category, category)
    }
}

/// What this node keeps for the opinion feature between requests and job runs.
#[derive(Default)]
pub struct OpinionState {
    /// The category model in use (shipped, or retrained from corrections).
    pub text: analysis::TextModels,
    /// The near-duplicate index of the cluster job, kept between runs.
    pub clusters: tokio::sync::Mutex<Option<clustering::ClusterWork>>,
}

impl OpinionState {
    /// This node's opinion state.
    pub fn of(state: &AppState) -> Arc<OpinionState> {
        state.feature_state()
    }
}

pub fn count_of(buckets: &[OpinionBucket], key: &str) -> i64 {
    buckets
        .iter()
        .find(|b| b.key == key)
        .map(|b| b.total)
        .unwrap_or(0)
}

/// The live view's period (the 民意库 window): the last 7, 30 or 90 days (today
/// included), or China-time days chosen by hand. Its wire keys (`7d`, `30d`, `90d`,
/// `custom`) are the API's `period` values and the console's query values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Window {
    #[serde(rename = "7d")]
    Days7,
    #[default]
    #[serde(rename = "30d")]
    Days30,
    #[serde(rename = "90d")]
    Days90,
    #[serde(rename = "custom")]
    Custom,
}

impl Window {
    pub fn key(self) -> &'static str {
        match self {
            Window::Days7 => "7d",
            Window::Days30 => "30d",
            Window::Days90 => "90d",
            Window::Custom => "custom",
        }
    }

    /// The console's rule: an unknown or missing key is the last 30 days.
    pub fn from_key_or_default(key: &str) -> Self {
        match key {
            "7d" => Window::Days7,
            "90d" => Window::Days90,
            "custom" => Window::Custom,
            _ => Window::Days30,
        }
    }

    /// `[from, to)` of the window at `now`; `custom` takes the China-time days `from`
    /// to `to` inclusive (`YYYY-MM-DD`), which it requires.
    pub fn range(
        self,
        now: Millis,
        from: Option<&str>,
        to: Option<&str>,
    ) -> AppResult<(Millis, Millis)> {
        let end = local_midnight(local_date(now)) + DAY_MS;
        let last = |days: i64| (end - days * DAY_MS, end);
        Ok(match self {
            Window::Days7 => last(7),
            Window::Days30 => last(30),
            Window::Days90 => last(90),
            Window::Custom => {
                let day = |d: Option<&str>| {
                    d.and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
                };
                let (Some(from), Some(to)) = (day(from), day(to)) else {
                    return Err(AppError::BadRequest(
                        "from, to: YYYY-MM-DD days are required with period=custom".into(),
                    ));
                };
                (local_midnight(from), local_midnight(to) + DAY_MS)
            }
        })
    }
}

pub async fn opinion(
    state: &AppState,
    staff: &Staff,
    unit_id: Option<Id>,
    from: Millis,
    to: Millis,
) -> AppResult<Opinion> {
    if to <= from || to - from > 400 * DAY_MS {
        return Err(AppError::BadRequest("period".into()));
    }
    let unit = access::unit_in_scope(state, staff, unit_id)?;
    // Days before today are pre-aggregated by the statistics refresh; today is live.
    let today = local_midnight(local_date(state.now()));
    let query = |from, to| OpinionQuery {
        scope: Some(unit.path.clone()),
        include_conduct: staff.role.sees_conduct(),
        from,
        to,
        settled_before: today,
    };
    let current = query(from, to);
    let before = query(from - (to - from), from);
    let (view, previous, clusters, alerts) = tokio::try_join!(
        state.stores.opinion.opinion(&current),
        state.stores.opinion.opinion(&before),
        state.stores.opinion.top_clusters(&current, TOP_CLUSTERS),
        state
            .stores
            .opinion
            .alerts(Some(&unit.path), from, to, ALERTS_SHOWN),
    )?;
    let units = shares(state, &unit, &view.by_unit, &previous.by_unit);
    Ok(Opinion {
        unit,
        from,
        to,
        view,
        previous,
        units,
        clusters,
        alerts,
    })
}

/// Roll the per-unit counts up to the children of `unit`.
fn shares(
    state: &AppState,
    unit: &Unit,
    now: &[OpinionBucket],
    before: &[OpinionBucket],
) -> Vec<UnitShare> {
    let org = state.org();
    let mut children: Vec<UnitShare> = org
        .children(unit.id)
        .map(|u| UnitShare {
            unit: u.clone(),
            total: 0,
            negative: 0,
            previous: 0,
        })
        .collect();
    // Appeals held by the unit itself count on its own line.
    children.push(UnitShare {
        unit: unit.clone(),
        total: 0,
        negative: 0,
        previous: 0,
    });
    let own = children.len() - 1;
    for (buckets, current) in [(now, true), (before, false)] {
        for b in buckets {
            let Some(u) = b.key.parse::<Id>().ok().and_then(|id| org.unit(id)) else {
                continue;
            };
            let ix = line_of(&children[..own], &u.path).unwrap_or(own);
            if current {
                children[ix].total += b.total;
                children[ix].negative += b.negative;
            } else {
                children[ix].previous += b.total;
            }
        }
    }
    children.retain(|c| c.unit.id != unit.id || c.total > 0 || c.previous > 0);
    children.sort_by(|a, b| b.total.cmp(&a.total).then(a.unit.id.cmp(&b.unit.id)));
    children
}

fn line_of(children: &[UnitShare], path: &UnitPath) -> Option<usize> {
    children.iter().position(|c| c.unit.path.contains(path))
}
