//! Evaluate the text engine on a labelled JSONL file (the CLI glue does the
//! same through `police-square eval`).
//!
//! cargo run --release -p police-square-text --example evaluate -- FILE [--train FILE] [--cv K]

use std::env;
use std::fs;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = env::args().skip(1).collect();
    let labeled = fs::read_to_string(
        args.first()
            .ok_or("usage: evaluate FILE [--train FILE] [--cv K]")?,
    )?;
    let mut train = None;
    let mut cv = None;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--train" => train = Some(fs::read_to_string(&args[i + 1])?),
            "--cv" => cv = Some(args[i + 1].parse::<usize>()?),
            other => return Err(format!("unknown argument {other}").into()),
        }
        i += 2;
    }
    let v = match cv {
        Some(k) => police_square_text::cross_validate(&labeled, k)?,
        None => police_square_text::evaluate(&labeled, train.as_deref())?,
    };
    println!("{}", serde_json::to_string_pretty(&v)?);
    Ok(())
}
