//! The urgency gate on its held-out evaluation set (`data/eval/emergency-heldout.jsonl`:
//! emergencies and near-misses written apart from the tuning half, in every
//! register). The gate was never tuned on these lines.

use police_square_text::emergency_eval::{measure_urgency, parse_urgency_cases};

const HELDOUT: &str = include_str!("../../data/eval/emergency-heldout.jsonl");
const TUNING: &str = include_str!("../../data/eval/emergency-tuning.jsonl");

#[test]
fn held_out_emergencies_meet_the_targets() {
    let cases = parse_urgency_cases(HELDOUT).unwrap();
    assert!(cases.len() >= 400, "held-out set has {} cases", cases.len());
    let r = measure_urgency(cases);
    assert!(r.emergency.emergencies >= 180, "{:?}", r.emergency);
    // The target: recall 0.95 with precision 0.75. Measured when the
    // gate was last changed: precision 0.960, recall 0.950 (192 of 202).
    assert!(
        r.emergency.recall >= 0.95 && r.emergency.precision >= 0.75,
        "emergency on held-out: {:?}",
        r.emergency
    );
    // 可能紧急 is the safety net: it must catch nearly every emergency
    // (measured: recall 0.980, precision 0.880).
    assert!(
        r.possible.recall >= 0.98 && r.possible.precision >= 0.5,
        "possible on held-out: {:?}",
        r.possible
    );
}

#[test]
fn evaluation_files_are_well_formed_and_disjoint() {
    let held = parse_urgency_cases(HELDOUT).unwrap();
    let tune = parse_urgency_cases(TUNING).unwrap();
    for c in held.iter().chain(&tune) {
        assert!(!c.id.is_empty() && !c.text.trim().is_empty());
        assert!(
            matches!(c.urgency.as_deref(), Some("emergency" | "normal")),
            "{}",
            c.id
        );
        assert!(c.scenario.is_some() && c.channel.is_some(), "{}", c.id);
    }
    let tuned: std::collections::HashSet<&str> = tune.iter().map(|c| c.text.as_str()).collect();
    assert!(held.iter().all(|c| !tuned.contains(c.text.as_str())));
}
