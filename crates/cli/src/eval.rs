//! `police-square eval --labeled FILE [--train FILE] [--emergency] --json`: measure the text features.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

#[derive(Args)]
pub struct EvalArgs {
    /// Labeled appeals (JSONL: id, text, channel, kind, category, urgency, district,
    /// submitted_at, cluster) to evaluate on.
    #[arg(long)]
    labeled: PathBuf,
    /// Train the category model on this file instead of using the shipped model;
    /// the evaluated file is never used for training.
    #[arg(long)]
    train: Option<PathBuf>,
    /// Measure only the urgency gate (紧急研判): precision and recall of
    /// `emergency` and `possible`, per channel, register and scenario, with the
    /// ids of misses and false alarms.
    #[arg(long)]
    emergency: bool,
    /// Print one JSON object (the default output format; kept for scripts).
    #[arg(long)]
    json: bool,
}

pub fn run(args: &EvalArgs) -> anyhow::Result<()> {
    let read = |p: &PathBuf| {
        std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
    };
    let labeled = read(&args.labeled)?;
    let report = if args.emergency {
        police_square_text::evaluate_emergency(&labeled)?
    } else {
        let train = args.train.as_ref().map(read).transpose()?;
        police_square_text::evaluate(&labeled, train.as_deref())?
    };
    let _ = args.json;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
