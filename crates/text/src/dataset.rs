//! Labelled appeals in JSONL (标注数据): the format of the evaluation files
//! (`id, text, channel, kind, category, urgency, district, submitted_at, cluster`).
//! All fields but `text` are optional so that partial files (e.g. the seed set
//! without timestamps) parse too.

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use crate::classify::DefaultCategory;
use crate::error::TextError;

/// One labelled appeal.
#[derive(Debug, Clone, Deserialize)]
pub struct LabeledAppeal {
    #[serde(default)]
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub channel: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub urgency: Option<String>,
    #[serde(default)]
    pub district: Option<String>,
    #[serde(default)]
    pub submitted_at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub cluster: Option<String>,
    /// The register a text is written in (hotline, dialect, …): a tag of the
    /// urgency gate's own evaluation files (`data/eval/emergency-*.jsonl`).
    #[serde(default)]
    pub register: Option<String>,
    /// The 110 scenario of such a file's line (fire, missing elder, …).
    #[serde(default)]
    pub scenario: Option<String>,
}

impl LabeledAppeal {
    /// The labelled category, if present and known.
    pub fn category(&self) -> Option<DefaultCategory> {
        self.category.as_deref().and_then(DefaultCategory::parse)
    }

    /// Whether the label says emergency.
    pub fn is_emergency(&self) -> bool {
        self.urgency.as_deref() == Some("emergency")
    }
}

/// Parse JSONL text; blank lines are skipped, a bad line is an error.
pub fn parse_jsonl(text: &str) -> Result<Vec<LabeledAppeal>, TextError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| TextError::Jsonl {
                line: i + 1,
                reason: e.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_and_partial_lines() {
        let text = r#"{"id":"a","text":"电瓶车被偷","category":"theft","urgency":"normal","district":"吴兴区","submitted_at":"2026-04-24T09:20:13+08:00","cluster":null}

{"text":"只有正文"}"#;
        let rows = parse_jsonl(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].category(), Some(DefaultCategory::Theft));
        assert!(rows[0].submitted_at.is_some());
        assert!(!rows[0].is_emergency());
        assert_eq!(rows[1].category(), None);
    }

    #[test]
    fn reports_bad_line_number() {
        let err = parse_jsonl("{\"text\":\"a\"}\nnot json").unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }

    #[test]
    fn shipped_seed_set_parses_with_known_categories() {
        let rows = parse_jsonl(crate::classify::SEED_TRAIN).unwrap();
        assert!(rows.len() >= 13 * 200);
        assert!(rows.iter().all(|r| r.category().is_some()));
    }
}
