//! Rate counts per unit.

use police_square_domain::rates::RateCounts;
use serde::{Deserialize, Serialize};

use crate::Id;

/// Rate counts of the appeals a unit owns (not rolled up; the caller rolls up the tree).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitCounts {
    pub unit_id: Id,
    pub counts: RateCounts,
}
