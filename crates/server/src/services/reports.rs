//! Opinion analysis reports (民意研判周报/月报/季报): periods, assembly of the content
//! snapshot from the store's aggregates, access rules, publishing and leaders'
//! annotations, and the scheduled generation of drafts.
//!
//! A report covers the appeals received in one period (ISO week Monday–Sunday,
//! calendar month or calendar quarter, in China Standard Time) within one bureau's
//! subtree (the city bureau or a district bureau). Its content is assembled once into
//! [`ReportContent`] and stored as JSON; pages, charts and the XLSX export only ever
//! read that snapshot, so a published report never changes, whatever happens to the
//! appeals afterwards. Labels are stored as stable keys (kind, channel, category) and
//! translated when shown; unit names are stored as they were.
//!
//! Quotes never carry personal data: phone and ID numbers in the text are masked, and
//! so are the resident's own name, phone and address wherever the text repeats them
//! (masking helpers of `police_square_domain::pii`). Conduct complaints are never
//! quoted.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use police_square_domain::{
    calendar::{china_tz, to_local},
    org::UnitPath,
    pii,
    rates::{RateCounts, Rates},
    Millis, Role, UnitKind,
};
use police_square_store::{
    Id, NewReport, Report, ReportAnnotation, ReportKind, ReportMeta, ReportStatus, Staff,
    VolumeCount,
};
use serde::{Deserialize, Serialize};

use crate::{
    error::{AppError, AppResult},
    state::AppState,
};

/// Version of the [`ReportContent`] layout (stored in every snapshot).
pub const CONTENT_VERSION: u32 = 1;
/// Top categories shown as concerns, each with up to [`QUOTES_PER_CONCERN`] quotes.
const CONCERNS: usize = 5;
const QUOTES_PER_CONCERN: usize = 3;
/// Candidates read per concern and window to choose quotes from.
const QUOTE_CANDIDATES: u32 = 8;
const QUOTE_MAX_CHARS: usize = 140;
const TOP_CLUSTERS: u32 = 10;
const EMERGING_LIMIT: u32 = 20;
/// Reports listed on the reports page.
pub const LIST_LIMIT: u32 = 200;

// ── periods ─────────────────────────────────────────────────────────────

/// `[start, end)` of one report period, China Standard Time boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub kind: ReportKind,
    pub start: Millis,
    pub end: Millis,
}

fn midnight(date: NaiveDate) -> Millis {
    china_tz()
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .single()
        .expect("fixed offset")
        .timestamp_millis()
}

fn first_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("valid month")
}

fn next_month(date: NaiveDate) -> NaiveDate {
    if date.month() == 12 {
        first_of_month(date.year() + 1, 1)
    } else {
        first_of_month(date.year(), date.month() + 1)
    }
}

/// A report's day as a form or an API body gives it, `YYYY-MM-DD`, in the years a
/// report can cover (far-off years would overflow the period arithmetic).
pub fn report_date(text: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1970..=9999).contains(&d.year()))
        .ok_or_else(|| AppError::Unprocessable("date: a YYYY-MM-DD day is required".into()))
}

impl Period {
    /// The period of `kind` containing the local day `date`.
    pub fn containing_date(kind: ReportKind, date: NaiveDate) -> Period {
        let (first, next) = match kind {
            ReportKind::Weekly => {
                let monday =
                    date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
                (monday, monday + Duration::days(7))
            }
            ReportKind::Monthly => {
                let first = first_of_month(date.year(), date.month());
                (first, next_month(first))
            }
            ReportKind::Quarterly => {
                let month = (date.month() - 1) / 3 * 3 + 1;
                let first = first_of_month(date.year(), month);
                (first, next_month(next_month(next_month(first))))
            }
        };
        Period {
            kind,
            start: midnight(first),
            end: midnight(next),
        }
    }

    /// The period of `kind` containing the instant `at`.
    pub fn containing(kind: ReportKind, at: Millis) -> Period {
        Self::containing_date(kind, to_local(at).date_naive())
    }

    /// The period just before this one.
    pub fn previous(&self) -> Period {
        Self::containing(self.kind, self.start - 1)
    }

    /// The last period that has ended by `now`.
    pub fn last_completed(kind: ReportKind, now: Millis) -> Period {
        Self::containing(kind, now).previous()
    }

    fn first_day(&self) -> NaiveDate {
        to_local(self.start).date_naive()
    }

    /// Language-neutral name: `2026-W10`, `2026-03`, `2026-Q1`.
    pub fn label(&self) -> String {
        let d = self.first_day();
        match self.kind {
            ReportKind::Weekly => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            ReportKind::Monthly => format!("{}-{:02}", d.year(), d.month()),
            ReportKind::Quarterly => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
        }
    }

    /// `2026-03-02 — 2026-03-08` (inclusive local days).
    pub fn range(&self) -> String {
        format!(
            "{} — {}",
            to_local(self.start).format("%Y-%m-%d"),
            to_local(self.end - 1).format("%Y-%m-%d")
        )
    }
}

// ── content snapshot ────────────────────────────────────────────────────

/// A count in this period beside the previous one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// A kind, channel or category key (`none` for no category), or a unit id.
    pub key: String,
    /// Unit name for rows by unit; empty otherwise (keys are translated when shown).
    #[serde(default)]
    pub name: String,
    pub count: i64,
    pub previous: i64,
}

impl Share {
    /// Change against the previous period in percent, `None` when it had none.
    pub fn change_percent(&self) -> Option<f64> {
        change_percent(self.count, self.previous)
    }
}

pub fn change_percent(count: i64, previous: i64) -> Option<f64> {
    (previous > 0).then(|| (count - previous) as f64 * 100.0 / previous as f64)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayPoint {
    /// `2026-03-02`
    pub date: String,
    pub count: i64,
}

/// A resident's words, personal data masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub appeal_id: Id,
    pub unit: String,
    pub received_at: Millis,
    pub text: String,
    /// Part of a cluster (一事多诉).
    pub clustered: bool,
}

/// A top concern: a category with its volume and representative quotes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Concern {
    pub category: String,
    pub count: i64,
    pub previous: i64,
    /// Share of the period's appeals, percent.
    pub share: f64,
    pub quotes: Vec<Quote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterRow {
    pub id: Id,
    pub label: String,
    pub category: Option<String>,
    pub unit: String,
    pub in_period: i64,
    pub size: i64,
    pub first_at: Millis,
    pub last_at: Millis,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterSection {
    pub clusters: i64,
    pub appeals: i64,
    pub top: Vec<ClusterRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergingRow {
    pub id: Id,
    pub district: String,
    pub period_start: Millis,
    pub period_end: Millis,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
    pub observed: i64,
    pub expected: f64,
    pub p_value: f64,
    pub appeals: i64,
}

/// The three rates of one unit (with its sub-units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateRow {
    pub unit_id: Id,
    pub name: String,
    /// 1 = best composite score; `None` when the unit has no composite yet.
    pub rank: Option<usize>,
    pub counts: RateCounts,
    pub rates: Rates,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RatesSection {
    /// The report's own unit, this period and the previous one.
    pub current: RateRow,
    pub previous: RateRow,
    /// The units directly below, best composite first (units without one last).
    pub ranking: Vec<RateRow>,
}

/// Everything a report shows, frozen when generated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportContent {
    pub version: u32,
    pub kind: ReportKind,
    pub label: String,
    pub period_start: Millis,
    pub period_end: Millis,
    pub previous_start: Millis,
    pub previous_end: Millis,
    pub unit_id: Id,
    pub unit_name: String,
    pub generated_at: Millis,
    pub total: i64,
    pub previous_total: i64,
    pub by_kind: Vec<Share>,
    pub by_channel: Vec<Share>,
    pub by_category: Vec<Share>,
    pub by_unit: Vec<Share>,
    pub daily: Vec<DayPoint>,
    pub concerns: Vec<Concern>,
    pub clusters: ClusterSection,
    pub emerging: Vec<EmergingRow>,
    pub rates: RatesSection,
}

impl ReportContent {
    pub fn parse(json: &str) -> AppResult<ReportContent> {
        serde_json::from_str(json).map_err(AppError::internal)
    }
}

// ── personal data in quotes ─────────────────────────────────────────────

/// A quote fit to show: the resident's own contact details masked where the text
/// repeats them, every long number masked, whitespace folded, cut to a length.
pub fn mask_quote(text: &str, name: Option<&str>, address: Option<&str>) -> String {
    let mut t = text.to_owned();
    if let Some(address) = address.map(str::trim).filter(|a| a.chars().count() >= 4) {
        t = t.replace(address, &pii::mask_address(address));
    }
    if let Some(name) = name.map(str::trim).filter(|n| n.chars().count() >= 2) {
        t = t.replace(name, &pii::mask_name(name));
    }
    let t = pii::mask_numbers(&t);
    let folded: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > QUOTE_MAX_CHARS {
        let cut: String = folded.chars().take(QUOTE_MAX_CHARS).collect();
        format!("{cut}…")
    } else {
        folded
    }
}

// ── access ──────────────────────────────────────────────────────────────

/// The bureau (city or district) whose reports a staff member sees: the one at or
/// above their unit. A district sees only its own reports; the city sees all.
pub fn report_scope(state: &AppState, staff: &Staff) -> AppResult<UnitPath> {
    if !may_view(staff.role) {
        return Err(AppError::Forbidden);
    }
    let org = state.org();
    Ok(org
        .bureau_at_or_above(staff.unit_id)
        .map(|u| u.path.clone())
        .unwrap_or_else(|| staff.unit_path.clone()))
}

pub fn may_view(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Leader | Role::Supervisor | Role::Analyst
    )
}

/// Generate and publish: the analysts (民意研判), leaders and admins.
pub fn may_generate(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Leader | Role::Analyst)
}

/// Only leaders (局领导) annotate a published report with what will be done.
pub fn may_annotate(role: Role) -> bool {
    role == Role::Leader
}

/// Units a report can be generated for within `scope`: the bureau itself and the
/// district bureaus below it.
pub fn report_units(state: &AppState, scope: &UnitPath) -> Vec<(Id, String)> {
    let org = state.org();
    let mut units: Vec<_> = org
        .in_scope(scope)
        .filter(|u| &u.path == scope || u.kind == UnitKind::District)
        .map(|u| (u.path.ids().len(), u.id, u.name.clone()))
        .collect();
    units.sort();
    units.into_iter().map(|(_, id, name)| (id, name)).collect()
}

/// A report the staff member may see, else 404 (never reveal that it exists).
pub async fn visible_report(state: &AppState, staff: &Staff, id: Id) -> AppResult<Report> {
    let scope = report_scope(state, staff)?;
    let report = state.store.report(id).await?.ok_or(AppError::NotFound)?;
    if !scope.contains(&report.meta.unit_path) {
        return Err(AppError::NotFound);
    }
    Ok(report)
}

pub async fn list(state: &AppState, staff: &Staff) -> AppResult<Vec<ReportMeta>> {
    let scope = report_scope(state, staff)?;
    Ok(state.store.reports_in(&scope, LIST_LIMIT).await?)
}

// ── generation ──────────────────────────────────────────────────────────

/// Generate (or regenerate) the draft of `unit_id` for `period` on demand. A period that
/// has not begun is refused; a published report is returned unchanged.
pub async fn generate_for(
    state: &AppState,
    staff: &Staff,
    unit_id: Id,
    period: Period,
) -> AppResult<Report> {
    if !may_generate(staff.role) {
        return Err(AppError::Forbidden);
    }
    let scope = report_scope(state, staff)?;
    if !report_units(state, &scope)
        .iter()
        .any(|(id, _)| *id == unit_id)
    {
        return Err(AppError::NotFound);
    }
    if period.start > state.now() {
        return Err(AppError::BadRequest("the period has not begun".into()));
    }
    generate(state, unit_id, period, Some(staff.id)).await
}

/// Assemble the content of `unit_id`'s report for `period` and save it as a draft.
pub async fn generate(
    state: &AppState,
    unit_id: Id,
    period: Period,
    by: Option<Id>,
) -> AppResult<Report> {
    if let Some(existing) = state
        .store
        .report_for(unit_id, period.kind, period.start)
        .await?
    {
        if existing.status == ReportStatus::Published {
            // Frozen: never recomputed.
            return state
                .store
                .report(existing.id)
                .await?
                .ok_or(AppError::NotFound);
        }
    }
    let now = state.now();
    // The rates read the pre-aggregated statistics: bring them up to date first.
    state.store.refresh_stats(now).await?;
    let content = assemble(state, unit_id, period, now).await?;
    let json = serde_json::to_string(&content).map_err(AppError::internal)?;
    Ok(state
        .store
        .save_report_draft(NewReport {
            kind: period.kind,
            period_start: period.start,
            period_end: period.end,
            unit_id,
            content: json,
            generated_at: now,
            generated_by: by,
        })
        .await?)
}

fn shares<K: Ord + ToString>(
    current: &[VolumeCount],
    previous: &[VolumeCount],
    key: impl Fn(&VolumeCount) -> K,
) -> Vec<Share> {
    let mut map: BTreeMap<K, (i64, i64)> = BTreeMap::new();
    for v in current {
        map.entry(key(v)).or_default().0 += v.count;
    }
    for v in previous {
        map.entry(key(v)).or_default().1 += v.count;
    }
    let mut out: Vec<Share> = map
        .into_iter()
        .map(|(k, (count, previous))| Share {
            key: k.to_string(),
            name: String::new(),
            count,
            previous,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(b.previous.cmp(&a.previous)));
    out
}

fn category_key(v: &VolumeCount) -> String {
    v.category.clone().unwrap_or_else(|| "none".to_owned())
}

/// The report's content for `unit_id` over `period`, as of `now`.
pub async fn assemble(
    state: &AppState,
    unit_id: Id,
    period: Period,
    now: Millis,
) -> AppResult<ReportContent> {
    let org = state.org_knowing(unit_id).await?;
    let unit = org.unit(unit_id).ok_or(AppError::NotFound)?.clone();
    let scope = unit.path.clone();
    let prev = period.previous();
    let store = &state.store;
    let (current, previous, daily, clusters, emerging, counts, prev_counts) = tokio::try_join!(
        store.report_volume(&scope, period.start, period.end),
        store.report_volume(&scope, prev.start, prev.end),
        store.report_daily(&scope, period.start, period.end),
        store.report_clusters(&scope, period.start, period.end, TOP_CLUSTERS),
        store.report_emerging(&scope, period.start, period.end, EMERGING_LIMIT),
        store.rate_counts(period.start, period.end.min(now), now),
        store.rate_counts(prev.start, prev.end.min(now), now),
    )?;

    // The unit directly below the report's unit that owns (or is) each unit.
    let depth = scope.ids().len();
    let child_of = |owner: Id| -> Option<Id> {
        let u = org.unit(owner)?;
        if !scope.contains(&u.path) {
            return None;
        }
        Some(u.path.ids().get(depth).copied().unwrap_or(unit_id))
    };
    let unit_name = |id: Id| org.name(id).unwrap_or_default().to_owned();

    let total: i64 = current.iter().map(|v| v.count).sum();
    let previous_total: i64 = previous.iter().map(|v| v.count).sum();
    let by_kind = shares(&current, &previous, |v| v.kind.as_str().to_owned());
    let by_channel = shares(&current, &previous, |v| v.channel.as_str().to_owned());
    let by_category = shares(&current, &previous, category_key);
    let mut by_unit = shares(&current, &previous, |v| {
        child_of(v.unit_id).unwrap_or(unit_id)
    });
    for s in &mut by_unit {
        s.name = s.key.parse().map(unit_name).unwrap_or_default();
    }

    // Daily series with every day of the period present.
    let counts_by_day: HashMap<i64, i64> = daily.iter().map(|d| (d.day, d.count)).collect();
    let mut days = Vec::new();
    let mut day = to_local(period.start).date_naive();
    let last = to_local(period.end - 1).date_naive();
    while day <= last {
        let key = (midnight(day) + 8 * 3_600_000).div_euclid(86_400_000);
        days.push(DayPoint {
            date: day.format("%Y-%m-%d").to_string(),
            count: counts_by_day.get(&key).copied().unwrap_or(0),
        });
        day += Duration::days(1);
    }

    // Top concerns with quotes.
    let mut concerns = Vec::new();
    for share in by_category
        .iter()
        .filter(|s| s.key != "none" && s.key != "conduct" && s.count > 0)
        .take(CONCERNS)
    {
        let quotes = quotes(state, &scope, period, &share.key, &unit_name).await?;
        concerns.push(Concern {
            category: share.key.clone(),
            count: share.count,
            previous: share.previous,
            share: if total > 0 {
                share.count as f64 * 100.0 / total as f64
            } else {
                0.0
            },
            quotes,
        });
    }

    let path_name = |path: &str| -> String {
        UnitPath::parse(path)
            .ok()
            .and_then(|p| p.ids().last().copied())
            .map(unit_name)
            .unwrap_or_default()
    };
    let clusters = ClusterSection {
        clusters: clusters.clusters,
        appeals: clusters.appeals,
        top: clusters
            .top
            .into_iter()
            .map(|c| ClusterRow {
                id: c.cluster_id,
                unit: path_name(&c.unit_path),
                label: c.label,
                category: c.category,
                in_period: c.in_period,
                size: c.size,
                first_at: c.first_at,
                last_at: c.last_at,
            })
            .collect(),
    };
    let emerging = emerging
        .into_iter()
        .map(|e| EmergingRow {
            id: e.id,
            district: unit_name(e.district_unit_id),
            period_start: e.period_start,
            period_end: e.period_end,
            keywords: e.keywords,
            categories: e.categories,
            observed: e.observed,
            expected: e.expected,
            p_value: e.p_value,
            appeals: e.appeals,
        })
        .collect();

    let weights = state.settings().weights;
    let roll_up = |all: &[police_square_store::UnitCounts], within: &UnitPath| {
        all.iter()
            .filter(|c| {
                org.unit(c.unit_id)
                    .is_some_and(|u| within.contains(&u.path))
            })
            .fold(RateCounts::default(), |acc, c| acc + c.counts)
    };
    let row = |id: Id, counts: RateCounts| RateRow {
        unit_id: id,
        name: unit_name(id),
        rank: None,
        rates: Rates::from_counts(&counts, &weights),
        counts,
    };
    let mut ranking: Vec<RateRow> = org
        .children(unit_id)
        .filter(|u| u.kind != UnitKind::Office)
        .map(|u| row(u.id, roll_up(&counts, &u.path)))
        .collect();
    ranking.sort_by(|a, b| {
        let score = |r: &RateRow| r.rates.composite.unwrap_or(f64::NEG_INFINITY);
        score(b)
            .total_cmp(&score(a))
            .then(b.counts.total.cmp(&a.counts.total))
            .then(a.unit_id.cmp(&b.unit_id))
    });
    let mut rank = 0;
    for r in &mut ranking {
        if r.rates.composite.is_some() {
            rank += 1;
            r.rank = Some(rank);
        }
    }
    let rates = RatesSection {
        current: row(unit_id, roll_up(&counts, &scope)),
        previous: row(unit_id, roll_up(&prev_counts, &scope)),
        ranking,
    };

    Ok(ReportContent {
        version: CONTENT_VERSION,
        kind: period.kind,
        label: period.label(),
        period_start: period.start,
        period_end: period.end,
        previous_start: prev.start,
        previous_end: prev.end,
        unit_id,
        unit_name: unit.name.clone(),
        generated_at: now,
        total,
        previous_total,
        by_kind,
        by_channel,
        by_category,
        by_unit,
        daily: days,
        concerns,
        clusters,
        emerging,
        rates,
    })
}

/// Up to [`QUOTES_PER_CONCERN`] quotes for a category, spread over the period: the
/// period is cut into as many windows and each gives its newest fitting appeal, one
/// that is part of a cluster first (many people said it); short texts and repeats are
/// skipped, and windows without one leave their place to the others. Personal data
/// masked.
async fn quotes(
    state: &AppState,
    scope: &UnitPath,
    period: Period,
    category: &str,
    unit_name: &impl Fn(Id) -> String,
) -> AppResult<Vec<Quote>> {
    let n = QUOTES_PER_CONCERN as i64;
    let span = period.end - period.start;
    let mut windows = Vec::new();
    for i in (0..n).rev() {
        let from = period.start + span * i / n;
        let to = period.start + span * (i + 1) / n;
        windows.push(
            state
                .store
                .report_quote_candidates(scope, from, to, category, QUOTE_CANDIDATES)
                .await?,
        );
    }
    let mut clusters_seen = HashSet::new();
    let mut texts_seen = HashSet::new();
    let mut fits = |c: &police_square_store::QuoteCandidate| -> bool {
        if c.text.trim().chars().count() < 8 {
            return false;
        }
        let key: String = c.text.chars().take(40).collect();
        if texts_seen.contains(&key) || c.cluster_id.is_some_and(|k| clusters_seen.contains(&k)) {
            return false;
        }
        texts_seen.insert(key);
        if let Some(k) = c.cluster_id {
            clusters_seen.insert(k);
        }
        true
    };
    let mut chosen: Vec<&police_square_store::QuoteCandidate> = Vec::new();
    let mut used: HashSet<Id> = HashSet::new();
    // One per window (clustered first), then fill up from any window.
    for window in &windows {
        let ordered = window
            .iter()
            .filter(|c| c.cluster_id.is_some())
            .chain(window.iter().filter(|c| c.cluster_id.is_none()));
        for c in ordered {
            if fits(c) {
                used.insert(c.appeal_id);
                chosen.push(c);
                break;
            }
        }
    }
    for c in windows.iter().flatten() {
        if chosen.len() >= QUOTES_PER_CONCERN {
            break;
        }
        if !used.contains(&c.appeal_id) && fits(c) {
            used.insert(c.appeal_id);
            chosen.push(c);
        }
    }
    chosen.truncate(QUOTES_PER_CONCERN);
    let mut out = Vec::new();
    for c in chosen {
        let (name, address, phone) = match state.store.appeal_contact(c.appeal_id).await? {
            Some(contact) => (
                contact
                    .name_enc
                    .as_deref()
                    .and_then(|n| state.vault.open(n).ok()),
                contact
                    .address_enc
                    .as_deref()
                    .and_then(|a| state.vault.open(a).ok()),
                state.vault.open(&contact.phone_enc).ok(),
            ),
            None => (None, None, None),
        };
        let mut text = c.text.clone();
        if let Some(phone) = phone.filter(|p| p.len() >= 5) {
            text = text.replace(&phone, &pii::mask_phone(&phone));
        }
        out.push(Quote {
            appeal_id: c.appeal_id,
            unit: unit_name(c.unit_id),
            received_at: c.received_at,
            text: mask_quote(&text, name.as_deref(), address.as_deref()),
            clustered: c.cluster_id.is_some(),
        });
    }
    Ok(out)
}

// ── publishing and annotations ──────────────────────────────────────────

pub async fn publish(state: &AppState, staff: &Staff, id: Id) -> AppResult<Report> {
    if !may_generate(staff.role) {
        return Err(AppError::Forbidden);
    }
    visible_report(state, staff, id).await?;
    Ok(state
        .store
        .publish_report(id, staff.id, state.now())
        .await?)
}

/// A leader's note on a published report.
pub async fn annotate(
    state: &AppState,
    staff: &Staff,
    id: Id,
    text: &str,
) -> AppResult<ReportAnnotation> {
    let report = visible_report(state, staff, id).await?;
    if !may_annotate(staff.role) {
        return Err(AppError::Forbidden);
    }
    if report.meta.status != ReportStatus::Published {
        return Err(AppError::Conflict("publish the report first".into()));
    }
    let text = super::required_text("annotation", text, 2000)?;
    Ok(state
        .store
        .annotate_report(id, staff.id, state.now(), &text)
        .await?)
}

// ── scheduled generation ────────────────────────────────────────────────

/// The scheduled job: for every kind, the last completed period gets a draft for the
/// city bureau and each district bureau, unless one exists already (published or
/// not), so running it again does nothing. Returns how many drafts were written.
pub async fn generate_due(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    let org = state.org();
    let Some(city) = org.city() else {
        return Ok(0);
    };
    let units: Vec<Id> = report_units(state, &city.path)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let mut written = 0;
    for kind in ReportKind::ALL {
        let period = Period::last_completed(kind, now);
        for &unit in &units {
            if state
                .store
                .report_for(unit, kind, period.start)
                .await?
                .is_some()
            {
                continue;
            }
            generate(state, unit, period, None).await?;
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn local_day(at: Millis) -> String {
        to_local(at).format("%Y-%m-%d %H:%M").to_string()
    }

    #[test]
    fn periods_follow_china_calendar() {
        // Wednesday 2026-03-04.
        let w = Period::containing_date(ReportKind::Weekly, date("2026-03-04"));
        assert_eq!(local_day(w.start), "2026-03-02 00:00");
        assert_eq!(local_day(w.end), "2026-03-09 00:00");
        assert_eq!(w.label(), "2026-W10");
        assert_eq!(w.range(), "2026-03-02 — 2026-03-08");
        let m = Period::containing_date(ReportKind::Monthly, date("2026-12-31"));
        assert_eq!(local_day(m.start), "2026-12-01 00:00");
        assert_eq!(local_day(m.end), "2027-01-01 00:00");
        assert_eq!(m.label(), "2026-12");
        let q = Period::containing_date(ReportKind::Quarterly, date("2026-05-20"));
        assert_eq!(local_day(q.start), "2026-04-01 00:00");
        assert_eq!(local_day(q.end), "2026-07-01 00:00");
        assert_eq!(q.label(), "2026-Q2");
        assert_eq!(q.previous().label(), "2026-Q1");
        assert_eq!(
            Period::containing_date(ReportKind::Quarterly, date("2026-01-01"))
                .previous()
                .label(),
            "2025-Q4"
        );
        // ISO week 1 of 2026 starts on Monday 2025-12-29.
        let w1 = Period::containing_date(ReportKind::Weekly, date("2026-01-01"));
        assert_eq!(w1.label(), "2026-W01");
        assert_eq!(local_day(w1.start), "2025-12-29 00:00");
        // Boundaries are China midnight: 2026-03-01 00:00 CST is 16:00 UTC the day before.
        assert_eq!(m.start % 86_400_000, 16 * 3_600_000);
        let last = Period::last_completed(ReportKind::Monthly, w.start);
        assert_eq!(last.label(), "2026-02");
    }

    #[test]
    fn report_dates_are_days_of_years_a_report_can_cover() {
        assert_eq!(report_date(" 2026-03-04 ").unwrap(), date("2026-03-04"));
        // chrono accepts these; the period arithmetic would overflow on them.
        for bad in [
            "+262142-12-31",
            "-0001-01-01",
            "1969-12-31",
            "2026-02-30",
            "",
            "x",
        ] {
            assert!(report_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contact_details_are_masked_in_quotes() {
        assert_eq!(
            mask_quote(
                "我是王小明，住吴兴区爱山街道红旗路18号，电话0572-2345678",
                Some("王小明"),
                Some("吴兴区爱山街道红旗路18号")
            ),
            "我是王**，住吴兴区爱山街****，电话057*-***5678"
        );
    }
}
