//! Tuning aid: similarity of gold near-duplicate pairs vs other pairs in a labelled file.
use police_square_text::{
    cluster::{Signature, SignatureParams},
    features::TextFeatures,
    normalize::normalize,
    parse_jsonl, TextEngine,
};
fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let rows = parse_jsonl(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut e = TextEngine::new();
    let seed = parse_jsonl(police_square_text::classify::SEED_TRAIN).unwrap();
    e.fit_idf(seed.iter().chain(&rows).map(|r| r.text.as_str()));
    let an: Vec<_> = rows.iter().map(|r| e.analyze(&r.text)).collect();
    let args: Vec<f32> = std::env::args()
        .skip(2)
        .map(|a| a.parse().unwrap())
        .collect();
    let p = SignatureParams {
        word_weight: args[0],
        bigram_weight: args[1],
        place_boost: args[2],
        idf_power: args[3],
        max_features: args[4] as usize,
        place_weight: 1.0,
    };
    let sigs: Vec<Signature> = rows
        .iter()
        .map(|r| {
            let n = normalize(&r.text);
            let t = e.segmenter().cut(&n);
            Signature::build_with(&TextFeatures::new(&n, &t), e.idf(), &p)
        })
        .collect();
    let (mut pos, mut neg) = (vec![], vec![]);
    for i in 0..rows.len() {
        for j in i + 1..rows.len() {
            if rows[i].district != rows[j].district {
                continue;
            }
            let d = (rows[i].submitted_at.unwrap() - rows[j].submitted_at.unwrap())
                .num_days()
                .abs();
            if d > 60 {
                continue;
            }
            let mut s = sigs[i].cosine(&sigs[j]);
            if an[i].category == an[j].category {
                s += 0.05;
            }
            let same = rows[i].cluster.is_some() && rows[i].cluster == rows[j].cluster;
            if same {
                pos.push(s)
            } else {
                neg.push(s)
            }
        }
    }
    pos.sort_by(|a, b| a.total_cmp(b));
    neg.sort_by(|a, b| b.total_cmp(a));
    println!(
        "pos n={} quantiles: {:?}",
        pos.len(),
        [0.1, 0.25, 0.5, 0.75, 0.9].map(|q| pos[(q * pos.len() as f64) as usize])
    );
    println!("neg n={} top: {:?}", neg.len(), &neg[..5]);
    for t in [0.1f32, 0.12, 0.15, 0.18, 0.2, 0.22, 0.25, 0.3, 0.35] {
        let tp = pos.iter().filter(|s| **s >= t).count();
        let fp = neg.iter().filter(|s| **s >= t).count();
        println!(
            "t={t} tp={tp} fp={fp} f1~{:.3}",
            2.0 * tp as f64 / (2 * tp + fp + (pos.len() - tp)) as f64
        );
    }
}
