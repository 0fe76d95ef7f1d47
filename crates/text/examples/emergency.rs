//! Measure the urgency gate on labelled JSONL files and list what it got wrong.
//!
//! cargo run --release -p police-square-text --example emergency -- FILE... [--show]
//!
//! Prints precision/recall of `emergency` and `possible` per file; with
//! `--show`, each miss and false alarm with its score and cues.

use police_square_text::emergency_eval::{measure_urgency, parse_urgency_cases};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show = args.iter().any(|a| a == "--show");
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let r = measure_urgency(parse_urgency_cases(&std::fs::read_to_string(path)?)?);
        let (e, p) = (r.emergency, r.possible);
        println!(
            "{path}: n={} emergencies={} | emergency P={:.3} R={:.3} (flagged {}) | possible P={:.3} R={:.3} (flagged {})",
            e.n, e.emergencies, e.precision, e.recall, e.flagged, p.precision, p.recall, p.flagged
        );
        if show {
            for (c, s) in &r.signals {
                let gold = c.urgency.as_deref() == Some("emergency");
                let tag = match (gold, s.emergency, s.possible) {
                    (true, false, false) => "MISS",
                    (true, false, true) => "miss(possible)",
                    (false, true, _) => "FALSE",
                    _ => continue,
                };
                println!(
                    "  {tag} {} [{}] {:.2} {:?} {}",
                    c.id,
                    c.scenario.as_deref().unwrap_or("-"),
                    s.score,
                    s.cues,
                    c.text
                );
            }
        }
    }
    Ok(())
}
