//! 一事多诉 "many people, one problem": a job links each new appeal to the earlier
//! appeal about the same specific problem, however differently worded, through the
//! text crate's incremental near-duplicate index.
//!
//! The index lives in memory between runs of the job; the database holds the
//! clusters, each appeal's `cluster_id` and the job's cursor (the last appeal id
//! looked at). Jobs are claimed by one node at a time; a node whose cursor is not the
//! stored one (another node ran the job meanwhile, or it just started) rebuilds its
//! index from the appeals of the comparison window first.

use std::collections::HashMap;

use police_square_domain::{calendar::DAY_MS, org::UnitPath, pii};
use police_square_store::{AnalysisRow, AppealSummary, Cluster, ClusterLink, Id, Staff};
use police_square_text::{
    ClusterConfig, ClusterIndex, ClusterItem, DefaultCategory, Signature, TextEngine,
};

use super::OpinionState;
use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

/// The setting holding the last appeal id the job looked at.
pub const CURSOR: &str = "cluster_cursor";
/// New appeals linked per run.
const BATCH: u32 = 2_000;
/// Rebuild the index when it holds this many appeals (older ones no longer match).
const MAX_INDEXED: usize = 400_000;

/// The index of one node and what it knows of the stored clusters.
pub struct ClusterWork {
    index: ClusterIndex,
    cursor: Id,
    /// In-memory cluster → stored cluster.
    stored: HashMap<u64, Id>,
    /// In-memory cluster with one appeal so far → that appeal.
    first: HashMap<u64, AnalysisRow>,
    /// In-memory cluster → its first appeal's signature. The index links an appeal to
    /// its single nearest neighbour, so chains of slightly similar appeals could grow
    /// one "cluster" across a whole topic; an appeal is only stored as a member when it
    /// is also similar to the cluster's first appeal, and in the same district (one
    /// specific problem is in one place).
    seeds: HashMap<u64, (Signature, Option<String>)>,
    threshold: f32,
    window_days: i64,
}

/// The district (分局) part of a unit path: `/1/4/17/` → `/1/4/`.
pub fn district_of(path: &UnitPath) -> String {
    let parts: Vec<&str> = path.as_str().split('/').filter(|p| !p.is_empty()).collect();
    let keep = parts.len().min(2);
    format!("/{}/", parts[..keep].join("/"))
}

/// A cluster with up to `limit` of its appeals that the staff member may see. A
/// cluster with none visible to them does not exist for them (404).
pub async fn visible(
    state: &AppState,
    staff: &Staff,
    id: Id,
    limit: u32,
) -> AppResult<(Cluster, Vec<AppealSummary>)> {
    let cluster = state
        .stores
        .opinion
        .cluster(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = state
        .stores
        .opinion
        .cluster_appeals(id, Some(&staff.unit_path), staff.role.sees_conduct(), limit)
        .await?;
    if members.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok((cluster, members))
}

fn item(engine: &TextEngine, row: &AnalysisRow) -> ClusterItem {
    ClusterItem {
        id: row.id.to_string(),
        day: row.received_at.div_euclid(DAY_MS),
        district: Some(district_of(&row.unit_path)),
        category: row.category.as_deref().and_then(DefaultCategory::parse),
        signature: engine.signature(&row.text),
    }
}

/// How many appeals were linked into clusters in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClusterRun {
    pub looked_at: usize,
    pub linked: usize,
}

/// Link the appeals received since the last run (a bounded number of batches, so a
/// backlog is worked off over several runs without holding the job for long).
pub async fn assign_new(state: &AppState) -> AppResult<ClusterRun> {
    let mut total = ClusterRun::default();
    for _ in 0..10 {
        let run = assign_batch(state).await?;
        total.looked_at += run.looked_at;
        total.linked += run.linked;
        if run.looked_at < BATCH as usize {
            break;
        }
    }
    Ok(total)
}

async fn assign_batch(state: &AppState) -> AppResult<ClusterRun> {
    let stored_cursor: Option<Id> = state
        .stores
        .settings
        .setting(CURSOR)
        .await?
        .and_then(|v| v.parse().ok());
    let opinion = OpinionState::of(state);
    let mut guard = opinion.clusters.lock().await;
    let stale = match guard.as_ref() {
        None => true,
        Some(w) => Some(w.cursor) != stored_cursor.or(Some(0)) || w.index.len() > MAX_INDEXED,
    };
    if stale {
        *guard = Some(rebuild(state, stored_cursor.unwrap_or(0)).await?);
    }
    let work = guard.as_mut().expect("built above");
    let since = state.now() - work.window_days * DAY_MS;
    let rows = state
        .stores
        .opinion
        .analysis_rows(work.cursor, since, BATCH)
        .await?;
    let engine = OpinionState::of(state).text.current();
    let Some(last) = rows.last().map(|r| r.id) else {
        return Ok(ClusterRun::default());
    };
    let looked_at = rows.len();

    // Links of this run, one per in-memory cluster.
    let mut links: Vec<(u64, ClusterLink)> = Vec::new();
    let mut link_of: HashMap<u64, usize> = HashMap::new();
    for row in rows {
        let it = item(&engine, &row);
        let seed = (it.signature.clone(), it.district.clone());
        let assignment = work.index.assign(it);
        let c = assignment.cluster;
        if assignment.new_cluster {
            work.first.insert(c, row);
            work.seeds.insert(c, seed);
            continue;
        }
        if !work.close_to_seed(c, &seed) {
            continue;
        }
        if let Some(&ix) = link_of.get(&c) {
            let link = &mut links[ix].1;
            link.appeal_ids.push(row.id);
            link.last_at = link.last_at.max(row.received_at);
            continue;
        }
        let link = match (work.stored.get(&c), work.first.remove(&c)) {
            (Some(&id), _) => ClusterLink {
                cluster: Some(id),
                appeal_ids: vec![row.id],
                unit_path: row.unit_path.clone(),
                category: row.category.clone(),
                label: String::new(),
                first_at: row.received_at,
                last_at: row.received_at,
            },
            (None, Some(first)) => ClusterLink {
                cluster: None,
                label: label(&engine, &[&first.text, &row.text]),
                appeal_ids: vec![first.id, row.id],
                unit_path: first.unit_path.clone(),
                category: first.category.clone(),
                first_at: first.received_at,
                last_at: row.received_at,
            },
            // The first appeal was indexed in a rebuild without a stored cluster and
            // dropped from `first`: it is re-read as the cluster's first appeal.
            (None, None) => ClusterLink {
                cluster: None,
                label: label(&engine, &[&row.text]),
                appeal_ids: vec![row.id],
                unit_path: row.unit_path.clone(),
                category: row.category.clone(),
                first_at: row.received_at,
                last_at: row.received_at,
            },
        };
        link_of.insert(c, links.len());
        links.push((c, link));
    }
    let just_links: Vec<ClusterLink> = links.iter().map(|(_, l)| l.clone()).collect();
    let ids = state
        .stores
        .opinion
        .save_clusters(&just_links, CURSOR, last)
        .await?;
    let linked = just_links.iter().map(|l| l.appeal_ids.len()).sum();
    for ((c, _), id) in links.iter().zip(ids) {
        work.stored.insert(*c, id);
    }
    work.cursor = last;
    Ok(ClusterRun { looked_at, linked })
}

impl ClusterWork {
    fn close_to_seed(
        &self,
        cluster: u64,
        (signature, district): &(Signature, Option<String>),
    ) -> bool {
        self.seeds
            .get(&cluster)
            .is_none_or(|(seed, seed_district)| {
                seed_district == district && seed.cosine(signature) >= self.threshold
            })
    }
}

/// The name of a cluster: a headline (place + problem, 织里镇大河路烧烤店夜间噪音)
/// from its first appeals; when no known problem fits them, their strongest
/// keywords (long numbers masked: residents' words).
fn label(engine: &TextEngine, texts: &[&str]) -> String {
    if let Some(headline) = engine.headline(texts) {
        return headline;
    }
    let words: Vec<String> = engine
        .keywords(texts.first().copied().unwrap_or_default(), 4)
        .into_iter()
        .map(|(w, _)| w)
        .collect();
    pii::mask_text(&words.join(" "))
}

/// Index the window's appeals up to `cursor`, remembering their stored clusters.
async fn rebuild(state: &AppState, cursor: Id) -> AppResult<ClusterWork> {
    let config = ClusterConfig::default();
    let mut work = ClusterWork {
        index: ClusterIndex::new(config),
        cursor,
        stored: HashMap::new(),
        first: HashMap::new(),
        seeds: HashMap::new(),
        threshold: config.threshold,
        window_days: config.window_days,
    };
    let since = state.now() - config.window_days * DAY_MS;
    let engine = OpinionState::of(state).text.current();
    let mut after = 0;
    while after < cursor {
        let rows = state
            .stores
            .opinion
            .analysis_rows(after, since, 10_000)
            .await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        after = last;
        for row in rows.into_iter().filter(|r| r.id <= cursor) {
            let it = item(&engine, &row);
            let seed = (it.signature.clone(), it.district.clone());
            let assignment = work.index.assign(it);
            let c = assignment.cluster;
            if assignment.new_cluster {
                work.seeds.insert(c, seed);
            }
            match row.cluster_id {
                Some(id) => {
                    work.stored.entry(c).or_insert(id);
                    work.first.remove(&c);
                }
                None if assignment.new_cluster => {
                    work.first.insert(c, row);
                }
                None => {}
            }
        }
    }
    Ok(work)
}
