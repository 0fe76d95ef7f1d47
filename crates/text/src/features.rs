//! Feature extraction (特征) shared by the classifier, keywords and clustering.
//!
//! Two kinds of features: content words from segmentation, and CJK character
//! bigrams. Bigrams matter for real residents' writing: unseen local names,
//! typos (电平车) and dialect wording still share bigrams with known text.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

use crate::normalize::{is_cjk, is_content_token};

/// The shipped stop-word list (停用词表).
pub const STOPWORDS: &str = include_str!("../dict/stopwords.txt");

fn stopwords() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        STOPWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Whether `word` is a stop word.
pub fn is_stopword(word: &str) -> bool {
    stopwords().contains(word)
}

/// Content words: tokens with letters/ideographs that are not stop words.
pub fn content_words<'a>(tokens: &[&'a str]) -> Vec<&'a str> {
    tokens
        .iter()
        .copied()
        .filter(|t| is_content_token(t) && !is_stopword(t))
        .collect()
}

/// All adjacent CJK character pairs of `text`, as slices of it.
pub fn char_bigrams(text: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let mut prev: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_cjk(c) {
            if let Some(p) = prev {
                out.push(&text[p..i + c.len_utf8()]);
            }
            prev = Some(i);
        } else {
            prev = None;
        }
    }
    out
}

/// Words and bigrams of one normalised text.
#[derive(Debug, Clone, Default)]
pub struct TextFeatures<'a> {
    pub words: Vec<&'a str>,
    pub bigrams: Vec<&'a str>,
}

impl<'a> TextFeatures<'a> {
    pub fn new(norm: &'a str, tokens: &[&'a str]) -> Self {
        Self {
            words: content_words(tokens),
            bigrams: char_bigrams(norm),
        }
    }
}

/// Stable 64-bit FNV-1a hash: signatures may be stored, so the hash must not
/// change between builds or platforms (unlike std's or Fx's hashers).
#[inline]
pub fn stable_hash(kind: u8, s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(kind);
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_stay_inside_cjk_runs() {
        let b = char_bigrams("电瓶车a被偷");
        assert_eq!(b, vec!["电瓶", "瓶车", "被偷"]);
    }

    #[test]
    fn stopwords_are_dropped() {
        let w = content_words(&["我", "的", "电瓶车", "，", "被偷"]);
        assert_eq!(w, vec!["电瓶车", "被偷"]);
    }

    #[test]
    fn stable_hash_differs_by_kind() {
        assert_ne!(stable_hash(0, "织里"), stable_hash(1, "织里"));
        assert_eq!(stable_hash(0, "织里"), stable_hash(0, "织里"));
    }
}
