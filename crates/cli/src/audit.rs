//! `police-square audit verify`: walk the hash chain and report the first broken link,
//! then hold the chain against its signed checkpoints and a head noted elsewhere;
//! `police-square audit checkpoint`: sign the head now and print it to keep apart.

use clap::Subcommand;
use police_square_domain::audit::{
    check_against_chain, AuditRecord, BrokenLink, ChainVerifier, CheckpointBreak, NotedHead,
};
use police_square_server::{features::admin::checkpoints, Config};
use police_square_store::{AuditStore, Stores};

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Verify every link of the audit chain, the signed checkpoints and (with --head) a
    /// head noted earlier; exits non-zero at the first problem.
    Verify {
        /// A head printed earlier by `audit checkpoint`, as SEQ:HASH.
        #[arg(long)]
        head: Option<String>,
    },
    /// Sign the chain's head now, keep the checkpoint and print SEQ:HASH to note
    /// somewhere else (a printout, another system).
    Checkpoint,
}

const PAGE: u32 = 5_000;

pub async fn run(config: &Config, command: AuditCommand) -> anyhow::Result<()> {
    let stores = police_square_store::connect(&config.database_url).await?;
    stores.maintenance.migrate().await?;
    let noted = match command {
        AuditCommand::Checkpoint => {
            let key = checkpoints::load_key(&config.audit, stores.audit.as_ref(), true)
                .await?
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "the audit key file is missing but checkpoints exist: put it back \
                         (POLICE_SQUARE_AUDIT_KEY_FILE) before signing"
                    )
                })?;
            let now = police_square_server::Clock::now(&police_square_server::SystemClock);
            let c = checkpoints::sign_head(stores.audit.as_ref(), &key, now)
                .await
                .map_err(|e| anyhow::anyhow!(e.detail()))?;
            println!("{}", c.head);
            eprintln!(
                "keep this line apart from this server; check with `audit verify --head {}`",
                c.head
            );
            return Ok(());
        }
        AuditCommand::Verify { head } => head
            .as_deref()
            .map(NotedHead::parse)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--head: {e}"))?,
    };
    println!("{}", verify(config, &stores, noted.as_ref()).await?);
    Ok(())
}

/// Walks the whole chain of `stores`, then holds it against the signed checkpoints and
/// `noted` (a head noted elsewhere); the summary line when all holds, else the error
/// naming the first problem (also run after `restore`).
pub async fn verify(
    config: &Config,
    stores: &Stores,
    noted: Option<&NotedHead>,
) -> anyhow::Result<String> {
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
    let signed = verify_checkpoints(config, stores.audit.as_ref(), noted).await?;
    Ok(format!(
        "audit chain intact: {} entries verified; head {head_seq} {head_hash}; {signed}",
        verifier.checked
    ))
}

/// Every signed checkpoint (and the noted head) against the chain: the signature
/// must verify and the chain's entry at its position must carry its hash.
async fn verify_checkpoints(
    config: &Config,
    audit: &dyn AuditStore,
    noted: Option<&NotedHead>,
) -> anyhow::Result<String> {
    let (chain_end, _) = audit.audit_head().await?;
    let key = checkpoints::load_key(&config.audit, audit, false).await?;
    let mut count = 0;
    let mut after = 0;
    loop {
        let page = audit.checkpoints(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.head.seq;
        let Some(key) = &key else {
            anyhow::bail!(
                "the audit key is missing (POLICE_SQUARE_AUDIT_KEY_FILE): the signed \
                 checkpoints cannot be checked"
            );
        };
        for c in &page {
            if !c.verifies(key) {
                fail_checkpoint(CheckpointBreak::BadSignature { seq: c.head.seq })?;
            }
            check_head(audit, &c.head, chain_end).await?;
            count += 1;
        }
    }
    if let Some(head) = noted {
        check_head(audit, head, chain_end).await?;
    }
    Ok(match noted {
        Some(h) => format!(
            "{count} signed checkpoints and the noted head {} hold",
            h.seq
        ),
        None => format!("{count} signed checkpoints hold"),
    })
}

async fn check_head(
    audit: &dyn AuditStore,
    head: &NotedHead,
    chain_end: i64,
) -> anyhow::Result<()> {
    let at = if head.seq > 0 {
        audit.audit_entries(head.seq - 1, 1).await?
    } else {
        Vec::new()
    };
    let hash = at
        .first()
        .filter(|e| e.seq == head.seq)
        .map(|e| e.hash.as_str());
    check_against_chain(head, hash, chain_end).or_else(fail_checkpoint)
}

fn fail_checkpoint(broken: CheckpointBreak) -> anyhow::Result<()> {
    let what = match broken {
        CheckpointBreak::BadSignature { seq } => format!(
            "the checkpoint at entry {seq} is not signed by the audit key (forged, or another key)"
        ),
        CheckpointBreak::Rewritten { seq } => format!(
            "entry {seq} is not the one signed or noted at that position (the chain was rewritten)"
        ),
        CheckpointBreak::Missing { seq, chain_end } => format!(
            "entry {seq} was signed or noted but the chain ends at {chain_end} (entries removed)"
        ),
    };
    anyhow::bail!("audit chain broken: {what}")
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
