//! Loads 2,000 demo appeals into a fresh SQLite database and checks what a newcomer
//! will see: every status, non-empty inboxes, three-rate counts, working logins.

use std::collections::HashMap;

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use police_square_demo::{load, DemoOptions};
use police_square_domain::{pii::Phone, Status};
use police_square_store::{testing::fresh_sqlite, vault::Vault, AppealStore, InboxQuery};

/// 2026-11-22 16:00 China time.
const NOW: i64 = 1_795_334_400_000;
const DAY: i64 = 86_400_000;

async fn count_by_status(store: &dyn AppealStore, status: Status) -> usize {
    let mut n = 0;
    let mut page = 0;
    loop {
        let p = store
            .inbox(&InboxQuery {
                include_conduct: true,
                statuses: vec![status],
                now: NOW,
                page,
                page_size: 200,
                ..InboxQuery::default()
            })
            .await
            .unwrap();
        n += p.items.len();
        if !p.has_next {
            return n;
        }
        page += 1;
    }
}

#[tokio::test]
async fn loads_2000_appeals_into_an_empty_sqlite_database() {
    let (stores, _dir) = fresh_sqlite().await;
    let vault = Vault::new([7; 32]);
    let opts = DemoOptions {
        appeals: 2_000,
        password: Some("demo-pass-123".into()),
        ..DemoOptions::default()
    };
    let summary = load(&stores, &vault, &opts, NOW).await.unwrap();
    eprintln!("{summary}");
    eprintln!(
        "loaded {} appeals in {:?} ({:.0}/s), total {:?}",
        summary.appeals,
        summary.appeals_elapsed,
        summary.appeals_per_second(),
        summary.elapsed
    );
    assert_eq!(summary.appeals, 2_000);
    assert_eq!(stores.rates.count_appeals().await.unwrap(), 2_000);
    assert_eq!(stores.org.units().await.unwrap().len(), summary.units);
    assert!(summary.handoffs > 0 && summary.requests > 0, "{summary:?}");

    // Counts by status in the database match what was generated.
    let expected: HashMap<Status, usize> = summary.by_status.iter().copied().collect();
    for status in Status::ALL {
        let n = count_by_status(stores.appeals.as_ref(), *status).await;
        assert!(n > 0, "no {status} appeals");
        assert_eq!(n, expected[status], "{status}");
    }

    // A station handler's inbox has work; overdue and supervised filters find cases.
    let aishan = stores
        .org
        .staff_by_username("handler.aishan")
        .await
        .unwrap()
        .expect("handler.aishan exists");
    let inbox = stores
        .appeals
        .inbox(&InboxQuery {
            scope: Some(aishan.unit_path.clone()),
            now: NOW,
            page_size: 20,
            ..InboxQuery::default()
        })
        .await
        .unwrap();
    assert!(!inbox.items.is_empty());
    for filter in [
        InboxQuery {
            overdue_only: true,
            ..InboxQuery::default()
        },
        InboxQuery {
            supervised_only: true,
            ..InboxQuery::default()
        },
    ] {
        let q = InboxQuery {
            include_conduct: true,
            now: NOW,
            page_size: 20,
            ..filter
        };
        assert!(
            !stores.appeals.inbox(&q).await.unwrap().items.is_empty(),
            "{q:?}"
        );
    }

    // The three rates have something to count.
    let counts = stores
        .rates
        .rate_counts(NOW - 200 * DAY, NOW, NOW)
        .await
        .unwrap();
    let total: i64 = counts.iter().map(|c| c.counts.total).sum();
    let rated: i64 = counts.iter().map(|c| c.counts.rated).sum();
    let satisfied: i64 = counts.iter().map(|c| c.counts.satisfied).sum();
    assert!(
        total > 1_500 && rated > 500 && satisfied > 300,
        "{total} {rated} {satisfied}"
    );

    // Logins work with the one password, stored as an argon2id PHC string.
    assert!(summary.logins.len() >= 25);
    for username in [
        "admin",
        "leader",
        "supervisor",
        "analyst",
        "operator",
        "handler.zhili",
    ] {
        let s = stores
            .org
            .staff_by_username(username)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{username}"));
        let hash = PasswordHash::new(&s.password_hash).unwrap();
        assert!(Argon2::default()
            .verify_password(b"demo-pass-123", &hash)
            .is_ok());
    }

    // Repeat callers: the hotline lookup finds a frequent caller's earlier appeals.
    let phone = Phone::parse("13800000001").unwrap();
    let earlier = stores
        .contacts
        .appeals_by_phone_hash(&vault.phone_hash(&phone), 50)
        .await
        .unwrap();
    assert!(earlier.len() >= 2, "{}", earlier.len());
    assert!(earlier.iter().all(|a| a.phone_masked == "138****0001"));

    // The server will compute live deadlines on the same (demo) holiday calendar.
    let csv = stores
        .settings
        .setting("work_calendar")
        .await
        .unwrap()
        .unwrap();
    assert!(
        police_square_domain::WorkCalendar::parse_csv(&csv)
            .unwrap()
            .len()
            > 40
    );

    // Demo data only fills an empty database.
    let again = load(&stores, &vault, &opts, NOW).await.unwrap_err();
    assert!(again.to_string().contains("empty database"), "{again}");
}
