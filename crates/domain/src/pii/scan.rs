//! Personal data typed into free text (自由文本中的个人信息): phone numbers, ID-card
//! numbers, bank-card numbers and licence plates, found by their structure (check
//! digits, number plans) rather than by the words around them, because residents
//! write "打我电话138…", "号码是138…" or just the number.
//!
//! [`scan`] says where each item is and what it is; [`mask_text`] hides them in a copy
//! of the text that keeps its length in characters (search highlights and quoted
//! spans keep their places). The original text is the caller's to seal.

/// What a [`Finding`] is. Order is no ranking: every kind is personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PiiKind {
    /// 手机号: 11 digits, `1[3-9]…`.
    Mobile,
    /// 固定电话: `0` + area code + local number.
    Landline,
    /// 居民身份证号: 18 characters whose check digit is right (GB 11643), or the
    /// 15-digit first-generation number with a valid birth date.
    IdCard,
    /// 银行卡号: 13 to 19 digits passing the Luhn check.
    BankCard,
    /// 机动车号牌: province, city letter, 5 or 6 letters and digits.
    Plate,
    /// Any other run of seven or more digits: not identified, hidden all the same
    /// (a number a resident typed is more often theirs than not).
    Number,
}

impl PiiKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PiiKind::Mobile => "mobile",
            PiiKind::Landline => "landline",
            PiiKind::IdCard => "id_card",
            PiiKind::BankCard => "bank_card",
            PiiKind::Plate => "plate",
            PiiKind::Number => "number",
        }
    }
}

/// One item of personal data: `chars[start..end]` of the scanned text (character
/// indices, not bytes), and which of its characters to hide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
    /// Indices (into the scanned text) of the characters a masked copy hides:
    /// digits and letters only, so separators stay where they were.
    hidden: Vec<usize>,
}

/// Every item of personal data in `text`, in order, not overlapping.
pub fn scan(text: &str) -> Vec<Finding> {
    let chars: Vec<char> = text.chars().collect();
    scan_chars(&chars)
}

/// [`scan`] over characters.
pub fn scan_chars(chars: &[char]) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(f) = plate_at(chars, i) {
            i = f.end;
            found.push(f);
        } else if is_digit(chars[i]) && !preceded_by_alnum(chars, i) {
            let run = number_run(chars, i);
            i = run.end;
            if let Some(f) = classify(chars, run) {
                found.push(f);
            }
        } else {
            i += 1;
        }
    }
    found
}

/// `text` with every finding's hidden characters replaced by `*`; same length in
/// characters. `电话13800001234` → `电话138****1234`.
pub fn mask_text(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    mask_chars(&mut chars);
    chars.into_iter().collect()
}

/// [`mask_text`] in place.
pub fn mask_chars(chars: &mut [char]) {
    for finding in scan_chars(chars) {
        for at in finding.hidden {
            chars[at] = '*';
        }
    }
}

/// Whether `text` holds any personal data [`scan`] finds.
pub fn contains_pii(text: &str) -> bool {
    !scan(text).is_empty()
}

/// A digit as residents type it: ASCII or full-width (０–９).
pub(super) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)
}

fn digit_value(c: char) -> u32 {
    if c.is_ascii_digit() {
        c as u32 - '0' as u32
    } else {
        c as u32 - '\u{FF10}' as u32
    }
}

/// A number glued to letters or digits before it (`A1234567`, an order reference) is
/// still scanned from its first digit; only a plate claims letters.
fn preceded_by_alnum(chars: &[char], i: usize) -> bool {
    i > 0 && is_digit(chars[i - 1])
}

/// A run of digits starting at `start`: digits, with single spaces or dashes between
/// digits (`138 0000 1234`, `0572-2345678`), and an ID card's final `X`.
struct Run {
    end: usize,
    digits: Vec<usize>,
    groups: Vec<usize>,
    /// The 18th character was `X`/`x`.
    x_check: bool,
}

fn number_run(chars: &[char], start: usize) -> Run {
    let mut digits = Vec::new();
    let mut groups = vec![0usize];
    let mut j = start;
    while j < chars.len() {
        if is_digit(chars[j]) {
            digits.push(j);
            *groups.last_mut().expect("one group") += 1;
            j += 1;
        } else if matches!(chars[j], ' ' | '-') && chars.get(j + 1).is_some_and(|&c| is_digit(c)) {
            groups.push(0);
            j += 1;
        } else {
            break;
        }
    }
    let mut x_check = false;
    if digits.len() == 17 && chars.get(j).is_some_and(|c| matches!(c, 'X' | 'x')) {
        digits.push(j);
        j += 1;
        x_check = true;
    }
    Run {
        end: j,
        digits,
        groups,
        x_check,
    }
}

fn classify(chars: &[char], run: Run) -> Option<Finding> {
    let n = run.digits.len();
    // Dates (2026-03-04) and short numbers (house numbers, counts) are not personal.
    let date =
        run.groups.len() == 3 && run.groups[0] == 4 && run.groups[1] <= 2 && run.groups[2] <= 2;
    if n < 7 || date {
        return None;
    }
    // An ID card's final `X` stands for 10.
    let values: Vec<u32> = run
        .digits
        .iter()
        .map(|&at| match chars[at] {
            'X' | 'x' => 10,
            c => digit_value(c),
        })
        .collect();
    let kind = if n == 18 && id_check_ok(&values) {
        PiiKind::IdCard
    } else if run.x_check {
        PiiKind::Number
    } else if n == 11 && values[0] == 1 && (3..=9).contains(&values[1]) {
        PiiKind::Mobile
    } else if n == 15 && old_id_date_ok(&values) {
        PiiKind::IdCard
    } else if (13..=19).contains(&n) && luhn_ok(&values) {
        PiiKind::BankCard
    } else if (10..=12).contains(&n) && values[0] == 0 && values[1] != 0 {
        PiiKind::Landline
    } else {
        PiiKind::Number
    };
    // Keep the first 3 and last 4 digits of long numbers (enough for the owner to
    // recognise, too little to use); hide a 7-digit local number whole.
    let hidden = if n <= 7 {
        run.digits.clone()
    } else {
        run.digits[3..n - 4].to_vec()
    };
    Some(Finding {
        kind,
        start: run.digits[0],
        end: run.end,
        hidden,
    })
}

/// GB 11643 check character of an 18-character ID number: weights 2^(17-i) mod 11,
/// check = (12 - sum mod 11) mod 11, where 10 is written `X`; `values[17]` is the
/// given check (10 for `X`).
fn id_check_ok(values: &[u32]) -> bool {
    if values.len() != 18 {
        return false;
    }
    let mut weight = 1u32;
    let mut weights = [0u32; 17];
    for w in weights.iter_mut().rev() {
        weight = (weight * 2) % 11;
        *w = weight;
    }
    let sum: u32 = values[..17].iter().zip(weights).map(|(v, w)| v * w).sum();
    let check = (12 - sum % 11) % 11;
    check == values[17] && birth_date_ok(&values[6..14])
}

/// A first-generation ID: 6-digit region, `YYMMDD` birth date, 3-digit sequence.
fn old_id_date_ok(values: &[u32]) -> bool {
    let mut date = vec![1, 9];
    date.extend_from_slice(&values[6..12]);
    birth_date_ok(&date)
}

/// `YYYYMMDD` as digits, a plausible birth date (1900–2099).
fn birth_date_ok(d: &[u32]) -> bool {
    let year = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3];
    let month = d[4] * 10 + d[5];
    let day = d[6] * 10 + d[7];
    (1900..=2099).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// The Luhn check of card numbers (ISO/IEC 7812).
fn luhn_ok(values: &[u32]) -> bool {
    let sum: u32 = values
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &v)| {
            if i % 2 == 1 {
                let d = v * 2;
                if d > 9 {
                    d - 9
                } else {
                    d
                }
            } else {
                v
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The provinces' one-character abbreviations that open a plate.
const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// A plate at `i`: province, city letter, an optional separator (`·`, `.`, space),
/// then 5 (ordinary) or 6 (new-energy) letters or digits with at least two digits,
/// not followed by another letter or digit. Kept: province, city letter and the last
/// two characters (`浙E***45`).
fn plate_at(chars: &[char], i: usize) -> Option<Finding> {
    if !PLATE_PROVINCES.contains(chars[i]) {
        return None;
    }
    let letter = *chars.get(i + 1)?;
    if !letter.is_ascii_alphabetic() {
        return None;
    }
    let mut j = i + 2;
    if chars
        .get(j)
        .is_some_and(|c| matches!(c, '·' | '.' | ' ' | '•' | '-'))
    {
        j += 1;
    }
    let body_start = j;
    while j < chars.len() && chars[j].is_ascii_alphanumeric() && j - body_start < 6 {
        j += 1;
    }
    let body = &chars[body_start..j];
    let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
    let next_alnum = chars.get(j).is_some_and(|c| c.is_ascii_alphanumeric());
    if !(5..=6).contains(&body.len()) || digits < 2 || next_alnum {
        return None;
    }
    let hidden = (body_start..j - 2).collect();
    Some(Finding {
        kind: PiiKind::Plate,
        start: i,
        end: j,
        hidden,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<PiiKind> {
        scan(text).into_iter().map(|f| f.kind).collect()
    }

    // Obviously fake numbers built to pass their checks (see the generators below).
    const ID: &str = "11010519491231002X"; // the GB 11643 standard's own example
    const ID_DIGIT: &str = "110101199003070038";

    #[test]
    fn id_card_numbers_need_their_check_digit() {
        assert_eq!(kinds(&format!("身份证号{ID}")), vec![PiiKind::IdCard]);
        assert_eq!(kinds(ID_DIGIT), vec![PiiKind::IdCard]);
        // One digit changed: the check fails, still hidden as a number.
        assert_eq!(kinds("110101199003070037"), vec![PiiKind::Number]);
        assert_eq!(mask_text(ID), "110***********002X");
        // First-generation 15 digits with a birth date.
        assert_eq!(kinds("身份证110105491231002"), vec![PiiKind::IdCard]);
    }

    #[test]
    fn bank_cards_pass_luhn() {
        // A Luhn-valid 16-digit number (the test card of the card networks).
        assert_eq!(kinds("卡号4111111111111111被盗刷"), vec![PiiKind::BankCard]);
        assert_eq!(kinds("6222 0000 0000 0000 004"), vec![PiiKind::BankCard]);
        assert_eq!(
            mask_text("卡号 4111 1111 1111 1111"),
            "卡号 411* **** **** 1111"
        );
        assert_eq!(kinds("4111111111111112"), vec![PiiKind::Number]);
    }

    #[test]
    fn phones_in_every_way_residents_write_them() {
        assert_eq!(kinds("电话13800001234找我"), vec![PiiKind::Mobile]);
        assert_eq!(kinds("打 138 0000 1234"), vec![PiiKind::Mobile]);
        assert_eq!(kinds("１３８００００１２３４"), vec![PiiKind::Mobile]);
        assert_eq!(kinds("座机0572-2345678"), vec![PiiKind::Landline]);
        assert_eq!(mask_text("电话13800001234找我"), "电话138****1234找我");
        assert_eq!(mask_text("座机2345678"), "座机*******");
    }

    #[test]
    fn plates_keep_province_city_and_last_two() {
        assert_eq!(kinds("车牌浙E12345停在门口"), vec![PiiKind::Plate]);
        assert_eq!(mask_text("车牌浙E12345停在门口"), "车牌浙E***45停在门口");
        assert_eq!(mask_text("浙E·D12345"), "浙E·****45");
        assert_eq!(mask_text("沪A 3B5C7"), "沪A ***C7");
        // Words that start like a plate but are not one.
        assert_eq!(kinds("浙江省湖州市"), vec![]);
        assert_eq!(kinds("京A套牌"), vec![]);
    }

    #[test]
    fn dates_counts_and_house_numbers_are_left_alone() {
        let text = "红旗路18号 2026-03-04 共3次 1998年";
        assert!(scan(text).is_empty());
        assert_eq!(mask_text(text), text);
    }

    #[test]
    fn masking_keeps_the_length_and_finds_several() {
        let text = format!("我叫张三，电话13800001234，身份证{ID}，车牌浙E12345");
        let masked = mask_text(&text);
        assert_eq!(masked.chars().count(), text.chars().count());
        assert_eq!(
            kinds(&text),
            vec![PiiKind::Mobile, PiiKind::IdCard, PiiKind::Plate]
        );
        assert!(!masked.contains("0000"));
        assert!(
            !contains_pii(&masked),
            "a masked text holds nothing to find"
        );
    }

    /// The check digit computed independently (ISO 7064 MOD 11-2 as the standard
    /// states it: Σ aᵢ·Wᵢ with Wᵢ = 2^(i-1) mod 11, counting positions from the right
    /// with the check digit at position 1), for the standard's example.
    #[test]
    fn check_digit_agrees_with_the_standard_formula() {
        let digits: Vec<u32> = ID[..17].chars().map(|c| c.to_digit(10).unwrap()).collect();
        let sum: u32 = digits
            .iter()
            .enumerate()
            .map(|(k, d)| d * (2u32.pow(18 - 1 - k as u32) % 11))
            .sum();
        let check = (12 - sum % 11) % 11;
        assert_eq!(check, 10, "the example's check digit is X");
    }
}
