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
}

impl<T: Copy> PhraseMatcher<T> {
    pub fn new() -> Self {
        Self {
            by_first: FxHashMap::default(),
            first_bits: vec![0; 0x10000 / 64],
        }
    }

    /// Add a phrase; longer phrases are tried first so that the longest wins.
    pub fn insert(&mut self, phrase: &str, value: T) {
        let Some(first) = phrase.chars().next() else {
            return;
        };
        if self.first_bits.is_empty() {
            self.first_bits = vec![0; 0x10000 / 64];
        }
        let cp = first as usize;
        if cp < 0x10000 {
            self.first_bits[cp / 64] |= 1 << (cp % 64);
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
            if cp < 0x10000
                && self
                    .first_bits
                    .get(cp / 64)
                    .is_none_or(|w| w & (1 << (cp % 64)) == 0)
            {
                continue;
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
    fn finds_several() {
        let mut m = PhraseMatcher::new();
        m.insert("着火", 'f');
        m.insert("快来", 'n');
        let v: Vec<char> = m.find_all("着火了快来人").iter().map(|h| h.value).collect();
        assert_eq!(v, vec!['f', 'n']);
    }
}
