//! The appeal (诉求) and its lifecycle state machine.

use serde::{Deserialize, Serialize};

use crate::{error::DomainError, free_text::LongText};

/// Declares a closed set of values stored and sent as stable snake_case keys.
/// Display labels live in the UI catalogs, never here.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn parse(s: &str) -> Result<Self, $crate::DomainError> {
                match s {
                    $($key => Ok($name::$variant),)+
                    other => Err($crate::DomainError::invalid(
                        stringify!($name),
                        format!("unknown value `{}`", other.chars().take(40).collect::<String>()),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// Kind of appeal.
    AppealKind {
        /// 投诉
        Complaint = "complaint",
        /// 举报
        Report = "report",
        /// 求助
        Help = "help",
        /// 咨询
        Consultation = "consultation",
        /// 建议 (金点子)
        Suggestion = "suggestion",
        /// 表扬
        Praise = "praise",
    }
}

string_enum! {
    /// Where the appeal came in.
    Channel {
        /// 警务e广场 web portal
        Web = "web",
        /// 96110 hotline
        Hotline = "hotline",
        Sms = "sms",
        Wechat = "wechat",
        Weibo = "weibo",
        /// 局长信箱 director's mailbox
        Mailbox = "mailbox",
        /// 广场活动日 square event
        SquareEvent = "square_event",
        /// 警民恳谈 face-to-face talk
        Talk = "talk",
        /// 信息联络员 information liaison
        Liaison = "liaison",
        Open311 = "open311",
        /// JSON API clients
        Api = "api",
        /// Bulk import
        Import = "import",
    }
}

string_enum! {
    /// Lifecycle status.
    Status {
        /// 待受理
        Received = "received",
        /// 已受理 — a unit owns it (首接负责)
        Accepted = "accepted",
        /// 办理中
        InProgress = "in_progress",
        /// 已答复
        Replied = "replied",
        /// 办结
        Closed = "closed",
        /// 转办/转交 — to another police unit or an external department
        Transferred = "transferred",
        /// 重办 — after an unsatisfied rating and review
        Reopened = "reopened",
        /// 不予受理 — spam, merged duplicate, out of scope; still replied with a reason
        Rejected = "rejected",
    }
}

string_enum! {
    /// Urgency, which selects the deadline.
    Urgency {
        /// Ongoing danger: resident is told to call 110; heads every inbox.
        Emergency = "emergency",
        Normal = "normal",
        /// 复杂 — needs several units or an investigation.
        Complex = "complex",
    }
}

string_enum! {
    /// What a staff member (or the resident, for `Rate`) does to an appeal.
    Action {
        Accept = "accept",
        Assign = "assign",
        Transfer = "transfer",
        HandOff = "hand_off",
        Reply = "reply",
        Rate = "rate",
        Close = "close",
        Reopen = "reopen",
        Reject = "reject",
    }
}

impl Status {
    /// Statuses in which the appeal still waits on the police (counts toward overdue).
    pub fn is_open(self) -> bool {
        !matches!(self, Status::Replied | Status::Closed | Status::Rejected)
    }

    /// The status after `action`, or an error if the lifecycle does not allow it.
    pub fn apply(self, action: Action) -> Result<Status, DomainError> {
        use Action as A;
        use Status as S;
        let next = match (self, action) {
            (S::Received | S::Transferred, A::Accept) => S::Accepted,
            (S::Accepted | S::InProgress | S::Reopened, A::Assign) => S::InProgress,
            (S::Received | S::Accepted | S::InProgress | S::Reopened, A::Transfer | A::HandOff) => {
                S::Transferred
            }
            // A hand-off to an external department is answered by the unit that owns it.
            (S::Accepted | S::InProgress | S::Reopened | S::Transferred, A::Reply) => S::Replied,
            (S::Replied, A::Rate | A::Close) => S::Closed,
            (S::Replied | S::Closed, A::Reopen) => S::Reopened,
            (S::Received | S::Accepted, A::Reject) => S::Rejected,
            (status, action) => return Err(DomainError::InvalidTransition { status, action }),
        };
        Ok(next)
    }
}

/// Topic category key (default set in [`Category::DEFAULTS`]; admins may add more).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Category(String);

impl Category {
    pub const DEFAULTS: &'static [&'static str] = &[
        "theft",
        "fraud",
        "public_order",
        "traffic",
        "vehicle_admin",
        "household",
        "dispute",
        "missing_person",
        "fire",
        "cyber",
        "conduct",
        "non_police",
        "other",
    ];
    /// Complaints about officers: a confidential track for supervisors only.
    pub const CONDUCT: &'static str = "conduct";
    pub const NON_POLICE: &'static str = "non_police";

    /// A category key: lowercase ASCII letters, digits and `_`, 1–32 chars.
    pub fn new(key: &str) -> Result<Self, DomainError> {
        let ok = !key.is_empty()
            && key.len() <= 32
            && key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(Self(key.to_owned()))
        } else {
            Err(DomainError::invalid("category", "use 1-32 of a-z, 0-9, _"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_conduct(&self) -> bool {
        self.0 == Self::CONDUCT
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Appeal text as submitted: [`LongText`] under the field name `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealText(LongText);

impl AppealText {
    pub const MAX_CHARS: usize = LongText::MAX_CHARS;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        LongText::parse("text", raw).map(Self)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn into_inner(self) -> String {
        self.0.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn happy_path_reaches_closed() {
        let mut s = Status::Received;
        for a in [Action::Accept, Action::Assign, Action::Reply, Action::Rate] {
            s = s.apply(a).unwrap();
        }
        assert_eq!(s, Status::Closed);
    }

    #[test]
    fn unsatisfied_can_reopen_and_be_replied_again() {
        let s = Status::Closed.apply(Action::Reopen).unwrap();
        assert_eq!(s, Status::Reopened);
        assert_eq!(s.apply(Action::Reply).unwrap(), Status::Replied);
    }

    #[test]
    fn cannot_reply_before_acceptance_or_rate_twice() {
        assert!(Status::Received.apply(Action::Reply).is_err());
        assert!(Status::Closed.apply(Action::Rate).is_err());
        assert!(Status::Rejected.apply(Action::Accept).is_err());
    }

    #[test]
    fn transferred_is_accepted_by_the_new_unit() {
        let s = Status::InProgress.apply(Action::Transfer).unwrap();
        assert_eq!(s.apply(Action::Accept).unwrap(), Status::Accepted);
    }

    #[test]
    fn keys_round_trip() {
        for k in AppealKind::ALL {
            assert_eq!(AppealKind::parse(k.as_str()).unwrap(), *k);
        }
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>().unwrap(), *s);
        }
        assert!(Channel::parse("fax").is_err());
    }

    #[test]
    fn text_is_validated() {
        assert!(AppealText::parse("   ").is_err());
        assert!(AppealText::parse(&"字".repeat(5_001)).is_err());
        assert!(AppealText::parse("a\u{0}b").is_err());
        assert_eq!(
            AppealText::parse("  有人偷车 ").unwrap().as_str(),
            "有人偷车"
        );
    }

    #[test]
    fn category_keys_are_checked() {
        assert!(Category::new("theft").is_ok());
        assert!(Category::new("Theft; DROP").is_err());
        assert!(Category::new("conduct").unwrap().is_conduct());
    }
}
