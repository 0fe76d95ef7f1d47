//! The personal-data key at start-up (issue 12 §1): a wrong key or a missing key file
//! over existing data is refused with a message naming the key and what to do, and
//! nothing is written; `key init` creates a key for an empty database only; the demo
//! still starts from nothing. On SQLite and PostgreSQL.

use std::{
    io::{BufRead, BufReader, Read},
    path::Path,
    process::{Command, Stdio},
};

use police_square_store::testing::{fresh_postgres_db, sqlite_url_in};

use crate::durability::command;

const OTHER_KEY: &str = "0202020202020202020202020202020202020202020202020202020202020202";

/// How a `serve` run ended.
#[derive(Debug)]
enum Start {
    /// It listened (and was then stopped).
    Served,
    /// It exited first, with this on stderr.
    Refused(String),
}

/// Runs `serve` (with `extra` arguments) until it listens or exits.
fn serve_with(mut cmd: Command, extra: &[&str]) -> Start {
    let mut child = cmd
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start police-square serve");
    let stdout = child.stdout.take().unwrap();
    for line in BufReader::new(stdout).lines() {
        if line.unwrap().starts_with("listening on ") {
            child.kill().unwrap();
            child.wait().unwrap();
            return Start::Served;
        }
    }
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        !status.success(),
        "serve exited without listening: {stderr}"
    );
    Start::Refused(stderr)
}

fn serve(cmd: Command) -> Start {
    serve_with(cmd, &[])
}

fn run(mut cmd: Command, args: &[&str]) -> (bool, String) {
    let out = cmd.args(args).output().expect("run police-square");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// What a refused start must not change.
async fn written(db_url: &str) -> (i64, i64, Option<String>) {
    let stores = police_square_store::connect(db_url).await.unwrap();
    let (head, _) = stores.audit.audit_head().await.unwrap();
    let appeals = stores.rates.count_appeals().await.unwrap();
    (head, appeals, stores.keys.key_fingerprint().await.unwrap())
}

fn without_key(db_url: &str, dir: &Path) -> Command {
    let mut cmd = command(db_url, dir);
    cmd.env_remove("POLICE_SQUARE_KEY");
    cmd
}

async fn wrong_or_missing_keys_are_refused(db_url: String) {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = run(command(&db_url, dir.path()), &["demo", "--appeals", "5"]);
    assert!(ok, "demo under KEY: {out}");
    let before = written(&db_url).await;
    assert!(before.2.is_some(), "the demo records its key's fingerprint");

    // A wrong key: refused, named, nothing written.
    let mut wrong = command(&db_url, dir.path());
    wrong.env("POLICE_SQUARE_KEY", OTHER_KEY);
    let Start::Refused(message) = serve(wrong) else {
        panic!("served under a wrong key")
    };
    assert!(message.contains("POLICE_SQUARE_KEY"), "{message}");
    assert!(message.contains("is not the key"), "{message}");
    assert_eq!(written(&db_url).await, before, "a refused start wrote");

    // No key file (the default ./police-square.key) over data: refused, none created.
    let Start::Refused(message) = serve(without_key(&db_url, dir.path())) else {
        panic!("served without a key")
    };
    assert!(message.contains("police-square.key"), "{message}");
    assert!(message.contains("does not exist"), "{message}");
    assert!(!dir.path().join("police-square.key").exists());
    assert_eq!(written(&db_url).await, before);

    // `key init` never gives a database with data a new key.
    let (ok, out) = run(without_key(&db_url, dir.path()), &["key", "init"]);
    assert!(
        !ok && out.contains("already has a key fingerprint"),
        "{out}"
    );
    assert!(!dir.path().join("police-square.key").exists());

    // A database from before fingerprints: the wrong key is caught by its sealed data,
    // the right one is recorded on first use.
    let stores = police_square_store::connect(&db_url).await.unwrap();
    let raw = "DELETE FROM key_fingerprints";
    if db_url.starts_with("postgres") {
        sqlx::query(raw)
            .execute(&sqlx::PgPool::connect(&db_url).await.unwrap())
            .await
            .unwrap();
    } else {
        let path = police_square_store::sqlite_path(&db_url);
        sqlx::query(raw)
            .execute(
                &sqlx::SqlitePool::connect(&format!("sqlite://{path}"))
                    .await
                    .unwrap(),
            )
            .await
            .unwrap();
    }
    let mut wrong = command(&db_url, dir.path());
    wrong.env("POLICE_SQUARE_KEY", OTHER_KEY);
    assert!(matches!(serve(wrong), Start::Refused(m) if m.contains("is not the key")));
    assert_eq!(stores.keys.key_fingerprint().await.unwrap(), None);
    assert!(matches!(serve(command(&db_url, dir.path())), Start::Served));
    assert_eq!(stores.keys.key_fingerprint().await.unwrap(), before.2);
}

async fn key_init_then_serve_and_demo_from_nothing(db_url: String, demo_url: String) {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("keys").join("ps.key");
    std::fs::create_dir(key_file.parent().unwrap()).unwrap();
    let with_file = || {
        let mut cmd = without_key(&db_url, dir.path());
        cmd.env("POLICE_SQUARE_KEY_FILE", &key_file);
        cmd
    };
    let (ok, out) = run(with_file(), &["key", "init"]);
    assert!(ok, "key init on an empty database: {out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is private");
    }
    let key = std::fs::read_to_string(&key_file).unwrap();
    let (_, _, recorded) = written(&db_url).await;
    let expected = police_square_store::vault::Vault::from_hex(&key).unwrap();
    assert_eq!(recorded.as_deref(), Some(expected.fingerprint()));
    let (ok, out) = run(with_file(), &["key", "init"]);
    assert!(!ok && out.contains("exists already"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&key_file).unwrap(),
        key,
        "never replaced"
    );
    assert!(matches!(serve(with_file()), Start::Served));

    // The demo from nothing: no key anywhere, it creates one and serves.
    let demo_dir = tempfile::tempdir().unwrap();
    let demo = without_key(&demo_url, demo_dir.path());
    let started = serve_with(demo, &["--demo", "--appeals", "3"]);
    assert!(matches!(started, Start::Served), "{started:?}");
    assert!(demo_dir.path().join("police-square.key").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_refuses_a_wrong_or_missing_key() {
    let dir = tempfile::tempdir().unwrap();
    wrong_or_missing_keys_are_refused(sqlite_url_in(dir.path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_refuses_a_wrong_or_missing_key() {
    let db = fresh_postgres_db().await;
    wrong_or_missing_keys_are_refused(db.url.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_key_init_then_serve_and_demo_from_nothing() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    key_init_then_serve_and_demo_from_nothing(sqlite_url_in(a.path()), sqlite_url_in(b.path()))
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_key_init_then_serve_and_demo_from_nothing() {
    let (a, b) = (fresh_postgres_db().await, fresh_postgres_db().await);
    key_init_then_serve_and_demo_from_nothing(a.url.clone(), b.url.clone()).await;
}
