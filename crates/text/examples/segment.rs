//! Segment stdin line by line with jieba-rs — default dictionary only, HMM off —
//! and print space-joined tokens: the Rust side of `tools/jieba_agreement.py`.
//! `--police` adds the shipped police/local dictionary instead.

use std::io::{self, BufRead, BufWriter, Write};

use police_square_text::Segmenter;

fn main() -> io::Result<()> {
    let police = std::env::args().any(|a| a == "--police");
    let seg = if police {
        Segmenter::new()
    } else {
        Segmenter::default_dict_only()
    };
    let stdin = io::stdin();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        writeln!(out, "{}", seg.cut(&line).join(" "))?;
    }
    Ok(())
}
