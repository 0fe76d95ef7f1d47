//! Print the shipped model's category, confidence and the gold label for each
//! line of a labelled JSONL file (for error analysis).
//!
//! cargo run --release -p police-square-text --example predict -- FILE

use std::env;
use std::fs;

use police_square_text::{parse_jsonl, TextEngine};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = env::args().nth(1).ok_or("usage: predict FILE")?;
    let rows = parse_jsonl(&fs::read_to_string(path)?)?;
    let engine = TextEngine::new();
    for r in rows {
        let p = engine.classify(&r.text);
        let gold = r.category.as_deref().unwrap_or("-");
        let mark = if gold == p.category.as_str() {
            " "
        } else {
            "X"
        };
        println!(
            "{mark}\t{gold}\t{}\t{:.2}\t{}",
            p.category,
            p.confidence,
            r.text.replace('\n', " ")
        );
    }
    Ok(())
}
