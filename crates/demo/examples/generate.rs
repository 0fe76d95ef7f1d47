//! Times the generator alone (no database):
//! `cargo run --release -p police-square-demo --example generate -- 1000000`

use std::time::Instant;

use police_square_demo::appeals::{fake_phone, Generator, Org};
use police_square_domain::pii::Phone;
use police_square_store::vault::Vault;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .as_deref()
        .unwrap_or("1000000")
        .parse()
        .expect("a number");
    let now = chrono::Utc::now().timestamp_millis();
    let t = Instant::now();
    let mut g = Generator::new(
        Org::synthetic(),
        1,
        n,
        now,
        police_square_demo::plain_indexer(),
    );
    let mut bytes = 0;
    for _ in 0..n {
        bytes += g.next_appeal().text.len();
    }
    let gen = t.elapsed();
    println!(
        "generated {n} in {gen:.2?} ({:.0}/s), {} MB of text",
        n as f64 / gen.as_secs_f64(),
        bytes / 1_000_000
    );
    let vault = Vault::new([1; 32]);
    let t = Instant::now();
    for i in 0..100_000u32 {
        let p = Phone::parse(&fake_phone(i % 20_000)).unwrap();
        std::hint::black_box(vault.seal_contact(&p, Some("张某"), None));
    }
    println!("seal_contact: {:.2?} per contact", t.elapsed() / 100_000);
}
