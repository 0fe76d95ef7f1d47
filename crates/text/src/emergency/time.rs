//! Time reasoning (时间研判): is the danger happening now, or is the text about
//! the past, a settled outcome, a question, a hypothetical, a chronic nuisance,
//! hearsay, thanks or a suggestion? Residents in danger rarely write a time
//! word at all ("菜场后面一排铺子烧起来了"), so the default is *now*; the
//! markers of other readings lower the score, and insisting on "now" (现在,
//! 还在, 快来) weakens every reading but a settled outcome.

use super::lexicon::C;
use super::Found;

/// How the text places its events in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// No marker either way, or markers of now only.
    Now,
    /// The danger is over (找到了, 已经灭了, 没事了).
    Settled,
    /// Yesterday, last month, years ago.
    Past,
    /// A question or a consultation (请问, 怎么办理).
    Question,
    /// 万一, 如果, 隐患.
    Hypothetical,
    /// 经常, 每天, 好几次.
    Chronic,
    /// 听说, 新闻, 网上传.
    Hearsay,
    /// Thanks, praise or a suggestion.
    Feedback,
}

impl Reading {
    pub fn as_str(self) -> &'static str {
        match self {
            Reading::Now => "now",
            Reading::Settled => "settled",
            Reading::Past => "past",
            Reading::Question => "question",
            Reading::Hypothetical => "hypothetical",
            Reading::Chronic => "chronic",
            Reading::Hearsay => "hearsay",
            Reading::Feedback => "feedback",
        }
    }
}

/// The time reading of a text and what it does to the score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeReading {
    /// The strongest reading other than now, or `Now`.
    pub reading: Reading,
    /// How insistently the text says "now" (0 = not at all).
    pub now: f32,
    /// What the other readings take off the danger score.
    pub penalty: f32,
}

/// Weight of each reading's markers in the penalty. A settled outcome weighs
/// most and is not excused by "now" words: "刚才…已经没事了" is over.
const WEIGHTS: [(C, Reading, f32, bool); 9] = [
    (C::Settled, Reading::Settled, 1.1, false),
    (C::Past, Reading::Past, 0.75, true),
    (C::Question, Reading::Question, 0.45, true),
    (C::Hypothetical, Reading::Hypothetical, 0.8, true),
    (C::Chronic, Reading::Chronic, 0.7, true),
    (C::Hearsay, Reading::Hearsay, 0.9, true),
    (C::Praise, Reading::Feedback, 0.9, true),
    (C::Suggestion, Reading::Feedback, 0.6, true),
    (C::Refused, Reading::Settled, 0.9, false),
];

/// Read the time of the concepts found in a text.
pub(super) fn read(found: &Found) -> TimeReading {
    let now = found.weight(C::Now).min(3.0);
    // "Now" words excuse other readings, but never wholly.
    let excuse = 1.0 + 0.6 * now;
    let mut penalty = 0.0;
    let mut reading = Reading::Now;
    let mut strongest = 0.0;
    for (concept, r, w, excusable) in WEIGHTS {
        let n = found.weight(concept);
        if n <= 0.0 {
            continue;
        }
        // A second marker of the same reading adds less than the first.
        let p = w * (1.0 + 0.5 * (n.min(3.0) - 1.0)) / if excusable { excuse } else { 1.0 };
        penalty += p;
        if p > strongest {
            strongest = p;
            reading = r;
        }
    }
    TimeReading {
        reading,
        now,
        penalty,
    }
}

#[cfg(test)]
mod tests {
    use super::super::scan;
    use super::*;
    use crate::normalize::normalize;

    fn reading(t: &str) -> TimeReading {
        read(&scan(&normalize(t)))
    }

    #[test]
    fn no_marker_reads_as_now() {
        let r = reading("菜场后面一排铺子烧起来了");
        assert_eq!(r.reading, Reading::Now);
        assert_eq!(r.penalty, 0.0);
    }

    #[test]
    fn each_other_reading_is_recognised() {
        for (t, want) in [
            ("昨天晚上我家电瓶车被偷了", Reading::Past),
            ("上个月走失的老人已经找到了", Reading::Settled),
            ("请问身份证丢了怎么补办", Reading::Question),
            ("楼道里堆满杂物，万一着火就完了", Reading::Hypothetical),
            ("网吧门口经常有人打架", Reading::Chronic),
            ("听说镇上有人被砍了", Reading::Hearsay),
            ("感谢民警帮我找回走失的爷爷", Reading::Settled),
            ("有人打电话说我涉嫌洗钱，我没理他直接挂了", Reading::Settled),
        ] {
            assert_eq!(reading(t).reading, want, "{t}");
            assert!(reading(t).penalty > 0.3, "{t}");
        }
    }

    #[test]
    fn insisting_on_now_excuses_the_past_but_not_a_settled_outcome() {
        let past = reading("上个礼拜刚被偷过一次");
        let past_now = reading("上个礼拜刚被偷过一次，现在又有人在割电缆，快来");
        assert!(past_now.now > 0.0);
        assert!(past_now.penalty < past.penalty);
        let settled = reading("孩子已经找到了");
        let settled_now = reading("刚刚孩子找到了");
        assert!(settled_now.penalty >= 0.9 * settled.penalty);
    }

    #[test]
    fn ongoing_missing_is_not_read_as_settled() {
        // "还没回来" and "还没找到" must not be read as 回来了 / 找到了.
        for t in ["我外婆到现在还没回来", "找了一个小时还没找到"] {
            assert_ne!(reading(t).reading, Reading::Settled, "{t}");
        }
    }
}
