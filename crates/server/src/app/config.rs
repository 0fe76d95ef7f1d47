//! Server configuration: a TOML file, then `POLICE_SQUARE_*` environment overrides.
//!
//! ```toml
//! bind = "127.0.0.1:8080"
//! database_url = "./police-square.db"        # or postgres://user@host/db
//! key_file = "./police-square.key"           # or key = "<64 hex chars>"
//! node_id = "node-a"
//! transfer_requires_approval = false
//! session_ttl_minutes = 480
//! rating_window_days = 7
//!
//! [notify.default]                            # see police_square_notify::RouterConfig
//! kind = "log"
//! path = "./police-square-notify.log"
//!
//! [jobs]
//! deadline_scan_secs = 60
//!
//! public_base_url = "https://jwgc.example.gov.cn"  # links in residents' SMS
//!
//! [emergency]                                 # where emergencies go (see EmergencyConfig)
//! duty_units = { "吴兴区" = "吴兴区分局指挥中心" }
//! city_duty_unit = "湖州市公安局指挥中心"
//! duty_phones = { "吴兴区分局指挥中心" = "13800000000" }
//! ```
//!
//! Secrets (`key`, transport passwords) never print through `Debug`.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use anyhow::Context;
use police_square_notify::{RouterConfig, Secret};
use police_square_store::vault::Vault;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address to listen on (`POLICE_SQUARE_BIND`).
    pub bind: SocketAddr,
    /// SQLite path or `postgres://` URL (`POLICE_SQUARE_DATABASE_URL`).
    pub database_url: String,
    /// Personal-data key, 64 hex characters (`POLICE_SQUARE_KEY`). Prefer `key_file`.
    pub key: Option<Secret>,
    /// File holding the hex key (`POLICE_SQUARE_KEY_FILE`; default `./police-square.key`);
    /// created only by `police-square key init` and the demo, on an empty database.
    pub key_file: Option<PathBuf>,
    /// Notification transports per channel (`POLICE_SQUARE_NOTIFY_LOG` sets a log path).
    pub notify: RouterConfig,
    /// Transfers to another police unit need a supervisor's approval
    /// (`POLICE_SQUARE_TRANSFER_REQUIRES_APPROVAL`).
    pub transfer_requires_approval: bool,
    /// Name of this node in job and outbox leases (`POLICE_SQUARE_NODE_ID`).
    pub node_id: String,
    /// Staff session lifetime.
    pub session_ttl_minutes: i64,
    /// Resident session lifetime after one-time-code verification.
    pub resident_session_minutes: i64,
    /// Days a resident may rate a reply before staff may close it unrated.
    pub rating_window_days: i64,
    /// Mark cookies `Secure` (set when served over HTTPS) (`POLICE_SQUARE_SECURE_COOKIES`).
    pub secure_cookies: bool,
    /// Take the client address for rate limits from `X-Forwarded-For` (only behind a
    /// trusted reverse proxy) (`POLICE_SQUARE_TRUST_FORWARDED_FOR`).
    pub trust_forwarded_for: bool,
    /// JSON log lines instead of human-readable ones (`POLICE_SQUARE_LOG_JSON`).
    pub log_json: bool,
    /// Largest accepted request body; larger ones get 413.
    pub max_body_bytes: usize,
    /// Run the background workers (jobs and outbox) in this process
    /// (`POLICE_SQUARE_WORKERS`).
    pub workers: bool,
    pub jobs: JobsConfig,
    pub limits: LimitsConfig,
    /// Signed checkpoints of the audit trail (`[audit]`).
    pub audit: AuditConfig,
    /// Where residents reach this service, for the links in their SMS
    /// (`POLICE_SQUARE_PUBLIC_BASE_URL`); empty: `http://<bind>`.
    pub public_base_url: String,
    pub emergency: EmergencyConfig,
}

/// Where an emergency goes at once (never into an office queue): the duty command
/// (指挥中心) of its district, else the station of its place, else the district or city
/// bureau itself; and who is told at once.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmergencyConfig {
    /// District (`吴兴区`, or the bureau's full name) → the unit that takes its
    /// emergencies (its 指挥中心). Without an entry, a unit under the district bureau
    /// whose name holds 指挥中心 is used, if there is one.
    pub duty_units: std::collections::BTreeMap<String, String>,
    /// The unit taking emergencies whose district is not known (市局指挥中心).
    pub city_duty_unit: Option<String>,
    /// Unit name → the mobile number of its duty contact (值班电话), texted at once
    /// beside the internal notice every duty unit gets.
    pub duty_phones: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    /// How often a node looks for due jobs.
    pub poll_ms: u64,
    /// How often the outbox worker looks for messages to send.
    pub outbox_poll_ms: u64,
    pub deadline_scan_secs: i64,
    pub stats_refresh_secs: i64,
    /// How often new appeals are linked into clusters (一事多诉).
    pub cluster_secs: i64,
    /// How often the emerging-issue detector runs (未诉先办).
    pub emerging_secs: i64,
    /// How often the category model is retrained from staff corrections.
    pub retrain_secs: i64,
    /// How long a claimed job or message stays leased to this node.
    pub lease_secs: i64,
    /// How often cached settings (deadline policy, calendar, weights) are reloaded.
    pub settings_reload_secs: u64,
}

/// 审计锚点: the audit trail's head is signed with a key kept apart from the database
/// (and from its backups), every `every_entries` appends or `every_secs`, whichever
/// comes first.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuditConfig {
    /// The audit key, 64 hex characters (`POLICE_SQUARE_AUDIT_KEY`). Prefer `key_file`.
    pub key: Option<Secret>,
    /// File holding it (`POLICE_SQUARE_AUDIT_KEY_FILE`, default
    /// `./police-square-audit.key`); created only while no checkpoint exists.
    pub key_file: Option<PathBuf>,
    pub every_entries: i64,
    pub every_secs: i64,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self {
            key: None,
            key_file: None,
            every_entries: 1_000,
            every_secs: 600,
        }
    }
}

/// Where the audit key is, as the checkpoint job and the CLI read it.
pub enum AuditKeySource {
    /// Given in the configuration or the environment.
    Given([u8; 32]),
    /// This file (which may not exist yet).
    File(PathBuf),
}

impl AuditConfig {
    pub fn key_source(&self) -> anyhow::Result<AuditKeySource> {
        if let Some(key) = &self.key {
            return Ok(AuditKeySource::Given(
                parse_key(key.expose()).context("POLICE_SQUARE_AUDIT_KEY / audit.key")?,
            ));
        }
        Ok(AuditKeySource::File(
            self.key_file
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_AUDIT_KEY_FILE)),
        ))
    }
}

/// Reads a 64-hex-character key file.
pub fn read_key_file(path: &Path) -> anyhow::Result<[u8; 32]> {
    let hex = std::fs::read_to_string(path)
        .with_context(|| format!("reading key file {}", path.display()))?;
    parse_key(&hex).with_context(|| format!("key file {}", path.display()))
}

/// Creates a key file with a fresh random key, readable by its owner only; refuses
/// to overwrite one.
pub fn create_key_file(path: &Path) -> anyhow::Result<[u8; 32]> {
    write_new_key(path)?;
    read_key_file(path)
}

const DEFAULT_AUDIT_KEY_FILE: &str = "./police-square-audit.key";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Sign-in throttling (see `app::throttle`): failures of one account from one
    /// address before waits begin (2 s, doubling each further failure); 6× this from
    /// one address across accounts, or 4× on one account from addresses it never
    /// signed in from, hold back until failures slide out of the window.
    pub login_max_failures: i64,
    /// The sliding window of sign-in throttling (at most a day); also the longest wait.
    pub login_window_minutes: i64,
    /// Tracking-code lookups per client address within the window → 429.
    pub track_lookups_per_window: i64,
    pub track_window_minutes: i64,
    /// One-time codes sent per appeal per hour.
    pub otp_sends_per_hour: i64,
    /// Wrong one-time codes that spend the code; also the free failures per tracking
    /// code and address before throttling waits begin (1 min, doubling).
    pub otp_max_attempts: i32,
    /// Appeals submitted per client address per hour (anti-flooding); 0 = no limit
    /// (the default: hotline centres and partner systems submit from one address, and
    /// the check costs a database write per appeal).
    pub intake_per_hour: i64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "./police-square.db".into(),
            key: None,
            key_file: None,
            notify: RouterConfig::dev("./police-square-notify.log"),
            transfer_requires_approval: false,
            node_id: default_node_id(),
            session_ttl_minutes: 8 * 60,
            resident_session_minutes: 60,
            rating_window_days: 7,
            secure_cookies: false,
            trust_forwarded_for: false,
            log_json: false,
            max_body_bytes: 64 * 1024,
            workers: true,
            jobs: JobsConfig::default(),
            limits: LimitsConfig::default(),
            audit: AuditConfig::default(),
            public_base_url: String::new(),
            emergency: EmergencyConfig::default(),
        }
    }
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self {
            poll_ms: 2_000,
            outbox_poll_ms: 1_000,
            deadline_scan_secs: 60,
            stats_refresh_secs: 60,
            cluster_secs: 30,
            emerging_secs: 3600,
            retrain_secs: 3600,
            lease_secs: 120,
            settings_reload_secs: 60,
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            login_max_failures: 5,
            login_window_minutes: 15,
            track_lookups_per_window: 30,
            track_window_minutes: 15,
            otp_sends_per_hour: 5,
            otp_max_attempts: 5,
            intake_per_hour: 0,
        }
    }
}

fn default_node_id() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "node".into());
    format!("{host}-{}", std::process::id())
}

const DEFAULT_KEY_FILE: &str = "./police-square.key";

impl Config {
    /// The file (if any), then the environment.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let mut config = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading config file {}", p.display()))?;
                Self::from_toml(&text).with_context(|| format!("in {}", p.display()))?
            }
            None => Self::default(),
        };
        config.apply_env(|k| std::env::var(k).ok())?;
        Ok(config)
    }

    pub fn from_toml(text: &str) -> anyhow::Result<Self> {
        Ok(toml::from_str(text)?)
    }

    /// Apply `POLICE_SQUARE_*` overrides from `get` (the environment, or a map in tests).
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        let flag = |name: &str, v: String| -> anyhow::Result<bool> {
            match v.trim() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => anyhow::bail!("{name} must be true or false"),
            }
        };
        if let Some(v) = get("POLICE_SQUARE_BIND") {
            self.bind = v.parse().context("POLICE_SQUARE_BIND")?;
        }
        if let Some(v) = get("POLICE_SQUARE_DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = get("POLICE_SQUARE_KEY") {
            self.key = Some(Secret::new(v));
        }
        if let Some(v) = get("POLICE_SQUARE_KEY_FILE") {
            self.key_file = Some(v.into());
        }
        if let Some(v) = get("POLICE_SQUARE_AUDIT_KEY") {
            self.audit.key = Some(Secret::new(v));
        }
        if let Some(v) = get("POLICE_SQUARE_AUDIT_KEY_FILE") {
            self.audit.key_file = Some(v.into());
        }
        if let Some(v) = get("POLICE_SQUARE_NODE_ID") {
            self.node_id = v;
        }
        if let Some(v) = get("POLICE_SQUARE_PUBLIC_BASE_URL") {
            self.public_base_url = v;
        }
        if let Some(v) = get("POLICE_SQUARE_NOTIFY_LOG") {
            self.notify = RouterConfig::dev(v);
        }
        for (name, field) in [
            (
                "POLICE_SQUARE_TRANSFER_REQUIRES_APPROVAL",
                &mut self.transfer_requires_approval,
            ),
            ("POLICE_SQUARE_SECURE_COOKIES", &mut self.secure_cookies),
            ("POLICE_SQUARE_LOG_JSON", &mut self.log_json),
            (
                "POLICE_SQUARE_TRUST_FORWARDED_FOR",
                &mut self.trust_forwarded_for,
            ),
            ("POLICE_SQUARE_WORKERS", &mut self.workers),
        ] {
            if let Some(v) = get(name) {
                *field = flag(name, v)?;
            }
        }
        Ok(())
    }

    /// The public base URL without a trailing slash (see [`Config::public_base_url`]).
    pub fn public_base(&self) -> String {
        let base = self.public_base_url.trim().trim_end_matches('/');
        if base.is_empty() {
            format!("http://{}", self.bind)
        } else {
            base.to_owned()
        }
    }

    /// The short link residents get by SMS for an appeal (`<base>/t/<code>`).
    pub fn tracking_link(&self, tracking_code: &str) -> String {
        format!("{}/t/{tracking_code}", self.public_base())
    }

    /// The personal-data vault (see [`Config::master_key`]).
    pub fn vault(&self) -> anyhow::Result<Vault> {
        Ok(Vault::new(self.master_key()?))
    }

    /// The master key: from `key`, else `key_file`, else `./police-square.key`. Never
    /// created here: a missing key is an error (see `app::keys` for who may create one).
    pub fn master_key(&self) -> anyhow::Result<[u8; 32]> {
        self.configured_key()?.with_context(|| {
            format!(
                "no personal-data key: {} does not exist (restore it from your backup, or \
                 run `police-square key init` for a new, empty database)",
                self.key_source()
            )
        })
    }

    /// The configured key, `None` when the key file does not exist.
    pub fn configured_key(&self) -> anyhow::Result<Option<[u8; 32]>> {
        if let Some(key) = &self.key {
            return parse_key(key.expose())
                .context("POLICE_SQUARE_KEY / key")
                .map(Some);
        }
        let path = self.key_file_path();
        if !path.exists() {
            return Ok(None);
        }
        let hex = std::fs::read_to_string(&path)
            .with_context(|| format!("reading key file {}", path.display()))?;
        parse_key(&hex)
            .with_context(|| format!("key file {}", path.display()))
            .map(Some)
    }

    /// `key_file`, else `./police-square.key`.
    pub fn key_file_path(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_KEY_FILE))
    }

    /// Where the key comes from, for messages.
    pub fn key_source(&self) -> String {
        if self.key.is_some() {
            "the key in POLICE_SQUARE_KEY (or `key` in the config file)".to_owned()
        } else {
            format!(
                "the key file {} (POLICE_SQUARE_KEY_FILE or `key_file`)",
                self.key_file_path().display()
            )
        }
    }

    /// Creates the key file (mode 0600) with a fresh random key; refuses an existing
    /// file and a key given in the configuration.
    pub fn create_key_file(&self) -> anyhow::Result<[u8; 32]> {
        if self.key.is_some() {
            anyhow::bail!("POLICE_SQUARE_KEY (or `key`) is set: a key is already configured");
        }
        let path = self.key_file_path();
        write_new_key(&path)?;
        tracing::warn!(path = %path.display(), "created a new personal-data key file; back it up");
        self.master_key()
    }
}

fn parse_key(hex_key: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = hex::decode(hex_key.trim())
        .map_err(|_| anyhow::anyhow!("the key must be 64 hex characters"))?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("the key must be 32 bytes (64 hex characters)"))
}

fn write_new_key(path: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("creating key file {}", path.display()))?;
    writeln!(file, "{}", Vault::generate_key_hex())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_env() {
        let mut c = Config::from_toml(
            "bind = \"0.0.0.0:9000\"\ntransfer_requires_approval = true\n[jobs]\ndeadline_scan_secs = 5\n[notify.default]\nkind = \"log\"\npath = \"/tmp/n.log\"\n",
        )
        .unwrap();
        assert_eq!(c.bind.port(), 9000);
        assert_eq!(c.jobs.deadline_scan_secs, 5);
        assert_eq!(c.jobs.poll_ms, JobsConfig::default().poll_ms);
        c.apply_env(|k| match k {
            "POLICE_SQUARE_DATABASE_URL" => Some("postgres://x/y".into()),
            "POLICE_SQUARE_TRANSFER_REQUIRES_APPROVAL" => Some("false".into()),
            "POLICE_SQUARE_KEY" => Some("00".repeat(32)),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.database_url, "postgres://x/y");
        assert!(!c.transfer_requires_approval);
        assert!(c.vault().is_ok());
        assert!(
            !format!("{c:?}").contains(&"00".repeat(32)),
            "key never printed"
        );
    }

    #[test]
    fn emergency_routing_and_links_are_configured() {
        let c = Config::from_toml(
            "public_base_url = \"https://jwgc.example.org/\"\n[emergency]\nduty_units = { \"吴兴区\" = \"吴兴区分局指挥中心\" }\n",
        )
        .unwrap();
        assert_eq!(
            c.emergency.duty_units.get("吴兴区").map(String::as_str),
            Some("吴兴区分局指挥中心")
        );
        assert_eq!(
            c.tracking_link("ABCDEFGHJKMNPQRS"),
            "https://jwgc.example.org/t/ABCDEFGHJKMNPQRS"
        );
        assert_eq!(Config::default().public_base(), "http://127.0.0.1:8080");
    }

    #[test]
    fn unknown_keys_are_errors() {
        assert!(Config::from_toml("bindd = \"x\"").is_err());
    }

    #[test]
    fn key_file_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        write_new_key(&path).unwrap();
        let c = Config {
            key_file: Some(path.clone()),
            ..Config::default()
        };
        c.vault().unwrap();
        assert!(write_new_key(&path).is_err(), "never overwrite a key");
    }
}
