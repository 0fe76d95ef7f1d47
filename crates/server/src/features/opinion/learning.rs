//! The platform learns the local language (本地语言):
//! - admins extend the segmentation dictionary at run time (place names, slang, new
//!   scams), kept in the settings table;
//! - staff corrections of topic categories are kept by the store; a job folds them into
//!   the shipped model, refits keyword weights (IDF) on the platform's own recent
//!   appeals and stores the result.
//!
//! Every node builds its engine from the newest stored model plus the dictionary, and
//! rebuilds it when either changes ([`reload`]).

use std::{collections::HashMap, sync::Arc};

use police_square_domain::{calendar::DAY_MS, Category, Status};
use police_square_store::{Actor, Appeal, AppealPatch, Id, Staff};
use police_square_text::{CategoryModel, DefaultCategory, IdfModel, TextEngine};
use serde::{Deserialize, Serialize};

use crate::{
    app::{
        error::{AppError, AppResult},
        state::{AppState, SETTING_TEXT_DICTIONARY},
    },
    features::{
        lifecycle::access::{self, Need},
        opinion::{analysis, OpinionState},
    },
};

/// The event kind of a category set by hand (人工更正分类).
pub const CATEGORY_CORRECTED: &str = "category_corrected";

/// A correction counts as much as this many seed examples: few people correct, and
/// each correction is a person's considered judgement on real local language.
pub const CORRECTION_WEIGHT: f32 = 4.0;
/// Most corrections read per retraining (the newest win for an appeal).
const MAX_CORRECTIONS: usize = 200_000;
/// Appeals the IDF is refitted on (the most recent ones).
const IDF_SAMPLE: usize = 50_000;
/// How far back the IDF sample reaches.
const IDF_DAYS: i64 = 90;
/// Without new corrections, the model is still refreshed this often (new words).
const REFRESH_AFTER_MS: i64 = DAY_MS;
/// Largest admin dictionary accepted (bytes).
pub const MAX_DICTIONARY: usize = 256 * 1024;

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

/// An engine with the shipped segmentation plus `dictionary`, and `model`/`idf` when
/// given (else the shipped ones).
fn build_engine(
    model: Option<CategoryModel>,
    idf: Option<IdfModel>,
    dictionary: &str,
) -> anyhow::Result<TextEngine> {
    let shipped = analysis::engine();
    let mut engine = TextEngine::with_model(model.unwrap_or_else(|| shipped.model().clone()));
    engine.set_idf(idf.unwrap_or_else(|| shipped.idf().clone()));
    if !dictionary.trim().is_empty() {
        engine.load_user_dict(dictionary)?;
    }
    Ok(engine)
}

/// Check an admin's dictionary text (jieba format: `word [freq] [tag]` per line, `#`
/// comments); returns the number of words.
pub fn check_dictionary(text: &str) -> AppResult<usize> {
    if text.len() > MAX_DICTIONARY {
        return Err(AppError::Unprocessable("dictionary".into()));
    }
    let mut seg = police_square_text::Segmenter::new();
    seg.load_user_dict(text)
        .map_err(|e| AppError::Unprocessable(format!("dictionary: {e}")))
}

async fn dictionary(state: &AppState) -> AppResult<String> {
    Ok(state
        .stores
        .settings
        .setting(SETTING_TEXT_DICTIONARY)
        .await?
        .unwrap_or_default())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?
        .map_err(AppError::internal)
}

/// Retrain when there are corrections the current model has not learned from, or when
/// it is older than a day (or always, with `force`). Returns what was stored, if any.
pub async fn retrain(state: &AppState, force: bool) -> AppResult<Option<RetrainOutcome>> {
    let stores = &state.stores;
    let now = state.now();
    let latest = stores.learning.latest_correction_id().await?;
    let stored = stores.learning.latest_text_model().await?;
    let fresh = stored
        .as_ref()
        .is_some_and(|m| m.corrections_through >= latest && now - m.trained_at < REFRESH_AFTER_MS);
    if !force
        && (fresh || (stored.is_none() && latest == 0 && stores.rates.count_appeals().await? == 0))
    {
        return Ok(None);
    }

    // The newest correction of each appeal.
    let mut by_appeal: HashMap<i64, (String, DefaultCategory)> = HashMap::new();
    let mut after = 0;
    while by_appeal.len() < MAX_CORRECTIONS {
        let page = stores.learning.corrections(after, 5_000).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for c in page {
            if let Some(cat) = DefaultCategory::parse(&c.to_category) {
                by_appeal.insert(c.appeal_id, (c.text, cat));
            }
        }
    }
    let corrections: Vec<(String, DefaultCategory)> = by_appeal.into_values().collect();
    let count = corrections.len();
    let texts = recent_texts(state, now).await?;
    let dict = dictionary(state).await?;

    let built_with = dict.clone();
    let (engine, json) = blocking(move || {
        let mut engine = build_engine(None, None, &built_with)?;
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
    .await?;

    let idf_documents = engine.idf().doc_count;
    let id = stores
        .learning
        .save_text_model(now, latest, count as i64, &json)
        .await?;
    OpinionState::of(state)
        .text
        .install(Some(id), dict, Arc::new(engine));
    tracing::info!(
        model = id,
        corrections = count,
        idf_documents,
        "category model retrained"
    );
    Ok(Some(RetrainOutcome {
        model_id: id,
        corrections: count,
        idf_documents,
    }))
}

/// The most recent appeal texts of the IDF window (at most `IDF_SAMPLE`).
async fn recent_texts(state: &AppState, now: i64) -> AppResult<Vec<String>> {
    let since = now - IDF_DAYS * DAY_MS;
    let mut texts = Vec::new();
    let mut after = 0;
    loop {
        let page = state
            .stores
            .opinion
            .analysis_rows(after, since, 10_000)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        texts.extend(page.into_iter().map(|r| r.text));
        if texts.len() > 2 * IDF_SAMPLE {
            texts.drain(..texts.len() - IDF_SAMPLE);
        }
    }
    if texts.len() > IDF_SAMPLE {
        texts.drain(..texts.len() - IDF_SAMPLE);
    }
    Ok(texts)
}

/// Rebuild this node's engine if a newer model was stored or the dictionary changed
/// (at start, after an admin edit, and periodically: another node may have retrained).
pub async fn reload(state: &AppState) -> AppResult<bool> {
    let newest = state.stores.learning.latest_text_model_id().await?;
    let dict = dictionary(state).await?;
    if (newest, dict.clone()) == OpinionState::of(state).text.built_from() {
        return Ok(false);
    }
    let stored = match newest {
        Some(_) => state.stores.learning.latest_text_model().await?,
        None => None,
    };
    let model_id = stored.as_ref().map(|m| m.id);
    let built_with = dict.clone();
    let engine = blocking(move || {
        let (model, idf) = match stored {
            Some(row) => {
                let s: StoredModel = serde_json::from_str(&row.model)?;
                (Some(CategoryModel::from_json(&s.model)?), s.idf)
            }
            None => (None, None),
        };
        build_engine(model, idf, &built_with)
    })
    .await?;
    OpinionState::of(state)
        .text
        .install(model_id, dict, Arc::new(engine));
    Ok(true)
}

// ── staff corrections ───────────────────────────────────────────────────

/// Handlers may correct the topic category of an open appeal they handle, except into
/// or out of the confidential `conduct` track (that would need re-routing away from
/// the accused unit). The same rule as the console's case page.
pub fn may_correct_category(staff: &Staff, appeal: &Appeal) -> bool {
    staff.role.handles_appeals()
        && access::check(staff, appeal, Need::Handle).is_ok()
        && !access::is_conduct(appeal)
        && appeal.status != Status::Closed
        && appeal.status != Status::Rejected
}

/// Record a staff member's correction of an appeal's category (one audited change,
/// kept for the next retraining); correcting to the current category changes nothing.
pub async fn correct_category(
    state: &AppState,
    staff: &Staff,
    id: Id,
    category: &str,
) -> AppResult<Appeal> {
    let appeal = access::load(state, staff, id, Need::Handle).await?;
    let category = Category::new(category.trim())?;
    if !may_correct_category(staff, &appeal)
        || category.is_conduct()
        || !Category::DEFAULTS.contains(&category.as_str())
    {
        return Err(police_square_domain::DomainError::invalid(
            "category",
            "not a category this appeal can be corrected to",
        )
        .into());
    }
    if appeal.category.as_deref() == Some(category.as_str()) {
        return Ok(appeal);
    }
    crate::features::lifecycle::commit(
        state,
        &appeal,
        Actor::Staff(staff.id),
        None,
        AppealPatch {
            category: Some((category.to_string(), 1.0)),
            // Kept as a correction: the retraining job learns local language from it.
            category_corrected: true,
            ..Default::default()
        },
        crate::features::lifecycle::event(CATEGORY_CORRECTED, false, Some(category.to_string())),
        None,
    )
    .await
}
