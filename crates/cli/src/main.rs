//! `police-square`: one binary for the server, schema migrations, demo data, staff
//! administration, the personal-data key, backups, audit-trail verification and evaluation of the text features.

mod audit;
mod backup;
mod demo;
mod eval;
mod import;
mod key;
mod org;
mod report;
mod user;

use std::{net::SocketAddr, path::PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use police_square_server::Config;

#[derive(Parser)]
#[command(name = "police-square", version, about = "警务广场 Police Square")]
struct Cli {
    /// Configuration file (TOML); `POLICE_SQUARE_*` environment variables override it.
    #[arg(long, global = true, env = "POLICE_SQUARE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (applies migrations first).
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
        #[arg(long)]
        bind: Option<SocketAddr>,
        /// Fill an empty database with the demo data first.
        #[arg(long)]
        demo: bool,
        /// Number of demo appeals with --demo.
        #[arg(long, default_value_t = 2_000)]
        appeals: usize,
    },
    /// Create or upgrade the database schema.
    Migrate,
    /// Fill the (empty) configured database with realistic demo data.
    Demo {
        #[arg(long, default_value_t = 2_000)]
        appeals: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// The unit tree of a real bureau (import from CSV/XLSX, list).
    Org {
        #[command(subcommand)]
        command: org::OrgCommand,
    },
    /// Staff accounts.
    User {
        #[command(subcommand)]
        command: user::UserCommand,
    },
    /// The tamper-evident audit trail.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// The personal-data key (`key init` for a new installation).
    Key {
        #[command(subcommand)]
        command: key::KeyCommand,
    },
    /// Back up the database into the new directory DEST, with a manifest naming its key
    /// (fingerprint) and audit head (SQLite: a consistent copy while the server runs;
    /// PostgreSQL: pg_dump).
    Backup { dest: PathBuf },
    /// Restore a backup made by `backup` into the configured database, refusing another
    /// key, then verify the audit chain.
    Restore {
        src: PathBuf,
        /// Overwrite a SQLite database that holds data.
        #[arg(long)]
        force: bool,
    },
    /// Opinion analysis reports (民意研判周报/月报/季报).
    Report {
        #[command(subcommand)]
        command: report::ReportCommand,
    },
    /// Evaluate the text features on labeled appeals (JSONL).
    Eval(eval::EvalArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = Config::load(cli.config.as_deref())?;
    if let Command::Eval(args) = &cli.command {
        // Pure computation: no database, no runtime.
        return eval::run(args);
    }
    police_square_server::app::telemetry::init(config.log_json);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve {
                bind,
                demo: with_demo,
                appeals,
            } => {
                if let Some(bind) = bind {
                    config.bind = bind;
                }
                if with_demo {
                    demo::fill_if_empty(&config, appeals, 2026).await?;
                }
                // Refusals (a wrong or missing key) come before the port is taken.
                let state = police_square_server::open_state(config).await?;
                let bind = state.config.bind;
                let listener = tokio::net::TcpListener::bind(bind)
                    .await
                    .with_context(|| format!("binding {bind}"))?;
                // Printed on stdout so scripts and tests can find a port-0 server.
                println!("listening on http://{}", listener.local_addr()?);
                police_square_server::serve_with_state(
                    state,
                    police_square_server::page_routes(),
                    listener,
                    police_square_server::shutdown_signal(),
                )
                .await
            }
            Command::Migrate => {
                let stores = police_square_store::connect(&config.database_url).await?;
                stores.maintenance.migrate().await?;
                println!("schema is up to date ({})", stores.maintenance.backend());
                Ok(())
            }
            Command::Demo { appeals, seed } => demo::fill(&config, appeals, seed).await,
            Command::Org { command } => org::run(&config, command).await,
            Command::User { command } => user::run(&config, command).await,
            Command::Audit { command } => audit::run(&config, command).await,
            Command::Key { command } => key::run(&config, command).await,
            Command::Backup { dest } => backup::backup(&config, &dest).await,
            Command::Restore { src, force } => backup::restore(&config, &src, force).await,
            Command::Report { command } => report::run(&config, command).await,
            Command::Eval(_) => unreachable!("handled above"),
        }
    })
}
