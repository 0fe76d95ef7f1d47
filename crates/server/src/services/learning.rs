//! The platform learns the local language (本地语言): staff corrections of topic
//! categories are kept by the store; this job folds them into the shipped model and
//! refits keyword weights (IDF) on the platform's own recent appeals, stores the result,
//! and every node switches to the newest stored model.

use std::{collections::HashMap, sync::Arc};

use police_square_text::{Category as TextCategory, CategoryModel, IdfModel, TextEngine};
use serde::{Deserialize, Serialize};

use crate::{
    error::{AppError, AppResult},
    limits::DAY,
    services::analysis,
    state::AppState,
};

/// A correction counts as much as this many seed examples: few people correct, and
/// each correction is a person's considered judgement on real local language.
pub const CORRECTION_WEIGHT: f32 = 4.0;
/// Most corrections read per retraining (the newest win for an appeal).
const MAX_CORRECTIONS: u32 = 200_000;
/// Appeals the IDF is refitted on (the most recent ones).
const IDF_SAMPLE: u32 = 50_000;
/// How far back the IDF sample reaches.
const IDF_DAYS: i64 = 90;
/// Without new corrections, the model is still refreshed this often (new words).
const REFRESH_AFTER_MS: i64 = DAY;

/// What a stored model holds.
#[derive(Serialize, Deserialize)]
struct StoredModel {
    /// `CategoryModel::to_json`.
    model: String,
    idf: Option<IdfModel>,
}

/// What a retraining did.
#[derive(Debug, Clone, PartialEq)]
pub struct RetrainOutcome {
    pub model_id: i64,
    pub corrections: usize,
    pub idf_documents: u32,
}

/// Retrain when there are corrections the current model has not learned from, or when
/// it is older than a day (or always, with `force`). Returns what was stored, if any.
pub async fn retrain(state: &AppState, force: bool) -> AppResult<Option<RetrainOutcome>> {
    let store = &state.store;
    let now = state.now();
    let latest = store.latest_correction_id().await?;
    let stored = store.latest_text_model().await?;
    let fresh = stored
        .as_ref()
        .is_some_and(|m| m.corrections_through >= latest && now - m.trained_at < REFRESH_AFTER_MS);
    if !force && (fresh || (stored.is_none() && latest == 0 && store.count_appeals().await? == 0))
    {
        return Ok(None);
    }

    // The newest correction of each appeal.
    let mut by_appeal: HashMap<i64, (String, TextCategory)> = HashMap::new();
    let mut after = 0;
    loop {
        let page = store.corrections(after, 5_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for c in page {
            if let Some(cat) = TextCategory::parse(&c.to_category) {
                by_appeal.insert(c.appeal_id, (c.text, cat));
            }
        }
        if by_appeal.len() as u32 >= MAX_CORRECTIONS {
            break;
        }
    }
    let corrections: Vec<(String, TextCategory)> = by_appeal.into_values().collect();

    let count = corrections.len();
    let texts = recent_texts(state, now).await?;

    let (engine, json) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
        let mut engine = TextEngine::with_model(analysis::engine().model().clone());
        let idf = if texts.len() >= 100 {
            engine.fit_idf(texts.iter().map(String::as_str));
            Some(engine.idf().clone())
        } else {
            None
        };
        if !corrections.is_empty() {
            engine.apply_corrections(&corrections, CORRECTION_WEIGHT);
        }
        let json = serde_json::to_string(&StoredModel {
            model: engine.model().to_json(),
            idf,
        })?;
        Ok((engine, json))
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?
    .map_err(AppError::internal)?;

    let idf_documents = engine.idf().doc_count;
    let id = store
        .save_text_model(now, latest, count as i64, &json)
        .await?;
    state.text.install(Some(id), Arc::new(engine));
    tracing::info!(model = id, corrections = count, idf_documents, "category model retrained");
    Ok(Some(RetrainOutcome {
        model_id: id,
        corrections: count,
        idf_documents,
    }))
}

async fn recent_texts(state: &AppState, now: i64) -> AppResult<Vec<String>> {
    let since = now - IDF_DAYS * DAY;
    let mut texts = Vec::new();
    let mut after = 0;
    // Oldest first within the window; keep the newest IDF_SAMPLE.
    loop {
        let page = state.store.analysis_rows(after, since, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        texts.extend(page.into_iter().map(|r| r.text));
        if texts.len() > 2 * IDF_SAMPLE as usize {
            texts.drain(..texts.len() - IDF_SAMPLE as usize);
        }
    }
    if texts.len() > IDF_SAMPLE as usize {
        texts.drain(..texts.len() - IDF_SAMPLE as usize);
    }
    Ok(texts)
}

/// Switch to the newest stored model if this node does not use it yet (at start and
/// periodically: another node may have retrained).
pub async fn reload_if_newer(state: &AppState) -> AppResult<bool> {
    let newest = state.store.latest_text_model_id().await?;
    if newest.is_none() || newest == state.text.model_id() {
        return Ok(false);
    }
    let Some(row) = state.store.latest_text_model().await? else {
        return Ok(false);
    };
    let engine = tokio::task::spawn_blocking(move || -> anyhow::Result<TextEngine> {
        let stored: StoredModel = serde_json::from_str(&row.model)?;
        let mut engine = TextEngine::with_model(CategoryModel::from_json(&stored.model)?);
        if let Some(idf) = stored.idf {
            engine.set_idf(idf);
        }
        Ok(engine)
    })
    .await
    .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?
    .map_err(AppError::internal)?;
    state.text.install(newest, Arc::new(engine));
    Ok(true)
}
