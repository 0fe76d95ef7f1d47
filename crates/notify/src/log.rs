//! Dev-only sink: every message becomes one JSON line in a file.
//!
//! DEV ONLY. The file holds recipients and bodies (including one-time codes) in
//! clear so that automated and browser tests can read the latest OTP for a phone.
//! Never configure it in production; the tracing event it emits is masked.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;

use crate::{mask_recipient, Message, SendError, Transport};

/// File line format: the [`Message`] fields plus a timestamp.
#[derive(Serialize, Deserialize)]
struct LogLine {
    ts: String,
    #[serde(flatten)]
    msg: Message,
}

pub struct LogTransport {
    path: PathBuf,
    // Serialises writers so concurrent sends never interleave partial lines.
    lock: Mutex<()>,
}

impl LogTransport {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// All messages in a log file, oldest first. A missing file is an empty log;
    /// unparsable lines are skipped (a line may be mid-write).
    pub fn read_messages(path: impl AsRef<Path>) -> std::io::Result<Vec<Message>> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(text
            .lines()
            .filter_map(|l| serde_json::from_str::<LogLine>(l).ok())
            .map(|l| l.msg)
            .collect())
    }

    /// The newest message to `to` rendered from `template` (e.g. the latest "otp").
    pub fn latest_for(
        path: impl AsRef<Path>,
        to: &str,
        template: &str,
    ) -> std::io::Result<Option<Message>> {
        Ok(Self::read_messages(path)?
            .into_iter()
            .rev()
            .find(|m| m.to == to && m.template == template))
    }

    async fn append(&self, line: &[u8]) -> std::io::Result<()> {
        let _guard = self.lock.lock().await;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            tokio::fs::create_dir_all(dir).await?;
        }
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .await?;
        file.write_all(line).await?;
        file.flush().await
    }
}

#[async_trait]
impl Transport for LogTransport {
    fn name(&self) -> &'static str {
        "log"
    }

    async fn send(&self, msg: &Message) -> Result<(), SendError> {
        let line = LogLine {
            ts: chrono::Utc::now().to_rfc3339(),
            msg: msg.clone(),
        };
        let mut bytes = serde_json::to_vec(&line)
            .map_err(|_| SendError::permanent("log: cannot encode message"))?;
        bytes.push(b'\n');
        self.append(&bytes)
            .await
            .map_err(|e| SendError::retryable(format!("log: write failed: {}", e.kind())))?;
        tracing::info!(
            transport = "log",
            id = %msg.id,
            channel = %msg.route,
            to = %mask_recipient(msg.route, &msg.to),
            template = %msg.template,
            body_chars = msg.body.chars().count(),
            "notification written to dev log"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DeliveryRoute;

    fn msg(id: &str, to: &str, template: &str, body: &str) -> Message {
        Message {
            id: id.into(),
            route: DeliveryRoute::Sms,
            to: to.into(),
            subject: None,
            body: body.into(),
            template: template.into(),
        }
    }

    #[tokio::test]
    async fn writes_json_lines_and_finds_latest_otp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/outbox.jsonl");
        let t = LogTransport::new(&path);
        t.send(&msg("1", "13812341234", "otp", "验证码 111111"))
            .await
            .unwrap();
        t.send(&msg("2", "13900000000", "otp", "验证码 222222"))
            .await
            .unwrap();
        t.send(&msg("3", "13812341234", "otp", "验证码 333333"))
            .await
            .unwrap();
        t.send(&msg("4", "13812341234", "reply_ready", "已答复"))
            .await
            .unwrap();

        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4);
        let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        for key in ["ts", "id", "channel", "to", "template", "body"] {
            assert!(first.get(key).is_some(), "missing {key} in {}", lines[0]);
        }
        assert_eq!(first["channel"], "sms");
        assert_eq!(first["to"], "13812341234");

        let all = LogTransport::read_messages(&path).unwrap();
        assert_eq!(all.len(), 4);
        assert_eq!(all[1], msg("2", "13900000000", "otp", "验证码 222222"));
        let latest = LogTransport::latest_for(&path, "13812341234", "otp")
            .unwrap()
            .unwrap();
        assert_eq!(latest.id, "3");
        assert!(latest.body.contains("333333"));
        assert!(LogTransport::latest_for(&path, "10000", "otp")
            .unwrap()
            .is_none());
    }

    #[tokio::test]
    async fn concurrent_sends_do_not_interleave() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("outbox.jsonl");
        let t = std::sync::Arc::new(LogTransport::new(&path));
        let mut tasks = Vec::new();
        for i in 0..20 {
            let t = t.clone();
            tasks.push(tokio::spawn(async move {
                t.send(&msg(
                    &i.to_string(),
                    "13812341234",
                    "otp",
                    &"长".repeat(500),
                ))
                .await
            }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(LogTransport::read_messages(&path).unwrap().len(), 20);
    }

    #[test]
    fn missing_file_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(LogTransport::read_messages(dir.path().join("nope"))
            .unwrap()
            .is_empty());
    }
}
