//! Text normalisation (文本规范化) applied before analysis.
//!
//! Residents write with full-width digits and letters, mixed case and sometimes
//! traditional characters (請問長興縣…). Normalising first lets the same
//! dictionary, lexicons and model features match all of these spellings.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::bits::Bits16;

/// Common traditional characters and their simplified forms, position by position.
/// Not a full converter: it covers the characters that actually occur in appeals
/// (places, police services, everyday verbs); rarer characters pass through.
const TRADITIONAL: &str = "請問長興縣電車輛號碼聯繫係們這個會來說話時間後發現處報警派門開關題應該難過讓謝對給還沒買賣錢銀轉帳騙詐網絡戶証證辦區鎮鄉經濟與為無從點頭錯過離婚見親愛邊遠進運達過邊將當樣麼幾兩見響聲噪擾鄰燈節紅綠線機場樓層廳醫險傷亂違規處罰駕駛證駛導歲媽爺奶兒孫業務員監視頻錄帶東條術區劃華夢竊盜搶劫偷撬鎖毀壞燒滅災煙氣體煤裡裏著丟倉備傳剛匯嗎嘩園夥學師幫庫廠廣橫檢毆漢濃牽環稱續綁繩習聽腳萬衝補裝覺計訊認誰調識議護週鑑陽隊預領頂養騎鬧魚黃殺槍攔暈瘋鬱賬屬斷爐彈藥嚇蹤熱溫凍墜橋欄腦癡婦嬰藍雙臉鑰貸賭禍動實喚嗆鐘鐵鬥擊兇誤簡";
const SIMPLIFIED: &str = "请问长兴县电车辆号码联系系们这个会来说话时间后发现处报警派门开关题应该难过让谢对给还没买卖钱银转账骗诈网络户证证办区镇乡经济与为无从点头错过离婚见亲爱边远进运达过边将当样么几两见响声噪扰邻灯节红绿线机场楼层厅医险伤乱违规处罚驾驶证驶导岁妈爷奶儿孙业务员监视频录带东条术区划华梦窃盗抢劫偷撬锁毁坏烧灭灾烟气体煤里里着丢仓备传刚汇吗哗园伙学师帮库厂广横检殴汉浓牵环称续绑绳习听脚万冲补装觉计讯认谁调识议护周鉴阳队预领顶养骑闹鱼黄杀枪拦晕疯郁账属断炉弹药吓踪热温冻坠桥栏脑痴妇婴蓝双脸钥贷赌祸动实唤呛钟铁斗击凶误简";

fn traditional_map() -> &'static FxHashMap<char, char> {
    static MAP: OnceLock<FxHashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        TRADITIONAL
            .chars()
            .zip(SIMPLIFIED.chars())
            .filter(|(t, s)| t != s)
            .collect()
    })
}

/// The characters that have a simplified form (skips the hash lookup for the
/// common case).
fn traditional_bits() -> &'static Bits16 {
    static BITS: OnceLock<Bits16> = OnceLock::new();
    BITS.get_or_init(|| {
        let mut b = Bits16::default();
        for c in traditional_map().keys() {
            if let Ok(v) = u16::try_from(u32::from(*c)) {
                b.insert(v);
            }
        }
        b
    })
}

/// Normalise one text: full-width ASCII to half-width, ASCII to lower case,
/// ideographic space to space, traditional characters to simplified ones.
pub fn normalize(text: &str) -> String {
    normalize_cow(text).into_owned()
}

/// `normalize` without a copy when the text is already normal. Unchanged
/// stretches are copied whole; only the characters that change are looked at
/// twice.
pub fn normalize_cow(text: &str) -> std::borrow::Cow<'_, str> {
    let bits = traditional_bits();
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    // Bytes of `text` before `copied` are in `out` (or need no copy).
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (len, normal) = if b < 0x80 {
            (
                1,
                b.is_ascii_uppercase()
                    .then(|| b.to_ascii_lowercase() as char),
            )
        } else if (0xE0..0xF0).contains(&b) {
            // Three bytes: every CJK ideograph and punctuation mark. Decoded
            // here because it is nearly every character of an appeal.
            let cp = u16::from(b & 0x0F) << 12
                | u16::from(bytes[i + 1] & 0x3F) << 6
                | u16::from(bytes[i + 2] & 0x3F);
            (3, normal_bmp(bits, cp))
        } else {
            let c = text[i..].chars().next().expect("i is a char boundary");
            (c.len_utf8(), normal_char(bits, c))
        };
        if let Some(normal) = normal {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[copied..i]);
            out.push(normal);
            copied = i + len;
        }
        i += len;
    }
    match out {
        None => std::borrow::Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[copied..]);
            std::borrow::Cow::Owned(out)
        }
    }
}

/// The normal form of a non-ASCII character, when it differs.
#[inline]
fn normal_char(bits: &Bits16, c: char) -> Option<char> {
    u16::try_from(u32::from(c))
        .ok()
        .and_then(|cp| normal_bmp(bits, cp))
}

/// `normal_char` of a character of the Basic Multilingual Plane, by code point.
#[inline]
fn normal_bmp(bits: &Bits16, cp: u16) -> Option<char> {
    match cp {
        // Full-width ASCII block (！ to ～) maps 1:1 onto ASCII (lower case).
        0xFF01..=0xFF5E => char::from_u32(u32::from(cp - 0xFEE0)).map(|a| a.to_ascii_lowercase()),
        0x3000 => Some(' '),
        _ if bits.contains(cp) => {
            char::from_u32(u32::from(cp)).and_then(|c| traditional_map().get(&c).copied())
        }
        _ => None,
    }
}

/// Whether a character is a CJK ideograph (汉字).
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Whether a token carries content: at least one CJK ideograph, letter or digit.
#[inline]
pub fn is_content_token(token: &str) -> bool {
    // Most tokens begin with an ideograph and are answered by their first two
    // bytes: lead bytes E5–E9 are U+5000–U+9FFF, all ideographs; E4 is
    // U+4000–U+4FFF, ideographs too except the Yijing hexagram symbols
    // (U+4DC0–U+4DFF, second byte B7).
    match token.as_bytes() {
        [0xE5..=0xE9, ..] => return true,
        [0xE4, second, ..] if *second != 0xB7 => return true,
        _ => {}
    }
    token.chars().any(|c| {
        if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else if is_cjk(c) {
            true
        } else if matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF0F}' | '\u{2000}'..='\u{206F}') {
            // CJK and general punctuation (，。、「」…): the common case of a
            // non-content token, answered without the Unicode tables.
            false
        } else {
            c.is_alphanumeric()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_aligned() {
        assert_eq!(TRADITIONAL.chars().count(), SIMPLIFIED.chars().count());
    }

    #[test]
    fn full_width_and_traditional() {
        assert_eq!(normalize("請問長興縣ＡＢＣ１２３"), "请问长兴县abc123");
        assert_eq!(normalize("电瓶车　被偷"), "电瓶车 被偷");
    }

    #[test]
    fn unchanged_stretches_are_kept_and_clean_text_is_not_copied() {
        assert_eq!(normalize("Ab电瓶车😡被偷，ＯＫ"), "ab电瓶车😡被偷,ok");
        assert_eq!(normalize("报警！"), "报警!");
        assert_eq!(normalize("X"), "x");
        assert_eq!(normalize(""), "");
        assert!(matches!(
            normalize_cow("电瓶车被偷了😡 ok"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn content_tokens() {
        assert!(!is_content_token("，"));
        assert!(!is_content_token("……"));
        assert!(!is_content_token("「"));
        assert!(is_content_token("ａ"));
        assert!(is_content_token("é"));
        assert!(is_content_token("电瓶车"));
        // First and last ideographs of each range, and the symbols between.
        for c in ['\u{3400}', '\u{4DBF}', '\u{4E00}', '\u{9FFF}', '丁'] {
            assert!(is_content_token(&c.to_string()), "{c}");
        }
        for c in ['\u{4DC0}', '\u{4DFF}', '䷀'] {
            assert!(!is_content_token(&c.to_string()), "{c}");
        }
        assert!(is_content_token("110"));
        assert!(!is_content_token("，"));
        assert!(!is_content_token(" "));
    }
}
