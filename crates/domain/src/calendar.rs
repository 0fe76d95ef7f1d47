//! Working-day calendar (工作日历): weekends, official holidays and adjusted workdays (调休).
//! China has one time zone without daylight saving, so local time is a fixed UTC+8.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Weekday};

use crate::{error::DomainError, Millis};

/// Office hours used for hour-based deadlines (e.g. "accept within 2 working hours").
const DAY_START: (u32, u32) = (9, 0);
const DAY_END: (u32, u32) = (17, 30);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Weekdays that are days off (法定节假日).
    holidays: BTreeSet<NaiveDate>,
    /// Weekend days that are worked (调休上班).
    workdays: BTreeSet<NaiveDate>,
}

/// One line of the admin-loadable calendar file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOverride {
    Holiday(NaiveDate),
    Workday(NaiveDate),
}

/// One calendar day in milliseconds.
pub const DAY_MS: Millis = 86_400_000;
/// China Standard Time's offset from UTC (UTC+8 all year), in milliseconds.
pub const CHINA_OFFSET_MS: Millis = 8 * 3_600_000;

pub fn china_tz() -> FixedOffset {
    FixedOffset::east_opt((CHINA_OFFSET_MS / 1000) as i32).expect("valid offset")
}

/// The China-time day number of an instant: whole days since 1970-01-01 China time.
/// Statistics and the opinion view's daily series are keyed by it.
pub fn day_of(at: Millis) -> i64 {
    (at + CHINA_OFFSET_MS).div_euclid(DAY_MS)
}

/// The first instant of a China-time day number.
pub fn day_start(day: i64) -> Millis {
    day * DAY_MS - CHINA_OFFSET_MS
}

pub fn to_local(at: Millis) -> DateTime<FixedOffset> {
    china_tz()
        .timestamp_millis_opt(at)
        .single()
        .expect("fixed offsets are never ambiguous")
}

/// The China-time calendar day of an instant.
pub fn local_date(at: Millis) -> NaiveDate {
    to_local(at).date_naive()
}

/// 00:00 China time on `date`.
pub fn local_midnight(date: NaiveDate) -> Millis {
    china_tz()
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .single()
        .expect("fixed offsets are never ambiguous")
        .timestamp_millis()
}

fn from_local(date: NaiveDate, time: NaiveTime) -> Millis {
    china_tz()
        .from_local_datetime(&date.and_time(time))
        .single()
        .expect("fixed offsets are never ambiguous")
        .timestamp_millis()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

impl WorkCalendar {
    pub fn new(overrides: impl IntoIterator<Item = DayOverride>) -> Self {
        let mut cal = Self::default();
        for o in overrides {
            match o {
                DayOverride::Holiday(d) => {
                    cal.workdays.remove(&d);
                    cal.holidays.insert(d);
                }
                DayOverride::Workday(d) => {
                    cal.holidays.remove(&d);
                    cal.workdays.insert(d);
                }
            }
        }
        cal
    }

    /// Parses `date,holiday|workday[,name]` lines; `#` comments and a header line are allowed.
    pub fn parse_csv(text: &str) -> Result<Vec<DayOverride>, DomainError> {
        let mut out = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || (n == 0 && line.starts_with("date")) {
                continue;
            }
            let mut cols = line.split(',').map(str::trim);
            let date = cols.next().unwrap_or_default();
            let kind = cols.next().unwrap_or_default();
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                DomainError::invalid("calendar", format!("line {}: bad date `{date}`", n + 1))
            })?;
            out.push(match kind {
                "holiday" | "休" => DayOverride::Holiday(date),
                "workday" | "班" => DayOverride::Workday(date),
                _ => {
                    return Err(DomainError::invalid(
                        "calendar",
                        format!("line {}: type must be holiday or workday", n + 1),
                    ))
                }
            });
        }
        Ok(out)
    }

    pub fn overrides(&self) -> impl Iterator<Item = DayOverride> + '_ {
        self.holidays
            .iter()
            .map(|d| DayOverride::Holiday(*d))
            .chain(self.workdays.iter().map(|d| DayOverride::Workday(*d)))
    }

    pub fn is_workday(&self, date: NaiveDate) -> bool {
        if self.workdays.contains(&date) {
            return true;
        }
        if self.holidays.contains(&date) {
            return false;
        }
        !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
    }

    fn next_workday(&self, mut date: NaiveDate) -> NaiveDate {
        loop {
            date = date.succ_opt().expect("date in range");
            if self.is_workday(date) {
                return date;
            }
        }
    }

    /// `start` plus `minutes` of office time, skipping nights, weekends and holidays.
    pub fn add_working_minutes(&self, start: Millis, minutes: i64) -> Millis {
        let local = to_local(start);
        let (open, close) = (hm(DAY_START.0, DAY_START.1), hm(DAY_END.0, DAY_END.1));
        let mut date = local.date_naive();
        let mut time = local.time();
        if !self.is_workday(date) || time >= close {
            date = self.next_workday(date);
            time = open;
        } else if time < open {
            time = open;
        }
        let mut left = Duration::minutes(minutes);
        loop {
            let room = close - time;
            if left <= room {
                return from_local(date, time + left);
            }
            left -= room;
            date = self.next_workday(date);
            time = open;
        }
    }

    /// The end of the `days`-th working day after the day of `start` (the day of intake
    /// itself does not count, as in 12345 practice).
    pub fn add_working_days(&self, start: Millis, days: u32) -> Millis {
        let mut date = to_local(start).date_naive();
        for _ in 0..days {
            date = self.next_workday(date);
        }
        from_local(date, hm(DAY_END.0, DAY_END.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Millis {
        from_local(NaiveDate::from_ymd_opt(y, m, d).unwrap(), hm(h, min))
    }

    #[test]
    fn day_numbers_turn_at_china_midnight() {
        let midnight = at(2026, 3, 2, 0, 0);
        assert_eq!(day_of(midnight), day_of(midnight - 1) + 1);
        assert_eq!(day_start(day_of(midnight + 5 * 3_600_000)), midnight);
        assert_eq!(midnight, local_midnight(local_date(midnight + DAY_MS - 1)));
    }

    #[test]
    fn weekends_and_holidays_are_skipped() {
        // 2026-10-01 (Thu) .. 10-07 holidays, 10-10 (Sat) adjusted workday.
        let csv = "date,type\n2026-10-01,holiday,国庆\n2026-10-02,holiday\n2026-10-05,holiday\n2026-10-06,holiday\n2026-10-07,holiday\n2026-10-10,workday\n";
        let cal = WorkCalendar::new(WorkCalendar::parse_csv(csv).unwrap());
        assert!(!cal.is_workday(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()));
        assert!(cal.is_workday(NaiveDate::from_ymd_opt(2026, 10, 10).unwrap()));
        // Submitted on 9-30 (Wed): day 1 = 10-08 (Thu), 2 = 10-09, 3 = 10-10 (adjusted Sat).
        assert_eq!(
            cal.add_working_days(at(2026, 9, 30, 10, 0), 3),
            at(2026, 10, 10, 17, 30)
        );
    }

    #[test]
    fn working_hours_roll_over_night_and_weekend() {
        let cal = WorkCalendar::default();
        // Friday 16:30 + 2h = Monday 10:00.
        assert_eq!(
            cal.add_working_minutes(at(2026, 11, 20, 16, 30), 120),
            at(2026, 11, 23, 10, 0)
        );
        // Saturday night counts from Monday opening.
        assert_eq!(
            cal.add_working_minutes(at(2026, 11, 21, 22, 0), 120),
            at(2026, 11, 23, 11, 0)
        );
    }

    #[test]
    fn bad_csv_is_reported_with_its_line() {
        let err = WorkCalendar::parse_csv("2026-13-01,holiday").unwrap_err();
        assert!(err.to_string().contains("line 1"));
        assert!(WorkCalendar::parse_csv("2026-01-01,party").is_err());
    }
}
