//! SMPP 3.4 PDU framing and the few bodies we need (bind_transmitter, submit_sm).

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

pub(crate) const BIND_TRANSMITTER: u32 = 0x0000_0002;
pub(crate) const SUBMIT_SM: u32 = 0x0000_0004;
pub(crate) const UNBIND: u32 = 0x0000_0006;
pub(crate) const ENQUIRE_LINK: u32 = 0x0000_0015;
/// Response ids are the request id with the top bit set; 0x80000000 alone is generic_nack.
pub(crate) const RESP: u32 = 0x8000_0000;
pub(crate) const GENERIC_NACK: u32 = 0x8000_0000;
pub(crate) const ESME_RINVCMDID: u32 = 0x0000_0003;

pub(crate) const INTERFACE_VERSION: u8 = 0x34;
/// data_coding for UCS-2 (UTF-16BE), needed for Chinese text.
pub(crate) const DC_UCS2: u8 = 0x08;
/// esm_class bit: short_message starts with a User Data Header (concatenation).
pub(crate) const ESM_UDHI: u8 = 0x40;

const HEADER_LEN: usize = 16;
/// Guards against a hostile or confused peer announcing a huge PDU.
const MAX_PDU_LEN: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pdu {
    pub command_id: u32,
    pub status: u32,
    pub sequence: u32,
    pub body: Vec<u8>,
}

impl Pdu {
    pub fn new(command_id: u32, sequence: u32, body: Vec<u8>) -> Self {
        Self {
            command_id,
            status: 0,
            sequence,
            body,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let len = (HEADER_LEN + self.body.len()) as u32;
        let mut out = Vec::with_capacity(len as usize);
        for word in [len, self.command_id, self.status, self.sequence] {
            out.extend_from_slice(&word.to_be_bytes());
        }
        out.extend_from_slice(&self.body);
        out
    }

    pub async fn write_to<W: AsyncWrite + Unpin>(&self, w: &mut W) -> std::io::Result<()> {
        w.write_all(&self.encode()).await?;
        w.flush().await
    }

    pub async fn read_from<R: AsyncRead + Unpin>(r: &mut R) -> std::io::Result<Pdu> {
        let mut header = [0u8; HEADER_LEN];
        r.read_exact(&mut header).await?;
        let word =
            |i: usize| u32::from_be_bytes(header[i * 4..i * 4 + 4].try_into().expect("4 bytes"));
        let len = word(0) as usize;
        if !(HEADER_LEN..=MAX_PDU_LEN).contains(&len) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "bad PDU length",
            ));
        }
        let mut body = vec![0u8; len - HEADER_LEN];
        r.read_exact(&mut body).await?;
        Ok(Pdu {
            command_id: word(1),
            status: word(2),
            sequence: word(3),
            body,
        })
    }
}

/// Appends SMPP fields to a body.
#[derive(Default)]
pub(crate) struct BodyWriter(pub Vec<u8>);

impl BodyWriter {
    pub fn cstr(mut self, s: &str) -> Self {
        self.0.extend_from_slice(s.as_bytes());
        self.0.push(0);
        self
    }

    pub fn u8(mut self, v: u8) -> Self {
        self.0.push(v);
        self
    }

    pub fn bytes(mut self, b: &[u8]) -> Self {
        self.0.extend_from_slice(b);
        self
    }
}

/// Reads SMPP fields from a body; `None` means the body is truncated or malformed.
pub(crate) struct BodyReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> BodyReader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    pub fn cstr(&mut self) -> Option<String> {
        let rest = &self.buf[self.pos..];
        let end = rest.iter().position(|&b| b == 0)?;
        self.pos += end + 1;
        String::from_utf8(rest[..end].to_vec()).ok()
    }

    #[cfg(test)]
    pub fn u8(&mut self) -> Option<u8> {
        let v = *self.buf.get(self.pos)?;
        self.pos += 1;
        Some(v)
    }

    #[cfg(test)]
    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let v = self.buf.get(self.pos..self.pos + n)?;
        self.pos += n;
        Some(v)
    }
}

/// An address with its type-of-number / numbering-plan indicators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    pub ton: u8,
    pub npi: u8,
    pub addr: String,
}

impl Address {
    /// `+8613812341234` → international/ISDN; digits → unknown/ISDN;
    /// other text (alphanumeric sender id) → alphanumeric/unknown.
    pub fn parse(s: &str, allow_alpha: bool) -> Option<Self> {
        let s = s.trim();
        let (ton, npi, addr) = if let Some(rest) = s.strip_prefix('+') {
            (1, 1, rest)
        } else if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            (0, 1, s)
        } else if allow_alpha && s.is_ascii() && !s.is_empty() && s.len() <= 11 {
            (5, 0, s)
        } else {
            return None;
        };
        // Address fields are C-octet strings of at most 21 bytes including the NUL.
        let numeric_ok = ton == 5 || addr.bytes().all(|b| b.is_ascii_digit());
        (numeric_ok && !addr.is_empty() && addr.len() <= 20 && !addr.contains('\0')).then(|| Self {
            ton,
            npi,
            addr: addr.to_string(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SubmitSm {
    pub source: Address,
    pub dest: Address,
    pub esm_class: u8,
    pub data_coding: u8,
    pub short_message: Vec<u8>,
}

impl SubmitSm {
    pub fn encode(&self) -> Vec<u8> {
        BodyWriter::default()
            .cstr("") // service_type: SMSC default
            .u8(self.source.ton)
            .u8(self.source.npi)
            .cstr(&self.source.addr)
            .u8(self.dest.ton)
            .u8(self.dest.npi)
            .cstr(&self.dest.addr)
            .u8(self.esm_class)
            .u8(0) // protocol_id
            .u8(0) // priority_flag
            .cstr("") // schedule_delivery_time: immediate
            .cstr("") // validity_period: SMSC default
            .u8(0) // registered_delivery: no receipt (we run a transmitter-only session)
            .u8(0) // replace_if_present_flag
            .u8(self.data_coding)
            .u8(0) // sm_default_msg_id
            .u8(self.short_message.len() as u8)
            .bytes(&self.short_message)
            .0
    }

    /// Used by the in-test SMSC to check what the client put on the wire.
    #[cfg(test)]
    pub fn decode(body: &[u8]) -> Option<Self> {
        let mut r = BodyReader::new(body);
        let _service_type = r.cstr()?;
        let source = Address {
            ton: r.u8()?,
            npi: r.u8()?,
            addr: r.cstr()?,
        };
        let dest = Address {
            ton: r.u8()?,
            npi: r.u8()?,
            addr: r.cstr()?,
        };
        let esm_class = r.u8()?;
        let _protocol_id = r.u8()?;
        let _priority = r.u8()?;
        let _schedule = r.cstr()?;
        let _validity = r.cstr()?;
        let _registered_delivery = r.u8()?;
        let _replace = r.u8()?;
        let data_coding = r.u8()?;
        let _default_msg_id = r.u8()?;
        let len = r.u8()? as usize;
        let short_message = r.bytes(len)?.to_vec();
        Some(Self {
            source,
            dest,
            esm_class,
            data_coding,
            short_message,
        })
    }
}

/// Single-part UCS-2 limit, and per-part limit once a 6-byte UDH takes its room.
const SINGLE_UNITS: usize = 70;
const PART_UNITS: usize = 67;

/// Splits `text` into UCS-2 short_message payloads; several parts get a
/// concatenation UDH (`05 00 03 ref total seq`). Returns `(esm_class, payload)`
/// per part, or `None` if the text needs more than 255 parts.
pub(crate) fn ucs2_parts(text: &str, reference: u8) -> Option<Vec<(u8, Vec<u8>)>> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let be = |u: &[u16]| u.iter().flat_map(|x| x.to_be_bytes()).collect::<Vec<u8>>();
    if units.len() <= SINGLE_UNITS {
        return Some(vec![(0, be(&units))]);
    }
    let mut chunks = Vec::new();
    let mut rest = &units[..];
    while !rest.is_empty() {
        let mut n = rest.len().min(PART_UNITS);
        // Never split a surrogate pair across parts.
        if n < rest.len() && (0xD800..=0xDBFF).contains(&rest[n - 1]) {
            n -= 1;
        }
        chunks.push(&rest[..n]);
        rest = &rest[n..];
    }
    let total = u8::try_from(chunks.len()).ok()?;
    Some(
        chunks
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut payload = vec![0x05, 0x00, 0x03, reference, total, i as u8 + 1];
                payload.extend(be(c));
                (ESM_UDHI, payload)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pdu_roundtrip() {
        let pdu = Pdu {
            command_id: SUBMIT_SM,
            status: 7,
            sequence: 42,
            body: vec![1, 2, 3],
        };
        let bytes = pdu.encode();
        assert_eq!(&bytes[..4], &19u32.to_be_bytes());
        let back = Pdu::read_from(&mut &bytes[..]).await.unwrap();
        assert_eq!(back, pdu);
        let mut huge = bytes.clone();
        huge[..4].copy_from_slice(&(1u32 << 30).to_be_bytes());
        assert!(Pdu::read_from(&mut &huge[..]).await.is_err());
    }

    #[test]
    fn addresses() {
        assert_eq!(
            Address::parse("+8613812341234", false).unwrap(),
            Address {
                ton: 1,
                npi: 1,
                addr: "8613812341234".into()
            }
        );
        assert_eq!(Address::parse("13812341234", false).unwrap().ton, 0);
        assert_eq!(Address::parse("PoliceSq", true).unwrap().ton, 5);
        assert!(Address::parse("PoliceSq", false).is_none());
        assert!(Address::parse("+86abc", false).is_none());
        assert!(Address::parse("123456789012345678901", false).is_none());
    }

    #[test]
    fn parts_split_without_breaking_surrogates() {
        assert_eq!(
            ucs2_parts("验证码", 1).unwrap(),
            vec![(0, vec![0x9a, 0x8c, 0x8b, 0xc1, 0x78, 0x01])]
        );
        let text = format!("{}😀{}", "字".repeat(66), "尾".repeat(10));
        let parts = ucs2_parts(&text, 9).unwrap();
        assert_eq!(parts.len(), 2);
        // The emoji's surrogate pair would straddle unit 67, so part 1 stops at 66 units.
        assert_eq!(parts[0].1.len(), 6 + 66 * 2);
        assert_eq!(&parts[1].1[..6], &[5, 0, 3, 9, 2, 2]);
        assert!(ucs2_parts(&"长".repeat(67 * 256), 0).is_none());
    }
}
