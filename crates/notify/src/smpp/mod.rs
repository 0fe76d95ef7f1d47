//! SMS through a minimal SMPP 3.4 client: one short transmitter session per message
//! (bind_transmitter → submit_sm × parts → unbind). Low volume (OTPs, reply notices)
//! does not justify a persistent session with keep-alives and windowing.

mod pdu;
#[cfg(test)]
mod tests;

use std::time::Duration;

use async_trait::async_trait;
use tokio::net::TcpStream;

use crate::config::Secret;
use crate::{Message, SendError, Transport};
use pdu::{Address, BodyReader, BodyWriter, Pdu, SubmitSm};

/// Settings for [`SmppTransport`]; also the body of `kind = "smpp"` in config.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmppConfig {
    pub host: String,
    #[serde(default = "default_port")]
    pub port: u16,
    pub system_id: String,
    pub password: Secret,
    #[serde(default)]
    pub system_type: String,
    /// Sender: a number/short code (e.g. "96110") or an alphanumeric id.
    pub source_addr: String,
    /// Whole-session deadline (connect, bind, submit, unbind).
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
}

fn default_port() -> u16 {
    2775
}

fn default_timeout() -> u64 {
    15
}

pub struct SmppTransport {
    cfg: SmppConfig,
}

impl SmppTransport {
    pub fn new(cfg: SmppConfig) -> Self {
        Self { cfg }
    }

    async fn session(&self, parts: Vec<SubmitSm>) -> Result<(), SendError> {
        let stream = TcpStream::connect((self.cfg.host.as_str(), self.cfg.port))
            .await
            .map_err(|_| SendError::retryable("smpp: connect failed"))?;
        let mut conn = Conn {
            stream,
            sequence: 0,
        };

        let bind = BodyWriter::default()
            .cstr(&self.cfg.system_id)
            .cstr(self.cfg.password.expose())
            .cstr(&self.cfg.system_type)
            .u8(pdu::INTERFACE_VERSION)
            .u8(0) // addr_ton
            .u8(0) // addr_npi
            .cstr("") // address_range
            .0;
        let resp = conn.request(pdu::BIND_TRANSMITTER, bind).await?;
        if resp.status != 0 {
            // Credentials/config problems are not the message's fault: keep it for later.
            return Err(SendError::retryable(format!(
                "smpp: bind rejected, status 0x{:08x}",
                resp.status
            )));
        }

        for part in parts {
            let resp = conn.request(pdu::SUBMIT_SM, part.encode()).await?;
            if resp.status != 0 {
                return Err(submit_error(resp.status));
            }
            // The SMSC's id lets operators trace a complaint about a missing SMS.
            let smsc_id = BodyReader::new(&resp.body).cstr().unwrap_or_default();
            tracing::debug!(transport = "smpp", smsc_message_id = %smsc_id, "submit_sm accepted");
        }
        // Best effort: the message is accepted even if the SMSC botches the unbind.
        let _ = conn.request(pdu::UNBIND, Vec::new()).await;
        Ok(())
    }
}

/// Temporary SMSC conditions are retried; anything else is about this message.
fn submit_error(status: u32) -> SendError {
    const RETRYABLE: [u32; 5] = [
        0x08, // ESME_RSYSERR
        0x14, // ESME_RMSGQFUL
        0x45, // ESME_RSUBMITFAIL
        0x58, // ESME_RTHROTTLED
        0x64, // ESME_RX_T_APPN
    ];
    let reason = format!("smpp: submit_sm rejected, status 0x{status:08x}");
    if RETRYABLE.contains(&status) {
        SendError::retryable(reason)
    } else {
        SendError::permanent(reason)
    }
}

struct Conn {
    stream: TcpStream,
    sequence: u32,
}

impl Conn {
    /// Sends a request and waits for its response, answering SMSC keep-alives meanwhile.
    async fn request(&mut self, command_id: u32, body: Vec<u8>) -> Result<Pdu, SendError> {
        let io_err = |_| SendError::retryable("smpp: connection error");
        self.sequence += 1;
        let seq = self.sequence;
        Pdu::new(command_id, seq, body)
            .write_to(&mut self.stream)
            .await
            .map_err(io_err)?;
        loop {
            let pdu = Pdu::read_from(&mut self.stream).await.map_err(io_err)?;
            match pdu.command_id {
                id if id == command_id | pdu::RESP && pdu.sequence == seq => return Ok(pdu),
                pdu::GENERIC_NACK => {
                    return Err(SendError::retryable(format!(
                        "smpp: generic_nack, status 0x{:08x}",
                        pdu.status
                    )));
                }
                pdu::ENQUIRE_LINK => {
                    Pdu::new(pdu::ENQUIRE_LINK | pdu::RESP, pdu.sequence, Vec::new())
                        .write_to(&mut self.stream)
                        .await
                        .map_err(io_err)?;
                }
                id if id & pdu::RESP == 0 => {
                    // A request we do not support (e.g. deliver_sm): refuse it politely.
                    let mut nack = Pdu::new(pdu::GENERIC_NACK, pdu.sequence, Vec::new());
                    nack.status = pdu::ESME_RINVCMDID;
                    nack.write_to(&mut self.stream).await.map_err(io_err)?;
                }
                _ => {} // stray response to something we did not ask: ignore
            }
        }
    }
}

#[async_trait]
impl Transport for SmppTransport {
    fn name(&self) -> &'static str {
        "smpp"
    }

    async fn send(&self, msg: &Message) -> Result<(), SendError> {
        let dest = Address::parse(&msg.to, false)
            .ok_or_else(|| SendError::permanent("smpp: invalid destination number"))?;
        let source = Address::parse(&self.cfg.source_addr, true)
            .ok_or_else(|| SendError::permanent("smpp: invalid source_addr"))?;
        let reference: u8 = rand::random();
        let parts = pdu::ucs2_parts(&msg.body, reference)
            .ok_or_else(|| SendError::permanent("smpp: message too long"))?;
        let parts = parts
            .into_iter()
            .map(|(esm_class, short_message)| SubmitSm {
                source: source.clone(),
                dest: dest.clone(),
                esm_class,
                data_coding: pdu::DC_UCS2,
                short_message,
            })
            .collect();
        tokio::time::timeout(
            Duration::from_secs(self.cfg.timeout_secs),
            self.session(parts),
        )
        .await
        .map_err(|_| SendError::retryable("smpp: timeout"))?
    }
}
