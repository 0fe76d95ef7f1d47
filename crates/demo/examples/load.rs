//! Times a demo load into a SQLite file:
//! `cargo run --release -p police-square-demo --example load -- 100000 /tmp/demo.db`

use police_square_demo::{load, DemoOptions};
use police_square_store::vault::Vault;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let appeals: usize = args.next().as_deref().unwrap_or("2000").parse()?;
    let path = args
        .next()
        .unwrap_or_else(|| "/tmp/police-square-demo.db".into());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
    let stores = police_square_store::connect(&path).await?;
    stores.maintenance.migrate().await?;
    let vault = Vault::from_hex(&Vault::generate_key_hex())?;
    let opts = DemoOptions {
        appeals,
        progress: true,
        ..DemoOptions::default()
    };
    let now = chrono::Utc::now().timestamp_millis();
    let summary = load(&stores, &vault, &opts, now).await?;
    println!(
        "{} appeals in {:.2?} = {:.0} appeals/s; whole load {:.2?}; {} hand-offs, {} requests",
        summary.appeals,
        summary.appeals_elapsed,
        summary.appeals_per_second(),
        summary.elapsed,
        summary.handoffs,
        summary.requests
    );
    println!("by status: {:?}", summary.by_status);
    Ok(())
}
