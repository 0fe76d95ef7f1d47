//! Situation frames (情境): small combinations of concepts that mean danger
//! whatever the words — a vulnerable person + missing + hours or night; a
//! person + a road + lying; a fraud + still on the phone or at the bank. Each
//! frame gives a strength; the gate takes the strongest and a little of the
//! next, so two signs of danger together count for more than one.

use super::lexicon::C;
use super::Found;

/// A situation the gate recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame {
    Violence,
    Intrusion,
    Robbery,
    Fire,
    Gas,
    SelfHarm,
    Missing,
    Traffic,
    DrunkDriving,
    Fraud,
    Trapped,
    Captive,
    Stalking,
    Threat,
    Water,
    Medical,
    Hazard,
    Crowd,
    Animal,
    CryForHelp,
    /// The learned model's evidence (`model.rs`).
    Learned,
}

impl Frame {
    /// The frame's name in `EmergencySignal::cues` (prefixed `frame:`).
    pub fn as_str(self) -> &'static str {
        match self {
            Frame::Violence => "frame:violence",
            Frame::Intrusion => "frame:intrusion",
            Frame::Robbery => "frame:robbery",
            Frame::Fire => "frame:fire",
            Frame::Gas => "frame:gas",
            Frame::SelfHarm => "frame:self_harm",
            Frame::Missing => "frame:missing_person",
            Frame::Traffic => "frame:person_on_road",
            Frame::DrunkDriving => "frame:drunk_driving",
            Frame::Fraud => "frame:fraud_under_way",
            Frame::Trapped => "frame:trapped",
            Frame::Captive => "frame:held_captive",
            Frame::Stalking => "frame:followed",
            Frame::Threat => "frame:threat",
            Frame::Water => "frame:in_water",
            Frame::Medical => "frame:collapsed",
            Frame::Hazard => "frame:hazard",
            Frame::Crowd => "frame:crowd",
            Frame::Animal => "frame:animal",
            Frame::CryForHelp => "frame:cry_for_help",
            Frame::Learned => "frame:learned",
        }
    }
}

/// The frames that fire on a text's concepts, each with its strength.
pub(super) fn frames(f: &Found) -> Vec<(Frame, f32)> {
    let mut out = Vec::new();
    let mut push = |frame, s: f32| {
        if s > 0.0 {
            out.push((frame, s));
        }
    };
    let has = |c| f.has(c);
    let bonus = |c, w: f32| if f.has(c) { w } else { 0.0 };

    if has(C::Fight) {
        push(
            Frame::Violence,
            0.5 + 0.5 * f.weight(C::Fight).min(1.0)
                + bonus(C::Weapon, 0.35)
                + bonus(C::Injury, 0.3)
                + bonus(C::HelpCry, 0.2),
        );
    } else if has(C::Weapon) && has(C::Now) {
        // Someone armed, now: "拿着一把刀在那挥，旁边的人都在跑".
        push(Frame::Violence, 0.95 + bonus(C::Injury, 0.3));
    }
    if has(C::Intrude) {
        push(Frame::Intrusion, 1.0 + bonus(C::Now, 0.2));
    }
    if has(C::Rob) {
        push(Frame::Robbery, 1.0 + bonus(C::Weapon, 0.3));
    }
    if has(C::Fire) {
        // Cooking fumes, cigarettes and fireworks explain weak smoke words away.
        let w = f.weight(C::Fire).min(2.0);
        let s = if has(C::FireBenign) && w < 1.2 {
            0.35 * w
        } else {
            0.4 + 0.75 * w
        };
        push(Frame::Fire, s.min(1.7));
    }
    if has(C::Gas) || (has(C::GasThing) && has(C::Smell)) {
        push(Frame::Gas, 1.1 + bonus(C::Medical, 0.3));
    }
    if has(C::SelfHarm) {
        push(Frame::SelfHarm, 1.2 + bonus(C::HighPlace, 0.2));
    } else if has(C::HighPlace) && (has(C::HelpCry) || has(C::Lying)) {
        // Someone sitting or standing at a roof's edge or on a bridge's rail.
        push(Frame::SelfHarm, 1.0);
    } else if has(C::HighPlace) && has(C::Now) {
        push(Frame::SelfHarm, 0.7);
    }
    // "钥匙找不到了" is a thing; a person may be missing with their things.
    if has(C::Missing) && (has(C::Vulnerable) || !has(C::Thing)) {
        let s = 0.6
            + bonus(C::Vulnerable, 0.45)
            + bonus(C::Duration, 0.25)
            + bonus(C::Aggravator, 0.25)
            + bonus(C::Now, 0.15);
        push(Frame::Missing, s);
    }
    let on_road = has(C::Road) || has(C::Crash);
    if on_road && (has(C::Lying) || has(C::Injury) || has(C::Trapped)) {
        push(
            Frame::Traffic,
            1.05 + bonus(C::Crash, 0.2) + bonus(C::Injury, 0.2),
        );
    } else if has(C::Crash) && has(C::Road) {
        push(Frame::Traffic, 0.6);
    }
    if has(C::Erratic) || (has(C::Drunk) && has(C::Drive)) {
        push(
            Frame::DrunkDriving,
            0.85 + bonus(C::Drive, 0.25) + bonus(C::Drunk, 0.2) + bonus(C::Erratic, 0.15),
        );
    }
    // A fraud under way: a fraud marker and the victim still in it (on the
    // phone, at the counter, in the app), or a clear marker and "now".
    let mark = f.weight(C::FraudMark);
    if mark > 0.0 && (has(C::FraudLive) || (has(C::Now) && mark >= 1.0) || mark >= 2.0) {
        push(
            Frame::Fraud,
            1.0 + 0.15 * f.weight(C::FraudLive).min(3.0) + bonus(C::Money, 0.15),
        );
    } else if has(C::Money) && has(C::FraudLive) {
        push(Frame::Fraud, 0.8 + bonus(C::Now, 0.25));
    } else if mark > 0.0 {
        push(Frame::Fraud, 0.35);
    }
    if has(C::Trapped) && !has(C::Benign) {
        push(Frame::Trapped, 1.05);
    }
    if has(C::Captive) {
        push(Frame::Captive, 1.05);
    }
    if has(C::Stalk) {
        push(Frame::Stalking, 1.05);
    }
    if has(C::Threat) {
        // "对方还威胁我" in a dispute is no emergency; a threat with a weapon,
        // "now" or someone at the door is.
        let backed = has(C::Weapon) || has(C::Now) || has(C::Stalk);
        push(
            Frame::Threat,
            if backed {
                1.0 + bonus(C::Weapon, 0.3)
            } else {
                0.6
            },
        );
    }
    if has(C::Water) {
        push(Frame::Water, 1.2);
    }
    if has(C::Medical) {
        push(Frame::Medical, 1.15 + bonus(C::Injury, 0.2));
    } else if has(C::Injury) {
        push(Frame::Medical, 0.75);
    }
    if has(C::Hazard) {
        push(Frame::Hazard, 1.0);
    }
    if has(C::Crowd) {
        push(Frame::Crowd, 1.0);
    }
    if has(C::Animal) {
        push(Frame::Animal, 1.0 + bonus(C::Injury, 0.2));
    }
    if has(C::HelpCry) {
        push(Frame::CryForHelp, 0.6);
    }
    out
}

/// The danger of a set of frames: the strongest plus a quarter of the next.
pub(super) fn danger(frames: &[(Frame, f32)]) -> f32 {
    let (mut first, mut second) = (0f32, 0f32);
    for &(_, s) in frames {
        if s > first {
            second = first;
            first = s;
        } else if s > second {
            second = s;
        }
    }
    first + 0.25 * second
}
