//! `police-square user add|import|passwd|disable|enable|units`: staff administration.

use std::{io::BufRead, path::PathBuf};

use anyhow::{bail, Context};
use clap::Subcommand;
use police_square_domain::Role;
use police_square_server::{app::auth::hash_password, features::admin::import, Clock, Config};
use police_square_store::{NewStaff, OrgStore};

use crate::import::{finish, read, Bar, CLI_ACTOR};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a staff account; prints a generated password unless --password-stdin.
    Add {
        username: String,
        /// admin | leader | supervisor | analyst | handler | operator
        #[arg(long)]
        role: String,
        /// Unit id (see `police-square user units`).
        #[arg(long)]
        unit: i64,
        #[arg(long)]
        name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Create or update accounts from a CSV (UTF-8 or GBK) or XLSX file with the columns
    /// 用户名/username, 姓名/display_name, 角色/role, 单位/unit (a code, name or name
    /// path) and optionally 初始密码/password; accounts without one get a generated
    /// password, printed once. Existing accounts keep their password.
    Import { file: PathBuf },
    /// Set a new password; prints a generated one unless --password-stdin.
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account (it can no longer log in).
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
    /// List the unit tree with ids.
    Units,
}

fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_owned();
        if pw.chars().count() < 10 {
            bail!("passwords need at least 10 characters");
        }
        Ok((pw, false))
    } else {
        Ok((police_square_store::password::generate_password(), true))
    }
}

async fn find(store: &dyn OrgStore, username: &str) -> anyhow::Result<police_square_store::Staff> {
    store
        .staff_by_username(username)
        .await?
        .with_context(|| format!("no staff account named {username}"))
}

pub async fn run(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let stores = police_square_store::connect(&config.database_url).await?;
    stores.maintenance.migrate().await?;
    match command {
        UserCommand::Add {
            username,
            role,
            unit,
            name,
            password_stdin,
        } => {
            let role = Role::parse(&role)?;
            if !stores.org.units().await?.iter().any(|u| u.id == unit) {
                bail!("no unit with id {unit} (see `police-square user units`)");
            }
            let (pw, generated) = password(password_stdin)?;
            let new = NewStaff {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                role,
                unit_id: unit,
                password_hash: hash_password(&pw)?,
            };
            let now = police_square_server::SystemClock.now();
            // Audited like the admin page's and the import's creations.
            let staff = stores.org.add_staff(new, "cli:user", now).await?;
            println!(
                "created {} ({}) id {}",
                staff.username, staff.role, staff.id
            );
            if generated {
                println!("password: {pw}");
            }
        }
        UserCommand::Import { file } => {
            let table = read(&file)?;
            let now = police_square_server::SystemClock.now();
            let done = import::staff::import_staff(
                stores.org.as_ref(),
                &table,
                CLI_ACTOR,
                now,
                &Bar::new("人员"),
            )
            .await?;
            if !done.generated.is_empty() {
                println!("temporary passwords (shown once; hand each to its owner):");
                for (username, pw) in &done.generated {
                    println!("  {username}  {pw}");
                }
            }
            return finish(&done.report);
        }
        UserCommand::Passwd {
            username,
            password_stdin,
        } => {
            let staff = find(stores.org.as_ref(), &username).await?;
            let (pw, generated) = password(password_stdin)?;
            stores
                .org
                .set_password(staff.id, &hash_password(&pw)?)
                .await?;
            println!("password changed for {username}");
            if generated {
                println!("password: {pw}");
            }
        }
        UserCommand::Disable { username } => {
            let staff = find(stores.org.as_ref(), &username).await?;
            stores.org.set_disabled(staff.id, true).await?;
            println!("{username} disabled");
        }
        UserCommand::Enable { username } => {
            let staff = find(stores.org.as_ref(), &username).await?;
            stores.org.set_disabled(staff.id, false).await?;
            println!("{username} enabled");
        }
        UserCommand::Units => {
            for u in stores.org.units().await? {
                let depth = u.path.ids().len().saturating_sub(1);
                println!("{:>5}  {}{} ({})", u.id, "  ".repeat(depth), u.name, u.kind);
            }
        }
    }
    Ok(())
}
