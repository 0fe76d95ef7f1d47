//! Every page, in zh-CN, shows Chinese from the catalogs and nothing else: no catalog
//! key left untranslated ("page.detail.x") and no English that came from the code (the
//! review reason once read "unsatisfied rating"). Each role's pages are rendered with
//! data on them — appeals in every state, requests, an alert, a report — and their
//! visible text (text nodes and the attributes people see or hear: placeholder,
//! aria-label, title, alt, button values) is scanned for ASCII words outside a short
//! allow-list of product terms and units.

use crate::common::{Backend, STAFF};
use crate::pages_support::{seed::seed_every_state, spawn_pages_app, Browser};
use reqwest::StatusCode;

/// ASCII words a Chinese page may show: product and standard terms, units, file
/// formats, and the fixture accounts' display names (data, not code).
const ALLOWED: &[&str] = &[
    "e",    // 警务e广场
    "Open", // Open311
    "API",  //
    "OpenAPI", "CSV", "XLSX", "xlsx", "GBK", "UTF", "km", "ID", "SMS", "SVG",
    "English", // the language switch, named in its own language
    // The holiday calendar's CSV format (column names and values an admin types).
    "date", "type", "holiday", "workday",
];

/// The text a person sees on `html`: text nodes outside script and style, and the
/// attributes that are shown or read aloud.
fn visible_text(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push(rest[..lt].to_owned());
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect::<String>()
            .to_ascii_lowercase();
        for attr in ["placeholder", "aria-label", "title", "alt"] {
            if let Some(v) = attr_value(tag, attr) {
                out.push(v);
            }
        }
        if name == "input"
            && attr_value(tag, "type").is_some_and(|t| t == "submit" || t == "button")
        {
            out.extend(attr_value(tag, "value"));
        }
        rest = &rest[gt + 1..];
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            match rest.find(&close) {
                Some(end) => rest = &rest[end..],
                None => break,
            }
        }
    }
    out.push(rest.to_owned());
    out.into_iter()
        .map(|t| {
            t.replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#x27;", "'")
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

fn attr_value(tag: &str, attr: &str) -> Option<String> {
    let key = format!(" {attr}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')? + at;
    Some(tag[at..end].to_owned())
}

/// English words in `text` that the allow-list does not cover. Chunks that are codes
/// (tracking codes, masked phones, URLs, dates) are skipped whole.
fn english_words(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for chunk in text.split(|c: char| c.is_whitespace() || !c.is_ascii()) {
        let chunk = chunk.trim_matches(|c: char| ",.;:!?()[]{}\"'·—-→←".contains(c));
        if chunk.is_empty() || chunk.contains("://") || chunk.starts_with('/') || is_code(chunk) {
            continue;
        }
        for word in chunk.split(|c: char| !c.is_ascii_alphabetic()) {
            if word.len() >= 2 && !ALLOWED.contains(&word) && !is_fixture_name(chunk) {
                found.push(chunk.to_owned());
                break;
            }
        }
    }
    found
}

/// A tracking code (grouped or not) or similar identifier: capitals and digits only.
fn is_code(chunk: &str) -> bool {
    chunk.len() >= 8
        && chunk
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
}

fn is_fixture_name(chunk: &str) -> bool {
    STAFF.iter().any(|(name, _, _)| *name == chunk)
}

/// Fetch `path` and collect what is wrong with its text.
async fn scan(b: &mut Browser, who: &str, path: &str, problems: &mut Vec<String>) {
    let page = b.get(path).await;
    assert!(
        page.status == StatusCode::OK || page.status == StatusCode::NOT_FOUND,
        "{who} {path}: {} {}",
        page.status,
        page.body
    );
    page.assert_html();
    assert!(
        page.body.contains("lang=\"zh-CN\""),
        "{who} {path} is not a zh-CN page"
    );
    for text in visible_text(&page.body) {
        let words = english_words(&text);
        if !words.is_empty() {
            problems.push(format!("{who} {path}: {words:?} in {:?}", text.trim()));
        }
    }
}

on_both_backends!(every_page_in_chinese_shows_no_english_from_the_code);

async fn every_page_in_chinese_shows_no_english_from_the_code(backend: Backend) {
    let app = spawn_pages_app(backend).await;
    let s = seed_every_state(&app).await;
    let mut problems = Vec::new();

    // The resident: portal pages, a tracking page before and after verification.
    let mut resident = Browser::new(&app);
    for path in ["/", "/appeals/new", "/track"] {
        scan(&mut resident, "resident", path, &mut problems).await;
    }
    let code = &s.replied_code;
    scan(
        &mut resident,
        "resident",
        &format!("/track/{code}"),
        &mut problems,
    )
    .await;
    resident.verify_resident(&app, code, &s.replied_phone).await;
    scan(
        &mut resident,
        "resident",
        &format!("/track/{code}"),
        &mut problems,
    )
    .await;

    let cases = [
        s.received,
        s.accepted,
        s.replied,
        s.under_review,
        s.reopened,
        s.rejected,
    ];
    let mut staff_pages: Vec<(&str, Vec<String>)> = vec![
        (
            "station_a_handler",
            vec!["/staff".into(), "/staff/search?q=路灯".into()],
        ),
        (
            "operator",
            vec![
                "/staff/hotline".into(),
                "/staff/hotline?phone=13800001001".into(),
            ],
        ),
        ("a_supervisor", vec!["/staff/supervision".into()]),
        (
            "a_leader",
            vec![
                "/staff/dashboard".into(),
                "/staff/dashboard?period=month".into(),
                "/staff/opinion".into(),
                "/staff/alerts".into(),
                format!("/staff/alerts/{}", s.alert),
                "/staff/reports".into(),
                format!("/staff/reports/{}", s.report),
            ],
        ),
        ("admin", vec!["/staff/admin".into()]),
    ];
    for (who, pages) in staff_pages.iter_mut() {
        if *who == "station_a_handler" || *who == "a_supervisor" {
            pages.extend(cases.iter().map(|id| format!("/staff/appeals/{id}")));
        }
    }
    let mut anonymous = Browser::new(&app);
    scan(&mut anonymous, "anonymous", "/staff/login", &mut problems).await;
    for (who, pages) in &staff_pages {
        let mut b = Browser::new(&app);
        b.login(who).await;
        for path in pages {
            scan(&mut b, who, path, &mut problems).await;
        }
    }
    assert!(
        problems.is_empty(),
        "English or untranslated keys on zh-CN pages:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_scan_finds_english_and_keys_but_not_codes() {
    assert_eq!(
        english_words("复核原因：unsatisfied rating"),
        vec!["unsatisfied", "rating"]
    );
    assert_eq!(
        english_words("page.detail.reason"),
        vec!["page.detail.reason"]
    );
    assert!(english_words("跟踪码 7K3M-9QX2-AB4C-D5EF · 3.2 km · 警务e广场").is_empty());
    assert!(english_words("2026-03-04 10:00 138****1234 https://example.org/x").is_empty());
    let text = visible_text(
        "<p title=\"Hello\">你好</p><script>var x = 1;</script><input type=\"submit\" value=\"Go\">",
    );
    assert_eq!(text, vec!["Hello", "你好", "Go"]);
}
