//! What the headless-Chromium tests share: where the workspace and Chromium are, a
//! clear failure (never a silent skip) when Node.js, Chromium or a Node package the
//! scripts import is missing, and running one script against a test server.

#![allow(dead_code)]

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::Mutex,
    time::Duration,
};

use crate::common::TestApp;

/// One browser at a time: the scripts share the machine's two cores with the other
/// tests of this binary, and two Chromiums at once made page loads time out.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

pub fn chromium() -> PathBuf {
    PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))
}

/// Node.js, Chromium and the given packages of `tests/browser/node_modules`.
pub fn check_prerequisites(root: &Path, packages: &[&str]) {
    let node = Command::new("node").arg("--version").output();
    match node {
        Ok(out) if out.status.success() => {}
        _ => panic!(
            "the browser test needs Node.js (`node` on PATH); install it (Debian: \
             `apt-get install nodejs npm`)"
        ),
    }
    let chromium = chromium();
    assert!(
        chromium.exists(),
        "the browser test needs Chromium at {} (Debian: `apt-get install chromium`), \
         or set CHROMIUM",
        chromium.display()
    );
    for package in packages {
        let manifest = root
            .join("tests/browser/node_modules")
            .join(package)
            .join("package.json");
        assert!(
            manifest.exists(),
            "the browser test needs {package}: run `npm ci` in tests/browser ({} missing)",
            manifest.display()
        );
    }
}

/// Run `tests/browser/<script>` with Node against `app` (`BASE_URL`, `SCREENSHOT_DIR`,
/// `CHROMIUM` and `env`), while this node's outbox worker delivers messages (one-time
/// codes, confirmations). Fails unless the script exits 0 and prints `pass_line`;
/// returns what it printed.
pub async fn run_script(
    app: &TestApp,
    script: &str,
    env: Vec<(&'static str, String)>,
    pass_line: &str,
) -> String {
    let root = workspace_root();
    let state = app.state.clone();
    let worker = tokio::spawn(async move {
        loop {
            let _ = police_square_server::features::notices::outbox::deliver_due(&state).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let shots = std::env::var("SCREENSHOT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/browser"));
    let path = root.join("tests/browser").join(script);
    let base = app.base.clone();
    let output = tokio::task::spawn_blocking(move || {
        let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
        Command::new("node")
            .arg(&path)
            .current_dir(&root)
            .env("BASE_URL", &base)
            .env("SCREENSHOT_DIR", &shots)
            .env("CHROMIUM", chromium())
            .envs(env)
            .output()
            .expect("run node")
    })
    .await
    .unwrap();
    worker.abort();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "{script} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains(pass_line), "script did not finish");
    stdout
}
