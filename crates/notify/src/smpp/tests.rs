//! SMPP client against a minimal in-test SMSC that decodes what arrives.

use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::pdu::{self, BodyReader, BodyWriter, Pdu, SubmitSm};
use super::*;
use crate::testutil::{closed_port, listen, message};
use crate::DeliveryRoute;

#[derive(Clone, Copy, Default)]
struct Smsc {
    bind_status: u32,
    submit_status: u32,
    /// Send an enquire_link before answering the first submit_sm.
    enquire_first: bool,
    /// Accept but never answer (to test the timeout).
    silent: bool,
}

#[derive(Debug, Default)]
struct Seen {
    system_id: String,
    password: String,
    interface_version: u8,
    submits: Vec<SubmitSm>,
    enquire_answered: bool,
    unbound: bool,
}

fn fake_smsc(listener: TcpListener, smsc: Smsc) -> JoinHandle<Seen> {
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut seen = Seen::default();
        if smsc.silent {
            tokio::time::sleep(Duration::from_secs(10)).await;
            return seen;
        }
        let mut enquired = false;
        while let Ok(req) = Pdu::read_from(&mut stream).await {
            let (status, body) = match req.command_id {
                pdu::BIND_TRANSMITTER => {
                    let mut r = BodyReader::new(&req.body);
                    seen.system_id = r.cstr().unwrap();
                    seen.password = r.cstr().unwrap();
                    let _system_type = r.cstr().unwrap();
                    seen.interface_version = r.u8().unwrap();
                    (smsc.bind_status, BodyWriter::default().cstr("TESTSMSC").0)
                }
                pdu::SUBMIT_SM => {
                    seen.submits
                        .push(SubmitSm::decode(&req.body).expect("well-formed submit_sm"));
                    if smsc.enquire_first && !enquired {
                        enquired = true;
                        Pdu::new(pdu::ENQUIRE_LINK, 9000, Vec::new())
                            .write_to(&mut stream)
                            .await
                            .unwrap();
                        let resp = Pdu::read_from(&mut stream).await.unwrap();
                        seen.enquire_answered = resp.command_id == pdu::ENQUIRE_LINK | pdu::RESP
                            && resp.sequence == 9000;
                    }
                    let id = format!("msg-{}", seen.submits.len());
                    (smsc.submit_status, BodyWriter::default().cstr(&id).0)
                }
                pdu::UNBIND => {
                    seen.unbound = true;
                    (0, Vec::new())
                }
                other => panic!("unexpected command 0x{other:08x}"),
            };
            let mut resp = Pdu::new(req.command_id | pdu::RESP, req.sequence, body);
            resp.status = status;
            resp.write_to(&mut stream).await.unwrap();
            if seen.unbound {
                break;
            }
        }
        seen
    })
}

fn transport(port: u16, timeout_secs: u64) -> SmppTransport {
    SmppTransport::new(SmppConfig {
        host: "127.0.0.1".into(),
        port,
        system_id: "police".into(),
        password: Secret::new("pw123"),
        system_type: String::new(),
        source_addr: "96110".into(),
        timeout_secs,
    })
}

fn ucs2_decode(bytes: &[u8]) -> String {
    assert_eq!(bytes.len() % 2, 0, "UCS-2 payload has odd length");
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).unwrap()
}

#[tokio::test]
async fn submits_chinese_text_as_ucs2() {
    let (listener, port) = listen().await;
    let server = fake_smsc(
        listener,
        Smsc {
            enquire_first: true,
            ..Smsc::default()
        },
    );
    let body = "【警务广场】您的验证码是 123456，5分钟内有效。";
    transport(port, 5)
        .send(&message(DeliveryRoute::Sms, "13812341234", "otp", body))
        .await
        .unwrap();

    let seen = server.await.unwrap();
    assert_eq!(seen.system_id, "police");
    assert_eq!(seen.password, "pw123");
    assert_eq!(seen.interface_version, 0x34);
    assert_eq!(seen.submits.len(), 1);
    let sm = &seen.submits[0];
    assert_eq!(sm.data_coding, 8);
    assert_eq!(sm.esm_class, 0);
    assert_eq!(sm.dest.addr, "13812341234");
    assert_eq!(sm.source.addr, "96110");
    assert_eq!(ucs2_decode(&sm.short_message), body);
    assert!(
        seen.enquire_answered,
        "client must answer enquire_link mid-session"
    );
    assert!(seen.unbound);
}

#[tokio::test]
async fn long_text_is_concatenated() {
    let (listener, port) = listen().await;
    let server = fake_smsc(listener, Smsc::default());
    let body = "您反映的问题已由承办民警答复，请登录警务广场查看并评价。".repeat(6);
    transport(port, 5)
        .send(&message(
            DeliveryRoute::Sms,
            "+8613812341234",
            "reply_ready",
            &body,
        ))
        .await
        .unwrap();

    let seen = server.await.unwrap();
    let n = seen.submits.len();
    assert!(n > 1, "expected several parts, got {n}");
    let mut text = String::new();
    for (i, sm) in seen.submits.iter().enumerate() {
        assert_eq!(sm.esm_class & pdu::ESM_UDHI, pdu::ESM_UDHI);
        assert_eq!((sm.dest.ton, sm.dest.addr.as_str()), (1, "8613812341234"));
        let udh = &sm.short_message[..6];
        assert_eq!(&udh[..3], &[5, 0, 3]);
        assert_eq!(
            udh[3], seen.submits[0].short_message[3],
            "same reference in every part"
        );
        assert_eq!((udh[4] as usize, udh[5] as usize), (n, i + 1));
        assert!(sm.short_message.len() <= 140);
        text.push_str(&ucs2_decode(&sm.short_message[6..]));
    }
    assert_eq!(text, body);
}

#[tokio::test]
async fn rejected_destination_is_permanent() {
    let (listener, port) = listen().await;
    let _server = fake_smsc(
        listener,
        Smsc {
            submit_status: 0x0B,
            ..Smsc::default()
        },
    );
    let err = transport(port, 5)
        .send(&message(DeliveryRoute::Sms, "13812341234", "otp", "x"))
        .await
        .unwrap_err();
    assert!(!err.retryable, "{err}");
    assert!(err.reason.contains("0x0000000b"), "{err}");
    assert!(
        !err.reason.contains("1381234"),
        "reason leaks the number: {err}"
    );
}

#[tokio::test]
async fn throttling_is_retryable() {
    let (listener, port) = listen().await;
    let _server = fake_smsc(
        listener,
        Smsc {
            submit_status: 0x58,
            ..Smsc::default()
        },
    );
    let err = transport(port, 5)
        .send(&message(DeliveryRoute::Sms, "13812341234", "otp", "x"))
        .await
        .unwrap_err();
    assert!(err.retryable, "{err}");
}

#[tokio::test]
async fn bind_rejection_is_retryable() {
    let (listener, port) = listen().await;
    let server = fake_smsc(
        listener,
        Smsc {
            bind_status: 0x0E,
            ..Smsc::default()
        },
    );
    let err = transport(port, 5)
        .send(&message(DeliveryRoute::Sms, "13812341234", "otp", "x"))
        .await
        .unwrap_err();
    assert!(err.retryable, "{err}");
    assert!(err.reason.contains("bind"), "{err}");
    drop(server);
}

#[tokio::test]
async fn silent_smsc_times_out() {
    let (listener, port) = listen().await;
    let _server = fake_smsc(
        listener,
        Smsc {
            silent: true,
            ..Smsc::default()
        },
    );
    let err = transport(port, 1)
        .send(&message(DeliveryRoute::Sms, "13812341234", "otp", "x"))
        .await
        .unwrap_err();
    assert_eq!(err, SendError::retryable("smpp: timeout"));
}

#[tokio::test]
async fn invalid_number_fails_before_connecting() {
    let err = transport(closed_port().await, 5)
        .send(&message(DeliveryRoute::Sms, "call me maybe", "otp", "x"))
        .await
        .unwrap_err();
    assert!(!err.retryable);
    let err = transport(closed_port().await, 5)
        .send(&message(DeliveryRoute::Sms, "13812341234", "otp", "x"))
        .await
        .unwrap_err();
    assert!(err.retryable, "connection refused should be retried: {err}");
}
