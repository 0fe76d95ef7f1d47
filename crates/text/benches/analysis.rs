//! Analysis throughput (appeals/s, one core) against raw jieba-rs segmentation
//! of the same texts in the same run. Texts: the crate's own seed set.
//!
//! CARGO_TARGET_DIR=/work/target-text cargo bench -p police-square-text --bench analysis

use std::sync::OnceLock;

use divan::counter::ItemsCount;
use divan::Bencher;
use jieba_rs::Jieba;
use police_square_text::classify::SEED_TRAIN;
use police_square_text::{parse_jsonl, ClusterConfig, ClusterIndex, ClusterItem, TextEngine};

const N: usize = 1000;

fn texts() -> &'static Vec<String> {
    static T: OnceLock<Vec<String>> = OnceLock::new();
    T.get_or_init(|| {
        let rows = parse_jsonl(SEED_TRAIN).expect("seed set parses");
        // Every 3rd row spreads the sample over all categories and channels.
        rows.into_iter()
            .step_by(3)
            .take(N)
            .map(|r| r.text)
            .collect()
    })
}

fn main() {
    divan::main();
}

/// Raw jieba-rs (default dictionary, HMM off): the reference speed.
#[divan::bench(sample_count = 20)]
fn raw_jieba_segmentation(bencher: Bencher) {
    let jieba = Jieba::new();
    let texts = texts();
    bencher.counter(ItemsCount::new(texts.len())).bench(|| {
        let mut n = 0usize;
        for t in texts {
            n += jieba.cut(divan::black_box(t), false).len();
        }
        n
    });
}

/// Full intake analysis: normalise, segment, index tokens, keywords, classify,
/// sentiment, emergency gate, signature and cluster assignment.
#[divan::bench(sample_count = 20)]
fn analysis_with_cluster_assignment(bencher: Bencher) {
    let engine = TextEngine::new();
    let texts = texts();
    bencher.counter(ItemsCount::new(texts.len())).bench(|| {
        let mut index = ClusterIndex::new(ClusterConfig::default());
        for (i, t) in texts.iter().enumerate() {
            let a = engine.analyze(divan::black_box(t));
            index.assign(ClusterItem {
                id: i.to_string(),
                day: (i / 40) as i64,
                district: None,
                category: Some(a.category),
                signature: a.signature,
            });
        }
        index.len()
    });
}

/// Analysis without cluster assignment (to see what the index costs).
#[divan::bench(sample_count = 20)]
fn analysis_only(bencher: Bencher) {
    let engine = TextEngine::new();
    let texts = texts();
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
    let texts = texts();
    bencher.counter(ItemsCount::new(texts.len())).bench(|| {
        texts
            .iter()
            .map(|t| engine.segment(divan::black_box(t)).len())
            .sum::<usize>()
    });
}
