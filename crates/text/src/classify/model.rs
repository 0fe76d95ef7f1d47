//! The category model (类别模型): multinomial Naive Bayes over binarised word
//! and character-bigram features, with seed-lexicon pseudo-counts.
//!
//! Why Naive Bayes: it trains in one pass, learns well from a few hundred
//! examples per class, and its state is plain counts — a staff correction is
//! folded in by adding counts, and the JSON form is easy to store and audit.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::lexicon::seed_lexicon;
use super::DefaultCategory;
use crate::error::TextError;
use crate::features::{bigram_key, char_bigrams, word_key, TextFeatures};

const N: usize = DefaultCategory::ALL.len();
const _: () = assert!(N <= 16);
const FORMAT: &str = "police-square-nb-v1";

/// Serializable training state: per-feature counts per category.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ModelCounts {
    pub format: String,
    /// Laplace smoothing added to every count.
    pub alpha: f32,
    /// Softmax temperature per feature (√n scaling) for calibrated confidence.
    pub temperature: f32,
    /// Documents seen per category (index = `DefaultCategory::index`).
    pub doc_counts: Vec<f32>,
    pub words: FxHashMap<String, Vec<f32>>,
    pub bigrams: FxHashMap<String, Vec<f32>>,
    /// Complement Naive Bayes (weights from the counts of all *other*
    /// categories): steadier than plain NB when categories differ in size
    /// and wording length. Older stored models lack the field: plain NB.
    #[serde(default)]
    pub complement: bool,
    /// One normaliser for all categories (their mean feature total) instead
    /// of each category's own: otherwise categories of short texts (questions,
    /// suggestions) win every text full of features they never saw.
    #[serde(default)]
    pub equal_norm: bool,
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
            complement: false,
            equal_norm: false,
        }
    }
}

impl ModelCounts {
    /// Add one labelled document's features (binarised: each feature once).
    pub fn add(&mut self, feats: &TextFeatures<'_>, cat: DefaultCategory, weight: f32) {
        let c = cat.index();
        self.doc_counts[c] += weight;
        let mut words = feats.words.clone();
        words.extend_from_slice(&feats.cues);
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

/// Training options (the defaults are what the shipped model uses).
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub alpha: f32,
    pub complement: bool,
    pub equal_norm: bool,
    /// Pseudo-count of each seed-lexicon cue.
    pub lexicon_weight: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self {
            alpha: 0.1,
            complement: false,
            equal_norm: false,
            // A cue word counts like forty seed texts: the seed texts are
            // synthetic and repeat their frames, and residents' own wording
            // (measured on appeals the model never saw) is better served by
            // the everyday words of the lexicon than by those frames.
            lexicon_weight: 40.0,
        }
    }
}

/// A compiled model ready to score texts.
#[derive(Debug, Clone)]
pub struct CategoryModel {
    counts: ModelCounts,
    /// Feature key (`features::word_key` / `features::bigram_key`) to row.
    ids: FxHashMap<u64, u32>,
    /// One row of per-category weights per feature (padded to a cache line).
    rows: Vec<PaddedRow>,
}

/// Lanes of a padded row: `N` categories rounded up to a multiple of four.
const LANES: usize = 16;

/// A row padded with zeros to one aligned cache line, so that scoring
/// touches one line per feature and adds whole vectors.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct PaddedRow([f32; LANES]);

/// Per-category weights of one feature.
pub type Row = [f32; N];

/// The sum of the distinct rows among `rows`, lane by lane; `rows` keeps only
/// the first of each repeat and `seen` has their bits set. The sum lives in
/// registers (a local array of fixed length), so the compiler adds whole
/// vectors; each lane is still summed in the same order as a scalar loop.
fn sum_distinct_rows(table: &[PaddedRow], rows: &mut Vec<u32>, seen: &mut [u64]) -> [f32; LANES] {
    let mut lanes = [0f32; LANES];
    let mut kept = 0;
    for i in 0..rows.len() {
        let id = rows[i];
        let (w, b) = (id as usize / 64, 1u64 << (id % 64));
        if seen[w] & b != 0 {
            continue;
        }
        seen[w] |= b;
        let row = &table[id as usize].0;
        for l in 0..LANES {
            lanes[l] += row[l];
        }
        rows[kept] = id;
        kept += 1;
    }
    rows.truncate(kept);
    lanes
}

/// Scores of one prediction.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub category: DefaultCategory,
    /// Posterior probability of `category` after temperature scaling.
    pub confidence: f32,
    /// Probabilities of all categories, by `DefaultCategory::index`.
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
        let all: f32 = totals.iter().sum();
        let alpha = counts.alpha;
        let mut denom = [0f32; N];
        for (c, d) in denom.iter_mut().enumerate() {
            let t = if counts.complement {
                all - totals[c]
            } else if counts.equal_norm {
                all / N as f32
            } else {
                totals[c]
            };
            *d = (t + alpha * vocab).max(f32::MIN_POSITIVE).ln();
        }
        let complement = counts.complement;
        let row_of = |v: &Vec<f32>| -> PaddedRow {
            let mut r = [0f32; LANES];
            if complement {
                // Complement NB: a feature counts *against* the categories
                // whose complement uses it a lot.
                let sum: f32 = v.iter().sum();
                for c in 0..N {
                    r[c] = -((sum - v[c] + alpha).ln() - denom[c]);
                }
            } else {
                for c in 0..N {
                    r[c] = (v[c] + alpha).ln() - denom[c];
                }
            }
            PaddedRow(r)
        };
        let mut ids = FxHashMap::default();
        let mut rows = Vec::with_capacity(counts.words.len() + counts.bigrams.len());
        for (w, v) in &counts.words {
            ids.insert(word_key(w), rows.len() as u32);
            rows.push(row_of(v));
        }
        for (b, v) in &counts.bigrams {
            ids.insert(bigram_key(b), rows.len() as u32);
            rows.push(row_of(v));
        }
        Ok(Self { counts, ids, rows })
    }

    /// Train from labelled feature sets, with the seed lexicon as a prior.
    pub fn train<'a>(
        examples: impl IntoIterator<Item = (TextFeatures<'a>, DefaultCategory)>,
    ) -> Self {
        Self::train_with(examples, &TrainOptions::default())
    }

    /// Train with explicit options.
    pub fn train_with<'a>(
        examples: impl IntoIterator<Item = (TextFeatures<'a>, DefaultCategory)>,
        opts: &TrainOptions,
    ) -> Self {
        let mut counts = ModelCounts {
            alpha: opts.alpha,
            complement: opts.complement,
            equal_norm: opts.equal_norm,
            ..ModelCounts::default()
        };
        counts.add_lexicon(opts.lexicon_weight);
        for (f, c) in examples {
            counts.add(&f, c, 1.0);
        }
        Self::from_counts(counts).expect("fresh counts are well-formed")
    }

    /// Fold in corrected examples (staff corrections) and recompile.
    pub fn update<'a>(
        &mut self,
        examples: impl IntoIterator<Item = (TextFeatures<'a>, DefaultCategory)>,
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

    /// Row of a feature key, if the model knows the feature.
    #[inline]
    pub fn row_of(&self, key: u64) -> Option<u32> {
        self.ids.get(&key).copied()
    }

    /// Score one text's features.
    pub fn predict(&self, feats: &TextFeatures<'_>) -> Prediction {
        let mut rows: Vec<u32> = Vec::with_capacity(feats.words.len() + feats.bigrams.len());
        rows.extend(
            feats
                .words
                .iter()
                .chain(&feats.cues)
                .filter_map(|w| self.row_of(word_key(w))),
        );
        rows.extend(
            feats
                .bigrams
                .iter()
                .filter_map(|b| self.row_of(bigram_key(b))),
        );
        self.predict_rows(&mut rows)
    }

    /// Score a text given the rows of its features (repeats allowed: features
    /// are binarised here, as in training; `rows` is deduplicated in place).
    pub fn predict_rows(&self, rows: &mut Vec<u32>) -> Prediction {
        // Binarise without sorting: a per-thread bit set of rows seen,
        // cleared again afterwards.
        thread_local! {
            static SEEN: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let lanes = SEEN.with(|seen| {
            let mut seen = seen.borrow_mut();
            let words = self.rows.len().div_ceil(64);
            if seen.len() < words {
                seen.resize(words, 0);
            }
            let lanes = sum_distinct_rows(&self.rows, rows, &mut seen);
            for &id in rows.iter() {
                seen[id as usize / 64] = 0;
            }
            lanes
        });
        let mut scores = [0f32; N];
        scores.copy_from_slice(&lanes[..N]);
        // Naive Bayes multiplies correlated evidence and is wildly over-confident;
        // dividing by √n tempers the posterior so that "low confidence" means something.
        let temp = self.counts.temperature * (rows.len().max(1) as f32).sqrt();
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
        let best = if rows.is_empty() {
            DefaultCategory::Other.index()
        } else {
            (0..N)
                .max_by(|a, b| scores[*a].total_cmp(&scores[*b]))
                .unwrap_or(0)
        };
        Prediction {
            category: DefaultCategory::ALL[best],
            confidence: if rows.is_empty() {
                0.0
            } else {
                probabilities[best]
            },
            probabilities,
        }
    }
}
