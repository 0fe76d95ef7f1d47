//! Escaping text for HTML and SVG built outside the templates (highlighted search
//! matches, server-rendered charts). Templates escape by themselves.

/// Appends `c` to `out`, escaped for element text and quoted attribute values.
pub fn escape_into(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

/// `s`, escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        escape_into(&mut out, c);
    }
    out
}
