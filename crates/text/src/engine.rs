//! The text engine facade (文本引擎) used by the server at intake.
//!
//! Construct once and share through `Arc`: analysis takes `&self` and the
//! engine is `Send + Sync`. Changing the dictionary or the model needs
//! `&mut self`; a server builds a new engine and swaps the `Arc`.

use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::classify::{CategoryModel, DefaultCategory, Prediction, TrainOptions, SEED_TRAIN};
use crate::cluster::Signature;
use crate::dataset::parse_jsonl;
use crate::emergency::{detect, EmergencySignal};
use crate::error::TextError;
use crate::features::TextFeatures;
use crate::keywords::IdfModel;
use crate::normalize::normalize;
use crate::segment::{DictWord, Segmenter};
use crate::sentiment::{sentiment_of_tokens, Sentiment};
use crate::vocab::Vocab;

/// Default confidence below which an appeal is marked for a person to check.
pub const DEFAULT_LOW_CONFIDENCE: f32 = 0.5;

/// Everything the intake needs to know about one appeal text.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// Space-joined search-mode tokens, for FTS5 / `to_tsvector('simple', …)`.
    pub tokens: String,
    /// Top keywords by TF-IDF.
    pub keywords: Vec<String>,
    pub category: DefaultCategory,
    pub confidence: f32,
    /// True when `confidence` is below the engine's threshold (人工复核).
    pub low_confidence: bool,
    pub sentiment: Sentiment,
    pub emergency: EmergencySignal,
    /// Near-duplicate signature for `ClusterIndex`.
    #[serde(skip)]
    pub signature: Signature,
}

/// Chinese text engine.
pub struct TextEngine {
    pub(crate) segmenter: Segmenter,
    pub(crate) idf: Arc<IdfModel>,
    pub(crate) model: Arc<CategoryModel>,
    /// Compiled from `model` and `idf`; rebuilt whenever either changes.
    pub(crate) vocab: Arc<Vocab>,
    /// Confidence threshold for `low_confidence`.
    pub low_confidence_threshold: f32,
    /// Number of keywords in an analysis.
    pub keyword_count: usize,
}

impl std::fmt::Debug for TextEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextEngine")
            .field("low_confidence_threshold", &self.low_confidence_threshold)
            .finish_non_exhaustive()
    }
}

impl Default for TextEngine {
    fn default() -> Self {
        Self::new()
    }
}

/// Labelled examples from JSONL text: (text, category) for rows with a known category.
pub fn examples_from_jsonl(jsonl: &str) -> Result<Vec<(String, DefaultCategory)>, TextError> {
    Ok(parse_jsonl(jsonl)?
        .into_iter()
        .filter_map(|r| r.category().map(|c| (r.text, c)))
        .collect())
}

type Shipped = (Arc<CategoryModel>, Arc<IdfModel>, Arc<Vocab>);

/// Shipped model and IDF, trained once per process from the seed set.
fn shipped() -> &'static Shipped {
    static S: OnceLock<Shipped> = OnceLock::new();
    S.get_or_init(|| {
        let seg = Segmenter::new();
        let seed = examples_from_jsonl(SEED_TRAIN).expect("shipped seed set parses");
        let model = train_model(&seg, &seed);
        let idf = IdfModel::fit(&seg, seed.iter().map(|(t, _)| t.as_str()));
        let vocab = Vocab::build(&model, &idf);
        (Arc::new(model), Arc::new(idf), Arc::new(vocab))
    })
}

/// Train a category model on examples with the given segmenter.
pub fn train_model(seg: &Segmenter, examples: &[(String, DefaultCategory)]) -> CategoryModel {
    train_model_with(seg, examples, &TrainOptions::default())
}

/// Train with explicit options (for experiments and retraining jobs).
pub fn train_model_with(
    seg: &Segmenter,
    examples: &[(String, DefaultCategory)],
    opts: &TrainOptions,
) -> CategoryModel {
    let norms: Vec<(String, DefaultCategory)> =
        examples.iter().map(|(t, c)| (normalize(t), *c)).collect();
    let tokens: Vec<Vec<&str>> = norms.iter().map(|(n, _)| seg.cut(n)).collect();
    CategoryModel::train_with(
        norms
            .iter()
            .zip(&tokens)
            .map(|((n, c), t)| (TextFeatures::new(n, t), *c)),
        opts,
    )
}

impl TextEngine {
    /// Engine with the police dictionary and the shipped model (trained from
    /// the seed set on first use in the process, then shared).
    pub fn new() -> Self {
        let (model, idf, vocab) = shipped().clone();
        Self {
            segmenter: Segmenter::new(),
            idf,
            model,
            vocab,
            low_confidence_threshold: DEFAULT_LOW_CONFIDENCE,
            keyword_count: 5,
        }
    }

    /// Engine with a stored model (e.g. one retrained from staff corrections).
    pub fn with_model(model: CategoryModel) -> Self {
        let mut e = Self::new();
        e.model = Arc::new(model);
        e.recompile();
        e
    }

    /// Rebuild the feature table after the model or the IDF changed.
    fn recompile(&mut self) {
        self.vocab = Arc::new(Vocab::build(&self.model, &self.idf));
    }

    /// Extend the dictionary at run time (admin).
    pub fn add_words(&mut self, words: &[DictWord]) {
        self.segmenter.add_words(words);
    }

    /// Load extra dictionary text in jieba format.
    pub fn load_user_dict(&mut self, text: &str) -> Result<usize, TextError> {
        self.segmenter.load_user_dict(text)
    }

    pub fn segmenter(&self) -> &Segmenter {
        &self.segmenter
    }

    pub fn model(&self) -> &CategoryModel {
        &self.model
    }

    pub fn idf(&self) -> &IdfModel {
        &self.idf
    }

    /// Replace the model by one trained on `examples` only (plus the lexicon prior).
    pub fn train(&mut self, examples: &[(String, DefaultCategory)]) {
        self.model = Arc::new(train_model(&self.segmenter, examples));
        self.recompile();
    }

    /// Fold staff corrections into the current model (weight > 1 makes a
    /// correction count more than a seed example).
    pub fn apply_corrections(&mut self, corrections: &[(String, DefaultCategory)], weight: f32) {
        let norms: Vec<(String, DefaultCategory)> = corrections
            .iter()
            .map(|(t, c)| (normalize(t), *c))
            .collect();
        let tokens: Vec<Vec<&str>> = norms.iter().map(|(n, _)| self.segmenter.cut(n)).collect();
        let mut model = (*self.model).clone();
        model.update(
            norms
                .iter()
                .zip(&tokens)
                .map(|((n, c), t)| (TextFeatures::new(n, t), *c)),
            weight,
        );
        self.model = Arc::new(model);
        self.recompile();
    }

    /// Learn IDF from the platform's own appeals.
    pub fn fit_idf<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) {
        self.idf = Arc::new(IdfModel::fit(&self.segmenter, texts));
        self.recompile();
    }

    /// Use a stored IDF model.
    pub fn set_idf(&mut self, idf: IdfModel) {
        self.idf = Arc::new(idf);
        self.recompile();
    }

    /// Precise-mode tokens of a text (normalised first).
    pub fn segment(&self, text: &str) -> Vec<String> {
        let n = normalize(text);
        self.segmenter
            .cut(&n)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// Search text for indexing *and* for queries (same segmentation on both sides).
    pub fn index_text(&self, text: &str) -> String {
        self.segmenter.index_text(&normalize(text))
    }

    pub fn keywords(&self, text: &str, k: usize) -> Vec<(String, f32)> {
        self.idf.keywords(&self.segmenter, text, k)
    }

    /// Headline (place + problem) of a group of appeal texts, e.g. the first
    /// appeals of a cluster; `None` when no known problem fits them.
    pub fn headline(&self, texts: &[&str]) -> Option<String> {
        crate::headline::headline_of_texts(&self.segmenter, texts).text()
    }

    pub fn classify(&self, text: &str) -> Prediction {
        let n = normalize(text);
        let t = self.segmenter.cut(&n);
        self.model.predict(&TextFeatures::new(&n, &t))
    }

    pub fn sentiment(&self, text: &str) -> Sentiment {
        let n = normalize(text);
        sentiment_of_tokens(&self.segmenter.cut(&n))
    }

    pub fn is_emergency(&self, text: &str) -> EmergencySignal {
        is_emergency(text)
    }
}

/// The urgency gate on a raw text (no engine needed: lexicon only).
pub fn is_emergency(text: &str) -> EmergencySignal {
    detect(&normalize(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<TextEngine>();
        check::<Arc<TextEngine>>();
    }

    #[test]
    fn analysis_of_a_typical_appeal() {
        let e = TextEngine::new();
        let a = e.analyze("我停在织里镇小区楼下的电瓶车昨天晚上被偷了，监控也没拍到😡");
        assert_eq!(a.category, DefaultCategory::Theft, "{a:?}");
        assert!(!a.emergency.emergency);
        assert!(a.tokens.split(' ').any(|t| t == "电瓶车"), "{}", a.tokens);
        assert!(
            a.keywords.iter().any(|k| k == "电瓶车" || k == "织里镇"),
            "{:?}",
            a.keywords
        );
        assert!(!a.signature.0.is_empty());
    }

    #[test]
    fn shipped_model_separates_clear_cases() {
        let e = TextEngine::new();
        let cases = [
            (
                "有人打电话说我涉嫌洗钱，让我把钱转到安全账户",
                DefaultCategory::Fraud,
            ),
            (
                "孩子出生了想报户口，需要带什么材料",
                DefaultCategory::Household,
            ),
            ("驾驶证到期了在哪里换证", DefaultCategory::VehicleAdmin),
            (
                "楼道里全是电动车在充电，万一着火怎么办",
                DefaultCategory::Fire,
            ),
        ];
        for (t, want) in cases {
            assert_eq!(e.classify(t).category, want, "{t}");
        }
    }

    #[test]
    fn fast_analysis_agrees_with_the_plain_paths() {
        // `analyze` reads the compiled feature table; `classify`, the string-keyed signature
        // and `sentiment` go through the string-keyed models. Same answers.
        let e = TextEngine::new();
        let seed = examples_from_jsonl(SEED_TRAIN).unwrap();
        let extra = [
            "交警处理事故的时候态度很差，明显偏袒对方，我要投诉",
            "請問長興縣的身份證在哪裡辦？？",
            "小区路灯坏了两个月，物业说不归他们管😤",
            "民警同志冒雨帮我推车，非常感谢👍",
        ];
        let texts = seed
            .iter()
            .step_by(37)
            .map(|(t, _)| t.as_str())
            .chain(extra);
        for t in texts {
            let a = e.analyze(t);
            let p = e.classify(t);
            assert_eq!(a.category, p.category, "{t}");
            assert!((a.confidence - p.confidence).abs() < 1e-4, "{t}");
            // The string-keyed signature (no feature table) and the one the
            // clustering job computes.
            let n = normalize(t);
            let toks = e.segmenter().cut(&n);
            let s = Signature::build(&TextFeatures::new(&n, &toks), e.idf());
            assert!(a.signature.cosine(&s) > 0.9999, "{t}");
            assert_eq!(a.signature, e.signature(t), "{t}");
            assert_eq!(a.sentiment.label, e.sentiment(t).label, "{t}");
            let kw: Vec<String> = e
                .keywords(t, e.keyword_count)
                .into_iter()
                .map(|(w, _)| w)
                .collect();
            assert_eq!(a.keywords, kw, "{t}");
        }
    }

    #[test]
    fn officer_conduct_wins_over_the_matter_it_happened_in() {
        let e = TextEngine::new();
        for t in [
            "我去车管所办年检，窗口的工作人员一直玩手机，态度很差，我要投诉",
            "交警拦下我开罚单，根本不听我解释，还推了我一把",
        ] {
            assert_eq!(e.classify(t).category, DefaultCategory::Conduct, "{t}");
        }
    }

    #[test]
    fn corrections_move_the_model() {
        let mut e = TextEngine::new();
        let text = "钓鱼佬在水库边上天天占位置";
        let before = e.classify(text).probabilities[DefaultCategory::NonPolice.index()];
        let fix: Vec<(String, DefaultCategory)> = (0..5)
            .map(|_| (text.to_string(), DefaultCategory::NonPolice))
            .collect();
        e.apply_corrections(&fix, 2.0);
        let after = e.classify(text);
        assert!(after.probabilities[DefaultCategory::NonPolice.index()] > before);
        assert_eq!(after.category, DefaultCategory::NonPolice);
    }

    #[test]
    fn model_round_trips_through_json() {
        let e = TextEngine::new();
        let back = CategoryModel::from_json(&e.model().to_json()).unwrap();
        let n = normalize("微信号被盗了，有人冒充我发链接");
        let toks = e.segmenter().cut(&n);
        let f = TextFeatures::new(&n, &toks);
        let (a, b) = (e.model().predict(&f), back.predict(&f));
        assert_eq!(a.category, b.category);
        assert!((a.confidence - b.confidence).abs() < 1e-5);
        assert!(CategoryModel::from_json("{}").is_err());
    }

    #[test]
    fn admin_words_reach_analysis() {
        let mut e = TextEngine::new();
        e.add_words(&[("竹岭村".to_string(), None, Some("ns".to_string()))]);
        let a = e.analyze("竹岭村的春笋被人偷挖");
        assert!(a.tokens.split(' ').any(|t| t == "竹岭村"), "{}", a.tokens);
    }
}
