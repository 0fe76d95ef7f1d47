//! A small learned frame (学习所得): naive Bayes over characters and
//! character pairs, trained on the gate's tuning set and the seed set's
//! urgency labels. It hears wordings the lexicon has no part for ("摁在车盖上
//! 打", "卷到车底下") and enters the gate as one more frame, so the time
//! reading still applies to it. Trained once, on first use, in milliseconds.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::classify::SEED_TRAIN;

/// The gate's own tuning half (never the held-out half).
const TUNING: &str = include_str!("../../data/eval/emergency-tuning.jsonl");

#[derive(Deserialize)]
struct Labelled {
    text: String,
    #[serde(default)]
    urgency: Option<String>,
}

/// Log-ratio weight of each character and character pair.
pub(super) struct UrgencyModel {
    weights: FxHashMap<u64, f32>,
}

/// A character (one feature) or a pair of neighbouring characters.
#[inline]
fn key(a: char, b: Option<char>) -> u64 {
    u64::from(a) << 32 | b.map_or(0, u64::from)
}

/// The features of a normalised text, each once, spaces left out.
fn features(norm: &str, mut emit: impl FnMut(u64)) {
    let mut prev: Option<char> = None;
    for c in norm.chars().filter(|c| !c.is_whitespace()) {
        emit(key(c, None));
        if let Some(p) = prev {
            emit(key(p, Some(c)));
        }
        prev = Some(c);
    }
}

impl UrgencyModel {
    /// Train on labelled JSONL texts (lines without an urgency are skipped).
    pub(super) fn train(sources: &[&str]) -> Self {
        let mut counts: FxHashMap<u64, [u32; 2]> = FxHashMap::default();
        let mut docs = [0u32; 2];
        let mut seen: Vec<u64> = Vec::new();
        for line in sources.iter().flat_map(|s| s.lines()) {
            let Ok(row) = serde_json::from_str::<Labelled>(line) else {
                continue;
            };
            let class = match row.urgency.as_deref() {
                Some("emergency") => 1,
                Some(_) => 0,
                None => continue,
            };
            docs[class] += 1;
            seen.clear();
            features(&crate::normalize::normalize(&row.text), |k| seen.push(k));
            seen.sort_unstable();
            seen.dedup();
            for k in &seen {
                counts.entry(*k).or_default()[class] += 1;
            }
        }
        let alpha = 1.0f32;
        let weights = counts
            .into_iter()
            .map(|(k, [n, e])| {
                let pe = (e as f32 + alpha) / (docs[1] as f32 + 2.0 * alpha);
                let pn = (n as f32 + alpha) / (docs[0] as f32 + 2.0 * alpha);
                (k, (pe / pn).ln())
            })
            .collect();
        Self { weights }
    }

    /// Evidence for an emergency: the features' summed weight over the square
    /// root of their number (long texts do not win by length alone).
    pub(super) fn score(&self, norm: &str) -> f32 {
        let (mut sum, mut n) = (0f32, 0u32);
        features(norm, |k| {
            if let Some(w) = self.weights.get(&k) {
                sum += w;
                n += 1;
            }
        });
        if n == 0 {
            0.0
        } else {
            sum / (n as f32).sqrt()
        }
    }
}

/// The shipped model.
pub(super) fn model() -> &'static UrgencyModel {
    static M: OnceLock<UrgencyModel> = OnceLock::new();
    M.get_or_init(|| UrgencyModel::train(&[TUNING, SEED_TRAIN]))
}
