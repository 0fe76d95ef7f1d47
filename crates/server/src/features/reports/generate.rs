//! Assembling a report from the store's aggregates, with quotes whose personal data
//! is masked.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Duration;
use police_square_domain::{
    calendar::{day_of, local_midnight, to_local},
    org::UnitPath,
    pii,
    rates::{rank_by_composite, RateCounts, Rates},
    Millis, UnitKind,
};
use police_square_store::{Id, NewReport, Report, ReportStatus, Staff, VolumeCount};

use super::{content::*, may_generate, period::Period, report_scope, report_units};
use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

/// Top categories shown as concerns, each with up to [`QUOTES_PER_CONCERN`] quotes.
const CONCERNS: usize = 5;
const QUOTES_PER_CONCERN: usize = 3;
/// Candidates read per concern and window to choose quotes from.
const QUOTE_CANDIDATES: u32 = 8;
const QUOTE_MAX_CHARS: usize = 140;
const TOP_CLUSTERS: u32 = 10;
const EMERGING_LIMIT: u32 = 20;

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
        .stores
        .reports
        .report_for(unit_id, period.kind, period.start)
        .await?
    {
        if existing.status == ReportStatus::Published {
            // Frozen: never recomputed.
            return state
                .stores
                .reports
                .report(existing.id)
                .await?
                .ok_or(AppError::NotFound);
        }
    }
    let now = state.now();
    // The rates read the pre-aggregated statistics: bring them up to date first.
    state.stores.rates.refresh_stats(now).await?;
    let content = assemble(state, unit_id, period, now).await?;
    let json = serde_json::to_string(&content).map_err(AppError::internal)?;
    Ok(state
        .stores
        .reports
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
    let stores = &state.stores;
    let (current, previous, daily, clusters, emerging, counts, prev_counts) = tokio::try_join!(
        stores
            .reports
            .report_volume(&scope, period.start, period.end),
        stores.reports.report_volume(&scope, prev.start, prev.end),
        stores
            .reports
            .report_daily(&scope, period.start, period.end),
        stores
            .reports
            .report_clusters(&scope, period.start, period.end, TOP_CLUSTERS),
        stores
            .reports
            .report_emerging(&scope, period.start, period.end, EMERGING_LIMIT),
        stores
            .rates
            .rate_counts(period.start, period.end.min(now), now),
        stores.rates.rate_counts(prev.start, prev.end.min(now), now),
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
        let key = day_of(local_midnight(day));
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
    // Units below the minimum sample (样本不足) are listed without a place.
    let ranks = rank_by_composite(
        &ranking
            .iter()
            .map(|r| (&r.rates, &r.counts))
            .collect::<Vec<_>>(),
        &weights,
    );
    for (r, rank) in ranking.iter_mut().zip(ranks) {
        r.rank = rank;
    }
    ranking.sort_by(|a, b| {
        let place = |r: &RateRow| r.rank.unwrap_or(usize::MAX);
        place(a)
            .cmp(&place(b))
            .then(b.counts.total.cmp(&a.counts.total))
            .then(a.unit_id.cmp(&b.unit_id))
    });
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
                .stores
                .reports
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
        let (name, address, phone) = match state.stores.contacts.appeal_contact(c.appeal_id).await?
        {
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
    let t = pii::mask_text(&t);
    let folded: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.chars().count() > QUOTE_MAX_CHARS {
        let cut: String = folded.chars().take(QUOTE_MAX_CHARS).collect();
        format!("{cut}…")
    } else {
        folded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_are_masked_in_quotes() {
        assert_eq!(
            mask_quote(
                "我是王小明，住吴兴区爱山街道红旗路18号，电话0572-2345678",
                Some("王小明"),
                Some("吴兴区爱山街道红旗路18号")
            ),
            "我是王**，住吴兴区爱山街道红旗路****，电话057*-***5678"
        );
    }
}
