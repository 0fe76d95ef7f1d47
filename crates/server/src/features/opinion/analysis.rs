//! Text analysis at intake (民意研判 at the door), behind this one function so the rest
//! of the server never depends on how it is done. Today: `police_square_text::TextEngine`
//! (jieba segmentation, trained category model, sentiment, urgency gate).

use std::sync::{Arc, OnceLock, RwLock};

use police_square_domain::{AppealKind, Category, Urgency};
use police_square_store::Id;
use police_square_text::{Polarity, TextEngine};

/// What intake learns from the text.
#[derive(Debug, Clone, PartialEq)]
pub struct TextAnalysis {
    /// A key of the default category set (`theft`, `conduct`, …).
    pub category: String,
    pub confidence: f64,
    /// Low confidence: a person should check the category.
    pub needs_review: bool,
    /// Ongoing danger (urgency gate): the resident is told to call 110 at once.
    pub emergency: bool,
    /// 可能紧急: the gate is unsure (true whenever `emergency` is). Staff see it first
    /// and the resident is told to call 110 if anyone is in danger.
    pub possible_emergency: bool,
    pub urgency: Urgency,
    /// `negative` | `neutral` | `positive`
    pub sentiment: String,
    /// Space-joined tokens for full-text search.
    pub search_text: String,
}

/// The shipped engine (the model is trained from the shipped seed set once per process).
/// Segmentation is the same in every engine, so search and other read paths use this
/// one; classification at intake uses the node's current engine ([`TextModels`]).
pub fn engine() -> &'static TextEngine {
    shipped_arc()
}

fn shipped_arc() -> &'static Arc<TextEngine> {
    static ENGINE: OnceLock<Arc<TextEngine>> = OnceLock::new();
    ENGINE.get_or_init(|| Arc::new(TextEngine::new()))
}

/// The engine a node analyses with: the shipped one, with the admins' dictionary words
/// and the newest model retrained from staff corrections once those exist (reloaded
/// periodically, see `learning::reload`).
pub struct TextModels {
    current: RwLock<Current>,
}

struct Current {
    /// The stored model in use (None: the shipped model).
    model_id: Option<Id>,
    /// The admins' dictionary text the engine was built with.
    dictionary: String,
    engine: Arc<TextEngine>,
}

impl Default for TextModels {
    fn default() -> Self {
        Self {
            current: RwLock::new(Current {
                model_id: None,
                dictionary: String::new(),
                engine: shipped_arc().clone(),
            }),
        }
    }
}

impl TextModels {
    pub fn current(&self) -> Arc<TextEngine> {
        self.current.read().expect("text model lock").engine.clone()
    }

    /// The stored model id and the dictionary text in use.
    pub fn built_from(&self) -> (Option<Id>, String) {
        let c = self.current.read().expect("text model lock");
        (c.model_id, c.dictionary.clone())
    }

    pub fn install(&self, model_id: Option<Id>, dictionary: String, engine: Arc<TextEngine>) {
        *self.current.write().expect("text model lock") = Current {
            model_id,
            dictionary,
            engine,
        };
    }
}

/// Analyse an appeal's text with `engine`.
pub fn analyze(engine: &TextEngine, kind: AppealKind, text: &str) -> TextAnalysis {
    let a = engine.analyze(text);
    let mut category = a.category.as_str().to_owned();
    // The model's `conduct` covers praise of officers too; only complaints and reports
    // about officers go to the confidential supervisors' track.
    if category == Category::CONDUCT && !matches!(kind, AppealKind::Complaint | AppealKind::Report)
    {
        category = "other".into();
    }
    // Praise and suggestions describe no danger, whatever words they quote.
    let describes_danger = !matches!(kind, AppealKind::Praise | AppealKind::Suggestion);
    let emergency = a.emergency.emergency && describes_danger;
    let possible_emergency = emergency || (a.emergency.possible && describes_danger);
    TextAnalysis {
        category,
        confidence: f64::from(a.confidence),
        needs_review: a.low_confidence,
        emergency,
        possible_emergency,
        urgency: if emergency {
            Urgency::Emergency
        } else {
            Urgency::Normal
        },
        sentiment: match a.sentiment.label {
            Polarity::Negative => "negative",
            Polarity::Neutral => "neutral",
            Polarity::Positive => "positive",
        }
        .into(),
        search_text: a.tokens,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danger_now_is_an_emergency_but_past_theft_is_not() {
        let e = analyze(
            engine(),
            AppealKind::Help,
            "救命！现在有人拿着刀在我家楼下砍人，快来！",
        );
        assert!(e.emergency);
        assert!(e.possible_emergency, "an emergency is always possibly one");
        assert_eq!(e.urgency, Urgency::Emergency);
        let t = analyze(
            engine(),
            AppealKind::Report,
            "我的电瓶车昨天晚上在小区楼下被偷了",
        );
        assert!(!t.emergency);
        assert!(!t.possible_emergency);
        assert_eq!(t.category, "theft");
        assert!(!t.search_text.is_empty());
    }

    #[test]
    fn praise_of_officers_is_not_the_conduct_track() {
        let p = analyze(
            engine(),
            AppealKind::Praise,
            "感谢爱山派出所的民警态度很好，耐心帮我办好了",
        );
        assert_ne!(p.category, "conduct");
    }
}
