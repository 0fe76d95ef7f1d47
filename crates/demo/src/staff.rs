//! Demo staff of every role, one generated password per run, argon2id hashes.

use anyhow::Context;
use police_square_domain::Role;
use police_square_store::{password::hash_password, Id, NewStaff, OrgStore};
use rand::Rng;

use crate::units::UnitTree;

/// One demo login, printed once by the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Id,
    pub unit_name: String,
    pub password: String,
}

/// A random password of 14 characters without look-alikes (0/O, 1/l/I).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..14)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Fictitious officers' names for display.
const NAMES: &[&str] = &[
    "沈建国",
    "钱志强",
    "陆海峰",
    "姚丽华",
    "费晓东",
    "闵春燕",
    "吴伟明",
    "朱晓军",
    "徐静",
    "潘国平",
    "杨帆",
    "施卫东",
    "邱敏",
    "褚建华",
    "章立新",
    "俞晓红",
    "郑浩",
    "凌云",
    "蒋文斌",
    "韩雪",
    "孙立平",
    "金鑫",
    "汤振宇",
    "方红梅",
    "宋涛",
    "钟伟",
    "胡斌",
    "叶青",
    "高明",
    "许嘉",
    "周宁",
    "马骏",
];

/// One planned account before it exists.
#[derive(Debug, Clone)]
pub struct PlannedStaff {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Id,
}

/// Who is who, by role, once created (ids for assignments and `recorded_by`).
#[derive(Debug, Clone, Default)]
pub struct StaffIds {
    /// Handler of each station / traffic team: (unit id, staff id).
    pub handlers: Vec<(Id, Id)>,
    /// Supervisor of the city and each district: (unit id, staff id).
    pub supervisors: Vec<(Id, Id)>,
    pub operators: Vec<Id>,
}

impl StaffIds {
    pub fn handler_of(&self, unit_id: Id) -> Option<Id> {
        self.handlers
            .iter()
            .find(|(u, _)| *u == unit_id)
            .map(|(_, s)| *s)
    }

    pub fn supervisor_of(&self, unit_id: Id) -> Option<Id> {
        self.supervisors
            .iter()
            .find(|(u, _)| *u == unit_id)
            .map(|(_, s)| *s)
    }
}

/// Every demo account. Supervisors sit at the bureau units (not the office leaf
/// units) so that their scope covers the bureau's stations.
pub fn plan(tree: &UnitTree) -> Vec<PlannedStaff> {
    let mut out = Vec::new();
    let mut names = NAMES.iter().cycle();
    let mut add = |username: String, role: Role, unit_id: Id, title: &str| {
        let name = names.next().expect("cycle never ends");
        out.push(PlannedStaff {
            username,
            display_name: format!("{name}（{title}）"),
            role,
            unit_id,
        });
    };
    add("admin".into(), Role::Admin, tree.city, "系统管理员");
    add("leader".into(), Role::Leader, tree.city, "局领导");
    add("supervisor".into(), Role::Supervisor, tree.city, "督办");
    add("analyst".into(), Role::Analyst, tree.city, "民意研判");
    add("operator".into(), Role::Operator, tree.city, "96110接线员");
    add("operator2".into(), Role::Operator, tree.city, "96110接线员");
    for d in &tree.districts {
        add(
            format!("supervisor.{}", d.spec.slug),
            Role::Supervisor,
            d.id,
            "督办",
        );
        add(
            format!("leader.{}", d.spec.slug),
            Role::Leader,
            d.id,
            "分局领导",
        );
    }
    for (_, s) in tree.locals() {
        add(
            format!("handler.{}", s.spec.slug),
            Role::Handler,
            s.id,
            "承办民警",
        );
    }
    out
}

/// Create the accounts, all with one password; returns the logins and ids by role.
pub async fn create(
    store: &dyn OrgStore,
    tree: &UnitTree,
    password: &str,
) -> anyhow::Result<(Vec<DemoLogin>, StaffIds)> {
    // One password for all demo accounts, so one hash (distinct salts would add nothing).
    let hash = hash_password(password)?;
    let mut logins = Vec::new();
    let mut ids = StaffIds::default();
    for p in plan(tree) {
        let staff = store
            .create_staff(NewStaff {
                username: p.username.clone(),
                display_name: p.display_name.clone(),
                role: p.role,
                unit_id: p.unit_id,
                password_hash: hash.clone(),
            })
            .await
            .with_context(|| format!("creating staff {}", p.username))?;
        match p.role {
            Role::Handler => ids.handlers.push((p.unit_id, staff.id)),
            Role::Supervisor => ids.supervisors.push((p.unit_id, staff.id)),
            Role::Operator => ids.operators.push(staff.id),
            _ => {}
        }
        logins.push(DemoLogin {
            username: p.username,
            display_name: p.display_name,
            role: p.role,
            unit_id: p.unit_id,
            unit_name: tree.name_of(p.unit_id).to_owned(),
            password: password.to_owned(),
        });
    }
    Ok((logins, ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_random_and_readable() {
        let a = generate_password();
        assert_eq!(a.chars().count(), 14);
        assert_ne!(a, generate_password());
        assert!(!a.contains(['0', 'O', '1', 'l', 'I']));
    }

    #[test]
    fn every_role_and_every_station_has_a_login() {
        let tree = UnitTree::synthetic();
        let plan = plan(&tree);
        for role in Role::ALL {
            assert!(plan.iter().any(|p| p.role == *role), "{role}");
        }
        for (_, s) in tree.locals() {
            assert!(plan
                .iter()
                .any(|p| p.unit_id == s.id && p.role == Role::Handler));
        }
        for u in [
            "admin",
            "leader",
            "supervisor",
            "analyst",
            "operator",
            "handler.aishan",
            "handler.zhili",
        ] {
            assert!(plan.iter().any(|p| p.username == u), "{u}");
        }
    }
}
