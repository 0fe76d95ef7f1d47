//! Demo data for `demo` and `serve --demo`.

use anyhow::bail;
use police_square_demo::DemoOptions;
use police_square_server::{
    app::keys::{checked_vault, MissingKey},
    Config,
};

/// `serve --demo`: fill the database only if it has no units yet.
pub async fn fill_if_empty(config: &Config, appeals: usize, seed: u64) -> anyhow::Result<()> {
    let stores = police_square_store::connect(&config.database_url).await?;
    stores.maintenance.migrate().await?;
    if !stores.org.units().await?.is_empty() {
        println!("database already has data; starting without loading the demo");
        return Ok(());
    }
    load(config, appeals, seed).await
}

pub async fn fill(config: &Config, appeals: usize, seed: u64) -> anyhow::Result<()> {
    let stores = police_square_store::connect(&config.database_url).await?;
    stores.maintenance.migrate().await?;
    if !stores.org.units().await?.is_empty() {
        bail!("the database is not empty; demo data goes into a fresh database only");
    }
    load(config, appeals, seed).await
}

async fn load(config: &Config, appeals: usize, seed: u64) -> anyhow::Result<()> {
    let stores = police_square_store::connect(&config.database_url).await?;
    // From nothing the demo creates its key; over sealed data it needs the right one.
    let vault = checked_vault(config, &stores, MissingKey::CreateIfEmpty).await?;
    let opts = DemoOptions {
        appeals,
        seed,
        progress: true,
        password: std::env::var("POLICE_SQUARE_DEMO_PASSWORD").ok(),
    };
    let now = chrono::Utc::now().timestamp_millis();
    let summary = police_square_demo::load(&stores, &vault, &opts, now).await?;
    println!("{summary}");
    Ok(())
}
