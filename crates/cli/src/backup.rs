//! `police-square backup DEST` and `restore SRC`: a consistent copy of the database
//! (SQLite `VACUUM INTO`, PostgreSQL `pg_dump --format=custom`) in the directory DEST,
//! beside `manifest.json` naming the key it needs (its fingerprint) and the audit head.
//! A restore refuses another key and verifies the audit chain afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};
use police_square_server::{
    app::keys::{checked_vault, MissingKey},
    Config,
};
use police_square_store::{sqlite_path, Stores};
use serde_json::{json, Value};

const MANIFEST: &str = "manifest.json";
const SQLITE_FILE: &str = "police-square.db";
const PG_FILE: &str = "police-square.pgdump";

async fn open(config: &Config) -> anyhow::Result<Stores> {
    let stores = police_square_store::connect(&config.database_url).await?;
    stores.maintenance.migrate().await?;
    Ok(stores)
}

pub async fn backup(config: &Config, dest: &Path) -> anyhow::Result<()> {
    if dest.exists() && dest.read_dir()?.next().is_some() {
        bail!(
            "{} is not empty; back up into a new directory",
            dest.display()
        );
    }
    std::fs::create_dir_all(dest).with_context(|| format!("creating {}", dest.display()))?;
    let stores = open(config).await?;
    let vault = checked_vault(config, &stores, MissingKey::Refuse).await?;
    // Taken before the copy starts: the copy holds at least this head and these appeals.
    let (head_seq, head_hash) = stores.audit.audit_head().await?;
    let appeals = stores.rates.count_appeals().await?;
    let created_at = chrono::Utc::now();
    let backend = stores.maintenance.backend();
    let data = if backend == "sqlite" {
        let file = dest.join(SQLITE_FILE);
        let path = file.to_str().context("the backup path must be UTF-8")?;
        stores.maintenance.backup_into(path).await?;
        SQLITE_FILE
    } else {
        let file = dest.join(PG_FILE);
        run_tool(
            pg_tool("pg_dump", &config.database_url)
                .arg("--format=custom")
                .arg("--file")
                .arg(&file),
        )?;
        PG_FILE
    };
    let manifest = json!({
        "backend": backend,
        "created_at": created_at.to_rfc3339(),
        "key_fingerprint": vault.fingerprint(),
        "audit_head": format!("{head_seq}:{head_hash}"),
        "appeals": appeals,
        "data": data,
    });
    std::fs::write(
        dest.join(MANIFEST),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    println!(
        "backed up to {}: {appeals} appeals, audit head {head_seq}; keep the key file \
         apart from it",
        dest.display()
    );
    Ok(())
}

pub async fn restore(config: &Config, src: &Path, force: bool) -> anyhow::Result<()> {
    let manifest_path = src.join(MANIFEST);
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?,
    )
    .with_context(|| format!("parsing {}", manifest_path.display()))?;
    let field = |name: &str| -> anyhow::Result<&str> {
        manifest[name]
            .as_str()
            .with_context(|| format!("{} has no {name}", manifest_path.display()))
    };
    let key = config.vault()?;
    if field("key_fingerprint")? != key.fingerprint() {
        bail!(
            "refusing to restore: the backup was made under another personal-data key than \
             {} (fingerprints differ); configure the key file that belongs to this backup",
            config.key_source()
        );
    }
    let data = src.join(field("data")?);
    match field("backend")? {
        "sqlite" => restore_sqlite(config, &data, force).await?,
        "postgres" => {
            if !config.database_url.starts_with("postgres") {
                bail!("a PostgreSQL backup restores into a postgres:// database only");
            }
            run_tool(
                pg_tool("pg_restore", &config.database_url)
                    .args(["--clean", "--if-exists", "--no-owner"])
                    .arg(&data),
            )?;
        }
        other => bail!("unknown backend {other} in {}", manifest_path.display()),
    }
    let stores = open(config).await?;
    checked_vault(config, &stores, MissingKey::Refuse).await?;
    println!(
        "restored {} (audit head then {})",
        src.display(),
        field("audit_head")?
    );
    // The restored chain must reach the head the backup recorded.
    let head = police_square_domain::audit::NotedHead::parse(field("audit_head")?)
        .map_err(|e| anyhow::anyhow!("audit_head in {}: {e}", manifest_path.display()))?;
    println!(
        "{}",
        crate::audit::verify(config, &stores, Some(&head)).await?
    );
    Ok(())
}

/// Copies the backup over the configured SQLite file (refusing one that holds data
/// unless `force`), through a temporary file renamed into place.
async fn restore_sqlite(config: &Config, data: &Path, force: bool) -> anyhow::Result<()> {
    if config.database_url.starts_with("postgres") {
        bail!("a SQLite backup restores into a SQLite database only");
    }
    let target = PathBuf::from(sqlite_path(&config.database_url));
    if target.exists() && !force {
        let stores = open(config).await?;
        let holds_data =
            !stores.org.units().await?.is_empty() || stores.keys.sealed_sample().await?.is_some();
        stores.maintenance.close().await;
        if holds_data {
            bail!(
                "{} holds data; restore over it only with --force",
                target.display()
            );
        }
    }
    let staging = target.with_extension("restoring");
    std::fs::copy(data, &staging)
        .with_context(|| format!("copying {} to {}", data.display(), staging.display()))?;
    std::fs::File::open(&staging)?.sync_all()?;
    // The old WAL belongs to the old file: replayed over the new one it would corrupt it.
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side)?;
        }
    }
    std::fs::rename(&staging, &target)
        .with_context(|| format!("moving the restored database to {}", target.display()))?;
    Ok(())
}

/// `program --dbname URL` with the URL's password moved into `PGPASSWORD`: command
/// lines are visible to every user of the machine (`ps`), the environment is not.
fn pg_tool(program: &str, url: &str) -> Command {
    let (url, password) = split_password(url);
    let mut command = Command::new(program);
    command.arg("--dbname").arg(url);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    command
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret`), the
/// password percent-decoded as libpq would.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_owned(), None);
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_owned(), None);
    };
    (
        format!("{scheme}://{user}@{host}{tail}"),
        Some(percent_decode(password)),
    )
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn run_tool(command: &mut Command) -> anyhow::Result<()> {
    let program = command.get_program().to_string_lossy().into_owned();
    let status = command.status().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!(
                "{program} is not installed or not on PATH (Debian: apt install postgresql-client)"
            )
        } else {
            anyhow::anyhow!("running {program}: {e}")
        }
    })?;
    if !status.success() {
        bail!("{program} failed ({status})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::split_password;

    #[test]
    fn the_password_leaves_the_command_line() {
        assert_eq!(
            split_password(
                "postgres://ps:s%40cret:x@db.internal:5432/police_square?sslmode=require"
            ),
            (
                "postgres://ps@db.internal:5432/police_square?sslmode=require".to_owned(),
                Some("s@cret:x".to_owned())
            )
        );
        assert_eq!(
            split_password("postgres://postgres@127.0.0.1:5432/postgres"),
            (
                "postgres://postgres@127.0.0.1:5432/postgres".to_owned(),
                None
            )
        );
        assert_eq!(
            split_password("postgresql://db/x"),
            ("postgresql://db/x".to_owned(), None)
        );
    }
}
