//! External departments (转交 targets) and reply templates.

use police_square_domain::AppealKind;
use serde::{Deserialize, Serialize};

use crate::Id;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub id: Id,
    pub name: String,
    pub contact: String,
    /// Retired departments keep their hand-offs but receive no new ones.
    #[serde(default)]
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyTemplate {
    pub id: Id,
    pub title: String,
    pub body: String,
    /// The appeal kinds it fits (empty: any kind).
    #[serde(default)]
    pub kinds: Vec<AppealKind>,
    /// The category keys it fits (empty: any category).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Retired templates are no longer offered to handlers.
    #[serde(default)]
    pub retired: bool,
}

impl ReplyTemplate {
    /// Whether it suits an appeal of this kind and category (an empty list fits all).
    pub fn fits(&self, kind: AppealKind, category: Option<&str>) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&kind))
            && (self.categories.is_empty()
                || category.is_some_and(|c| self.categories.iter().any(|t| t == c)))
    }
}

/// A reply template to create (see [`ReplyTemplate`]).
#[derive(Debug, Clone, Default)]
pub struct NewReplyTemplate {
    pub title: String,
    pub body: String,
    pub kinds: Vec<AppealKind>,
    pub categories: Vec<String>,
}
