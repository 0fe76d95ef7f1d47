//! Dump gold and predicted clusters of a labelled file (for error analysis),
//! assigning in time order as `evaluate` does.
//!
//! cargo run --release -p police-square-text --example clusters -- FILE

use police_square_text::classify::SEED_TRAIN;
use police_square_text::{parse_jsonl, ClusterConfig, ClusterIndex, ClusterItem, TextEngine};

fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let rows = parse_jsonl(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut e = TextEngine::new();
    let seed = parse_jsonl(SEED_TRAIN).unwrap();
    e.fit_idf(seed.iter().chain(&rows).map(|r| r.text.as_str()));
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| (rows[i].submitted_at, i));
    let mut index = ClusterIndex::new(ClusterConfig::default());
    for &i in &order {
        let r = &rows[i];
        let a = e.analyze(&r.text);
        let day = r.submitted_at.map(|t| t.timestamp() / 86400).unwrap_or(0);
        let asg = index.assign(ClusterItem {
            id: r.id.clone(),
            day,
            district: r.district.clone(),
            category: Some(a.category),
            signature: a.signature,
        });
        let near = asg
            .nearest
            .map(|(id, s)| format!("{id}:{s:.3}"))
            .unwrap_or_default();
        let text: String = r.text.chars().take(40).collect();
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            r.id,
            r.cluster.as_deref().unwrap_or("-"),
            asg.cluster,
            near,
            a.category,
            text
        );
    }
}
