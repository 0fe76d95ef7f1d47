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
];
/// What officers did, as residents praise it.
const OFFICER_GOOD: &[&str] = &[
    "感谢", "谢谢", "表扬", "锦旗", "点赞", "耐心", "辛苦", "热情", "尽职", "致谢", "谢意", "好评",
    "公道",
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
        }
    }
}

/// Stable 64-bit FNV-1a hash: signatures may be stored, so the hash must not
/// change between builds or platforms (unlike std's or Fx's hashers).
#[inline]
pub fn stable_hash(kind: u8, s: &str) -> u64 {
    // The kind is hashed as a leading byte of its own. (XOR-ing it into the
    // offset basis instead made kind 1 of a string equal kind 0 of the same
    // string with the low bit of its first byte flipped: words and bigrams
    // collided systematically.)
    let mut h: u64 = (0xcbf2_9ce4_8422_2325 ^ u64::from(kind)).wrapping_mul(0x0000_0100_0000_01b3);
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
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
}
