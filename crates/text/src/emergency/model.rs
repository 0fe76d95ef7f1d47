//! A small learned frame (学习所得): naive Bayes over characters and
//! character pairs, trained on the gate's tuning set and the seed set's
//! urgency labels. It hears wordings the lexicon has no part for ("摁在车盖上
//! 打", "卷到车底下") and enters the gate as one more frame, so the time
//! reading still applies to it. Trained once, on first use, in milliseconds.

use std::sync::OnceLock;

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

/// Slots of the weight table: features are hashed into it (the hashing
/// trick), one multiply and one load per feature instead of a hash-map lookup.
const SLOT_BITS: u32 = 18;

#[inline]
fn slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SLOT_BITS)) as usize
}

/// Log-ratio weight of each (hashed) character and character pair; NaN
/// where no training text had the feature.
pub(super) struct UrgencyModel {
    weights: Box<[f32]>,
}

/// A character (one feature) or a pair of neighbouring characters.
#[inline]
fn key(a: char, b: Option<char>) -> u64 {
    u64::from(a) << 32 | b.map_or(0, u64::from)
}

/// The features of a normalised text, spaces left out.
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
        let slots = 1usize << SLOT_BITS;
        let mut counts = vec![[0u32; 2]; slots];
        let mut docs = [0u32; 2];
        let mut seen: Vec<usize> = Vec::new();
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
            features(&crate::normalize::normalize(&row.text), |k| {
                seen.push(slot(k))
            });
            seen.sort_unstable();
            seen.dedup();
            for s in &seen {
                counts[*s][class] += 1;
            }
        }
        let alpha = 1.0f32;
        let weights = counts
            .iter()
            .map(|&[n, e]| {
                if n + e == 0 {
                    return f32::NAN;
                }
                let pe = (e as f32 + alpha) / (docs[1] as f32 + 2.0 * alpha);
                let pn = (n as f32 + alpha) / (docs[0] as f32 + 2.0 * alpha);
                (pe / pn).ln()
            })
            .collect();
        Self { weights }
    }

    /// Evidence for an emergency: the known features' summed weight over the
    /// square root of their number (long texts do not win by length alone).
    pub(super) fn score(&self, norm: &str) -> f32 {
        let (mut sum, mut n) = (0f32, 0u32);
        features(norm, |k| {
            let w = self.weights[slot(k)];
            if !w.is_nan() {
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
