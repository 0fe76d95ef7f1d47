//! `police-square user add|passwd|disable|enable|list`: staff administration.

use std::io::BufRead;

use anyhow::{bail, Context};
use clap::Subcommand;
use police_square_domain::Role;
use police_square_server::{auth::hash_password, config::Config};
use police_square_store::{NewStaff, Store};
use rand::{distributions::Alphanumeric, Rng};

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
        let pw: String = rand::thread_rng()
            .sample_iter(&Alphanumeric)
            .take(16)
            .map(char::from)
            .collect();
        Ok((pw, true))
    }
}

async fn find(store: &dyn Store, username: &str) -> anyhow::Result<police_square_store::Staff> {
    store
        .staff_by_username(username)
        .await?
        .with_context(|| format!("no staff account named {username}"))
}

pub async fn run(config: &Config, command: UserCommand) -> anyhow::Result<()> {
    let store = police_square_store::connect(&config.database_url).await?;
    store.migrate().await?;
    match command {
        UserCommand::Add {
            username,
            role,
            unit,
            name,
            password_stdin,
        } => {
            let role = Role::parse(&role)?;
            if !store.units().await?.iter().any(|u| u.id == unit) {
                bail!("no unit with id {unit} (see `police-square user units`)");
            }
            let (pw, generated) = password(password_stdin)?;
            let staff = store
                .create_staff(NewStaff {
                    display_name: name.unwrap_or_else(|| username.clone()),
                    username,
                    role,
                    unit_id: unit,
                    password_hash: hash_password(&pw)?,
                })
                .await?;
            println!(
                "created {} ({}) id {}",
                staff.username, staff.role, staff.id
            );
            if generated {
                println!("password: {pw}");
            }
        }
        UserCommand::Passwd {
            username,
            password_stdin,
        } => {
            let staff = find(store.as_ref(), &username).await?;
            let (pw, generated) = password(password_stdin)?;
            store.set_password(staff.id, &hash_password(&pw)?).await?;
            println!("password changed for {username}");
            if generated {
                println!("password: {pw}");
            }
        }
        UserCommand::Disable { username } => {
            let staff = find(store.as_ref(), &username).await?;
            store.set_disabled(staff.id, true).await?;
            println!("{username} disabled");
        }
        UserCommand::Enable { username } => {
            let staff = find(store.as_ref(), &username).await?;
            store.set_disabled(staff.id, false).await?;
            println!("{username} enabled");
        }
        UserCommand::Units => {
            for u in store.units().await? {
                let depth = u.path.ids().len().saturating_sub(1);
                println!("{:>5}  {}{} ({})", u.id, "  ".repeat(depth), u.name, u.kind);
            }
        }
    }
    Ok(())
}
