//! The fast path of analysis (分析): one normalisation, one segmentation and
//! one feature-table lookup per token and per character bigram, shared by
//! every part of an `Analysis` and by the cluster signature, which the
//! clustering job computes on its own.

use std::cell::RefCell;

use crate::cluster::{
    is_place_like, place_key, place_pieces_with, signature_key, specific_idf, Signature,
    SignatureParams,
};
use crate::emergency::detect;
use crate::engine::{Analysis, TextEngine};
use crate::features::{bigram_key, cues_of_flags, word_key};
use crate::normalize::{is_cjk, is_content_token, normalize_cow};
use crate::sentiment::sentiment_of_roles;
use crate::vocab::{F_INTENSIFIER, F_NEGATOR, F_PLACE, F_STOP, F_SUFFIX, NO_ROW};

impl TextEngine {
    /// Full analysis: one normalisation, one segmentation and one table
    /// lookup per token and per character bigram, shared by all parts.
    pub fn analyze(&self, text: &str) -> Analysis {
        with_scratch(|scratch| self.analyze_with(text, scratch))
    }

    /// The near-duplicate signature of a text (what the clustering job needs),
    /// read from the same feature table as `analyze`.
    pub fn signature(&self, text: &str) -> Signature {
        with_scratch(|scratch| {
            let norm = normalize_cow(text);
            let tokens = self.segmenter.cut(&norm);
            let (sig, specific) = self.feature_passes(&norm, &tokens, scratch);
            Signature::from_weights(sig, &SignatureParams::default()).with_specific(specific)
        })
    }

    fn analyze_with(&self, text: &str, scratch: &mut Scratch) -> Analysis {
        let norm = normalize_cow(text);
        let norm: &str = &norm;
        let tokens = self.segmenter.cut(norm);
        let (sig, specific) = self.feature_passes(norm, &tokens, scratch);
        let sp = SignatureParams::default();
        let Scratch {
            roles,
            words,
            rows,
            kw,
            ..
        } = scratch;
        let pred = self.model.predict_rows(rows);

        // Keywords: TF-IDF over content words of two or more characters.
        kw.extend(
            words
                .iter()
                .filter(|w| {
                    let text = &norm[w.start..w.end];
                    text.chars().nth(1).is_some() && !text.bytes().all(|b| b.is_ascii_digit())
                })
                .map(|w| (w.key, w.start, w.end, w.idf)),
        );
        kw.sort_unstable_by_key(|k| k.0);
        // Merge repeats of a word in place (its scores add up).
        kw.dedup_by(|k, kept| {
            if k.0 == kept.0 {
                kept.3 += k.3;
                true
            } else {
                false
            }
        });
        // Highest score first, then the word: a total order (merged words
        // are distinct), so selecting before sorting gives the same list.
        let by_score = |a: &(u64, usize, usize, f32), b: &(u64, usize, usize, f32)| {
            b.3.total_cmp(&a.3)
                .then_with(|| norm[a.1..a.2].cmp(&norm[b.1..b.2]))
        };
        let k = self.keyword_count;
        if kw.len() > k {
            if k > 0 {
                kw.select_nth_unstable_by(k - 1, by_score);
            }
            kw.truncate(k);
        }
        kw.sort_unstable_by(by_score);

        Analysis {
            tokens: self.segmenter.index_text_of_tokens(&tokens),
            keywords: kw
                .iter()
                .map(|&(_, s, e, _)| norm[s..e].to_string())
                .collect(),
            category: pred.category,
            confidence: pred.confidence,
            low_confidence: pred.confidence < self.low_confidence_threshold,
            sentiment: sentiment_of_roles(roles),
            emergency: detect(norm),
            signature: Signature::from_weights(sig, &sp).with_specific(specific),
        }
    }

    /// The passes over tokens (sentiment roles, cue roles, content words and
    /// their model rows) and over character bigrams (model rows), filling
    /// `scratch`; returns the signature's raw weights and its specific keys.
    fn feature_passes(
        &self,
        norm: &str,
        tokens: &[&str],
        scratch: &mut Scratch,
    ) -> (Vec<(u32, f32)>, Vec<u32>) {
        let v = &*self.vocab;
        scratch.clear();
        let Scratch {
            roles,
            cue_flags,
            token_places,
            words,
            rows,
            places,
            ..
        } = scratch;

        // Tokens: sentiment roles, cue roles, content words.
        let base = norm.as_ptr() as usize;
        for t in tokens {
            let key = word_key(t);
            let info = v.word(key);
            let (flags, pol, cue) = info.map_or((0, 0.0, 0), |i| (i.flags, i.polarity, i.cue));
            roles.push((
                pol,
                flags & F_NEGATOR != 0,
                flags & F_INTENSIFIER != 0,
                *t == "好",
            ));
            cue_flags.push(cue);
            let suffix = flags & F_SUFFIX != 0;
            let maybe_place = flags & F_PLACE != 0 || (info.is_none() && is_place_like(t));
            token_places.push(u8::from(suffix) | u8::from(maybe_place) << 1);
            if flags & F_STOP != 0 || !is_content_token(t) {
                continue;
            }
            let (idf, place) = match info {
                Some(i) => {
                    if i.row != NO_ROW {
                        rows.push(i.row);
                    }
                    (i.idf, i.flags & F_PLACE != 0)
                }
                None => (v.unseen_idf, is_place_like(t)),
            };
            let start = t.as_ptr() as usize - base;
            words.push(Word {
                key,
                idf,
                place,
                start,
                end: start + t.len(),
            });
        }
        let [bad, good] = cues_of_flags(cue_flags);
        if bad {
            rows.extend_from_slice(&v.cue_bad_rows);
        }
        if good {
            rows.extend_from_slice(&v.cue_good_rows);
        }

        // Character bigrams: model rows and signature weights.
        let sp = SignatureParams::default();
        let cut = specific_idf(v.unseen_idf);
        let mut specific = Vec::new();
        let mut sig: Vec<(u32, f32)> = Vec::with_capacity(words.len() + norm.len() / 3);
        for w in words.iter() {
            let text = &norm[w.start..w.end];
            if text.len() <= 3 {
                // One CJK character (or shorter): too vague for a signature.
                if text.chars().nth(1).is_none() {
                    continue;
                }
            }
            let boost = if w.place {
                places.push((w.start, w.end));
                sp.place_boost
            } else {
                1.0
            };
            let key = signature_key(w.key);
            if w.idf >= cut {
                specific.push(key);
            }
            sig.push((key, sp.word_weight * boost * w.idf));
        }
        let mut prev: Option<usize> = None;
        for (i, c) in norm.char_indices() {
            if !is_cjk(c) {
                prev = None;
                continue;
            }
            if let Some(p) = prev {
                let end = i + c.len_utf8();
                let key = bigram_key(&norm[p..end]);
                let idf = match v.bigram(key) {
                    Some(info) => {
                        if info.row != NO_ROW {
                            rows.push(info.row);
                        }
                        info.idf
                    }
                    None => v.unseen_idf,
                };
                let boost = if places.iter().any(|&(s, e)| s <= p && end <= e) {
                    sp.place_boost
                } else {
                    1.0
                };
                let key = signature_key(key);
                if idf >= cut {
                    specific.push(key);
                }
                sig.push((key, sp.bigram_weight * boost * idf));
            }
            prev = Some(i);
        }
        // Specific place names (织里镇, 春晖小区): the evidence a cluster needs.
        let pieces = place_pieces_with(
            tokens,
            |i| token_places[i] & 1 != 0,
            |i| token_places[i] & 2 != 0,
        );
        for (place, _, _) in pieces {
            let idf = v.word(word_key(&place)).map_or(v.unseen_idf, |i| i.idf);
            let key = place_key(&place);
            if idf >= cut {
                specific.push(key);
            }
            sig.push((key, sp.place_weight * idf));
        }
        (sig, specific)
    }
}

/// Runs `f` with this thread's analysis buffers.
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    thread_local! {
        static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => f(&mut scratch),
        // Re-entered on this thread (cannot happen today): fresh buffers.
        Err(_) => f(&mut Scratch::default()),
    })
}

/// Per-thread buffers of `TextEngine::analyze`, reused across calls.
#[derive(Default)]
struct Scratch {
    roles: Vec<(f32, bool, bool, bool)>,
    cue_flags: Vec<u8>,
    /// Per token: bit 0 a place suffix, bit 1 possibly a place name.
    token_places: Vec<u8>,
    words: Vec<Word>,
    rows: Vec<u32>,
    places: Vec<(usize, usize)>,
    /// Keyword candidates: (key, byte start, byte end, score).
    kw: Vec<(u64, usize, usize, f32)>,
}

impl Scratch {
    fn clear(&mut self) {
        self.roles.clear();
        self.cue_flags.clear();
        self.token_places.clear();
        self.words.clear();
        self.rows.clear();
        self.places.clear();
        self.kw.clear();
    }
}

/// A content word of the text being analysed (a byte range of it).
struct Word {
    key: u64,
    idf: f32,
    place: bool,
    start: usize,
    end: usize,
}
