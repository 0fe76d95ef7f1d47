//! Emerging issues (未诉先办): spikes by place and time.
//!
//! Daily counts are kept per series: category and keyword, each by district and
//! by unit (the station an appeal belongs to), and cluster (一事多诉) by district.
//! Each day, the last 7 days of each series are tested against that series' own
//! baseline (the preceding weeks) with a one-sided Poisson upper-tail test,
//! Bonferroni-corrected over the series active that day. Keyword series let
//! patterns that fit no category still surface: a word never seen before has a
//! near-zero baseline, so a cluster of it stands out. Unit series find a burst
//! that is large for one station but small for its district; cluster series find
//! many people suddenly writing about one problem in words that share no keyword.
//! Significant days of a series are merged into episodes, and episodes of one
//! district that share most of their appeals become one alert.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::classify::DefaultCategory;

/// One appeal as the detector sees it.
#[derive(Debug, Clone)]
pub struct EmergingInput {
    pub id: String,
    pub date: NaiveDate,
    pub district: String,
    /// The unit inside the district the appeal belongs to (e.g. a station), when
    /// finer than the district.
    pub unit: Option<String>,
    pub category: Option<DefaultCategory>,
    /// The appeal's keywords (e.g. its top TF-IDF keywords).
    pub keywords: Vec<String>,
    /// The 一事多诉 cluster the appeal was linked into, if any.
    pub cluster: Option<String>,
}

/// Detector settings.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct EmergingConfig {
    /// Length of the tested window in days.
    pub window_days: i64,
    /// Days of history before the window that form the baseline.
    pub baseline_days: i64,
    /// A series needs at least this much history before it is tested.
    pub min_history_days: i64,
    /// Minimum appeals in the window for an alert.
    pub min_count: u32,
    /// Minimum ratio of observed to expected count.
    pub min_ratio: f64,
    /// Family-wise error rate per day (Bonferroni over active series).
    pub alpha: f64,
    /// Pseudo-count added to every baseline, so a new word's rate is small, not zero.
    pub prior_count: f64,
}

impl Default for EmergingConfig {
    fn default() -> Self {
        Self {
            window_days: 7,
            baseline_days: 56,
            min_history_days: 28,
            min_count: 4,
            min_ratio: 3.0,
            alpha: 0.01,
            prior_count: 0.5,
        }
    }
}

/// One emerging-issue alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergingAlert {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub district: String,
    /// The unit inside the district all the alert's appeals belong to, if any:
    /// the most precise place the alert can name.
    pub unit: Option<String>,
    /// Keywords naming the issue (most significant first).
    pub keywords: Vec<String>,
    /// Categories whose series spiked, if any.
    pub categories: Vec<DefaultCategory>,
    /// Clusters whose series spiked, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clusters: Vec<String>,
    pub appeal_ids: Vec<String>,
    /// Observed and expected counts of the strongest series' peak window.
    pub observed: u32,
    pub expected: f64,
    /// Smallest p-value (before correction) among the merged series.
    pub p_value: f64,
}

/// P(X ≥ x) for X ~ Poisson(lambda), summed in log space (stable for tiny tails).
pub fn poisson_upper_tail(x: u32, lambda: f64) -> f64 {
    if x == 0 {
        return 1.0;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    let ln_fact = |k: u32| -> f64 { (2..=k).map(|i| f64::from(i).ln()).sum() };
    let mut log_term = -lambda + f64::from(x) * lambda.ln() - ln_fact(x);
    let mut sum = 0.0;
    let mut k = x;
    loop {
        let term = log_term.exp();
        sum += term;
        k += 1;
        log_term += lambda.ln() - f64::from(k).ln();
        if term < sum * 1e-12 || k > x + 10_000 {
            break;
        }
    }
    sum.min(1.0)
}

/// Keywords an alert keeps.
const ALERT_KEYWORDS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum SeriesKey {
    DefaultCategory(DefaultCategory),
    Keyword(String),
    Cluster(String),
}

/// Where a series counts: a district, or a unit inside one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Place {
    district: String,
    unit: Option<String>,
}

struct Episode {
    district: String,
    key: SeriesKey,
    items: Vec<usize>,
    p_value: f64,
    observed: u32,
    expected: f64,
}

/// Detect emerging issues over a batch of appeals (any order).
pub fn detect_emerging(inputs: &[EmergingInput], cfg: &EmergingConfig) -> Vec<EmergingAlert> {
    let Some(first) = inputs.iter().map(|i| i.date).min() else {
        return Vec::new();
    };
    let last = inputs.iter().map(|i| i.date).max().unwrap_or(first);
    let days = (last - first).num_days() + 1;
    let day_of = |d: NaiveDate| (d - first).num_days();

    // Series → items (index into inputs), per district and per unit.
    let mut series: FxHashMap<(Place, SeriesKey), Vec<usize>> = FxHashMap::default();
    for (ix, it) in inputs.iter().enumerate() {
        let district = Place {
            district: it.district.clone(),
            unit: None,
        };
        let unit = it.unit.as_ref().map(|u| Place {
            district: it.district.clone(),
            unit: Some(u.clone()),
        });
        let mut add = |place: &Place, key: SeriesKey| {
            series.entry((place.clone(), key)).or_default().push(ix);
        };
        let mut kws = it.keywords.clone();
        kws.sort();
        kws.dedup();
        for place in std::iter::once(&district).chain(&unit) {
            if let Some(c) = it.category {
                add(place, SeriesKey::DefaultCategory(c));
            }
            for k in &kws {
                add(place, SeriesKey::Keyword(k.clone()));
            }
        }
        // A cluster already lies within one district.
        if let Some(c) = &it.cluster {
            add(&district, SeriesKey::Cluster(c.clone()));
        }
    }
    let mut keys: Vec<&(Place, SeriesKey)> = series.keys().collect();
    keys.sort();

    // Daily counts per series, and prefix sums for O(1) window sums.
    let prefix: Vec<Vec<u32>> = keys
        .iter()
        .map(|k| {
            let mut daily = vec![0u32; days as usize];
            for &ix in &series[*k] {
                daily[day_of(inputs[ix].date) as usize] += 1;
            }
            let mut p = vec![0u32; days as usize + 1];
            for d in 0..days as usize {
                p[d + 1] = p[d] + daily[d];
            }
            p
        })
        .collect();
    let sum = |p: &Vec<u32>, from: i64, to_excl: i64| -> u32 {
        let (a, b) = (from.max(0) as usize, to_excl.max(0) as usize);
        p[b] - p[a.min(b)]
    };

    // For each day: test every active series' window.
    let mut significant: FxHashMap<usize, Vec<(i64, f64, u32, f64)>> = FxHashMap::default();
    for t in 0..days {
        let w_start = t - cfg.window_days + 1;
        let b_start = (w_start - cfg.baseline_days).max(0);
        let history = w_start - b_start;
        if history < cfg.min_history_days {
            continue;
        }
        let active: Vec<(usize, u32)> = prefix
            .iter()
            .enumerate()
            .map(|(s, p)| (s, sum(p, w_start, t + 1)))
            .filter(|(_, x)| *x > 0)
            .collect();
        let m = active.len().max(1) as f64;
        for (s, x) in active {
            if x < cfg.min_count {
                continue;
            }
            let base = f64::from(sum(&prefix[s], b_start, w_start));
            let expected = (base + cfg.prior_count) / history as f64 * cfg.window_days as f64;
            if f64::from(x) < cfg.min_ratio * expected {
                continue;
            }
            let p = poisson_upper_tail(x, expected);
            if p * m <= cfg.alpha {
                significant.entry(s).or_default().push((t, p, x, expected));
            }
        }
    }

    // Merge consecutive significant days of a series into episodes.
    let mut episodes: Vec<Episode> = Vec::new();
    let mut sig_series: Vec<usize> = significant.keys().copied().collect();
    sig_series.sort_unstable();
    for s in sig_series {
        let hits = &significant[&s];
        let mut run_start = 0;
        for i in 0..hits.len() {
            let ends_run = i + 1 == hits.len() || hits[i + 1].0 > hits[i].0 + cfg.window_days;
            if !ends_run {
                continue;
            }
            let run = &hits[run_start..=i];
            let (from, to) = (run[0].0 - cfg.window_days + 1, run[run.len() - 1].0);
            let (place, key) = keys[s].clone();
            let district = place.district;
            let items: Vec<usize> = series[keys[s]]
                .iter()
                .copied()
                .filter(|&ix| (from..=to).contains(&day_of(inputs[ix].date)))
                .collect();
            let best = run
                .iter()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .copied()
                .unwrap_or(run[0]);
            episodes.push(Episode {
                district,
                key,
                items,
                p_value: best.1,
                observed: best.2,
                expected: best.3,
            });
            run_start = i + 1;
        }
    }
    episodes.sort_by(|a, b| a.p_value.total_cmp(&b.p_value));

    // Episodes of one district sharing most of their appeals describe one issue,
    // and so does a chain of them: one incident surfaces through its category, its
    // words, its station and its cluster, each series over slightly other days.
    let mut parent: Vec<usize> = (0..episodes.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..episodes.len() {
        for j in 0..i {
            let (a, b) = (&episodes[i], &episodes[j]);
            if a.district == b.district && mostly_shared(&a.items, &b.items) {
                // The root stays the earlier, more significant episode.
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut groups: Vec<Vec<Episode>> = Vec::new();
    let mut group_of_root: FxHashMap<usize, usize> = FxHashMap::default();
    for (i, e) in episodes.into_iter().enumerate() {
        let r = root(&mut parent, i);
        match group_of_root.get(&r) {
            Some(&g) => groups[g].push(e),
            None => {
                group_of_root.insert(r, groups.len());
                groups.push(vec![e]);
            }
        }
    }

    let mut alerts: Vec<EmergingAlert> = groups
        .into_iter()
        .map(|g| {
            let mut ids: Vec<usize> = g.iter().flat_map(|e| e.items.iter().copied()).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut keywords: Vec<String> = Vec::new();
            let mut categories: Vec<DefaultCategory> = Vec::new();
            let mut clusters: Vec<String> = Vec::new();
            for e in &g {
                match &e.key {
                    SeriesKey::Keyword(k) if !keywords.contains(k) => keywords.push(k.clone()),
                    SeriesKey::DefaultCategory(c) if !categories.contains(c) => categories.push(*c),
                    SeriesKey::Cluster(c) if !clusters.contains(c) => clusters.push(c.clone()),
                    _ => {}
                }
            }
            let unit = ids
                .first()
                .and_then(|&f| inputs[f].unit.clone())
                .filter(|u| ids.iter().all(|&i| inputs[i].unit.as_ref() == Some(u)));
            if keywords.is_empty() {
                keywords = frequent_keywords(inputs, &ids, 5);
            }
            // The most significant words name the issue; a long tail says nothing more.
            keywords.truncate(ALERT_KEYWORDS);
            let dates = ids.iter().map(|&i| inputs[i].date);
            EmergingAlert {
                start: dates.clone().min().unwrap_or(first),
                end: dates.max().unwrap_or(first),
                district: g[0].district.clone(),
                unit,
                keywords,
                categories,
                clusters,
                appeal_ids: ids.iter().map(|&i| inputs[i].id.clone()).collect(),
                observed: g[0].observed,
                expected: g[0].expected,
                p_value: g[0].p_value,
            }
        })
        .collect();
    alerts.sort_by(|a, b| a.start.cmp(&b.start).then(a.district.cmp(&b.district)));
    alerts
}

/// Whether two sorted item lists share at least half of the shorter one.
fn mostly_shared(a: &[usize], b: &[usize]) -> bool {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared * 2 >= a.len().min(b.len())
}

/// Most frequent keywords among some appeals (ties by word, for determinism).
fn frequent_keywords(inputs: &[EmergingInput], ids: &[usize], k: usize) -> Vec<String> {
    let mut freq: FxHashMap<&str, usize> = FxHashMap::default();
    for &i in ids {
        for w in &inputs[i].keywords {
            *freq.entry(w).or_insert(0) += 1;
        }
    }
    let mut v: Vec<(&str, usize)> = freq.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().take(k).map(|(w, _)| w.to_string()).collect()
}

/// How unusual a count is, in words a leader reads ("比平常多 6 倍") rather
/// than a p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusual {
    /// The usual count for a period this long is below one: "usually almost none".
    UsuallyNone,
    /// The count is more than `n` times the usual (rounded down, at least 1).
    Times(u32),
}

/// The plain-words unusualness of `observed` appeals where `expected` were usual.
pub fn unusualness(observed: f64, expected: f64) -> Unusual {
    if expected < 1.0 {
        return Unusual::UsuallyNone;
    }
    let ratio = observed / expected;
    Unusual::Times((ratio.floor() as u32).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusualness_in_plain_words() {
        assert_eq!(unusualness(14.0, 2.0), Unusual::Times(7));
        assert_eq!(unusualness(7.9, 2.0), Unusual::Times(3));
        assert_eq!(unusualness(1.0, 2.0), Unusual::Times(1));
        assert_eq!(unusualness(9.0, 0.4), Unusual::UsuallyNone);
    }

    #[test]
    fn poisson_tail_matches_known_values() {
        // P(X ≥ 1 | λ=1) = 1 - e^-1
        assert!((poisson_upper_tail(1, 1.0) - (1.0 - (-1f64).exp())).abs() < 1e-9);
        // P(X ≥ 3 | λ=2) = 1 - e^-2 (1 + 2 + 2)
        let want = 1.0 - (-2f64).exp() * 5.0;
        assert!((poisson_upper_tail(3, 2.0) - want).abs() < 1e-9);
        assert_eq!(poisson_upper_tail(0, 3.0), 1.0);
        assert!(poisson_upper_tail(30, 1.0) < 1e-20);
    }

    #[test]
    fn empty_input_gives_no_alerts() {
        assert!(detect_emerging(&[], &EmergingConfig::default()).is_empty());
    }

    fn input(id: String, day: i64, unit: Option<&str>, keywords: &[String]) -> EmergingInput {
        EmergingInput {
            id,
            date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() + chrono::Duration::days(day),
            district: "吴兴区".into(),
            unit: unit.map(str::to_owned),
            category: Some(DefaultCategory::Theft),
            keywords: keywords.to_vec(),
            cluster: None,
        }
    }

    #[test]
    fn a_burst_at_one_station_is_named_by_that_station() {
        // Five stations with ten thefts each every week; one station then gets 25
        // more in one week. For the district that is 75 against 50 (no alert);
        // for the station 35 against 10.
        let stations = ["织里所", "八里店所", "月河所", "凤凰所", "龙泉所"];
        let kw = ["电瓶车".to_string(), "被偷".to_string()];
        let mut inputs = Vec::new();
        for week in 0..10 {
            for s in stations {
                for i in 0..10 {
                    let day = week * 7 + i % 7;
                    inputs.push(input(format!("bg-{s}-{week}-{i}"), day, Some(s), &kw));
                }
            }
        }
        for i in 0..25 {
            inputs.push(input(
                format!("burst-{i}"),
                8 * 7 + i % 7,
                Some("织里所"),
                &kw,
            ));
        }
        let alerts = detect_emerging(&inputs, &EmergingConfig::default());
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        let a = &alerts[0];
        assert_eq!(a.district, "吴兴区");
        assert_eq!(a.unit.as_deref(), Some("织里所"));
        assert!(a.categories.contains(&DefaultCategory::Theft));
        let burst = a
            .appeal_ids
            .iter()
            .filter(|id| id.starts_with("burst"))
            .count();
        assert_eq!(burst, 25, "every burst appeal is behind the alert");

        // Without units, the same appeals raise nothing: the district's count is
        // ordinary.
        for i in &mut inputs {
            i.unit = None;
        }
        assert!(detect_emerging(&inputs, &EmergingConfig::default()).is_empty());
    }

    #[test]
    fn one_incident_seen_through_chained_series_is_one_alert() {
        // Forty appeals in one week about one incident, described with three words
        // whose appeals overlap in a chain (甲 with 乙, 乙 with 丙, never 甲 with 丙).
        let mut inputs = Vec::new();
        for n in 0..200 {
            let kw = [format!("词{n}甲"), format!("词{n}乙")];
            inputs.push(input(format!("bg-{n}"), n / 20 * 7 + n % 7, None, &kw));
        }
        for n in 0..40 {
            let mut kw = Vec::new();
            for (word, from) in [("甲词", 0), ("乙词", 10), ("丙词", 20)] {
                if (from..from + 20).contains(&n) {
                    kw.push(word.to_string());
                }
            }
            let mut i = input(format!("inc-{n}"), 8 * 7 + n % 7, None, &kw);
            i.category = None;
            inputs.push(i);
        }
        let alerts = detect_emerging(&inputs, &EmergingConfig::default());
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        let mut words = alerts[0].keywords.clone();
        words.sort();
        assert_eq!(words, ["丙词", "乙词", "甲词"]);
        assert_eq!(alerts[0].appeal_ids.len(), 40);
    }

    #[test]
    fn a_growing_cluster_surfaces_without_shared_keywords() {
        // Twenty ordinary appeals a week, each in words of its own; then eight more
        // in one week that the cluster index linked as one problem, also in words
        // of their own. Only the cluster series sees them.
        let mut inputs = Vec::new();
        for n in 0..200 {
            let kw = [format!("词{n}甲"), format!("词{n}乙")];
            inputs.push(input(format!("bg-{n}"), n / 20 * 7 + n % 7, None, &kw));
        }
        for n in 0..8 {
            let kw = [format!("说法{n}甲"), format!("说法{n}乙")];
            let mut i = input(format!("c-{n}"), 8 * 7 + n % 7, None, &kw);
            i.cluster = Some("cluster-9".into());
            inputs.push(i);
        }
        let alerts = detect_emerging(&inputs, &EmergingConfig::default());
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        assert_eq!(alerts[0].clusters, vec!["cluster-9".to_string()]);
        let mut ids = alerts[0].appeal_ids.clone();
        ids.sort();
        assert_eq!(ids, (0..8).map(|n| format!("c-{n}")).collect::<Vec<_>>());
        assert!(
            !alerts[0].keywords.is_empty(),
            "the alert is still named by words"
        );

        for i in &mut inputs {
            i.cluster = None;
        }
        assert!(detect_emerging(&inputs, &EmergingConfig::default()).is_empty());
    }
}
