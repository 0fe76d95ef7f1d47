//! Sentiment (情感倾向): lexicon-based, with negation and intensifiers.
//!
//! Works on segmentation tokens: a negator (不/没/别…) within the two tokens
//! before a sentiment word flips it ("不满意", "态度不好"), an intensifier
//! (很/非常/太…) strengthens it. Emojis count too: residents use them a lot.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Polarity label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Negative,
    Neutral,
    Positive,
}

/// Sentiment of a text: label and a score in [-1, 1].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sentiment {
    pub label: Polarity,
    pub score: f32,
}

const POSITIVE: &[&str] = &[
    "感谢",
    "谢谢",
    "致谢",
    "感激",
    "满意",
    "点赞",
    "表扬",
    "赞",
    "好评",
    "辛苦",
    "热情",
    "耐心",
    "负责",
    "及时",
    "周到",
    "方便",
    "高效",
    "专业",
    "暖心",
    "温暖",
    "贴心",
    "认真",
    "负责任",
    "放心",
    "安心",
    "好",
    "很好",
    "不错",
    "棒",
    "帮助",
    "帮忙",
    "救",
    "锦旗",
    "敬礼",
    "快捷",
    "顺利",
    "开心",
    "高兴",
    "👍",
    "❤️",
    "😊",
    "🙏",
    "赞扬",
    "尽职",
    "称赞",
    "优秀",
    "给力",
];

const NEGATIVE: &[&str] = &[
    "投诉",
    "不满",
    "不满意",
    "不好",
    "不行",
    "不负责",
    "差",
    "很差",
    "恶劣",
    "敷衍",
    "推诿",
    "拖延",
    "不作为",
    "气愤",
    "愤怒",
    "生气",
    "害怕",
    "担心",
    "恐惧",
    "骂",
    "骂人",
    "被骗",
    "骗",
    "偷",
    "被偷",
    "打",
    "殴打",
    "哭",
    "急死",
    "无语",
    "失望",
    "绝望",
    "崩溃",
    "受不了",
    "难受",
    "痛苦",
    "可怕",
    "危险",
    "严重",
    "吵",
    "扰民",
    "烦",
    "糟糕",
    "冷漠",
    "刁难",
    "威胁",
    "欺负",
    "损失",
    "麻烦",
    "焦虑",
    "着急",
    "急",
    "怕",
    "不敢",
    "不管",
    "没人管",
    "迟迟",
    "乱",
    "脏",
    "臭",
    "臭气熏天",
    "噪音",
    "坑",
    "欠",
    "拖欠",
    "不还",
    "霸道",
    "嚣张",
    "😡",
    "🤬",
    "😤",
    "😭",
    "😰",
    "😨",
    "😣",
    "😷",
    "🙄",
    "😢",
    "作孽",
    "白忙",
    "要命",
];

const NEGATORS: &[&str] = &[
    "不", "没", "没有", "未", "别", "并非", "不是", "毫无", "从不", "从没", "无",
];
const INTENSIFIERS: &[&str] = &[
    "很", "非常", "太", "特别", "真", "十分", "极其", "相当", "超", "真的", "好",
];

/// Role of a word in the sentiment lexicon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SentimentRole {
    Polarity(f32),
    Negator,
    Intensifier,
}

/// Every lexicon word with its role (for compiled feature tables).
pub fn lexicon_entries() -> impl Iterator<Item = (&'static str, SentimentRole)> {
    POSITIVE
        .iter()
        .map(|w| (*w, SentimentRole::Polarity(1.0)))
        .chain(NEGATIVE.iter().map(|w| (*w, SentimentRole::Polarity(-1.0))))
        .chain(NEGATORS.iter().map(|w| (*w, SentimentRole::Negator)))
        .chain(
            INTENSIFIERS
                .iter()
                .map(|w| (*w, SentimentRole::Intensifier)),
        )
}

/// Score a text from per-token (polarity, is_negator, is_intensifier, is "好").
/// The same rules as `sentiment_of_tokens`, for callers that looked the
/// tokens up already.
pub fn sentiment_of_roles(roles: &[(f32, bool, bool, bool)]) -> Sentiment {
    let mut total = 0f32;
    for (i, &(base, _, _, is_hao)) in roles.iter().enumerate() {
        if base == 0.0 {
            continue;
        }
        let window = &roles[i.saturating_sub(2)..i];
        let intens = window.iter().any(|r| r.2);
        let neg = window.iter().any(|r| r.1);
        if is_hao && !intens && !neg {
            continue;
        }
        let mut v = base;
        if intens {
            v *= 1.5;
        }
        if neg {
            v = if v > 0.0 { -v } else { -v * 0.5 };
        }
        total += v;
    }
    label_of(total)
}

fn label_of(total: f32) -> Sentiment {
    // Squash to [-1, 1]; a couple of clear cues already give a firm label.
    let score = (total / 2.0).tanh();
    let label = if score <= -0.25 {
        Polarity::Negative
    } else if score >= 0.25 {
        Polarity::Positive
    } else {
        Polarity::Neutral
    };
    Sentiment { label, score }
}

struct Lexicon {
    polarity: FxHashMap<&'static str, f32>,
    negators: FxHashMap<&'static str, ()>,
    intensifiers: FxHashMap<&'static str, ()>,
}

fn lexicon() -> &'static Lexicon {
    static L: OnceLock<Lexicon> = OnceLock::new();
    L.get_or_init(|| {
        let mut polarity = FxHashMap::default();
        for w in POSITIVE {
            polarity.insert(*w, 1.0);
        }
        for w in NEGATIVE {
            polarity.insert(*w, -1.0);
        }
        Lexicon {
            polarity,
            negators: NEGATORS.iter().map(|w| (*w, ())).collect(),
            intensifiers: INTENSIFIERS.iter().map(|w| (*w, ())).collect(),
        }
    })
}

/// Score tokens (from segmentation of normalised text).
pub fn sentiment_of_tokens(tokens: &[&str]) -> Sentiment {
    let lex = lexicon();
    let mut total = 0f32;
    for (i, t) in tokens.iter().enumerate() {
        // "好" alone is mostly an adverb or a greeting (你好, 好几), not praise;
        // only count it right after an intensifier or a negator.
        let Some(&base) = lex.polarity.get(t) else {
            continue;
        };
        let window = &tokens[i.saturating_sub(2)..i];
        if *t == "好"
            && !window
                .iter()
                .any(|w| lex.intensifiers.contains_key(w) || lex.negators.contains_key(w))
        {
            continue;
        }
        let mut v = base;
        if window.iter().any(|w| lex.intensifiers.contains_key(w)) {
            v *= 1.5;
        }
        if window.iter().any(|w| lex.negators.contains_key(w)) {
            // "不满意" is clearly negative, but "没有危险" is only mildly positive.
            v = if v > 0.0 { -v } else { -v * 0.5 };
        }
        total += v;
    }
    label_of(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;
    use crate::segment::Segmenter;

    fn s(seg: &Segmenter, text: &str) -> Sentiment {
        let n = normalize(text);
        sentiment_of_tokens(&seg.cut(&n))
    }

    #[test]
    fn praise_is_positive_complaint_is_negative() {
        let seg = Segmenter::new();
        assert_eq!(
            s(&seg, "民警态度很好，非常感谢，给你们点赞👍").label,
            Polarity::Positive
        );
        assert_eq!(
            s(&seg, "出警太慢，态度恶劣，敷衍了事，我很气愤😡").label,
            Polarity::Negative
        );
    }

    #[test]
    fn negation_flips() {
        let seg = Segmenter::new();
        let plain = s(&seg, "我对处理结果满意");
        let negated = s(&seg, "我对处理结果不满意");
        assert_eq!(plain.label, Polarity::Positive);
        assert!(negated.score < 0.0, "{negated:?}");
        assert_eq!(s(&seg, "态度不好").label, Polarity::Negative);
    }

    #[test]
    fn plain_question_is_neutral() {
        let seg = Segmenter::new();
        assert_eq!(
            s(&seg, "你好，请问身份证在哪里办理").label,
            Polarity::Neutral
        );
    }
}
