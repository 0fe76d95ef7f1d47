//! Records of category learning: hand-set categories and the models retrained from them.

use police_square_domain::Millis;
use serde::{Deserialize, Serialize};

use crate::Id;

/// A category set by hand, with the text the model should learn it from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryCorrection {
    pub id: Id,
    pub appeal_id: Id,
    pub text: String,
    pub from_category: Option<String>,
    pub to_category: String,
    pub at: Millis,
}

/// A category model retrained from corrections (serialised by the text crate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextModel {
    pub id: Id,
    pub trained_at: Millis,
    /// The last correction id the model learned from.
    pub corrections_through: Id,
    pub corrections: i64,
    pub model: String,
}
