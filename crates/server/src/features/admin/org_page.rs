//! Administration of the organisation (admin role): units (create, rename, move under
//! another parent, retire) and staff accounts (create, edit role and unit, disable,
//! reset the password). Rows are validated by the same domain rules as the imports;
//! every change is audited (by the store in the same transaction, or here for
//! passwords and disabling).

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
    Router,
};
use police_square_domain::{
    org_rows::{self, RawUnitRow},
    Role, UnitKind,
};
use police_square_store::{
    password, Actor, Id, NewAudit, NewStaff, NewUnit, Staff, StaffEdit, StoreError, Unit, UnitEdit,
    UnitProfile,
};
use serde::Deserialize;

use super::settings::require_admin;
use crate::app::{
    auth::{hash_password, CurrentStaff},
    error::{AppError, AppResult},
    org::OrgTree,
    state::AppState,
};
use crate::{
    app::pages::console::{staff_page, Opt},
    app::pages::ctx::{render, render_status, CsrfForm, PageFrame},
};

/// The unit and staff pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/admin/units", get(units).post(create_unit))
        .route("/staff/admin/units/{id}", get(unit).post(save_unit))
        .route("/staff/admin/staff", get(staff_list).post(create_staff))
        .route("/staff/admin/staff/{id}", get(account).post(save_account))
        .route("/staff/admin/staff/{id}/{action}", post(account_action))
}

/// A unit in the tree listing, indented by depth.
struct UnitLine {
    unit: Unit,
    depth: usize,
    kind_label: String,
}

#[derive(Template)]
#[template(path = "staff/admin_units.html")]
struct UnitsPage {
    p: PageFrame,
    units: Vec<UnitLine>,
    kinds: Vec<Opt>,
    parents: Vec<Opt>,
    form: UnitForm,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/admin_unit.html")]
struct UnitPage {
    p: PageFrame,
    unit: Unit,
    kinds: Vec<Opt>,
    parents: Vec<Opt>,
    form: UnitForm,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub duty_phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub hours: String,
    /// "on" when the retire box is ticked.
    pub retired: Option<String>,
}

impl UnitForm {
    fn of(u: &Unit) -> Self {
        Self {
            name: u.name.clone(),
            kind: u.kind.as_str().into(),
            parent: u.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            code: u.profile.code.clone().unwrap_or_default(),
            district: u.profile.district.clone(),
            duty_phone: u.profile.duty_phone.clone(),
            address: u.profile.address.clone(),
            hours: u.profile.hours.clone(),
            retired: u.profile.retired.then(|| "on".into()),
        }
    }
}

fn actor(staff: &CurrentStaff) -> String {
    Actor::Staff(staff.id).label()
}

fn kind_options(p: &PageFrame, selected: &str) -> Vec<Opt> {
    UnitKind::ALL
        .iter()
        .map(|k| Opt {
            value: k.as_str().into(),
            label: p.t(&format!("page.admin_org.kind_{k}")),
            selected: k.as_str() == selected,
        })
        .collect()
}

/// Parents a unit may go under: every unit that is not retired and not inside
/// `moving` (a unit cannot go under itself), with "none" (a root) first.
fn parent_options(
    p: &PageFrame,
    units: &[Unit],
    moving: Option<&Unit>,
    selected: &str,
) -> Vec<Opt> {
    let mut out = vec![Opt {
        value: String::new(),
        label: p.t("page.admin_org.no_parent"),
        selected: selected.is_empty(),
    }];
    for u in units {
        if u.profile.retired || moving.is_some_and(|m| m.path.contains(&u.path)) {
            continue;
        }
        let depth = u.path.ids().len().saturating_sub(1);
        out.push(Opt {
            value: u.id.to_string(),
            label: format!("{}{}", "　".repeat(depth), u.name),
            selected: u.id.to_string() == selected,
        });
    }
    out
}

/// The form as a validated unit: name, kind, profile, parent id.
fn parse_unit(p: &PageFrame, form: &UnitForm) -> Result<(UnitEdit, Option<Id>), String> {
    let row = org_rows::unit_row(&RawUnitRow {
        code: &form.code,
        name: &form.name,
        kind: &form.kind,
        parent: "",
        district: &form.district,
        duty_phone: &form.duty_phone,
        address: &form.address,
        hours: &form.hours,
    })
    .map_err(|e| field_error(p, e.field, &e.reason))?;
    let parent = match form.parent.trim() {
        "" => None,
        id => Some(
            id.parse::<Id>()
                .map_err(|_| field_error(p, "parent", "unknown unit"))?,
        ),
    };
    Ok((
        UnitEdit {
            name: row.name,
            kind: row.kind.expect("validated rows have a kind"),
            profile: UnitProfile {
                code: row.code,
                district: row.district,
                duty_phone: row.duty_phone,
                address: row.address,
                hours: row.hours,
                retired: form.retired.is_some(),
            },
        },
        parent,
    ))
}

/// The rule a field broke, in the page's language (`page.admin_org.err_<field>`).
fn field_error(p: &PageFrame, field: &str, _reason: &str) -> String {
    p.t(&format!("page.admin_org.err_{field}"))
}

fn store_error(p: &PageFrame, e: StoreError) -> AppResult<String> {
    match e {
        StoreError::Conflict(_) => Ok(p.t("page.admin_org.err_conflict")),
        StoreError::NotFound => Ok(p.t("page.admin_org.err_gone")),
        other => Err(other.into()),
    }
}

async fn units_view(
    state: &AppState,
    p: PageFrame,
    staff: &CurrentStaff,
    form: UnitForm,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<UnitsPage> {
    let p = staff_page(state, p, staff);
    let all = state.reload_org().await?.all().to_vec();
    let kinds = kind_options(&p, &form.kind);
    let parents = parent_options(&p, &all, None, &form.parent);
    let units = all
        .into_iter()
        .map(|u| UnitLine {
            depth: u.path.ids().len().saturating_sub(1),
            kind_label: p.t(&format!("page.admin_org.kind_{}", u.kind)),
            unit: u,
        })
        .collect();
    Ok(UnitsPage {
        p,
        units,
        kinds,
        parents,
        form,
        notice,
        error,
    })
}

pub async fn units(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
) -> AppResult<Response> {
    require_admin(&staff)?;
    render(&units_view(&state, p, &staff, UnitForm::default(), None, None).await?)
}

pub async fn create_unit(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let error = match parse_unit(&p, &form) {
        Err(msg) => msg,
        Ok((edit, parent)) => {
            let new = NewUnit {
                parent_id: parent,
                name: edit.name.clone(),
                kind: edit.kind,
            };
            let profile = UnitProfile {
                retired: false,
                ..edit.profile
            };
            match state
                .stores
                .org
                .add_unit(new, profile, &actor(&staff), state.now())
                .await
            {
                Ok(u) => {
                    let notice = p.t1("page.admin_org.unit_created", "name", &u.name);
                    let page =
                        units_view(&state, p, &staff, UnitForm::default(), Some(notice), None);
                    return render(&page.await?);
                }
                Err(e) => store_error(&p, e)?,
            }
        }
    };
    let page = units_view(&state, p, &staff, form, None, Some(error)).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn unit_view(
    state: &AppState,
    p: PageFrame,
    staff: &CurrentStaff,
    id: Id,
    form: Option<UnitForm>,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<UnitPage> {
    let p = staff_page(state, p, staff);
    let org = state.reload_org().await?;
    let unit = org.unit(id).cloned().ok_or(AppError::NotFound)?;
    let form = form.unwrap_or_else(|| UnitForm::of(&unit));
    Ok(UnitPage {
        kinds: kind_options(&p, &form.kind),
        parents: parent_options(&p, org.all(), Some(&unit), &form.parent),
        p,
        unit,
        form,
        notice,
        error,
    })
}

pub async fn unit(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    Path(id): Path<Id>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    render(&unit_view(&state, p, &staff, id, None, None, None).await?)
}

/// Rename, change the profile, move and retire in one form: the move first (it can
/// fail on a bad parent), then the rest.
pub async fn save_unit(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    Path(id): Path<Id>,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let old = state
        .reload_org()
        .await?
        .unit(id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let who = actor(&staff);
    let error = match parse_unit(&p, &form) {
        Err(msg) => msg,
        Ok((edit, parent)) => {
            let mut result = Ok(old.clone());
            if parent != old.parent_id {
                result = state
                    .stores
                    .org
                    .move_unit(id, parent, &who, state.now())
                    .await;
            }
            if result.is_ok()
                && (edit.name != old.name || edit.kind != old.kind || edit.profile != old.profile)
            {
                result = state
                    .stores
                    .org
                    .update_unit(id, edit, &who, state.now())
                    .await;
            }
            match result {
                Ok(u) => {
                    state.reload_org().await?;
                    let notice = p.t1("page.admin_org.unit_saved", "name", &u.name);
                    let page = unit_view(&state, p, &staff, id, None, Some(notice), None);
                    return render(&page.await?);
                }
                Err(e) => store_error(&p, e)?,
            }
        }
    };
    let page = unit_view(&state, p, &staff, id, Some(form), None, Some(error)).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ── staff ────────────────────────────────────────────────────────────────

struct StaffLine {
    staff: Staff,
    role_label: String,
    unit_name: String,
}

#[derive(Template)]
#[template(path = "staff/admin_staff.html")]
struct StaffListPage {
    p: PageFrame,
    staff: Vec<StaffLine>,
    roles: Vec<Opt>,
    units: Vec<Opt>,
    form: StaffForm,
    notice: Option<String>,
    /// A temporary password, shown once.
    password: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/admin_account.html")]
struct AccountPage {
    p: PageFrame,
    account: Staff,
    roles: Vec<Opt>,
    units: Vec<Opt>,
    form: StaffForm,
    notice: Option<String>,
    password: Option<String>,
    error: Option<String>,
    is_self: bool,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub struct StaffForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit: String,
}

/// "账号 X 的临时密码：…（只显示这一次）".
fn password_notice(p: &PageFrame, shown: Option<(String, String)>) -> Option<String> {
    shown.map(|(name, pw)| {
        p.ta(
            "page.admin_org.password_once",
            &[("name", name.as_str()), ("password", pw.as_str())],
        )
    })
}

fn role_options(p: &PageFrame, selected: &str) -> Vec<Opt> {
    Role::ALL
        .iter()
        .map(|r| Opt {
            value: r.as_str().into(),
            label: p.t(&format!("role.{r}")),
            selected: r.as_str() == selected,
        })
        .collect()
}

/// Units a person can belong to (not retired).
fn unit_options(units: &[Unit], selected: &str) -> Vec<Opt> {
    units
        .iter()
        .filter(|u| !u.profile.retired)
        .map(|u| Opt {
            value: u.id.to_string(),
            label: format!(
                "{}{}",
                "　".repeat(u.path.ids().len().saturating_sub(1)),
                u.name
            ),
            selected: u.id.to_string() == selected,
        })
        .collect()
}

async fn staff_view(
    state: &AppState,
    p: PageFrame,
    me: &CurrentStaff,
    form: StaffForm,
    notice: Option<String>,
    password: Option<(String, String)>,
    error: Option<String>,
) -> AppResult<StaffListPage> {
    let p = staff_page(state, p, me);
    let org = state.reload_org().await?;
    let mut staff = Vec::new();
    for root in org.all().iter().filter(|u| u.parent_id.is_none()) {
        for s in state.stores.org.staff_in(&root.path, None).await? {
            staff.push(StaffLine {
                role_label: p.t(&format!("role.{}", s.role)),
                unit_name: org.name(s.unit_id).unwrap_or_default().to_owned(),
                staff: s,
            });
        }
    }
    Ok(StaffListPage {
        password: password_notice(&p, password),
        roles: role_options(&p, &form.role),
        units: unit_options(org.all(), &form.unit),
        p,
        staff,
        form,
        notice,
        error,
    })
}

pub async fn staff_list(
    State(state): State<AppState>,
    p: PageFrame,
    me: CurrentStaff,
) -> AppResult<Response> {
    require_admin(&me)?;
    render(&staff_view(&state, p, &me, StaffForm::default(), None, None, None).await?)
}

/// The form as a validated account (the username only matters on creation).
fn parse_staff(
    p: &PageFrame,
    org: &OrgTree,
    form: &StaffForm,
    creating: bool,
) -> Result<(String, StaffEdit), String> {
    let row = org_rows::staff_row(&org_rows::RawStaffRow {
        username: if creating {
            &form.username
        } else {
            "placeholder"
        },
        display_name: &form.display_name,
        role: &form.role,
        unit: &form.unit,
        password: "",
    })
    .map_err(|e| field_error(p, e.field, &e.reason))?;
    // Only a unit that exists and is not retired takes new staff.
    let unit_id = row
        .unit
        .parse::<Id>()
        .ok()
        .filter(|id| org.unit(*id).is_some_and(|u| !u.profile.retired))
        .ok_or_else(|| field_error(p, "unit", "unknown or retired unit"))?;
    Ok((
        row.username,
        StaffEdit {
            display_name: row.display_name,
            role: row.role,
            unit_id,
        },
    ))
}

pub async fn create_staff(
    State(state): State<AppState>,
    p: PageFrame,
    me: CurrentStaff,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> AppResult<Response> {
    require_admin(&me)?;
    let org = state.reload_org().await?;
    let error = match parse_staff(&p, &org, &form, true) {
        Err(msg) => msg,
        Ok((username, edit)) => {
            let pw = password::generate_password();
            let new = NewStaff {
                display_name: if form.display_name.trim().is_empty() {
                    username.clone()
                } else {
                    edit.display_name
                },
                username,
                role: edit.role,
                unit_id: edit.unit_id,
                password_hash: hash_password(&pw).map_err(AppError::internal)?,
            };
            match state
                .stores
                .org
                .add_staff(new, &actor(&me), state.now())
                .await
            {
                Ok(s) => {
                    let notice = p.t1("page.admin_org.staff_created", "name", &s.username);
                    let shown = Some((s.username, pw));
                    let page = staff_view(
                        &state,
                        p,
                        &me,
                        StaffForm::default(),
                        Some(notice),
                        shown,
                        None,
                    );
                    return render(&page.await?);
                }
                Err(e) => store_error(&p, e)?,
            }
        }
    };
    let page = staff_view(&state, p, &me, form, None, None, Some(error)).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[allow(clippy::too_many_arguments)]
async fn account_view(
    state: &AppState,
    p: PageFrame,
    me: &CurrentStaff,
    id: Id,
    form: Option<StaffForm>,
    notice: Option<String>,
    password: Option<(String, String)>,
    error: Option<String>,
) -> AppResult<AccountPage> {
    let p = staff_page(state, p, me);
    let account = state
        .stores
        .org
        .staff(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let org = state.reload_org().await?;
    let form = form.unwrap_or_else(|| StaffForm {
        username: account.username.clone(),
        display_name: account.display_name.clone(),
        role: account.role.as_str().into(),
        unit: account.unit_id.to_string(),
    });
    Ok(AccountPage {
        password: password_notice(&p, password),
        roles: role_options(&p, &form.role),
        units: unit_options(org.all(), &form.unit),
        is_self: account.id == me.id,
        p,
        account,
        form,
        notice,
        error,
    })
}

pub async fn account(
    State(state): State<AppState>,
    p: PageFrame,
    me: CurrentStaff,
    Path(id): Path<Id>,
) -> AppResult<Response> {
    require_admin(&me)?;
    render(&account_view(&state, p, &me, id, None, None, None, None).await?)
}

pub async fn save_account(
    State(state): State<AppState>,
    p: PageFrame,
    me: CurrentStaff,
    Path(id): Path<Id>,
    CsrfForm(form): CsrfForm<StaffForm>,
) -> AppResult<Response> {
    require_admin(&me)?;
    let org = state.reload_org().await?;
    let error = match parse_staff(&p, &org, &form, false) {
        Err(msg) => msg,
        // An admin cannot take away their own admin role (nobody could give it back
        // from the console).
        Ok((_, edit)) if id == me.id && edit.role != Role::Admin => p.t("page.admin_org.err_self"),
        Ok((_, edit)) => match state
            .stores
            .org
            .update_staff(id, edit, &actor(&me), state.now())
            .await
        {
            Ok(s) => {
                let notice = p.t1("page.admin_org.staff_saved", "name", &s.username);
                let page = account_view(&state, p, &me, id, None, Some(notice), None, None);
                return render(&page.await?);
            }
            Err(e) => store_error(&p, e)?,
        },
    };
    let page = account_view(&state, p, &me, id, Some(form), None, None, Some(error)).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Debug, Default, Deserialize)]
pub struct EmptyForm {}

/// `disable`, `enable` or `password` (a new temporary password, shown once).
pub async fn account_action(
    State(state): State<AppState>,
    p: PageFrame,
    me: CurrentStaff,
    Path((id, action)): Path<(Id, String)>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> AppResult<Response> {
    require_admin(&me)?;
    let account = state
        .stores
        .org
        .staff(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut shown = None;
    let (audit_action, notice_key) = match action.as_str() {
        "disable" if id == me.id => {
            let error = Some(p.t("page.admin_org.err_self"));
            let page = account_view(&state, p, &me, id, None, None, None, error).await?;
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        "disable" => {
            state.stores.org.set_disabled(id, true).await?;
            ("staff.disabled", "page.admin_org.staff_disabled")
        }
        "enable" => {
            state.stores.org.set_disabled(id, false).await?;
            ("staff.enabled", "page.admin_org.staff_enabled")
        }
        "password" => {
            let pw = password::generate_password();
            let hash = hash_password(&pw).map_err(AppError::internal)?;
            state.stores.org.set_password(id, &hash).await?;
            shown = Some((account.username.clone(), pw));
            ("staff.password_reset", "page.admin_org.password_reset")
        }
        _ => return Err(AppError::NotFound),
    };
    state
        .stores
        .audit
        .audit(NewAudit {
            at: state.now(),
            actor: actor(&me),
            action: audit_action.into(),
            subject: Actor::Staff(id).label(),
            detail: account.username.clone(),
        })
        .await?;
    let notice = p.t1(notice_key, "name", &account.username);
    render(&account_view(&state, p, &me, id, None, Some(notice), shown, None).await?)
}
