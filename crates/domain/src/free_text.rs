//! Free text a person types into a form or an API body — a reason, a note, a comment,
//! a reply, a name — and the length limit of each kind. The limit is part of the type,
//! so the service that checks it, the page that pre-checks it and the form's
//! `maxlength` read the same number.

use crate::error::DomainError;

/// Trimmed, non-empty text of at most `MAX` characters, without control characters
/// other than line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeText<const MAX: usize>(String);

/// A resident's name (姓名) on an appeal.
pub type PersonName = FreeText<50>;
/// A resident's address on an appeal, or a department's contact line.
pub type AddressLine = FreeText<200>;
/// A short title: a department's name, a reply template's title.
pub type Title = FreeText<100>;
/// What staff or a resident write beside an action: a transfer, hand-off or
/// rejection reason, a receipt, a review or rating comment.
pub type Remark = FreeText<1_000>;
/// An analyst's note on an emerging-issue alert or a report.
pub type AnalystNote = FreeText<2_000>;
/// Long text: the appeal itself, a reply, a follow-up note, a reply template's body.
pub type LongText = FreeText<5_000>;

impl<const MAX: usize> FreeText<MAX> {
    pub const MAX_CHARS: usize = MAX;

    /// The text trimmed, or an error naming `field` (safe to show).
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(DomainError::invalid(field, "must not be empty"));
        }
        if text.chars().count() > MAX {
            return Err(DomainError::invalid(
                field,
                format!("at most {MAX} characters"),
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(DomainError::invalid(field, "contains control characters"));
        }
        Ok(Self(text.to_owned()))
    }

    /// Like [`FreeText::parse`], but absent or blank text is `None`.
    pub fn parse_optional(
        field: &'static str,
        raw: Option<&str>,
    ) -> Result<Option<Self>, DomainError> {
        match raw.map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => Self::parse(field, text).map(Some),
            None => Ok(None),
        }
    }

    /// Whether `raw`, trimmed, is longer than the limit: for a form that reports
    /// length apart from the other problems.
    pub fn is_too_long(raw: &str) -> bool {
        raw.trim().chars().count() > MAX
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_is_trimmed_and_checked() {
        assert_eq!(Remark::parse("reason", "  走了 ").unwrap().as_str(), "走了");
        assert!(Remark::parse("reason", " \n ").is_err());
        assert!(Remark::parse("reason", &"字".repeat(1_001)).is_err());
        assert!(Remark::parse("reason", &"字".repeat(1_000)).is_ok());
        assert!(Remark::parse("reason", "a\u{7}b").is_err());
        assert!(Remark::parse("reason", "第一行\n\t第二行").is_ok());
        let err = PersonName::parse("name", &"x".repeat(51)).unwrap_err();
        assert_eq!(err, DomainError::invalid("name", "at most 50 characters"));
    }

    #[test]
    fn blank_optional_text_is_none() {
        assert_eq!(AnalystNote::parse_optional("note", None).unwrap(), None);
        assert_eq!(
            AnalystNote::parse_optional("note", Some("  ")).unwrap(),
            None
        );
        assert!(AnalystNote::parse_optional("note", Some(&"x".repeat(2_001))).is_err());
        assert!(PersonName::is_too_long(&"x".repeat(51)));
        assert!(!PersonName::is_too_long(&format!(" {} ", "x".repeat(50))));
    }
}
