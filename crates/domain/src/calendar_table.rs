//! The holiday calendar as the admin edits it (节假日与调休): a table of dated rows, each
//! a holiday or an adjusted workday with a name (国庆节, 国庆调休). Stored as the CSV
//! `date,type,name` that [`crate::WorkCalendar::parse_csv`] reads (it ignores the name).

use chrono::NaiveDate;

pub const MAX_DAY_NAME: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DayKind {
    /// 休: a weekday off.
    Holiday,
    /// 班: a weekend day worked.
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s.trim() {
            "holiday" | "休" | "节假日" => Some(DayKind::Holiday),
            "workday" | "班" | "调休上班" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// A row the admin typed, before validation.
#[derive(Debug, Clone, Default)]
pub struct RawDay<'a> {
    pub date: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
}

/// Why a row was refused: `row` is its 1-based position in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayError {
    pub row: usize,
    pub field: &'static str,
    pub reason: &'static str,
}

/// Validates every row (blank rows are skipped) and reports every bad one; the days
/// come back sorted by date.
pub fn validate(rows: &[RawDay<'_>]) -> Result<Vec<CalendarDay>, Vec<DayError>> {
    let mut days: Vec<CalendarDay> = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in rows.iter().enumerate() {
        let row = i + 1;
        if raw.date.trim().is_empty() && raw.name.trim().is_empty() {
            continue;
        }
        let date = match NaiveDate::parse_from_str(raw.date.trim(), "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                errors.push(DayError {
                    row,
                    field: "date",
                    reason: "bad_date",
                });
                continue;
            }
        };
        let Some(kind) = DayKind::parse(raw.kind) else {
            errors.push(DayError {
                row,
                field: "kind",
                reason: "bad_kind",
            });
            continue;
        };
        let name = raw.name.trim();
        if name.chars().count() > MAX_DAY_NAME
            || name
                .chars()
                .any(|c| c.is_control() || c == ',' || c == '，')
        {
            errors.push(DayError {
                row,
                field: "name",
                reason: "bad_name",
            });
            continue;
        }
        if days.iter().any(|d| d.date == date) {
            errors.push(DayError {
                row,
                field: "date",
                reason: "duplicate_date",
            });
            continue;
        }
        days.push(CalendarDay {
            date,
            kind,
            name: name.to_owned(),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    days.sort_by_key(|d| d.date);
    Ok(days)
}

/// The stored CSV of a table.
pub fn to_csv(days: &[CalendarDay]) -> String {
    let mut out = String::from("date,type,name\n");
    for d in days {
        out.push_str(&format!("{},{},{}\n", d.date, d.kind.as_str(), d.name));
    }
    out
}

/// The table of a stored CSV (older calendars have no names); lines that do not read
/// are skipped, as the stored text was validated when saved.
pub fn from_csv(text: &str) -> Vec<CalendarDay> {
    let mut days: Vec<CalendarDay> = text
        .lines()
        .filter_map(|line| {
            let mut cols = line.split(',').map(str::trim);
            let date = NaiveDate::parse_from_str(cols.next()?, "%Y-%m-%d").ok()?;
            let kind = DayKind::parse(cols.next()?)?;
            let name = cols.next().unwrap_or_default().to_owned();
            Some(CalendarDay { date, kind, name })
        })
        .collect();
    days.sort_by_key(|d| d.date);
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WorkCalendar;

    #[test]
    fn a_valid_table_round_trips_and_the_calendar_reads_it() {
        let rows = [
            RawDay {
                date: "2026-10-08",
                kind: "holiday",
                name: "国庆节",
            },
            RawDay {
                date: "",
                kind: "holiday",
                name: "",
            },
            RawDay {
                date: "2026-10-10",
                kind: "班",
                name: "国庆调休",
            },
        ];
        let days = validate(&rows).unwrap();
        assert_eq!(days.len(), 2);
        let csv = to_csv(&days);
        assert_eq!(from_csv(&csv), days);
        let cal = WorkCalendar::new(WorkCalendar::parse_csv(&csv).unwrap());
        assert!(!cal.is_workday(NaiveDate::from_ymd_opt(2026, 10, 8).unwrap()));
        assert!(cal.is_workday(NaiveDate::from_ymd_opt(2026, 10, 10).unwrap()));
    }

    #[test]
    fn every_bad_row_is_reported() {
        let rows = [
            RawDay {
                date: "2026-13-01",
                kind: "holiday",
                name: "",
            },
            RawDay {
                date: "2026-10-01",
                kind: "maybe",
                name: "",
            },
            RawDay {
                date: "2026-10-02",
                kind: "holiday",
                name: "国庆,节",
            },
            RawDay {
                date: "2026-10-03",
                kind: "holiday",
                name: "",
            },
            RawDay {
                date: "2026-10-03",
                kind: "workday",
                name: "",
            },
        ];
        let errors = validate(&rows).unwrap_err();
        let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.reason)).collect();
        assert_eq!(
            got,
            vec![
                (1, "bad_date"),
                (2, "bad_kind"),
                (3, "bad_name"),
                (5, "duplicate_date")
            ]
        );
    }
}
