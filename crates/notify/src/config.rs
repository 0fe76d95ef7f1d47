//! Configuration: which transport to use, and per-route routing (SMS, e-mail, webhook).
//!
//! TOML example (the server decides where this table lives):
//! ```toml
//! [notify.default]
//! kind = "log"
//! path = "data/dev-outbox.jsonl"
//!
//! [notify.email]
//! kind = "smtp"
//! host = "smtp.example.org"
//! port = 587
//! tls = "starttls"          # none | starttls | tls
//! username = "noreply"
//! password = "…"
//! from = "警务广场 <noreply@police.example>"
//!
//! [notify.sms]
//! kind = "smpp"
//! host = "smsc.example.org"
//! port = 2775
//! system_id = "police"
//! password = "…"
//! source_addr = "96110"
//!
//! [notify.webhook]
//! kind = "webhook"
//! url = "https://gateway.example.org/notify"
//! secret = "…"
//! ```

use std::sync::Arc;

use serde::Deserialize;

use crate::{
    LogTransport, Router, SmppConfig, SmppTransport, SmtpConfig, SmtpTransport, Transport,
    WebhookConfig, WebhookTransport,
};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid notify config: {0}")]
    Invalid(String),
}

/// A password or key: deserialises from a plain string, never prints itself.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain text; only for a local relay or tests.
    None,
    /// STARTTLS required (port 587).
    #[default]
    Starttls,
    /// Implicit TLS (port 465).
    Tls,
}

/// One transport, tagged by `kind`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TransportConfig {
    /// Dev-only JSON-lines file (see [`LogTransport`]).
    Log {
        path: std::path::PathBuf,
    },
    Smtp(SmtpConfig),
    Webhook(WebhookConfig),
    Smpp(SmppConfig),
}

pub fn build_transport(cfg: &TransportConfig) -> Result<Arc<dyn Transport>, ConfigError> {
    Ok(match cfg {
        TransportConfig::Log { path } => Arc::new(LogTransport::new(path)),
        TransportConfig::Smtp(c) => Arc::new(SmtpTransport::new(c)?),
        TransportConfig::Webhook(c) => Arc::new(WebhookTransport::new(c)?),
        TransportConfig::Smpp(c) => Arc::new(SmppTransport::new(c.clone())),
    })
}

/// Per-route transports; routes left out go to `default`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouterConfig {
    pub default: TransportConfig,
    #[serde(default)]
    pub sms: Option<TransportConfig>,
    #[serde(default)]
    pub email: Option<TransportConfig>,
    #[serde(default)]
    pub webhook: Option<TransportConfig>,
}

impl RouterConfig {
    /// Development default: everything into one log file.
    pub fn dev(path: impl Into<std::path::PathBuf>) -> Self {
        Self {
            default: TransportConfig::Log { path: path.into() },
            sms: None,
            email: None,
            webhook: None,
        }
    }
}

pub fn build_router(cfg: &RouterConfig) -> Result<Router, ConfigError> {
    let mut router = Router::new(build_transport(&cfg.default)?);
    for (route, c) in [
        (crate::DeliveryRoute::Sms, &cfg.sms),
        (crate::DeliveryRoute::Email, &cfg.email),
        (crate::DeliveryRoute::Webhook, &cfg.webhook),
    ] {
        if let Some(c) = c {
            router = router.with(route, build_transport(c)?);
        }
    }
    Ok(router)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tagged_json() {
        let cfg: RouterConfig = serde_json::from_value(serde_json::json!({
            "default": {"kind": "log", "path": "/tmp/x.jsonl"},
            "sms": {"kind": "smpp", "host": "127.0.0.1", "system_id": "ps", "password": "pw", "source_addr": "96110"},
            "email": {"kind": "smtp", "host": "mail", "tls": "none", "port": 25, "from": "noreply@police.example"},
            "webhook": {"kind": "webhook", "url": "http://127.0.0.1:9/hook", "secret": "k"}
        }))
        .unwrap();
        match &cfg.sms {
            Some(TransportConfig::Smpp(s)) => {
                assert_eq!(s.port, 2775);
                assert_eq!(s.password.expose(), "pw");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            !format!("{cfg:?}").contains("pw\""),
            "secrets must not be printed"
        );
        let router = build_router(&cfg).unwrap();
        assert_eq!(
            router.transport_for(crate::DeliveryRoute::Sms).name(),
            "smpp"
        );
        assert_eq!(
            router.transport_for(crate::DeliveryRoute::Email).name(),
            "smtp"
        );
        assert_eq!(
            router.transport_for(crate::DeliveryRoute::Webhook).name(),
            "webhook"
        );
    }

    #[test]
    fn rejects_unknown_kind_and_bad_from() {
        assert!(
            serde_json::from_value::<TransportConfig>(serde_json::json!({"kind": "pigeon"}))
                .is_err()
        );
        let bad = serde_json::from_value::<TransportConfig>(
            serde_json::json!({"kind": "smtp", "host": "h", "from": "not an address"}),
        )
        .unwrap();
        assert!(build_transport(&bad).is_err());
    }

    #[test]
    fn dev_default_routes_everything_to_log() {
        let router = build_router(&RouterConfig::dev("/tmp/dev.jsonl")).unwrap();
        assert_eq!(
            router.transport_for(crate::DeliveryRoute::Sms).name(),
            "log"
        );
        assert_eq!(
            router.transport_for(crate::DeliveryRoute::Email).name(),
            "log"
        );
    }
}
