//! The resident's two-question rating (评价).

use serde::{Deserialize, Serialize};

use crate::appeal::string_enum;

string_enum! {
    /// 满意/基本满意/不满意
    Satisfaction {
        Satisfied = "satisfied",
        Basic = "basic",
        Unsatisfied = "unsatisfied",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    /// 已解决/未解决
    pub resolved: bool,
    pub satisfaction: Satisfaction,
}

impl Rating {
    /// An unsatisfied rating opens a review (复核).
    pub fn opens_review(&self) -> bool {
        self.satisfaction == Satisfaction::Unsatisfied
    }
}
