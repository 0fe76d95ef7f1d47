//! Signed checkpoints of the audit chain (审计锚点). The hash chain alone cannot stop
//! someone who can write the database: they can edit a row and recompute every later
//! hash and the head, or delete the newest rows and move the head back. A checkpoint
//! is the head `(seq, hash)` at a moment, signed with HMAC-SHA256 under an audit key
//! kept apart from the database, so a rewritten chain no longer matches the
//! checkpoints taken before the rewrite, and nobody without the key can sign new ones.
//! A head noted elsewhere (`SEQ:HASH`, printed by `audit checkpoint`) anchors the
//! chain even if every checkpoint row is deleted.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::error::DomainError;

/// Domain separation: a MAC made for anything else never verifies as a checkpoint.
const CONTEXT: &[u8] = b"police-square/audit-checkpoint/v1";

/// A head of the chain noted at a moment: the newest entry's sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotedHead {
    pub seq: i64,
    pub hash: String,
}

impl NotedHead {
    /// `SEQ:HASH`, as `audit checkpoint` prints it and `audit verify --head` reads it.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let (seq, hash) = raw
            .trim()
            .split_once(':')
            .ok_or_else(|| DomainError::invalid("head", "expected SEQ:HASH"))?;
        let seq: i64 = seq
            .parse()
            .ok()
            .filter(|s| *s >= 0)
            .ok_or_else(|| DomainError::invalid("head", "SEQ must be a number ≥ 0"))?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(DomainError::invalid(
                "head",
                "HASH must be 64 hexadecimal characters",
            ));
        }
        Ok(Self { seq, hash })
    }
}

impl std::fmt::Display for NotedHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

/// A signed head: what the checkpoint job stores every N entries or minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub head: NotedHead,
    /// When it was signed (ms since the epoch); covered by the signature.
    pub at: i64,
    /// HMAC-SHA256, hex.
    pub mac: String,
}

impl Checkpoint {
    pub fn sign(key: &[u8; 32], head: NotedHead, at: i64) -> Self {
        let mac = hex::encode(mac_of(key, &head, at).finalize().into_bytes());
        Self { head, at, mac }
    }

    /// Whether the signature is this key's over this head and time (constant time).
    pub fn verifies(&self, key: &[u8; 32]) -> bool {
        let Ok(given) = hex::decode(&self.mac) else {
            return false;
        };
        mac_of(key, &self.head, self.at)
            .verify_slice(&given)
            .is_ok()
    }
}

fn mac_of(key: &[u8; 32], head: &NotedHead, at: i64) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("any key size");
    for part in [
        CONTEXT,
        head.seq.to_string().as_bytes(),
        head.hash.as_bytes(),
        at.to_string().as_bytes(),
    ] {
        mac.update(part);
        mac.update(&[0x1f]);
    }
    mac
}

/// Why the chain disagrees with a checkpoint or a noted head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointBreak {
    /// The signature does not verify: forged, or made with another key.
    BadSignature { seq: i64 },
    /// The chain's entry at the checkpoint's position has another hash: rewritten.
    Rewritten { seq: i64 },
    /// The chain ends before a checkpointed position: its newest entries were removed.
    Missing { seq: i64, chain_end: i64 },
}

/// Compare a noted or checkpointed head (its signature checked apart, with
/// [`Checkpoint::verifies`]) with the chain: `hash_at_seq` is the hash of the chain's entry at `head.seq` (`None`
/// when the chain has no such entry), `chain_end` the chain's newest sequence number.
pub fn check_against_chain(
    head: &NotedHead,
    hash_at_seq: Option<&str>,
    chain_end: i64,
) -> Result<(), CheckpointBreak> {
    match hash_at_seq {
        None if head.seq > chain_end => Err(CheckpointBreak::Missing {
            seq: head.seq,
            chain_end,
        }),
        Some(hash) if hash == head.hash => Ok(()),
        // The genesis head (seq 0) has no entry: only an empty chain matches it.
        None if head.seq == 0 && head.hash == super::GENESIS => Ok(()),
        _ => Err(CheckpointBreak::Rewritten { seq: head.seq }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];

    fn head(seq: i64, fill: char) -> NotedHead {
        NotedHead {
            seq,
            hash: fill.to_string().repeat(64),
        }
    }

    #[test]
    fn a_signature_covers_position_hash_and_time() {
        let c = Checkpoint::sign(&KEY, head(42, 'a'), 1_000);
        assert!(c.verifies(&KEY));
        assert!(!c.verifies(&[8; 32]), "another key");
        for forged in [
            Checkpoint {
                head: head(43, 'a'),
                ..c.clone()
            },
            Checkpoint {
                head: head(42, 'b'),
                ..c.clone()
            },
            Checkpoint {
                at: 1_001,
                ..c.clone()
            },
            Checkpoint {
                mac: "zz".into(),
                ..c.clone()
            },
        ] {
            assert!(!forged.verifies(&KEY), "{forged:?}");
        }
    }

    /// HMAC-SHA256 test case 2 of RFC 4231 ("Jefe" / "what do ya want for nothing?"),
    /// through the same crate the checkpoints use: the MAC is the standard one.
    #[test]
    fn the_mac_is_rfc_4231_hmac_sha256() {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn noted_heads_round_trip_and_bad_ones_are_refused() {
        let h = head(12, 'c');
        assert_eq!(NotedHead::parse(&h.to_string()), Ok(h.clone()));
        assert_eq!(NotedHead::parse(&format!(" 12:{} ", "C".repeat(64))), Ok(h));
        for bad in ["", "12", "x:ab", "-1:00", &format!("3:{}", "g".repeat(64))] {
            assert!(NotedHead::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rewriting_or_truncating_the_chain_is_caught() {
        let noted = head(10, 'a');
        let same = "a".repeat(64);
        assert_eq!(check_against_chain(&noted, Some(&same), 15), Ok(()));
        assert_eq!(
            check_against_chain(&noted, Some(&"b".repeat(64)), 15),
            Err(CheckpointBreak::Rewritten { seq: 10 })
        );
        assert_eq!(
            check_against_chain(&noted, None, 8),
            Err(CheckpointBreak::Missing {
                seq: 10,
                chain_end: 8
            })
        );
        let genesis = NotedHead {
            seq: 0,
            hash: super::super::GENESIS.into(),
        };
        assert_eq!(check_against_chain(&genesis, None, 0), Ok(()));
    }
}
