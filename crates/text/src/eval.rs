//! Evaluation on labelled appeals (评测): the library side of
//! `police-square eval --labeled FILE [--train FILE] --json`.

use chrono::{NaiveDate, TimeZone};
use rustc_hash::FxHashMap;
use serde_json::{json, Value};

use crate::classify::{DefaultCategory, SEED_TRAIN};
use crate::cluster::{ClusterConfig, ClusterIndex, ClusterItem};
use crate::dataset::{parse_jsonl, LabeledAppeal};
use crate::emerging::{detect_emerging, EmergingConfig, EmergingInput};
use crate::engine::{examples_from_jsonl, TextEngine};
use crate::error::TextError;
use crate::metrics::{binary_prf, classification_report, pairwise_f1};

/// Local date of an appeal (Huzhou time when the timestamp has no offset).
fn local_date(a: &LabeledAppeal) -> Option<NaiveDate> {
    a.submitted_at.map(|t| t.date_naive())
}

fn day_number(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid epoch")).num_days()
}

/// Evaluate on a labelled JSONL file. With `train_jsonl` the classifier is
/// trained on that file only (plus the built-in seed lexicon prior), never on
/// the evaluated file; without it, the shipped model is used. IDF for keywords
/// and cluster signatures is learned from the seed texts plus the evaluated
/// texts (unsupervised: labels are never read for it).
pub fn evaluate(labeled_jsonl: &str, train_jsonl: Option<&str>) -> Result<Value, TextError> {
    evaluate_with(labeled_jsonl, train_jsonl, &ClusterConfig::default())
}

/// `evaluate` with explicit cluster settings (for tuning them).
pub fn evaluate_with(
    labeled_jsonl: &str,
    train_jsonl: Option<&str>,
    cluster_config: &ClusterConfig,
) -> Result<Value, TextError> {
    let rows = parse_jsonl(labeled_jsonl)?;
    let mut engine = TextEngine::new();
    let model_desc = match train_jsonl {
        Some(t) => {
            let ex = examples_from_jsonl(t)?;
            engine.train(&ex);
            format!("trained on --train file ({} examples)", ex.len())
        }
        None => "shipped model (seed set)".to_string(),
    };
    let seed = parse_jsonl(SEED_TRAIN)?;
    engine.fit_idf(seed.iter().chain(&rows).map(|r| r.text.as_str()));

    let analyses: Vec<_> = rows.iter().map(|r| engine.analyze(&r.text)).collect();

    let class_pairs: Vec<(DefaultCategory, DefaultCategory)> = rows
        .iter()
        .zip(&analyses)
        .filter_map(|(r, a)| r.category().map(|g| (g, a.category)))
        .collect();
    let report = classification_report(&class_pairs);

    let urgency_prf = |flag: fn(&crate::EmergencySignal) -> bool| {
        binary_prf(
            &rows
                .iter()
                .zip(&analyses)
                .filter(|(r, _)| r.urgency.is_some())
                .map(|(r, a)| (r.is_emergency(), flag(&a.emergency)))
                .collect::<Vec<_>>(),
        )
    };
    let emergency = urgency_prf(|s| s.emergency);
    let possible = urgency_prf(|s| s.possible);

    // Clusters: appeals arrive in time order, as at intake.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (rows[i].submitted_at, i));
    let mut index = ClusterIndex::new(*cluster_config);
    let mut predicted = vec![0u64; rows.len()];
    for &i in &order {
        let a = &analyses[i];
        predicted[i] = index
            .assign(ClusterItem {
                id: rows[i].id.clone(),
                day: local_date(&rows[i]).map(day_number).unwrap_or(0),
                district: rows[i].district.clone(),
                category: Some(a.category),
                signature: a.signature.clone(),
            })
            .cluster;
    }
    let gold: Vec<Option<String>> = rows.iter().map(|r| r.cluster.clone()).collect();
    let clusters = pairwise_f1(&gold, &predicted);

    // Emerging issues over the file's own timestamps, with predicted categories and
    // clusters (an appeal alone in its cluster is in none).
    let mut members: FxHashMap<u64, usize> = FxHashMap::default();
    for c in &predicted {
        *members.entry(*c).or_default() += 1;
    }
    let inputs: Vec<EmergingInput> = rows
        .iter()
        .zip(&analyses)
        .zip(&predicted)
        .filter_map(|((r, a), cluster)| {
            Some(EmergingInput {
                id: r.id.clone(),
                date: local_date(r)?,
                district: r.district.clone().unwrap_or_else(|| "unknown".into()),
                unit: None,
                category: Some(a.category),
                keywords: a.keywords.clone(),
                cluster: (members[cluster] > 1).then(|| cluster.to_string()),
            })
        })
        .collect();
    let alerts = detect_emerging(&inputs, &EmergingConfig::default());

    Ok(json!({
        "n": rows.len(),
        "model": model_desc,
        "classification": report,
        "emergency": {
            "precision": emergency.precision,
            "recall": emergency.recall,
            "f1": emergency.f1,
            "support": emergency.support,
            "possible": {
                "precision": possible.precision,
                "recall": possible.recall,
                "f1": possible.f1,
            },
        },
        "clusters": {
            "pairwise_f1": clusters.f1,
            "pairwise_precision": clusters.precision,
            "pairwise_recall": clusters.recall,
            "gold_pairs": clusters.support,
        },
        "emerging": alerts.iter().map(|a| json!({
            "start": a.start.to_string(),
            "end": a.end.to_string(),
            "district": a.district,
            "keywords": a.keywords,
            "categories": a.categories,
            "clusters": a.clusters,
            "appeal_ids": a.appeal_ids,
            "observed": a.observed,
            "expected": a.expected,
            "p_value": a.p_value,
        })).collect::<Vec<_>>(),
    }))
}

/// Stratified k-fold cross-validation of the classifier on a labelled file.
/// Reports two set-ups: `folds_only` (trained on the other folds alone) and
/// `seed_plus_folds` (the shipped seed set plus the other folds). The test
/// fold is never trained on in either.
pub fn cross_validate(labeled_jsonl: &str, folds: usize) -> Result<Value, TextError> {
    let folds = folds.max(2);
    let rows: Vec<(String, DefaultCategory)> = examples_from_jsonl(labeled_jsonl)?;
    // Deterministic stratification: the i-th example of a category goes to fold i mod k.
    let mut seen = [0usize; 13];
    let fold_of: Vec<usize> = rows
        .iter()
        .map(|(_, c)| {
            let f = seen[c.index()] % folds;
            seen[c.index()] += 1;
            f
        })
        .collect();
    let seed = examples_from_jsonl(SEED_TRAIN)?;
    let mut engine = TextEngine::new();
    let mut pairs_only = Vec::new();
    let mut pairs_seed = Vec::new();
    for k in 0..folds {
        let train: Vec<(String, DefaultCategory)> = rows
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f != k)
            .map(|(r, _)| r.clone())
            .collect();
        let test: Vec<&(String, DefaultCategory)> = rows
            .iter()
            .zip(&fold_of)
            .filter(|(_, f)| **f == k)
            .map(|(r, _)| r)
            .collect();
        engine.train(&train);
        pairs_only.extend(test.iter().map(|(t, g)| (*g, engine.classify(t).category)));
        let mut with_seed = seed.clone();
        with_seed.extend(train);
        engine.train(&with_seed);
        pairs_seed.extend(test.iter().map(|(t, g)| (*g, engine.classify(t).category)));
    }
    let only = classification_report(&pairs_only);
    let with_seed = classification_report(&pairs_seed);
    Ok(json!({
        "folds": folds,
        "n": rows.len(),
        "folds_only": { "macro_f1": only.macro_f1, "accuracy": only.accuracy, "per_category": only.per_category },
        "seed_plus_folds": { "macro_f1": with_seed.macro_f1, "accuracy": with_seed.accuracy, "per_category": with_seed.per_category },
    }))
}

/// Convenience for tests and tools: a local date at noon as RFC 3339.
pub fn local_noon_rfc3339(d: NaiveDate) -> String {
    police_square_domain::calendar::china_tz()
        .from_local_datetime(&d.and_hms_opt(12, 0, 0).expect("valid time"))
        .single()
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        let rows = [
            (
                "a1",
                "我的电瓶车在小区楼下被偷了",
                "theft",
                "normal",
                "2026-03-01T10:00:00+08:00",
                Some("c1"),
            ),
            (
                "a2",
                "小区楼下电瓶车又被偷了一辆",
                "theft",
                "normal",
                "2026-03-02T10:00:00+08:00",
                Some("c1"),
            ),
            (
                "a3",
                "有人冒充客服让我共享屏幕，钱被转走了",
                "fraud",
                "normal",
                "2026-03-03T10:00:00+08:00",
                None,
            ),
            (
                "a4",
                "现在有人在撬对面邻居家的门，快来",
                "theft",
                "emergency",
                "2026-03-04T10:00:00+08:00",
                None,
            ),
        ];
        rows.iter()
            .map(|(id, t, c, u, at, cl)| {
                json!({"id": id, "text": t, "category": c, "urgency": u, "district": "吴兴区",
                       "submitted_at": at, "cluster": cl})
                .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn evaluate_reports_every_section() {
        let v = evaluate(&sample(), None).unwrap();
        assert_eq!(v["n"], 4);
        for key in ["macro_f1", "accuracy", "per_category"] {
            assert!(v["classification"].get(key).is_some(), "{key}");
        }
        assert!(v["emergency"]["recall"].as_f64().is_some());
        assert!(v["emergency"]["possible"]["recall"].as_f64().is_some());
        assert!(v["clusters"]["pairwise_f1"].as_f64().is_some());
        assert!(v["emerging"].is_array());
        let acc = v["classification"]["accuracy"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&acc));
    }

    #[test]
    fn evaluate_with_train_file_uses_it() {
        // A deliberately wrong training file must hurt accuracy: proves it is used.
        let wrong: String = (0..20)
            .map(|i| json!({"text": format!("电瓶车被偷 小区 冒充客服 撬门 {i}"), "category": "household"}).to_string())
            .collect::<Vec<_>>()
            .join("\n");
        let shipped = evaluate(&sample(), None).unwrap();
        let trained = evaluate(&sample(), Some(&wrong)).unwrap();
        assert!(
            trained["classification"]["accuracy"].as_f64().unwrap()
                < shipped["classification"]["accuracy"].as_f64().unwrap()
        );
    }

    #[test]
    fn cross_validation_reports_both_setups() {
        let v = cross_validate(&sample(), 2).unwrap();
        assert_eq!(v["folds"], 2);
        assert!(v["folds_only"]["macro_f1"].as_f64().is_some());
        assert!(v["seed_plus_folds"]["macro_f1"].as_f64().is_some());
    }

    #[test]
    fn rfc3339_helper() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(local_noon_rfc3339(d), "2026-03-01T12:00:00+08:00");
    }
}
