//! Category and cluster figures on the project's own evaluation set
//! (`data/eval/`, written for the project, split before tuning). The held-out
//! half was not tuned on; its figures are asserted at the measured level, so a
//! change that makes analysis worse on unseen wording fails here.

use police_square_text::evaluate;

const TUNE: &str = include_str!("../../data/eval/appeals-tune.jsonl");
const HELDOUT: &str = include_str!("../../data/eval/appeals-heldout.jsonl");

fn figures(jsonl: &str) -> (f64, f64, f64, f64) {
    let v = evaluate(jsonl, None).expect("the evaluation set parses");
    let c = &v["clusters"];
    (
        v["classification"]["macro_f1"].as_f64().unwrap(),
        c["pairwise_precision"].as_f64().unwrap(),
        c["pairwise_recall"].as_f64().unwrap(),
        c["pairwise_f1"].as_f64().unwrap(),
    )
}

#[test]
fn held_out_categories_and_clusters() {
    let (macro_f1, precision, recall, f1) = figures(HELDOUT);
    println!(
        "held-out: macro-F1 {macro_f1:.3}, clusters P {precision:.2} R {recall:.2} F1 {f1:.2}"
    );
    // Measured 0.885 (0.862 before this work).
    assert!(macro_f1 >= 0.88, "category macro-F1 {macro_f1:.3}");
    // Measured P 0.71 R 0.46 F1 0.56 (before: P 0.54 R 0.94 F1 0.68 — recall
    // bought with wrong merges). A wrong merge misleads more than a missed one;
    // the target F1 0.6 is not reached: members put in different categories
    // by the classifier no longer join.
    assert!(precision >= 0.7, "cluster precision {precision:.2}");
    assert!(f1 >= 0.55, "cluster F1 {f1:.2}");
}

#[test]
fn tuning_half_categories_and_clusters() {
    let (macro_f1, precision, recall, f1) = figures(TUNE);
    println!("tuning: macro-F1 {macro_f1:.3}, clusters P {precision:.2} R {recall:.2} F1 {f1:.2}");
    assert!(macro_f1 >= 0.89, "category macro-F1 {macro_f1:.3}");
    assert!(
        precision >= 0.9 && f1 >= 0.9,
        "clusters P {precision:.2} F1 {f1:.2}"
    );
}

#[test]
fn every_category_and_register_is_covered() {
    let rows: Vec<_> = police_square_text::parse_jsonl(TUNE)
        .unwrap()
        .into_iter()
        .chain(police_square_text::parse_jsonl(HELDOUT).unwrap())
        .collect();
    assert!(rows.len() >= 380, "{}", rows.len());
    for c in police_square_text::DefaultCategory::ALL {
        let n = rows.iter().filter(|r| r.category() == Some(c)).count();
        assert!(n >= 12, "{c}: {n}");
    }
    for ch in [
        "hotline", "sms", "wechat", "weibo", "mailbox", "liaison", "talk", "web",
    ] {
        assert!(
            rows.iter().any(|r| r.channel.as_deref() == Some(ch)),
            "{ch}"
        );
    }
    let clusters: std::collections::BTreeSet<_> =
        rows.iter().filter_map(|r| r.cluster.clone()).collect();
    assert!(clusters.len() >= 16, "{}", clusters.len());
}
