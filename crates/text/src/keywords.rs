//! Keywords (关键词): TF-IDF with IDF learned from the platform's own appeals.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::features::{char_bigrams, content_words};
use crate::normalize::normalize;
use crate::segment::Segmenter;

/// Document frequencies learned from a corpus (逆文档频率模型).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IdfModel {
    pub doc_count: u32,
    /// Word document frequencies.
    pub df: FxHashMap<String, u32>,
    /// Character-bigram document frequencies (for near-duplicate signatures).
    #[serde(default)]
    pub bigram_df: FxHashMap<String, u32>,
}

impl IdfModel {
    /// Learn document frequencies from texts (normalised and segmented here).
    pub fn fit<'t>(seg: &Segmenter, texts: impl IntoIterator<Item = &'t str>) -> Self {
        let mut m = Self::default();
        for t in texts {
            let norm = normalize(t);
            let tokens = seg.cut(&norm);
            m.add_document(&content_words(&tokens), &char_bigrams(&norm));
        }
        m
    }

    /// Count one document's distinct words and bigrams (incremental learning).
    pub fn add_document(&mut self, words: &[&str], bigrams: &[&str]) {
        self.doc_count += 1;
        for (list, df) in [(words, &mut self.df), (bigrams, &mut self.bigram_df)] {
            let mut seen: Vec<&str> = list.to_vec();
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                *df.entry(w.to_string()).or_insert(0) += 1;
            }
        }
    }

    /// Smoothed IDF of a character bigram.
    pub fn bigram_idf(&self, bigram: &str) -> f32 {
        let df = self.bigram_df.get(bigram).copied().unwrap_or(0) as f32;
        ((self.doc_count as f32 + 1.0) / (df + 1.0)).ln() + 1.0
    }

    /// Smoothed IDF; unseen words get the highest value, as new terms should.
    pub fn idf(&self, word: &str) -> f32 {
        self.idf_of_df(self.df.get(word).copied().unwrap_or(0))
    }

    /// Smoothed IDF of a document frequency.
    pub fn idf_of_df(&self, df: u32) -> f32 {
        ((self.doc_count as f32 + 1.0) / (df as f32 + 1.0)).ln() + 1.0
    }

    /// Top `k` keywords of already extracted content words, by TF-IDF.
    /// Single characters are skipped: alone they rarely name a topic.
    pub fn keywords_of(&self, words: &[&str], k: usize) -> Vec<(String, f32)> {
        let mut tf: FxHashMap<&str, f32> = FxHashMap::default();
        for w in words {
            if w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()) {
                *tf.entry(w).or_insert(0.0) += 1.0;
            }
        }
        let mut scored: Vec<(String, f32)> = tf
            .into_iter()
            .map(|(w, f)| (w.to_string(), f * self.idf(w)))
            .collect();
        // Ties broken by the word so that results are deterministic.
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        scored.truncate(k);
        scored
    }

    /// Top `k` keywords of a raw text.
    pub fn keywords(&self, seg: &Segmenter, text: &str, k: usize) -> Vec<(String, f32)> {
        let norm = normalize(text);
        let tokens = seg.cut(&norm);
        self.keywords_of(&content_words(&tokens), k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_words_outrank_common_ones() {
        let seg = Segmenter::new();
        let corpus = [
            "小区电瓶车被偷了",
            "电瓶车停在楼下被偷",
            "电瓶车电池被偷了",
            "春笋被人盗挖",
        ];
        let idf = IdfModel::fit(&seg, corpus.iter().copied());
        assert_eq!(idf.doc_count, 4);
        assert!(idf.idf("春笋") > idf.idf("电瓶车"));
        let kw = idf.keywords(&seg, "竹林里的春笋被偷，电瓶车也被偷", 2);
        assert_eq!(kw.len(), 2);
        assert!(kw.iter().any(|(w, _)| w == "春笋"), "{kw:?}");
        assert!(!kw.iter().any(|(w, _)| w == "电瓶车"), "{kw:?}");
    }

    #[test]
    fn stop_words_never_become_keywords() {
        let seg = Segmenter::new();
        let idf = IdfModel::default();
        let kw = idf.keywords(&seg, "你好，我们就是想问一下这个那个", 5);
        assert!(kw.iter().all(|(w, _)| w != "我们" && w != "这个"), "{kw:?}");
    }
}
