//! `police-square key init`: the personal-data key of a new installation.

use clap::Subcommand;
use police_square_server::{app::keys::init_key, Config};

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Create the key file (mode 0600) for an empty database and record its
    /// fingerprint there; refuses when a key file exists or the database has a key.
    Init,
}

pub async fn run(config: &Config, command: KeyCommand) -> anyhow::Result<()> {
    let KeyCommand::Init = command;
    let stores = police_square_store::connect(&config.database_url).await?;
    stores.maintenance.migrate().await?;
    let fingerprint = init_key(config, &stores).await?;
    println!(
        "created {} (fingerprint {fingerprint}); back it up apart from the database: \
         without it the personal data cannot be read",
        config.key_file_path().display()
    );
    Ok(())
}
