//! A small multi-phrase matcher (短语匹配) keyed by first character.
//!
//! Lexicon cues (emergency words, sentiment phrases) are short and few, so an
//! index from first character to candidate phrases scans a text in one pass with
//! one hash lookup per character — much cheaper than one `contains` per phrase.

use rustc_hash::FxHashMap;

use crate::bits::Bits16;

/// One match: byte offset of the phrase in the text and the phrase's payload.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhraseHit<T: Copy> {
    pub start: usize,
    pub end: usize,
    pub value: T,
}

/// Matches a fixed set of phrases, each carrying a payload `T`.
#[derive(Debug, Clone)]
pub struct PhraseMatcher<T: Copy> {
    /// Phrases of two or more characters by their first two, longest first:
    /// a position is compared with the few phrases that share both.
    by_pair: FxHashMap<(char, char), Vec<(String, T)>>,
    /// Phrases of one character.
    singles: FxHashMap<char, T>,
    /// Characters that may start a phrase. Most characters of a text start
    /// none, and this answers without hashing.
    first: Bits16,
    /// Characters that are a phrase of one character by themselves.
    single: Bits16,
    /// Hashed pairs of characters that begin a phrase of two or more: common
    /// first characters (打, 有, 人…) then rarely need a hash lookup.
    pairs: Bits16,
}

impl<T: Copy> Default for PhraseMatcher<T> {
    fn default() -> Self {
        Self {
            by_pair: FxHashMap::default(),
            singles: FxHashMap::default(),
            first: Bits16::default(),
            single: Bits16::default(),
            pairs: Bits16::default(),
        }
    }
}

/// A pair of characters folded to 16 bits for `PhraseMatcher::pairs`.
#[inline]
fn pair_slot(a: char, b: char) -> u16 {
    let x = (u64::from(a) << 21 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> 48) as u16
}

impl<T: Copy> PhraseMatcher<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a phrase; longer phrases are tried first so that the longest wins,
    /// and of two equal phrases the first added.
    pub fn insert(&mut self, phrase: &str, value: T) {
        let mut chars = phrase.chars();
        let Some(first) = chars.next() else {
            return;
        };
        let second = chars.next();
        // Characters beyond the BMP are not in the bit sets: `find` always
        // looks them up.
        if let Ok(v) = u16::try_from(u32::from(first)) {
            self.first.insert(v);
            match second {
                Some(second) => self.pairs.insert(pair_slot(first, second)),
                None => self.single.insert(v),
            }
        }
        match second {
            None => {
                self.singles.entry(first).or_insert(value);
            }
            Some(second) => {
                let list = self.by_pair.entry((first, second)).or_default();
                list.push((phrase.to_string(), value));
                list.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
            }
        }
    }

    /// All non-overlapping leftmost-longest matches in `text`.
    pub fn find_all(&self, text: &str) -> Vec<PhraseHit<T>> {
        self.find(text, true)
    }

    /// The longest match at each position that is not inside an earlier
    /// match: overlapping matches are all kept ("一直在" and "在我后面" in
    /// "一直在我后面"), a phrase within a longer one is not ("没回来" in
    /// "还没回来").
    pub fn find_maximal(&self, text: &str) -> Vec<PhraseHit<T>> {
        self.find(text, false)
    }

    /// The longest phrase at byte `i` (whose character is `c`), if any.
    #[inline]
    fn longest_at(&self, text: &str, i: usize, c: char) -> Option<(usize, T)> {
        // Characters beyond the BMP are always looked up.
        let bmp = u16::try_from(u32::from(c)).ok();
        if let Some(cp) = bmp {
            if !self.first.contains(cp) {
                return None;
            }
        }
        if let Some(n) = text[i + c.len_utf8()..].chars().next() {
            if bmp.is_none() || self.pairs.contains(pair_slot(c, n)) {
                if let Some(list) = self.by_pair.get(&(c, n)) {
                    let rest = &text[i..];
                    if let Some((p, v)) = list.iter().find(|(p, _)| rest.starts_with(p.as_str())) {
                        return Some((p.len(), *v));
                    }
                }
            }
        }
        if bmp.is_none_or(|cp| self.single.contains(cp)) {
            return self.singles.get(&c).map(|v| (c.len_utf8(), *v));
        }
        None
    }

    fn find(&self, text: &str, skip_overlaps: bool) -> Vec<PhraseHit<T>> {
        let mut hits = Vec::new();
        // End of the furthest match so far: with `skip_overlaps` no match
        // starts before it, without it no match ends within it.
        let mut covered = 0;
        for (i, c) in text.char_indices() {
            if skip_overlaps && i < covered {
                continue;
            }
            if let Some((len, value)) = self.longest_at(text, i, c) {
                let end = i + len;
                if end > covered {
                    hits.push(PhraseHit {
                        start: i,
                        end,
                        value,
                    });
                    covered = end;
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
    fn maximal_matches_keep_overlaps_but_not_phrases_inside_others() {
        let mut m = PhraseMatcher::new();
        m.insert("一直在", 1);
        m.insert("在我后面", 2);
        m.insert("还没回来", 3);
        m.insert("没回来", 4);
        let v = |t: &str| {
            m.find_maximal(t)
                .iter()
                .map(|h| h.value)
                .collect::<Vec<_>>()
        };
        assert_eq!(v("他一直在我后面"), vec![1, 2]);
        assert_eq!(v("到现在还没回来"), vec![3]);
        assert_eq!(v("没回来"), vec![4]);
        // The non-overlapping scan keeps only the first of two overlapping phrases.
        assert_eq!(m.find_all("他一直在我后面").len(), 1);
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
