//! Instructions per appeal, for callgrind: the `analysis` bench's work (full
//! analysis plus assignment into an index holding the 50 days before) and raw
//! jieba-rs on the same texts, in two functions that callgrind counts on their
//! own (deterministic, unlike wall time on a shared machine).
//!
//! cargo build --release -p police-square-text --example instructions
//! valgrind --tool=callgrind --toggle-collect='instructions::analysis_round' \
//!     --toggle-collect='instructions::raw_jieba_round' target/release/examples/instructions 2
//! callgrind_annotate --inclusive=yes callgrind.out.* | grep _round
//!
//! Divide each round's count by 1,000 × the number of rounds (the argument).

#[path = "../benches/support/mod.rs"]
mod support;

use police_square_text::{ClusterIndex, TextEngine};

#[inline(never)]
fn analysis_round(engine: &TextEngine, index: &mut ClusterIndex, texts: &[String]) {
    support::analyse_and_assign(engine, index, texts);
}

#[inline(never)]
fn raw_jieba_round(jieba: &jieba_rs::Jieba, texts: &[String]) -> usize {
    texts
        .iter()
        .map(|t| jieba.cut(std::hint::black_box(t), false).len())
        .sum()
}

fn main() {
    let (texts, earlier) = support::texts();
    let engine = TextEngine::new();
    let filled = support::filled_index(&engine, &earlier);
    let jieba = jieba_rs::Jieba::new();
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let mut n = 0;
    for _ in 0..rounds {
        let mut index = filled.clone();
        analysis_round(&engine, &mut index, &texts);
        n += index.len();
        n += raw_jieba_round(&jieba, &texts);
    }
    println!("{n}");
}
