//! Report periods: ISO weeks, calendar months and quarters in China Standard Time.

use chrono::{Datelike, Duration, NaiveDate};
use police_square_domain::{
    calendar::{local_midnight, to_local},
    Millis,
};
use police_square_store::ReportKind;
use serde::{Deserialize, Serialize};

use crate::app::error::{AppError, AppResult};

// ── periods ─────────────────────────────────────────────────────────────

/// `[start, end)` of one report period, China Standard Time boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub kind: ReportKind,
    pub start: Millis,
    pub end: Millis,
}

fn first_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).expect("valid month")
}

fn next_month(date: NaiveDate) -> NaiveDate {
    if date.month() == 12 {
        first_of_month(date.year() + 1, 1)
    } else {
        first_of_month(date.year(), date.month() + 1)
    }
}

/// A report's day as a form or an API body gives it, `YYYY-MM-DD`, in the years a
/// report can cover (far-off years would overflow the period arithmetic).
pub fn report_date(text: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1970..=9999).contains(&d.year()))
        .ok_or_else(|| AppError::Unprocessable("date: a YYYY-MM-DD day is required".into()))
}

impl Period {
    /// The period of `kind` containing the local day `date`.
    pub fn containing_date(kind: ReportKind, date: NaiveDate) -> Period {
        let (first, next) = match kind {
            ReportKind::Weekly => {
                let monday =
                    date - Duration::days(i64::from(date.weekday().num_days_from_monday()));
                (monday, monday + Duration::days(7))
            }
            ReportKind::Monthly => {
                let first = first_of_month(date.year(), date.month());
                (first, next_month(first))
            }
            ReportKind::Quarterly => {
                let month = (date.month() - 1) / 3 * 3 + 1;
                let first = first_of_month(date.year(), month);
                (first, next_month(next_month(next_month(first))))
            }
        };
        Period {
            kind,
            start: local_midnight(first),
            end: local_midnight(next),
        }
    }

    /// The period of `kind` containing the instant `at`.
    pub fn containing(kind: ReportKind, at: Millis) -> Period {
        Self::containing_date(kind, to_local(at).date_naive())
    }

    /// The period just before this one.
    pub fn previous(&self) -> Period {
        Self::containing(self.kind, self.start - 1)
    }

    /// The last period that has ended by `now`.
    pub fn last_completed(kind: ReportKind, now: Millis) -> Period {
        Self::containing(kind, now).previous()
    }

    fn first_day(&self) -> NaiveDate {
        to_local(self.start).date_naive()
    }

    /// Language-neutral name: `2026-W10`, `2026-03`, `2026-Q1`.
    pub fn label(&self) -> String {
        let d = self.first_day();
        match self.kind {
            ReportKind::Weekly => {
                let w = d.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
            ReportKind::Monthly => format!("{}-{:02}", d.year(), d.month()),
            ReportKind::Quarterly => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
        }
    }

    /// `2026-03-02 — 2026-03-08` (inclusive local days).
    pub fn range(&self) -> String {
        format!(
            "{} — {}",
            to_local(self.start).format("%Y-%m-%d"),
            to_local(self.end - 1).format("%Y-%m-%d")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn local_day(at: Millis) -> String {
        to_local(at).format("%Y-%m-%d %H:%M").to_string()
    }

    #[test]
    fn periods_follow_china_calendar() {
        // Wednesday 2026-03-04.
        let w = Period::containing_date(ReportKind::Weekly, date("2026-03-04"));
        assert_eq!(local_day(w.start), "2026-03-02 00:00");
        assert_eq!(local_day(w.end), "2026-03-09 00:00");
        assert_eq!(w.label(), "2026-W10");
        assert_eq!(w.range(), "2026-03-02 — 2026-03-08");
        let m = Period::containing_date(ReportKind::Monthly, date("2026-12-31"));
        assert_eq!(local_day(m.start), "2026-12-01 00:00");
        assert_eq!(local_day(m.end), "2027-01-01 00:00");
        assert_eq!(m.label(), "2026-12");
        let q = Period::containing_date(ReportKind::Quarterly, date("2026-05-20"));
        assert_eq!(local_day(q.start), "2026-04-01 00:00");
        assert_eq!(local_day(q.end), "2026-07-01 00:00");
        assert_eq!(q.label(), "2026-Q2");
        assert_eq!(q.previous().label(), "2026-Q1");
        assert_eq!(
            Period::containing_date(ReportKind::Quarterly, date("2026-01-01"))
                .previous()
                .label(),
            "2025-Q4"
        );
        // ISO week 1 of 2026 starts on Monday 2025-12-29.
        let w1 = Period::containing_date(ReportKind::Weekly, date("2026-01-01"));
        assert_eq!(w1.label(), "2026-W01");
        assert_eq!(local_day(w1.start), "2025-12-29 00:00");
        // Boundaries are China midnight: 2026-03-01 00:00 CST is 16:00 UTC the day before.
        assert_eq!(m.start % 86_400_000, 16 * 3_600_000);
        let last = Period::last_completed(ReportKind::Monthly, w.start);
        assert_eq!(last.label(), "2026-02");
    }

    #[test]
    fn report_dates_are_days_of_years_a_report_can_cover() {
        assert_eq!(report_date(" 2026-03-04 ").unwrap(), date("2026-03-04"));
        // chrono accepts these; the period arithmetic would overflow on them.
        for bad in [
            "+262142-12-31",
            "-0001-01-01",
            "1969-12-31",
            "2026-02-30",
            "",
            "x",
        ] {
            assert!(report_date(bad).is_err(), "{bad}");
        }
    }
}
