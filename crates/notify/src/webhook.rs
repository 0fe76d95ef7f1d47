//! Signed JSON POST to a configured URL (an SMS/IM gateway or a partner system).

use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::config::{ConfigError, Secret};
use crate::{DeliveryRoute, Message, SendError, Transport};

pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
pub const SIGNATURE_HEADER: &str = "X-PoliceSquare-Signature";

/// Settings for [`WebhookTransport`]; also the body of `kind = "webhook"` in config.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// Every message is POSTed here; the recipient travels in the `to` field.
    /// A fixed URL (rather than `msg.to`) keeps user input from choosing where we connect.
    pub url: String,
    /// HMAC-SHA256 key; when set, requests carry `X-PoliceSquare-Signature: sha256=<hex>`.
    #[serde(default)]
    pub secret: Option<Secret>,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_timeout() -> u64 {
    10
}

#[derive(Serialize)]
struct Payload<'a> {
    id: &'a str,
    channel: DeliveryRoute,
    to: &'a str,
    template: &'a str,
    subject: Option<&'a str>,
    body: &'a str,
}

pub struct WebhookTransport {
    client: reqwest::Client,
    url: reqwest::Url,
    secret: Option<Secret>,
}

impl WebhookTransport {
    pub fn new(cfg: &WebhookConfig) -> Result<Self, ConfigError> {
        let url = reqwest::Url::parse(&cfg.url)
            .map_err(|_| ConfigError::Invalid("webhook.url is not a URL".into()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ConfigError::Invalid(
                "webhook.url must be http or https".into(),
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(cfg.timeout_secs))
            // A redirected POST may silently turn into a GET; treat redirects as errors.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ConfigError::Invalid(format!("webhook client: {e}")))?;
        Ok(Self {
            client,
            url,
            secret: cfg.secret.clone(),
        })
    }
}

/// `sha256=<hex>` of HMAC-SHA256(secret, body) — what receivers should recompute.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[async_trait]
impl Transport for WebhookTransport {
    fn name(&self) -> &'static str {
        "webhook"
    }

    async fn send(&self, msg: &Message) -> Result<(), SendError> {
        let payload = Payload {
            id: &msg.id,
            channel: msg.route,
            to: &msg.to,
            template: &msg.template,
            subject: msg.subject.as_deref(),
            body: &msg.body,
        };
        // Serialise once so the signature covers exactly the bytes sent.
        let body = serde_json::to_vec(&payload)
            .map_err(|_| SendError::permanent("webhook: cannot encode"))?;
        let mut req = self
            .client
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(IDEMPOTENCY_HEADER, &msg.id);
        if let Some(secret) = &self.secret {
            req = req.header(
                SIGNATURE_HEADER,
                signature(secret.expose().as_bytes(), &body),
            );
        }
        let resp = req.body(body).send().await.map_err(classify_error)?;
        classify_status(resp.status())
    }
}

fn classify_status(status: reqwest::StatusCode) -> Result<(), SendError> {
    let code = status.as_u16();
    match code {
        200..=299 => Ok(()),
        // Timeout / rate limit replies mean "later", not "never".
        408 | 429 | 500..=599 => Err(SendError::retryable(format!("webhook: http {code}"))),
        _ => Err(SendError::permanent(format!("webhook: http {code}"))),
    }
}

// reqwest's Display includes the URL (may carry tokens), so report categories only.
fn classify_error(e: reqwest::Error) -> SendError {
    if e.is_timeout() {
        SendError::retryable("webhook: timeout")
    } else if e.is_connect() {
        SendError::retryable("webhook: connect failed")
    } else {
        SendError::retryable("webhook: request failed")
    }
}

#[cfg(test)]
mod tests;
