//! Print the category and cluster figures of labelled JSONL files (the same
//! figures as `police-square eval`, without building the CLI):
//! `cargo run -p police-square-text --release --example eval_file -- FILE... [--errors]`

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors = args.iter().any(|a| a == "--errors");
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let text = std::fs::read_to_string(path).expect("readable file");
        // Cluster settings may be overridden for tuning: CT (threshold),
        // CS (strong threshold), CB (same-category bonus).
        let mut config = police_square_text::ClusterConfig::default();
        let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f32>().ok());
        config.threshold = env("CT").unwrap_or(config.threshold);
        config.max_candidates = env("CMAX").map_or(config.max_candidates, |v| v as usize);
        config.query_features = env("CQ").map_or(config.query_features, |v| v as usize);
        config.strong_threshold = env("CS").unwrap_or(config.strong_threshold);
        config.same_category_bonus = env("CB").unwrap_or(config.same_category_bonus);
        config.min_shared_specific = env("CSH").map_or(config.min_shared_specific, |v| v as usize);
        config.cross_category = (
            env("CXN").map_or(config.cross_category.0, |v| v as usize),
            env("CXS").unwrap_or(config.cross_category.1),
        );
        config.max_candidates = env("CMAX").map_or(config.max_candidates, |v| v as usize);
        config.query_features = env("CQ").map_or(config.query_features, |v| v as usize);
        config.strong_threshold = env("CS").unwrap_or(config.strong_threshold);
        config.same_category_only = env("CSC").map_or(config.same_category_only, |v| v > 0.0);
        let v = police_square_text::evaluate_with(&text, None, &config).expect("valid JSONL");
        let c = &v["classification"];
        let per: Vec<String> = c["per_category"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(k, p)| format!("{k} {:.2}", p["f1"].as_f64().unwrap_or(0.0)))
                    .collect()
            })
            .unwrap_or_default();
        let k = &v["clusters"];
        println!(
            "{path}: n {} macro-F1 {:.3} acc {:.3} | clusters P {:.2} R {:.2} F1 {:.2}\n  {}",
            v["n"],
            c["macro_f1"].as_f64().unwrap_or(0.0),
            c["accuracy"].as_f64().unwrap_or(0.0),
            k["pairwise_precision"].as_f64().unwrap_or(0.0),
            k["pairwise_recall"].as_f64().unwrap_or(0.0),
            k["pairwise_f1"].as_f64().unwrap_or(0.0),
            per.join(", ")
        );
        if errors {
            let engine = police_square_text::TextEngine::new();
            for row in police_square_text::parse_jsonl(&text).expect("valid JSONL") {
                let Some(gold) = row.category() else { continue };
                let p = engine.classify(&row.text);
                if p.category != gold {
                    let t: String = row.text.chars().take(60).collect();
                    println!("  {gold} -> {} ({:.2}) {t}", p.category, p.confidence);
                }
            }
        }
    }
}
