//! `user import`: staff accounts from a bureau's list. A row is matched to an account by
//! username; an existing account gets the row's name, role and unit where they differ
//! (its password is left alone), so a second run changes nothing. A new account gets
//! the row's temporary password, or a generated one that the caller shows once.

use std::collections::HashMap;

use police_square_domain::{
    org_rows::{self, RawStaffRow},
    Millis,
};
use police_square_store::{password, NewStaff, OrgStore, StaffEdit, StoreError};

use super::{
    org::{UnitIndex, Unresolved},
    Column, Columns, ImportError, ImportReport, Progress, Table,
};

pub const STAFF_COLUMNS: &[Column] = &[
    Column {
        key: "username",
        names: &["username", "login", "用户名", "账号", "登录名"],
        required: true,
    },
    Column {
        key: "display_name",
        names: &["display_name", "name", "姓名", "显示名"],
        required: false,
    },
    Column {
        key: "role",
        names: &["role", "角色", "岗位"],
        required: true,
    },
    Column {
        key: "unit",
        names: &["unit", "单位", "所属单位", "单位代码", "单位名称"],
        required: true,
    },
    Column {
        key: "password",
        names: &["password", "初始密码", "临时密码", "密码"],
        required: false,
    },
];

/// What a staff import did, with the passwords it generated (shown once, never
/// stored in clear).
#[derive(Debug, Default)]
pub struct StaffImport {
    pub report: ImportReport,
    /// `(username, password)` of each account created without a password in the file.
    pub generated: Vec<(String, String)>,
}

pub async fn import_staff(
    store: &dyn OrgStore,
    table: &Table,
    actor: &str,
    now: Millis,
    progress: &dyn Progress,
) -> Result<StaffImport, ImportError> {
    let cols = Columns::map(STAFF_COLUMNS, &table.headers).map_err(ImportError::MissingColumns)?;
    let mut out = StaffImport {
        report: ImportReport {
            format: table.format,
            rows: table.rows.len(),
            ..Default::default()
        },
        generated: Vec::new(),
    };
    let report = &mut out.report;
    let index = UnitIndex::new(store.units().await?);
    let mut seen: HashMap<String, usize> = HashMap::new();
    progress.start(table.rows.len() as u64);
    for r in &table.rows {
        progress.advance();
        let raw = RawStaffRow {
            username: cols.get(r, "username"),
            display_name: cols.get(r, "display_name"),
            role: cols.get(r, "role"),
            unit: cols.get(r, "unit"),
            password: cols.get(r, "password"),
        };
        let row = match org_rows::staff_row(&raw) {
            Ok(row) => row,
            Err(e) => {
                report.reject(r.number, cols.header(e.field), e.reason);
                continue;
            }
        };
        if let Some(first) = seen.insert(row.username.clone(), r.number) {
            report.reject(
                r.number,
                cols.header("username"),
                format!("{} is already on row {first}", row.username),
            );
            continue;
        }
        let unit_id = match index.resolve(&row.unit) {
            Ok(id) => id,
            Err(e) => {
                let reason = match e {
                    Unresolved::NotFound => format!(
                        "unit `{}` is neither a unit code nor a unit name (import the units first: police-square org import)",
                        row.unit
                    ),
                    Unresolved::Ambiguous(n) => format!(
                        "{n} units are named `{}`: use its code or its name path (上级/本级)",
                        row.unit
                    ),
                };
                report.reject(r.number, cols.header("unit"), reason);
                continue;
            }
        };
        if index.get(unit_id).is_some_and(|u| u.profile.retired) {
            report.reject(
                r.number,
                cols.header("unit"),
                format!("unit `{}` is retired", row.unit),
            );
            continue;
        }
        match store.staff_by_username(&row.username).await? {
            Some(existing) => {
                let edit = StaffEdit {
                    display_name: row.display_name.clone(),
                    role: row.role,
                    unit_id,
                };
                if existing.display_name == edit.display_name
                    && existing.role == edit.role
                    && existing.unit_id == edit.unit_id
                {
                    report.unchanged += 1;
                } else {
                    store.update_staff(existing.id, edit, actor, now).await?;
                    report.updated += 1;
                }
            }
            None => {
                let (pw, generated) = match &row.password {
                    Some(pw) => (pw.clone(), false),
                    None => (password::generate_password(), true),
                };
                let hash = password::hash_password(&pw)
                    .map_err(|e| ImportError::Password(e.to_string()))?;
                let new = NewStaff {
                    username: row.username.clone(),
                    display_name: row.display_name.clone(),
                    role: row.role,
                    unit_id,
                    password_hash: hash,
                };
                match store.add_staff(new, actor, now).await {
                    Ok(_) => {
                        report.created += 1;
                        if generated {
                            out.generated.push((row.username, pw));
                        }
                    }
                    Err(StoreError::Conflict(msg)) => {
                        report.reject(r.number, cols.header("username"), msg)
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    progress.finish();
    Ok(out)
}
