//! `/api/v1/opinion`, `/api/v1/clusters/{id}`, `/api/v1/alerts…`: the 民意库 live
//! view, 一事多诉 clusters and 未诉先办 alerts as JSON, with the console pages' access
//! rules (the services apply them).
//!
//! Appeal excerpts, cluster labels and alert keywords come from residents' free text;
//! the store and the jobs mask long digit runs (phone and ID numbers) in them.

use axum::{extract::State, Json};
use police_square_domain::{
    calendar::{day_of, to_local, DAY_MS},
    Millis, UnitKind,
};
use police_square_store::{
    AlertStatus, AppealSummary, Cluster, EmergingAlertRecord, Id, OpinionBucket, Unit,
};
use serde::{Deserialize, Serialize};

use crate::app::api_routes::ApiRoutes;
use crate::app::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{
    app::{auth::CurrentStaff, error::AppResult, state::AppState},
    features::opinion::{self, clustering, count_of, emerging, Window},
};

/// The live view, clusters and alerts.
pub(crate) fn routes(r: ApiRoutes) -> ApiRoutes {
    r.get("/api/v1/opinion", opinion)
        .get("/api/v1/clusters/{id}", cluster)
        .get("/api/v1/alerts", alerts)
        .get("/api/v1/alerts/{id}", alert)
        .post("/api/v1/alerts/{id}/status", set_alert_status)
}

/// Appeals listed under a cluster or an alert (as on the console pages).
const MEMBERS_SHOWN: u32 = 200;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionParams {
    #[serde(default)]
    pub period: Window,
    /// China-time days, inclusive; required with `period=custom`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// A unit inside the caller's subtree (default: their own).
    pub unit: Option<Id>,
}

/// A count this period beside the previous period of the same length.
#[derive(Debug, Serialize)]
pub struct Figure {
    /// Category key (empty: not categorised) or appeal kind.
    pub key: String,
    pub total: i64,
    pub negative: i64,
    pub previous: i64,
}

#[derive(Debug, Serialize)]
pub struct UnitFigure {
    pub unit_id: Id,
    pub name: String,
    pub kind: UnitKind,
    pub total: i64,
    pub negative: i64,
    pub previous: i64,
}

#[derive(Debug, Serialize)]
pub struct DayFigure {
    /// `2026-03-04` (China time).
    pub date: String,
    pub total: i64,
    pub negative: i64,
}

#[derive(Debug, Serialize)]
pub struct OpinionResponse {
    pub unit: Unit,
    /// The unit above, when it is inside the caller's scope (to drill up).
    pub parent_id: Option<Id>,
    pub period: Window,
    /// `[from, to)`; the previous period is `[from - (to - from), from)`.
    pub from: Millis,
    pub to: Millis,
    pub total: i64,
    pub negative: i64,
    pub previous_total: i64,
    pub by_category: Vec<Figure>,
    pub by_kind: Vec<Figure>,
    /// The unit's children (and the unit itself for appeals it holds), largest first.
    pub units: Vec<UnitFigure>,
    /// Every day of the period, zero-filled.
    pub daily: Vec<DayFigure>,
    pub clusters: Vec<Cluster>,
    pub alerts: Vec<AlertItem>,
}

fn day(at: Millis) -> String {
    to_local(at).format("%Y-%m-%d").to_string()
}

fn figures(now: &[OpinionBucket], before: &[OpinionBucket]) -> Vec<Figure> {
    now.iter()
        .map(|b| Figure {
            key: b.key.clone(),
            total: b.total,
            negative: b.negative,
            previous: count_of(before, &b.key),
        })
        .collect()
}

pub async fn opinion(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiQuery(q): ApiQuery<OpinionParams>,
) -> AppResult<Json<OpinionResponse>> {
    let (from, to) = q
        .period
        .range(state.now(), q.from.as_deref(), q.to.as_deref())?;
    let o = opinion::opinion(&state, &staff, q.unit, from, to).await?;
    // Days are keyed by their number since the epoch in China time.
    let first_day = day_of(from);
    let daily = (0..((to - from) / DAY_MS).max(1))
        .map(|i| {
            let key = (first_day + i).to_string();
            let b = o.view.by_day.iter().find(|b| b.key == key);
            DayFigure {
                date: day(from + i * DAY_MS),
                total: b.map_or(0, |b| b.total),
                negative: b.map_or(0, |b| b.negative),
            }
        })
        .collect();
    let org = state.org();
    let parent_id = org
        .parent(o.unit.id)
        .filter(|u| staff.unit_path.contains(&u.path))
        .map(|u| u.id);
    Ok(Json(OpinionResponse {
        parent_id,
        period: q.period,
        from,
        to,
        total: o.view.total,
        negative: o.view.negative,
        previous_total: o.previous.total,
        by_category: figures(&o.view.by_category, &o.previous.by_category),
        by_kind: figures(&o.view.by_kind, &o.previous.by_kind),
        units: o
            .units
            .iter()
            .map(|u| UnitFigure {
                unit_id: u.unit.id,
                name: u.unit.name.clone(),
                kind: u.unit.kind,
                total: u.total,
                negative: u.negative,
                previous: u.previous,
            })
            .collect(),
        daily,
        clusters: o.clusters,
        alerts: alert_items(&state, o.alerts),
        unit: o.unit,
    }))
}

// ── clusters ────────────────────────────────────────────────────────────

#[derive(Debug, Serialize)]
pub struct ClusterResponse {
    pub cluster: Cluster,
    /// The unit of the cluster's first appeal.
    pub unit_name: Option<String>,
    /// Its appeals within the caller's scope, newest first (at most 200).
    pub appeals: Vec<AppealSummary>,
}

pub async fn cluster(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
) -> AppResult<Json<ClusterResponse>> {
    let (c, members) = clustering::visible(&state, &staff, id, MEMBERS_SHOWN).await?;
    let unit_name = c
        .unit_path
        .ids()
        .last()
        .and_then(|&u| state.org().name(u).map(str::to_owned));
    Ok(Json(ClusterResponse {
        cluster: c,
        unit_name,
        appeals: members,
    }))
}

// ── alerts ──────────────────────────────────────────────────────────────

#[derive(Debug, Serialize)]
pub struct AlertItem {
    #[serde(flatten)]
    pub alert: EmergingAlertRecord,
    /// Name of the place the alert names (`district_unit_id`: a district or station).
    pub place_name: Option<String>,
}

fn alert_items(state: &AppState, alerts: Vec<EmergingAlertRecord>) -> Vec<AlertItem> {
    let org = state.org();
    alerts
        .into_iter()
        .map(|a| AlertItem {
            place_name: org.name(a.district_unit_id).map(str::to_owned),
            alert: a,
        })
        .collect()
}

pub async fn alerts(
    State(state): State<AppState>,
    staff: CurrentStaff,
) -> AppResult<Json<Vec<AlertItem>>> {
    let found = emerging::list(&state, &staff).await?;
    Ok(Json(alert_items(&state, found)))
}

#[derive(Debug, Serialize)]
pub struct AlertResponse {
    pub alert: AlertItem,
    /// Whether the caller may set the status.
    pub can_handle: bool,
    /// The appeals behind it within the caller's scope (at most 200).
    pub appeals: Vec<AppealSummary>,
}

async fn alert_response(
    state: &AppState,
    staff: &CurrentStaff,
    id: Id,
) -> AppResult<AlertResponse> {
    let (a, members) = emerging::visible(state, staff, id, MEMBERS_SHOWN).await?;
    Ok(AlertResponse {
        alert: alert_items(state, vec![a]).remove(0),
        can_handle: staff.role.studies_opinion(),
        appeals: members,
    })
}

pub async fn alert(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
) -> AppResult<Json<AlertResponse>> {
    Ok(Json(alert_response(&state, &staff, id).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertStatusBody {
    pub status: AlertStatus,
    #[serde(default)]
    pub note: Option<String>,
}

/// 已研判 / 不予处理 (or back to open), with an optional note; returns the alert.
pub async fn set_alert_status(
    State(state): State<AppState>,
    staff: CurrentStaff,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<AlertStatusBody>,
) -> AppResult<Json<AlertResponse>> {
    emerging::set_status(&state, &staff, id, body.status, body.note.as_deref()).await?;
    Ok(Json(alert_response(&state, &staff, id).await?))
}
