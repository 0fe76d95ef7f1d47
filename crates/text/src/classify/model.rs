//! The category model (类别模型): multinomial Naive Bayes over binarised word
//! and character-bigram features, with seed-lexicon pseudo-counts.
//!
//! Why Naive Bayes: it trains in one pass, learns well from a few hundred
//! examples per class, and its state is plain counts — a staff correction is
//! folded in by adding counts, and the JSON form is easy to store and audit.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::lexicon::seed_lexicon;
use super::Category;
use crate::error::TextError;
use crate::features::{char_bigrams, TextFeatures};

const N: usize = Category::ALL.len();
const FORMAT: &str = "police-square-nb-v1";

/// Serializable training state: per-feature counts per category.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelCounts {
    pub format: String,
    /// Laplace smoothing added to every count.
    pub alpha: f32,
    /// Softmax temperature per feature (√n scaling) for calibrated confidence.
    pub temperature: f32,
    /// Documents seen per category (index = `Category::index`).
    pub doc_counts: Vec<f32>,
    pub words: FxHashMap<String, Vec<f32>>,
    pub bigrams: FxHashMap<String, Vec<f32>>,
}

impl Default for ModelCounts {
    fn default() -> Self {
        Self {
            format: FORMAT.into(),
            alpha: 0.1,
            temperature: 1.0,
            doc_counts: vec![0.0; N],
            words: FxHashMap::default(),
            bigrams: FxHashMap::default(),
        }
    }
}

impl ModelCounts {
    /// Add one labelled document's features (binarised: each feature once).
    pub fn add(&mut self, feats: &TextFeatures<'_>, cat: Category, weight: f32) {
        let c = cat.index();
        self.doc_counts[c] += weight;
        let mut words = feats.words.clone();
        words.sort_unstable();
        words.dedup();
        for w in words {
            self.words
                .entry(w.to_string())
                .or_insert_with(|| vec![0.0; N])[c] += weight;
        }
        let mut bigrams = feats.bigrams.clone();
        bigrams.sort_unstable();
        bigrams.dedup();
        for b in bigrams {
            self.bigrams
                .entry(b.to_string())
                .or_insert_with(|| vec![0.0; N])[c] += weight;
        }
    }

    /// Add the seed lexicon as pseudo-counts on the cue word and its bigrams.
    pub fn add_lexicon(&mut self, weight: f32) {
        for (cat, cues) in seed_lexicon() {
            for cue in cues {
                let c = cat.index();
                self.words
                    .entry(cue.to_string())
                    .or_insert_with(|| vec![0.0; N])[c] += weight;
                for b in char_bigrams(cue) {
                    self.bigrams
                        .entry(b.to_string())
                        .or_insert_with(|| vec![0.0; N])[c] += weight;
                }
            }
        }
    }
}

/// A compiled model ready to score texts.
#[derive(Debug, Clone)]
pub struct CategoryModel {
    counts: ModelCounts,
    word_ids: FxHashMap<String, u32>,
    bigram_ids: FxHashMap<String, u32>,
    /// Row-major log P(feature | category), `N` entries per feature.
    logp: Vec<f32>,
}

/// Scores of one prediction.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub category: Category,
    /// Posterior probability of `category` after temperature scaling.
    pub confidence: f32,
    /// Probabilities of all categories, by `Category::index`.
    pub probabilities: [f32; N],
}

impl CategoryModel {
    /// Compile counts into log-probability tables.
    pub fn from_counts(counts: ModelCounts) -> Result<Self, TextError> {
        if counts.format != FORMAT {
            return Err(TextError::Model(format!(
                "unknown format {}",
                counts.format
            )));
        }
        if counts.doc_counts.len() != N
            || counts
                .words
                .values()
                .chain(counts.bigrams.values())
                .any(|v| v.len() != N)
        {
            return Err(TextError::Model(
                "count vectors must have one entry per category".into(),
            ));
        }
        let vocab = (counts.words.len() + counts.bigrams.len()) as f32;
        let mut totals = [0f32; N];
        for v in counts.words.values().chain(counts.bigrams.values()) {
            for (t, x) in totals.iter_mut().zip(v) {
                *t += x;
            }
        }
        let denom: Vec<f32> = totals
            .iter()
            .map(|t| (t + counts.alpha * vocab).max(f32::MIN_POSITIVE).ln())
            .collect();
        let mut logp = Vec::with_capacity((counts.words.len() + counts.bigrams.len()) * N);
        let mut word_ids = FxHashMap::default();
        let mut bigram_ids = FxHashMap::default();
        let mut push = |v: &Vec<f32>| {
            for (x, d) in v.iter().zip(&denom) {
                logp.push((x + counts.alpha).ln() - d);
            }
        };
        for (i, (w, v)) in counts.words.iter().enumerate() {
            word_ids.insert(w.clone(), i as u32);
            push(v);
        }
        let off = counts.words.len();
        for (i, (b, v)) in counts.bigrams.iter().enumerate() {
            bigram_ids.insert(b.clone(), (off + i) as u32);
            push(v);
        }
        Ok(Self {
            counts,
            word_ids,
            bigram_ids,
            logp,
        })
    }

    /// Train from labelled feature sets, with the seed lexicon as a prior.
    pub fn train<'a>(examples: impl IntoIterator<Item = (TextFeatures<'a>, Category)>) -> Self {
        let mut counts = ModelCounts::default();
        counts.add_lexicon(3.0);
        for (f, c) in examples {
            counts.add(&f, c, 1.0);
        }
        Self::from_counts(counts).expect("fresh counts are well-formed")
    }

    /// Fold in corrected examples (staff corrections) and recompile.
    pub fn update<'a>(
        &mut self,
        examples: impl IntoIterator<Item = (TextFeatures<'a>, Category)>,
        weight: f32,
    ) {
        let mut counts = std::mem::take(&mut self.counts);
        for (f, c) in examples {
            counts.add(&f, c, weight);
        }
        *self = Self::from_counts(counts).expect("updated counts are well-formed");
    }

    pub fn counts(&self) -> &ModelCounts {
        &self.counts
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.counts).expect("counts serialize")
    }

    pub fn from_json(json: &str) -> Result<Self, TextError> {
        let counts: ModelCounts =
            serde_json::from_str(json).map_err(|e| TextError::Model(e.to_string()))?;
        Self::from_counts(counts)
    }

    /// Score one text's features.
    pub fn predict(&self, feats: &TextFeatures<'_>) -> Prediction {
        let mut ids: Vec<u32> = Vec::with_capacity(feats.words.len() + feats.bigrams.len());
        ids.extend(feats.words.iter().filter_map(|w| self.word_ids.get(*w)));
        ids.extend(feats.bigrams.iter().filter_map(|b| self.bigram_ids.get(*b)));
        ids.sort_unstable();
        ids.dedup();
        let mut scores = [0f32; N];
        for id in &ids {
            let row = &self.logp[*id as usize * N..(*id as usize + 1) * N];
            for (s, x) in scores.iter_mut().zip(row) {
                *s += x;
            }
        }
        // Naive Bayes multiplies correlated evidence and is wildly over-confident;
        // dividing by √n tempers the posterior so that "low confidence" means something.
        let temp = self.counts.temperature * (ids.len().max(1) as f32).sqrt();
        let max = scores.iter().copied().fold(f32::MIN, f32::max);
        let mut probabilities = [0f32; N];
        let mut sum = 0.0;
        for (p, s) in probabilities.iter_mut().zip(scores) {
            *p = ((s - max) / temp).exp();
            sum += *p;
        }
        for p in probabilities.iter_mut() {
            *p /= sum;
        }
        let best = if ids.is_empty() {
            Category::Other.index()
        } else {
            (0..N)
                .max_by(|a, b| scores[*a].total_cmp(&scores[*b]))
                .unwrap_or(0)
        };
        Prediction {
            category: Category::ALL[best],
            confidence: if ids.is_empty() {
                0.0
            } else {
                probabilities[best]
            },
            probabilities,
        }
    }
}
