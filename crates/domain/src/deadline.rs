//! Deadline policy (办理时限), defaults after Beijing 12345; editable by admins.

use serde::{Deserialize, Serialize};

use crate::{
    appeal::{AppealKind, Channel, Urgency},
    calendar::WorkCalendar,
    Millis,
};

const HOUR: Millis = 3_600_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlinePolicy {
    /// Working minutes allowed to accept (首接) a web/API appeal.
    pub accept_working_minutes: i64,
    /// Wall-clock hours to handle an emergency (never left in a queue).
    pub emergency_hours: i64,
    /// Working days for a normal appeal.
    pub normal_days: u32,
    /// Working days for a complex appeal.
    pub complex_days: u32,
    /// Working days for a consultation, which usually needs only an answer.
    pub consultation_days: u32,
    /// How long before the due time a case counts as "near deadline" (临期), in hours.
    pub near_hours: i64,
}

impl Default for DeadlinePolicy {
    fn default() -> Self {
        Self {
            accept_working_minutes: 120,
            emergency_hours: 2,
            normal_days: 7,
            complex_days: 15,
            consultation_days: 7,
            near_hours: 24,
        }
    }
}

/// The two deadlines of a fresh appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub accept_by: Millis,
    pub due_at: Millis,
}

/// Where a case stands against its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    OnTime,
    /// 临期
    Near,
    /// 超期
    Overdue,
}

impl DeadlinePolicy {
    pub fn deadlines(
        &self,
        cal: &WorkCalendar,
        kind: AppealKind,
        _channel: Channel,
        urgency: Urgency,
        received_at: Millis,
    ) -> Deadlines {
        if urgency == Urgency::Emergency {
            let due = received_at + self.emergency_hours * HOUR;
            return Deadlines {
                accept_by: received_at + 10 * 60_000,
                due_at: due,
            };
        }
        let days = match (urgency, kind) {
            (Urgency::Complex, _) => self.complex_days,
            (_, AppealKind::Consultation) => self.consultation_days,
            _ => self.normal_days,
        };
        Deadlines {
            accept_by: cal.add_working_minutes(received_at, self.accept_working_minutes),
            due_at: cal.add_working_days(received_at, days),
        }
    }

    /// A granted extension (延期) adds working days to the current due time.
    pub fn extend(&self, cal: &WorkCalendar, due_at: Millis, days: u32) -> Millis {
        cal.add_working_days(due_at, days)
    }

    pub fn state(&self, due_at: Millis, now: Millis) -> DeadlineState {
        if now > due_at {
            DeadlineState::Overdue
        } else if due_at - now <= self.near_hours * HOUR {
            DeadlineState::Near
        } else {
            DeadlineState::OnTime
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emergency_is_two_wall_clock_hours() {
        let p = DeadlinePolicy::default();
        let d = p.deadlines(
            &WorkCalendar::default(),
            AppealKind::Help,
            Channel::Web,
            Urgency::Emergency,
            1_000,
        );
        assert_eq!(d.due_at, 1_000 + 2 * HOUR);
        assert!(d.accept_by < d.due_at);
    }

    #[test]
    fn complex_takes_longer_than_normal() {
        let p = DeadlinePolicy::default();
        let cal = WorkCalendar::default();
        let t = 1_790_000_000_000;
        let n = p.deadlines(
            &cal,
            AppealKind::Complaint,
            Channel::Web,
            Urgency::Normal,
            t,
        );
        let c = p.deadlines(
            &cal,
            AppealKind::Complaint,
            Channel::Web,
            Urgency::Complex,
            t,
        );
        assert!(c.due_at > n.due_at);
        assert!(
            n.due_at - t >= 7 * 24 * HOUR,
            "7 working days span at least 7 days"
        );
    }

    #[test]
    fn states_follow_the_clock() {
        let p = DeadlinePolicy::default();
        assert_eq!(p.state(100 * HOUR, 10 * HOUR), DeadlineState::OnTime);
        assert_eq!(p.state(100 * HOUR, 90 * HOUR), DeadlineState::Near);
        assert_eq!(p.state(100 * HOUR, 101 * HOUR), DeadlineState::Overdue);
    }
}
