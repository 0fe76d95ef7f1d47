//! Staff console: sign-in, the unit inbox, the case page and its action forms.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::Response,
};
use police_square_domain::{deadline::DeadlineState, AppealKind, Category, Channel, Status};
use police_square_store::{
    AppealSummary, Department, Id, ReplyTemplate, RequestKind, RequestState,
};
use serde::Deserialize;

use super::ctx::{fmt_remaining, render, render_status, see_other, CsrfForm, Page};
use crate::{
    auth::{self, session_cookie, ClientIp, CurrentStaff, STAFF_COOKIE},
    error::{AppError, AppResult},
    services::{
        directory,
        handling::{self, AppealDetail, InboxFilter, ReplyInput, RevealedContact, TransferOutcome},
        learning,
    },
    state::AppState,
};

// ── sign in / out ───────────────────────────────────────────────────────

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage {
    p: Page,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// Only local console paths are followed after sign-in (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/staff")
                && !n.starts_with("/staff/login")
                && !n.contains("//")
                && !n.contains('\\') =>
        {
            n.to_owned()
        }
        _ => "/staff".to_owned(),
    }
}

pub async fn login_form(p: Page, Query(q): Query<LoginQuery>) -> AppResult<Response> {
    render(&LoginPage {
        p,
        username: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn login(
    State(state): State<AppState>,
    p: Page,
    ip: ClientIp,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(Some(&form.next));
    match auth::login(&state, &form.username, &form.password, &ip).await {
        Ok(s) => {
            let mut r = see_other(&next);
            r.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(
                    STAFF_COOKIE,
                    &s.token,
                    state.config.session_ttl_minutes * 60,
                    state.config.secure_cookies,
                ),
            );
            Ok(r)
        }
        Err(e @ (AppError::BadCredentials(_) | AppError::TooManyRequests)) => {
            let status = e.status();
            let key = if matches!(e, AppError::TooManyRequests) {
                "page.login.err_throttled"
            } else {
                "error.bad_credentials"
            };
            let page = LoginPage {
                error: Some(p.t(key)),
                username: form.username.chars().take(64).collect(),
                next,
                p,
            };
            let mut r = render_status(status, &page)?;
            if status == StatusCode::TOO_MANY_REQUESTS {
                r.headers_mut()
                    .insert(header::RETRY_AFTER, "60".parse().expect("static"));
            }
            Ok(r)
        }
        Err(e) => Err(e),
    }
}

/// Sign out. With a live session the server-wide guard has checked the form's CSRF
/// token; without one there is nothing to protect, so the cookie is simply cleared.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = auth::cookie(&headers, STAFF_COOKIE) {
        auth::logout(&state, &token).await?;
    }
    let mut r = see_other("/staff/login");
    r.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(STAFF_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(r)
}

/// The page context with the signed-in staff member in the navigation bar.
pub(super) fn staff_page(state: &AppState, p: Page, staff: &CurrentStaff) -> Page {
    let org = state.org();
    p.with_staff(staff, org.name(staff.unit_id))
}

// ── inbox ───────────────────────────────────────────────────────────────

/// Inbox filters as a GET form sends them (empty strings for "any").
#[derive(Debug, Default, Deserialize)]
pub struct InboxParams {
    #[serde(default)]
    status: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    supervised: String,
    #[serde(default)]
    mine: String,
    /// Drill-down from the opinion view: a unit and China-time days.
    #[serde(default)]
    unit: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: u32,
}

impl InboxParams {
    fn filter(&self) -> InboxFilter {
        InboxFilter {
            status: Status::parse(&self.status).ok(),
            kind: AppealKind::parse(&self.kind).ok(),
            category: Category::new(&self.category).ok().map(|c| c.to_string()),
            channel: Channel::parse(&self.channel).ok(),
            overdue: !self.overdue.is_empty(),
            supervised: !self.supervised.is_empty(),
            mine: !self.mine.is_empty(),
            unit: self.unit.trim().parse().ok(),
            from: super::dashboard::parse_date(&self.from),
            to: super::dashboard::parse_date(&self.to),
            page: self.page.min(10_000),
            page_size: None,
        }
    }

    /// Query string of the filters (for paging links), without `page`.
    fn query(&self) -> String {
        let f = self.filter();
        let mut q = Vec::new();
        if let Some(s) = f.status {
            q.push(format!("status={s}"));
        }
        if let Some(k) = f.kind {
            q.push(format!("kind={k}"));
        }
        if let Some(c) = &f.category {
            q.push(format!("category={c}"));
        }
        if let Some(c) = f.channel {
            q.push(format!("channel={c}"));
        }
        if f.overdue {
            q.push("overdue=1".into());
        }
        if f.supervised {
            q.push("supervised=1".into());
        }
        if f.mine {
            q.push("mine=1".into());
        }
        if let Some(u) = f.unit {
            q.push(format!("unit={u}"));
        }
        if let Some(d) = f.from {
            q.push(format!("from={d}"));
        }
        if let Some(d) = f.to {
            q.push(format!("to={d}"));
        }
        q.join("&")
    }
}

/// One option of a select.
pub(super) struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub(super) type Options = Vec<Opt>;

/// Options for enum keys labelled by `<prefix>.<key>` catalog entries.
pub(super) fn options<T: std::fmt::Display>(
    p: &Page,
    prefix: &str,
    all: &[T],
    current: &str,
) -> Options {
    all.iter()
        .map(|v| {
            let value = v.to_string();
            Opt {
                label: p.t(&format!("{prefix}.{value}")),
                selected: value == current,
                value,
            }
        })
        .collect()
}

/// One row of a case list.
pub(super) struct Row {
    pub id: Id,
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub excerpt: String,
    pub status: Status,
    pub status_label: String,
    pub emergency: bool,
    pub overdue: bool,
    pub near: bool,
    pub supervision: String,
    pub unit: String,
    pub received: String,
    pub remaining: String,
    pub phone: String,
}

pub(super) fn rows(state: &AppState, p: &Page, items: &[AppealSummary]) -> Vec<Row> {
    let org = state.org();
    let now = state.now();
    let policy = state.settings().policy.clone();
    items
        .iter()
        .map(|s| {
            let open = s.status.is_open();
            let dl = policy.state(s.due_at, now);
            Row {
                id: s.id,
                kind: p.t(&format!("kind.{}", s.kind)),
                channel: p.t(&format!("channel.{}", s.channel)),
                category: s
                    .category
                    .as_deref()
                    .map(|c| p.t(&format!("category.{c}")))
                    .unwrap_or_default(),
                excerpt: s.excerpt.clone(),
                status: s.status,
                status_label: p.t(&format!("status.{}", s.status)),
                emergency: s.emergency,
                overdue: open && dl == DeadlineState::Overdue,
                near: open && dl == DeadlineState::Near,
                supervision: match s.supervision_level {
                    1 => p.t("page.inbox.reminded"),
                    l if l >= 2 => p.t("page.inbox.escalated"),
                    _ => String::new(),
                },
                unit: org.name(s.unit_id).unwrap_or_default().to_owned(),
                received: p.time(&s.received_at),
                remaining: if open {
                    fmt_remaining(p.lang, s.due_at, now)
                } else {
                    String::new()
                },
                phone: s.phone_masked.clone(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff/inbox.html")]
struct InboxPage {
    p: Page,
    rows: Vec<Row>,
    statuses: Options,
    kinds: Options,
    categories: Options,
    channels: Options,
    overdue: bool,
    supervised: bool,
    mine: bool,
    /// The drill-down in force (unit, period), kept by the filter form.
    drill: Option<Drill>,
    page: u32,
    prev: Option<String>,
    next: Option<String>,
}

struct Drill {
    unit: String,
    from: String,
    to: String,
    label: String,
}

pub async fn inbox(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(params): Query<InboxParams>,
) -> AppResult<Response> {
    let p = staff_page(&state, p, &staff);
    let filter = params.filter();
    let page = handling::inbox(&state, &staff, &filter).await?;
    let base = params.query();
    let link = |n: u32| {
        if base.is_empty() {
            format!("/staff?page={n}")
        } else {
            format!("/staff?{base}&page={n}")
        }
    };
    let categories: Vec<&str> = Category::DEFAULTS
        .iter()
        .copied()
        .filter(|c| *c != Category::CONDUCT || staff.role.sees_conduct())
        .collect();
    let view = InboxPage {
        rows: rows(&state, &p, &page.items),
        statuses: options(&p, "status", Status::ALL, &params.status),
        kinds: options(&p, "kind", AppealKind::ALL, &params.kind),
        categories: options(&p, "category", &categories, &params.category),
        channels: options(&p, "channel", Channel::ALL, &params.channel),
        overdue: filter.overdue,
        supervised: filter.supervised,
        mine: filter.mine,
        drill: (filter.unit.is_some() || filter.from.is_some() || filter.to.is_some()).then(|| {
            let fmt = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let unit = filter
                .unit
                .and_then(|u| state.org().name(u).map(str::to_owned))
                .unwrap_or_default();
            Drill {
                label: p.ta(
                    "page.inbox.drill",
                    &[
                        ("unit", unit.as_str()),
                        ("from", fmt(filter.from).as_str()),
                        ("to", fmt(filter.to).as_str()),
                    ],
                ),
                unit: filter.unit.map(|u| u.to_string()).unwrap_or_default(),
                from: fmt(filter.from),
                to: fmt(filter.to),
            }
        }),
        page: filter.page + 1,
        prev: (filter.page > 0).then(|| link(filter.page - 1)),
        next: page.has_next.then(|| link(filter.page + 1)),
        p,
    };
    render(&view)
}

// ── case page ───────────────────────────────────────────────────────────

pub(super) struct EventRow {
    at: String,
    label: String,
    public: bool,
    actor: String,
    note: String,
    route: String,
}

struct RequestRow {
    id: Id,
    kind: String,
    state: RequestState,
    state_label: String,
    reason: String,
    detail: String,
    at: String,
}

struct HandoffRow {
    id: Id,
    department: String,
    note: String,
    sent: String,
    acknowledged: Option<String>,
    receipt: String,
}

#[derive(Template)]
#[template(path = "staff/detail.html")]
struct DetailPage {
    p: Page,
    d: AppealDetail,
    code: String,
    kind: String,
    channel: String,
    category: String,
    status_label: String,
    urgency: String,
    deadline_class: &'static str,
    accept_by: String,
    due: String,
    remaining: String,
    assignee: String,
    events: Vec<EventRow>,
    requests: Vec<RequestRow>,
    handoffs: Vec<HandoffRow>,
    assignees: Vec<(Id, String)>,
    units: Vec<(Id, String)>,
    departments: Vec<Department>,
    templates: Vec<ReplyTemplate>,
    categories: Options,
    revealed: Option<RevealedContact>,
    notice: Option<String>,
    error: Option<String>,
    can_decide: bool,
    can_correct: bool,
    /// 一事多诉: the cluster this appeal belongs to (id, size, label).
    cluster: Option<(Id, i64, String)>,
}

impl DetailPage {
    fn can(&self, action: &str) -> bool {
        self.d.actions.contains(&action)
    }
    fn can_handle(&self) -> bool {
        self.d.actions.iter().any(|a| *a != "reveal")
    }
}

async fn detail_page(
    state: &AppState,
    p: Page,
    staff: &CurrentStaff,
    id: Id,
    revealed: Option<RevealedContact>,
    notice: Option<String>,
    error: Option<String>,
) -> AppResult<DetailPage> {
    let p = staff_page(state, p, staff);
    let d = handling::detail(state, staff, id).await?;
    let org = state.org();
    let now = state.now();
    let a = &d.appeal;
    let name_of = |staff_id: Option<Id>, cache: &[(Id, String)]| -> String {
        staff_id
            .and_then(|sid| {
                cache
                    .iter()
                    .find(|(i, _)| *i == sid)
                    .map(|(_, n)| n.clone())
            })
            .unwrap_or_default()
    };
    // Names of the staff who appear in the timeline.
    let mut people: Vec<(Id, String)> = Vec::new();
    let mut wanted: Vec<Id> = d.events.iter().filter_map(|e| e.actor_staff_id).collect();
    wanted.extend(a.assignee_id);
    wanted.sort_unstable();
    wanted.dedup();
    for sid in wanted {
        if let Some(s) = state.store.staff(sid).await? {
            people.push((sid, s.display_name));
        }
    }
    let departments = directory::departments(state).await?;
    let events = d
        .events
        .iter()
        .map(|e| {
            let route = match (e.from_unit_id, e.to_unit_id) {
                (Some(f), Some(t)) => format!(
                    "{} → {}",
                    org.name(f).unwrap_or_default(),
                    org.name(t).unwrap_or_default()
                ),
                (None, Some(t)) => format!("→ {}", org.name(t).unwrap_or_default()),
                _ => String::new(),
            };
            let note = match e.kind.as_str() {
                "extension_granted" | "extension_requested" => e
                    .note
                    .as_deref()
                    .map(|n| p.t1("page.detail.days", "n", n))
                    .unwrap_or_default(),
                "category_corrected" => e
                    .note
                    .as_deref()
                    .map(|c| p.t(&format!("category.{c}")))
                    .unwrap_or_default(),
                _ => e.note.clone().unwrap_or_default(),
            };
            EventRow {
                at: p.time(&e.at),
                label: p.t(&format!("event.{}", e.kind)),
                public: e.public,
                actor: match e.actor_staff_id {
                    Some(sid) => name_of(Some(sid), &people),
                    None if e.kind == "rated" => p.t("page.detail.actor_resident"),
                    None => p.t("page.detail.actor_system"),
                },
                note,
                route,
            }
        })
        .collect();
    let requests = d
        .requests
        .iter()
        .map(|r| RequestRow {
            id: r.id,
            kind: p.t(&format!("page.request.{}", request_kind(r.kind))),
            state: r.state,
            state_label: p.t(&format!("page.request.state_{}", request_state(r.state))),
            reason: r.reason.clone(),
            detail: match r.kind {
                RequestKind::Extension => r
                    .days
                    .map(|n| p.t1("page.detail.days", "n", &n.to_string()))
                    .unwrap_or_default(),
                RequestKind::Transfer => r
                    .to_unit_id
                    .and_then(|u| org.name(u))
                    .map(|n| format!("→ {n}"))
                    .unwrap_or_default(),
                RequestKind::Review => String::new(),
            },
            at: p.time(&r.requested_at),
        })
        .collect();
    let handoffs = d
        .handoffs
        .iter()
        .map(|h| HandoffRow {
            id: h.id,
            department: departments
                .iter()
                .find(|x| x.id == h.department_id)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            note: h.note.clone(),
            sent: p.time(&h.sent_at),
            acknowledged: h.acknowledged_at.map(|t| p.time(&t)),
            receipt: h.receipt.clone().unwrap_or_default(),
        })
        .collect();
    let assignees = if d.actions.contains(&"assign") {
        directory::assignees(state, staff, id)
            .await?
            .into_iter()
            .map(|s| (s.id, s.display_name))
            .collect()
    } else {
        Vec::new()
    };
    let units = if d.actions.contains(&"transfer") {
        org.all()
            .iter()
            .filter(|u| u.id != a.unit_id)
            .map(|u| {
                let depth = u.path.ids().len().saturating_sub(1);
                (u.id, format!("{}{}", "　".repeat(depth), u.name))
            })
            .collect()
    } else {
        Vec::new()
    };
    let templates = if d.actions.contains(&"reply") {
        directory::reply_templates(state).await?
    } else {
        Vec::new()
    };
    let open = a.status.is_open();
    let deadline_class = match d.deadline_state {
        DeadlineState::Overdue if open => "overdue",
        DeadlineState::Near if open => "near",
        _ => "",
    };
    let can_correct = learning::may_correct_category(staff, a);
    let cluster = match a.cluster_id {
        Some(id) => state
            .store
            .cluster(id)
            .await?
            .filter(|c| c.size > 1)
            .map(|c| (c.id, c.size, c.label)),
        None => None,
    };
    let current_category = a.category.clone().unwrap_or_default();
    let corrections: Vec<&str> = Category::DEFAULTS
        .iter()
        .copied()
        .filter(|c| *c != Category::CONDUCT)
        .collect();
    Ok(DetailPage {
        code: police_square_domain::tracking::display(&a.tracking_code),
        kind: p.t(&format!("kind.{}", a.kind)),
        channel: p.t(&format!("channel.{}", a.channel)),
        category: a
            .category
            .as_deref()
            .map(|c| p.t(&format!("category.{c}")))
            .unwrap_or_default(),
        status_label: p.t(&format!("status.{}", a.status)),
        urgency: p.t(&format!("urgency.{}", a.urgency)),
        deadline_class,
        accept_by: p.time(&a.accept_by),
        due: p.time(&a.due_at),
        remaining: if open {
            fmt_remaining(p.lang, a.due_at, now)
        } else {
            String::new()
        },
        assignee: name_of(a.assignee_id, &people),
        events,
        requests,
        handoffs,
        assignees,
        units,
        departments,
        templates,
        categories: options(&p, "category", &corrections, &current_category),
        revealed,
        notice,
        error,
        can_decide: staff.role.supervises(),
        can_correct,
        cluster,
        d,
        p,
    })
}

pub(super) fn request_kind(k: RequestKind) -> &'static str {
    match k {
        RequestKind::Extension => "extension",
        RequestKind::Transfer => "transfer",
        RequestKind::Review => "review",
    }
}

pub(super) fn request_state(s: RequestState) -> &'static str {
    match s {
        RequestState::Pending => "pending",
        RequestState::Approved => "approved",
        RequestState::Rejected => "rejected",
    }
}

#[derive(Debug, Deserialize)]
pub struct DetailQuery {
    done: Option<String>,
}

/// Actions that may be reported back after a redirect (`?done=`).
const ACTIONS: &[&str] = &[
    "accept",
    "assign",
    "transfer",
    "transfer_requested",
    "handoff",
    "acknowledge",
    "reply",
    "extension",
    "close",
    "reject",
    "category",
    "decided",
];

pub async fn detail(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Path(id): Path<Id>,
    Query(q): Query<DetailQuery>,
) -> AppResult<Response> {
    let notice = q
        .done
        .as_deref()
        .filter(|d| ACTIONS.contains(d))
        .map(|d| p.t(&format!("page.detail.done.{d}")));
    let page = detail_page(&state, p, &staff, id, None, notice, None).await?;
    render(&page)
}

/// Every field any action form may send.
#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    assignee_id: Option<String>,
    to_unit_id: Option<String>,
    department_id: Option<String>,
    handoff_id: Option<String>,
    template_id: Option<String>,
    days: Option<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    receipt: String,
    #[serde(default)]
    category: String,
}

fn id_field(v: &Option<String>) -> Option<Id> {
    v.as_deref().and_then(|s| s.trim().parse().ok())
}

pub async fn act(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Path((id, action)): Path<(Id, String)>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let missing = || AppError::Unprocessable("missing field".into());
    let result: AppResult<&'static str> = async {
        match action.as_str() {
            "accept" => handling::accept(&state, &staff, id).await.map(|_| "accept"),
            "assign" => {
                let to = id_field(&form.assignee_id).ok_or_else(missing)?;
                handling::assign(&state, &staff, id, to)
                    .await
                    .map(|_| "assign")
            }
            "transfer" => {
                let to = id_field(&form.to_unit_id).ok_or_else(missing)?;
                match handling::transfer(&state, &staff, id, to, &form.reason).await? {
                    TransferOutcome::Transferred { .. } => Ok("transfer"),
                    TransferOutcome::Requested { .. } => Ok("transfer_requested"),
                }
            }
            "handoff" => {
                let to = id_field(&form.department_id).ok_or_else(missing)?;
                handling::hand_off(&state, &staff, id, to, &form.note)
                    .await
                    .map(|_| "handoff")
            }
            "acknowledge" => {
                let h = id_field(&form.handoff_id).ok_or_else(missing)?;
                handling::acknowledge_handoff(&state, &staff, h, id, &form.receipt)
                    .await
                    .map(|_| "acknowledge")
            }
            "reply" => {
                let input = ReplyInput {
                    text: Some(form.text.clone()).filter(|t| !t.trim().is_empty()),
                    template_id: id_field(&form.template_id),
                };
                handling::reply(&state, &staff, id, &input)
                    .await
                    .map(|_| "reply")
            }
            "extension" => {
                let days = form
                    .days
                    .as_deref()
                    .and_then(|d| d.trim().parse::<u32>().ok())
                    .ok_or_else(missing)?;
                handling::request_extension(&state, &staff, id, days, &form.reason)
                    .await
                    .map(|_| "extension")
            }
            "close" => handling::close(&state, &staff, id).await.map(|_| "close"),
            "reject" => handling::reject(&state, &staff, id, &form.reason)
                .await
                .map(|_| "reject"),
            "category" => learning::correct_category(&state, &staff, id, &form.category)
                .await
                .map(|_| "category"),
            "reveal" => Ok("reveal"),
            _ => Err(AppError::NotFound),
        }
    }
    .await;
    match result {
        Ok("reveal") => {
            let revealed = handling::reveal_contact(&state, &staff, id).await?;
            let page = detail_page(&state, p, &staff, id, Some(revealed), None, None).await?;
            let mut r = render(&page)?;
            r.headers_mut()
                .insert(header::CACHE_CONTROL, "no-store".parse().expect("static"));
            Ok(r)
        }
        Ok(done) => Ok(see_other(&format!("/staff/appeals/{id}?done={done}"))),
        Err(e @ (AppError::Unprocessable(_) | AppError::Conflict(_) | AppError::BadRequest(_))) => {
            let status = e.status();
            let key = match &e {
                AppError::Conflict(_) => format!("page.detail.err_conflict.{action}"),
                _ => format!("page.detail.err_invalid.{action}"),
            };
            let msg = match crate::i18n::Catalog::global().lookup(p.lang, &key) {
                Some(m) => m.to_owned(),
                None => p.t(e.message_key()),
            };
            let page = detail_page(&state, p, &staff, id, None, None, Some(msg)).await?;
            render_status(status, &page)
        }
        Err(e) => Err(e),
    }
}
