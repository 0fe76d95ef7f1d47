//! Personal data never reaches the logs: run the real server with debug logging, submit
//! appeals with a phone, name and address, look them up as staff and as the resident,
//! and search everything the process wrote for them.

use std::{
    io::{BufRead, BufReader, Read},
    process::{Command, Stdio},
    time::Duration,
};

use police_square_store::testing::sqlite_url_in;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_police-square");
const PHONE: &str = "13900005678";
const NAME: &str = "欧阳测试";
const ADDRESS: &str = "吴兴区测试路99号";
const PASSWORD: &str = "logs-demo-password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_logs_never_contain_phone_name_or_address() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_url_in(dir.path());
    let base_cmd = || {
        let mut c = Command::new(BIN);
        c.current_dir(dir.path())
            .env("POLICE_SQUARE_DATABASE_URL", &db)
            .env("POLICE_SQUARE_KEY", "03".repeat(32))
            .env("POLICE_SQUARE_DEMO_PASSWORD", PASSWORD)
            .env("POLICE_SQUARE_NOTIFY_LOG", dir.path().join("notify.log"))
            .env("RUST_LOG", "debug");
        c
    };
    let demo = base_cmd()
        .args(["demo", "--appeals", "0"])
        .output()
        .unwrap();
    assert!(demo.status.success());

    let mut server = base_cmd()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    let base = loop {
        line.clear();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "server exited");
        if let Some(addr) = line.trim().strip_prefix("listening on ") {
            break addr.to_owned();
        }
    };
    // Logs go to stdout (and anything else to stderr): keep reading both.
    let mut stderr = server.stderr.take().unwrap();
    let stderr_reader = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = stderr.read_to_string(&mut all);
        all
    });
    let stdout_reader = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = stdout.read_to_string(&mut all);
        all
    });

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    for _ in 0..200 {
        if http.get(format!("{base}/readyz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let created: Value = http
        .post(format!("{base}/api/v1/appeals"))
        .header("Idempotency-Key", "logs-1")
        .json(&json!({
            "kind": "complaint", "channel": "api", "text": "楼下烧烤店油烟很大，晚上吵到十二点",
            "contact_phone": PHONE, "name": NAME, "address": ADDRESS,
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    let code = created["tracking_code"].as_str().unwrap().to_owned();

    // Staff look at it and reveal the contact (allowed and audited) and look the caller up.
    let login: Value = http
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = login["csrf_token"].as_str().unwrap().to_owned();
    let reveal = http
        .post(format!("{base}/api/v1/appeals/{id}/reveal"))
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(reveal.status(), 200);
    assert!(
        reveal.text().await.unwrap().contains(PHONE),
        "admin sees the phone"
    );
    // The 96110 operator looks the caller up by phone.
    let operator = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let login: Value = operator
        .post(format!("{base}/api/v1/login"))
        .json(&json!({"username": "operator", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let lookup = operator
        .post(format!("{base}/api/v1/callers/lookup"))
        .header("X-CSRF-Token", login["csrf_token"].as_str().unwrap())
        .json(&json!({"phone": PHONE}))
        .send()
        .await
        .unwrap();
    assert!(lookup.status().is_success(), "{}", lookup.status());
    assert!(
        lookup.text().await.unwrap().contains(&code),
        "the caller's appeal is found"
    );
    // The resident asks for a one-time code (the message is sent to the phone).
    let otp = reqwest::Client::new()
        .post(format!("{base}/api/v1/track/{code}/otp"))
        .send()
        .await
        .unwrap();
    assert!(otp.status().is_success(), "{}", otp.status());
    tokio::time::sleep(Duration::from_millis(1_500)).await;

    server.kill().unwrap();
    server.wait().unwrap();
    let logs = stdout_reader.join().unwrap() + &stderr_reader.join().unwrap();
    assert!(logs.contains("appeal received"), "debug logs were captured");
    for secret in [PHONE, NAME, ADDRESS] {
        assert!(!logs.contains(secret), "`{secret}` appeared in the logs");
    }
}
