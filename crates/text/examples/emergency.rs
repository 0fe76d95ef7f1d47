//! Measure the urgency gate on labelled JSONL files and list what it got wrong.
//!
//! cargo run --release -p police-square-text --example emergency -- FILE... [--show]
//!
//! Prints precision/recall of `emergency` and `possible` per file; with
//! `--show`, each miss and false alarm with its score and cues; with
//! `--sweep`, the figures at other thresholds; with `--scores`, each id's score.
//!
//! Cost: `--bench R` runs the gate R times over every text (after one warm-up
//! call that builds the matcher and trains the learned frame) and prints the
//! wall time per appeal. For instructions, run it under callgrind with R and
//! with 0 and divide the difference by R × the number of texts:
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/emergency FILE --bench 5

use police_square_text::emergency::detect;
use police_square_text::emergency_eval::{measure_urgency, parse_urgency_cases};
use police_square_text::normalize::normalize;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show = args.iter().any(|a| a == "--show");
    let sweep = args.iter().any(|a| a == "--sweep");
    let bench: Option<usize> = args
        .iter()
        .position(|a| a == "--bench")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok());
    if let Some(rounds) = bench {
        let path = args.first().ok_or("usage: emergency FILE --bench R")?;
        let texts: Vec<String> = parse_urgency_cases(&std::fs::read_to_string(path)?)?
            .into_iter()
            .map(|c| normalize(&c.text))
            .collect();
        std::hint::black_box(detect(""));
        let start = std::time::Instant::now();
        let mut fired = 0;
        for _ in 0..rounds {
            for t in &texts {
                fired += usize::from(detect(std::hint::black_box(t)).emergency);
            }
        }
        let per = start.elapsed().as_nanos() as f64 / (rounds * texts.len()).max(1) as f64;
        println!(
            "{} texts x {rounds}: {per:.0} ns per appeal ({fired} fired)",
            texts.len()
        );
        return Ok(());
    }
    for path in args
        .iter()
        .filter(|a| !a.starts_with("--") && a.parse::<usize>().is_err())
    {
        let r = measure_urgency(parse_urgency_cases(&std::fs::read_to_string(path)?)?);
        let (e, p) = (r.emergency, r.possible);
        println!(
            "{path}: n={} emergencies={} | emergency P={:.3} R={:.3} (flagged {}) | possible P={:.3} R={:.3} (flagged {})",
            e.n, e.emergencies, e.precision, e.recall, e.flagged, p.precision, p.recall, p.flagged
        );
        if args.iter().any(|a| a == "--scores") {
            for (c, s) in &r.signals {
                println!(
                    "{}\t{:.3}\t{}",
                    c.id,
                    s.score,
                    c.urgency.as_deref().unwrap_or("-")
                );
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
