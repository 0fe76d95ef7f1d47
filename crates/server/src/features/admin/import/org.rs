//! `org import`: the unit tree from a bureau's list of units. A row is matched to a
//! stored unit by its code, else by its name under its parent; a matched unit is
//! updated (renamed, moved, its profile changed) only where the row differs, so a
//! second run changes nothing. Rows may list children before their parents.

use std::collections::HashMap;

use police_square_domain::{
    org_rows::{self, reference_path, RawUnitRow, UnitRow},
    Millis,
};
use police_square_store::{Id, NewUnit, OrgStore, StoreError, Unit, UnitEdit, UnitProfile};

use super::{Column, Columns, ImportError, ImportReport, Progress, Table};

pub const UNIT_COLUMNS: &[Column] = &[
    Column {
        key: "code",
        names: &["code", "单位代码", "代码", "编码", "机构代码"],
        required: false,
    },
    Column {
        key: "name",
        names: &["name", "单位名称", "名称", "单位"],
        required: true,
    },
    Column {
        key: "kind",
        names: &["kind", "type", "单位类型", "类型", "层级"],
        required: false,
    },
    Column {
        key: "parent",
        names: &["parent", "上级单位", "上级", "上级单位代码", "上级代码"],
        required: false,
    },
    Column {
        key: "district",
        names: &["district", "行政区划", "辖区", "所属区县", "区县"],
        required: false,
    },
    Column {
        key: "duty_phone",
        names: &["duty_phone", "phone", "值班电话", "联系电话", "电话"],
        required: false,
    },
    Column {
        key: "address",
        names: &["address", "办公地址", "对外办公地址", "地址"],
        required: false,
    },
    Column {
        key: "hours",
        names: &["hours", "办公时间", "工作时间"],
        required: false,
    },
];

/// The units known so far (stored, then created by this import), for resolving
/// references by code, name or name path.
pub struct UnitIndex {
    units: HashMap<Id, Unit>,
}

/// A reference that names no unit, or more than one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    NotFound,
    Ambiguous(usize),
}

impl UnitIndex {
    pub fn new(units: Vec<Unit>) -> Self {
        Self {
            units: units.into_iter().map(|u| (u.id, u)).collect(),
        }
    }

    pub fn put(&mut self, unit: Unit) {
        self.units.insert(unit.id, unit);
    }

    pub fn get(&self, id: Id) -> Option<&Unit> {
        self.units.get(&id)
    }

    /// Names from the root down to `unit`.
    fn name_path(&self, unit: &Unit) -> Vec<&str> {
        unit.path
            .ids()
            .iter()
            .filter_map(|id| self.units.get(id).map(|u| u.name.as_str()))
            .collect()
    }

    /// A unit by code, else by its name (or the tail of its name path) when only one
    /// unit has it.
    pub fn resolve(&self, reference: &str) -> Result<Id, Unresolved> {
        let reference = reference.trim();
        if let Some(u) = self
            .units
            .values()
            .find(|u| u.profile.code.as_deref() == Some(reference))
        {
            return Ok(u.id);
        }
        let wanted = reference_path(reference);
        let Some(last) = wanted.last() else {
            return Err(Unresolved::NotFound);
        };
        let found: Vec<Id> = self
            .units
            .values()
            .filter(|u| u.name == *last && self.name_path(u).ends_with(&wanted))
            .map(|u| u.id)
            .collect();
        match found.as_slice() {
            [id] => Ok(*id),
            [] => Err(Unresolved::NotFound),
            many => Err(Unresolved::Ambiguous(many.len())),
        }
    }

    /// The stored unit a row means: by code, else by name under the same parent (a
    /// unit imported before without a code gets the code now).
    fn matching(&self, row: &UnitRow, parent: Option<Id>) -> Option<&Unit> {
        if let Some(code) = &row.code {
            if let Some(u) = self
                .units
                .values()
                .find(|u| u.profile.code.as_deref() == Some(code))
            {
                return Some(u);
            }
        }
        self.units
            .values()
            .find(|u| u.parent_id == parent && u.name == row.name)
    }
}

fn unresolved_reason(what: &str, reference: &str, e: &Unresolved) -> String {
    match e {
        Unresolved::NotFound => {
            format!("{what} `{reference}` is neither a unit code nor a unit name in the database or the file")
        }
        Unresolved::Ambiguous(n) => {
            format!("{n} units are named `{reference}`: use its code or its name path (上级/本级)")
        }
    }
}

struct Pending {
    number: usize,
    row: UnitRow,
}

/// Imports the units of `table`; every row that cannot be imported is in the report.
/// `actor` and `now` go into the audit entry of each change.
pub async fn import_units(
    store: &dyn OrgStore,
    table: &Table,
    actor: &str,
    now: Millis,
    progress: &dyn Progress,
) -> Result<ImportReport, ImportError> {
    let cols = Columns::map(UNIT_COLUMNS, &table.headers).map_err(ImportError::MissingColumns)?;
    let mut report = ImportReport {
        format: table.format,
        rows: table.rows.len(),
        ..Default::default()
    };
    progress.start(table.rows.len() as u64);
    let mut pending = Vec::new();
    let mut codes_seen: HashMap<String, usize> = HashMap::new();
    for r in &table.rows {
        let raw = RawUnitRow {
            code: cols.get(r, "code"),
            name: cols.get(r, "name"),
            kind: cols.get(r, "kind"),
            parent: cols.get(r, "parent"),
            district: cols.get(r, "district"),
            duty_phone: cols.get(r, "duty_phone"),
            address: cols.get(r, "address"),
            hours: cols.get(r, "hours"),
        };
        match org_rows::unit_row(&raw) {
            Err(e) => {
                report.reject(r.number, cols.header(e.field), e.reason);
                progress.advance();
            }
            Ok(row) => {
                if let Some(code) = &row.code {
                    if let Some(first) = codes_seen.insert(code.clone(), r.number) {
                        report.reject(
                            r.number,
                            cols.header("code"),
                            format!("code {code} is already on row {first}"),
                        );
                        progress.advance();
                        continue;
                    }
                }
                pending.push(Pending {
                    number: r.number,
                    row,
                });
            }
        }
    }

    let mut index = UnitIndex::new(store.units().await?);
    // Each pass imports the rows whose parent is known; a row whose parent comes
    // later in the file waits for the next pass.
    loop {
        let before = pending.len();
        let mut waiting = Vec::new();
        for p in pending {
            let parent = match &p.row.parent {
                None => None,
                Some(reference) => match index.resolve(reference) {
                    Ok(id) => Some(id),
                    Err(Unresolved::NotFound) => {
                        waiting.push(p);
                        continue;
                    }
                    Err(e) => {
                        report.reject(
                            p.number,
                            cols.header("parent"),
                            unresolved_reason("parent", reference, &e),
                        );
                        progress.advance();
                        continue;
                    }
                },
            };
            apply(
                store,
                &mut index,
                &mut report,
                &cols,
                &p,
                parent,
                actor,
                now,
            )
            .await?;
            progress.advance();
        }
        pending = waiting;
        if pending.is_empty() || pending.len() == before {
            break;
        }
    }
    for p in pending {
        let reference = p.row.parent.as_deref().unwrap_or_default();
        report.reject(
            p.number,
            cols.header("parent"),
            unresolved_reason("parent", reference, &Unresolved::NotFound),
        );
        progress.advance();
    }
    progress.finish();
    report.sort();
    Ok(report)
}

#[allow(clippy::too_many_arguments)]
async fn apply(
    store: &dyn OrgStore,
    index: &mut UnitIndex,
    report: &mut ImportReport,
    cols: &Columns,
    p: &Pending,
    parent: Option<Id>,
    actor: &str,
    now: Millis,
) -> Result<(), ImportError> {
    let row = &p.row;
    let kind = row.kind.expect("validated rows have a kind");
    let existing = index.matching(row, parent).cloned();
    let mut moved = false;
    // A column the file does not have leaves the stored value alone (a list of names
    // and parents does not erase the phones typed in the admin page); an empty cell
    // in a column it has clears the value.
    let profile = |old: Option<&UnitProfile>| {
        let keep = |key: &str, new: &String, old: Option<&String>| match old {
            Some(old) if !cols.has(key) => old.clone(),
            _ => new.clone(),
        };
        UnitProfile {
            code: row.code.clone().or(old.and_then(|o| o.code.clone())),
            district: keep("district", &row.district, old.map(|o| &o.district)),
            duty_phone: keep("duty_phone", &row.duty_phone, old.map(|o| &o.duty_phone)),
            address: keep("address", &row.address, old.map(|o| &o.address)),
            hours: keep("hours", &row.hours, old.map(|o| &o.hours)),
            // An import neither retires nor revives a unit: the admin page does.
            retired: old.is_some_and(|o| o.retired),
        }
    };
    let outcome = match existing {
        None => {
            let new = NewUnit {
                parent_id: parent,
                name: row.name.clone(),
                kind,
            };
            store
                .add_unit(new, profile(None), actor, now)
                .await
                .inspect(|_| report.created += 1)
        }
        Some(old) => {
            if let (Some(new), Some(had)) = (&row.code, &old.profile.code) {
                if new != had {
                    report.reject(
                        p.number,
                        cols.header("code"),
                        format!("`{}` here already has code {had}", old.name),
                    );
                    return Ok(());
                }
            }
            let edit = UnitEdit {
                name: row.name.clone(),
                kind,
                profile: profile(Some(&old.profile)),
            };
            if parent != old.parent_id {
                if let Some(parent) = parent {
                    let parent_path = &index.get(parent).expect("resolved").path;
                    if old.path.contains(parent_path) {
                        report.reject(
                            p.number,
                            cols.header("parent"),
                            "a unit cannot be placed under itself or one of its sub-units",
                        );
                        return Ok(());
                    }
                }
            }
            let same = edit.name == old.name
                && edit.kind == old.kind
                && edit.profile == old.profile
                && parent == old.parent_id;
            if same {
                report.unchanged += 1;
                return Ok(());
            }
            let mut result = Ok(old.clone());
            if parent != old.parent_id {
                moved = true;
                result = store.move_unit(old.id, parent, actor, now).await;
            }
            if result.is_ok()
                && (edit.name != old.name || edit.kind != old.kind || edit.profile != old.profile)
            {
                result = store.update_unit(old.id, edit, actor, now).await;
            }
            if result.is_ok() {
                report.updated += 1;
            }
            result
        }
    };
    match outcome {
        Ok(unit) => {
            // A move changes the paths below the unit too: reload them.
            if moved {
                *index = UnitIndex::new(store.units().await?);
            } else {
                index.put(unit);
            }
            Ok(())
        }
        Err(StoreError::Conflict(msg)) => {
            report.reject(p.number, cols.header("code"), msg);
            Ok(())
        }
        Err(StoreError::NotFound) => {
            report.reject(p.number, cols.header("parent"), "the parent unit is gone");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
