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
    let sweep = args.iter().any(|a| a == "--sweep");
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let r = measure_urgency(parse_urgency_cases(&std::fs::read_to_string(path)?)?);
        let (e, p) = (r.emergency, r.possible);
        println!(
            "{path}: n={} emergencies={} | emergency P={:.3} R={:.3} (flagged {}) | possible P={:.3} R={:.3} (flagged {})",
            e.n, e.emergencies, e.precision, e.recall, e.flagged, p.precision, p.recall, p.flagged
        );
        if args.iter().any(|a| a == "--scores") {
            for (c, s) in &r.signals {
                println!("{}\t{:.3}\t{}", c.id, s.score, c.urgency.as_deref().unwrap_or("-"));
            }
        }
        if sweep {
            // Precision and recall if the gate fired at other scores.
            for t in [0.5f32, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0, 1.1] {
                let pairs: Vec<(bool, bool)> = r
                    .signals
                    .iter()
                    .map(|(c, s)| (c.urgency.as_deref() == Some("emergency"), s.score >= t))
                    .collect();
                let prf = police_square_text::metrics::binary_prf(&pairs);
                println!("  at {t:.2}: P={:.3} R={:.3}", prf.precision, prf.recall);
            }
        }
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
