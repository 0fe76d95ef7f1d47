//! Sign-in throttling (登录限流) that slows attackers without locking officers out.
//!
//! Three counts over a sliding window, each from the failures' own times (so a
//! lock cannot be dodged by waiting for a clock boundary, and `Retry-After` is the
//! time until the attempt would really be let through):
//! - **account + address**: after a few free failures each further one doubles the
//!   wait (exponential backoff); the guesser at one address is slowed, nobody else;
//! - **address across accounts** (password spraying): too many failures from one
//!   address, whatever the accounts, hold that address back, and enough distinct
//!   accounts raise an alert to admins;
//! - **account across addresses**: a ceiling that slows unknown addresses only, so a
//!   leader's account under attack still lets the leader in from a session or an
//!   address that signed in successfully before.

use crate::Millis;

/// The knobs; [`ThrottlePolicy::default`] is what a bureau starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// The sliding window failures are counted over.
    pub window_ms: Millis,
    /// Failures of one account from one address before waits begin.
    pub free_failures: usize,
    /// The first wait; each further failure doubles it.
    pub base_wait_ms: Millis,
    /// No single wait is longer.
    pub max_wait_ms: Millis,
    /// Failures from one address, across accounts, that hold the address back.
    pub address_failures: usize,
    /// Distinct accounts failed from one address that count as spraying (alert).
    pub spray_accounts: usize,
    /// Failures of one account, across addresses, above which unknown addresses wait.
    pub account_ceiling: usize,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            window_ms: 15 * 60_000,
            free_failures: 3,
            base_wait_ms: 2_000,
            max_wait_ms: 15 * 60_000,
            address_failures: 30,
            spray_accounts: 5,
            account_ceiling: 20,
        }
    }
}

/// The failures that bear on one attempt, inside the window (any order).
#[derive(Debug, Clone, Default)]
pub struct Failures<'a> {
    /// This account from this address.
    pub pair: &'a [Millis],
    /// This address, any account.
    pub address: &'a [Millis],
    /// How many distinct accounts failed from this address.
    pub address_accounts: usize,
    /// This account, any address.
    pub account: &'a [Millis],
    /// The attempt comes from a live session or an address this account signed in
    /// from successfully: the account ceiling does not apply.
    pub known: bool,
}

/// What to do with an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password.
    Allow,
    /// Refuse without checking; try again after this long (the truth, for
    /// `Retry-After`).
    Wait { retry_after_ms: Millis },
}

impl Verdict {
    /// Whole seconds for `Retry-After`, rounded up (never 0 for a wait).
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Verdict::Allow => None,
            Verdict::Wait { retry_after_ms } => {
                Some((*retry_after_ms as u64).div_ceil(1000).max(1))
            }
        }
    }
}

impl ThrottlePolicy {
    /// The verdict on an attempt at `now`: the longest of the three waits.
    pub fn decide(&self, now: Millis, f: &Failures<'_>) -> Verdict {
        let pair = self.backoff(now, f.pair);
        let address = self.sliding_limit(now, f.address, self.address_failures);
        let account = if f.known {
            0
        } else {
            self.sliding_limit(now, f.account, self.account_ceiling)
                .max(self.backoff_beyond(now, f.account, self.account_ceiling))
        };
        match pair.max(address).max(account) {
            0 => Verdict::Allow,
            wait => Verdict::Wait {
                retry_after_ms: wait,
            },
        }
    }

    /// Whether the address's failures look like password spraying (tell admins).
    pub fn is_spraying(&self, f: &Failures<'_>) -> bool {
        f.address_accounts >= self.spray_accounts
    }

    /// Exponential backoff after the free failures: the n-th failure beyond them
    /// makes the next attempt wait `base · 2^(n-1)` after the newest failure.
    fn backoff(&self, now: Millis, failures: &[Millis]) -> Millis {
        self.backoff_beyond(now, failures, self.free_failures)
    }

    fn backoff_beyond(&self, now: Millis, failures: &[Millis], free: usize) -> Millis {
        let recent: Vec<Millis> = self.in_window(now, failures);
        if recent.len() < free.max(1) {
            return 0;
        }
        let beyond = (recent.len() - free) as u32;
        let wait = self
            .base_wait_ms
            .saturating_mul(1 << beyond.min(30))
            .min(self.max_wait_ms);
        let newest = recent.iter().copied().max().unwrap_or(now);
        (newest + wait - now).max(0)
    }

    /// At `limit` failures within the window, wait until enough of them slide out
    /// that one more attempt stays under it.
    fn sliding_limit(&self, now: Millis, failures: &[Millis], limit: usize) -> Millis {
        let mut recent = self.in_window(now, failures);
        if limit == 0 || recent.len() < limit {
            return 0;
        }
        recent.sort_unstable();
        // The attempt is let through once only `limit - 1` failures remain inside.
        let must_leave = recent[recent.len() - limit];
        (must_leave + self.window_ms - now).max(0)
    }

    fn in_window(&self, now: Millis, failures: &[Millis]) -> Vec<Millis> {
        failures
            .iter()
            .copied()
            .filter(|&at| at > now - self.window_ms && at <= now)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Millis = 1_800_000_000_000;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy::default()
    }

    #[test]
    fn a_guesser_is_slowed_exponentially_and_retry_after_is_the_truth() {
        let p = policy();
        let mut pair = vec![T, T + 1_000];
        fn f(pair: &[Millis]) -> Failures<'_> {
            Failures {
                pair,
                address: pair,
                account: pair,
                ..Default::default()
            }
        }
        assert_eq!(p.decide(T + 2_000, &f(&pair)), Verdict::Allow);
        pair.push(T + 2_000);
        // Third failure: free ones used up, wait 2 s after the newest.
        assert_eq!(
            p.decide(T + 2_500, &f(&pair)),
            Verdict::Wait {
                retry_after_ms: 1_500
            }
        );
        assert_eq!(p.decide(T + 4_000, &f(&pair)), Verdict::Allow);
        pair.push(T + 4_000);
        assert_eq!(
            p.decide(T + 4_000, &f(&pair)),
            Verdict::Wait {
                retry_after_ms: 4_000
            }
        );
        assert_eq!(p.decide(T + 4_000, &f(&pair)).retry_after_secs(), Some(4));
    }

    #[test]
    fn no_boundary_to_wait_for_the_window_slides() {
        // Seen by the probe: a lock set at 13:44:25 cleared 35 s later at the quarter
        // hour. Here the wait runs from the failures themselves.
        let p = ThrottlePolicy {
            free_failures: 5,
            base_wait_ms: 15 * 60_000,
            ..policy()
        };
        let pair: Vec<Millis> = (0..5).map(|i| T + i * 1_000).collect();
        let f = Failures {
            pair: &pair,
            ..Default::default()
        };
        let v = p.decide(T + 35_000, &f);
        assert_eq!(v.retry_after_secs(), Some(15 * 60 - 31));
    }

    #[test]
    fn the_right_officer_from_a_known_address_is_not_locked_out() {
        let p = policy();
        // 40 failures on the leader's account from many addresses.
        let account: Vec<Millis> = (0..40).map(|i| T + i * 10_000).collect();
        let now = T + 400_000;
        let stranger = Failures {
            account: &account,
            ..Default::default()
        };
        assert!(matches!(p.decide(now, &stranger), Verdict::Wait { .. }));
        let leader = Failures {
            known: true,
            ..stranger
        };
        assert_eq!(p.decide(now, &leader), Verdict::Allow);
    }

    #[test]
    fn spraying_holds_the_address_back_and_is_reported() {
        let p = policy();
        let address: Vec<Millis> = (0..30).map(|i| T + i * 1_000).collect();
        let f = Failures {
            address: &address,
            address_accounts: 30,
            ..Default::default()
        };
        let now = T + 60_000;
        // The oldest failure leaves the window at T + 15 min.
        assert_eq!(
            p.decide(now, &f),
            Verdict::Wait {
                retry_after_ms: 15 * 60_000 - 60_000
            }
        );
        assert!(p.is_spraying(&f));
        assert!(!p.is_spraying(&Failures {
            address_accounts: 2,
            ..Default::default()
        }));
    }

    #[test]
    fn old_failures_no_longer_count() {
        let p = policy();
        let pair = vec![T, T + 1, T + 2, T + 3];
        let f = Failures {
            pair: &pair,
            ..Default::default()
        };
        assert_eq!(p.decide(T + p.window_ms + 10, &f), Verdict::Allow);
    }
}
