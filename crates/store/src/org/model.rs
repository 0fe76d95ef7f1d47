//! Units (the police organisation tree) and staff accounts.

use police_square_domain::{org::UnitPath, Millis, Role, UnitKind};
use serde::{Deserialize, Serialize};

use crate::Id;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: Id,
    pub parent_id: Option<Id>,
    pub name: String,
    pub kind: UnitKind,
    pub path: UnitPath,
    #[serde(flatten)]
    pub profile: UnitProfile,
}

/// What a unit is beyond its place in the tree: the bureau's code for it, the area it
/// serves, its public contact details, and whether it is retired.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitProfile {
    /// 单位代码: the bureau's own code, the natural key of a re-import.
    pub code: Option<String>,
    /// 行政区划 the unit serves (吴兴区), empty when not given.
    pub district: String,
    /// 值班电话 (public).
    pub duty_phone: String,
    /// 对外办公地址 (public).
    pub address: String,
    /// 办公时间 (public).
    pub hours: String,
    /// 已撤销: kept for the history of its appeals, offered for nothing new.
    pub retired: bool,
}

/// A change to a unit's name, kind and profile (its place in the tree moves with
/// [`crate::OrgStore::move_unit`]).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitEdit {
    pub name: String,
    pub kind: UnitKind,
    pub profile: UnitProfile,
}

/// A change to a staff account's name, role and unit (password and disabling have
/// their own calls).
#[derive(Debug, Clone, PartialEq)]
pub struct StaffEdit {
    pub display_name: String,
    pub role: Role,
    pub unit_id: Id,
}

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub parent_id: Option<Id>,
    pub name: String,
    pub kind: UnitKind,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Staff {
    pub id: Id,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Id,
    pub unit_path: UnitPath,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: Millis,
}

#[derive(Debug, Clone)]
pub struct NewStaff {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Id,
    pub password_hash: String,
}
