//! The audit-log viewer (admin role, read only): the hash-chained trail filtered by
//! appeal (id or tracking code), actor (a username or a raw actor such as `system`),
//! kind of action (`appeal`, `staff.created`…) and a date range (China Standard Time),
//! newest first, a page at a time.

use std::collections::HashMap;

use askama::Template;
use axum::{
    extract::{Query, State},
    response::Response,
    routing::get,
    Router,
};
use police_square_domain::calendar::{local_midnight, DAY_MS};
use police_square_store::{Actor, AuditEntry, AuditQuery};
use serde::Deserialize;

use super::settings::require_admin;
use crate::app::{auth::CurrentStaff, error::AppResult, state::AppState};
use crate::{
    app::pages::console::{parse_date, staff_page},
    app::pages::{
        ctx::{render, PageFrame},
        urlencode,
    },
};

/// The audit log page.
pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/admin/audit", get(page))
}

pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Default, Clone, Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    pub appeal: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub before: Option<i64>,
}

impl AuditFilter {
    /// The query string of these filters (without the page), for the next-page link.
    fn query(&self) -> String {
        [
            ("appeal", &self.appeal),
            ("actor", &self.actor),
            ("kind", &self.kind),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v.trim())))
        .collect::<Vec<_>>()
        .join("&")
    }
}

struct Line {
    entry: AuditEntry,
    /// The actor as people know it (`staff:7` → its username).
    actor: String,
    /// The appeal of an `appeal:N` subject, linked to its case page.
    appeal_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "staff/admin_audit.html")]
struct AuditPage {
    p: PageFrame,
    filter: AuditFilter,
    lines: Vec<Line>,
    /// Query string of the next (older) page.
    older: Option<String>,
    /// Set when a filter named nothing (an unknown appeal): no entries, and why.
    error: Option<String>,
}

/// The store query of a filter; `Err(key)` when a filter names nothing.
async fn to_query(
    state: &AppState,
    f: &AuditFilter,
) -> AppResult<Result<AuditQuery, &'static str>> {
    let mut q = AuditQuery {
        before_seq: f.before,
        limit: PAGE_SIZE + 1,
        ..Default::default()
    };
    let appeal = f.appeal.trim();
    if !appeal.is_empty() {
        let id = match appeal.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => match police_square_domain::tracking::normalize(appeal) {
                Ok(code) => state
                    .stores
                    .appeals
                    .appeal_by_tracking_code(&code)
                    .await?
                    .map(|a| a.id),
                Err(_) => None,
            },
        };
        let Some(id) = id else {
            return Ok(Err("page.admin_audit.err_appeal"));
        };
        q.subject = Some(format!("appeal:{id}"));
    }
    let actor = f.actor.trim();
    if !actor.is_empty() {
        q.actor = Some(match state.stores.org.staff_by_username(actor).await? {
            Some(s) => Actor::Staff(s.id).label(),
            None => actor.to_owned(),
        });
    }
    let kind = f.kind.trim();
    if !kind.is_empty() {
        q.action = Some(kind.to_owned());
    }
    for (text, slot, shift) in [(&f.from, &mut q.from, 0), (&f.to, &mut q.to, DAY_MS)] {
        if text.trim().is_empty() {
            continue;
        }
        let Some(date) = parse_date(text) else {
            return Ok(Err("page.admin_audit.err_date"));
        };
        // `to` is inclusive: up to the end of that day.
        *slot = Some(local_midnight(date) + shift);
    }
    Ok(Ok(q))
}

pub async fn page(
    State(state): State<AppState>,
    p: PageFrame,
    staff: CurrentStaff,
    Query(filter): Query<AuditFilter>,
) -> AppResult<Response> {
    require_admin(&staff)?;
    let p = staff_page(&state, p, &staff);
    let (mut entries, error) = match to_query(&state, &filter).await? {
        Ok(q) => (state.stores.audit.audit_search(&q).await?, None),
        Err(key) => (Vec::new(), Some(p.t(key))),
    };
    let older = (entries.len() > PAGE_SIZE as usize).then(|| {
        entries.truncate(PAGE_SIZE as usize);
        let last = entries.last().map_or(0, |e| e.seq);
        let q = filter.query();
        format!("{q}{}before={last}", if q.is_empty() { "" } else { "&" })
    });
    let mut lines = Vec::with_capacity(entries.len());
    let staff_id = |entry: &AuditEntry| Actor::parse(&entry.actor).and_then(|a| a.staff_id());
    let ids: Vec<i64> = entries.iter().filter_map(staff_id).collect();
    let usernames: HashMap<i64, String> = state
        .stores
        .org
        .staff_by_ids(&ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.username))
        .collect();
    for entry in entries {
        let actor = staff_id(&entry)
            .and_then(|id| usernames.get(&id).cloned())
            .unwrap_or_else(|| entry.actor.clone());
        let appeal_id = entry
            .subject
            .strip_prefix("appeal:")
            .and_then(|id| id.parse().ok());
        lines.push(Line {
            entry,
            actor,
            appeal_id,
        });
    }
    render(&AuditPage {
        p,
        filter,
        lines,
        older,
        error,
    })
}
