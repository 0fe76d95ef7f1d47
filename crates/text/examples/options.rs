//! Compare training options: train on the seed set, score a labelled file.
//!
//! cargo run --release -p police-square-text --example options -- FILE

use std::env;
use std::fs;

use police_square_text::classify::SEED_TRAIN;
use police_square_text::features::TextFeatures;
use police_square_text::metrics::classification_report;
use police_square_text::normalize::normalize;
use police_square_text::{examples_from_jsonl, train_model_with, Segmenter, TrainOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = env::args().nth(1).ok_or("usage: options FILE")?;
    let test = examples_from_jsonl(&fs::read_to_string(path)?)?;
    let seed = examples_from_jsonl(SEED_TRAIN)?;
    let seg = Segmenter::new();
    for complement in [false, true] {
        for equal_norm in [false, true] {
            for alpha in [0.05f32, 0.1, 0.3, 1.0] {
                for lexicon_weight in [1.0f32, 3.0, 10.0] {
                    let opts = TrainOptions {
                        alpha,
                        complement,
                        equal_norm,
                        lexicon_weight,
                    };
                    let m = train_model_with(&seg, &seed, &opts);
                    let pairs: Vec<_> = test
                        .iter()
                        .map(|(t, g)| {
                            let n = normalize(t);
                            let toks = seg.cut(&n);
                            (*g, m.predict(&TextFeatures::new(&n, &toks)).category)
                        })
                        .collect();
                    let r = classification_report(&pairs);
                    println!(
                        "{complement}\t{equal_norm}\t{alpha}\t{lexicon_weight}\t{:.4}\t{:.4}",
                        r.macro_f1, r.accuracy
                    );
                }
            }
        }
    }
    Ok(())
}
