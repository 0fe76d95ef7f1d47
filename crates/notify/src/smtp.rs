//! E-mail through lettre's async SMTP client.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::config::{ConfigError, Secret, SmtpTls};
use crate::{Message, SendError, Transport};

/// Settings for [`SmtpTransport`]; also the body of `kind = "smtp"` in config.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    #[serde(default)]
    pub tls: SmtpTls,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<Secret>,
    /// Sender, e.g. `警务广场 <noreply@police.example>`.
    pub from: String,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_port() -> u16 {
    587
}

fn default_timeout() -> u64 {
    30
}

pub struct SmtpTransport {
    mailer: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Host part used for Message-ID so receivers can de-duplicate retries.
    id_domain: String,
}

impl SmtpTransport {
    pub fn new(cfg: &SmtpConfig) -> Result<Self, ConfigError> {
        let from: Mailbox = cfg
            .from
            .parse()
            .map_err(|_| ConfigError::Invalid("smtp.from is not a valid mailbox".into()))?;
        let tls = match cfg.tls {
            SmtpTls::None => Tls::None,
            SmtpTls::Starttls | SmtpTls::Tls => {
                let params = TlsParameters::new(cfg.host.clone())
                    .map_err(|e| ConfigError::Invalid(format!("smtp tls parameters: {e}")))?;
                if cfg.tls == SmtpTls::Tls {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                }
            }
        };
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.as_str())
                .port(cfg.port)
                .tls(tls)
                .timeout(Some(Duration::from_secs(cfg.timeout_secs)));
        match (&cfg.username, &cfg.password) {
            (Some(user), Some(pass)) => {
                builder =
                    builder.credentials(Credentials::new(user.clone(), pass.expose().to_string()));
            }
            (None, None) => {}
            _ => {
                return Err(ConfigError::Invalid(
                    "smtp.username and smtp.password go together".into(),
                ))
            }
        }
        let id_domain = from.email.domain().to_string();
        Ok(Self {
            mailer: builder.build(),
            from,
            id_domain,
        })
    }

    fn build_email(&self, msg: &Message) -> Result<lettre::Message, SendError> {
        let to: Mailbox = msg
            .to
            .parse()
            .map_err(|_| SendError::permanent("smtp: invalid recipient address"))?;
        lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(
                msg.subject
                    .clone()
                    .unwrap_or_else(|| "警务广场通知".to_string()),
            )
            .message_id(Some(format!("<{}@{}>", msg.id, self.id_domain)))
            .header(ContentType::TEXT_PLAIN)
            .body(msg.body.clone())
            .map_err(|_| SendError::permanent("smtp: cannot build message"))
    }
}

#[async_trait]
impl Transport for SmtpTransport {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, msg: &Message) -> Result<(), SendError> {
        let email = self.build_email(msg)?;
        self.mailer.send(email).await.map(|_| ()).map_err(classify)
    }
}

/// Maps lettre errors to retryability; only a 5xx reply is the message's fault.
/// lettre's Display can echo server text that may quote the address, so we
/// report just the category and status code.
fn classify(e: lettre::transport::smtp::Error) -> SendError {
    let code = e.status().map(|c| format!(" {c}")).unwrap_or_default();
    if e.is_permanent() {
        SendError::permanent(format!("smtp: rejected{code}"))
    } else if e.is_transient() {
        SendError::retryable(format!("smtp: temporary failure{code}"))
    } else if e.is_timeout() {
        SendError::retryable("smtp: timeout")
    } else if e.is_tls() {
        SendError::retryable("smtp: tls error")
    } else {
        SendError::retryable("smtp: connection or protocol error")
    }
}

#[cfg(test)]
mod tests;
