//! Reference lists the forms need: units, external departments, reply templates,
//! officers an appeal can be assigned to.

use police_square_domain::Role;
use police_square_store::{Department, Id, ReplyTemplate, Staff, Unit};
use serde::Serialize;

use crate::app::{error::AppResult, state::AppState};
use crate::features::lifecycle::access::{self, Need};

/// A staff member as others see them (never the password hash).
#[derive(Debug, Clone, Serialize)]
pub struct StaffProfile {
    pub id: Id,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Id,
}

impl From<&Staff> for StaffProfile {
    fn from(s: &Staff) -> Self {
        Self {
            id: s.id,
            username: s.username.clone(),
            display_name: s.display_name.clone(),
            role: s.role,
            unit_id: s.unit_id,
        }
    }
}

/// The whole unit tree (public: unit names are published).
pub async fn units(state: &AppState) -> AppResult<Vec<Unit>> {
    Ok(state.reload_org().await?.all().to_vec())
}

pub async fn departments(state: &AppState) -> AppResult<Vec<Department>> {
    Ok(state.stores.catalog.departments().await?)
}

pub async fn reply_templates(state: &AppState) -> AppResult<Vec<ReplyTemplate>> {
    Ok(state.stores.catalog.reply_templates().await?)
}

/// Officers of the owning unit (and below) who can take the case.
pub async fn assignees(
    state: &AppState,
    staff: &Staff,
    appeal_id: Id,
) -> AppResult<Vec<StaffProfile>> {
    let appeal = access::load(state, staff, appeal_id, Need::Handle).await?;
    Ok(state
        .stores
        .org
        .staff_in(&appeal.unit_path, None)
        .await?
        .iter()
        .filter(|s| !s.disabled && s.role.handles_appeals())
        .map(StaffProfile::from)
        .collect())
}
