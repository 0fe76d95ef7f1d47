//! Failed sign-ins and known addresses, the facts login throttling decides from.

use super::*;

const DAY: Millis = 24 * 3_600_000;

pub(super) async fn login_failures_are_read_per_pair_address_and_account(stores: Stores) {
    let access = &stores.access;
    let fail = |account: &'static str, address: &'static str, at: Millis| async move {
        access
            .record_login_failure(account, address, at)
            .await
            .unwrap()
    };
    fail("staff:alice", "10.0.0.1", T0).await;
    fail("staff:alice", "10.0.0.1", T0 + 1).await;
    fail("staff:bob", "10.0.0.1", T0 + 2).await;
    fail("staff:carol", "10.0.0.1", T0 + 3).await;
    fail("staff:alice", "10.0.0.2", T0 + 4).await;
    fail("staff:dave", "10.0.0.3", T0 + 5).await;

    let f = access
        .login_failures("staff:alice", "10.0.0.1", T0 - 1)
        .await
        .unwrap();
    let sorted = |mut v: Vec<Millis>| {
        v.sort_unstable();
        v
    };
    assert_eq!(sorted(f.pair.clone()), vec![T0, T0 + 1]);
    assert_eq!(sorted(f.address.clone()), vec![T0, T0 + 1, T0 + 2, T0 + 3]);
    assert_eq!(f.address_accounts, 3);
    assert_eq!(sorted(f.account.clone()), vec![T0, T0 + 1, T0 + 4]);

    // Only failures after `since` count.
    let later = access
        .login_failures("staff:alice", "10.0.0.1", T0 + 1)
        .await
        .unwrap();
    assert_eq!(later.pair, Vec::<Millis>::new());
    assert_eq!(later.address_accounts, 2);
    assert_eq!(sorted(later.account), vec![T0 + 4]);

    // A success clears this pair only and makes the address known to this account.
    assert!(!access
        .is_known_address("staff:alice", "10.0.0.1")
        .await
        .unwrap());
    access
        .record_login_success("staff:alice", "10.0.0.1", T0 + 10)
        .await
        .unwrap();
    assert!(access
        .is_known_address("staff:alice", "10.0.0.1")
        .await
        .unwrap());
    assert!(!access
        .is_known_address("staff:bob", "10.0.0.1")
        .await
        .unwrap());
    let after = access
        .login_failures("staff:alice", "10.0.0.1", T0 - 1)
        .await
        .unwrap();
    assert!(after.pair.is_empty());
    assert_eq!(after.account, vec![T0 + 4]);
    assert_eq!(after.address_accounts, 2);

    // Failures older than a day go; the known address stays for 90 days.
    assert_eq!(access.purge_expired(T0 + 4 + DAY).await.unwrap(), 3);
    let left = access
        .login_failures("staff:dave", "10.0.0.3", 0)
        .await
        .unwrap();
    assert_eq!(left.pair, vec![T0 + 5]);
    assert!(access
        .is_known_address("staff:alice", "10.0.0.1")
        .await
        .unwrap());
    access.purge_expired(T0 + 10 + 90 * DAY).await.unwrap();
    assert!(!access
        .is_known_address("staff:alice", "10.0.0.1")
        .await
        .unwrap());
}
