//! The three rates (三率) and companions per unit, rolled up the unit tree.

pub mod api;
pub mod jobs;
pub mod openapi;
pub mod page;

use police_square_domain::{
    calendar::DAY_MS,
    rates::{RateCounts, Rates},
    Millis, Role, UnitKind,
};
use police_square_store::{Id, Staff};
use serde::{Deserialize, Serialize};

use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

/// Period of appeals received in `[from, to)`; defaults to the last 30 days.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: Option<Millis>,
    pub to: Option<Millis>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRates {
    pub unit_id: Id,
    pub parent_id: Option<Id>,
    pub name: String,
    pub kind: UnitKind,
    /// Depth in the tree (0 = city bureau), for indenting.
    pub depth: usize,
    /// This unit and everything below it.
    pub counts: RateCounts,
    pub rates: Rates,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub from: Millis,
    pub to: Millis,
    pub units: Vec<UnitRates>,
}

/// Rates for every unit in the caller's scope, each including its sub-units.
pub async fn dashboard(state: &AppState, staff: &Staff, period: Period) -> AppResult<Dashboard> {
    if staff.role == Role::Operator {
        return Err(AppError::Forbidden);
    }
    let now = state.now();
    let to = period.to.unwrap_or(now);
    let from = period.from.unwrap_or(to - 30 * DAY_MS);
    if from >= to {
        return Err(AppError::BadRequest("`from` must be before `to`".into()));
    }
    let own = state.stores.rates.rate_counts(from, to, now).await?;
    let org = state.org();
    let weights = state.settings().weights;
    let mut units: Vec<UnitRates> = org
        .in_scope(&staff.unit_path)
        .map(|unit| {
            let counts = own
                .iter()
                .filter(|c| {
                    org.unit(c.unit_id)
                        .is_some_and(|u| unit.path.contains(&u.path))
                })
                .fold(RateCounts::default(), |acc, c| acc + c.counts);
            UnitRates {
                unit_id: unit.id,
                parent_id: unit.parent_id,
                name: unit.name.clone(),
                kind: unit.kind,
                depth: unit.path.ids().len().saturating_sub(1),
                rates: Rates::from_counts(&counts, &weights),
                counts,
            }
        })
        .collect();
    // Tree order: parents before children.
    units.sort_by(|a, b| {
        let pa = org.unit(a.unit_id).map(|u| u.path.ids());
        let pb = org.unit(b.unit_id).map(|u| u.path.ids());
        pa.cmp(&pb)
    });
    Ok(Dashboard { from, to, units })
}
