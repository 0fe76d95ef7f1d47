//! Segmentation (分词): jieba-rs with its default dictionary plus the shipped
//! police and Huzhou dictionary, extensible by admins at run time.

use jieba_rs::Jieba;

use crate::error::TextError;
use crate::normalize::is_content_token;

/// The police and local dictionary shipped with the crate (警务/本地词典).
pub const POLICE_DICT: &str = include_str!("../dict/police.txt");

/// A word added to the dictionary: word, optional frequency, optional POS tag.
pub type DictWord = (String, Option<usize>, Option<String>);

/// Chinese word segmenter. HMM is off everywhere: the platform needs
/// deterministic, dictionary-driven tokens (search index and queries must agree),
/// and it is markedly faster.
pub struct Segmenter {
    jieba: Jieba,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter").finish_non_exhaustive()
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter {
    /// Default jieba dictionary plus the shipped police/local dictionary.
    pub fn new() -> Self {
        let mut s = Self::default_dict_only();
        s.load_user_dict(POLICE_DICT)
            .expect("shipped police dictionary is well-formed");
        s
    }

    /// The default jieba dictionary only (for agreement checks with Python jieba).
    pub fn default_dict_only() -> Self {
        Self {
            jieba: Jieba::new(),
        }
    }

    /// Add words at run time (an admin extends the dictionary).
    /// A missing frequency means "just enough to keep the word whole".
    pub fn add_words(&mut self, words: &[DictWord]) {
        for (word, freq, tag) in words {
            let word = word.trim();
            if !word.is_empty() {
                self.jieba.add_word(word, *freq, tag.as_deref());
            }
        }
    }

    /// Parse dictionary text in jieba format (`word [freq] [tag]`, `#` comments)
    /// and add its words. Returns the number of words added.
    pub fn load_user_dict(&mut self, text: &str) -> Result<usize, TextError> {
        let words = parse_dict(text)?;
        self.add_words(&words);
        Ok(words.len())
    }

    /// Whether the dictionary knows `word`.
    pub fn has_word(&self, word: &str) -> bool {
        self.jieba.has_word(word)
    }

    /// Precise-mode segmentation with HMM off; returns slices of `text`.
    pub fn cut<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut(text, false)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// Search-mode segmentation joined by spaces, punctuation and whitespace
    /// dropped: the text to store for SQLite FTS5 or PostgreSQL
    /// `to_tsvector('simple', …)`. Queries must be segmented the same way.
    pub fn index_text(&self, text: &str) -> String {
        self.index_text_of_tokens(&self.cut(text))
    }

    /// Search-mode text from precise-mode tokens: each long token is followed by
    /// its dictionary sub-words (2 and 3 characters), as jieba's `cut_for_search`
    /// does, without segmenting the text a second time.
    pub fn index_text_of_tokens(&self, tokens: &[&str]) -> String {
        let mut out = String::with_capacity(tokens.iter().map(|t| t.len() + 1).sum::<usize>() * 2);
        let mut push = |w: &str| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(w);
        };
        for t in tokens {
            if !is_content_token(t) {
                continue;
            }
            // Only tokens of three or more characters have sub-words (nine
            // bytes or more are three characters or more).
            if t.len() >= 9 || (t.len() >= 3 && t.chars().nth(2).is_some()) {
                // Character boundaries; tokens are short, so a fixed buffer
                // holds them (longer ones fall back to a vector).
                let mut buf = [0u32; 17];
                let mut long: Vec<usize> = Vec::new();
                let mut n = 0;
                for (i, _) in t.char_indices().chain([(t.len(), ' ')]) {
                    if n < buf.len() {
                        buf[n] = i as u32;
                    } else {
                        if long.is_empty() {
                            long.extend(buf.iter().map(|&b| b as usize));
                        }
                        long.push(i);
                    }
                    n += 1;
                }
                let bound = |k: usize| {
                    if long.is_empty() {
                        buf[k] as usize
                    } else {
                        long[k]
                    }
                };
                let n = n - 1;
                for size in [2, 3] {
                    if n > size {
                        for i in 0..=n - size {
                            let sub = &t[bound(i)..bound(i + size)];
                            if self.jieba.has_word(sub) {
                                push(sub);
                            }
                        }
                    }
                }
            }
            push(t);
        }
        out
    }

    /// The underlying jieba instance (for raw-speed comparisons).
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }
}

/// Parse jieba dictionary lines.
pub fn parse_dict(text: &str) -> Result<Vec<DictWord>, TextError> {
    let mut words = Vec::new();
    for (no, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let word = parts.next().unwrap_or_default().to_string();
        let mut freq = None;
        let mut tag = None;
        for p in parts {
            if freq.is_none() && tag.is_none() && p.chars().all(|c| c.is_ascii_digit()) {
                let f: usize = p.parse().map_err(|_| TextError::Dict {
                    line: no + 1,
                    reason: format!("bad frequency `{p}`"),
                })?;
                // A zero frequency would make the word's log-probability -inf.
                freq = (f > 0).then_some(f);
            } else if tag.is_none() {
                tag = Some(p.to_string());
            } else {
                return Err(TextError::Dict {
                    line: no + 1,
                    reason: "too many fields".into(),
                });
            }
        }
        words.push((word, freq, tag));
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn police_words_stay_whole() {
        let s = Segmenter::new();
        let toks = s.cut("我在织里镇的电瓶车被偷了，打96110反诈专线");
        assert!(toks.contains(&"织里镇"), "{toks:?}");
        assert!(toks.contains(&"电瓶车"), "{toks:?}");
        assert!(toks.contains(&"96110"), "{toks:?}");
        assert!(toks.contains(&"反诈"), "{toks:?}");
    }

    #[test]
    fn admin_can_add_words_at_run_time() {
        let mut s = Segmenter::new();
        let before = s.cut("竹岭村春笋被盗挖");
        assert!(!before.contains(&"竹岭村"), "{before:?}");
        s.add_words(&[("竹岭村".into(), None, Some("ns".into()))]);
        assert!(s.cut("竹岭村春笋被盗挖").contains(&"竹岭村"));
    }

    #[test]
    fn dict_parsing_accepts_optional_fields_and_rejects_junk() {
        let w = parse_dict("# c\n三车 50 n\n织里 ns\n反诈\n").unwrap();
        assert_eq!(w.len(), 3);
        assert_eq!(w[0], ("三车".into(), Some(50), Some("n".into())));
        assert_eq!(w[1], ("织里".into(), None, Some("ns".into())));
        assert!(parse_dict("a 1 n x").is_err());
    }

    #[test]
    fn index_text_adds_dictionary_sub_words_of_long_tokens() {
        let s = Segmenter::new();
        let t = s.index_text_of_tokens(&["中华人民共和国", "，"]);
        let words: Vec<&str> = t.split(' ').collect();
        assert_eq!(words.last(), Some(&"中华人民共和国"), "{t}");
        assert!(words.contains(&"中华") && words.contains(&"共和国"), "{t}");
        // A token longer than the boundary buffer takes the other path.
        let long = "中华人民共和国".repeat(6);
        let t = s.index_text_of_tokens(&[long.as_str()]);
        assert!(t.split(' ').filter(|w| *w == "共和国").count() == 6, "{t}");
    }

    #[test]
    fn index_text_drops_punctuation() {
        let s = Segmenter::new();
        let t = s.index_text("电动自行车被偷了！！");
        assert!(!t.contains('！'));
        assert!(t.split(' ').any(|w| w == "电动自行车"), "{t}");
    }
}
