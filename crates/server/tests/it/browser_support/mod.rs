//! What the headless-Chromium tests share: where the workspace and Chromium are, and
//! a clear failure (never a silent skip) when Node.js, Chromium or a Node package the
//! scripts import is missing.

#![allow(dead_code)]

use std::{
    path::{Path, PathBuf},
    process::Command,
};

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
