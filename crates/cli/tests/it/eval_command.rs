//! `police-square eval --labeled FILE [--train FILE] --json` prints one JSON object with
//! the classification, emergency, cluster and emerging-issue figures. Uses fixtures
//! written here, never the shared development file.

use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_police-square");

/// (category, urgency, text template) — `{}` takes a varying place.
const TEMPLATES: &[(&str, &str, &str)] = &[
    (
        "theft",
        "normal",
        "我停在{}小区楼下的电瓶车昨晚被偷了，锁也被剪断了",
    ),
    (
        "theft",
        "normal",
        "{}菜场门口我的电动车电瓶被人偷走了，麻烦查一下监控",
    ),
    (
        "fraud",
        "normal",
        "有人打电话冒充客服让我刷单返利，我在{}转了三千块钱被骗了",
    ),
    (
        "fraud",
        "normal",
        "网上认识的人让我投资，说稳赚不赔，{}好几个人都被骗了",
    ),
    (
        "traffic",
        "normal",
        "{}路口红绿灯坏了好几天，早高峰车子堵成一片",
    ),
    ("traffic", "normal", "{}那边晚上经常有人酒驾飙车，太危险了"),
    ("household", "normal", "请问在{}办身份证补办需要带哪些材料"),
    (
        "household",
        "normal",
        "孩子户口要从{}迁过来，派出所要什么证明",
    ),
    (
        "fire",
        "emergency",
        "{}有栋楼着火了，现在烟很大，里面还有人",
    ),
    ("fire", "emergency", "{}仓库正在冒火，火越烧越大，快来人"),
];
const PLACES: &[&str] = &[
    "织里", "爱山", "练市", "武康", "递铺", "雉城", "新市", "双林",
];

fn fixture(offset: usize) -> String {
    let mut lines = Vec::new();
    for (i, place) in PLACES.iter().enumerate() {
        for (j, (category, urgency, text)) in TEMPLATES.iter().enumerate() {
            let n = offset + i * TEMPLATES.len() + j;
            lines.push(
                serde_json::json!({
                    "id": format!("fx-{n}"),
                    "text": text.replace("{}", place),
                    "channel": "hotline",
                    "kind": "report",
                    "category": category,
                    "urgency": urgency,
                    "district": "吴兴区",
                    "submitted_at": format!("2026-05-{:02}T10:00:00+08:00", 1 + n % 28),
                    "cluster": null,
                })
                .to_string(),
            );
        }
    }
    lines.join("\n")
}

#[test]
fn eval_reports_every_figure_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let labeled = dir.path().join("labeled.jsonl");
    let train = dir.path().join("train.jsonl");
    std::fs::write(&labeled, fixture(0)).unwrap();
    std::fs::write(&train, fixture(1_000)).unwrap();

    for args in [
        vec!["--labeled", labeled.to_str().unwrap(), "--json"],
        vec![
            "--labeled",
            labeled.to_str().unwrap(),
            "--train",
            train.to_str().unwrap(),
            "--json",
        ],
    ] {
        let out = Command::new(BIN).arg("eval").args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
        let c = &report["classification"];
        let macro_f1 = c["macro_f1"].as_f64().unwrap();
        assert!(
            macro_f1 > 0.6,
            "plainly worded appeals are classified: {macro_f1}"
        );
        assert!((0.0..=1.0).contains(&c["accuracy"].as_f64().unwrap()));
        assert_eq!(c["per_category"]["theft"]["support"].as_u64(), Some(16));
        assert!(c["per_category"]["fire"]["precision"].is_number());
        let recall = report["emergency"]["recall"].as_f64().unwrap();
        assert!(recall >= 0.9, "burning buildings are emergencies: {recall}");
        assert!(report["emergency"]["precision"].is_number());
        assert!(report["clusters"]["pairwise_f1"].is_number());
        assert!(report["emerging"].is_array());
    }
}

#[test]
fn eval_rejects_a_missing_file_clearly() {
    let out = Command::new(BIN)
        .args(["eval", "--labeled", "/nonexistent/appeals.jsonl", "--json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/appeals.jsonl"));
}

#[test]
fn eval_emergency_reports_the_gate_alone() {
    let dir = tempfile::tempdir().unwrap();
    let labeled = dir.path().join("labeled.jsonl");
    std::fs::write(&labeled, fixture(0)).unwrap();
    let out = Command::new(BIN)
        .args([
            "eval",
            "--labeled",
            labeled.to_str().unwrap(),
            "--emergency",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(report["n"].as_u64(), Some(80));
    assert_eq!(report["emergency"]["emergencies"].as_u64(), Some(16));
    for flag in ["emergency", "possible"] {
        let recall = report[flag]["recall"].as_f64().unwrap();
        assert!(
            recall >= 0.9,
            "{flag}: burning buildings are emergencies: {recall}"
        );
        assert!(report[flag]["precision"].is_number());
    }
    assert!(report["by_channel"]["hotline"]["emergency"]["recall"].is_number());
    assert!(report["by_scenario"].is_object());
    assert!(report["missed_emergencies"].is_array());
    assert!(report["false_alarms"].is_array());
    // No classification or clusters: the gate alone.
    assert!(report.get("classification").is_none());
}
