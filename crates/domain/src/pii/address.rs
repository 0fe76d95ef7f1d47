//! Addresses masked by their structure (地址脱敏): the district, street and estate a
//! resident names stay readable, the building, unit and door (门牌、楼栋、单元、室)
//! are hidden, however short the address is (`南园小区5幢` → `南园小区****`).

use super::scan::is_digit;

/// Chinese numerals as house numbers are written (`五幢`, `十二号`).
const NUMERALS: &str = "零〇一二两三四五六七八九十百";
/// What a house-level number is followed by.
const HOUSE_UNITS: &str = "号幢栋单元室楼层座弄户";

/// Keep what locates a street, hide what locates a door: everything from the first
/// house-level part (a digit, a Chinese numeral followed by 号/幢/栋/单元/室/楼/层/座,
/// or a letter such as `A座`) on is replaced by `****`. An address without such a part
/// (`红旗路与人民路交叉口`) is not a door and stays whole.
pub fn mask_address(address: &str) -> String {
    let chars: Vec<char> = address.trim().chars().collect();
    match house_level_start(&chars) {
        Some(cut) => {
            let kept: String = chars[..cut].iter().collect();
            format!("{kept}****")
        }
        None => chars.into_iter().collect(),
    }
}

fn house_level_start(chars: &[char]) -> Option<usize> {
    (0..chars.len()).find(|&i| {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        is_digit(c)
            || (c.is_ascii_alphabetic()
                && next.is_some_and(|n| HOUSE_UNITS.contains(n) || is_digit(n)))
            || (NUMERALS.contains(c) && numeral_then_unit(&chars[i..]))
    })
}

/// `五幢`, `十二号`: numerals then a house unit. `一路` (文一路, a road) is not.
fn numeral_then_unit(chars: &[char]) -> bool {
    let after = chars.iter().position(|c| !NUMERALS.contains(*c));
    after.is_some_and(|at| HOUSE_UNITS.contains(chars[at]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_door_is_hidden_however_short_the_address() {
        // Seen by the probe: six characters or fewer were shown in full.
        assert_eq!(mask_address("南园小区5幢"), "南园小区****");
        assert_eq!(mask_address("5幢301"), "****");
        assert_eq!(
            mask_address("吴兴区爱山街道红旗路18号"),
            "吴兴区爱山街道红旗路****"
        );
        assert_eq!(
            mask_address("湖州市吴兴区朝阳街道南街社区金色家园三幢二单元"),
            "湖州市吴兴区朝阳街道南街社区金色家园****"
        );
        assert_eq!(mask_address("龙溪苑B座1203"), "龙溪苑****");
        assert_eq!(mask_address("红旗路１８号"), "红旗路****");
    }

    #[test]
    fn streets_named_with_numerals_stay() {
        assert_eq!(mask_address("杭州市文一路"), "杭州市文一路");
        assert_eq!(mask_address("红旗路与人民路交叉口"), "红旗路与人民路交叉口");
        assert_eq!(mask_address("文二路十二号"), "文二路****");
    }
}
