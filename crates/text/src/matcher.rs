//! A small multi-phrase matcher (短语匹配) keyed by first character.
//!
//! Lexicon cues (emergency words, sentiment phrases) are short and few, so an
//! index from first character to candidate phrases scans a text in one pass with
//! one hash lookup per character — much cheaper than one `contains` per phrase.

use rustc_hash::FxHashMap;

/// One match: byte offset of the phrase in the text and the phrase's payload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhraseHit<T: Copy> {
    pub start: usize,
    pub end: usize,
    pub value: T,
}

/// Matches a fixed set of phrases, each carrying a payload `T`.
#[derive(Debug, Clone, Default)]
pub struct PhraseMatcher<T: Copy> {
    by_first: FxHashMap<char, Vec<(String, T)>>,
    /// Bit per Basic Multilingual Plane character: may start a phrase.
    /// Most characters of a text start none, and this answers without hashing.
    first_bits: Vec<u64>,
    /// Bit per BMP character: is a phrase of one character by itself.
    single_bits: Vec<u64>,
    /// Bits over hashed pairs of characters that begin a phrase of two or
    /// more: common first characters (打, 有, 人…) then rarely need the
    /// phrase list compared.
    pair_bits: Vec<u64>,
}

/// Bits of `single_bits`/`first_bits` (the BMP) and of `pair_bits`.
const BMP_BITS: usize = 0x10000;
const PAIR_BITS: usize = 1 << 16;

#[inline]
fn pair_slot(a: char, b: char) -> usize {
    let x = (u64::from(a as u32) << 21 | u64::from(b as u32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> 48) as usize % PAIR_BITS
}

#[inline]
fn bit(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

#[inline]
fn set_bit(bits: &mut [u64], i: usize) {
    if let Some(w) = bits.get_mut(i / 64) {
        *w |= 1 << (i % 64);
    }
}

impl<T: Copy> PhraseMatcher<T> {
    pub fn new() -> Self {
        Self {
            by_first: FxHashMap::default(),
            first_bits: vec![0; BMP_BITS / 64],
            single_bits: vec![0; BMP_BITS / 64],
            pair_bits: vec![0; PAIR_BITS / 64],
        }
    }

    /// Add a phrase; longer phrases are tried first so that the longest wins.
    pub fn insert(&mut self, phrase: &str, value: T) {
        let Some(first) = phrase.chars().next() else {
            return;
        };
        if self.first_bits.is_empty() {
            *self = Self {
                by_first: std::mem::take(&mut self.by_first),
                ..Self::new()
            };
        }
        set_bit(&mut self.first_bits, first as usize);
        match phrase.chars().nth(1) {
            Some(second) => set_bit(&mut self.pair_bits, pair_slot(first, second)),
            None => set_bit(&mut self.single_bits, first as usize),
        }
        let list = self.by_first.entry(first).or_default();
        list.push((phrase.to_string(), value));
        list.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    }

    /// All non-overlapping leftmost-longest matches in `text`.
    pub fn find_all(&self, text: &str) -> Vec<PhraseHit<T>> {
        let mut hits = Vec::new();
        let mut skip_until = 0;
        for (i, c) in text.char_indices() {
            if i < skip_until {
                continue;
            }
            let cp = c as usize;
            // Characters beyond the BMP are always looked up.
            if cp < BMP_BITS {
                if !bit(&self.first_bits, cp) {
                    continue;
                }
                if !bit(&self.single_bits, cp) {
                    let next = text[i + c.len_utf8()..].chars().next();
                    if next.is_none_or(|n| !bit(&self.pair_bits, pair_slot(c, n))) {
                        continue;
                    }
                }
            }
            if let Some(list) = self.by_first.get(&c) {
                let rest = &text[i..];
                if let Some((p, v)) = list.iter().find(|(p, _)| rest.starts_with(p.as_str())) {
                    hits.push(PhraseHit {
                        start: i,
                        end: i + p.len(),
                        value: *v,
                    });
                    skip_until = i + p.len();
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_match_wins_and_no_overlap() {
        let mut m = PhraseMatcher::new();
        m.insert("打架", 1);
        m.insert("打架了", 2);
        m.insert("架", 3);
        let hits = m.find_all("他们打架了吗");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].value, 2);
        assert_eq!(&"他们打架了吗"[hits[0].start..hits[0].end], "打架了");
    }

    #[test]
    fn single_characters_and_pairs_both_match() {
        let mut m = PhraseMatcher::new();
        m.insert("火", 1);
        m.insert("火灾", 2);
        m.insert("打人", 3);
        let v: Vec<i32> = m
            .find_all("火打火灾打打人打")
            .iter()
            .map(|h| h.value)
            .collect();
        assert_eq!(v, vec![1, 2, 3]);
        // A phrase's first character at the very end of the text.
        assert!(m.find_all("打").is_empty());
        assert_eq!(m.find_all("火").len(), 1);
    }

    #[test]
    fn finds_several() {
        let mut m = PhraseMatcher::new();
        m.insert("着火", 'f');
        m.insert("快来", 'n');
        let v: Vec<char> = m.find_all("着火了快来人").iter().map(|h| h.value).collect();
        assert_eq!(v, vec!['f', 'n']);
    }
}
