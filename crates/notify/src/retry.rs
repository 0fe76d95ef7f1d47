//! Backoff policy for the outbox worker.

use std::time::Duration;

use crate::SendError;

/// Attempts (including the first) before a message is given up as dead.
/// With [`retry_delay`] that spans roughly two hours of retries.
pub const MAX_ATTEMPTS: u32 = 8;

const BASE_SECS: u64 = 30;
const CAP_SECS: u64 = 3600;

/// Delay before the next try, given how many attempts have failed so far (1 after
/// the first failure). Exponential `30s·2^(attempt-1)` capped at 1h, with "equal
/// jitter" (half fixed, half random) so a burst of failures does not retry in lockstep.
pub fn retry_delay(attempt: u32) -> Duration {
    let exp = attempt.saturating_sub(1).min(20);
    let full_ms = BASE_SECS.saturating_mul(1u64 << exp).min(CAP_SECS) * 1000;
    let half = full_ms / 2;
    let jitter = rand::Rng::gen_range(&mut rand::thread_rng(), 0..=half);
    Duration::from_millis(half + jitter)
}

/// Whether the worker should schedule another attempt after `attempts` failures.
pub fn should_retry(err: &SendError, attempts: u32) -> bool {
    err.retryable && attempts < MAX_ATTEMPTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_and_is_capped() {
        for _ in 0..50 {
            let d1 = retry_delay(1);
            assert!(
                d1 >= Duration::from_secs(15) && d1 <= Duration::from_secs(30),
                "{d1:?}"
            );
            let d3 = retry_delay(3);
            assert!(
                d3 >= Duration::from_secs(60) && d3 <= Duration::from_secs(120),
                "{d3:?}"
            );
            let big = retry_delay(1000);
            assert!(
                big >= Duration::from_secs(1800) && big <= Duration::from_secs(3600),
                "{big:?}"
            );
        }
        assert!(retry_delay(0) <= Duration::from_secs(30));
    }

    #[test]
    fn retry_decision() {
        assert!(should_retry(&SendError::retryable("x"), 1));
        assert!(!should_retry(&SendError::retryable("x"), MAX_ATTEMPTS));
        assert!(!should_retry(&SendError::permanent("x"), 1));
    }
}
