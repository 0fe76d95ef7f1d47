//! Full-text search over appeals for staff (民意研判: 检索).
//!
//! The query is segmented exactly like the appeal texts were at intake (the text
//! engine's normalisation and jieba tokens, content words only), every word must match,
//! results are newest first within the caller's unit subtree. Conduct complaints follow
//! the rules of [`crate::features::lifecycle::access`]: only supervisors and admins see them, and never a
//! supervisor posted in (or above, on the same chain as) the accused unit, admins
//! excepted — the store filters them, so counts and pages never include them.
//!
//! Each hit carries a snippet of its text around the first match, as plain text and as
//! HTML: every character of the appeal text is escaped first, then `<mark>` tags are
//! put around the matches; nothing the resident wrote can become markup. Mobile-phone-
//! like numbers in the snippet are masked (`138****1234`), like the contact fields.

pub mod api;
pub mod openapi;
pub mod page;

use std::collections::HashSet;

use chrono::NaiveDate;
use police_square_domain::{
    calendar::{local_midnight, DAY_MS},
    pii, AppealKind, Category, Role, Status,
};
use police_square_store::{AppealSummary, SearchQuery, Staff};
use police_square_text::TextEngine;
use serde::{Deserialize, Serialize};

use crate::{
    app::{error::AppResult, state::AppState},
    features::opinion::OpinionState,
};

pub const PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;
/// Longest query read (characters); the rest is ignored.
pub const MAX_QUERY_CHARS: usize = 200;
/// Deepest page served.
const MAX_PAGE: u32 = 500;
/// Characters of text shown around the first match.
const SNIPPET_CHARS: usize = 120;
/// Characters shown before the first match.
const SNIPPET_LEAD: usize = 30;

/// Search input (all but `q` optional). Dates are China-time calendar days, both
/// inclusive; `page` is zero-based.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchFilter {
    #[serde(default)]
    pub q: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<AppealKind>,
    pub category: Option<String>,
    pub status: Option<Status>,
    #[serde(default)]
    pub page: u32,
    pub page_size: Option<u32>,
}

/// One result: the inbox row (phone masked) and a snippet with the matches marked.
#[derive(Debug, Clone, Serialize)]
pub struct SearchItem {
    #[serde(flatten)]
    pub summary: AppealSummary,
    /// Up to ~120 characters of the text around the first match (plain text).
    pub snippet: String,
    /// The same snippet, HTML-escaped, matches wrapped in `<mark>`.
    pub snippet_html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchOutcome {
    /// The words searched for, as segmented (empty: nothing searchable in `q`).
    pub terms: Vec<String>,
    pub items: Vec<SearchItem>,
    pub page: u32,
    pub has_next: bool,
    /// Matches counted, at most 1000.
    pub total: u64,
    /// More than `total` matches exist.
    pub total_capped: bool,
    /// `total` is an estimate (a very common word under narrow filters).
    pub total_estimated: bool,
}

/// The words of a query as the index holds them: the text engine's precise-mode tokens
/// that its search-mode index text keeps (content words), without repeats. `engine`
/// is the node's current one, so words admins added to the dictionary are searched
/// whole, as intake indexed them.
pub fn query_terms(engine: &TextEngine, q: &str) -> Vec<String> {
    let q: String = q
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let index = engine.index_text(&q);
    let keep: HashSet<&str> = index.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    for t in engine.segment(&q) {
        if keep.contains(t.as_str()) && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

pub async fn search(
    state: &AppState,
    staff: &Staff,
    filter: &SearchFilter,
) -> AppResult<SearchOutcome> {
    let category = match filter.category.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(
            Category::new(c)
                .map_err(|_| police_square_domain::DomainError::invalid("category", "unknown"))?
                .to_string(),
        ),
    };
    if let (Some(f), Some(t)) = (filter.from, filter.to) {
        if f > t {
            return Err(police_square_domain::DomainError::invalid(
                "from",
                "must not be after `to`",
            )
            .into());
        }
    }
    let terms = query_terms(&OpinionState::of(state).text.current(), &filter.q);
    let page = filter.page.min(MAX_PAGE);
    let query = SearchQuery {
        terms: terms.clone(),
        scope: Some(staff.unit_path.clone()),
        include_conduct: staff.role.sees_conduct(),
        hide_conduct_about: if staff.role == Role::Admin {
            Vec::new()
        } else {
            staff.unit_path.ids()
        },
        from: filter.from.map(local_midnight),
        to: filter.to.map(|d| local_midnight(d) + DAY_MS),
        kind: filter.kind,
        category,
        statuses: filter.status.into_iter().collect(),
        page,
        page_size: filter
            .page_size
            .unwrap_or(PAGE_SIZE)
            .clamp(1, MAX_PAGE_SIZE),
    };
    let found = state.stores.appeals.search_appeals(&query).await?;
    let items = found
        .items
        .into_iter()
        .map(|hit| {
            let (snippet, snippet_html) = snippet(&hit.text, &terms);
            SearchItem {
                summary: hit.summary,
                snippet,
                snippet_html,
            }
        })
        .collect();
    Ok(SearchOutcome {
        terms,
        items,
        page,
        has_next: found.has_next,
        total: found.total,
        total_capped: found.total_capped,
        total_estimated: found.total_estimated,
    })
}

/// Character ranges of `text` where any of `terms` occurs, merged and sorted. Terms are
/// normalised (lower case, half-width, simplified); the text is normalised the same
/// way, character for character, to find them.
fn match_ranges(text: &[char], terms: &[String]) -> Vec<(usize, usize)> {
    let joined: String = text.iter().collect();
    let norm: Vec<char> = police_square_text::normalize::normalize(&joined)
        .chars()
        .collect();
    // Normalisation maps one character to one; if that ever changes, search the text.
    let hay: &[char] = if norm.len() == text.len() {
        &norm
    } else {
        text
    };
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for term in terms {
        let needle: Vec<char> = term.chars().collect();
        if needle.is_empty() || needle.len() > hay.len() {
            continue;
        }
        let mut i = 0;
        while i + needle.len() <= hay.len() {
            if hay[i..i + needle.len()] == needle[..] {
                ranges.push((i, i + needle.len()));
                i += needle.len();
            } else {
                i += 1;
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// The snippet of `text` around the first match: plain, and escaped with `<mark>`s.
pub fn snippet(text: &str, terms: &[String]) -> (String, String) {
    let mut chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let ranges = match_ranges(&chars, terms);
    // Long numbers (phones, ID cards) masked in place: the match ranges stay valid.
    pii::mask_chars(&mut chars);
    let first = ranges.first().map_or(0, |r| r.0);
    let mut start = first.saturating_sub(SNIPPET_LEAD);
    let end = (start + SNIPPET_CHARS).min(chars.len());
    if end - start < SNIPPET_CHARS {
        start = end.saturating_sub(SNIPPET_CHARS);
    }
    let (lead, tail) = (start > 0, end < chars.len());
    let mut plain = String::new();
    let mut html = String::new();
    if lead {
        plain.push('…');
        html.push('…');
    }
    let mut open = false;
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        let marked = ranges.iter().any(|&(s, e)| i >= s && i < e);
        if marked && !open {
            html.push_str("<mark>");
            open = true;
        } else if !marked && open {
            html.push_str("</mark>");
            open = false;
        }
        plain.push(c);
        crate::app::html::escape_into(&mut html, c);
    }
    if open {
        html.push_str("</mark>");
    }
    if tail {
        plain.push('…');
        html.push('…');
    }
    (plain, html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::opinion::analysis::engine;

    fn terms(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn hostile_text_stays_escaped_and_only_matches_are_marked() {
        let (plain, html) = snippet(
            "<script>alert('电瓶车')</script> & \"电瓶车\" <mark>x</mark>",
            &terms(&["电瓶车", "script"]),
        );
        assert!(plain.contains("<script>"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("<mark>x"));
        assert_eq!(
            html,
            "&lt;<mark>script</mark>&gt;alert(&#39;<mark>电瓶车</mark>&#39;)&lt;/<mark>script</mark>&gt; \
             &amp; &quot;<mark>电瓶车</mark>&quot; &lt;mark&gt;x&lt;/mark&gt;"
        );
    }

    #[test]
    fn matches_ignore_case_and_width_and_merge() {
        let (_, html) = snippet("ＩＰＨＯＮＥ手机被偷", &terms(&["iphone", "手机", "机被"]));
        assert_eq!(html, "<mark>ＩＰＨＯＮＥ手机被</mark>偷");
    }

    #[test]
    fn snippet_is_a_window_around_the_first_match_with_phones_masked() {
        let text = format!(
            "{}联系电话13812345678，电瓶车被偷{}",
            "前".repeat(200),
            "后".repeat(200)
        );
        let (plain, html) = snippet(&text, &terms(&["电瓶车"]));
        assert!(plain.starts_with('…') && plain.ends_with('…'));
        assert!(plain.contains("138****5678"));
        assert!(!plain.contains("13812345678"));
        assert!(html.contains("<mark>电瓶车</mark>"));
        assert!(plain.chars().count() <= SNIPPET_CHARS + 2);
        // No match: the start of the text.
        let (plain, _) = snippet("短文本", &terms(&["无"]));
        assert_eq!(plain, "短文本");
    }

    #[test]
    fn query_terms_are_content_words_once() {
        let t = query_terms(engine(), "电瓶车 被偷了！！电瓶车\0 OR \"*\"");
        assert!(t.contains(&"电瓶车".to_string()), "{t:?}");
        assert_eq!(t.iter().filter(|w| *w == "电瓶车").count(), 1);
        assert!(t
            .iter()
            .all(|w| !w.contains('!') && !w.contains('"') && !w.contains('*')));
        assert!(query_terms(engine(), "").is_empty());
        assert!(query_terms(engine(), "，。！？").is_empty());
    }
}
