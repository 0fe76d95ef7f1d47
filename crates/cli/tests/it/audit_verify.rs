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
    run(db_url, &["audit", "verify"], None)
}

/// Runs the binary; `audit_key` is the audit key file's path.
fn run(db_url: &str, args: &[&str], audit_key: Option<&std::path::Path>) -> (bool, String) {
    let mut command = Command::new(BIN);
    if let Some(path) = audit_key {
        command.env("POLICE_SQUARE_AUDIT_KEY_FILE", path);
    }
    let out = command
        .args(args)
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

/// A chain of at least 12 entries (appeals received and phone reveals).
async fn seed(db_url: &str) -> Vec<AuditEntry> {
    let stores = police_square_store::connect(db_url).await.unwrap();
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
    stores.audit.audit_entries(0, 100).await.unwrap()
}

async fn scenario(db_url: String) {
    let entries = seed(&db_url).await;
    assert!(entries.len() >= 12, "{} entries", entries.len());

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

/// Recompute every hash from entry `from` on after a change, as someone who can write
/// the database would, and move the head to the new last hash.
async fn rewrite_from(db_url: &str, entries: &[AuditEntry], from: i64, actor: &str) {
    let mut prev = entries
        .iter()
        .find(|e| e.seq == from - 1)
        .map(|e| e.hash.clone())
        .unwrap_or_else(|| police_square_domain::audit::GENESIS.to_owned());
    for e in entries.iter().filter(|e| e.seq >= from) {
        let actor = if e.seq == from {
            actor
        } else {
            e.actor.as_str()
        };
        let record = AuditRecord {
            seq: e.seq,
            at: e.at,
            actor,
            action: &e.action,
            subject: &e.subject,
            detail: &e.detail,
        };
        let hash = link_hash(&prev, &record);
        tamper(
            db_url,
            &format!(
                "UPDATE audit_log SET actor = '{actor}', prev_hash = '{prev}', hash = '{hash}' \
                 WHERE seq = {}",
                e.seq
            ),
        )
        .await;
        prev = hash;
    }
    let last = entries.last().unwrap().seq;
    tamper(
        db_url,
        &format!("UPDATE audit_head SET seq = {last}, hash = '{prev}' WHERE id = 1"),
    )
    .await;
}

/// Put the chain back as it was.
async fn restore(db_url: &str, entries: &[AuditEntry]) {
    tamper(db_url, "DELETE FROM audit_log").await;
    for e in entries {
        tamper(db_url, &insert_sql(e)).await;
    }
    let last = entries.last().unwrap();
    tamper(
        db_url,
        &format!(
            "UPDATE audit_head SET seq = {}, hash = '{}' WHERE id = 1",
            last.seq, last.hash
        ),
    )
    .await;
}

/// The two rewrites the hash chain alone cannot see (issue 12 §4): an edited entry
/// with every later hash and the head recomputed, and the newest entries removed with
/// the head moved back. Both verified as intact before signed checkpoints.
async fn checkpoint_scenario(db_url: String) {
    let entries = seed(&db_url).await;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("audit.key");
    let (ok, noted) = run(&db_url, &["audit", "checkpoint"], Some(&key));
    assert!(ok, "{noted}");
    let last = entries.last().unwrap();
    assert!(
        noted.starts_with(&format!("{}:{}", last.seq, last.hash)),
        "prints the head: {noted}"
    );
    assert!(
        key.exists(),
        "the first checkpoint creates the audit key file"
    );
    let noted = noted.lines().next().unwrap().to_owned();
    let verify = |args: &[&str]| run(&db_url, args, Some(&key));
    let (ok, text) = verify(&["audit", "verify", "--head", &noted]);
    assert!(ok, "{text}");
    assert!(
        text.contains("1 signed checkpoints and the noted head"),
        "{text}"
    );

    // Attack 1: edit entry 5 and recompute everything after it.
    rewrite_from(&db_url, &entries, 5, "staff:99").await;
    let (ok, text) = verify(&["audit", "verify"]);
    assert!(!ok, "the checkpoint catches what the links cannot: {text}");
    assert!(
        text.contains(&format!(
            "entry {} is not the one signed or noted",
            last.seq
        )),
        "{text}"
    );
    restore(&db_url, &entries).await;
    assert!(verify(&["audit", "verify"]).0, "restored");

    // Attack 2: remove the two newest entries and move the head back.
    let keep = &entries[..entries.len() - 2];
    let kept = keep.last().unwrap();
    tamper(
        &db_url,
        &format!("DELETE FROM audit_log WHERE seq > {}", kept.seq),
    )
    .await;
    tamper(
        &db_url,
        &format!(
            "UPDATE audit_head SET seq = {}, hash = '{}' WHERE id = 1",
            kept.seq, kept.hash
        ),
    )
    .await;
    let (ok, text) = verify(&["audit", "verify"]);
    assert!(!ok, "a truncated chain with its head moved back: {text}");
    assert!(
        text.contains(&format!(
            "entry {} was signed or noted but the chain ends at {}",
            last.seq, kept.seq
        )),
        "{text}"
    );
    // Deleting the checkpoints too leaves the head noted elsewhere.
    tamper(&db_url, "DELETE FROM audit_checkpoints").await;
    assert!(
        verify(&["audit", "verify"]).0,
        "nothing in the database tells"
    );
    let (ok, text) = verify(&["audit", "verify", "--head", &noted]);
    assert!(!ok, "the noted head does: {text}");
    assert!(text.contains("chain ends at"), "{text}");

    // A checkpoint forged without the key does not verify.
    restore(&db_url, &entries).await;
    tamper(
        &db_url,
        &format!(
            "INSERT INTO audit_checkpoints (seq, hash, at, mac) VALUES ({}, '{}', 1, '{}')",
            last.seq,
            last.hash,
            "00".repeat(32)
        ),
    )
    .await;
    let (ok, text) = verify(&["audit", "verify"]);
    assert!(!ok, "{text}");
    assert!(text.contains("is not signed by the audit key"), "{text}");
    // And without the key file, signed checkpoints cannot be checked at all.
    std::fs::remove_file(&key).unwrap();
    let (ok, text) = verify(&["audit", "verify"]);
    assert!(!ok, "{text}");
    assert!(text.contains("the audit key is missing"), "{text}");
}

#[tokio::test]
async fn sqlite_audit_rewrites_after_a_checkpoint_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    checkpoint_scenario(sqlite_url_in(dir.path())).await;
}

#[tokio::test]
async fn postgres_audit_rewrites_after_a_checkpoint_are_reported() {
    let db = fresh_postgres_db().await;
    checkpoint_scenario(db.url.clone()).await;
}
