//! Category learning: the categories staff set by hand (kept when an appeal's category
//! is corrected) and the category model retrained from them, which every node loads.

pub mod model;

use async_trait::async_trait;
use police_square_domain::Millis;

use crate::{CategoryCorrection, Id, StoreResult, TextModel};

/// Category learning. Each method is one transaction.
#[async_trait]
pub trait LearningStore: Send + Sync + 'static {
    /// Corrections after `after` (id order), with the appeal texts they apply to.
    async fn corrections(&self, after: Id, limit: u32) -> StoreResult<Vec<CategoryCorrection>>;
    /// The newest correction id (0 without any).
    async fn latest_correction_id(&self) -> StoreResult<Id>;
    async fn latest_text_model(&self) -> StoreResult<Option<TextModel>>;
    /// Cheap check for a newer model than the one a node holds.
    async fn latest_text_model_id(&self) -> StoreResult<Option<Id>>;
    /// Store a retrained model (older ones are dropped).
    async fn save_text_model(
        &self,
        trained_at: Millis,
        corrections_through: Id,
        corrections: i64,
        model: &str,
    ) -> StoreResult<Id>;
}
