//! The compiled feature table (特征表) of an engine: one hash lookup per token
//! or character bigram answers everything analysis asks about it — its model
//! row, its IDF, whether it is a stop word, its sentiment role, its cue role
//! and whether it names a place. Built when the engine's model, IDF or
//! dictionary changes; read-only afterwards.

use rustc_hash::FxHashMap;

use crate::classify::CategoryModel;
use crate::cluster::{is_place_like, PLACE_SUFFIXES};
use crate::features::{
    bigram_key, cue_flags, is_stopword, word_key, CUE_OFFICER_BAD, CUE_OFFICER_GOOD, STOPWORDS,
};
use crate::keywords::IdfModel;
use crate::sentiment::{lexicon_entries, SentimentRole};

/// No model row.
pub const NO_ROW: u32 = u32::MAX;

pub const F_STOP: u8 = 1;
pub const F_PLACE: u8 = 2;
pub const F_NEGATOR: u8 = 4;
pub const F_INTENSIFIER: u8 = 8;
/// A place-name suffix (村, 小区…) segmented on its own.
pub const F_SUFFIX: u8 = 16;

/// What analysis needs to know about one word or bigram.
#[derive(Debug, Clone, Copy)]
pub struct Info {
    pub row: u32,
    pub idf: f32,
    /// Sentiment polarity (0 = none).
    pub polarity: f32,
    pub flags: u8,
    /// `features::cue_flags` of the word.
    pub cue: u8,
}

/// What analysis needs to know about a character bigram: bigrams have no
/// sentiment, cue or stop-word role, so their entries are half as large.
#[derive(Debug, Clone, Copy)]
pub struct BigramInfo {
    pub row: u32,
    pub idf: f32,
}

/// Feature tables keyed by `word_key` and `bigram_key`. Bigrams are looked
/// up about twice as often as words and are most of the entries, so they get
/// a table of their own with small entries: the lookups wait on memory, and a
/// smaller table stays in cache beside the segmenter's dictionary.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    map: FxHashMap<u64, Info>,
    bigrams: FxHashMap<u64, BigramInfo>,
    /// IDF of a word or bigram the corpus never saw.
    pub unseen_idf: f32,
    /// Model rows of the cue features.
    pub cue_bad_rows: Vec<u32>,
    pub cue_good_rows: Vec<u32>,
}

impl Vocab {
    pub fn build(model: &CategoryModel, idf: &IdfModel) -> Self {
        let unseen_idf = idf.idf_of_df(0);
        let blank = Info {
            row: NO_ROW,
            idf: unseen_idf,
            polarity: 0.0,
            flags: 0,
            cue: 0,
        };
        let mut map: FxHashMap<u64, Info> = FxHashMap::default();
        let word = |map: &mut FxHashMap<u64, Info>, w: &str| -> u64 {
            let k = word_key(w);
            map.entry(k).or_insert_with(|| {
                let mut i = blank;
                i.row = model.row_of(k).unwrap_or(NO_ROW);
                i.idf = idf.idf(w);
                i.cue = cue_flags(w);
                if is_stopword(w) {
                    i.flags |= F_STOP;
                }
                if is_place_like(w) {
                    i.flags |= F_PLACE;
                }
                if PLACE_SUFFIXES.contains(&w) {
                    i.flags |= F_SUFFIX;
                }
                i
            });
            k
        };
        for w in model.counts().words.keys() {
            word(&mut map, w);
        }
        for w in idf.df.keys() {
            word(&mut map, w);
        }
        for w in STOPWORDS.lines().map(str::trim) {
            if !w.is_empty() && !w.starts_with('#') {
                word(&mut map, w);
            }
        }
        for (w, role) in lexicon_entries() {
            let k = word(&mut map, w);
            let i = map.get_mut(&k).expect("just inserted");
            match role {
                SentimentRole::Polarity(p) => i.polarity = p,
                SentimentRole::Negator => i.flags |= F_NEGATOR,
                SentimentRole::Intensifier => i.flags |= F_INTENSIFIER,
            }
        }
        for w in crate::features::cue_words().chain(PLACE_SUFFIXES.iter().copied()) {
            word(&mut map, w);
        }
        let mut bigrams: FxHashMap<u64, BigramInfo> = FxHashMap::default();
        for b in model.counts().bigrams.keys().chain(idf.bigram_df.keys()) {
            bigrams.entry(bigram_key(b)).or_insert_with(|| BigramInfo {
                row: model.row_of(bigram_key(b)).unwrap_or(NO_ROW),
                idf: idf.bigram_idf(b),
            });
        }
        let rows = |cues: &[&str]| -> Vec<u32> {
            cues.iter()
                .filter_map(|c| model.row_of(word_key(c)))
                .collect()
        };
        Self {
            map,
            bigrams,
            unseen_idf,
            cue_bad_rows: rows(CUE_OFFICER_BAD),
            cue_good_rows: rows(CUE_OFFICER_GOOD),
        }
    }

    /// A word's entry, by `word_key`.
    #[inline]
    pub fn word(&self, key: u64) -> Option<&Info> {
        self.map.get(&key)
    }

    /// A character bigram's entry, by `bigram_key`.
    #[inline]
    pub fn bigram(&self, key: u64) -> Option<&BigramInfo> {
        self.bigrams.get(&key)
    }
}
