//! A set of 16-bit values: characters of the Basic Multilingual Plane, or
//! hashes folded to 16 bits. Lexicon scans ask it about nearly every
//! character of a text, so membership is one load and a mask, with no hashing
//! and no bounds check (a `u16` always indexes inside the 8 KB of bits).

/// 65,536 bits.
#[derive(Debug, Clone)]
pub(crate) struct Bits16(Box<[u64; 1024]>);

impl Default for Bits16 {
    fn default() -> Self {
        Self(Box::new([0; 1024]))
    }
}

impl Bits16 {
    pub(crate) fn insert(&mut self, v: u16) {
        self.0[usize::from(v >> 6)] |= 1 << (v & 63);
    }

    #[inline]
    pub(crate) fn contains(&self, v: u16) -> bool {
        self.0[usize::from(v >> 6)] & (1 << (v & 63)) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_was_inserted_and_nothing_else() {
        let mut b = Bits16::default();
        for v in [0, 63, 64, 0x4E00, u16::MAX] {
            b.insert(v);
        }
        for v in [0, 63, 64, 0x4E00, u16::MAX] {
            assert!(b.contains(v), "{v}");
        }
        for v in [1, 62, 65, 0x4E01, u16::MAX - 1] {
            assert!(!b.contains(v), "{v}");
        }
    }
}
