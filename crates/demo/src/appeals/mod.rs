//! The appeal generator: deterministic for a seed, cheap enough for a million rows.
//! It decides who wrote what, where, when and through which channel, and how far each
//! appeal has come through its lifecycle by `now` (older ones mostly closed and rated).

use police_square_domain::{
    calendar::to_local, AppealKind, Channel, DeadlinePolicy, Millis, Satisfaction, Status, Urgency,
    WorkCalendar,
};
use police_square_store::Id;
use rand::{rngs::StdRng, Rng, SeedableRng};

use crate::calendar::demo_calendar;
use crate::corpus::{closings, openers, Scenario, Target, EMERGENCIES, SCENARIOS};
use crate::departments::Dept;
use crate::staff::StaffIds;
use crate::texts::{pick, Ctx, Indexer, SearchIndex, Template, Writer};
use crate::units::{DistrictUnits, LocalUnit, UnitTree};

const MINUTE: Millis = 60_000;
const HOUR: Millis = 60 * MINUTE;
const DAY: Millis = 24 * HOUR;
/// How far back the demo goes.
pub const SPAN_DAYS: i64 = 182;
/// Fake callers: 1380000XXXX and 1390000XXXX.
pub const MAX_CALLERS: u32 = 20_000;

/// An obviously fake phone number for caller `i` (`i < MAX_CALLERS`).
pub fn fake_phone(i: u32) -> String {
    let i = i % MAX_CALLERS;
    let prefix = if i < 10_000 { "138" } else { "139" };
    format!("{prefix}0000{:04}", i % 10_000)
}

const SURNAMES: &[&str] = &[
    "张", "李", "王", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "朱", "沈", "钱", "姚",
    "陆", "潘", "费", "闵", "施", "俞", "章", "蒋", "韩", "金", "汤", "宋", "胡", "叶",
];

/// A fake name such as 张某, 李女士, 王先生 (or none: some residents give no name).
pub fn fake_name(i: u32) -> Option<String> {
    let surname = SURNAMES[(i as usize) % SURNAMES.len()];
    match (i / SURNAMES.len() as u32) % 5 {
        0 | 1 => Some(format!("{surname}某")),
        2 => Some(format!("{surname}女士")),
        3 => Some(format!("{surname}先生")),
        _ => None,
    }
}

/// Hand-off to an external department (转交) that the loader records.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoffPlan {
    pub department_id: Id,
    pub department: Dept,
    pub sent_at: Millis,
    pub acknowledged_at: Option<Millis>,
}

/// A pending request for a supervisor that the loader records.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestPlan {
    /// 延期: working days asked for.
    Extension { at: Millis, days: i32 },
    /// 复核 after an unsatisfied rating.
    Review { at: Millis },
}

/// Lifecycle already lived, in the shape of the store's `BulkHistory`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub accepted_at: Option<Millis>,
    pub replied_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub reply_text: Option<String>,
    pub rating: Option<(bool, Satisfaction, Millis)>,
    pub reopen_count: i32,
    pub supervision_level: i32,
    pub assignee_id: Option<Id>,
}

/// One generated appeal, before its contact is sealed.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub tracking_code: String,
    pub kind: AppealKind,
    pub channel: Channel,
    pub text: String,
    pub search_text: String,
    pub category: &'static str,
    /// As a classifier would give it; below 0.5 a person should check the category.
    pub category_confidence: f64,
    pub urgency: Urgency,
    pub emergency: bool,
    pub sentiment: &'static str,
    pub unit_id: Id,
    pub subject_unit_id: Option<Id>,
    pub status: Status,
    pub received_at: Millis,
    pub accept_by: Millis,
    pub due_at: Millis,
    /// Index of the fake caller ([`fake_phone`], [`fake_name`]).
    pub caller: u32,
    pub address: Option<String>,
    pub recorded_by: Option<Id>,
    pub history: History,
    pub handoff: Option<HandoffPlan>,
    pub request: Option<RequestPlan>,
    /// Near-duplicate group ("many people, one problem"), if any.
    pub group: Option<u32>,
}

/// A group of near-duplicate appeals: one place, one problem, one short period.
#[derive(Debug, Clone)]
struct Group {
    scenario: &'static Scenario,
    district: usize,
    local: LocalRef,
    ctx_spot: &'static str,
    ctx_estate: &'static str,
    ctx_road: &'static str,
    start: Millis,
    days: i64,
}

#[derive(Debug, Clone, Copy)]
enum LocalRef {
    Station(usize),
    Traffic,
}

/// Everything the generator needs to know about the created organisation.
#[derive(Debug, Clone)]
pub struct Org {
    pub tree: UnitTree,
    pub staff: StaffIds,
    /// Department ids in [`Dept::ALL`] order.
    pub departments: Vec<Id>,
}

impl Org {
    /// Ids without a database (pure tests): units 1.., staff 1000.., departments 500...
    pub fn synthetic() -> Self {
        let tree = UnitTree::synthetic();
        let plan = crate::staff::plan(&tree);
        let mut staff = StaffIds::default();
        for (i, p) in plan.iter().enumerate() {
            let id = 1000 + i as Id;
            match p.role {
                police_square_domain::Role::Handler => staff.handlers.push((p.unit_id, id)),
                police_square_domain::Role::Supervisor => staff.supervisors.push((p.unit_id, id)),
                police_square_domain::Role::Operator => staff.operators.push(id),
                _ => {}
            }
        }
        Self {
            tree,
            staff,
            departments: (500..500 + Dept::ALL.len() as Id).collect(),
        }
    }
}

const KIND_WEIGHTS: &[(AppealKind, u32)] = &[
    (AppealKind::Complaint, 22),
    (AppealKind::Report, 14),
    (AppealKind::Help, 24),
    (AppealKind::Consultation, 20),
    (AppealKind::Suggestion, 10),
    (AppealKind::Praise, 10),
];

const CHANNEL_WEIGHTS: &[(Channel, u32)] = &[
    (Channel::Web, 22),
    (Channel::Hotline, 30),
    (Channel::Sms, 6),
    (Channel::Wechat, 14),
    (Channel::Weibo, 4),
    (Channel::Mailbox, 5),
    (Channel::SquareEvent, 4),
    (Channel::Talk, 4),
    (Channel::Liaison, 5),
    (Channel::Open311, 6),
];

/// District shares (吴兴, 南浔, 德清, 长兴, 安吉), roughly by population.
const DISTRICT_WEIGHTS: &[u32] = &[30, 17, 16, 20, 17];

/// Appeals by hour of day (local time): quiet nights, busy mornings and afternoons.
const HOUR_WEIGHTS: [f64; 24] = [
    0.25, 0.15, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.5, 3.5, 3.6, 3.2, 2.3, 2.7, 3.2, 3.2, 3.0, 2.6,
    2.2, 2.4, 2.5, 2.1, 1.3, 0.6,
];

/// Seasonal factor by month (Jan..Dec): summer nights bring noise and e-bike thefts.
const MONTH_FACTOR: [f64; 12] = [
    1.0, 0.85, 1.0, 1.0, 1.05, 1.15, 1.3, 1.3, 1.1, 1.1, 1.0, 0.95,
];

/// Share of appeals in near-duplicate groups, and of emergencies.
const GROUP_SHARE: f64 = 0.05;
const EMERGENCY_SHARE: f64 = 0.012;

/// Cumulative weights for sampling.
struct Cdf(Vec<f64>);

impl Cdf {
    fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        Self(
            weights
                .into_iter()
                .map(|w| {
                    acc += w;
                    acc
                })
                .collect(),
        )
    }

    fn sample(&self, rng: &mut impl Rng) -> usize {
        let total = *self.0.last().expect("non-empty");
        let x = rng.gen::<f64>() * total;
        self.0.partition_point(|c| *c <= x).min(self.0.len() - 1)
    }
}

fn weighted<T: Copy>(rng: &mut impl Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total);
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// The generator. Call [`Generator::next_appeal`] as often as needed.
pub struct Generator {
    rng: StdRng,
    org: Org,
    now: Millis,
    cal: WorkCalendar,
    policy: DeadlinePolicy,
    /// Local midnight of the day `SPAN_DAYS` ago.
    first_day: Millis,
    days: Cdf,
    hours: Cdf,
    groups: Vec<Group>,
    /// (scenario index, parsed bodies) per kind.
    by_kind: Vec<(AppealKind, Vec<(usize, u32)>)>,
    templates: Vec<Vec<Template>>,
    emergency_templates: Vec<Vec<Template>>,
    /// Parsed openers per channel and closings per kind.
    openers: Vec<(Channel, Vec<Template>)>,
    closings: Vec<(AppealKind, Vec<Template>)>,
    index: SearchIndex,
    callers: u32,
    /// Arrival times drawn up front and sorted, so appeals come out oldest first (ids
    /// grow with time, as in a real database, and time-ordered indexes append).
    plan: Vec<(Millis, Draw)>,
    cursor: usize,
}

/// What kind of appeal a planned arrival is.
#[derive(Debug, Clone, Copy)]
enum Draw {
    Emergency,
    Group(u32),
    Normal,
}

impl Generator {
    /// `expected` is the number of appeals that will be drawn (sizes the caller pool
    /// and the number of near-duplicate groups).
    pub fn new(org: Org, seed: u64, expected: usize, now: Millis, indexer: Indexer) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let cal = demo_calendar();
        let today = to_local(now).date_naive();
        let first = today - chrono::Duration::days(SPAN_DAYS);
        let first_day = crate::calendar::local_midnight(first);
        let days = Cdf::new((0..=SPAN_DAYS).map(|i| {
            use chrono::Datelike;
            let date = first + chrono::Duration::days(i);
            let weekend = matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
            let mut w = MONTH_FACTOR[date.month0() as usize];
            if !cal.is_workday(date) {
                w *= if weekend { 0.65 } else { 0.55 };
            }
            // A slow rise: the platform gets better known.
            w * (0.85 + 0.3 * i as f64 / SPAN_DAYS as f64)
        }));
        let hours = Cdf::new(HOUR_WEIGHTS);
        let templates: Vec<Vec<Template>> = SCENARIOS
            .iter()
            .map(|s| s.bodies.iter().map(|b| Template::parse(b)).collect())
            .collect();
        let emergency_templates = EMERGENCIES
            .iter()
            .map(|s| s.bodies.iter().map(|b| Template::parse(b)).collect())
            .collect();
        let openers = Channel::ALL
            .iter()
            .map(|c| (*c, openers(*c).iter().map(|t| Template::parse(t)).collect()))
            .collect();
        let closings = AppealKind::ALL
            .iter()
            .map(|k| {
                (
                    *k,
                    closings(*k).iter().map(|t| Template::parse(t)).collect(),
                )
            })
            .collect();
        let by_kind = KIND_WEIGHTS
            .iter()
            .map(|(k, _)| {
                let list = SCENARIOS
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.kind == *k)
                    .map(|(i, s)| (i, s.weight))
                    .collect();
                (*k, list)
            })
            .collect();
        let callers = (expected as u32 * 3 / 4).clamp(200, MAX_CALLERS);
        let group_count = (expected / 250).clamp(3, 400);
        let groups = (0..group_count)
            .map(|_| make_group(&mut rng, &org.tree, first_day))
            .collect();
        let mut generator = Self {
            rng,
            org,
            now,
            cal,
            policy: DeadlinePolicy::default(),
            first_day,
            days,
            hours,
            groups,
            by_kind,
            templates,
            emergency_templates,
            openers,
            closings,
            index: SearchIndex::new(indexer),
            callers,
            plan: Vec::new(),
            cursor: 0,
        };
        let mut plan: Vec<(Millis, Draw)> = (0..expected).map(|_| generator.draw()).collect();
        plan.sort_by_key(|(t, _)| *t);
        generator.plan = plan;
        generator
    }

    pub fn org(&self) -> &Org {
        &self.org
    }

    /// Number of distinct fake callers drawn from.
    pub fn callers(&self) -> u32 {
        self.callers
    }

    fn sample_time(&mut self) -> Millis {
        loop {
            let day = self.days.sample(&mut self.rng) as i64;
            let hour = self.hours.sample(&mut self.rng) as i64;
            let t = self.first_day + day * DAY + hour * HOUR + self.rng.gen_range(0..HOUR);
            if t < self.now - MINUTE {
                return t;
            }
        }
    }

    /// One arrival: its time and kind of draw.
    fn draw(&mut self) -> (Millis, Draw) {
        let r: f64 = self.rng.gen();
        if r < EMERGENCY_SHARE {
            (self.sample_time(), Draw::Emergency)
        } else if r < EMERGENCY_SHARE + GROUP_SHARE {
            let rng = &mut self.rng;
            let gi = rng.gen_range(0..self.groups.len());
            let g = &self.groups[gi];
            let offset = rng.gen_range(0..g.days.max(1)) * DAY
                + self.hours.sample(rng) as i64 * HOUR
                + rng.gen_range(0..HOUR);
            let t = (g.start + offset).min(self.now - rng.gen_range(MINUTE..HOUR));
            (t, Draw::Group(gi as u32))
        } else {
            (self.sample_time(), Draw::Normal)
        }
    }

    /// The next appeal, oldest first while the planned arrivals last.
    pub fn next_appeal(&mut self) -> Generated {
        let (received_at, draw) = match self.plan.get(self.cursor) {
            Some(planned) => {
                self.cursor += 1;
                *planned
            }
            None => self.draw(),
        };
        let rng = &mut self.rng;
        let (scenario, template_set, district, local, group, fixed) = match draw {
            Draw::Emergency => {
                let i = rng.gen_range(0..EMERGENCIES.len());
                let s = &EMERGENCIES[i];
                let d = pick_district(rng);
                let local = local_for(rng, s.target, &self.org.tree.districts[d]);
                (s, (true, i), d, local, None, None)
            }
            Draw::Group(gi) => {
                let g = &self.groups[gi as usize];
                let fixed = Some((g.ctx_spot, g.ctx_estate, g.ctx_road));
                let si = scenario_index(g.scenario);
                (
                    g.scenario,
                    (false, si),
                    g.district,
                    g.local,
                    Some(gi),
                    fixed,
                )
            }
            Draw::Normal => {
                let kind = weighted(rng, KIND_WEIGHTS);
                let list = &self
                    .by_kind
                    .iter()
                    .find(|(k, _)| *k == kind)
                    .expect("every kind has scenarios")
                    .1;
                let si = weighted(rng, list);
                let s = &SCENARIOS[si];
                let d = pick_district(rng);
                let local = local_for(rng, s.target, &self.org.tree.districts[d]);
                (s, (false, si), d, local, None, None)
            }
        };
        self.build(
            scenario,
            template_set,
            district,
            local,
            group,
            received_at,
            fixed,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        s: &'static Scenario,
        (emergency_set, si): (bool, usize),
        district: usize,
        local: LocalRef,
        group: Option<u32>,
        received_at: Millis,
        fixed: Option<(&'static str, &'static str, &'static str)>,
    ) -> Generated {
        let rng = &mut self.rng;
        let d: &DistrictUnits = &self.org.tree.districts[district];
        let place_unit: &LocalUnit = match local {
            LocalRef::Station(i) => &d.stations[i],
            LocalRef::Traffic => &d.traffic,
        };
        let mut ctx = Ctx::new(d.spec, place_unit.spec);
        if let Some((spot, estate, road)) = fixed {
            ctx.spot = Some(spot);
            ctx.estate = Some(estate);
            ctx.road = Some(road);
        }

        // Channel: emergencies come by phone or phone apps; praise is not a 随手拍.
        let mut channel = weighted(rng, CHANNEL_WEIGHTS);
        if s.emergency {
            channel = pick(
                rng,
                &[
                    Channel::Hotline,
                    Channel::Hotline,
                    Channel::Web,
                    Channel::Wechat,
                ],
            );
        } else if s.kind == AppealKind::Praise && channel == Channel::Open311 {
            channel = Channel::Web;
        }

        let templates = if emergency_set {
            &self.emergency_templates[si]
        } else {
            &self.templates[si]
        };
        let template = &templates[rng.gen_range(0..templates.len())];
        let opener = one_of(&self.openers, channel, rng);
        let closing = one_of(&self.closings, s.kind, rng);
        let mut w = Writer::new(&mut self.index);
        w.render(opener, &ctx, rng);
        w.render(template, &ctx, rng);
        if !s.emergency {
            w.render(closing, &ctx, rng);
        }
        let (text, search_text) = (w.text, w.search);

        let (unit_id, subject_unit_id, owner_supervisor) = match s.target {
            Target::Conduct => (
                d.office,
                Some(place_unit.id),
                self.org.staff.supervisor_of(d.id),
            ),
            Target::City => (
                self.org.tree.city_office,
                None,
                self.org.staff.supervisor_of(self.org.tree.city),
            ),
            Target::Station | Target::Traffic => (place_unit.id, None, None),
        };
        let handler = owner_supervisor.or_else(|| self.org.staff.handler_of(unit_id));

        let urgency = if s.emergency {
            Urgency::Emergency
        } else if s.complex && rng.gen_bool(0.35) {
            Urgency::Complex
        } else {
            Urgency::Normal
        };
        let deadlines = self
            .policy
            .deadlines(&self.cal, s.kind, channel, urgency, received_at);

        let caller = if rng.gen_bool(0.3) {
            // Repeat callers: a small set of residents call often.
            rng.gen_range(0..(self.callers / 20).max(1))
        } else {
            rng.gen_range(0..self.callers)
        };
        let address = match rng.gen_range(0..4) {
            0 => Some(format!(
                "{}{}{}{}号",
                d.spec.area,
                place_unit.spec.town,
                ctx.road.unwrap_or_else(|| pick(rng, place_unit.spec.roads)),
                rng.gen_range(1..300)
            )),
            1 if !place_unit.spec.estates.is_empty() => Some(format!(
                "{}{}{}{}幢{}单元",
                d.spec.area,
                place_unit.spec.town,
                ctx.estate
                    .unwrap_or_else(|| pick(rng, place_unit.spec.estates)),
                rng.gen_range(1..40),
                rng.gen_range(1..5)
            )),
            _ => None,
        };
        let recorded_by = (channel == Channel::Hotline && !self.org.staff.operators.is_empty())
            .then(|| pick(rng, &self.org.staff.operators));
        let sentiment = match s.kind {
            AppealKind::Praise => "positive",
            AppealKind::Consultation | AppealKind::Suggestion => "neutral",
            _ => "negative",
        };
        let category_confidence = if rng.gen_bool(0.04) {
            rng.gen_range(0.3..0.5)
        } else {
            rng.gen_range(0.55..0.99)
        };
        let tracking_code = police_square_domain::tracking::encode(rng.gen());

        let mut g = Generated {
            tracking_code,
            kind: s.kind,
            channel,
            text,
            search_text,
            category: s.category,
            category_confidence,
            urgency,
            emergency: s.emergency,
            sentiment,
            unit_id,
            subject_unit_id,
            status: Status::Received,
            received_at,
            accept_by: deadlines.accept_by,
            due_at: deadlines.due_at,
            caller,
            address,
            recorded_by,
            history: History::default(),
            handoff: None,
            request: None,
            group,
        };
        self.live(&mut g, s, handler, district);
        g
    }
}

/// A random template of the list kept for `key`.
fn one_of<'t, K: PartialEq>(
    lists: &'t [(K, Vec<Template>)],
    key: K,
    rng: &mut impl Rng,
) -> &'t Template {
    let list = &lists
        .iter()
        .find(|(k, _)| *k == key)
        .expect("a list for every key")
        .1;
    &list[rng.gen_range(0..list.len())]
}

fn pick_district(rng: &mut impl Rng) -> usize {
    let total: u32 = DISTRICT_WEIGHTS.iter().sum();
    let mut x = rng.gen_range(0..total);
    for (i, w) in DISTRICT_WEIGHTS.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    0
}

fn local_for(rng: &mut impl Rng, target: Target, d: &DistrictUnits) -> LocalRef {
    match target {
        Target::Traffic => LocalRef::Traffic,
        _ => LocalRef::Station(rng.gen_range(0..d.stations.len())),
    }
}

fn scenario_index(s: &Scenario) -> usize {
    SCENARIOS
        .iter()
        .position(|x| std::ptr::eq(x, s))
        .expect("group scenarios come from SCENARIOS")
}

/// Problems that many people report at once.
const GROUPABLE: &[&str] = &[
    "广场舞噪音",
    "夜间噪音扰民",
    "乱停车堵路",
    "渣土车超速",
    "路灯损坏",
    "垃圾和占道经营",
    "聚众赌博",
    "电瓶车被盗",
    "网络谣言",
    "电动车楼道充电",
    "交通管理建议",
];

fn make_group(rng: &mut impl Rng, tree: &UnitTree, first_day: Millis) -> Group {
    let topic = pick(rng, GROUPABLE);
    let scenario = SCENARIOS
        .iter()
        .find(|s| s.topic == topic)
        .expect("groupable topics exist");
    let district = pick_district(rng);
    let d = &tree.districts[district];
    let local = local_for(rng, scenario.target, d);
    let spec = match local {
        LocalRef::Station(i) => d.stations[i].spec,
        LocalRef::Traffic => d.traffic.spec,
    };
    let estates = if spec.estates.is_empty() {
        spec.spots
    } else {
        spec.estates
    };
    Group {
        scenario,
        district,
        local,
        ctx_spot: pick(rng, spec.spots),
        ctx_estate: pick(rng, estates),
        ctx_road: pick(rng, spec.roads),
        start: first_day + rng.gen_range(0..SPAN_DAYS) * DAY,
        days: rng.gen_range(3..15),
    }
}

mod lifecycle;
#[cfg(test)]
mod tests;
