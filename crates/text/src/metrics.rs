//! Evaluation metrics (评测指标): per-category precision/recall/F1, macro-F1,
//! binary precision/recall, and pairwise F1 of clusterings.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::classify::DefaultCategory;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub support: usize,
}

fn prf(tp: usize, fp: usize, fn_: usize) -> Prf {
    let p = if tp + fp == 0 {
        0.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let r = if tp + fn_ == 0 {
        0.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    let f1 = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    Prf {
        precision: p,
        recall: r,
        f1,
        support: tp + fn_,
    }
}

/// Multi-class report.
#[derive(Debug, Clone, Serialize)]
pub struct ClassificationReport {
    pub macro_f1: f64,
    pub accuracy: f64,
    pub n: usize,
    pub per_category: BTreeMap<String, Prf>,
    /// gold → predicted → count, errors only.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
}

/// Report over gold/predicted pairs. Macro-F1 averages the categories that
/// occur in gold or predictions (as scikit-learn does).
pub fn classification_report(pairs: &[(DefaultCategory, DefaultCategory)]) -> ClassificationReport {
    let mut per_category = BTreeMap::new();
    let mut f1s = Vec::new();
    for c in DefaultCategory::ALL {
        let tp = pairs.iter().filter(|(g, p)| *g == c && *p == c).count();
        let fp = pairs.iter().filter(|(g, p)| *g != c && *p == c).count();
        let fn_ = pairs.iter().filter(|(g, p)| *g == c && *p != c).count();
        if tp + fp + fn_ == 0 {
            continue;
        }
        let m = prf(tp, fp, fn_);
        f1s.push(m.f1);
        per_category.insert(c.as_str().to_string(), m);
    }
    let correct = pairs.iter().filter(|(g, p)| g == p).count();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for (g, p) in pairs.iter().filter(|(g, p)| g != p) {
        *confusion
            .entry(g.as_str().to_string())
            .or_default()
            .entry(p.as_str().to_string())
            .or_insert(0) += 1;
    }
    ClassificationReport {
        confusion,
        macro_f1: if f1s.is_empty() {
            0.0
        } else {
            f1s.iter().sum::<f64>() / f1s.len() as f64
        },
        accuracy: if pairs.is_empty() {
            0.0
        } else {
            correct as f64 / pairs.len() as f64
        },
        n: pairs.len(),
        per_category,
    }
}

/// Binary precision/recall of (gold, predicted) flags.
pub fn binary_prf(pairs: &[(bool, bool)]) -> Prf {
    let tp = pairs.iter().filter(|(g, p)| *g && *p).count();
    let fp = pairs.iter().filter(|(g, p)| !*g && *p).count();
    let fn_ = pairs.iter().filter(|(g, p)| *g && !*p).count();
    prf(tp, fp, fn_)
}

/// Pairwise precision/recall/F1 of a predicted clustering against gold labels.
/// `gold[i] == None` means item i is a singleton.
pub fn pairwise_f1(gold: &[Option<String>], predicted: &[u64]) -> Prf {
    assert_eq!(gold.len(), predicted.len());
    let pairs_in = |groups: FxHashMap<String, usize>| -> usize {
        groups.values().map(|n| n * (n - 1) / 2).sum()
    };
    let mut g: FxHashMap<String, usize> = FxHashMap::default();
    let mut p: FxHashMap<String, usize> = FxHashMap::default();
    let mut both: FxHashMap<String, usize> = FxHashMap::default();
    for (i, (gl, pl)) in gold.iter().zip(predicted).enumerate() {
        // A singleton gold item gets a unique key so it pairs with nothing.
        let gk = gl.clone().unwrap_or_else(|| format!("\u{0}single-{i}"));
        *g.entry(gk.clone()).or_insert(0) += 1;
        *p.entry(pl.to_string()).or_insert(0) += 1;
        *both.entry(format!("{gk}\u{1}{pl}")).or_insert(0) += 1;
    }
    let tp = pairs_in(both);
    let gold_pairs = pairs_in(g);
    let pred_pairs = pairs_in(p);
    let mut m = prf(tp, pred_pairs - tp, gold_pairs - tp);
    m.support = gold_pairs;
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use DefaultCategory::*;

    #[test]
    fn perfect_and_imperfect_classification() {
        let perfect = classification_report(&[(Theft, Theft), (Fraud, Fraud)]);
        assert_eq!(perfect.macro_f1, 1.0);
        let r = classification_report(&[(Theft, Theft), (Theft, Fraud), (Fraud, Fraud)]);
        let t = r.per_category["theft"];
        assert_eq!(t.precision, 1.0);
        assert_eq!(t.recall, 0.5);
        assert!((r.accuracy - 2.0 / 3.0).abs() < 1e-12);
        let f = r.per_category["fraud"];
        assert_eq!(f.precision, 0.5);
        assert_eq!(f.support, 1);
    }

    #[test]
    fn binary_counts() {
        let m = binary_prf(&[(true, true), (true, false), (false, true), (false, false)]);
        assert_eq!(m.precision, 0.5);
        assert_eq!(m.recall, 0.5);
    }

    #[test]
    fn pairwise_f1_counts_pairs() {
        let gold = vec![Some("a".into()), Some("a".into()), Some("a".into()), None];
        // Predicted: {0,1}, {2,3}
        let m = pairwise_f1(&gold, &[1, 1, 2, 2]);
        // gold pairs: 3; predicted pairs: 2; correct: 1
        assert!((m.precision - 0.5).abs() < 1e-12);
        assert!((m.recall - 1.0 / 3.0).abs() < 1e-12);
        let all_single = pairwise_f1(&[None, None], &[1, 2]);
        assert_eq!(all_single.f1, 0.0);
    }
}
