//! Personal data (个人信息): validation and masking. Encryption lives with the storage layer.

use crate::error::DomainError;

/// A mainland phone number, digits only (mobile 11 digits, or a fixed line with area code).
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

// Never print a phone in full by accident (logs, panics).
impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl Phone {
    /// Accepts spaces, dashes and a +86/86 prefix; keeps digits.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let mut digits: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '+'))
            .collect();
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid("contact_phone", "digits only"));
        }
        if digits.len() == 13 && digits.starts_with("86") {
            digits.drain(..2);
        }
        if !(7..=12).contains(&digits.len()) {
            return Err(DomainError::invalid("contact_phone", "7 to 12 digits"));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 138****1234: first 3 and last 4 digits, the rest hidden.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
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

/// Keep the district/road level of an address, hide house numbers.
pub fn mask_address(address: &str) -> String {
    let keep: String = address.chars().take(6).collect();
    if address.chars().count() > 6 {
        format!("{keep}****")
    } else {
        keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn names_and_addresses_are_masked() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_address("吴兴区爱山街道红旗路18号"), "吴兴区爱山街****");
    }
}
