//! Login sessions and residents' one-time codes.

use police_square_domain::Millis;

use crate::Id;

/// A login session (staff) or a verified resident session (after the one-time code).
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// sha256 of the cookie token; the token itself is never stored.
    pub token_hash: String,
    pub staff_id: Option<Id>,
    /// Set for resident sessions: the one appeal they may see and rate.
    pub appeal_id: Option<Id>,
    pub csrf_token: String,
    pub created_at: Millis,
    pub expires_at: Millis,
}

/// One-time code state for a resident's verification.
#[derive(Debug, Clone, PartialEq)]
pub struct OneTimeCode {
    pub appeal_id: Id,
    pub code_hash: String,
    pub expires_at: Millis,
    pub attempts: i32,
    pub locked_until: Option<Millis>,
    /// Lockouts so far; the next lockout lasts longer (backoff).
    pub lockouts: i32,
}

/// The failed sign-ins bearing on one attempt (times within the asked window), read in
/// one go for `police_square_domain::throttle::Failures`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoginFailures {
    /// This account from this address.
    pub pair: Vec<Millis>,
    /// This address, any account.
    pub address: Vec<Millis>,
    /// How many distinct accounts failed from this address.
    pub address_accounts: usize,
    /// This account, any address.
    pub account: Vec<Millis>,
}
