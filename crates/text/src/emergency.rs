//! Emergency signal (紧急研判) for the intake urgency gate.
//!
//! An appeal is an emergency when it describes danger that is happening *now*:
//! a break-in in progress, a fire, a fight, someone hurt or threatening to jump,
//! a child just gone missing. The same words about the past ("昨天被偷了",
//! "已经找到了") or a chronic nuisance ("经常有人打架") are not. So the score
//! combines danger cues with immediacy cues and discounts past/settled cues.
//! Recall matters more than precision here: a false alarm costs a glance,
//! a miss can cost a life.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::matcher::PhraseMatcher;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cue {
    Danger(f32),
    Now(f32),
    Past(f32),
}

const DANGER: &[(&str, f32)] = &[
    ("打架", 1.2),
    ("打起来", 1.5),
    ("打人", 1.0),
    ("在打", 1.2),
    ("打我", 1.3),
    ("砍", 1.5),
    ("持刀", 1.5),
    ("拿刀", 1.5),
    ("拿着刀", 1.5),
    ("菜刀", 1.2),
    ("棍子", 0.8),
    ("抡", 0.8),
    ("酒瓶", 0.8),
    ("砸", 0.8),
    ("捅", 1.5),
    ("杀人", 1.5),
    ("要杀", 1.2),
    ("挟持", 1.5),
    ("劫持", 1.5),
    ("绑架", 1.5),
    ("拖上车", 1.0),
    ("抢劫", 1.5),
    ("抢了", 1.0),
    ("撬锁", 1.0),
    ("撬门", 1.0),
    ("在撬", 1.5),
    ("在偷", 1.5),
    ("割电缆", 1.0),
    ("家伙", 0.6),
    ("着火", 1.5),
    ("起火", 1.5),
    ("火灾", 1.0),
    ("冒烟", 0.8),
    ("浓烟", 1.2),
    ("烧起来", 1.5),
    ("火越来越大", 1.5),
    ("越烧越大", 1.5),
    ("冒火", 1.5),
    ("失火", 1.5),
    ("烧着了", 1.2),
    ("在烧", 1.2),
    ("火很大", 1.2),
    ("爆炸", 1.5),
    ("煤气泄漏", 1.5),
    ("泄漏", 1.0),
    ("煤气味", 1.0),
    ("烟很大", 1.0),
    ("跳楼", 1.5),
    ("跳下去", 1.5),
    ("跳河", 1.5),
    ("轻生", 1.5),
    ("自杀", 1.5),
    ("不想活", 1.5),
    ("安眠药", 1.0),
    ("喝农药", 1.5),
    ("割腕", 1.5),
    ("要跳", 1.2),
    ("栏杆外", 1.2),
    ("流血", 1.2),
    ("好多血", 1.5),
    ("有血", 1.0),
    ("倒在地上", 1.0),
    ("倒地", 1.0),
    ("躺在地上", 1.0),
    ("不动了", 1.2),
    ("昏迷", 1.2),
    ("叫不醒", 1.0),
    ("没反应", 0.8),
    ("没有反应", 0.8),
    ("没意识", 1.0),
    ("晕倒", 1.0),
    ("晕过去", 1.0),
    ("抽搐", 1.0),
    ("没气了", 1.2),
    ("没呼吸", 1.2),
    ("出不来", 1.0),
    ("被困", 1.2),
    ("困在", 0.8),
    ("侧翻", 1.0),
    ("撞了", 0.6),
    ("撞倒", 0.8),
    ("喝了酒", 0.6),
    ("喝多了", 0.6),
    ("喝醉", 0.6),
    ("醉驾", 0.8),
    // Erratic or drunk driving, in the words callers use for it.
    ("酒驾", 0.8),
    ("醉醺醺", 0.6),
    ("左右晃", 0.8),
    ("晃来晃去", 0.6),
    ("歪歪扭扭", 0.8),
    ("蛇形", 0.8),
    ("逆行", 0.6),
    ("逃逸", 0.6),
    ("掉进去", 1.0),
    ("塌", 0.8),
    ("电线", 0.4),
    ("火星", 1.0),
    ("火花", 0.8),
    ("不见了", 1.0),
    ("找不到了", 1.0),
    ("人没了", 1.2),
    ("走丢", 0.8),
    ("走失", 0.6),
    ("救命", 1.5),
    ("救救", 1.2),
    ("家暴", 0.8),
    ("掐", 0.8),
    ("安全账户", 0.8),
    ("转账", 0.3),
    ("追着", 0.8),
    ("踢", 0.8),
    ("受伤", 0.6),
    ("快不行了", 1.5),
    ("溺水", 1.5),
    ("掉河里", 1.5),
    ("落水", 1.5),
    ("掉水里", 1.5),
    ("掉进河", 1.5),
    ("被淹", 1.2),
    ("要出人命", 1.2),
    ("出人命", 1.0),
    ("要出事", 0.8),
    ("不敢出去", 0.8),
    ("不敢过去", 0.6),
];

const NOW: &[(&str, f32)] = &[
    ("现在", 1.0),
    ("正在", 1.0),
    ("刚刚", 1.0),
    ("刚才", 1.0),
    ("快来", 1.0),
    ("快点", 0.8),
    ("赶紧", 0.8),
    ("赶快", 0.8),
    ("快派人", 1.0),
    ("马上", 0.6),
    ("还在", 0.8),
    ("快快", 1.0),
    ("求求你们", 0.8),
    ("求你们", 0.6),
    ("110吗", 1.0),
    ("喂110", 1.0),
    ("此刻", 1.0),
    ("这会儿", 1.0),
    ("一转身", 1.0),
    ("分钟前", 1.0),
    ("到现在还没", 0.8),
    ("快去", 0.8),
    ("拦一下", 0.8),
    ("快拦", 1.0),
    ("快帮", 0.8),
    ("快过来", 1.0),
    ("十万火急", 1.0),
    ("来不及了", 0.8),
    ("快救", 1.0),
];

const PAST: &[(&str, f32)] = &[
    ("昨天", 1.0),
    ("昨晚", 1.0),
    ("前天", 1.0),
    ("上周", 1.0),
    ("上个礼拜", 1.0),
    ("上个月", 1.0),
    ("去年", 1.0),
    ("前几天", 1.0),
    ("那天", 0.8),
    ("当时", 0.8),
    ("事后", 1.0),
    ("后来", 0.8),
    ("找到了", 1.5),
    ("被找到", 1.5),
    ("已于", 1.0),
    ("已登记", 1.0),
    ("已告知", 1.0),
    ("已指引", 1.0),
    ("已转", 1.0),
    ("至今", 1.0),
    ("建议", 1.0),
    ("感谢", 1.0),
    ("表扬", 1.0),
    ("曾经", 0.8),
    ("之前", 0.6),
    ("多次", 0.8),
    ("经常", 1.0),
    ("每天", 1.0),
    ("天天", 1.0),
    ("每晚", 1.0),
    ("一直", 0.5),
    ("持续", 0.8),
    ("反映", 0.8),
    ("近期", 1.0),
    ("近日", 1.0),
    ("人没事", 1.0),
    ("无大碍", 1.5),
    ("没有受伤", 1.0),
    ("请问", 0.8),
    ("怎么办", 0.5),
    ("万一", 1.0),
    ("有没有", 0.5),
    ("能不能", 0.3),
    ("是不是", 0.5),
];

fn matcher() -> &'static PhraseMatcher<Cue> {
    static M: OnceLock<PhraseMatcher<Cue>> = OnceLock::new();
    M.get_or_init(|| {
        let mut m = PhraseMatcher::new();
        for (p, w) in DANGER {
            m.insert(p, Cue::Danger(*w));
        }
        for (p, w) in NOW {
            m.insert(p, Cue::Now(*w));
        }
        for (p, w) in PAST {
            m.insert(p, Cue::Past(*w));
        }
        m
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
    /// The danger and immediacy phrases that were found.
    pub cues: Vec<String>,
}

/// Score at which the gate fires.
pub const EMERGENCY_THRESHOLD: f32 = 1.0;

/// Score from which an appeal is shown as possibly urgent (可能紧急).
pub const POSSIBLE_THRESHOLD: f32 = 0.5;

/// Detect ongoing danger in a normalised text.
pub fn detect(norm: &str) -> EmergencySignal {
    let mut danger = 0f32;
    let mut now = 0f32;
    let mut past = 0f32;
    let mut cues: Vec<String> = Vec::new();
    for hit in matcher().find_all(norm) {
        let phrase = &norm[hit.start..hit.end];
        let fresh = !cues.iter().any(|c| c == phrase);
        match hit.value {
            Cue::Danger(w) if fresh => {
                danger += w;
                cues.push(phrase.to_string());
            }
            Cue::Now(w) if fresh => {
                now += w;
                cues.push(phrase.to_string());
            }
            Cue::Past(w) => past += w,
            _ => {}
        }
    }
    let danger = danger.min(3.0);
    // Without an immediacy cue danger words mostly describe the past.
    let immediacy = if now <= 0.0 {
        0.35
    } else {
        (0.8 + 0.3 * now).min(1.5)
    };
    // Past cues weigh less the more insistently the caller says "now".
    let penalty = 0.4 * past.min(4.0) / (1.0 + now);
    let score = (danger * immediacy - penalty).max(0.0);
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
