//! SMTP against a minimal in-test ESMTP server.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::*;
use crate::testutil::{closed_port, listen, message};
use crate::DeliveryRoute;

#[derive(Debug, Default)]
struct Received {
    ehlo: bool,
    auth: Option<String>,
    mail_from: String,
    rcpt: Vec<String>,
    data: String,
    quit: bool,
}

/// Speaks just enough ESMTP for lettre; `rcpt_reply` lets a test reject the recipient.
fn fake_smtp(
    listener: TcpListener,
    advertise_auth: bool,
    rcpt_reply: &'static str,
) -> JoinHandle<Received> {
    tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let (r, mut w) = stream.into_split();
        let mut lines = BufReader::new(r).lines();
        let mut got = Received::default();
        w.write_all(b"220 test.local ESMTP ready\r\n")
            .await
            .unwrap();
        while let Some(line) = lines.next_line().await.unwrap() {
            let upper = line.to_ascii_uppercase();
            let reply: &str = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                got.ehlo = true;
                if advertise_auth {
                    "250-test.local\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
                } else {
                    "250-test.local\r\n250 8BITMIME\r\n"
                }
            } else if upper.starts_with("AUTH") {
                got.auth = Some(line.clone());
                "235 2.7.0 authenticated\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                got.mail_from = line.clone();
                "250 ok\r\n"
            } else if upper.starts_with("RCPT TO:") {
                got.rcpt.push(line.clone());
                rcpt_reply
            } else if upper == "DATA" {
                w.write_all(b"354 go ahead\r\n").await.unwrap();
                while let Some(l) = lines.next_line().await.unwrap() {
                    if l == "." {
                        break;
                    }
                    got.data.push_str(&l);
                    got.data.push('\n');
                }
                "250 queued\r\n"
            } else if upper == "RSET" {
                "250 ok\r\n"
            } else if upper == "QUIT" {
                got.quit = true;
                w.write_all(b"221 bye\r\n").await.unwrap();
                break;
            } else {
                "502 not implemented\r\n"
            };
            w.write_all(reply.as_bytes()).await.unwrap();
        }
        got
    })
}

fn config(port: u16) -> SmtpConfig {
    SmtpConfig {
        host: "127.0.0.1".into(),
        port,
        tls: SmtpTls::None,
        username: None,
        password: None,
        from: "Police Square <noreply@police.example>".into(),
        timeout_secs: 5,
    }
}

fn email(to: &str) -> Message {
    let mut m = message(
        DeliveryRoute::Email,
        to,
        "reply_ready",
        "Your appeal has a reply. Tracking code: JX-2024-0042.",
    );
    m.subject = Some("Reply ready".into());
    m
}

#[tokio::test]
async fn delivers_message_with_body() {
    let (listener, port) = listen().await;
    let server = fake_smtp(listener, false, "250 ok\r\n");
    let t = SmtpTransport::new(&config(port)).unwrap();
    t.send(&email("resident@example.org")).await.unwrap();

    let got = server.await.unwrap();
    assert!(got.ehlo);
    assert!(
        got.mail_from.contains("<noreply@police.example>"),
        "{}",
        got.mail_from
    );
    assert_eq!(got.rcpt.len(), 1);
    assert!(
        got.rcpt[0].contains("<resident@example.org>"),
        "{:?}",
        got.rcpt
    );
    assert!(got.data.contains("Subject: Reply ready"), "{}", got.data);
    assert!(
        got.data.contains("Message-ID: <outbox-42@police.example>"),
        "{}",
        got.data
    );
    assert!(
        got.data
            .contains("Your appeal has a reply. Tracking code: JX-2024-0042."),
        "{}",
        got.data
    );
    assert!(got.quit);
}

#[tokio::test]
async fn authenticates_when_configured() {
    let (listener, port) = listen().await;
    let server = fake_smtp(listener, true, "250 ok\r\n");
    let mut cfg = config(port);
    cfg.username = Some("ps".into());
    cfg.password = Some(Secret::new("secret"));
    SmtpTransport::new(&cfg)
        .unwrap()
        .send(&email("a@example.org"))
        .await
        .unwrap();
    let got = server.await.unwrap();
    // base64("\0ps\0secret")
    assert_eq!(got.auth.as_deref(), Some("AUTH PLAIN AHBzAHNlY3JldA=="));
    assert!(got.data.contains("JX-2024-0042"));
}

#[tokio::test]
async fn permanent_rejection_is_not_retryable_and_hides_address() {
    let (listener, port) = listen().await;
    let _server = fake_smtp(
        listener,
        false,
        "550 5.1.1 <resident@example.org> unknown\r\n",
    );
    let err = SmtpTransport::new(&config(port))
        .unwrap()
        .send(&email("resident@example.org"))
        .await
        .unwrap_err();
    assert!(!err.retryable, "{err}");
    assert!(err.reason.contains("550"), "{err}");
    assert!(
        !err.reason.contains("resident"),
        "reason leaks the address: {err}"
    );
}

#[tokio::test]
async fn temporary_rejection_is_retryable() {
    let (listener, port) = listen().await;
    let _server = fake_smtp(listener, false, "451 4.3.0 try later\r\n");
    let err = SmtpTransport::new(&config(port))
        .unwrap()
        .send(&email("a@example.org"))
        .await
        .unwrap_err();
    assert!(err.retryable, "{err}");
}

#[tokio::test]
async fn unreachable_server_is_retryable() {
    let err = SmtpTransport::new(&config(closed_port().await))
        .unwrap()
        .send(&email("a@example.org"))
        .await
        .unwrap_err();
    assert!(err.retryable, "{err}");
}

#[tokio::test]
async fn bad_recipient_is_permanent() {
    let t = SmtpTransport::new(&config(closed_port().await)).unwrap();
    let err = t.send(&email("not an address")).await.unwrap_err();
    assert!(!err.retryable);
    assert!(!err.reason.contains("not an address"));
}
