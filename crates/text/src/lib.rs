//! Police Square Chinese text engine (中文文本引擎). Pure library, no I/O.
//!
//! - [`segment`]: jieba-rs with the police/Huzhou dictionary, extensible at run time.
//! - [`keywords`]: TF-IDF keywords with IDF learned from the platform's appeals.
//! - [`sentiment`]: lexicon sentiment with negation.
//! - [`emergency`]: the urgency gate (ongoing danger vs past events).
//! - [`classify`]: topic category model, trainable and serializable.
//! - [`cluster`]: near-duplicate signatures and the incremental cluster index.
//! - [`headline`]: place + problem headlines for clusters and alerts.
//! - [`emerging`]: spike detection per district and topic/keyword.
//! - [`eval`]: evaluation and cross-validation on labelled JSONL.
//! - [`TextEngine`]: the facade used at intake.

mod analysis;
mod bits;
pub mod classify;
pub mod cluster;
pub mod dataset;
pub mod emergency;
pub mod emergency_eval;
pub mod emerging;
mod engine;
pub mod error;
pub mod eval;
pub mod features;
pub mod headline;
pub mod keywords;
pub mod matcher;
pub mod metrics;
pub mod normalize;
pub mod segment;
pub mod sentiment;
mod vocab;

pub use classify::{CategoryModel, DefaultCategory, Prediction, TrainOptions};
pub use cluster::{Assignment, ClusterConfig, ClusterIndex, ClusterItem, Signature};
pub use dataset::{parse_jsonl, LabeledAppeal};
pub use emergency::EmergencySignal;
pub use emergency_eval::evaluate_emergency;
pub use emerging::{detect_emerging, EmergingAlert, EmergingConfig, EmergingInput};
pub use engine::{
    examples_from_jsonl, is_emergency, train_model, train_model_with, Analysis, TextEngine,
    DEFAULT_LOW_CONFIDENCE,
};
pub use error::TextError;
pub use eval::{cross_validate, evaluate, evaluate_with};
pub use keywords::IdfModel;
pub use segment::{DictWord, Segmenter};
pub use sentiment::{Polarity, Sentiment};
