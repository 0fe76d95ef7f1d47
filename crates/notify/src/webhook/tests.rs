//! Webhook against a tiny in-test HTTP/1.1 responder.

use std::collections::HashMap;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::*;
use crate::testutil::{closed_port, listen, message};

#[derive(Debug)]
struct Request {
    head: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// Reads one request and answers `status` after `delay`.
fn fake_http(listener: TcpListener, status: u16, delay: Duration) -> JoinHandle<Request> {
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let head_end = loop {
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "client closed before sending headers");
            buf.extend_from_slice(&chunk[..n]);
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
        };
        let head = String::from_utf8(buf[..head_end].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let request_line = lines.next().unwrap().to_string();
        let headers: HashMap<String, String> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let len: usize = headers
            .get("content-length")
            .map(|v| v.parse().unwrap())
            .unwrap_or(0);
        let mut body = buf[head_end + 4..].to_vec();
        while body.len() < len {
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "client closed mid-body");
            body.extend_from_slice(&chunk[..n]);
        }
        tokio::time::sleep(delay).await;
        let resp =
            format!("HTTP/1.1 {status} Test\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        let _ = stream.write_all(resp.as_bytes()).await;
        Request {
            head: request_line,
            headers,
            body,
        }
    })
}

fn transport(port: u16, secret: Option<&str>, timeout_secs: u64) -> WebhookTransport {
    WebhookTransport::new(&WebhookConfig {
        url: format!("http://127.0.0.1:{port}/hooks/notify"),
        secret: secret.map(Secret::new),
        timeout_secs,
    })
    .unwrap()
}

fn sms() -> Message {
    message(
        DeliveryRoute::Sms,
        "13812341234",
        "otp",
        "【警务广场】验证码 654321",
    )
}

#[tokio::test]
async fn posts_signed_json_with_idempotency_key() {
    let (listener, port) = listen().await;
    let server = fake_http(listener, 200, Duration::ZERO);
    transport(port, Some("hook-secret"), 5)
        .send(&sms())
        .await
        .unwrap();

    let req = server.await.unwrap();
    assert_eq!(req.head, "POST /hooks/notify HTTP/1.1");
    assert_eq!(req.headers["idempotency-key"], "outbox-42");
    assert_eq!(req.headers["content-type"], "application/json");

    let json: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "id": "outbox-42", "channel": "sms", "to": "13812341234",
            "template": "otp", "subject": null, "body": "【警务广场】验证码 654321"
        })
    );

    // Recompute independently of `signature()` to check what a receiver would do.
    let mut mac = Hmac::<Sha256>::new_from_slice(b"hook-secret").unwrap();
    mac.update(&req.body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(req.headers["x-policesquare-signature"], expected);
}

#[tokio::test]
async fn no_signature_without_secret() {
    let (listener, port) = listen().await;
    let server = fake_http(listener, 204, Duration::ZERO);
    transport(port, None, 5).send(&sms()).await.unwrap();
    let req = server.await.unwrap();
    assert!(!req.headers.contains_key("x-policesquare-signature"));
}

#[tokio::test]
async fn server_error_is_retryable() {
    let (listener, port) = listen().await;
    let _server = fake_http(listener, 503, Duration::ZERO);
    let err = transport(port, None, 5).send(&sms()).await.unwrap_err();
    assert!(err.retryable);
    assert_eq!(err.reason, "webhook: http 503");
}

#[tokio::test]
async fn client_error_is_permanent() {
    let (listener, port) = listen().await;
    let _server = fake_http(listener, 422, Duration::ZERO);
    let err = transport(port, None, 5).send(&sms()).await.unwrap_err();
    assert!(!err.retryable);
    assert_eq!(err.reason, "webhook: http 422");
}

#[tokio::test]
async fn timeout_is_retryable() {
    let (listener, port) = listen().await;
    let _server = fake_http(listener, 200, Duration::from_secs(5));
    let err = transport(port, None, 1).send(&sms()).await.unwrap_err();
    assert!(err.retryable);
    assert_eq!(err.reason, "webhook: timeout");
}

#[tokio::test]
async fn refused_connection_is_retryable() {
    let err = transport(closed_port().await, None, 5)
        .send(&sms())
        .await
        .unwrap_err();
    assert!(err.retryable);
    assert!(!err.reason.contains("127.0.0.1"), "{err}");
}

#[test]
fn rejects_non_http_url() {
    let cfg = WebhookConfig {
        url: "file:///etc/passwd".into(),
        secret: None,
        timeout_secs: 1,
    };
    assert!(WebhookTransport::new(&cfg).is_err());
}
