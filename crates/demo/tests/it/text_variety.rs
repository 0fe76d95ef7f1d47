//! The demo's appeals read like residents wrote them, not like a template: over a
//! 10,000-appeal demo almost every text is distinct, no fragment is doubled ("学校门口
//! 门口"), and no sentence is repeated many times over ("周末上班吗？"). Short set
//! phrases people really do repeat (谢谢, 您好) are not counted as sentences.

use std::collections::HashMap;

use police_square_demo::{
    appeals::{Generator, Org},
    plain_indexer,
};

/// 2026-11-22 16:00 China time.
const NOW: i64 = 1_795_334_400_000;
const N: usize = 10_000;

fn texts(seed: u64) -> Vec<String> {
    let mut g = Generator::new(Org::synthetic(), seed, N, NOW, plain_indexer());
    (0..N).map(|_| g.next_appeal().text).collect()
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The first fragment of two or more CJK characters immediately repeated, if any.
fn doubled_fragment(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for len in 2..=6 {
        for i in 0..chars.len().saturating_sub(2 * len - 1) {
            let (a, b) = (&chars[i..i + len], &chars[i + len..i + 2 * len]);
            // 一车一车, 一个一个: numeral-classifier reduplication is natural.
            if a == b && a.iter().all(|c| is_cjk(*c)) && a[0] != '一' {
                return Some(a.iter().collect());
            }
        }
    }
    None
}

/// Sentences of a text (split at 。！？；!?), with surrounding punctuation and spaces
/// trimmed; set phrases of up to four characters are left out.
fn sentences(text: &str) -> Vec<String> {
    text.split(['。', '！', '？', '；', '!', '?', '\n'])
        .map(|s| s.trim_matches(|c: char| !is_cjk(c) && !c.is_alphanumeric()))
        .filter(|s| s.chars().filter(|c| is_cjk(*c)).count() > 4)
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_ten_thousand_appeal_demo_reads_varied_and_natural() {
    let all = texts(2026);

    // Distinct texts: near-duplicate groups ("many people, one problem") still word
    // their appeals differently.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for t in &all {
        *seen.entry(t.as_str()).or_default() += 1;
    }
    let distinct = seen.len() as f64 / N as f64;
    let (most_text, most_text_n) = seen.iter().max_by_key(|(_, n)| **n).unwrap();
    println!("distinct texts: {distinct:.4}; most repeated text x{most_text_n}: {most_text}");

    // No doubled fragments.
    let doubled: Vec<(&String, String)> = all
        .iter()
        .filter_map(|t| doubled_fragment(t).map(|d| (t, d)))
        .collect();
    println!(
        "doubled: {} e.g. {:?}",
        doubled.len(),
        &doubled[..doubled.len().min(8)]
    );

    // No sentence repeated many times over.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for t in &all {
        let mut once = sentences(t);
        once.sort();
        once.dedup();
        for s in once {
            *counts.entry(s).or_default() += 1;
        }
    }
    let mut top: Vec<(&String, &usize)> = counts.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (s, n) in top.iter().take(40) {
        println!("{n:>5}  {s}");
    }

    assert!(distinct >= 0.98, "only {distinct:.4} of texts are distinct");
    assert!(
        *most_text_n <= 5,
        "{most_text:?} appears {most_text_n} times"
    );
    assert!(
        doubled.is_empty(),
        "{} texts with a doubled fragment, e.g. {:?}",
        doubled.len(),
        &doubled[..doubled.len().min(5)]
    );

    let limit = N / 100; // 1% of the appeals
    let over: Vec<_> = top.iter().take_while(|(_, n)| **n > limit).collect();
    assert!(
        over.is_empty(),
        "sentences repeated in more than {limit} appeals: {over:?}"
    );
}

#[test]
fn the_measures_catch_what_they_are_for() {
    assert_eq!(doubled_fragment("学校门口门口乱停车"), Some("门口".into()));
    assert_eq!(doubled_fragment("天天有人跳舞，谢谢"), None);
    assert_eq!(doubled_fragment("希望管一管一下"), Some("管一".into()));
    assert_eq!(doubled_fragment("一车一车地倒垃圾"), None);
    assert_eq!(
        sentences("您好，请问电动车上牌要带什么？周末上班吗？谢谢。"),
        vec!["您好，请问电动车上牌要带什么", "周末上班吗"]
    );
}
