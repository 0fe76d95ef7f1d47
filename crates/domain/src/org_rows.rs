//! What a valid row of an organisation import is (单位/人员导入): a unit of the tree or
//! a staff account, as a bureau writes them in its own spreadsheets. Pure rules, shared
//! by `police-square org import`, `user import` and the admin pages.
//!
//! A bad value is a [`FieldError`] naming the field, so an import can report every
//! rejected row with its column and reason.

use crate::org::{Role, UnitKind};

/// A field of a row was not acceptable; `reason` is safe to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub reason: String,
}

impl FieldError {
    fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.reason)
    }
}

pub const MAX_UNIT_NAME: usize = 60;
pub const MAX_UNIT_CODE: usize = 32;
pub const MAX_ADDRESS: usize = 200;
pub const MAX_HOURS: usize = 100;
pub const MAX_DISPLAY_NAME: usize = 50;
pub const MIN_PASSWORD: usize = 10;

/// A unit as one import row gives it (the parent is still a reference to resolve).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnitRow {
    pub code: Option<String>,
    pub name: String,
    pub kind: Option<UnitKind>,
    /// Code, name, or name path (`湖州市公安局/吴兴区公安分局`) of the parent; none for
    /// the root.
    pub parent: Option<String>,
    pub district: String,
    pub duty_phone: String,
    pub address: String,
    pub hours: String,
}

/// The raw text of a unit row's cells (already trimmed or not: trimmed here).
#[derive(Debug, Clone, Default)]
pub struct RawUnitRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub parent: &'a str,
    pub district: &'a str,
    pub duty_phone: &'a str,
    pub address: &'a str,
    pub hours: &'a str,
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Free text of at most `max` characters on one line.
pub fn line_text(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("longer than {max} characters"),
        ));
    }
    if has_control(v) {
        return Err(FieldError::new(field, "contains control characters"));
    }
    Ok(v.to_owned())
}

fn required_line(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    let v = line_text(field, value, max)?;
    if v.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    Ok(v)
}

/// 单位代码: letters, digits, `-` and `_` (a bureau's codes are often all digits).
pub fn unit_code(value: &str) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.len() > MAX_UNIT_CODE
        || !v
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(FieldError::new(
            "code",
            format!("use up to {MAX_UNIT_CODE} letters, digits, - or _"),
        ));
    }
    Ok(Some(v.to_owned()))
}

/// A unit kind by its key (`station`) or the word a bureau writes (派出所).
pub fn unit_kind(value: &str) -> Result<UnitKind, FieldError> {
    let v = value.trim();
    let kind = match v {
        "市局" | "市公安局" => Some(UnitKind::City),
        "分局" | "县局" | "县区局" | "区县局" | "县（区）局" | "县(区)局" => {
            Some(UnitKind::District)
        }
        "派出所" => Some(UnitKind::Station),
        "交警中队" | "中队" => Some(UnitKind::TrafficTeam),
        "科室" | "办公室" | "部门" | "机关" => Some(UnitKind::Office),
        other => UnitKind::parse(&other.to_ascii_lowercase()).ok(),
    };
    kind.ok_or_else(|| {
        FieldError::new(
            "kind",
            "unknown kind: use city/市局, district/分局, station/派出所, traffic_team/交警中队 or office/科室",
        )
    })
}

/// A public phone of a unit: digits with optional `-`, 3 to 20 characters (110, a
/// landline with area code, a mobile). Empty is allowed.
pub fn duty_phone(value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    let digits = v.bytes().filter(u8::is_ascii_digit).count();
    let ok = v.len() <= 20 && digits >= 3 && v.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if !ok {
        return Err(FieldError::new(
            "duty_phone",
            "use digits and '-' only, e.g. 0572-2012345",
        ));
    }
    Ok(v.to_owned())
}

/// A unit row, validated. A missing kind is left `None`: the importer infers it from
/// the name (派出所 → station…) or rejects the row.
pub fn unit_row(raw: &RawUnitRow<'_>) -> Result<UnitRow, FieldError> {
    let name = required_line("name", raw.name, MAX_UNIT_NAME)?;
    let kind = if raw.kind.trim().is_empty() {
        kind_from_name(&name)
    } else {
        Some(unit_kind(raw.kind)?)
    };
    let kind =
        kind.ok_or_else(|| FieldError::new("kind", "is required (the name does not tell)"))?;
    let parent = line_text("parent", raw.parent, MAX_UNIT_NAME * 4)?;
    Ok(UnitRow {
        code: unit_code(raw.code)?,
        name,
        kind: Some(kind),
        parent: (!parent.is_empty()).then_some(parent),
        district: line_text("district", raw.district, MAX_UNIT_NAME)?,
        duty_phone: duty_phone(raw.duty_phone)?,
        address: line_text("address", raw.address, MAX_ADDRESS)?,
        hours: line_text("hours", raw.hours, MAX_HOURS)?,
    })
}

/// The kind a unit's name states: `…派出所` is a station, `…分局` a district bureau.
pub fn kind_from_name(name: &str) -> Option<UnitKind> {
    let n = name.trim();
    if n.ends_with("派出所") {
        Some(UnitKind::Station)
    } else if n.ends_with("中队") {
        Some(UnitKind::TrafficTeam)
    } else if n.ends_with("分局") || n.ends_with("县公安局") {
        Some(UnitKind::District)
    } else if n.ends_with("市公安局") {
        Some(UnitKind::City)
    } else if n.ends_with("办公室") || n.ends_with("室") || n.ends_with("科") || n.ends_with("中心")
    {
        Some(UnitKind::Office)
    } else {
        None
    }
}

/// A staff account as one import row gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Code, name, or name path of the unit.
    pub unit: String,
    /// A temporary password from the file, else one is generated.
    pub password: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct RawStaffRow<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub unit: &'a str,
    pub password: &'a str,
}

/// A login name: 3-32 lower-case letters, digits, `.`, `_` or `-`, starting with a
/// letter (so it never looks like a phone number or an id).
pub fn username(value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    let ok = (3..=32).contains(&v.len())
        && v.starts_with(|c: char| c.is_ascii_lowercase())
        && v.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if !ok {
        return Err(FieldError::new(
            "username",
            "use 3-32 lower-case letters, digits, '.', '_' or '-', starting with a letter",
        ));
    }
    Ok(v.to_owned())
}

/// A role by its key (`handler`) or the word a bureau writes (承办民警).
pub fn role(value: &str) -> Result<Role, FieldError> {
    let v = value.trim();
    let role = match v {
        "管理员" | "系统管理员" => Some(Role::Admin),
        "局领导" | "领导" => Some(Role::Leader),
        "督办" | "督办员" | "督察" => Some(Role::Supervisor),
        "研判" | "民意研判" | "分析员" => Some(Role::Analyst),
        "承办民警" | "民警" | "承办人" => Some(Role::Handler),
        "接线员" | "96110接线员" | "话务员" => Some(Role::Operator),
        other => Role::parse(&other.to_ascii_lowercase()).ok(),
    };
    role.ok_or_else(|| {
        FieldError::new(
            "role",
            "unknown role: use admin/管理员, leader/局领导, supervisor/督办, analyst/研判, handler/承办民警 or operator/接线员",
        )
    })
}

/// A password an admin chose: at least [`MIN_PASSWORD`] characters, no control
/// characters, no surrounding spaces.
pub fn password(value: &str) -> Result<String, FieldError> {
    if value.chars().count() < MIN_PASSWORD {
        return Err(FieldError::new(
            "password",
            format!("needs at least {MIN_PASSWORD} characters"),
        ));
    }
    if has_control(value) || value.trim() != value || value.len() > 200 {
        return Err(FieldError::new(
            "password",
            "no control characters nor spaces around it, at most 200 bytes",
        ));
    }
    Ok(value.to_owned())
}

pub fn staff_row(raw: &RawStaffRow<'_>) -> Result<StaffRow, FieldError> {
    let username = username(raw.username)?;
    let display_name = line_text("display_name", raw.display_name, MAX_DISPLAY_NAME)?;
    let role = role(raw.role)?;
    let unit = required_line("unit", raw.unit, MAX_UNIT_NAME * 4)?;
    let password = (!raw.password.is_empty())
        .then(|| password(raw.password))
        .transpose()?;
    Ok(StaffRow {
        display_name: if display_name.is_empty() {
            username.clone()
        } else {
            display_name
        },
        username,
        role,
        unit,
        password,
    })
}

/// A reference to a unit in a file: its code, its name, or its name path from the root
/// (`湖州市公安局/吴兴区公安分局/爱山派出所`, also with `>` or `／`).
pub fn reference_path(reference: &str) -> Vec<&str> {
    reference
        .split(['/', '>', '／', '＞'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_rows_accept_a_bureaus_words() {
        let row = unit_row(&RawUnitRow {
            code: " 330502001 ",
            name: "爱山派出所",
            kind: "",
            parent: "吴兴区公安分局",
            duty_phone: "0572-2012345",
            ..Default::default()
        })
        .unwrap();
        assert_eq!(row.kind, Some(UnitKind::Station));
        assert_eq!(row.code.as_deref(), Some("330502001"));
        assert_eq!(row.parent.as_deref(), Some("吴兴区公安分局"));
        assert_eq!(unit_kind("交警中队").unwrap(), UnitKind::TrafficTeam);
        assert_eq!(unit_kind("Station").unwrap(), UnitKind::Station);
    }

    #[test]
    fn bad_unit_rows_name_their_field() {
        let bad = |raw: RawUnitRow<'_>| unit_row(&raw).unwrap_err().field;
        assert_eq!(
            bad(RawUnitRow {
                name: " ",
                ..Default::default()
            }),
            "name"
        );
        assert_eq!(
            bad(RawUnitRow {
                name: "某单位",
                kind: "警犬队",
                ..Default::default()
            }),
            "kind"
        );
        assert_eq!(
            bad(RawUnitRow {
                name: "某单位",
                ..Default::default()
            }),
            "kind"
        );
        assert_eq!(
            bad(RawUnitRow {
                name: "爱山派出所",
                code: "33 05",
                ..Default::default()
            }),
            "code"
        );
        assert_eq!(
            bad(RawUnitRow {
                name: "爱山派出所",
                duty_phone: "call us",
                ..Default::default()
            }),
            "duty_phone"
        );
        assert_eq!(duty_phone("110").unwrap(), "110");
    }

    #[test]
    fn staff_rows() {
        let row = staff_row(&RawStaffRow {
            username: "zhang.wei",
            display_name: "",
            role: "承办民警",
            unit: "330502001",
            password: "",
        })
        .unwrap();
        assert_eq!(row.role, Role::Handler);
        assert_eq!(row.display_name, "zhang.wei");
        assert_eq!(row.password, None);
        let field = |raw: RawStaffRow<'_>| staff_row(&raw).unwrap_err().field;
        let ok = RawStaffRow {
            username: "li.na",
            role: "admin",
            unit: "x",
            ..Default::default()
        };
        assert_eq!(
            field(RawStaffRow {
                username: "13800000000",
                ..ok.clone()
            }),
            "username"
        );
        assert_eq!(
            field(RawStaffRow {
                username: "Li",
                ..ok.clone()
            }),
            "username"
        );
        assert_eq!(
            field(RawStaffRow {
                role: "boss",
                ..ok.clone()
            }),
            "role"
        );
        assert_eq!(
            field(RawStaffRow {
                unit: "",
                ..ok.clone()
            }),
            "unit"
        );
        assert_eq!(
            field(RawStaffRow {
                password: "short",
                ..ok
            }),
            "password"
        );
    }

    #[test]
    fn references_split_into_name_paths() {
        assert_eq!(
            reference_path("湖州市公安局 / 吴兴区公安分局"),
            vec!["湖州市公安局", "吴兴区公安分局"]
        );
        assert_eq!(reference_path("330502001"), vec!["330502001"]);
    }
}
