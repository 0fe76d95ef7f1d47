//! Organisation: unit tree (市局 → 县区局 → 派出所/交警中队) and staff roles.

use crate::appeal::string_enum;
use crate::error::DomainError;

string_enum! {
    /// Level of a unit in the tree.
    UnitKind {
        /// 市局 city bureau
        City = "city",
        /// 县区局 county/district bureau
        District = "district",
        /// 派出所 police station
        Station = "station",
        /// 交警中队 traffic team
        TrafficTeam = "traffic_team",
        /// 警察公共关系办公室 and other offices
        Office = "office",
    }
}

string_enum! {
    /// Staff role; every role is scoped to a unit and its sub-units.
    Role {
        Admin = "admin",
        /// 局领导
        Leader = "leader",
        /// 督办
        Supervisor = "supervisor",
        /// 民意研判
        Analyst = "analyst",
        /// 承办民警
        Handler = "handler",
        /// 96110 接线员
        Operator = "operator",
    }
}

impl Role {
    /// May act on appeals (accept, reply, transfer…).
    pub fn handles_appeals(self) -> bool {
        matches!(self, Role::Handler | Role::Supervisor | Role::Admin)
    }

    /// May approve extensions and transfers, run reviews and reopen cases.
    pub fn supervises(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }

    /// May act on opinion analysis: mark emerging-issue alerts as studied or dismissed
    /// (民意研判 analysts, leaders, supervisors).
    pub fn studies_opinion(self) -> bool {
        matches!(
            self,
            Role::Analyst | Role::Leader | Role::Supervisor | Role::Admin
        )
    }

    /// May see the confidential track of complaints about officers (`conduct`).
    pub fn sees_conduct(self) -> bool {
        self.supervises()
    }

    /// May see personal data (phone, name, address) unmasked, each reveal audited.
    pub fn may_reveal_personal_data(self) -> bool {
        matches!(
            self,
            Role::Handler | Role::Supervisor | Role::Operator | Role::Admin
        )
    }

    pub fn administers(self) -> bool {
        self == Role::Admin
    }
}

/// Materialised path of a unit, e.g. `/1/4/17/`, so "this unit and its sub-units"
/// is a prefix test both in memory and in SQL (`path LIKE '/1/4/%'`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct UnitPath(String);

impl UnitPath {
    pub fn root(id: i64) -> Self {
        Self(format!("/{id}/"))
    }

    pub fn child(&self, id: i64) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let ok = s.starts_with('/')
            && s.ends_with('/')
            && s.len() > 2
            && s[1..s.len() - 1]
                .split('/')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::invalid("unit_path", s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True if `other` is this unit or lies below it.
    pub fn contains(&self, other: &UnitPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// Unit ids from the root down to this unit.
    pub fn ids(&self) -> Vec<i64> {
        self.0
            .split('/')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect()
    }

    pub fn parent_ids(&self) -> Vec<i64> {
        let mut ids = self.ids();
        ids.pop();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_is_a_subtree() {
        let city = UnitPath::root(1);
        let district = city.child(4);
        let station = district.child(17);
        let other = city.child(5).child(27);
        assert!(district.contains(&station));
        assert!(district.contains(&district));
        assert!(!district.contains(&other));
        // `/1/4/` must not contain `/1/41/`.
        assert!(!district.contains(&city.child(41)));
        assert_eq!(station.parent_ids(), vec![1, 4]);
    }

    #[test]
    fn paths_are_validated() {
        assert!(UnitPath::parse("/1/4/").is_ok());
        assert!(UnitPath::parse("/1/x/").is_err());
        assert!(UnitPath::parse("1/4").is_err());
    }

    #[test]
    fn only_supervisors_see_conduct() {
        assert!(Role::Supervisor.sees_conduct());
        assert!(!Role::Handler.sees_conduct());
        assert!(!Role::Leader.sees_conduct());
    }
}
