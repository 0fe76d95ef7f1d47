//! Near-duplicates and clusters (一事多诉, "many people, one problem").
//!
//! Each appeal gets a signature: a sparse, L2-normalised TF-IDF vector over its
//! content words and character bigrams, with place-like words (…村, …小区,
//! …路) weighted up, because the same specific problem is "same place + same
//! issue". A new appeal joins the cluster of its most similar recent appeal in
//! the same district when the cosine similarity reaches a threshold, otherwise
//! it starts a new cluster. Candidates come from an inverted index over each
//! appeal's strongest features, so assignment stays fast as the index grows.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::classify::Category;
use crate::features::{stable_hash, TextFeatures};
use crate::keywords::IdfModel;

/// Sparse signature: (feature key, weight), sorted by key, unit length.
/// Keys are `signature_key`s: a cluster index holds hundreds of thousands of
/// signatures, and comparing them is mostly reading them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signature(pub Vec<(u32, f32)>);

/// A feature's key (`features::word_key` / `bigram_key`) folded to 32 bits
/// for signatures. Two features of two appeals sharing a key by chance is
/// about one in a million pairs, and only nudges their similarity.
#[inline]
pub fn signature_key(key: u64) -> u32 {
    (key ^ (key >> 32)) as u32
}

const PLACE_SUFFIXES: &[&str] = &[
    "村",
    "镇",
    "乡",
    "街道",
    "路",
    "街",
    "弄",
    "巷",
    "小区",
    "花苑",
    "新村",
    "苑",
    "园",
    "广场",
    "大道",
    "桥",
    "幢",
    "公园",
    "市场",
    "中学",
    "小学",
    "幼儿园",
    "酒店",
    "工地",
    "工业区",
    "菜场",
    "超市",
    "山",
];

/// Whether a word looks like a place name (地名): the strongest cluster evidence.
pub fn is_place_like(word: &str) -> bool {
    word.chars().count() >= 2
        && PLACE_SUFFIXES
            .iter()
            .any(|s| word.ends_with(s) && word != *s)
}

/// How a signature weighs its features.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct SignatureParams {
    pub word_weight: f32,
    pub bigram_weight: f32,
    /// Multiplier for place-like words and for the bigrams inside them.
    pub place_boost: f32,
    /// IDF is raised to this power: > 1 favours rare, specific terms.
    pub idf_power: f32,
    /// Keep only the heaviest features (long texts otherwise drown in generic ones).
    pub max_features: usize,
}

impl Default for SignatureParams {
    fn default() -> Self {
        Self {
            word_weight: 1.0,
            bigram_weight: 0.5,
            place_boost: 2.0,
            idf_power: 1.0,
            max_features: usize::MAX,
        }
    }
}

impl Signature {
    /// Build a signature from extracted features and corpus IDF.
    pub fn build(feats: &TextFeatures<'_>, idf: &IdfModel) -> Self {
        Self::build_with(feats, idf, &SignatureParams::default())
    }

    /// Build with explicit weighting.
    pub fn build_with(feats: &TextFeatures<'_>, idf: &IdfModel, p: &SignatureParams) -> Self {
        let pw = |x: f32| {
            if p.idf_power == 1.0 {
                x
            } else {
                x.powf(p.idf_power)
            }
        };
        let mut raw: Vec<(u32, f32)> = Vec::with_capacity(feats.words.len() + feats.bigrams.len());
        // Byte ranges (as addresses: words and bigrams are slices of the same
        // normalised text) of place words; bigrams inside them are boosted.
        let mut places: Vec<(usize, usize)> = Vec::new();
        for w in &feats.words {
            if w.chars().count() < 2 {
                continue;
            }
            let place = is_place_like(w);
            if place {
                let start = w.as_ptr() as usize;
                places.push((start, start + w.len()));
            }
            let boost = if place { p.place_boost } else { 1.0 };
            raw.push((
                signature_key(stable_hash(0, w)),
                p.word_weight * boost * pw(idf.idf(w)),
            ));
        }
        for b in &feats.bigrams {
            let start = b.as_ptr() as usize;
            let end = start + b.len();
            let boost = if places.iter().any(|&(s, e)| s <= start && end <= e) {
                p.place_boost
            } else {
                1.0
            };
            raw.push((
                signature_key(stable_hash(1, b)),
                p.bigram_weight * boost * pw(idf.bigram_idf(b)),
            ));
        }
        Self::from_weights(raw, p)
    }

    /// Signature from raw (feature hash, weight) pairs, in any order with
    /// repeats: merged, truncated to the heaviest and normalised.
    pub fn from_weights(mut raw: Vec<(u32, f32)>, p: &SignatureParams) -> Self {
        // Sort and merge repeated features (term frequency adds up). Sorted
        // as one integer each (key, then the weight's bits): sorting plain
        // integers is about three times cheaper than sorting pairs by key,
        // and repeats of a feature add up in an order that does not depend on
        // the text's word order.
        let mut packed: Vec<u64> = raw
            .iter()
            .map(|&(k, w)| u64::from(k) << 32 | u64::from(w.to_bits()))
            .collect();
        packed.sort_unstable();
        for (slot, x) in raw.iter_mut().zip(&packed) {
            *slot = ((x >> 32) as u32, f32::from_bits(*x as u32));
        }
        // Merge in place: `dedup_by` hands (later, kept) pairs of equal keys.
        raw.dedup_by(|(k, w), (kk, kw)| {
            if k == kk {
                *kw += *w;
                true
            } else {
                false
            }
        });
        let mut v = raw;
        if v.len() > p.max_features {
            v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(p.max_features);
            v.sort_unstable_by_key(|(k, _)| *k);
        }
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            for (_, w) in v.iter_mut() {
                *w /= norm;
            }
        }
        Signature(v)
    }

    /// Cosine similarity of two unit vectors (sorted merge).
    pub fn cosine(&self, other: &Signature) -> f32 {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j, mut dot) = (0, 0, 0f32);
        // Branch-free merge: both cursors advance on their own comparisons.
        while i < a.len() && j < b.len() {
            let (ka, kb) = (a[i].0, b[j].0);
            if ka == kb {
                dot += a[i].1 * b[j].1;
            }
            i += usize::from(ka <= kb);
            j += usize::from(kb <= ka);
        }
        dot
    }

    /// The `k` heaviest features (used as inverted-index keys), heaviest
    /// first; equal weights go to the smaller key.
    fn top_features(&self, k: usize) -> Vec<u32> {
        if k == 0 {
            return Vec::new();
        }
        // One integer per feature that sorts in rank order: the weight's bits
        // inverted (weights are not negative, so their bits order like the
        // weights), then the key. Selecting and sorting plain integers is
        // about three times cheaper than ranking pairs.
        let mut ranked: Vec<u64> = self
            .0
            .iter()
            .map(|&(key, w)| u64::from(!w.to_bits()) << 32 | u64::from(key))
            .collect();
        if ranked.len() > k {
            ranked.select_nth_unstable(k - 1);
            ranked.truncate(k);
        }
        ranked.sort_unstable();
        ranked.into_iter().map(|r| r as u32).collect()
    }
}

/// Insert `x` into `best`, kept in rank order and at most `k` long, when it
/// ranks among the first `k` (`before(a, b)`: a ranks strictly before b;
/// among equals the earlier arrival stays first). One pass over n items
/// costs about n comparisons when most of them do not make the cut.
fn keep_best<T: Copy>(best: &mut Vec<T>, k: usize, x: T, before: impl Fn(&T, &T) -> bool) {
    if best.len() == k {
        if k == 0 || !before(&x, &best[k - 1]) {
            return;
        }
        best.pop();
    }
    let mut i = best.len();
    best.push(x);
    while i > 0 && before(&x, &best[i - 1]) {
        best[i] = best[i - 1];
        i -= 1;
    }
    best[i] = x;
}

/// One step of the sorted merge behind `Signature::cosine`.
macro_rules! merge_step {
    ($q:expr, $b:expr, $i:ident, $j:ident, $dot:ident) => {{
        let (ka, kb) = ($q[$i].0, $b[$j].0);
        if ka == kb {
            $dot += $q[$i].1 * $b[$j].1;
        }
        $i += usize::from(ka <= kb);
        $j += usize::from(kb <= ka);
    }};
}

/// Dot products of `q` with four others at once, as four interleaved merges:
/// one merge is a chain of dependent loads, four keep the core busy, and the
/// steps have no branch to mispredict. Each result is summed in the same
/// order as `Signature::cosine`, so the values are identical to it.
fn dot4(q: &[(u32, f32)], b: [&[(u32, f32)]; 4]) -> [f32; 4] {
    let (mut i0, mut i1, mut i2, mut i3) = (0, 0, 0, 0);
    let (mut j0, mut j1, mut j2, mut j3) = (0, 0, 0, 0);
    let (mut d0, mut d1, mut d2, mut d3) = (0f32, 0f32, 0f32, 0f32);
    let n = q.len();
    while i0 < n
        && j0 < b[0].len()
        && i1 < n
        && j1 < b[1].len()
        && i2 < n
        && j2 < b[2].len()
        && i3 < n
        && j3 < b[3].len()
    {
        merge_step!(q, b[0], i0, j0, d0);
        merge_step!(q, b[1], i1, j1, d1);
        merge_step!(q, b[2], i2, j2, d2);
        merge_step!(q, b[3], i3, j3, d3);
    }
    while i0 < n && j0 < b[0].len() {
        merge_step!(q, b[0], i0, j0, d0);
    }
    while i1 < n && j1 < b[1].len() {
        merge_step!(q, b[1], i1, j1, d1);
    }
    while i2 < n && j2 < b[2].len() {
        merge_step!(q, b[2], i2, j2, d2);
    }
    while i3 < n && j3 < b[3].len() {
        merge_step!(q, b[3], i3, j3, d3);
    }
    [d0, d1, d2, d3]
}

/// Per-thread buffers of `ClusterIndex::nearest_with`, reused across calls.
#[derive(Default)]
struct NearestScratch {
    /// Votes per item, all zero between calls.
    votes: Vec<u32>,
    /// Items with a vote.
    voted: Vec<u32>,
    /// (item, votes) of the best-voted items.
    candidates: Vec<(u32, u32)>,
}

/// Tuning of the cluster index.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ClusterConfig {
    /// Minimum similarity to join an existing cluster.
    pub threshold: f32,
    /// Added to the similarity when both appeals have the same category.
    pub same_category_bonus: f32,
    /// Only appeals at most this many days apart are compared.
    pub window_days: i64,
    /// Features per appeal kept in the inverted index.
    pub index_features: usize,
    /// Strongest features of a new appeal looked up in the index
    /// (at most `index_features`).
    #[serde(default = "default_query_features")]
    pub query_features: usize,
    /// Most recent postings read per feature when looking for candidates.
    /// Only the newest few matter: the strongest features of an appeal are
    /// rare ones, whose lists are short.
    pub max_postings_per_feature: usize,
    /// Candidates whose exact similarity is computed.
    pub max_candidates: usize,
}

fn default_query_features() -> usize {
    16
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            threshold: 0.16,
            same_category_bonus: 0.05,
            window_days: 60,
            index_features: 16,
            query_features: 16,
            max_postings_per_feature: 16,
            max_candidates: 4,
        }
    }
}

/// An appeal as the index needs it.
#[derive(Debug, Clone)]
pub struct ClusterItem {
    pub id: String,
    /// Day number (e.g. days since the Unix epoch) of submission.
    pub day: i64,
    pub district: Option<String>,
    pub category: Option<Category>,
    pub signature: Signature,
}

/// Where an appeal was put.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub cluster: u64,
    /// True when the appeal started a new cluster.
    pub new_cluster: bool,
    /// The most similar earlier appeal and its similarity, if any was compared.
    pub nearest: Option<(String, f32)>,
}

/// Incremental cluster index (聚类索引).
#[derive(Debug, Clone, Default)]
pub struct ClusterIndex {
    config: ClusterConfig,
    items: Vec<(ClusterItem, u64)>,
    /// Day and district id of each item, side by side for the candidate
    /// scan (which must not touch the items themselves).
    meta: Vec<(i64, u32)>,
    district_ids: FxHashMap<String, u32>,
    /// Inverted index: feature to the items indexed under it, oldest first.
    /// Each list is contiguous, so reading its newest entries is one or two
    /// cache lines however large the index grows.
    postings: FxHashMap<u32, Vec<u32>>,
    next_cluster: u64,
}

/// District id of an appeal without a district.
const NO_DISTRICT: u32 = u32::MAX;
/// District id of a district the index has not seen.
const NEW_DISTRICT: u32 = u32::MAX - 1;

impl ClusterIndex {
    pub fn new(config: ClusterConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Cluster of an indexed appeal.
    pub fn cluster_of(&self, id: &str) -> Option<u64> {
        self.items
            .iter()
            .find(|(it, _)| it.id == id)
            .map(|(_, c)| *c)
    }

    /// The most similar earlier appeal (index, similarity) without inserting.
    ///
    /// Two stages keep this cheap as the index grows: postings vote for
    /// candidates (how many strong features they share, recent first, within the
    /// window), then exact cosine is computed for the best few candidates only.
    pub fn nearest(&self, item: &ClusterItem) -> Option<(usize, f32)> {
        let keys = item.signature.top_features(self.config.query_features);
        self.nearest_with(item, &keys)
    }

    fn nearest_with(&self, item: &ClusterItem, keys: &[u32]) -> Option<(usize, f32)> {
        // Candidates from the postings, recent first, within the window and
        // the district. Votes are counted in a per-thread table indexed by
        // item (cleared again through the list of items it touched).
        thread_local! {
            static SCRATCH: std::cell::RefCell<NearestScratch> = std::cell::RefCell::new(NearestScratch::default());
        }
        let district = self.district_id(item.district.as_deref());
        SCRATCH.with(|scratch| {
            let NearestScratch {
                votes,
                voted,
                candidates,
            } = &mut *scratch.borrow_mut();
            if votes.len() < self.items.len() {
                votes.resize(self.items.len(), 0);
            }
            voted.clear();
            for f in keys {
                let Some(list) = self.postings.get(f) else {
                    continue;
                };
                // Walk back from the newest and stop at the window edge or
                // after enough candidates for this feature.
                for &ix in list.iter().rev().take(self.config.max_postings_per_feature) {
                    let (day, d) = self.meta[ix as usize];
                    if item.day - day > self.config.window_days {
                        break;
                    }
                    if district != NO_DISTRICT && d != NO_DISTRICT && d != district {
                        continue;
                    }
                    let v = &mut votes[ix as usize];
                    if *v == 0 {
                        voted.push(ix);
                    }
                    *v += 1;
                }
            }
            // The candidates with the most votes (the newest among equals).
            candidates.clear();
            for &ix in voted.iter() {
                let n = std::mem::take(&mut votes[ix as usize]);
                keep_best(candidates, self.config.max_candidates, (ix, n), |a, b| {
                    a.1 > b.1 || (a.1 == b.1 && a.0 > b.0)
                });
            }
            candidates.retain(|&(ix, _)| {
                (item.day - self.items[ix as usize].0.day).abs() <= self.config.window_days
            });
            let mut best: Option<(usize, f32)> = None;
            for group in candidates.chunks(4) {
                let mut others: [&[(u32, f32)]; 4] = [&[]; 4];
                for (o, &(ix, _)) in others.iter_mut().zip(group) {
                    *o = &self.items[ix as usize].0.signature.0;
                }
                let sims = dot4(&item.signature.0, others);
                for (&(ix, _), sim) in group.iter().zip(sims) {
                    let other = &self.items[ix as usize].0;
                    let mut sim = sim;
                    if item.category.is_some() && item.category == other.category {
                        sim += self.config.same_category_bonus;
                    }
                    if best.is_none_or(|(i, s)| sim > s || (sim == s && ix as usize > i)) {
                        best = Some((ix as usize, sim));
                    }
                }
            }
            best
        })
    }

    fn district_id(&self, district: Option<&str>) -> u32 {
        match district {
            None => NO_DISTRICT,
            Some(d) => self.district_ids.get(d).copied().unwrap_or(NEW_DISTRICT),
        }
    }

    /// Assign an appeal to a cluster and index it.
    pub fn assign(&mut self, item: ClusterItem) -> Assignment {
        let keys = item.signature.top_features(self.config.index_features);
        let q = self.config.query_features.min(keys.len());
        let nearest = self.nearest_with(&item, &keys[..q]);
        let (cluster, new_cluster) = match nearest {
            Some((ix, sim)) if sim >= self.config.threshold => (self.items[ix].1, false),
            _ => {
                self.next_cluster += 1;
                (self.next_cluster, true)
            }
        };
        let ix = self.items.len() as u32;
        for f in keys {
            self.postings.entry(f).or_default().push(ix);
        }
        let nearest = nearest.map(|(i, s)| (self.items[i].0.id.clone(), s));
        let d = match &item.district {
            None => NO_DISTRICT,
            Some(name) => {
                let next = self.district_ids.len() as u32;
                *self.district_ids.entry(name.clone()).or_insert(next)
            }
        };
        self.meta.push((item.day, d));
        self.items.push((item, cluster));
        Assignment {
            cluster,
            new_cluster,
            nearest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;
    use crate::segment::Segmenter;

    fn sig(seg: &Segmenter, idf: &IdfModel, t: &str) -> Signature {
        let n = normalize(t);
        let toks = seg.cut(&n);
        Signature::build(&TextFeatures::new(&n, &toks), idf)
    }

    fn item(seg: &Segmenter, idf: &IdfModel, id: &str, day: i64, t: &str) -> ClusterItem {
        ClusterItem {
            id: id.into(),
            day,
            district: Some("安吉县".into()),
            category: None,
            signature: sig(seg, idf, t),
        }
    }

    #[test]
    fn cosine_of_self_is_one_and_of_disjoint_is_zero() {
        let seg = Segmenter::new();
        let idf = IdfModel::default();
        let a = sig(&seg, &idf, "竹岭村春笋被盗挖");
        assert!((a.cosine(&a) - 1.0).abs() < 1e-4);
        let b = sig(&seg, &idf, "身份证补办");
        assert!(a.cosine(&b).abs() < 1e-6);
    }

    #[test]
    fn same_problem_reworded_joins_different_problem_does_not() {
        let seg = Segmenter::new();
        let corpus = [
            "电瓶车被偷了",
            "小区停车很乱",
            "楼道里有人充电",
            "村里有人赌博",
            "身份证怎么办理",
        ];
        let idf = IdfModel::fit(&seg, corpus.iter().copied());
        let mut ix = ClusterIndex::new(ClusterConfig::default());
        let a = ix.assign(item(
            &seg,
            &idf,
            "a",
            0,
            "竹岭村山上的春笋又被人偷挖了，好几家都被挖",
        ));
        let b = ix.assign(item(
            &seg,
            &idf,
            "b",
            2,
            "我们竹岭村竹林里的春笋晚上被人成片盗挖",
        ));
        let c = ix.assign(item(&seg, &idf, "c", 3, "桂花路北门违停严重，公交车过不去"));
        assert!(a.new_cluster);
        assert!(!b.new_cluster, "{b:?}");
        assert_eq!(a.cluster, b.cluster);
        assert!(c.new_cluster, "{c:?}");
        assert_eq!(ix.cluster_of("b"), Some(a.cluster));
    }

    #[test]
    fn window_and_district_separate_clusters() {
        let seg = Segmenter::new();
        let idf = IdfModel::default();
        let mut ix = ClusterIndex::new(ClusterConfig::default());
        let t = "竹岭村春笋被盗挖";
        ix.assign(item(&seg, &idf, "a", 0, t));
        assert!(ix.assign(item(&seg, &idf, "late", 400, t)).new_cluster);
        let mut other = item(&seg, &idf, "elsewhere", 1, t);
        other.district = Some("德清县".into());
        assert!(ix.assign(other).new_cluster);
    }

    #[test]
    fn interleaved_dots_equal_merge_cosine() {
        let seg = Segmenter::new();
        let corpus = ["电瓶车被偷了", "小区停车很乱", "楼道里有人充电"];
        let idf = IdfModel::fit(&seg, corpus.iter().copied());
        let texts = [
            "竹岭村山上的春笋又被人偷挖了，好几家都被挖",
            "我们竹岭村竹林里的春笋晚上被人成片盗挖",
            "桂花路北门违停严重，公交车过不去",
            "身份证补办",
            "",
            "竹岭村春笋被盗挖，桂花路违停",
        ];
        let sigs: Vec<Signature> = texts.iter().map(|t| sig(&seg, &idf, t)).collect();
        for a in &sigs {
            for group in sigs.chunks(4) {
                let mut others: [&[(u32, f32)]; 4] = [&[]; 4];
                for (o, b) in others.iter_mut().zip(group) {
                    *o = &b.0;
                }
                let dots = dot4(&a.0, others);
                for (b, d) in group.iter().zip(dots) {
                    assert_eq!(a.cosine(b).to_bits(), d.to_bits());
                }
            }
        }
        assert!(dot4(&sigs[0].0, [&sigs[0].0, &[], &[], &[]])[0] > 0.99);
    }

    #[test]
    fn top_features_rank_by_weight_then_key() {
        let sig = Signature(vec![(1, 0.2), (2, 0.5), (3, 0.2), (4, 0.9), (5, 0.1)]);
        assert_eq!(sig.top_features(3), vec![4, 2, 1]);
        assert_eq!(sig.top_features(4), vec![4, 2, 1, 3]);
        assert_eq!(sig.top_features(9), vec![4, 2, 1, 3, 5]);
        assert!(sig.top_features(0).is_empty());
    }

    #[test]
    fn place_words_are_recognised() {
        assert!(is_place_like("竹岭村"));
        assert!(is_place_like("练溪花苑"));
        assert!(!is_place_like("村"));
        assert!(!is_place_like("电瓶车"));
    }
}
