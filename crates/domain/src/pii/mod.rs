//! Personal data (个人信息): validation and masking. Encryption lives with the storage layer.

mod address;
mod scan;

pub use address::mask_address;
pub use scan::{contains_pii, mask_chars, mask_text, scan, scan_chars, Finding, PiiKind};

use crate::error::DomainError;

/// A mainland phone number, digits only: a mobile number (11 digits, `1[3-9]…`), which
/// receives the one-time code and SMS notices, or a fixed line with its area code
/// (`0572-1234567`), which cannot: a resident giving one is called back instead.
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

// Never print a phone in full by accident (logs, panics).
impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl Phone {
    /// Accepts spaces, dashes and a +86/86 prefix; keeps digits. Anything that is
    /// neither a mobile number nor a fixed line with area code is refused, so a number
    /// missing digits (`1380000`) never becomes a contact nobody can reach.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let mut digits: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '+'))
            .collect();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid("contact_phone", "digits only"));
        }
        if digits.len() == 13 && digits.starts_with("86") {
            digits.drain(..2);
        }
        if is_mobile(&digits) || is_landline(&digits) {
            Ok(Self(digits))
        } else {
            Err(DomainError::invalid(
                "contact_phone",
                "a mobile number (11 digits starting 13-19) or a fixed line with area code",
            ))
        }
    }

    /// Only a mobile number: where a one-time code must reach the resident.
    pub fn parse_mobile(raw: &str) -> Result<Self, DomainError> {
        let phone = Self::parse(raw)?;
        if phone.is_mobile() {
            Ok(phone)
        } else {
            Err(DomainError::invalid(
                "contact_phone",
                "a mobile number (11 digits starting 13-19)",
            ))
        }
    }

    /// Reachable by SMS (a fixed line is not).
    pub fn is_mobile(&self) -> bool {
        is_mobile(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 138****1234: first 3 and last 4 digits, the rest hidden.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

/// 11 digits, `1` then `3`–`9`.
fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// `0` + a 2–3 digit area code + a 7–8 digit local number (10 to 12 digits).
fn is_landline(digits: &str) -> bool {
    let b = digits.as_bytes();
    (10..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0'
}

/// Whether a stored mask (see [`mask_phone`]) is a mobile number's: SMS can reach it.
/// Masks keep the first digit, and fixed lines start with `0`.
pub fn mask_is_mobile(masked: &str) -> bool {
    masked.starts_with('1')
}

pub fn mask_phone(digits: &str) -> String {
    let n = digits.chars().count();
    if n <= 7 {
        return "*".repeat(n);
    }
    let head: String = digits.chars().take(3).collect();
    let tail: String = digits.chars().skip(n - 4).collect();
    format!("{head}{}{tail}", "*".repeat(n - 7))
}

/// 张*  /  欧阳** : keep the surname character only.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_numbers_in_free_text_are_masked() {
        assert_eq!(mask_text("电话13800001234找我"), "电话138****1234找我");
        assert_eq!(mask_text("打 138 0000 1234"), "打 138 **** 1234");
        assert_eq!(
            mask_text("身份证33050219900101123X丢了"),
            "身份证330***********123X丢了"
        );
        assert_eq!(mask_text("１３８００００１２３４"), "１３８****１２３４");
        assert_eq!(mask_text("座机2345678"), "座机*******");
        assert_eq!(mask_text("0572-2345678"), "057*-***5678");
        // Short numbers (house numbers, dates, counts) stay.
        assert_eq!(
            mask_text("红旗路18号 2026-03-04 共3次"),
            "红旗路18号 2026-03-04 共3次"
        );
        // The text keeps its length in characters.
        let text = "a 138-0000-1234 b";
        assert_eq!(mask_text(text).chars().count(), text.chars().count());
    }

    #[test]
    fn phones_are_normalised_and_masked() {
        let p = Phone::parse("+86 138-0000-1234").unwrap();
        assert_eq!(p.as_str(), "13800001234");
        assert_eq!(p.masked(), "138****1234");
        assert_eq!(format!("{p:?}"), "Phone(138****1234)");
        assert!(Phone::parse("1380000123a").is_err());
        assert!(Phone::parse("12").is_err());
    }

    #[test]
    fn only_whole_mobiles_or_landlines_with_area_code_are_phones() {
        // Seen in the browser: a 7-digit number was accepted, and no code could reach it.
        assert!(Phone::parse("1380000").is_err());
        assert!(
            Phone::parse("2345678").is_err(),
            "a landline needs its area code"
        );
        assert!(Phone::parse("12800001234").is_err(), "no mobile starts 12");
        assert!(Phone::parse("138000012345").is_err());
        assert!(Phone::parse("19900001234").unwrap().is_mobile());
        let landline = Phone::parse("0572-2345678").unwrap();
        assert_eq!(landline.as_str(), "05722345678");
        assert!(!landline.is_mobile());
        assert!(!mask_is_mobile(&landline.masked()));
        assert!(mask_is_mobile(
            &Phone::parse("13800001234").unwrap().masked()
        ));
        assert!(Phone::parse("010-12345678").is_ok());
        assert!(Phone::parse_mobile("0572-2345678").is_err());
        assert!(Phone::parse_mobile("138 0000 1234").is_ok());
    }

    #[test]
    fn names_are_masked() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
    }
}
