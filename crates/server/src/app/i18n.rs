//! Locale catalogs (`locales/zh-CN.toml`, `locales/en.toml`: flat dotted keys) and the
//! request language. zh-CN is the default; a missing English key falls back to zh-CN,
//! and a missing key everywhere shows the key itself (visible, never a panic).

use std::{collections::HashMap, sync::OnceLock};

use axum::{extract::FromRequestParts, http::request::Parts};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// `zh`, `zh-CN`, `zh_cn`, `en`, `en-US`…; anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the first supported language of an `Accept-Language` header, by q-value.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or_default();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(lang) = Lang::parse(tag) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    /// `?lang=` beats the `lang` cookie, which beats `Accept-Language`.
    pub fn from_parts(parts: &Parts) -> Lang {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("lang="))
                .and_then(Lang::parse)
        });
        let from_cookie =
            || crate::app::auth::cookie(&parts.headers, "lang").and_then(|v| Lang::parse(&v));
        let from_header = || {
            parts
                .headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        };
        from_query
            .or_else(from_cookie)
            .or_else(from_header)
            .unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_parts(parts))
    }
}

/// All messages of all languages, loaded once from the embedded TOML files.
pub struct Catalog {
    messages: HashMap<Lang, HashMap<String, String>>,
}

impl Catalog {
    pub fn global() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::from_sources(&[
                (Lang::ZhCn, include_str!("../../locales/zh-CN.toml")),
                (Lang::En, include_str!("../../locales/en.toml")),
            ])
            .expect("embedded locale catalogs are valid TOML (checked by tests)")
        })
    }

    pub fn from_sources(sources: &[(Lang, &str)]) -> Result<Catalog, toml::de::Error> {
        let mut messages = HashMap::new();
        for (lang, text) in sources {
            let table: toml::Table = toml::from_str(text)?;
            let mut flat = HashMap::new();
            flatten("", &toml::Value::Table(table), &mut flat);
            messages.insert(*lang, flat);
        }
        Ok(Catalog { messages })
    }

    /// The message for `key` in `lang`.
    pub fn t(&self, lang: Lang, key: &str) -> String {
        self.lookup(lang, key)
            .or_else(|| self.lookup(Lang::ZhCn, key))
            .map(str::to_owned)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The message with `{name}` placeholders filled in.
    pub fn t_args(&self, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(lang, key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    pub fn lookup(&self, lang: Lang, key: &str) -> Option<&str> {
        self.messages.get(&lang)?.get(key).map(String::as_str)
    }

    pub fn keys(&self, lang: Lang) -> impl Iterator<Item = &str> {
        self.messages
            .get(&lang)
            .into_iter()
            .flat_map(|m| m.keys().map(String::as_str))
    }
}

fn flatten(prefix: &str, value: &toml::Value, out: &mut HashMap<String, String>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
        }
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

/// Shorthand for `Catalog::global().t(lang, key)`.
pub fn t(lang: Lang, key: &str) -> String {
    Catalog::global().t(lang, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use police_square_domain::{AppealKind, Channel, Satisfaction, Status};

    #[test]
    fn languages_are_negotiated() {
        assert_eq!(
            Lang::from_accept_language("fr;q=1, en-US;q=0.8, zh-CN;q=0.9"),
            Some(Lang::ZhCn)
        );
        assert_eq!(Lang::from_accept_language("en"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr"), None);
    }

    #[test]
    fn both_catalogs_have_the_same_keys_and_every_enum_value() {
        let c = Catalog::global();
        let mut zh: Vec<_> = c.keys(Lang::ZhCn).collect();
        let mut en: Vec<_> = c.keys(Lang::En).collect();
        zh.sort();
        en.sort();
        assert_eq!(zh, en, "zh-CN.toml and en.toml must define the same keys");
        let mut needed: Vec<String> = Vec::new();
        needed.extend(AppealKind::ALL.iter().map(|k| format!("kind.{k}")));
        needed.extend(Channel::ALL.iter().map(|k| format!("channel.{k}")));
        needed.extend(Status::ALL.iter().map(|k| format!("status.{k}")));
        needed.extend(
            Satisfaction::ALL
                .iter()
                .map(|k| format!("satisfaction.{k}")),
        );
        needed.extend(
            police_square_domain::Category::DEFAULTS
                .iter()
                .map(|k| format!("category.{k}")),
        );
        for key in needed {
            for lang in Lang::ALL {
                assert!(
                    c.lookup(lang, &key).is_some(),
                    "{} lacks {key}",
                    lang.code()
                );
            }
        }
        assert_eq!(c.t(Lang::ZhCn, "kind.complaint"), "投诉");
        assert_eq!(c.t(Lang::En, "no.such.key"), "no.such.key");
    }
}
