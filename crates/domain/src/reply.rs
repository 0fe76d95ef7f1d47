//! Replies (答复) built from templates: a template's fields are filled in, and a reply
//! that still holds a placeholder is refused, so a resident never receives "……".

use crate::error::DomainError;

/// What a template's fields (`【单位】`, `【电话】`, `【日期】`, `【来信日期】`) become.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateFields {
    /// The unit answering (承办单位).
    pub unit: String,
    /// Where the resident can call back (the unit's public phone or the hotline).
    pub phone: String,
    /// Today, as the reply is written (`2026年3月4日`).
    pub date: String,
    /// When the appeal was received (`2026年3月1日`).
    pub received: String,
}

/// The fields a template may use, as they are written in its body.
pub const FIELDS: [&str; 4] = ["【单位】", "【电话】", "【日期】", "【来信日期】"];

/// The template's body with its fields filled in; placeholders meant for the handler
/// (`……`) stay, for them to replace.
pub fn fill(body: &str, fields: &TemplateFields) -> String {
    body.replace("【单位】", &fields.unit)
        .replace("【电话】", &fields.phone)
        .replace("【来信日期】", &fields.received)
        .replace("【日期】", &fields.date)
}

/// Text standing for "write the answer here" in a template.
const PLACEHOLDERS: [&str; 7] = ["……", "...", "…", "××", "XX", "＿＿", "__"];

/// The first placeholder left in `text`: a template's gap (`……`, `XX`, `__`) or a field
/// in brackets (`【…】`) that was never filled.
pub fn placeholder_in(text: &str) -> Option<String> {
    if let Some(p) = PLACEHOLDERS.iter().find(|p| text.contains(**p)) {
        return Some((*p).to_owned());
    }
    let start = text.find('【')?;
    let rest = &text[start..];
    let end = rest.find('】')?;
    let inner = &rest['【'.len_utf8()..end];
    // Short bracketed words are fields (【单位】); a long bracketed phrase is prose,
    // such as the 【警务广场】 signature of an SMS.
    (inner.chars().count() <= 6 && inner != "警务广场")
        .then(|| rest[..end + '】'.len_utf8()].to_owned())
}

/// A reply may be sent only when nothing in it is still a placeholder.
pub fn check_reply(text: &str) -> Result<(), DomainError> {
    match placeholder_in(text) {
        Some(p) => Err(DomainError::invalid(
            "text",
            format!("the reply still contains the placeholder `{p}`: replace it with the answer"),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_filled() {
        let fields = TemplateFields {
            unit: "爱山派出所".into(),
            phone: "96110".into(),
            date: "2026年3月4日".into(),
            received: "2026年3月1日".into(),
        };
        let body = "您【来信日期】反映的问题，【单位】已于【日期】办理，如有疑问请拨打【电话】。";
        assert_eq!(
            fill(body, &fields),
            "您2026年3月1日反映的问题，爱山派出所已于2026年3月4日办理，如有疑问请拨打96110。"
        );
        assert!(check_reply(&fill(body, &fields)).is_ok());
    }

    #[test]
    fn a_reply_with_a_placeholder_is_refused() {
        // Seen in the browser: the 咨询解答 template went out with its "……".
        let consult = "您好，关于您咨询的事项，具体办理要求如下：……如还有疑问，可拨打96110。";
        let err = check_reply(consult).unwrap_err().to_string();
        assert!(err.contains("……"), "{err}");
        assert!(check_reply("请于XX日前到窗口办理").is_err());
        assert!(check_reply("请联系【民警姓名】").is_err());
        assert!(check_reply(&fill("【单位】", &TemplateFields::default())).is_ok());
        assert!(check_reply("【警务广场】您好，您的驾驶证可在交警窗口补领。").is_ok());
        assert!(check_reply("您好，您的驾驶证可在车管所窗口补领，带身份证即可。").is_ok());
    }
}
