//! Emerging-issue alerts in words a leader reads: a headline (place + problem,
//! "织里镇烧烤店夜间噪音") instead of a keyword pile, and how unusual the burst is
//! ("比平常多 6 倍") with the statistical test one click away (a `<details>`).

use police_square_text::{
    emerging::{unusualness, Unusual},
    headline::headline_of_keywords,
    EmergingConfig,
};

use crate::app::pages::ctx::{group_digits, Page};

/// The headline of an alert from its stored keywords; when no known problem fits
/// them, the place (if any) and the first keywords.
pub fn alert_headline(p: &Page, keywords: &[String], categories: &[String]) -> String {
    let h = headline_of_keywords(keywords);
    if let Some(text) = h.text() {
        return text;
    }
    let what = match categories.first() {
        Some(c) => p.t(&format!("category.{c}")),
        None => keywords
            .iter()
            .take(2)
            .cloned()
            .collect::<Vec<_>>()
            .join("、"),
    };
    format!("{}{what}", h.place.unwrap_or_default())
}

/// "比平常多 N 倍" / "usually almost none".
pub fn unusual(p: &Page, observed: i64, expected: f64) -> String {
    match unusualness(observed as f64, expected) {
        Unusual::UsuallyNone => p.t1(
            "analysis.unusual.usually_none",
            "observed",
            &group_digits(observed),
        ),
        Unusual::Times(n) => p.t1("analysis.unusual.times", "n", &n.to_string()),
    }
}

/// The test behind an alert, for the `<details>` under its plain words.
pub fn test_details(p: &Page, observed: i64, expected: f64, p_value: f64) -> String {
    let weeks = EmergingConfig::default().baseline_days / 7;
    p.ta(
        "analysis.unusual.test",
        &[
            ("observed", &group_digits(observed)),
            ("expected", &format!("{expected:.1}")),
            ("weeks", &weeks.to_string()),
            ("p", &format!("{p_value:.1e}")),
        ],
    )
}
