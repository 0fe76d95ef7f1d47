//! `police-square audit verify`: walk the hash chain and report the first broken link.

use clap::Subcommand;
use police_square_domain::audit::{AuditRecord, BrokenLink, ChainVerifier};
use police_square_server::Config;
use police_square_store::Stores;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Verify every link of the audit chain; exits non-zero at the first broken one.
    Verify,
}

const PAGE: u32 = 5_000;

pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    let AuditCommand::Verify = command;
    let stores = police_square_store::connect(&config.database_url).await?;
    stores.maintenance.migrate().await?;
    println!("{}", verify(&stores).await?);
    Ok(())
}

/// Walks the whole chain of `stores`; the summary line when intact, else the error
/// naming the first broken link (also run after `restore`).
pub async fn verify(stores: &Stores) -> anyhow::Result<String> {
    // The head first: appends after this moment extend the chain past it and are
    // verified as links; the head anchors the chain against truncation.
    let (head_seq, head_hash) = stores.audit.audit_head().await?;
    let mut verifier = ChainVerifier::default();
    let mut anchored = false;
    let mut after = 0;
    loop {
        let page = stores.audit.audit_entries(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            let record = AuditRecord {
                seq: e.seq,
                at: e.at,
                actor: &e.actor,
                action: &e.action,
                subject: &e.subject,
                detail: &e.detail,
            };
            let mut checked = verifier.check(&record, &e.prev_hash, &e.hash);
            if checked.is_ok() && e.seq == head_seq {
                checked = verifier.finish(head_seq, &head_hash);
                anchored = true;
            }
            if let Err(broken) = checked {
                fail(&verifier, broken)?;
            }
        }
    }
    if !anchored {
        if let Err(broken) = verifier.finish(head_seq, &head_hash) {
            fail(&verifier, broken)?;
        }
    }
    Ok(format!(
        "audit chain intact: {} entries verified; head {head_seq} {head_hash}",
        verifier.checked
    ))
}

/// The error for the first broken link.
fn fail(verifier: &ChainVerifier, broken: BrokenLink) -> anyhow::Result<()> {
    let what = match broken {
        BrokenLink::WrongPrevious { seq } => {
            format!("entry {seq} does not follow the entry before it (rows removed or reordered)")
        }
        BrokenLink::WrongHash { seq } => {
            format!("entry {seq} was altered (its hash does not match its content)")
        }
        BrokenLink::Gap { after, found } => {
            format!("entries between {after} and {found} are missing")
        }
        BrokenLink::Truncated { after, head } => format!(
            "the newest entries {} to {head} are missing (the chain ends before its head)",
            after + 1
        ),
        BrokenLink::HeadMismatch { seq } => format!(
            "entry {seq} is not the head every append recorded (the newest entries were replaced)"
        ),
    };
    anyhow::bail!(
        "audit chain broken: {what}; {} entries before it verified",
        verifier.checked
    )
}
