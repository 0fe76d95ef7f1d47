//! A tiny template language for colloquial appeal texts, and the writer that renders
//! a text together with its search text.
//!
//! Syntax: `{slot}` is filled from the place and the random generator (see [`Slot`]);
//! `[a|b|c]` picks one alternative (`[a|]` makes `a` optional). Templates are parsed
//! once; rendering only copies `&'static str` pieces, so a million texts are cheap.
//! The search text is built from the same pieces, each segmented once by the
//! [`Indexer`] and cached.

use std::collections::HashMap;
use std::sync::Arc;

use rand::Rng;

use crate::units::{DistrictSpec, StationSpec};

/// Segments a piece of text into space-joined search tokens (the server's text engine
/// `index_text`, so demo appeals are found by the same queries as real ones).
pub type Indexer = Arc<dyn Fn(&str) -> String + Send + Sync>;

/// The text engine's search segmentation, as `TextEngine::index_text` does it at intake
/// (normalise, then search-mode tokens), without training the engine's classifier.
pub fn engine_indexer() -> Indexer {
    let segmenter = police_square_text::segment::Segmenter::new();
    Arc::new(move |s: &str| segmenter.index_text(&police_square_text::normalize::normalize(s)))
}

/// A cheap indexer for tests: the piece itself, punctuation turned into spaces.
pub fn plain_indexer() -> Indexer {
    Arc::new(|s: &str| {
        s.chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// A landmark, market or square of the unit.
    Spot,
    Road,
    /// A residential estate (小区) or village.
    Estate,
    /// 街道 / 镇
    Town,
    /// 吴兴区, 德清县 …
    Area,
    /// The police station or traffic team.
    Unit,
    /// Any of spot / estate / road with a house number.
    Place,
    /// 昨天晚上, 前天下午 …
    When,
    /// An amount of money: 3800元, 1.2万元 …
    Money,
    /// A small count 2–9.
    N,
    /// An elderly person's age.
    Age,
    /// An e-bike brand and colour.
    Bike,
    /// A house number.
    No,
    /// A chat or shopping app.
    App,
    /// A clock time in the evening: 十点多, 十一点半 …
    Night,
}

impl Slot {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "spot" => Slot::Spot,
            "road" => Slot::Road,
            "estate" => Slot::Estate,
            "town" => Slot::Town,
            "area" => Slot::Area,
            "unit" => Slot::Unit,
            "place" => Slot::Place,
            "when" => Slot::When,
            "money" => Slot::Money,
            "n" => Slot::N,
            "age" => Slot::Age,
            "bike" => Slot::Bike,
            "no" => Slot::No,
            "app" => Slot::App,
            "night" => Slot::Night,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
enum Piece {
    Lit(&'static str),
    /// Alternatives, each a sequence of literals and slots.
    Alt(Vec<Vec<Piece>>),
    Slot(Slot),
}

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template(Vec<Piece>);

impl Template {
    /// Parses the template syntax; panics on a malformed template (they are constants,
    /// and a unit test parses every one).
    pub fn parse(src: &'static str) -> Self {
        Self(parse_seq(src, src, true))
    }
}

fn parse_seq(part: &'static str, src: &'static str, top: bool) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = part;
    while !rest.is_empty() {
        let next = rest.find(['{', '[', ']', '}']).unwrap_or(rest.len());
        if next > 0 {
            pieces.push(Piece::Lit(&rest[..next]));
            rest = &rest[next..];
            continue;
        }
        if rest.starts_with('{') {
            let end = rest
                .find('}')
                .unwrap_or_else(|| panic!("unclosed {{ in template: {src}"));
            let name = &rest[1..end];
            let slot = Slot::parse(name)
                .unwrap_or_else(|| panic!("unknown slot {{{name}}} in template: {src}"));
            pieces.push(Piece::Slot(slot));
            rest = &rest[end + 1..];
        } else if rest.starts_with('[') && top {
            let end = rest
                .find(']')
                .unwrap_or_else(|| panic!("unclosed [ in template: {src}"));
            let alts = rest[1..end]
                .split('|')
                .map(|alt| parse_seq(alt, src, false))
                .collect();
            pieces.push(Piece::Alt(alts));
            rest = &rest[end + 1..];
        } else {
            panic!("unexpected bracket in template: {src}");
        }
    }
    pieces
}

/// Where a text happens: the unit's area, with optional fixed places (for groups of
/// near-duplicate appeals: "many people, one problem").
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub district: &'static DistrictSpec,
    pub local: &'static StationSpec,
    pub spot: Option<&'static str>,
    pub estate: Option<&'static str>,
    pub road: Option<&'static str>,
}

impl Ctx {
    pub fn new(district: &'static DistrictSpec, local: &'static StationSpec) -> Self {
        Self {
            district,
            local,
            spot: None,
            estate: None,
            road: None,
        }
    }
}

const WHEN: &[&str] = &[
    "昨天晚上",
    "前天晚上",
    "今天早上",
    "今天凌晨",
    "昨天下午",
    "前天下午",
    "上周六",
    "上周末",
    "这两天",
    "昨天中午",
    "大前天夜里",
    "今天上午",
    "上个礼拜",
    "前几天",
];
const NIGHT: &[&str] = &[
    "十点多",
    "十一点多",
    "十二点",
    "半夜一点多",
    "晚上九点以后",
    "十点半",
];
const BIKES: &[&str] = &[
    "雅迪电瓶车",
    "爱玛电动车",
    "新日电瓶车",
    "绿源电动车",
    "台铃电瓶车",
    "小牛电动车",
    "白色的电瓶车",
    "红色电动车",
    "黑色的小电驴",
];
const APPS: &[&str] = &[
    "微信",
    "QQ",
    "抖音",
    "一个交友软件",
    "一个兼职群",
    "短信里的链接",
];

/// Cache of segmented pieces.
pub struct SearchIndex {
    indexer: Indexer,
    cache: HashMap<(usize, usize), String>,
}

impl SearchIndex {
    pub fn new(indexer: Indexer) -> Self {
        Self {
            indexer,
            cache: HashMap::new(),
        }
    }
}

/// Accumulates one text and its search text.
pub struct Writer<'a> {
    pub text: String,
    pub search: String,
    index: &'a mut SearchIndex,
}

impl<'a> Writer<'a> {
    pub fn new(index: &'a mut SearchIndex) -> Self {
        Self {
            text: String::with_capacity(256),
            search: String::with_capacity(256),
            index,
        }
    }

    /// Append a constant piece. Where the text already ends with what the piece
    /// starts with ("…医院门口" + "门口的…"), the overlap is written once.
    pub fn lit(&mut self, s: &'static str) {
        let s = &s[overlap(&self.text, s)..];
        if s.is_empty() {
            return;
        }
        self.text.push_str(s);
        let SearchIndex { indexer, cache } = &mut *self.index;
        let tokens = cache
            .entry((s.as_ptr() as usize, s.len()))
            .or_insert_with(|| indexer(s));
        if !tokens.is_empty() {
            if !self.search.is_empty() {
                self.search.push(' ');
            }
            self.search.push_str(tokens);
        }
    }

    /// Append a generated piece (numbers): indexed as one token.
    pub fn dynamic(&mut self, s: &str) {
        self.text.push_str(s);
        if !self.search.is_empty() {
            self.search.push(' ');
        }
        self.search.push_str(s);
    }

    pub fn render(&mut self, t: &Template, ctx: &Ctx, rng: &mut impl Rng) {
        self.pieces(&t.0, ctx, rng);
    }

    fn pieces(&mut self, pieces: &[Piece], ctx: &Ctx, rng: &mut impl Rng) {
        for piece in pieces {
            match piece {
                Piece::Lit(s) => self.lit(s),
                Piece::Alt(alts) => self.pieces(&alts[rng.gen_range(0..alts.len())], ctx, rng),
                Piece::Slot(slot) => self.slot(*slot, ctx, rng),
            }
        }
    }

    fn slot(&mut self, slot: Slot, ctx: &Ctx, rng: &mut impl Rng) {
        let local = ctx.local;
        match slot {
            Slot::Spot => self.lit(ctx.spot.unwrap_or_else(|| pick(rng, local.spots))),
            Slot::Road => self.lit(ctx.road.unwrap_or_else(|| pick(rng, local.roads))),
            Slot::Estate => {
                let estates = if local.estates.is_empty() {
                    local.spots
                } else {
                    local.estates
                };
                self.lit(ctx.estate.unwrap_or_else(|| pick(rng, estates)))
            }
            Slot::Town => self.lit(local.town),
            Slot::Area => self.lit(ctx.district.area),
            Slot::Unit => self.lit(local.name),
            Slot::Place => match rng.gen_range(0..3) {
                0 => self.slot(Slot::Spot, ctx, rng),
                1 => self.slot(Slot::Estate, ctx, rng),
                _ => {
                    self.slot(Slot::Road, ctx, rng);
                    self.slot(Slot::No, ctx, rng);
                    self.lit("附近");
                }
            },
            Slot::When => self.lit(pick(rng, WHEN)),
            Slot::Night => self.lit(pick(rng, NIGHT)),
            Slot::Bike => self.lit(pick(rng, BIKES)),
            Slot::App => self.lit(pick(rng, APPS)),
            Slot::N => self.dynamic(&rng.gen_range(2..10).to_string()),
            Slot::Age => self.dynamic(&format!("{}岁", rng.gen_range(62..91))),
            Slot::No => self.dynamic(&format!("{}号", rng.gen_range(1..240))),
            Slot::Money => {
                let yuan: u32 = match rng.gen_range(0..10) {
                    0..=3 => rng.gen_range(2..50) * 100,
                    4..=7 => rng.gen_range(5..100) * 1000,
                    _ => rng.gen_range(10..60) * 10_000,
                };
                let s = if yuan >= 10_000 {
                    format!("{}万元", f64::from(yuan) / 10_000.0)
                } else {
                    format!("{yuan}元")
                };
                self.dynamic(&s)
            }
        }
    }
}

/// Bytes at the start of `next` that repeat the end of `text`: the longest run of two
/// or more CJK characters (a place's 门口, a road's 路口) both end and start with.
fn overlap(text: &str, next: &str) -> usize {
    let mut best = 0;
    for (i, c) in next.char_indices().skip(1) {
        let head = &next[..i + c.len_utf8()];
        if head.chars().count() > 4 {
            break;
        }
        if head.chars().all(is_cjk) && text.ends_with(head) {
            best = head.len();
        }
    }
    best
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

pub fn pick<T: Copy>(rng: &mut impl Rng, items: &[T]) -> T {
    items[rng.gen_range(0..items.len())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::DISTRICTS;
    use rand::{rngs::StdRng, SeedableRng};

    #[test]
    fn renders_slots_and_alternatives_with_search_text() {
        let d = &DISTRICTS[0];
        let ctx = Ctx::new(d, &d.stations[2]);
        let t = Template::parse("我在{spot}[被偷了|丢了]一辆{bike}，[大概|价值{no}|]{money}。");
        let mut index = SearchIndex::new(plain_indexer());
        let mut rng = StdRng::seed_from_u64(1);
        let mut w = Writer::new(&mut index);
        w.render(&t, &ctx, &mut rng);
        let text = w.text.clone();
        assert!(text.starts_with("我在") && text.ends_with("元。"), "{text}");
        assert!(!text.contains('{') && !text.contains('['), "{text}");
        assert!(w.search.contains("我在"), "{}", w.search);
        assert!(!w.search.contains('，'));
    }

    #[test]
    fn a_fragment_at_the_join_is_written_once() {
        let d = &DISTRICTS[0];
        let ctx = Ctx {
            spot: Some("中心医院门口"),
            ..Ctx::new(d, &d.stations[0])
        };
        let t = Template::parse("{spot}门口的车太多了，门口门卫也不管。");
        let mut index = SearchIndex::new(plain_indexer());
        let mut w = Writer::new(&mut index);
        w.render(&t, &ctx, &mut StdRng::seed_from_u64(1));
        assert_eq!(w.text, "中心医院门口的车太多了，门口门卫也不管。");
        assert_eq!(overlap("天天", "天气"), 0);
    }

    #[test]
    fn engine_indexer_segments_like_intake() {
        let index = engine_indexer();
        let tokens = index("我的电瓶车在织里童装市场被偷了！");
        assert!(tokens.split(' ').any(|t| t == "电瓶车"), "{tokens}");
        assert!(!tokens.contains('！'));
    }

    #[test]
    #[should_panic(expected = "unknown slot")]
    fn unknown_slots_are_caught() {
        Template::parse("[a|{nope}]");
    }

    #[test]
    #[should_panic(expected = "unexpected bracket")]
    fn nested_alternatives_are_refused() {
        Template::parse("[a|[b|c]]");
    }
}
