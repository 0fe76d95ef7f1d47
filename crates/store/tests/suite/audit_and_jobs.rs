//! The audit chain under concurrent writers, job claims, unique keys and leases, and
//! the notification outbox.

use std::collections::HashSet;

use super::*;

pub(super) async fn audit_chain_links_across_concurrent_writers(stores: Stores) {
    let o = org(&stores).await;
    let mut appeals = Vec::new();
    for n in 0..10 {
        appeals.push(insert(&stores, new_appeal(&o.station_a, n)).await);
    }
    // Ten writers each push one appeal through a few changes while inserts, free-standing
    // audit entries and supervisors' requests run beside them.
    let mut tasks = Vec::new();
    for a in appeals {
        let stores = stores.clone();
        let by = o.handler_a.clone();
        tasks.push(tokio::spawn(async move {
            let mut a = stores
                .appeals
                .apply_change(accept(&a, &by, T0 + 1))
                .await
                .unwrap();
            for step in 0..4 {
                a = stores
                    .appeals
                    .apply_change(change(
                        &a,
                        Actor::Staff(by.id),
                        T0 + 2 + step,
                        AppealPatch {
                            supervision_level: Some(step as i32),
                            ..Default::default()
                        },
                        "reminded",
                    ))
                    .await
                    .unwrap();
            }
        }));
    }
    for n in 0..20u64 {
        let stores = stores.clone();
        let unit = o.station_b.clone();
        tasks.push(tokio::spawn(async move {
            stores
                .appeals
                .insert_appeal(new_appeal(&unit, 100 + n))
                .await
                .unwrap();
            stores
                .audit
                .audit(NewAudit {
                    at: T0,
                    actor: "staff:1".into(),
                    action: "pii.reveal".into(),
                    subject: format!("appeal:{n}"),
                    detail: "{\"field\":\"phone\"}".into(),
                })
                .await
                .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let audit = all_audit(&stores).await;
    assert_eq!(audit.len(), 10 + 10 * 5 + 20 * 2);
    verify_chain(&audit);
    // Tampering with any entry breaks the chain at that entry.
    let mut forged = audit.clone();
    forged[17].detail = "{}".into();
    let result = std::panic::catch_unwind(|| verify_chain(&forged));
    assert!(result.is_err());
}

/// Signed checkpoints are kept once per head position and read back in order.
pub(super) async fn audit_checkpoints_round_trip(stores: Stores) {
    use police_square_domain::audit::{Checkpoint, NotedHead};
    assert_eq!(stores.audit.latest_checkpoint().await.unwrap(), None);
    let key = [9u8; 32];
    let head = |seq: i64| NotedHead {
        seq,
        hash: format!("{seq:064x}"),
    };
    for seq in [3, 1, 2] {
        let c = Checkpoint::sign(&key, head(seq), 1_000 + seq);
        stores.audit.save_checkpoint(&c).await.unwrap();
    }
    // A second checkpoint at a position already kept is ignored, not an error.
    let again = Checkpoint::sign(&key, head(2), 9_999);
    stores.audit.save_checkpoint(&again).await.unwrap();
    let all = stores.audit.checkpoints(0, 10).await.unwrap();
    assert_eq!(
        all.iter().map(|c| (c.head.seq, c.at)).collect::<Vec<_>>(),
        vec![(1, 1_001), (2, 1_002), (3, 1_003)]
    );
    assert!(all.iter().all(|c| c.verifies(&key)));
    assert_eq!(stores.audit.checkpoints(1, 1).await.unwrap()[0].head.seq, 2);
    let latest = stores.audit.latest_checkpoint().await.unwrap().unwrap();
    assert_eq!(latest.head, head(3));
}

pub(super) async fn job_claims_are_exclusive(stores: Stores) {
    for n in 0..60 {
        stores
            .queue
            .schedule_job("deadline_sweep", &format!("{{\"n\":{n}}}"), T0 + n, None)
            .await
            .unwrap();
    }
    stores
        .queue
        .schedule_job("later", "{}", T0 + DAY, None)
        .await
        .unwrap();
    let claimer = |node: &'static str| {
        let stores = stores.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let jobs = stores
                    .queue
                    .claim_jobs(node, T0 + HOUR, 60_000, 7)
                    .await
                    .unwrap();
                if jobs.is_empty() {
                    return mine;
                }
                for j in jobs {
                    assert_eq!(j.attempts, 1);
                    mine.push(j.id);
                    stores.queue.finish_job(j.id).await.unwrap();
                }
            }
        })
    };
    let (a, b) = (claimer("node-a"), claimer("node-b"));
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let all: HashSet<Id> = a.iter().chain(&b).copied().collect();
    assert_eq!(a.len() + b.len(), 60, "each job claimed once");
    assert_eq!(all.len(), 60);
    // The later job is not due yet.
    assert!(stores
        .queue
        .claim_jobs("node-a", T0 + HOUR, 60_000, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        stores
            .queue
            .claim_jobs("node-a", T0 + DAY, 60_000, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

pub(super) async fn jobs_unique_keys_and_expired_leases(stores: Stores) {
    stores
        .queue
        .schedule_job("sweep", "1", T0, Some("sweep"))
        .await
        .unwrap();
    stores
        .queue
        .schedule_job("sweep", "2", T0, Some("sweep"))
        .await
        .unwrap();
    let jobs = stores.queue.claim_jobs("a", T0, 1_000, 10).await.unwrap();
    assert_eq!(jobs.len(), 1, "one pending job per key");
    assert_eq!(jobs[0].payload, "1");
    // While it runs, the next one may be scheduled.
    stores
        .queue
        .schedule_job("sweep", "3", T0 + 10_000, Some("sweep"))
        .await
        .unwrap();
    stores
        .queue
        .schedule_job("sweep", "4", T0 + 10_000, Some("sweep"))
        .await
        .unwrap();
    // Node a crashed: after its lease, node b gets the job again.
    assert!(stores
        .queue
        .claim_jobs("b", T0 + 999, 1_000, 10)
        .await
        .unwrap()
        .is_empty());
    let again = stores
        .queue
        .claim_jobs("b", T0 + 1_000, 1_000, 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].payload.as_str(), again[0].attempts), ("1", 2));
    // Failing it while a newer pending job has the key drops it: that one does the work.
    stores
        .queue
        .fail_job(again[0].id, "boom", T0 + 5_000)
        .await
        .unwrap();
    assert!(stores
        .queue
        .claim_jobs("c", T0 + 9_999, 1_000, 10)
        .await
        .unwrap()
        .is_empty());
    let next = stores
        .queue
        .claim_jobs("c", T0 + 10_000, 1_000, 10)
        .await
        .unwrap();
    assert_eq!(
        next.iter().map(|j| j.payload.as_str()).collect::<Vec<_>>(),
        ["3"]
    );
    // Without a twin, a failed job is retried at its retry time.
    stores
        .queue
        .fail_job(next[0].id, "boom", T0 + 20_000)
        .await
        .unwrap();
    assert!(stores
        .queue
        .claim_jobs("c", T0 + 19_999, 1_000, 10)
        .await
        .unwrap()
        .is_empty());
    let retry = stores
        .queue
        .claim_jobs("c", T0 + 20_000, 1_000, 10)
        .await
        .unwrap();
    assert_eq!((retry.len(), retry[0].attempts), (1, 2));
    stores.queue.finish_job(retry[0].id).await.unwrap();
    assert!(stores
        .queue
        .claim_jobs("c", T0 + DAY, 1_000, 10)
        .await
        .unwrap()
        .is_empty());
    // Once finished, the key is free again.
    stores
        .queue
        .schedule_job("sweep", "5", T0, Some("sweep"))
        .await
        .unwrap();
    assert_eq!(
        stores
            .queue
            .claim_jobs("c", T0 + DAY, 1_000, 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

pub(super) async fn outbox_claim_fail_retry(stores: Stores) {
    let msg = |n: u8| NewOutboxMessage {
        channel: "sms".into(),
        recipient_enc: vec![n],
        template: "otp".into(),
        body: format!("验证码 {n}"),
    };
    let first = stores.queue.enqueue(msg(1), T0).await.unwrap();
    let second = stores.queue.enqueue(msg(2), T0 + 1).await.unwrap();
    stores.queue.enqueue(msg(3), T0 + DAY).await.unwrap();
    let claimed = stores
        .queue
        .claim_outbox("a", T0 + 10, 30_000, 10)
        .await
        .unwrap();
    assert_eq!(
        claimed.iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![first, second]
    );
    assert_eq!(claimed[0].attempts, 1);
    assert_eq!(claimed[1].body, "验证码 2");
    // Leased: nobody else gets them until the lease ends.
    assert!(stores
        .queue
        .claim_outbox("b", T0 + 20, 30_000, 10)
        .await
        .unwrap()
        .is_empty());
    stores.queue.outbox_sent(first, T0 + 20).await.unwrap();
    stores
        .queue
        .outbox_failed(second, "smsc down", Some(T0 + 60_000))
        .await
        .unwrap();
    assert!(stores
        .queue
        .claim_outbox("b", T0 + 59_999, 30_000, 10)
        .await
        .unwrap()
        .is_empty());
    let retry = stores
        .queue
        .claim_outbox("b", T0 + 60_000, 30_000, 10)
        .await
        .unwrap();
    assert_eq!(retry.len(), 1);
    assert_eq!(retry[0].id, second);
    assert_eq!(retry[0].attempts, 2);
    // Crash while sending: the lease expires and the message comes back.
    let back = stores
        .queue
        .claim_outbox("c", T0 + 90_000, 30_000, 10)
        .await
        .unwrap();
    assert_eq!(back.iter().map(|m| m.attempts).collect::<Vec<_>>(), vec![3]);
    stores
        .queue
        .outbox_failed(second, "gave up", None)
        .await
        .unwrap();
    assert!(
        stores
            .queue
            .claim_outbox("c", T0 + 10 * DAY, 30_000, 10)
            .await
            .unwrap()
            .iter()
            .all(|m| m.id != second),
        "dead letters stay dead"
    );
    assert!(matches!(
        stores.queue.outbox_sent(999_999, T0).await,
        Err(StoreError::NotFound)
    ));
}
