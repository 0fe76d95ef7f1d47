//! Cluster names before (the first appeal's four strongest keywords) and after
//! (a headline of the first two appeals) for the gold clusters of labelled files.
//!
//! cargo run --release -p police-square-text --example names -- FILE...

use std::collections::BTreeMap;

fn main() {
    let engine = police_square_text::TextEngine::new();
    for path in std::env::args().skip(1) {
        let rows =
            police_square_text::parse_jsonl(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut groups: BTreeMap<String, Vec<_>> = BTreeMap::new();
        for r in &rows {
            if let Some(c) = &r.cluster {
                groups.entry(c.clone()).or_default().push(r);
            }
        }
        for (c, mut members) in groups {
            members.sort_by_key(|r| r.submitted_at);
            let texts: Vec<&str> = members.iter().take(2).map(|r| r.text.as_str()).collect();
            let before: Vec<String> = engine
                .keywords(texts[0], 4)
                .into_iter()
                .map(|(w, _)| w)
                .collect();
            let after = engine.headline(&texts).unwrap_or_else(|| "—".into());
            println!("{c}: {} => {after}", before.join(" "));
        }
    }
}
