//! Public tracking codes (查询码): 80 random bits as 16 Crockford base32 characters.

use crate::error::DomainError;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const CODE_LEN: usize = 16;
/// Bytes of randomness a caller must supply (80 bits ≥ the 64 required).
pub const RANDOM_BYTES: usize = 10;

/// Encodes 10 random bytes; the caller owns the randomness so this stays pure.
pub fn encode(random: [u8; RANDOM_BYTES]) -> String {
    let mut acc: u128 = 0;
    for b in random {
        acc = (acc << 8) | u128::from(b);
    }
    (0..CODE_LEN)
        .rev()
        .map(|i| ALPHABET[((acc >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// Normalises what a resident typed (case, spaces, dashes, O/I/L look-alikes).
pub fn normalize(input: &str) -> Result<String, DomainError> {
    let code: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    if code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b)) {
        Ok(code)
    } else {
        Err(DomainError::invalid(
            "tracking_code",
            "16 letters and digits",
        ))
    }
}

/// Groups of four for reading aloud over the phone: `ABCD-EFGH-JKMN-PQRS`.
pub fn display(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_display_and_typing() {
        let code = encode([0xAB; RANDOM_BYTES]);
        assert_eq!(code.len(), CODE_LEN);
        assert_eq!(normalize(&display(&code).to_lowercase()).unwrap(), code);
        assert_ne!(encode([0; RANDOM_BYTES]), encode([1; RANDOM_BYTES]));
        assert!(normalize("short").is_err());
        assert!(normalize("'; DROP TABLE x;--").is_err());
    }
}
