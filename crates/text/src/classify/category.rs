//! Topic categories (诉求类别), the default set of DESIGN.md.

use serde::{Deserialize, Serialize};

/// Topic category of an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 盗窃
    Theft,
    /// 诈骗
    Fraud,
    /// 治安秩序
    PublicOrder,
    /// 交通
    Traffic,
    /// 车驾管
    VehicleAdmin,
    /// 户籍证件
    Household,
    /// 纠纷
    Dispute,
    /// 走失寻人
    MissingPerson,
    /// 消防
    Fire,
    /// 网络
    Cyber,
    /// 民警作风（投诉与表扬）
    Conduct,
    /// 非警务（转办）
    NonPolice,
    /// 其他
    Other,
}

impl Category {
    pub const ALL: [Category; 13] = [
        Category::Theft,
        Category::Fraud,
        Category::PublicOrder,
        Category::Traffic,
        Category::VehicleAdmin,
        Category::Household,
        Category::Dispute,
        Category::MissingPerson,
        Category::Fire,
        Category::Cyber,
        Category::Conduct,
        Category::NonPolice,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Theft => "theft",
            Category::Fraud => "fraud",
            Category::PublicOrder => "public_order",
            Category::Traffic => "traffic",
            Category::VehicleAdmin => "vehicle_admin",
            Category::Household => "household",
            Category::Dispute => "dispute",
            Category::MissingPerson => "missing_person",
            Category::Fire => "fire",
            Category::Cyber => "cyber",
            Category::Conduct => "conduct",
            Category::NonPolice => "non_police",
            Category::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
            assert_eq!(Category::ALL[c.index()], c);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(Category::parse("bogus"), None);
    }
}
