//! Tamper-evident audit trail (审计): each entry's hash covers the previous hash.

mod checkpoint;

pub use checkpoint::{check_against_chain, Checkpoint, CheckpointBreak, NotedHead};

use sha2::{Digest, Sha256};

/// Hash of the first link's "previous" position.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields an audit entry commits to, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord<'a> {
    pub seq: i64,
    pub at: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

/// sha256(prev ‖ 0x1f-separated fields), hex.
pub fn link_hash(prev_hash: &str, r: &AuditRecord<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &r.seq.to_string(),
        &r.at.to_string(),
        r.actor,
        r.action,
        r.subject,
        r.detail,
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    hex::encode(h.finalize())
}

/// Why a chain failed verification, at the first bad entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokenLink {
    /// The entry does not point at the previous entry's hash (deleted/reordered rows).
    WrongPrevious { seq: i64 },
    /// The entry's own hash does not match its fields (edited row).
    WrongHash { seq: i64 },
    /// Sequence numbers are not consecutive (deleted rows at the end of a page).
    Gap { after: i64, found: i64 },
    /// The chain ends before the head every append moves: its newest entries,
    /// `after + 1 ..= head`, were removed (truncation leaves no gap behind).
    Truncated { after: i64, head: i64 },
    /// The chain ends at the head's sequence number but not at its hash: the
    /// newest entries were replaced.
    HeadMismatch { seq: i64 },
}

/// Checks entries one by one in `seq` order, so a chain of any length can be
/// verified page by page without holding it in memory.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    prev_hash: String,
    prev_seq: Option<i64>,
    pub checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            prev_hash: GENESIS.to_owned(),
            prev_seq: None,
            checked: 0,
        }
    }
}

impl ChainVerifier {
    pub fn check(
        &mut self,
        record: &AuditRecord<'_>,
        prev_hash: &str,
        hash: &str,
    ) -> Result<(), BrokenLink> {
        if let Some(prev) = self.prev_seq {
            if record.seq != prev + 1 {
                return Err(BrokenLink::Gap {
                    after: prev,
                    found: record.seq,
                });
            }
        }
        if prev_hash != self.prev_hash {
            return Err(BrokenLink::WrongPrevious { seq: record.seq });
        }
        if link_hash(prev_hash, record) != hash {
            return Err(BrokenLink::WrongHash { seq: record.seq });
        }
        self.prev_hash = hash.to_owned();
        self.prev_seq = Some(record.seq);
        self.checked += 1;
        Ok(())
    }

    /// After the last entry: the chain must end where `audit_head` (the row every
    /// append moves, in the same transaction) says it does. Without this anchor,
    /// deleting the newest entries would leave a shorter chain that verifies.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<(), BrokenLink> {
        let last = self.prev_seq.unwrap_or(0);
        if last < head_seq {
            return Err(BrokenLink::Truncated {
                after: last,
                head: head_seq,
            });
        }
        if last != head_seq || self.prev_hash != head_hash {
            return Err(BrokenLink::HeadMismatch { seq: last });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_field_change_breaks_the_link() {
        let r = AuditRecord {
            seq: 1,
            at: 5,
            actor: "staff:1",
            action: "accept",
            subject: "appeal:9",
            detail: "",
        };
        let h = link_hash(GENESIS, &r);
        assert_eq!(h, link_hash(GENESIS, &r.clone()));
        assert_ne!(
            h,
            link_hash(
                GENESIS,
                &AuditRecord {
                    detail: "x",
                    ..r.clone()
                }
            )
        );
        assert_ne!(h, link_hash(&h, &r));
    }

    #[test]
    fn verifier_finds_the_first_broken_link() {
        let recs: Vec<AuditRecord<'_>> = (1..=3)
            .map(|seq| AuditRecord {
                seq,
                at: seq * 10,
                actor: "system",
                action: "appeal.received",
                subject: "appeal:1",
                detail: "",
            })
            .collect();
        let mut prev = GENESIS.to_owned();
        let mut chain = Vec::new();
        for r in &recs {
            let h = link_hash(&prev, r);
            chain.push((r.clone(), prev.clone(), h.clone()));
            prev = h;
        }
        let mut v = ChainVerifier::default();
        for (r, p, h) in &chain {
            v.check(r, p, h).unwrap();
        }
        assert_eq!(v.checked, 3);

        let mut v = ChainVerifier::default();
        v.check(&chain[0].0, &chain[0].1, &chain[0].2).unwrap();
        let edited = AuditRecord {
            actor: "staff:9",
            ..chain[1].0.clone()
        };
        assert_eq!(
            v.check(&edited, &chain[1].1, &chain[1].2),
            Err(BrokenLink::WrongHash { seq: 2 })
        );

        let mut v = ChainVerifier::default();
        v.check(&chain[0].0, &chain[0].1, &chain[0].2).unwrap();
        assert_eq!(
            v.check(&chain[2].0, &chain[2].1, &chain[2].2),
            Err(BrokenLink::Gap { after: 1, found: 3 })
        );
    }

    #[test]
    fn the_head_anchors_the_newest_entries() {
        let mut prev = GENESIS.to_owned();
        let mut v = ChainVerifier::default();
        assert_eq!(
            v.finish(0, GENESIS),
            Ok(()),
            "an empty chain at the genesis head"
        );
        let mut hashes = Vec::new();
        for seq in 1..=3 {
            let r = AuditRecord {
                seq,
                at: seq,
                actor: "staff:1",
                action: "login",
                subject: "",
                detail: "",
            };
            let h = link_hash(&prev, &r);
            v.check(&r, &prev, &h).unwrap();
            hashes.push(h.clone());
            prev = h;
        }
        assert_eq!(v.finish(3, &hashes[2]), Ok(()));
        // The head is further on: entries 4 and 5 were cut off the end.
        assert_eq!(
            v.finish(5, "x"),
            Err(BrokenLink::Truncated { after: 3, head: 5 })
        );
        // Same length, another ending: the newest entry was replaced.
        assert_eq!(
            v.finish(3, &hashes[1]),
            Err(BrokenLink::HeadMismatch { seq: 3 })
        );
        assert_eq!(
            v.finish(2, &hashes[1]),
            Err(BrokenLink::HeadMismatch { seq: 3 })
        );
    }
}
