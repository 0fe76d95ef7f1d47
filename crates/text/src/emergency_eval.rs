//! Evaluation of the urgency gate (紧急研判评测) on a labelled JSONL file:
//! precision and recall of `emergency` and of `possible` (可能紧急), overall
//! and per channel, register and scenario, with the ids of the misses and
//! false alarms and the cues that fired. The library side of
//! `police-square eval --labeled FILE --emergency`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::dataset::{parse_jsonl, LabeledAppeal};
use crate::emergency::{detect, EmergencySignal};
use crate::error::TextError;
use crate::metrics::binary_prf;
use crate::normalize::normalize;

/// Parse the lines that carry an `urgency` label (others are skipped).
pub fn parse_urgency_cases(jsonl: &str) -> Result<Vec<LabeledAppeal>, TextError> {
    let mut cases = parse_jsonl(jsonl)?;
    cases.retain(|c| c.urgency.is_some());
    Ok(cases)
}

/// Precision, recall and counts of one flag against the labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlagFigures {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub flagged: usize,
    pub emergencies: usize,
    pub n: usize,
}

fn figures(pairs: &[(bool, bool)]) -> FlagFigures {
    let prf = binary_prf(pairs);
    FlagFigures {
        precision: prf.precision,
        recall: prf.recall,
        f1: prf.f1,
        flagged: pairs.iter().filter(|(_, p)| *p).count(),
        emergencies: pairs.iter().filter(|(g, _)| *g).count(),
        n: pairs.len(),
    }
}

fn figures_json(f: &FlagFigures) -> Value {
    json!({
        "precision": f.precision, "recall": f.recall, "f1": f.f1,
        "flagged": f.flagged, "emergencies": f.emergencies, "n": f.n,
    })
}

/// The gate's figures on labelled cases.
#[derive(Debug, Clone)]
pub struct UrgencyReport {
    pub emergency: FlagFigures,
    pub possible: FlagFigures,
    /// Per case: (case, signal).
    pub signals: Vec<(LabeledAppeal, EmergencySignal)>,
}

/// Run the gate on every case.
pub fn measure_urgency(cases: Vec<LabeledAppeal>) -> UrgencyReport {
    let signals: Vec<(LabeledAppeal, EmergencySignal)> = cases
        .into_iter()
        .map(|c| {
            let s = detect(&normalize(&c.text));
            (c, s)
        })
        .collect();
    let pairs = |pick: fn(&EmergencySignal) -> bool| -> Vec<(bool, bool)> {
        signals
            .iter()
            .map(|(c, s)| (c.is_emergency(), pick(s)))
            .collect()
    };
    UrgencyReport {
        emergency: figures(&pairs(|s| s.emergency)),
        possible: figures(&pairs(|s| s.possible)),
        signals,
    }
}

/// Figures per value of a tag (channel, register, scenario).
fn by_tag(
    signals: &[(LabeledAppeal, EmergencySignal)],
    tag: fn(&LabeledAppeal) -> Option<&str>,
) -> Value {
    // Per tag value: (gold, emergency) and (gold, possible) pairs.
    type Pairs = Vec<(bool, bool)>;
    let mut groups: BTreeMap<&str, (Pairs, Pairs)> = BTreeMap::new();
    for (c, s) in signals {
        let Some(t) = tag(c) else { continue };
        let g = groups.entry(t).or_default();
        g.0.push((c.is_emergency(), s.emergency));
        g.1.push((c.is_emergency(), s.possible));
    }
    groups
        .into_iter()
        .map(|(t, (e, p))| {
            (
                t.to_string(),
                json!({"emergency": figures_json(&figures(&e)), "possible": figures_json(&figures(&p))}),
            )
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Evaluate the gate on a labelled JSONL file: overall, per channel, register
/// and scenario, and the ids of misses and false alarms with their cues.
pub fn evaluate_emergency(labeled_jsonl: &str) -> Result<Value, TextError> {
    let report = measure_urgency(parse_urgency_cases(labeled_jsonl)?);
    let list = |want_emergency: bool, flag: fn(&EmergencySignal) -> bool| -> Vec<Value> {
        report
            .signals
            .iter()
            .filter(|(c, s)| c.is_emergency() == want_emergency && flag(s) != want_emergency)
            .map(|(c, s)| json!({"id": c.id, "scenario": c.scenario, "score": s.score, "cues": s.cues}))
            .collect()
    };
    Ok(json!({
        "n": report.signals.len(),
        "emergency": figures_json(&report.emergency),
        "possible": figures_json(&report.possible),
        "by_channel": by_tag(&report.signals, |c| c.channel.as_deref()),
        "by_register": by_tag(&report.signals, |c| c.register.as_deref()),
        "by_scenario": by_tag(&report.signals, |c| c.scenario.as_deref()),
        "missed_emergencies": list(true, |s| s.emergency),
        "missed_possible": list(true, |s| s.possible),
        "false_alarms": list(false, |s| s.emergency),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"id":"a","text":"对面楼着火了，浓烟很大，快来人","channel":"hotline","register":"hotline","scenario":"fire","urgency":"emergency"}
{"id":"b","text":"请问身份证在哪里补办","channel":"web","scenario":"consult","urgency":"normal"}
{"id":"c","text":"没有标签的行"}
{"id":"d","text":"我昨天丢了一把钥匙","channel":"sms","scenario":"lost_item","urgency":"normal"}"#;

    #[test]
    fn only_labelled_lines_are_measured() {
        let cases = parse_urgency_cases(SAMPLE).unwrap();
        assert_eq!(cases.len(), 3);
        let r = measure_urgency(cases);
        assert_eq!(r.emergency.emergencies, 1);
        assert_eq!(r.emergency.recall, 1.0);
        assert_eq!(r.emergency.precision, 1.0);
        assert!(r.possible.recall >= r.emergency.recall);
    }

    #[test]
    fn report_breaks_down_by_tag_and_lists_errors() {
        let v = evaluate_emergency(SAMPLE).unwrap();
        assert_eq!(v["n"], 3);
        assert_eq!(v["emergency"]["emergencies"], 1);
        assert!(v["by_channel"]["hotline"]["emergency"]["recall"]
            .as_f64()
            .is_some());
        assert!(v["by_scenario"]["fire"]["possible"]["recall"]
            .as_f64()
            .is_some());
        assert!(v["by_register"].get("hotline").is_some());
        assert!(v["missed_emergencies"].as_array().unwrap().is_empty());
        assert!(v["false_alarms"].as_array().unwrap().is_empty());
    }

    #[test]
    fn a_bad_line_is_reported_with_its_number() {
        let err =
            parse_urgency_cases("{\"text\":\"a\",\"urgency\":\"normal\"}\nnot json").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
