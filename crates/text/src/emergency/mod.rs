//! Emergency signal (紧急研判) for the intake urgency gate.
//!
//! An appeal is an emergency when it describes danger that is happening *now*:
//! a break-in in progress, smoke from a neighbour's door, an elder with
//! dementia gone for hours on a cold night, a parent still on the phone with a
//! "prosecutor" at the bank counter. Residents say these through the situation
//! more often than through alarm words, so the gate recognises situations
//! (`frames`: who, what state, what act) built from small interchangeable parts
//! (`lexicon`), then reads the time (`time`): past events, settled outcomes,
//! questions, hypotheticals, chronic nuisances, hearsay and thanks lower the
//! score; no time word at all reads as now. Recall matters more than precision
//! here: a false alarm costs a glance, a miss can cost a life.

mod frames;
mod lexicon;
mod model;
pub mod time;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::matcher::PhraseMatcher;

pub use frames::Frame;
use lexicon::{is_cue, C, CONCEPTS, GROUPS, PAIRS};
pub use time::{Reading, TimeReading};

/// A phrase's payload: its concept, a second concept (the same when it has
/// one) and its weight.
type Payload = (C, C, f32);

fn matcher() -> &'static PhraseMatcher<Payload> {
    static M: OnceLock<PhraseMatcher<Payload>> = OnceLock::new();
    M.get_or_init(|| {
        let mut m = PhraseMatcher::new();
        for (phrase, a, b) in PAIRS {
            m.insert(phrase, (*a, *b, 1.0));
        }
        for (concept, weight, phrases) in GROUPS {
            for p in *phrases {
                m.insert(p, (*concept, *concept, *weight));
            }
        }
        m
    })
}

/// The concepts found in a text: which, how strongly, and the phrases that
/// carried the danger and immediacy ones (for `cues`).
pub(crate) struct Found<'a> {
    mask: u64,
    weights: [f32; CONCEPTS],
    phrases: Vec<&'a str>,
}

impl Found<'_> {
    fn has(&self, c: C) -> bool {
        self.mask & (1 << c as u8) != 0
    }

    fn weight(&self, c: C) -> f32 {
        self.weights[c as usize]
    }
}

/// Find the concepts of a normalised text. A phrase repeated counts once.
pub(crate) fn scan(norm: &str) -> Found<'_> {
    let mut found = Found {
        mask: 0,
        weights: [0.0; CONCEPTS],
        phrases: Vec::new(),
    };
    let mut seen: Vec<&str> = Vec::new();
    for hit in matcher().find_maximal(norm) {
        let phrase = &norm[hit.start..hit.end];
        if seen.contains(&phrase) {
            continue;
        }
        seen.push(phrase);
        let (a, b, weight) = hit.value;
        // "没找到人" is not "找到人", "还好没烧起来" is no fire: a settled
        // outcome or a danger negated is none.
        if (a == C::Settled || is_cue(a) && a != C::Now) && negated(norm, hit.start) {
            continue;
        }
        found.mask |= 1 << a as u8 | 1 << b as u8;
        found.weights[a as usize] += weight;
        if b != a {
            found.weights[b as usize] += weight;
        }
        if is_cue(a) || is_cue(b) {
            found.phrases.push(phrase);
        }
    }
    if has_calendar_date(norm) {
        found.mask |= 1 << C::Past as u8;
        found.weights[C::Past as usize] += 1.0;
    }
    found
}

/// Whether the character before `at` negates what follows (没, 未, 不).
fn negated(norm: &str, at: usize) -> bool {
    matches!(norm[..at].chars().next_back(), Some('没' | '未' | '不' | '弗'))
}

/// Whether the text names a calendar date ("3月21日", "1月上旬", "5月14号"):
/// residents in danger say 刚才 or 现在; a date places the event in the past.
fn has_calendar_date(norm: &str) -> bool {
    norm.match_indices('月').any(|(i, _)| {
        let before = norm[..i].chars().next_back();
        let after = norm[i + '月'.len_utf8()..].chars().next();
        let _ = after;
        before.is_some_and(|c| c.is_ascii_digit())
    })
}

/// Result of the urgency gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmergencySignal {
    pub emergency: bool,
    /// 可能紧急: the gate is unsure. Staff see it at the top of the inbox and the
    /// resident is told to call 110 if anyone is in danger. True whenever
    /// `emergency` is.
    pub possible: bool,
    /// 0 = no sign of ongoing danger; ≥ `EMERGENCY_THRESHOLD` = emergency.
    pub score: f32,
    /// What fired: the danger and immediacy phrases found, the situation
    /// frames (`frame:…`) and, when it lowered the score, the time reading
    /// (`time:past`, `time:settled`, …).
    pub cues: Vec<String>,
}

/// Score at which the gate fires.
pub const EMERGENCY_THRESHOLD: f32 = 1.0;

/// Score from which an appeal is shown as possibly urgent (可能紧急).
pub const POSSIBLE_THRESHOLD: f32 = 0.5;

fn tuning_knobs() -> (f32, f32) {
    static K: OnceLock<(f32, f32)> = OnceLock::new();
    *K.get_or_init(|| {
        let get = |n: &str, d: f32| std::env::var(n).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
        (get("EK", 0.3), get("ET0", 1.5))
    })
}

/// Detect ongoing danger in a normalised text.
pub fn detect(norm: &str) -> EmergencySignal {
    let found = scan(norm);
    let mut frames = frames::frames(&found);
    let learned = model::model().score(norm);
    let (k, t0) = tuning_knobs();
    if learned > t0 {
        frames.push((Frame::Learned, k * (learned - t0)));
    }
    let danger = frames::danger(&frames);
    let time = time::read(&found);
    // Saying "now" insistently adds a little; other readings take off.
    let score = (danger * (1.0 + 0.1 * time.now) - time.penalty).max(0.0);
    let mut cues: Vec<String> = Vec::new();
    if danger > 0.0 {
        cues.extend(found.phrases.iter().map(|p| p.to_string()));
        cues.extend(frames.iter().map(|(f, _)| f.as_str().to_string()));
        if time.reading != Reading::Now {
            cues.push(format!("time:{}", time.reading.as_str()));
        }
    }
    EmergencySignal {
        emergency: score >= EMERGENCY_THRESHOLD,
        possible: score >= POSSIBLE_THRESHOLD,
        score,
        cues,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn gate(t: &str) -> bool {
        detect(&normalize(t)).emergency
    }

    #[test]
    fn ongoing_danger_fires() {
        for t in [
            "喂110吗，楼下有人拿着刀追着人砍，快点来！",
            "对面楼着火了，浓烟很大，快来人",
            "我孩子刚刚在公园门口不见了，五岁，你们快来",
            "有个女的站在桥栏杆外面一直哭，好像要跳下去，快派人来",
            "现在有人在撬我邻居家的门，快来",
        ] {
            assert!(gate(t), "should fire: {t} {:?}", detect(&normalize(t)));
        }
    }

    #[test]
    fn past_or_chronic_events_do_not_fire() {
        for t in [
            "昨天晚上我停在楼下的电瓶车被偷了",
            "网吧门口经常有一帮小青年打架，希望多巡逻",
            "上个月走失的老人已经找到了，感谢民警",
            "楼道里停满电瓶车，万一着火跑不掉",
            "请问身份证在哪里办",
        ] {
            assert!(!gate(t), "should not fire: {t} {:?}", detect(&normalize(t)));
        }
    }

    #[test]
    fn general_wording_fires_and_fragments_do_not() {
        for t in [
            "菜场门口有个老人晕倒了，叫不醒，快过来",
            "前面那辆车开得歪歪扭扭的，司机好像酒驾，赶紧派人拦",
            "我邻居说不想活了，现在要喝农药，求求你们快来",
        ] {
            assert!(gate(t), "should fire: {t} {:?}", detect(&normalize(t)));
        }
        for t in [
            "民警不应该这种态度，现在还没人回复我",
            "小孩要转学，户口现在怎么迁",
        ] {
            assert!(!gate(t), "should not fire: {t} {:?}", detect(&normalize(t)));
        }
    }

    #[test]
    fn score_grows_with_immediacy() {
        let calm = detect(&normalize("有人打架"));
        let urgent = detect(&normalize("现在有人打架，快来"));
        assert!(urgent.score > calm.score);
        assert!(urgent.cues.iter().any(|c| c == "打架"));
    }
}
