//! Instructions per appeal, for callgrind: the bench's texts through full
//! analysis plus cluster assignment, and through raw jieba-rs, in two functions
//! that callgrind can count on their own (deterministic, unlike wall time on a
//! shared machine).
//!
//! cargo build --release -p police-square-text --example instructions
//! valgrind --tool=callgrind --toggle-collect='instructions::analysis_loop' \
//!     --toggle-collect='instructions::raw_jieba_loop' target/release/examples/instructions 2
//! callgrind_annotate --inclusive=yes callgrind.out.* | grep _loop
//!
//! Divide each loop's count by 1,000 × the number of rounds (the argument).

use police_square_text::classify::SEED_TRAIN;
use police_square_text::{parse_jsonl, ClusterConfig, ClusterIndex, ClusterItem, TextEngine};

#[inline(never)]
fn analysis_loop(engine: &TextEngine, texts: &[String]) -> usize {
    let mut index = ClusterIndex::new(ClusterConfig::default());
    for (i, t) in texts.iter().enumerate() {
        let a = engine.analyze(std::hint::black_box(t));
        index.assign(ClusterItem {
            id: i.to_string(),
            day: (i / 40) as i64,
            district: None,
            category: Some(a.category),
            signature: a.signature,
        });
    }
    index.len()
}

#[inline(never)]
fn raw_jieba_loop(jieba: &jieba_rs::Jieba, texts: &[String]) -> usize {
    texts
        .iter()
        .map(|t| jieba.cut(std::hint::black_box(t), false).len())
        .sum()
}

fn main() {
    // The same texts as the `analysis` bench: every third seed row.
    let rows = parse_jsonl(SEED_TRAIN).expect("seed set parses");
    let texts: Vec<String> = rows
        .into_iter()
        .step_by(3)
        .take(1000)
        .map(|r| r.text)
        .collect();
    let engine = TextEngine::new();
    let jieba = jieba_rs::Jieba::new();
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let mut n = 0;
    for _ in 0..rounds {
        n += analysis_loop(&engine, &texts);
        n += raw_jieba_loop(&jieba, &texts);
    }
    println!("{n}");
}
