//! `police-square org import FILE | list`: the unit tree of a real bureau.

use std::path::PathBuf;

use clap::Subcommand;
use police_square_server::{features::admin::import, Clock, Config};

use crate::import::{finish, read, Bar, CLI_ACTOR};

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Create or update units from a CSV (UTF-8 or GBK) or XLSX file with the columns
    /// 单位代码/code, 单位名称/name, 单位类型/kind, 上级单位/parent, 行政区划/district,
    /// 值班电话/duty_phone, 办公地址/address, 办公时间/hours (name is required; parent is a
    /// code, name or name path). Running it again changes only what the file changed.
    Import { file: PathBuf },
    /// The unit tree with ids and codes.
    List,
}

pub async fn run(config: &Config, command: OrgCommand) -> anyhow::Result<()> {
    let stores = police_square_store::connect(&config.database_url).await?;
    stores.maintenance.migrate().await?;
    match command {
        OrgCommand::Import { file } => {
            let table = read(&file)?;
            let now = police_square_server::SystemClock.now();
            let report = import::org::import_units(
                stores.org.as_ref(),
                &table,
                CLI_ACTOR,
                now,
                &Bar::new("单位"),
            )
            .await?;
            finish(&report)
        }
        OrgCommand::List => {
            for u in stores.org.units().await? {
                let depth = u.path.ids().len().saturating_sub(1);
                println!(
                    "{:>5}  {:<12} {}{} ({}){}",
                    u.id,
                    u.profile.code.as_deref().unwrap_or("-"),
                    "  ".repeat(depth),
                    u.name,
                    u.kind,
                    if u.profile.retired { " [retired]" } else { "" }
                );
            }
            Ok(())
        }
    }
}
