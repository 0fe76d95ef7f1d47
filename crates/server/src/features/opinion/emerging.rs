//! 未诉先办 emerging issues: daily counts per topic category and per keyword, by
//! district (分局) and by the unit owning the appeal (派出所), and per 一事多诉 cluster,
//! each tested against its own baseline by the text crate's detector (Poisson upper
//! tail with multiple-testing control). New problems that fit no category still
//! surface through their keywords. Alerts name the place (the station when all their
//! appeals are there), period, keywords and the appeals behind them; a burst seen on
//! several days, or first at a station and then for its district, is one alert.

use chrono::Duration;
use police_square_domain::{
    calendar::{local_date, local_midnight, DAY_MS},
    free_text::AnalystNote,
    org::UnitPath,
    pii,
};
use police_square_store::{
    AlertStatus, AppealSummary, EmergingAlertRecord, Id, NewEmergingAlert, Staff,
};
use police_square_text::{
    detect_emerging, features::content_words, DefaultCategory, EmergingConfig, EmergingInput,
    TextEngine,
};

use crate::{
    app::{
        error::{AppError, AppResult},
        state::AppState,
    },
    features::opinion::{clustering::district_of, OpinionState},
};

/// Keywords per appeal in the keyword series.
const KEYWORDS_PER_APPEAL: usize = 5;

/// The strongest keywords of an appeal, from the tokens stored at intake.
pub fn appeal_keywords(engine: &TextEngine, search_text: &str, k: usize) -> Vec<String> {
    let tokens: Vec<&str> = search_text.split(' ').filter(|t| !t.is_empty()).collect();
    let mut scored: Vec<(&str, f32)> = Vec::new();
    for w in content_words(&tokens) {
        if w.chars().count() < 2 {
            continue;
        }
        match scored.iter_mut().find(|(s, _)| *s == w) {
            Some((_, score)) => *score += engine.idf().idf(w),
            None => scored.push((w, engine.idf().idf(w))),
        }
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    scored
        .into_iter()
        .take(k)
        .map(|(w, _)| w.to_owned())
        .collect()
}

/// What one scan found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScanOutcome {
    pub appeals: usize,
    pub alerts: usize,
    pub new_alerts: usize,
}

/// Run the detector over the baseline and window before `now` and store what it finds.
pub async fn scan(state: &AppState) -> AppResult<ScanOutcome> {
    let cfg = EmergingConfig::default();
    let now = state.now();
    let since = local_midnight(local_date(now)) - (cfg.baseline_days + cfg.window_days) * DAY_MS;
    let engine = OpinionState::of(state).text.current();
    let org = state.org();
    let mut inputs = Vec::new();
    let mut after = 0;
    loop {
        let rows = state
            .stores
            .opinion
            .analysis_rows(after, since, 20_000)
            .await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            break;
        };
        after = last;
        for r in rows {
            let district = district_of(&r.unit_path);
            let unit = (r.unit_path.as_str() != district).then(|| r.unit_path.as_str().to_owned());
            inputs.push(EmergingInput {
                id: r.id.to_string(),
                date: local_date(r.received_at),
                district,
                unit,
                category: r.category.as_deref().and_then(DefaultCategory::parse),
                keywords: appeal_keywords(&engine, &r.search_text, KEYWORDS_PER_APPEAL),
                cluster: r.cluster_id.map(|c| c.to_string()),
            });
        }
    }
    let appeals = inputs.len();
    let found = tokio::task::spawn_blocking(move || detect_emerging(&inputs, &cfg))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!(e)))?;
    let mut outcome = ScanOutcome {
        appeals,
        ..Default::default()
    };
    for alert in found {
        // The most precise place that holds all the alert's appeals.
        let place = alert.unit.as_deref().unwrap_or(&alert.district);
        let unit = UnitPath::parse(place)
            .ok()
            .and_then(|p| p.ids().last().copied())
            .and_then(|id| org.unit(id));
        let Some(unit) = unit else { continue };
        let record = NewEmergingAlert {
            district_unit_id: unit.id,
            unit_path: unit.path.clone(),
            period_start: local_midnight(alert.start),
            period_end: local_midnight(alert.end + Duration::days(1)),
            // Residents' words: a number typed into many appeals is still personal data.
            keywords: alert.keywords.iter().map(|k| pii::mask_text(k)).collect(),
            categories: alert
                .categories
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            appeal_ids: alert
                .appeal_ids
                .iter()
                .filter_map(|id| id.parse::<Id>().ok())
                .collect(),
            observed: i64::from(alert.observed),
            expected: alert.expected,
            p_value: alert.p_value,
            detected_at: now,
        };
        let (_, new) = state.stores.opinion.save_alert(&record).await?;
        outcome.alerts += 1;
        outcome.new_alerts += usize::from(new);
    }
    if outcome.new_alerts > 0 {
        tracing::info!(new = outcome.new_alerts, "emerging issues found");
    }
    Ok(outcome)
}

/// Whether the alert concerns the staff member's scope (its district contains the
/// scope or lies inside it).
pub fn concerns(scope: &UnitPath, alert: &EmergingAlertRecord) -> bool {
    let (a, s) = (alert.unit_path.as_str(), scope.as_str());
    a.starts_with(s) || s.starts_with(a)
}

/// How far back the alert list reaches, and how many it shows.
pub const LIST_DAYS: i64 = 180;
pub const LIST_LIMIT: u32 = 200;

/// The alerts concerning the staff member's scope, detected in the last [`LIST_DAYS`].
pub async fn list(state: &AppState, staff: &Staff) -> AppResult<Vec<EmergingAlertRecord>> {
    let now = state.now();
    Ok(state
        .stores
        .opinion
        .alerts(
            Some(&staff.unit_path),
            now - LIST_DAYS * DAY_MS,
            now + DAY_MS,
            LIST_LIMIT,
        )
        .await?)
}

/// An alert concerning the staff member's scope (else 404, never revealing that it
/// exists) with up to `limit` of the appeals behind it that they may see.
pub async fn visible(
    state: &AppState,
    staff: &Staff,
    id: Id,
    limit: u32,
) -> AppResult<(EmergingAlertRecord, Vec<AppealSummary>)> {
    let alert = state
        .stores
        .opinion
        .alert(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !concerns(&staff.unit_path, &alert) {
        return Err(AppError::NotFound);
    }
    let members = state
        .stores
        .opinion
        .alert_appeals(id, Some(&staff.unit_path), staff.role.sees_conduct(), limit)
        .await?;
    Ok((alert, members))
}

/// 已研判 / 不予处理: a supervisor or leader marks what was done about an alert.
pub async fn set_status(
    state: &AppState,
    staff: &Staff,
    id: Id,
    status: AlertStatus,
    note: Option<&str>,
) -> AppResult<()> {
    if !staff.role.studies_opinion() {
        return Err(AppError::Forbidden);
    }
    let note = AnalystNote::parse_optional("note", note)?.map(AnalystNote::into_inner);
    let alert = state
        .stores
        .opinion
        .alert(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !concerns(&staff.unit_path, &alert) {
        return Err(AppError::NotFound);
    }
    state
        .stores
        .opinion
        .set_alert_status(id, status, staff.id, note.as_deref())
        .await?;
    Ok(())
}
