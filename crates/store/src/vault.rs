//! Encryption of personal data at rest (个人信息加密): XChaCha20-Poly1305 with a random
//! nonce per value, and a keyed hash (HMAC-SHA256) for equality lookups by phone.

use chacha20poly1305::{
    aead::{Aead, KeyInit},
    XChaCha20Poly1305, XNonce,
};
use hmac::{Hmac, Mac};
use police_square_domain::pii::{mask_address, Phone};
use rand::RngCore;
use sha2::Sha256;

use crate::SealedContact;

const NONCE_LEN: usize = 24;
/// Version byte in front of every ciphertext so keys/algorithms can rotate later.
const FORMAT_V1: u8 = 1;

#[derive(Clone)]
pub struct Vault {
    cipher: XChaCha20Poly1305,
    lookup_key: [u8; 32],
    fingerprint: String,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(..)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    #[error("the key must be 32 bytes, hex encoded (64 characters)")]
    BadKey,
    #[error("ciphertext does not decrypt with this key")]
    Undecryptable,
}

impl Vault {
    pub fn new(master_key: [u8; 32]) -> Self {
        // Separate subkeys so the lookup hash reveals nothing about the cipher key.
        let derive = |label: &[u8]| -> [u8; 32] {
            let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&master_key).expect("any key size");
            mac.update(label);
            mac.finalize().into_bytes().into()
        };
        let enc = derive(b"police-square/pii-encryption/v1");
        Self {
            cipher: XChaCha20Poly1305::new(&enc.into()),
            lookup_key: derive(b"police-square/phone-lookup/v1"),
            fingerprint: hex::encode(derive(b"police-square/key-fingerprint/v1")),
        }
    }

    /// Names the key without revealing it (HMAC-SHA256 of a fixed label, hex): stored in
    /// the database and backup manifests to tell whether two keys are the same.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub fn from_hex(hex_key: &str) -> Result<Self, VaultError> {
        let bytes = hex::decode(hex_key.trim()).map_err(|_| VaultError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| VaultError::BadKey)?;
        Ok(Self::new(key))
    }

    /// A fresh random key, hex encoded (for `demo` and first-run key files).
    pub fn generate_key_hex() -> String {
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        hex::encode(key)
    }

    pub fn seal(&self, plaintext: &str) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .expect("encryption of in-memory data cannot fail");
        let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        out
    }

    pub fn open(&self, sealed: &[u8]) -> Result<String, VaultError> {
        if sealed.len() < 1 + NONCE_LEN || sealed[0] != FORMAT_V1 {
            return Err(VaultError::Undecryptable);
        }
        let (nonce, ct) = sealed[1..].split_at(NONCE_LEN);
        let pt = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), ct)
            .map_err(|_| VaultError::Undecryptable)?;
        String::from_utf8(pt).map_err(|_| VaultError::Undecryptable)
    }

    pub fn phone_hash(&self, phone: &Phone) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.lookup_key).expect("any key size");
        mac.update(phone.as_str().as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// Seal a resident's contact details for storage.
    pub fn seal_contact(
        &self,
        phone: &Phone,
        name: Option<&str>,
        address: Option<&str>,
    ) -> SealedContact {
        SealedContact {
            phone_enc: self.seal(phone.as_str()),
            phone_hash: self.phone_hash(phone),
            phone_masked: phone.masked(),
            name_enc: name.map(|n| self.seal(n)),
            address_enc: address.map(|a| self.seal(a)),
            address_masked: address.map(mask_address),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trips_and_hides_the_plaintext() {
        let v = Vault::from_hex(&Vault::generate_key_hex()).unwrap();
        let sealed = v.seal("13800001234");
        assert!(!sealed.windows(11).any(|w| w == b"13800001234"));
        assert_eq!(v.open(&sealed).unwrap(), "13800001234");
        assert_ne!(v.seal("13800001234"), sealed, "nonces are random");
    }

    #[test]
    fn wrong_key_or_tampering_fails() {
        let a = Vault::new([1; 32]);
        let b = Vault::new([2; 32]);
        let mut sealed = a.seal("张三");
        assert_eq!(b.open(&sealed), Err(VaultError::Undecryptable));
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert_eq!(a.open(&sealed), Err(VaultError::Undecryptable));
        assert_eq!(Vault::from_hex("abcd").unwrap_err(), VaultError::BadKey);
    }

    #[test]
    fn phone_hash_is_stable_and_keyed() {
        let p = Phone::parse("13800001234").unwrap();
        let a = Vault::new([1; 32]);
        assert_eq!(
            a.phone_hash(&p),
            a.phone_hash(&Phone::parse("138 0000 1234").unwrap())
        );
        assert_ne!(a.phone_hash(&p), Vault::new([2; 32]).phone_hash(&p));
    }

    #[test]
    fn fingerprint_names_the_key_and_is_no_subkey() {
        let a = Vault::new([1; 32]);
        assert_eq!(a.fingerprint(), Vault::new([1; 32]).fingerprint());
        assert_ne!(a.fingerprint(), Vault::new([2; 32]).fingerprint());
        assert_eq!(a.fingerprint().len(), 64);
        assert!(!a.fingerprint().contains(&hex::encode(a.lookup_key)));
    }
}
