//! The demo working-day calendar: approximate 2025-10 .. 2027-01 Chinese public
//! holidays with their adjusted workdays (调休). Demo data only — an admin loads the
//! official list in production.

use police_square_domain::WorkCalendar;

/// The CSV (`date,type,name`) in the format `WorkCalendar::parse_csv` reads.
pub const HOLIDAYS_CSV: &str = include_str!("../data/holidays-demo.csv");

/// The demo calendar; the store's `calendar` setting can be filled from [`HOLIDAYS_CSV`].
pub fn demo_calendar() -> WorkCalendar {
    WorkCalendar::new(WorkCalendar::parse_csv(HOLIDAYS_CSV).expect("shipped demo calendar parses"))
}

pub use police_square_domain::calendar::local_midnight;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn national_day_and_adjusted_workdays() {
        let cal = demo_calendar();
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert!(!cal.is_workday(d(10, 1)));
        assert!(!cal.is_workday(d(10, 7)));
        assert!(cal.is_workday(d(10, 10)), "Saturday worked after 国庆");
        assert!(cal.is_workday(d(9, 20)), "Sunday worked before 国庆");
        assert!(!cal.is_workday(d(2, 18)), "春节");
        assert!(cal.is_workday(d(11, 23)), "an ordinary Monday");
    }
}
