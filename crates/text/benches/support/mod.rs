//! The texts and the cluster index shared by the `analysis` bench and the
//! `instructions` example, so both measure the same work.

use police_square_text::classify::SEED_TRAIN;
use police_square_text::{parse_jsonl, ClusterConfig, ClusterIndex, ClusterItem, TextEngine};

/// Texts analysed per round.
pub const N: usize = 1000;

/// The measured texts: every third row of the seed set (all categories and
/// channels), and the rows between them, which fill the index beforehand.
pub fn texts() -> (Vec<String>, Vec<String>) {
    let rows = parse_jsonl(SEED_TRAIN).expect("seed set parses");
    let (mut measured, mut earlier) = (Vec::new(), Vec::new());
    for (i, r) in rows.into_iter().take(3 * N).enumerate() {
        if i % 3 == 0 {
            measured.push(r.text);
        } else {
            earlier.push(r.text);
        }
    }
    (measured, earlier)
}

/// An index already holding `earlier` over the 50 days before day 0, as the
/// intake's index holds the appeals of its comparison window.
pub fn filled_index(engine: &TextEngine, earlier: &[String]) -> ClusterIndex {
    let mut index = ClusterIndex::new(ClusterConfig::default());
    let per_day = earlier.len().div_ceil(50).max(1);
    for (i, t) in earlier.iter().enumerate() {
        let a = engine.analyze(t);
        index.assign(item(format!("e{i}"), (i / per_day) as i64 - 50, a));
    }
    index
}

/// Analyse each text and assign it to a cluster, 40 appeals a day from day 0.
pub fn analyse_and_assign(engine: &TextEngine, index: &mut ClusterIndex, texts: &[String]) {
    for (i, t) in texts.iter().enumerate() {
        let a = engine.analyze(std::hint::black_box(t));
        index.assign(item(i.to_string(), (i / 40) as i64, a));
    }
}

fn item(id: String, day: i64, a: police_square_text::Analysis) -> ClusterItem {
    ClusterItem {
        id,
        day,
        district: None,
        category: Some(a.category),
        signature: a.signature,
    }
}
