//! Access rules (权限).
//!
//! - Staff act only on appeals whose owning unit lies inside their own unit's subtree;
//!   outside it an appeal answers 404 like a missing one (403 would tell which ids
//!   exist).
//! - `conduct` complaints (about officers) exist only for supervisors and admins: to
//!   everyone else they are 404 and never appear in an inbox. They are also hidden
//!   from supervisors posted in the accused unit (or above it within the same bureau
//!   chain), admins excepted.
//! - Leaders and analysts read; handlers, supervisors and admins handle; supervisors
//!   and admins decide requests; operators record appeals and look up callers.

use police_square_domain::{Action, Category, Role};
use police_square_store::{Appeal, Id, Staff, Unit};

use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

/// What the caller wants to do with an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Read,
    /// Accept, assign, transfer, hand off, reply, close, reject, ask for an extension.
    Handle,
    /// Decide extensions, transfers and reviews.
    Supervise,
    /// See the resident's phone, name and address in clear (audited).
    Reveal,
}

/// The unit a staff member looks at: their own, or one inside their scope.
pub fn unit_in_scope(state: &AppState, staff: &Staff, unit_id: Option<Id>) -> AppResult<Unit> {
    let org = state.org();
    let id = unit_id.unwrap_or(staff.unit_id);
    let unit = org.unit(id).ok_or(AppError::NotFound)?;
    if !staff.unit_path.contains(&unit.path) {
        return Err(AppError::NotFound);
    }
    Ok(unit.clone())
}

pub fn is_conduct(appeal: &Appeal) -> bool {
    appeal.category.as_deref() == Some(Category::CONDUCT)
}

/// May `staff` see that this appeal exists at all?
fn sees(staff: &Staff, appeal: &Appeal) -> bool {
    if !is_conduct(appeal) {
        return true;
    }
    if !staff.role.sees_conduct() {
        return false;
    }
    let in_accused_unit = appeal
        .subject_unit_id
        .is_some_and(|s| staff.unit_path.ids().contains(&s));
    staff.role == Role::Admin || !in_accused_unit
}

pub fn check(staff: &Staff, appeal: &Appeal, need: Need) -> AppResult<()> {
    if !sees(staff, appeal) {
        return Err(AppError::NotFound);
    }
    if !staff.unit_path.contains(&appeal.unit_path) {
        return Err(AppError::NotFound);
    }
    let role = staff.role;
    let allowed = match need {
        Need::Read => true,
        Need::Handle => role.handles_appeals(),
        Need::Supervise => role.supervises(),
        Need::Reveal => role.may_reveal_personal_data(),
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Load an appeal and check access in one step (404 when it does not exist).
pub async fn load(state: &AppState, staff: &Staff, id: Id, need: Need) -> AppResult<Appeal> {
    let appeal = state
        .stores
        .appeals
        .appeal(id)
        .await?
        .ok_or(AppError::NotFound)?;
    check(staff, &appeal, need)?;
    Ok(appeal)
}

/// The actions `staff` may take on `appeal` now, as API path names
/// (`accept`, `assign`, `transfer`, `handoff`, `reply`, `extension`, `close`, `reject`,
/// `reveal`) — for pages to show only the buttons that will work.
pub fn allowed_actions(staff: &Staff, appeal: &Appeal) -> Vec<&'static str> {
    let mut out = Vec::new();
    if check(staff, appeal, Need::Read).is_err() {
        return out;
    }
    if staff.role.handles_appeals() {
        for (name, action) in [
            ("accept", Action::Accept),
            ("assign", Action::Assign),
            ("transfer", Action::Transfer),
            ("handoff", Action::HandOff),
            ("reply", Action::Reply),
            ("close", Action::Close),
            ("reject", Action::Reject),
        ] {
            if appeal.status.apply(action).is_ok() {
                out.push(name);
            }
        }
        if appeal.status.is_open() {
            out.push("extension");
        }
    }
    if staff.role.may_reveal_personal_data() {
        out.push("reveal");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use police_square_domain::{org::UnitPath, AppealKind, Channel, Status, Urgency};

    fn staff(role: Role, path: &str) -> Staff {
        let path = UnitPath::parse(path).unwrap();
        Staff {
            id: 1,
            username: "u".into(),
            display_name: "u".into(),
            role,
            unit_id: *path.ids().last().unwrap(),
            unit_path: path,
            password_hash: String::new(),
            disabled: false,
            created_at: 0,
        }
    }

    fn appeal(path: &str, category: &str, subject: Option<Id>) -> Appeal {
        let unit_path = UnitPath::parse(path).unwrap();
        Appeal {
            id: 9,
            tracking_code: "X".into(),
            kind: AppealKind::Complaint,
            channel: Channel::Web,
            text: String::new(),
            category: Some(category.into()),
            category_confidence: None,
            category_needs_review: false,
            urgency: Urgency::Normal,
            emergency: false,
            possible_emergency: false,
            sentiment: None,
            unit_id: *unit_path.ids().last().unwrap(),
            unit_path,
            subject_unit_id: subject,
            assignee_id: None,
            status: Status::Received,
            received_at: 0,
            accept_by: 0,
            accepted_at: None,
            due_at: 0,
            replied_at: None,
            closed_at: None,
            reply_text: None,
            rating_resolved: None,
            rating_satisfaction: None,
            rated_at: None,
            reopen_count: 0,
            supervision_level: 0,
            follow_ups: 0,
            phone_masked: String::new(),
            address_masked: None,
            cluster_id: None,
            version: 1,
            updated_at: 0,
        }
    }

    #[test]
    fn scope_and_roles() {
        let a = appeal("/1/3/5/", "theft", None);
        assert!(check(&staff(Role::Handler, "/1/3/5/"), &a, Need::Handle).is_ok());
        assert!(check(&staff(Role::Handler, "/1/3/"), &a, Need::Handle).is_ok());
        assert!(matches!(
            check(&staff(Role::Handler, "/1/3/6/"), &a, Need::Read),
            Err(AppError::NotFound)
        ));
        assert!(check(&staff(Role::Leader, "/1/"), &a, Need::Read).is_ok());
        assert!(matches!(
            check(&staff(Role::Leader, "/1/"), &a, Need::Handle),
            Err(AppError::Forbidden)
        ));
    }

    #[test]
    fn conduct_is_for_supervisors_outside_the_accused_unit() {
        // Complaint about station 5, owned by the district office /1/3/4/.
        let a = appeal("/1/3/4/", "conduct", Some(5));
        assert!(matches!(
            check(&staff(Role::Handler, "/1/3/"), &a, Need::Read),
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            check(&staff(Role::Leader, "/1/"), &a, Need::Read),
            Err(AppError::NotFound)
        ));
        assert!(check(&staff(Role::Supervisor, "/1/3/"), &a, Need::Supervise).is_ok());
        // A complaint about the district bureau itself is hidden from its supervisors.
        let b = appeal("/1/2/", "conduct", Some(3));
        assert!(check(&staff(Role::Supervisor, "/1/3/"), &b, Need::Read).is_err());
        assert!(check(&staff(Role::Supervisor, "/1/"), &b, Need::Read).is_ok());
    }
}
