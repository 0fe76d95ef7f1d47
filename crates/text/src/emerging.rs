//! Emerging issues (未诉先办): spikes by place and time.
//!
//! Daily counts are kept per series — (district, category) and
//! (district, keyword). Each day, the last 7 days of each series are tested
//! against that series' own baseline (the preceding weeks) with a one-sided
//! Poisson upper-tail test, Bonferroni-corrected over the series active that
//! day. Keyword series let patterns that fit no category still surface: a word
//! never seen before has a near-zero baseline, so a cluster of it stands out.
//! Significant days of a series are merged into episodes, and episodes of one
//! district that share most of their appeals become one alert.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::classify::Category;

/// One appeal as the detector sees it.
#[derive(Debug, Clone)]
pub struct EmergingInput {
    pub id: String,
    pub date: NaiveDate,
    pub district: String,
    pub category: Option<Category>,
    /// The appeal's keywords (e.g. its top TF-IDF keywords).
    pub keywords: Vec<String>,
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
    /// Keywords naming the issue (most significant first).
    pub keywords: Vec<String>,
    /// Categories whose series spiked, if any.
    pub categories: Vec<Category>,
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

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum SeriesKey {
    Category(Category),
    Keyword(String),
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

    // Series → items (index into inputs), per district.
    let mut series: FxHashMap<(String, SeriesKey), Vec<usize>> = FxHashMap::default();
    for (ix, it) in inputs.iter().enumerate() {
        if let Some(c) = it.category {
            series
                .entry((it.district.clone(), SeriesKey::Category(c)))
                .or_default()
                .push(ix);
        }
        let mut kws = it.keywords.clone();
        kws.sort();
        kws.dedup();
        for k in kws {
            series
                .entry((it.district.clone(), SeriesKey::Keyword(k)))
                .or_default()
                .push(ix);
        }
    }
    let mut keys: Vec<&(String, SeriesKey)> = series.keys().collect();
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
            let (district, key) = keys[s].clone();
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

    // Episodes of one district sharing most of their appeals describe one issue.
    let mut groups: Vec<Vec<Episode>> = Vec::new();
    for e in episodes {
        let home = groups.iter_mut().find(|g| {
            g[0].district == e.district && {
                let shared = e.items.iter().filter(|i| g[0].items.contains(i)).count();
                shared * 2 >= e.items.len().min(g[0].items.len())
            }
        });
        match home {
            Some(g) => g.push(e),
            None => groups.push(vec![e]),
        }
    }

    let mut alerts: Vec<EmergingAlert> = groups
        .into_iter()
        .map(|g| {
            let mut ids: Vec<usize> = g.iter().flat_map(|e| e.items.iter().copied()).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut keywords: Vec<String> = Vec::new();
            let mut categories: Vec<Category> = Vec::new();
            for e in &g {
                match &e.key {
                    SeriesKey::Keyword(k) if !keywords.contains(k) => keywords.push(k.clone()),
                    SeriesKey::Category(c) if !categories.contains(c) => categories.push(*c),
                    _ => {}
                }
            }
            if keywords.is_empty() {
                keywords = frequent_keywords(inputs, &ids, 5);
            }
            let dates = ids.iter().map(|&i| inputs[i].date);
            EmergingAlert {
                start: dates.clone().min().unwrap_or(first),
                end: dates.max().unwrap_or(first),
                district: g[0].district.clone(),
                keywords,
                categories,
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
