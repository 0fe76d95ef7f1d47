//! Topic category classifier (类别分类).

mod category;
mod lexicon;
mod model;

pub use category::DefaultCategory;
pub use lexicon::seed_lexicon;
pub use model::{CategoryModel, ModelCounts, Prediction, Row, TrainOptions};

/// The seed training set shipped with the crate (种子训练集), written for the
/// project (see `tools/gen_seed.py`); the default model is trained from it.
pub const SEED_TRAIN: &str = include_str!("../../data/seed-train.jsonl");
