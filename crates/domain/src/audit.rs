//! Tamper-evident audit trail (审计): each entry's hash covers the previous hash.

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
}
