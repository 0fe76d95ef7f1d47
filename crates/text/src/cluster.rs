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

use crate::classify::DefaultCategory;
use crate::features::{is_stopword, stable_hash, TextFeatures};
use crate::keywords::IdfModel;
use crate::normalize::is_cjk;

/// Sparse signature: (feature key, weight), sorted by key, unit length.
/// Keys are `signature_key`s: a cluster index holds hundreds of thousands of
/// signatures, and comparing them is mostly reading them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signature(
    pub Vec<(u32, f32)>,
    /// Keys of the signature's specific features (sorted): rare words and
    /// character pairs, and place names — names of places, shops, estates and
    /// firms are rare in a corpus, problem words are not. Two appeals about one
    /// problem in one place share one; two about one kind of problem in two
    /// places need not.
    #[serde(default)]
    pub Vec<u32>,
);

/// IDF from which a feature counts as specific: seen in at most one document
/// in a thousand (at most three in a small corpus). `unseen_idf` is the IDF of
/// a feature the corpus never saw, ln(N + 1) + 1.
pub fn specific_idf(unseen_idf: f32) -> f32 {
    (1.0 + 1000f32.ln()).min(unseen_idf - 4f32.ln())
}

/// A feature's key (`features::word_key` / `bigram_key`) folded to 32 bits
/// for signatures. Two features of two appeals sharing a key by chance is
/// about one in a million pairs, and only nudges their similarity.
#[inline]
pub fn signature_key(key: u64) -> u32 {
    (key ^ (key >> 32)) as u32 & !PLACE_BIT
}

/// The top bit of a signature key marks a specific place name (织里镇,
/// 春晖小区): the evidence two appeals must share to be about one problem in
/// one place. Other features never have it.
pub const PLACE_BIT: u32 = 1 << 31;

/// Signature key of a specific place name.
#[inline]
pub fn place_key(place: &str) -> u32 {
    signature_key(stable_hash(2, place)) | PLACE_BIT
}

/// Endings of place names (地名后缀).
pub const PLACE_SUFFIXES: &[&str] = &[
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

/// Words that end like a place name but name none (马路, 农村, 老小区…).
const NOT_PLACES: &[&str] = &[
    "农村",
    "乡村",
    "老乡",
    "家乡",
    "城乡",
    "下乡",
    "同乡",
    "逛街",
    "上街",
    "满街",
    "老街",
    "过桥",
    "花园",
    "公园",
    "家园",
    "校园",
    "菜园",
    "果园",
    "游乐园",
    "市场",
    "菜市场",
    "农贸市场",
    "超市",
    "工地",
    "小学",
    "中学",
    "幼儿园",
    "酒店",
    "大山",
    "上山",
    "下山",
    "爬山",
    "山上",
    "老小区",
    "新小区",
    "小区里",
    "村里",
    "镇上",
    "本村",
    "我村",
    "该村",
    "全村",
    "整个村",
    "新村",
    "跑路",
    "走路",
    "出路",
    "让路",
    "带路",
    "问路",
    "过路",
    "上路",
    "半路",
    "一路",
    "老路",
    "小路",
    "大路",
    "马路",
    "公路",
    "山路",
];

/// Leading words that make a place word generic (我们小区, 这个村).
const GENERIC_PREFIXES: &[&str] = &[
    "我们", "你们", "他们", "咱们", "这个", "那个", "哪个", "本", "该", "某", "各", "全", "整个",
    "附近", "旁边", "隔壁", "对面", "老", "新", "大", "小", "整条", "一条", "这条", "那条", "每条",
];

/// Single characters that join words rather than spell names (驾驶人因路 is no road).
const NOT_NAME_CHARS: &[&str] = &[
    "人", "因", "在", "的", "了", "和", "与", "及", "被", "把", "给", "向", "从", "到", "对", "是",
    "有", "也", "都", "就", "还", "又", "说", "让", "叫", "等", "个", "这", "那", "我", "你", "他",
];

/// Verbs ending like a road (集资跑路 is no road).
const NOT_PLACE_ENDINGS: &[&str] = &[
    "跑路", "走路", "出路", "让路", "带路", "问路", "过路", "上路", "半路", "一路",
];

/// Leading words that are no part of a name (阿拉荃步村 is 荃步村, "we" in Wu).
const NOT_NAME_STARTS: &[&str] = &[
    "阿拉", "我们", "你们", "他们", "家住", "人系", "系", "在", "住", "来访", "村民", "居民",
    "群众",
];

/// Whether a token names a specific place (织里镇, 大河路, 春晖小区).
pub fn is_specific_place(word: &str) -> bool {
    let chars = word.chars().count();
    if chars < 2
        || !word.chars().all(is_cjk)
        || NOT_PLACES.contains(&word)
        || NOT_NAME_STARTS.iter().any(|p| word.starts_with(p))
        || NOT_PLACE_ENDINGS.iter().any(|e| word.ends_with(e))
    {
        return false;
    }
    PLACE_SUFFIXES.iter().any(|s| {
        word.ends_with(s) && word != *s && {
            let head = &word[..word.len() - s.len()];
            // One character before a one-character suffix is a common word (马路, 出路).
            (s.chars().count() > 1 || head.chars().count() >= 2)
                && !GENERIC_PREFIXES.contains(&head)
        }
    })
}

/// The specific place names of a token sequence with their token ranges,
/// where a name segmented apart from its suffix ("春晖" + "小区") is joined.
pub fn place_pieces(tokens: &[&str]) -> Vec<(String, usize, usize)> {
    place_pieces_with(
        tokens,
        |i| PLACE_SUFFIXES.contains(&tokens[i]),
        |i| is_place_like(tokens[i]),
    )
}

/// `place_pieces` with the two token tests supplied (the analysis fast path
/// reads them from its feature table): whether token `i` is a place suffix,
/// and whether it may be a place name (`is_place_like`).
///
/// Names the dictionary does not know come out as single characters
/// ("荃" "步" "村", "浔溪" "锦" "苑"): up to three of them, after at most one
/// word, are joined with the suffix that follows them. So is a two-character
/// word ending in a one-character suffix ("蠡" "山村").
pub fn place_pieces_with(
    tokens: &[&str],
    is_suffix: impl Fn(usize) -> bool,
    maybe_place: impl Fn(usize) -> bool,
) -> Vec<(String, usize, usize)> {
    let single = |t: &str| {
        let mut c = t.chars();
        matches!((c.next(), c.next()), (Some(ch), None) if is_cjk(ch))
            && !is_stopword(t)
            && !NOT_NAME_CHARS.contains(&t)
    };
    let word = |t: &str| t.len() >= 6 && t.chars().all(is_cjk) && !is_stopword(t);
    let mut out = Vec::new();
    for (i, &t) in tokens.iter().enumerate() {
        let short_suffix_word =
            t.len() == 6 && maybe_place(i) && ONE_CHAR_SUFFIXES.iter().any(|s| t.ends_with(s));
        if i > 0 && (is_suffix(i) || short_suffix_word) {
            let mut start = i;
            while start > 0 && i - start < 3 && single(tokens[start - 1]) {
                start -= 1;
            }
            // A two-character word only: longer ones are people (来访人, 驾驶人).
            if start > 0
                && word(tokens[start - 1])
                && tokens[start - 1].chars().count() == 2
                && !maybe_place(start - 1)
            {
                start -= 1;
            }
            if start < i && (is_suffix(i) || start + 1 < i || single(tokens[start])) {
                let name = tokens[start..=i].concat();
                if is_specific_place(&name) {
                    out.push((name, start, i + 1));
                    continue;
                }
            }
        }
        if t.len() >= 6 && maybe_place(i) && is_specific_place(t) {
            out.push((t.to_string(), i, i + 1));
        }
    }
    out
}

/// One-character place suffixes that end two-character words (山村, 东路).
const ONE_CHAR_SUFFIXES: &[&str] = &["村", "镇", "乡", "路", "街", "弄", "巷", "苑", "园", "桥"];

/// Place chains of one text: runs of adjacent place names (织里镇 + 大河路),
/// at most three long.
pub fn place_chains(tokens: &[&str]) -> Vec<String> {
    let mut chains: Vec<String> = Vec::new();
    let (mut end, mut parts) = (usize::MAX, 0);
    for (piece, start, stop) in place_pieces(tokens) {
        match chains.last_mut() {
            Some(chain) if start == end && parts < 3 => {
                chain.push_str(&piece);
                parts += 1;
            }
            _ => {
                chains.push(piece);
                parts = 1;
            }
        }
        end = stop;
    }
    chains
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
    /// Weight of a specific place name's own feature (`place_key`), times its IDF.
    pub place_weight: f32,
}

impl Default for SignatureParams {
    fn default() -> Self {
        Self {
            word_weight: 1.0,
            bigram_weight: 0.5,
            place_boost: 2.0,
            idf_power: 1.0,
            max_features: usize::MAX,
            place_weight: 1.0,
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
        let cut = specific_idf(idf.idf_of_df(0));
        let mut specific = Vec::new();
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
            let key = signature_key(stable_hash(0, w));
            let w_idf = idf.idf(w);
            if w_idf >= cut {
                specific.push(key);
            }
            raw.push((key, p.word_weight * boost * pw(w_idf)));
        }
        for b in &feats.bigrams {
            let start = b.as_ptr() as usize;
            let end = start + b.len();
            let boost = if places.iter().any(|&(s, e)| s <= start && end <= e) {
                p.place_boost
            } else {
                1.0
            };
            let key = signature_key(stable_hash(1, b));
            let b_idf = idf.bigram_idf(b);
            if b_idf >= cut {
                specific.push(key);
            }
            raw.push((key, p.bigram_weight * boost * pw(b_idf)));
        }
        for place in &feats.places {
            let key = place_key(place);
            let p_idf = idf.idf(place);
            if p_idf >= cut {
                specific.push(key);
            }
            raw.push((key, p.place_weight * pw(p_idf)));
        }
        Self::from_weights(raw, p).with_specific(specific)
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
        Signature(v, Vec::new())
    }

    /// The signature with its specific features' keys (any order, repeats allowed).
    pub fn with_specific(mut self, mut keys: Vec<u32>) -> Self {
        keys.sort_unstable();
        keys.dedup();
        self.1 = keys;
        self
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

    /// How many specific features the two signatures share.
    pub fn shared_specific(&self, other: &Signature) -> usize {
        let (a, b) = (&self.1, &other.1);
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
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
    /// Similarity at which two appeals join without sharing a specific place
    /// name (near-duplicates); below it, a shared place is required. A wrong
    /// merge misleads more than a missed one: "same place + same problem".
    #[serde(default = "default_strong_threshold")]
    pub strong_threshold: f32,
    /// Specific features (`Signature::shared_specific`) two appeals must share
    /// to join below `strong_threshold`.
    #[serde(default = "default_min_shared_specific")]
    pub min_shared_specific: usize,
    /// Below `strong_threshold`, only appeals of the same category join: a
    /// shared place is not enough, the problem must be of one kind too...
    #[serde(default)]
    pub same_category_only: bool,
    /// ...unless they share at least this many specific features and are
    /// this similar: then one of them was most likely put in the wrong category.
    #[serde(default = "default_cross_category")]
    pub cross_category: (usize, f32),
}

fn default_cross_category() -> (usize, f32) {
    (4, 0.4)
}

fn default_min_shared_specific() -> usize {
    2
}

fn default_strong_threshold() -> f32 {
    0.6
}

fn default_query_features() -> usize {
    16
}

impl Default for ClusterConfig {
    fn default() -> Self {
        Self {
            threshold: 0.12,
            same_category_bonus: 0.05,
            window_days: 60,
            index_features: 16,
            query_features: 16,
            max_postings_per_feature: 16,
            max_candidates: 4,
            strong_threshold: default_strong_threshold(),
            min_shared_specific: default_min_shared_specific(),
            same_category_only: true,
            cross_category: default_cross_category(),
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
    pub category: Option<DefaultCategory>,
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
        self.nearest_with(item, &keys).map(|(i, s, _)| (i, s))
    }

    /// The nearest earlier appeal, its similarity and whether it has the
    /// evidence to join (a shared place, or near-duplicate similarity).
    fn nearest_with(&self, item: &ClusterItem, keys: &[u32]) -> Option<(usize, f32, bool)> {
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
            let mut best: Option<(usize, f32, bool)> = None;
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
                    // Without shared specific evidence (a place name) only a
                    // near-duplicate may join: ranked below every appeal that has it.
                    let c = &self.config;
                    let shared = item.signature.shared_specific(&other.signature);
                    let evidence = sim >= c.strong_threshold
                        || ((!c.same_category_only || item.category == other.category)
                            && shared >= c.min_shared_specific)
                        || (shared >= c.cross_category.0 && sim >= c.cross_category.1);
                    let rank = (evidence, sim);
                    if best.is_none_or(|(i, s, e)| {
                        rank > (e, s) || (rank == (e, s) && ix as usize > i)
                    }) {
                        best = Some((ix as usize, sim, evidence));
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
            Some((ix, sim, true)) if sim >= self.config.threshold => (self.items[ix].1, false),
            _ => {
                self.next_cluster += 1;
                (self.next_cluster, true)
            }
        };
        let ix = self.items.len() as u32;
        for f in keys {
            self.postings.entry(f).or_default().push(ix);
        }
        let nearest = nearest.map(|(i, s, _)| (self.items[i].0.id.clone(), s));
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
        let sig = Signature(
            vec![(1, 0.2), (2, 0.5), (3, 0.2), (4, 0.9), (5, 0.1)],
            vec![],
        );
        assert_eq!(sig.top_features(3), vec![4, 2, 1]);
        assert_eq!(sig.top_features(4), vec![4, 2, 1, 3]);
        assert_eq!(sig.top_features(9), vec![4, 2, 1, 3, 5]);
        assert!(sig.top_features(0).is_empty());
    }

    fn engine_item(
        e: &crate::TextEngine,
        id: &str,
        day: i64,
        cat: DefaultCategory,
        t: &str,
    ) -> ClusterItem {
        ClusterItem {
            id: id.into(),
            day,
            district: Some("吴兴区".into()),
            category: Some(cat),
            signature: e.signature(t),
        }
    }

    #[test]
    fn one_problem_in_one_place_joins_but_not_its_neighbours() {
        let mut e = crate::TextEngine::new();
        let texts = [
            "织里镇大河路楼下烧烤店每天开到凌晨，划拳喝酒吵得睡不着",
            "大河路那家烧烤店半夜还在吵，喝多了摔瓶子，住户天天失眠",
            "八里店小区门口的KTV每天晚上唱到很晚，吵得睡不着",
            "大河路的路灯坏了一排，晚上走路黑乎乎的",
        ];
        let seed = crate::classify::SEED_TRAIN;
        let seed = crate::parse_jsonl(seed).unwrap();
        e.fit_idf(seed.iter().map(|r| r.text.as_str()).chain(texts));
        let mut ix = ClusterIndex::new(ClusterConfig::default());
        let a = ix.assign(engine_item(
            &e,
            "a",
            0,
            DefaultCategory::PublicOrder,
            texts[0],
        ));
        let b = ix.assign(engine_item(
            &e,
            "b",
            1,
            DefaultCategory::PublicOrder,
            texts[1],
        ));
        // Same kind of problem elsewhere; another problem in the same place.
        let c = ix.assign(engine_item(
            &e,
            "c",
            2,
            DefaultCategory::PublicOrder,
            texts[2],
        ));
        let d = ix.assign(engine_item(
            &e,
            "d",
            2,
            DefaultCategory::NonPolice,
            texts[3],
        ));
        assert_eq!(b.cluster, a.cluster, "{b:?}");
        assert!(c.new_cluster, "{c:?}");
        assert!(d.new_cluster, "{d:?}");
    }

    #[test]
    fn unknown_names_are_joined_with_their_suffix() {
        let seg = Segmenter::new();
        let pieces = |t: &str| -> Vec<String> {
            place_pieces(&seg.cut(t))
                .into_iter()
                .map(|(p, _, _)| p)
                .collect()
        };
        assert_eq!(pieces("荃步村昨晚又有电瓶被拆走"), vec!["荃步村"]);
        assert_eq!(pieces("我们织里镇大河路那边"), vec!["织里镇", "大河路"]);
        assert_eq!(pieces("梅林小区停水"), vec!["梅林小区"]);
        assert!(pieces("老板集资跑路了，走了一路").is_empty());
        assert_eq!(
            place_chains(&seg.cut("我们织里镇大河路那边")),
            vec!["织里镇大河路"]
        );
    }

    #[test]
    fn place_words_are_recognised() {
        assert!(is_place_like("竹岭村"));
        assert!(is_place_like("练溪花苑"));
        assert!(!is_place_like("村"));
        assert!(!is_place_like("电瓶车"));
    }
}
