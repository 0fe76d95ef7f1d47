//! `police-square audit verify` finds the first broken link after tampering with the
//! stored chain (an edited row, the newest rows cut off, a forged newest row, a deleted
//! row), on SQLite and PostgreSQL.

use std::process::Command;

use police_square_domain::audit::{link_hash, AuditRecord};
use police_square_domain::{AppealKind, Channel, Status, UnitKind, Urgency};
use police_square_store::{
    testing::{fresh_postgres_db, sqlite_url_in},
    AuditEntry, NewAppeal, NewAudit, NewUnit, SealedContact,
};

const BIN: &str = env!("CARGO_BIN_EXE_police-square");

fn verify(db_url: &str) -> (bool, String) {
    let out = Command::new(BIN)
        .args(["audit", "verify"])
        .env("POLICE_SQUARE_DATABASE_URL", db_url)
        .env("POLICE_SQUARE_KEY", "02".repeat(32))
        .env("RUST_LOG", "error")
        .output()
        .expect("run police-square audit verify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

async fn tamper(db_url: &str, sql: &str) {
    if db_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(db_url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
    } else {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{db_url}"))
            .await
            .unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
}

/// SQL putting a removed entry back as it was.
fn insert_sql(e: &AuditEntry) -> String {
    format!(
        "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) \
         VALUES ({}, {}, '{}', '{}', '{}', '{}', '{}', '{}')",
        e.seq, e.at, e.actor, e.action, e.subject, e.detail, e.prev_hash, e.hash
    )
}

async fn scenario(db_url: String) {
    let stores = police_square_store::connect(&db_url).await.unwrap();
    stores.maintenance.migrate().await.unwrap();
    let unit = stores
        .org
        .create_unit(NewUnit {
            parent_id: None,
            name: "湖州市公安局".into(),
            kind: UnitKind::City,
        })
        .await
        .unwrap();
    for i in 0..6 {
        stores
            .appeals
            .insert_appeal(NewAppeal {
                tracking_code: format!("AUDITTEST{i:07}"),
                idempotency_key: None,
                kind: AppealKind::Complaint,
                channel: Channel::Web,
                text: format!("夜里工地施工噪音扰民 {i}"),
                search_text: "工地 施工 噪音".into(),
                category: Some("public_order".into()),
                category_confidence: Some(0.9),
                category_needs_review: false,
                urgency: Urgency::Normal,
                emergency: false,
                possible_emergency: false,
                sentiment: None,
                unit_id: unit.id,
                subject_unit_id: None,
                status: Status::Received,
                received_at: 1_780_000_000_000 + i,
                accept_by: 1_780_100_000_000,
                due_at: 1_781_000_000_000,
                contact: SealedContact::default(),
                recorded_by: None,
                history: None,
            })
            .await
            .unwrap();
        stores
            .audit
            .audit(NewAudit {
                at: 1_780_000_000_500 + i,
                actor: "staff:1".into(),
                action: "pii.reveal".into(),
                subject: format!("appeal:{}", i + 1),
                detail: String::new(),
            })
            .await
            .unwrap();
    }
    let entries = stores.audit.audit_entries(0, 100).await.unwrap();
    assert!(entries.len() >= 12, "{} entries", entries.len());
    drop(stores);

    let (ok, text) = verify(&db_url);
    assert!(ok, "an untouched chain verifies: {text}");
    assert!(
        text.contains(&format!("{} entries verified", entries.len())),
        "{text}"
    );

    // Someone edits who revealed a phone number.
    tamper(
        &db_url,
        "UPDATE audit_log SET actor = 'staff:99' WHERE seq = 5",
    )
    .await;
    let (ok, text) = verify(&db_url);
    assert!(!ok, "an edited entry must fail verification");
    assert!(text.contains("entry 5 was altered"), "{text}");
    assert!(text.contains("4 entries before it verified"), "{text}");

    // Put it back, then delete a row instead.
    let original = &entries.iter().find(|e| e.seq == 5).unwrap().actor;
    tamper(
        &db_url,
        &format!("UPDATE audit_log SET actor = '{original}' WHERE seq = 5"),
    )
    .await;
    assert!(verify(&db_url).0, "restored chain verifies again");

    // Cutting the newest entries off leaves a shorter chain whose links all hold:
    // only the head, moved by every append, shows what is missing.
    let n = entries.last().unwrap().seq;
    tamper(
        &db_url,
        &format!("DELETE FROM audit_log WHERE seq > {}", n - 2),
    )
    .await;
    let (ok, text) = verify(&db_url);
    assert!(!ok, "a truncated chain must fail verification: {text}");
    assert!(
        text.contains(&format!("newest entries {} to {n} are missing", n - 1)),
        "{text}"
    );
    for e in entries.iter().filter(|e| e.seq > n - 2) {
        tamper(&db_url, &insert_sql(e)).await;
    }
    assert!(
        verify(&db_url).0,
        "the chain verifies with its newest entries back"
    );

    // Replacing the newest entry with a forged one whose hash is recomputed keeps
    // every link valid; it no longer ends at the recorded head.
    let last = entries.last().unwrap();
    let forged = AuditRecord {
        seq: last.seq,
        at: last.at,
        actor: "staff:99",
        action: &last.action,
        subject: &last.subject,
        detail: &last.detail,
    };
    let hash = link_hash(&last.prev_hash, &forged);
    tamper(
        &db_url,
        &format!("UPDATE audit_log SET actor = 'staff:99', hash = '{hash}' WHERE seq = {n}"),
    )
    .await;
    let (ok, text) = verify(&db_url);
    assert!(!ok, "a forged newest entry must fail verification: {text}");
    assert!(
        text.contains(&format!("entry {n} is not the head")),
        "{text}"
    );
    tamper(&db_url, &format!("DELETE FROM audit_log WHERE seq = {n}")).await;
    tamper(&db_url, &insert_sql(last)).await;
    assert!(verify(&db_url).0, "restored again");

    tamper(&db_url, "DELETE FROM audit_log WHERE seq = 8").await;
    let (ok, text) = verify(&db_url);
    assert!(!ok, "a deleted entry must fail verification");
    assert!(text.contains("between 7 and 9 are missing"), "{text}");
}

#[tokio::test]
async fn sqlite_audit_tampering_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    scenario(sqlite_url_in(dir.path())).await;
}

#[tokio::test]
async fn postgres_audit_tampering_is_reported() {
    let db = fresh_postgres_db().await;
    scenario(db.url.clone()).await;
}
