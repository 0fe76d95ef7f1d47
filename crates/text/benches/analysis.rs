//! Analysis throughput (appeals/s, one core) against raw jieba-rs segmentation
//! of the same texts in the same run. Texts: the crate's own seed set.
//!
//! CARGO_TARGET_DIR=/work/target-text cargo bench -p police-square-text --bench analysis

mod support;

use std::sync::OnceLock;

use divan::counter::ItemsCount;
use divan::Bencher;
use jieba_rs::Jieba;
use police_square_text::{ClusterIndex, TextEngine};

/// The measured texts and the ones indexed before them.
fn texts() -> &'static (Vec<String>, Vec<String>) {
    static T: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    T.get_or_init(support::texts)
}

fn main() {
    divan::main();
}

/// Raw jieba-rs (default dictionary, HMM off): the reference speed.
#[divan::bench(sample_count = 20)]
fn raw_jieba_segmentation(bencher: Bencher) {
    let jieba = Jieba::new();
    let texts = &texts().0;
    bencher.counter(ItemsCount::new(texts.len())).bench(|| {
        let mut n = 0usize;
        for t in texts {
            n += jieba.cut(divan::black_box(t), false).len();
        }
        n
    });
}

/// Full intake analysis: normalise, segment, index tokens, keywords, classify,
/// sentiment, emergency gate, signature and cluster assignment into an index
/// that already holds the 2,000 appeals of the 50 days before (a fresh copy
/// each round, made and dropped outside the timing).
#[divan::bench(sample_count = 20)]
fn analysis_with_cluster_assignment(bencher: Bencher) {
    let engine = TextEngine::new();
    let (texts, earlier) = texts();
    let filled: ClusterIndex = support::filled_index(&engine, earlier);
    bencher
        .counter(ItemsCount::new(texts.len()))
        .with_inputs(|| filled.clone())
        .bench_local_values(|mut index| {
            support::analyse_and_assign(&engine, &mut index, texts);
            index
        });
}

/// Analysis without cluster assignment (to see what the index costs).
#[divan::bench(sample_count = 20)]
fn analysis_only(bencher: Bencher) {
    let engine = TextEngine::new();
    let texts = &texts().0;
    bencher.counter(ItemsCount::new(texts.len())).bench(|| {
        texts
            .iter()
            .map(|t| engine.analyze(divan::black_box(t)).confidence)
            .sum::<f32>()
    });
}

/// Segmentation through the engine's segmenter (police dictionary, normalisation).
#[divan::bench(sample_count = 20)]
fn engine_segmentation(bencher: Bencher) {
    let engine = TextEngine::new();
    let texts = &texts().0;
    bencher.counter(ItemsCount::new(texts.len())).bench(|| {
        texts
            .iter()
            .map(|t| engine.segment(divan::black_box(t)).len())
            .sum::<usize>()
    });
}
