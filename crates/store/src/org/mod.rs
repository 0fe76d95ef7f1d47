//! The organisation: units (the police tree) and staff accounts, with the audited
//! changes the admin pages and imports make to them.

pub mod model;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis};

use crate::{Id, NewStaff, NewUnit, Staff, StaffEdit, StoreResult, Unit, UnitEdit, UnitProfile};

/// Units and staff. Each method is one transaction.
#[async_trait]
pub trait OrgStore: Send + Sync + 'static {
    async fn create_unit(&self, unit: NewUnit) -> StoreResult<Unit>;
    /// All units (a city has hundreds at most); callers cache the tree.
    async fn units(&self) -> StoreResult<Vec<Unit>>;
    async fn create_staff(&self, staff: NewStaff) -> StoreResult<Staff>;
    async fn staff(&self, id: Id) -> StoreResult<Option<Staff>>;
    /// The staff with these ids (unknown ones left out), in id order: one query for a
    /// page that names many people.
    async fn staff_by_ids(&self, ids: &[Id]) -> StoreResult<Vec<Staff>>;
    async fn staff_by_username(&self, username: &str) -> StoreResult<Option<Staff>>;
    /// Staff of a unit subtree (for assignment lists and reminders), optionally by role.
    async fn staff_in(
        &self,
        scope: &UnitPath,
        role: Option<police_square_domain::Role>,
    ) -> StoreResult<Vec<Staff>>;
    async fn set_password(&self, staff_id: Id, password_hash: &str) -> StoreResult<()>;
    async fn set_disabled(&self, staff_id: Id, disabled: bool) -> StoreResult<()>;
    // The admin changes below append their audit entry (`actor`, `at`) in the same
    // transaction.
    /// Create a unit with its profile (audited `unit.created`). A taken code is a
    /// [`StoreError::Conflict`](crate::StoreError::Conflict); an unknown parent is [`StoreError::NotFound`](crate::StoreError::NotFound).
    async fn add_unit(
        &self,
        unit: NewUnit,
        profile: UnitProfile,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit>;
    /// Rename, change the kind or profile, retire (audited `unit.updated`).
    async fn update_unit(
        &self,
        id: Id,
        edit: UnitEdit,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit>;
    /// Move a unit (and its subtree) under another parent, or to the root; the paths
    /// copied into appeals, clusters, alerts and reports move with it (audited
    /// `unit.moved`). Under itself or a sub-unit is a [`StoreError::Conflict`](crate::StoreError::Conflict).
    async fn move_unit(
        &self,
        id: Id,
        parent_id: Option<Id>,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit>;
    /// [`Self::create_staff`], audited `staff.created`.
    async fn add_staff(&self, staff: NewStaff, actor: &str, at: Millis) -> StoreResult<Staff>;
    /// Change name, role and unit (audited `staff.updated`).
    async fn update_staff(
        &self,
        id: Id,
        edit: StaffEdit,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Staff>;
}
