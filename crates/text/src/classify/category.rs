//! The default topic categories (诉求类别) of DESIGN.md: the closed set the classifier
//! is trained on and predicts.
//!
//! A stored or configured category is the domain's open key
//! [`police_square_domain::Category`] (admins may add keys beyond the defaults); this
//! enum is the classifier's label set, each variant one of
//! [`police_square_domain::Category::DEFAULTS`] (see [`DefaultCategory::key`]).

use serde::{Deserialize, Serialize};

/// One of the default topic categories: a label the classifier can predict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultCategory {
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

impl DefaultCategory {
    pub const ALL: [DefaultCategory; 13] = [
        DefaultCategory::Theft,
        DefaultCategory::Fraud,
        DefaultCategory::PublicOrder,
        DefaultCategory::Traffic,
        DefaultCategory::VehicleAdmin,
        DefaultCategory::Household,
        DefaultCategory::Dispute,
        DefaultCategory::MissingPerson,
        DefaultCategory::Fire,
        DefaultCategory::Cyber,
        DefaultCategory::Conduct,
        DefaultCategory::NonPolice,
        DefaultCategory::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DefaultCategory::Theft => "theft",
            DefaultCategory::Fraud => "fraud",
            DefaultCategory::PublicOrder => "public_order",
            DefaultCategory::Traffic => "traffic",
            DefaultCategory::VehicleAdmin => "vehicle_admin",
            DefaultCategory::Household => "household",
            DefaultCategory::Dispute => "dispute",
            DefaultCategory::MissingPerson => "missing_person",
            DefaultCategory::Fire => "fire",
            DefaultCategory::Cyber => "cyber",
            DefaultCategory::Conduct => "conduct",
            DefaultCategory::NonPolice => "non_police",
            DefaultCategory::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<DefaultCategory> {
        DefaultCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl DefaultCategory {
    /// The domain's category key for this label.
    pub fn key(self) -> police_square_domain::Category {
        police_square_domain::Category::new(self.as_str())
            .expect("default category keys are valid keys")
    }
}

impl std::fmt::Display for DefaultCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in DefaultCategory::ALL {
            assert_eq!(DefaultCategory::parse(c.as_str()), Some(c));
            assert_eq!(DefaultCategory::ALL[c.index()], c);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(DefaultCategory::parse("bogus"), None);
    }

    #[test]
    fn labels_are_the_domain_default_categories() {
        let keys: Vec<&str> = DefaultCategory::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(keys, police_square_domain::Category::DEFAULTS);
        assert!(DefaultCategory::Conduct.key().is_conduct());
    }
}
