//! The personal-data key at start-up. The database records the fingerprint of the key
//! its data is sealed under (never the key); a process that opens sealed data first
//! checks its configured key against it and refuses to start on a mismatch, so data is
//! never sealed under two keys. Only an empty database may get a new key: by `police-square
//! key init`, or by the demo.

use anyhow::bail;
use police_square_store::{vault::Vault, Stores};

use crate::app::{clock::Clock, clock::SystemClock, config::Config};

/// What to do when no key is configured (the key file does not exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingKey {
    /// Refuse (serving, reports, backups).
    Refuse,
    /// Create the key file if the database is empty (the demo, `key init`).
    CreateIfEmpty,
}

/// The vault of the configured key, once it is known to be the database's key: its
/// fingerprint matches the recorded one, or (no fingerprint yet) a sealed sample opens
/// with it or there is no sealed data; then its fingerprint is recorded. Refuses, and
/// writes nothing, otherwise.
pub async fn checked_vault(
    config: &Config,
    stores: &Stores,
    missing: MissingKey,
) -> anyhow::Result<Vault> {
    let recorded = stores.keys.key_fingerprint().await?;
    let sample = stores.keys.sealed_sample().await?;
    let empty = recorded.is_none() && sample.is_none();
    let key = match config.configured_key()? {
        Some(key) => key,
        None if empty && missing == MissingKey::CreateIfEmpty => config.create_key_file()?,
        None => {
            let holds = if recorded.is_some() {
                "the database has a key fingerprint"
            } else {
                "the database holds sealed personal data"
            };
            bail!(
                "refusing to start: {} does not exist and {holds}. Put the key file back \
                 (from your backup) or set POLICE_SQUARE_KEY to the key this database was \
                 created with; a new key is created only for an empty database \
                 (`police-square key init`)",
                config.key_source()
            );
        }
    };
    let vault = Vault::new(key);
    match (&recorded, &sample) {
        (Some(recorded), _) if recorded != vault.fingerprint() => wrong_key(config)?,
        (None, Some(sealed)) if vault.open(sealed).is_err() => wrong_key(config)?,
        _ => {}
    }
    if recorded.is_none() {
        let now = SystemClock.now();
        let winner = stores
            .keys
            .record_key_fingerprint(vault.fingerprint(), now)
            .await?;
        if winner != vault.fingerprint() {
            // Another node recorded a different key first.
            wrong_key(config)?;
        }
    }
    Ok(vault)
}

fn wrong_key(config: &Config) -> anyhow::Result<()> {
    bail!(
        "refusing to start: {} is not the key this database's personal data is sealed \
         under (its fingerprint differs). Configure the right key (restore the key file \
         from your backup, or correct POLICE_SQUARE_KEY / POLICE_SQUARE_KEY_FILE); nothing \
         was written",
        config.key_source()
    )
}

/// `police-square key init`: a new key file for an empty database, its fingerprint
/// recorded. Refuses when a key is configured already or the database has a key
/// fingerprint or sealed data. Returns the fingerprint.
pub async fn init_key(config: &Config, stores: &Stores) -> anyhow::Result<String> {
    if config.configured_key()?.is_some() {
        bail!(
            "{} exists already; `key init` never replaces a key",
            config.key_source()
        );
    }
    if stores.keys.key_fingerprint().await?.is_some() {
        bail!(
            "the database already has a key fingerprint: it needs the key it was created \
             with, not a new one (restore the key file from your backup)"
        );
    }
    if stores.keys.sealed_sample().await?.is_some() {
        bail!("the database already holds sealed personal data: restore its key file instead");
    }
    let vault = checked_vault(config, stores, MissingKey::CreateIfEmpty).await?;
    Ok(vault.fingerprint().to_owned())
}
