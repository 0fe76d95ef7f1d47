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

/// Who a conduct appeal is about (民警、辅警、窗口…).
const OFFICER: &[&str] = &[
    "民警",
    "警察",
    "辅警",
    "协警",
    "交警",
    "接警员",
    "接警",
    "值班",
    "警官",
    "所长",
    "窗口",
    "工作人员",
    "警号",
    "督察",
    "出警",
    "警察叔叔",
    "派出所",
];
/// What officers did, as residents complain about it.
const OFFICER_BAD: &[&str] = &[
    "态度",
    "不耐烦",
    "推诿",
    "推来推去",
    "不作为",
    "敷衍",
    "敷衍了事",
    "骂",
    "骂人",
    "吼",
    "凶",
    "打人",
    "动手",
    "好处",
    "偏袒",
    "偏向",
    "不理",
    "爱理不理",
    "没人理",
    "玩手机",
    "乱罚",
    "乱扣",
    "刁难",
    "威胁",
    "粗暴",
    "投诉",
    "拖拉",
    "笑话",
    "称兄道弟",
    "吃拿卡要",
    "私用",
    "不处理",
    "没下文",
    "阴阳怪气",
    "恶劣",
    "很差",
    "太差",
    "不公平",
    "不公",
    "不满意",
    "不给钱",
    "督察",
    "纪委",
    // Residents disputing an officer's decision or how it was enforced.
    "不服",
    "不规范",
    "选择性",
    "不开票",
    "乱罚款",
    // Everyday words for a case left lying or a service that failed.
    "下文",
    "白跑",
    "走过场",
    "踢皮球",
    "回执",
    "占线",
    "不通",
    "看手机",
    "聊天",
    "打游戏",
    "歧视",
    "收钱",
    "吓唬",
    "不闻不问",
    "迟迟",
    "一次性",
];
/// What officers did, as residents praise it.
const OFFICER_GOOD: &[&str] = &[
    "感谢", "谢谢", "表扬", "锦旗", "点赞", "耐心", "辛苦", "热情", "尽职", "致谢", "谢意", "好评",
    "公道", "感动", "感激", "好人", "负责",
];

/// Synthetic cue features (线索特征): an officer word with a behaviour word
/// near it. "民警" alone is everywhere (报了警，民警来看过); "民警…态度很差"
/// is a conduct appeal whatever the matter was. The model learns their
/// weight from the seed set like any other feature.
/// Each cue is entered as several features, so that one clear cue can
/// outweigh a long description of the matter it happened in.
pub const CUE_OFFICER_BAD: &[&str] = &[
    "#officer-bad",
    "#officer-bad2",
    "#officer-bad3",
    "#officer-bad4",
];
pub const CUE_OFFICER_GOOD: &[&str] = &[
    "#officer-good",
    "#officer-good2",
    "#officer-good3",
    "#officer-good4",
];

/// Every word the cue features look at.
pub fn cue_words() -> impl Iterator<Item = &'static str> {
    OFFICER
        .iter()
        .chain(OFFICER_BAD)
        .chain(OFFICER_GOOD)
        .copied()
}

/// Cue role flags of a token (bit set).
pub const CUE_IS_OFFICER: u8 = 1;
pub const CUE_IS_BAD: u8 = 2;
pub const CUE_IS_GOOD: u8 = 4;

/// Cue role flags of one token.
pub fn cue_flags(token: &str) -> u8 {
    let mut f = 0;
    if OFFICER.contains(&token) {
        f |= CUE_IS_OFFICER;
    }
    if OFFICER_BAD.contains(&token) {
        f |= CUE_IS_BAD;
    }
    if OFFICER_GOOD.contains(&token) {
        f |= CUE_IS_GOOD;
    }
    f
}

/// The cue features (bad, good) of a text given each token's `cue_flags`.
pub fn cues_of_flags(flags: &[u8]) -> [bool; 2] {
    let mut out = [false; 2];
    for (i, f) in flags.iter().enumerate() {
        if f & CUE_IS_OFFICER == 0 {
            continue;
        }
        let window = &flags[i.saturating_sub(4)..(i + 12).min(flags.len())];
        out[0] |= window.iter().any(|w| w & CUE_IS_BAD != 0);
        out[1] |= window.iter().any(|w| w & CUE_IS_GOOD != 0);
    }
    out
}

/// The cue features (bad, good) of a token sequence.
pub fn cue_features(tokens: &[&str]) -> [bool; 2] {
    let flags: Vec<u8> = tokens.iter().map(|t| cue_flags(t)).collect();
    cues_of_flags(&flags)
}

/// Words and bigrams of one normalised text.
#[derive(Debug, Clone, Default)]
pub struct TextFeatures<'a> {
    pub words: Vec<&'a str>,
    pub bigrams: Vec<&'a str>,
    /// Synthetic cue features (`CUE_*`): for the classifier only, never
    /// keywords or cluster evidence.
    pub cues: Vec<&'static str>,
    /// Specific place names (`cluster::place_pieces`): cluster evidence only.
    pub places: Vec<String>,
}

impl<'a> TextFeatures<'a> {
    pub fn new(norm: &'a str, tokens: &[&'a str]) -> Self {
        let mut cues = Vec::new();
        let [bad, good] = cue_features(tokens);
        if bad {
            cues.extend_from_slice(CUE_OFFICER_BAD);
        }
        if good {
            cues.extend_from_slice(CUE_OFFICER_GOOD);
        }
        Self {
            words: content_words(tokens),
            bigrams: char_bigrams(norm),
            cues,
            places: crate::cluster::place_pieces(tokens)
                .into_iter()
                .map(|(p, _, _)| p)
                .collect(),
        }
    }
}

/// Stable 64-bit hash of a feature: model rows, IDF entries and signatures
/// are keyed by it, so it must not change between builds or platforms
/// (unlike std's or Fx's hashers). It reads the text eight bytes at a time
/// (little-endian, overlapping at the end; the length is mixed in first):
/// features are looked up for every token and every character pair of every
/// appeal, and a byte-at-a-time hash was a tenth of the analysis.
#[inline]
pub fn stable_hash(kind: u8, s: &str) -> u64 {
    let b = s.as_bytes();
    let n = b.len();
    // The kind goes into the top byte of the seed and the length is mixed in
    // before the text, so that neither can cancel against the text's bytes
    // (words and bigrams must not collide systematically).
    let mut h = mix(0x243F_6A88_85A3_08D3 ^ (u64::from(kind) << 56), n as u64);
    let (first, last) = if n >= 8 {
        let mut i = 0;
        while n - i > 16 {
            h = mix(h, read_u64(b, i));
            i += 8;
        }
        (read_u64(b, i), read_u64(b, n - 8))
    } else if n >= 4 {
        (u64::from(read_u32(b, 0)), u64::from(read_u32(b, n - 4)))
    } else if n > 0 {
        let x = u64::from(b[0]) << 16 | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]);
        (x, 0)
    } else {
        (0, 0)
    };
    finish(mix(mix(h, first), last))
}

#[inline(always)]
fn read_u64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"))
}

#[inline(always)]
fn read_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes"))
}

#[inline(always)]
fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
}

/// MurmurHash3's 64-bit finaliser: every input bit reaches every output bit.
#[inline(always)]
fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// Key of a content word (model rows, IDF and signatures share it).
#[inline]
pub fn word_key(word: &str) -> u64 {
    stable_hash(0, word)
}

/// Key of a character bigram.
#[inline]
pub fn bigram_key(bigram: &str) -> u64 {
    stable_hash(1, bigram)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED_WORD: u64 = 0x6fd9_89ea_16a8_59cd;
    const PINNED_BIGRAM: u64 = 0x01f0_e754_ca1b_27e3;
    const PINNED_ASCII: u64 = 0xa6c6_66b5_5601_e285;

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
    fn officer_cues_need_a_behaviour_nearby() {
        let seg = crate::segment::Segmenter::new();
        let cues = |t: &str| cue_features(&seg.cut(t));
        assert_eq!(cues("交警开罚单的时候态度很差，还推了我"), [true, false]);
        assert_eq!(cues("谢谢派出所民警帮我找回了钱包"), [false, true]);
        // Disputing an officer's decision is a conduct cue too.
        assert_eq!(
            cues("那个交警做的事故认定我不服，他根本没听我解释"),
            [true, false]
        );
        assert_eq!(cues("我不服，我要起诉他"), [false, false]);
        // A plain mention of the police is no conduct cue.
        assert_eq!(cues("电瓶车被偷了，报了警，民警来拍了照"), [false, false]);
    }

    #[test]
    fn stable_hash_differs_by_kind() {
        assert_ne!(stable_hash(0, "织里"), stable_hash(1, "织里"));
        // No systematic collision between kinds (first byte's low bit flipped).
        let flipped = |s: &str| {
            let mut b = s.as_bytes().to_vec();
            b[0] ^= 1;
            String::from_utf8(b).unwrap()
        };
        for s in ["期的", "电瓶", "织里", "特别"] {
            assert_ne!(stable_hash(1, s), stable_hash(0, &flipped(s)), "{s}");
        }
        assert_eq!(stable_hash(0, "织里"), stable_hash(0, "织里"));
    }

    #[test]
    fn stable_hash_is_pinned_and_separates_lengths_and_overlaps() {
        // Pinned values: every build on every platform must key features alike.
        assert_eq!(stable_hash(0, ""), stable_hash(0, ""));
        let pinned = [
            stable_hash(0, "电瓶车"),
            stable_hash(1, "电瓶"),
            stable_hash(0, "a"),
        ];
        assert_eq!(
            pinned,
            [PINNED_WORD, PINNED_BIGRAM, PINNED_ASCII],
            "the stable hash changed: {pinned:#x?}"
        );
        // Every length path (0–3, 4–7, 8–16, longer) and prefixes of each other.
        let text = "中华人民共和国公安部刑事侦查局织里镇派出所";
        let mut seen = FxHashSet::default();
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                for kind in [0, 1] {
                    assert!(seen.insert(stable_hash(kind, &text[..end])), "{end}");
                }
            }
        }
        for s in [
            "ab",
            "ba",
            "abc",
            "acb",
            "abcd",
            "abdc",
            "0123456789abcdefX",
            "0123456789abcdefY",
        ] {
            assert!(seen.insert(stable_hash(0, s)), "{s}");
        }
    }

    #[test]
    fn shipped_features_do_not_collide() {
        let seed = crate::engine::examples_from_jsonl(crate::classify::SEED_TRAIN).unwrap();
        let seg = crate::segment::Segmenter::new();
        let mut keys: rustc_hash::FxHashMap<u64, String> = Default::default();
        let mut check = |kind: u8, f: &str| {
            let k = stable_hash(kind, f);
            let other = keys.entry(k).or_insert_with(|| format!("{kind}:{f}"));
            assert_eq!(*other, format!("{kind}:{f}"), "hash collision");
        };
        for (t, _) in &seed {
            let n = crate::normalize::normalize(t);
            for w in seg.cut(&n) {
                check(0, w);
            }
            for b in char_bigrams(&n) {
                check(1, b);
            }
        }
        assert!(keys.len() > 10_000, "{}", keys.len());
    }
}
