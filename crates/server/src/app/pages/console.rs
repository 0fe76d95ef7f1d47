//! What every staff console page shares: the navigation bar with the signed-in staff
//! member, select options labelled from the catalogs, the case-list rows, and the
//! date fields of filter forms.

use chrono::NaiveDate;
use police_square_domain::{deadline::DeadlineState, Status};
use police_square_store::{AppealSummary, Id};

use super::ctx::{fmt_remaining, PageFrame};
use crate::app::{auth::CurrentStaff, state::AppState};

/// The page context with the signed-in staff member in the navigation bar.
pub(crate) fn staff_page(state: &AppState, p: PageFrame, staff: &CurrentStaff) -> PageFrame {
    let org = state.org();
    p.with_staff(staff, org.name(staff.unit_id))
}

/// One option of a select.
pub(crate) struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(crate) type Options = Vec<Opt>;

/// Options for enum keys labelled by `<prefix>.<key>` catalog entries.
pub(crate) fn options<T: std::fmt::Display>(
    p: &PageFrame,
    prefix: &str,
    all: &[T],
    current: &str,
) -> Options {
    all.iter()
        .map(|v| {
            let value = v.to_string();
            Opt {
                label: p.t(&format!("{prefix}.{value}")),
                selected: value == current,
                value,
            }
        })
        .collect()
}

/// One row of a case list.
pub(crate) struct Row {
    pub id: Id,
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub excerpt: String,
    pub status: Status,
    pub status_label: String,
    pub emergency: bool,
    /// 可能紧急 (not shown beside 紧急, which says more).
    pub possible: bool,
    pub overdue: bool,
    pub near: bool,
    pub supervision: String,
    /// Follow-up calls (催问) since intake.
    pub follow_ups: i32,
    pub unit: String,
    pub received: String,
    pub remaining: String,
    pub phone: String,
}

pub(crate) fn rows(state: &AppState, p: &PageFrame, items: &[AppealSummary]) -> Vec<Row> {
    let org = state.org();
    let now = state.now();
    let policy = state.settings().policy.clone();
    items
        .iter()
        .map(|s| {
            let open = s.status.is_open();
            let dl = policy.state(s.due_at, now);
            Row {
                id: s.id,
                kind: p.t(&format!("kind.{}", s.kind)),
                channel: p.t(&format!("channel.{}", s.channel)),
                category: s
                    .category
                    .as_deref()
                    .map(|c| p.t(&format!("category.{c}")))
                    .unwrap_or_default(),
                excerpt: s.excerpt.clone(),
                status: s.status,
                status_label: p.t(&format!("status.{}", s.status)),
                emergency: s.emergency,
                possible: s.possible_emergency && !s.emergency,
                overdue: open && dl == DeadlineState::Overdue,
                near: open && dl == DeadlineState::Near,
                supervision: match s.supervision_level {
                    1 => p.t("page.inbox.reminded"),
                    l if l >= 2 => p.t("page.inbox.escalated"),
                    _ => String::new(),
                },
                follow_ups: s.follow_ups,
                unit: org.name(s.unit_id).unwrap_or_default().to_owned(),
                received: p.time(&s.received_at),
                remaining: if open {
                    fmt_remaining(p.lang, s.due_at, now)
                } else {
                    String::new()
                },
                phone: s.phone_masked.clone(),
            }
        })
        .collect()
}

/// A `YYYY-MM-DD` date field of a filter form.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}
