//! The unit tree (市局 → 县区局 → 派出所/交警中队), cached in memory by every node.
//! Units change rarely; the cache reloads when it meets an id it does not know.

use std::collections::HashMap;

use police_square_domain::{org::UnitPath, UnitKind};
use police_square_store::{Id, Unit};

#[derive(Debug, Default)]
pub struct OrgTree {
    units: Vec<Unit>,
    index: HashMap<Id, usize>,
}

impl OrgTree {
    pub fn new(units: Vec<Unit>) -> Self {
        let index = units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        Self { units, index }
    }

    pub fn all(&self) -> &[Unit] {
        &self.units
    }

    pub fn unit(&self, id: Id) -> Option<&Unit> {
        self.index.get(&id).map(|&i| &self.units[i])
    }

    pub fn name(&self, id: Id) -> Option<&str> {
        self.unit(id).map(|u| u.name.as_str())
    }

    pub fn parent(&self, id: Id) -> Option<&Unit> {
        self.unit(id)?.parent_id.and_then(|p| self.unit(p))
    }

    pub fn children(&self, id: Id) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(move |u| u.parent_id == Some(id))
    }

    /// Units inside `scope` (the unit itself and everything below it).
    pub fn in_scope<'a>(&'a self, scope: &'a UnitPath) -> impl Iterator<Item = &'a Unit> {
        self.units.iter().filter(move |u| scope.contains(&u.path))
    }

    /// The city bureau (市局): the root of the tree.
    pub fn city(&self) -> Option<&Unit> {
        self.units
            .iter()
            .find(|u| u.parent_id.is_none() && u.kind == UnitKind::City)
            .or_else(|| self.units.iter().find(|u| u.parent_id.is_none()))
    }

    /// The office (警察公共关系办公室 / supervisors' office) directly under a bureau,
    /// or the bureau itself when it has none.
    pub fn office_of(&self, bureau_id: Id) -> Option<&Unit> {
        self.children(bureau_id)
            .filter(|u| u.kind == UnitKind::Office)
            .min_by_key(|u| u.id)
            .or_else(|| self.unit(bureau_id))
    }

    /// Where appeals nobody else claims go: the city bureau's public-relations office.
    pub fn fallback_unit(&self) -> Option<&Unit> {
        self.city().and_then(|c| self.office_of(c.id))
    }

    /// The nearest bureau (city or district) strictly above `unit_id`: complaints about
    /// a unit's officers are handled there, outside the accused unit.
    pub fn bureau_above(&self, unit_id: Id) -> Option<&Unit> {
        let mut current = self.parent(unit_id);
        while let Some(u) = current {
            if matches!(u.kind, UnitKind::City | UnitKind::District) {
                return Some(u);
            }
            current = self.parent(u.id);
        }
        None
    }

    /// The unit itself if it is a bureau, else the nearest bureau above it.
    pub fn bureau_at_or_above(&self, unit_id: Id) -> Option<&Unit> {
        match self.unit(unit_id) {
            Some(u) if matches!(u.kind, UnitKind::City | UnitKind::District) => Some(u),
            Some(_) => self.bureau_above(unit_id),
            None => None,
        }
    }

    /// A district/county bureau by the name a resident chose (`吴兴区`, `德清县`…).
    pub fn district(&self, name: &str) -> Option<&Unit> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        self.units
            .iter()
            // A retired unit (撤销) keeps its history but receives nothing new.
            .filter(|u| u.kind == UnitKind::District && !u.profile.retired)
            .find(|u| {
                u.name == name || short_name(&u.name).is_some_and(|s| s == name || name.contains(s))
            })
    }

    /// A unit by its exact name (configuration names units this way).
    pub fn unit_named(&self, name: &str) -> Option<&Unit> {
        let name = name.trim();
        self.units.iter().find(|u| u.name == name)
    }

    /// The short name residents know a district by (`吴兴区` for `吴兴区公安分局`).
    pub fn area_name(unit: &Unit) -> &str {
        short_name(&unit.name).unwrap_or(&unit.name)
    }

    /// The unit that takes an emergency at once, never an office's queue:
    /// 1. the duty command configured for the place's district (`duty_unit_of`),
    /// 2. else the station or traffic team of the place,
    /// 3. else a 指挥中心 under the place's bureau, else that bureau itself,
    /// 4. else (no place known) the city's configured duty unit, its 指挥中心, or the
    ///    city bureau.
    pub fn emergency_unit<'a>(
        &'a self,
        place: Option<&'a Unit>,
        duty_unit_of: impl Fn(&Unit) -> Option<&'a Unit>,
        city_duty: Option<&'a Unit>,
    ) -> Option<&'a Unit> {
        let bureau = place.and_then(|p| self.bureau_at_or_above(p.id));
        if let Some(duty) = bureau.and_then(duty_unit_of) {
            return Some(duty);
        }
        if let Some(p) =
            place.filter(|p| matches!(p.kind, UnitKind::Station | UnitKind::TrafficTeam))
        {
            return Some(p);
        }
        match bureau {
            Some(b) if b.kind == UnitKind::District => {
                Some(self.command_centre_under(b.id).unwrap_or(b))
            }
            _ => city_duty.or_else(|| {
                let city = self.city()?;
                Some(self.command_centre_under(city.id).unwrap_or(city))
            }),
        }
    }

    /// A unit directly under a bureau whose name says it is the duty command (指挥中心).
    fn command_centre_under(&self, bureau_id: Id) -> Option<&Unit> {
        self.children(bureau_id)
            .filter(|u| u.name.contains("指挥中心"))
            .min_by_key(|u| u.id)
    }

    /// The most specific unit named in free text ("爱山派出所门口…", "吴兴区…").
    pub fn named_in(&self, text: &str) -> Option<&Unit> {
        self.units
            .iter()
            .filter(|u| u.kind != UnitKind::Office && !u.profile.retired)
            .filter_map(|u| {
                let full = text.contains(&u.name);
                let short = u.kind == UnitKind::District
                    && short_name(&u.name).is_some_and(|s| text.contains(s));
                (full || short).then_some((u, full))
            })
            // Deeper units first, then full-name matches.
            .max_by_key(|(u, full)| (u.path.ids().len(), *full, u.name.chars().count()))
            .map(|(u, _)| u)
    }
}

/// `吴兴区公安分局` → `吴兴区`; `德清县公安局` → `德清县`.
fn short_name(name: &str) -> Option<&str> {
    let end = name
        .char_indices()
        .find(|(_, c)| matches!(c, '区' | '县' | '市'))
        .map(|(i, c)| i + c.len_utf8())?;
    (name[..end].chars().count() >= 2).then(|| &name[..end])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> OrgTree {
        let mut units = Vec::new();
        let mut add = |id: Id, parent: Option<Id>, name: &str, kind: UnitKind| {
            let path = match parent {
                None => UnitPath::root(id),
                Some(p) => units
                    .iter()
                    .find(|u: &&Unit| u.id == p)
                    .unwrap()
                    .path
                    .child(id),
            };
            units.push(Unit {
                id,
                parent_id: parent,
                name: name.into(),
                kind,
                path,
                profile: Default::default(),
            });
        };
        add(1, None, "湖州市公安局", UnitKind::City);
        add(2, Some(1), "市局警察公共关系办公室", UnitKind::Office);
        add(3, Some(1), "吴兴区公安分局", UnitKind::District);
        add(4, Some(3), "吴兴分局督察室", UnitKind::Office);
        add(5, Some(3), "爱山派出所", UnitKind::Station);
        add(6, Some(3), "月河派出所", UnitKind::Station);
        add(7, Some(1), "德清县公安局", UnitKind::District);
        add(8, Some(7), "武康派出所", UnitKind::Station);
        OrgTree::new(units)
    }

    #[test]
    fn routing_helpers() {
        let t = sample();
        assert_eq!(t.fallback_unit().unwrap().id, 2);
        assert_eq!(t.bureau_above(5).unwrap().id, 3);
        assert_eq!(t.bureau_above(3).unwrap().id, 1);
        assert_eq!(t.office_of(3).unwrap().id, 4);
        assert_eq!(t.office_of(7).unwrap().id, 7);
        assert_eq!(t.district("吴兴区").unwrap().id, 3);
        assert_eq!(t.named_in("吴兴区爱山派出所门口有人吵架").unwrap().id, 5);
        assert_eq!(t.named_in("德清县的路灯").unwrap().id, 7);
        assert!(t.named_in("没有单位").is_none());
    }

    #[test]
    fn emergencies_go_to_a_duty_unit_never_an_office() {
        let t = sample();
        let none = |_: &Unit| None;
        // A station's place: that station.
        assert_eq!(t.emergency_unit(t.unit(5), none, None).unwrap().id, 5);
        // Only the district known: the district bureau itself, not its office.
        assert_eq!(t.emergency_unit(t.unit(3), none, None).unwrap().id, 3);
        // Nothing known: the city bureau, not the public-relations office (2).
        assert_eq!(t.emergency_unit(None, none, None).unwrap().id, 1);
        // A configured duty command wins for its district.
        let configured = |b: &Unit| (b.id == 3).then(|| t.unit(6)).flatten();
        assert_eq!(t.emergency_unit(t.unit(5), configured, None).unwrap().id, 6);
        assert_eq!(t.emergency_unit(t.unit(8), configured, None).unwrap().id, 8);
        assert_eq!(OrgTree::area_name(t.unit(3).unwrap()), "吴兴区");
    }

    #[test]
    fn retired_units_receive_nothing_new() {
        let mut units = sample().all().to_vec();
        for u in units.iter_mut().filter(|u| u.id == 5 || u.id == 7) {
            u.profile.retired = true;
        }
        let t = OrgTree::new(units);
        // 爱山派出所 retired: the text names its district, which still receives it.
        assert_eq!(t.named_in("吴兴区爱山派出所门口有人吵架").unwrap().id, 3);
        assert!(t.district("德清县").is_none());
    }
}
