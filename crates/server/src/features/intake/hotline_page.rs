//! 96110 hotline operator: one form, keyboard first. The caller's earlier appeals
//! appear under the caller-number field itself (a small script fetches them as the
//! number is typed; without it, a button beside the field posts the form back with the
//! history, losing nothing typed). A repeat call about an open appeal is attached to it
//! as a follow-up (催问) instead of becoming a new appeal. After a call is recorded the
//! form is empty again, so the next call cannot land under the last caller's number.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use police_square_domain::{pii::Phone, tracking, AppealKind, Channel, UnitKind};
use police_square_store::{AppealSummary, Id};
use serde::Deserialize;

use crate::{
    app::pages::ctx::{render, render_status, CsrfForm, Page},
    features::handling::console::{rows, staff_page, Opt, Row},
};
use crate::{
    app::{
        auth::{new_token, CurrentStaff},
        error::{AppError, AppResult},
        state::AppState,
    },
    features::intake::{self, follow_up, NewAppealInput},
};

#[derive(Debug, Default, Deserialize)]
pub struct HotlineForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    idem: String,
    /// The open appeal this call follows up (催问); empty: a new appeal.
    #[serde(default)]
    follow_up: String,
    /// "1": only show the caller's history (the no-script lookup), record nothing.
    #[serde(default)]
    lookup: String,
}

/// What was just recorded.
struct Recorded {
    id: i64,
    /// The tracking code to read out, for a new appeal.
    code: Option<String>,
    emergency: bool,
    message: String,
}

/// An open appeal of the caller that this call may follow up.
struct FollowUpChoice {
    id: Id,
    label: String,
    selected: bool,
}

/// The caller's history under the number field (also served alone to the script).
#[derive(Template)]
#[template(path = "staff/_hotline_history.html")]
struct HistoryFragment {
    p: Page,
    history: History,
}

#[derive(Default)]
struct History {
    looked_up: bool,
    rows: Vec<Row>,
    open: Vec<FollowUpChoice>,
    /// No follow-up chosen: the call is a new appeal.
    new_selected: bool,
    /// The number is not (yet) a whole phone number.
    incomplete: bool,
}

#[derive(Template)]
#[template(path = "staff/hotline.html")]
struct HotlinePage {
    p: Page,
    form: HotlineForm,
    /// The rendered [`HistoryFragment`] (the same HTML the script fetches).
    history_html: String,
    kinds: Vec<Opt>,
    districts: Vec<Opt>,
    recorded: Option<Recorded>,
    error: Option<String>,
}

fn allowed(staff: &CurrentStaff) -> AppResult<()> {
    use police_square_domain::Role;
    if matches!(
        staff.role,
        Role::Operator | Role::Handler | Role::Supervisor | Role::Admin
    ) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The caller's earlier appeals, with the open ones offered as follow-up targets.
async fn history(
    state: &AppState,
    p: &Page,
    staff: &CurrentStaff,
    phone: &str,
    follow_up: &str,
) -> AppResult<History> {
    if phone.trim().is_empty() {
        return Ok(History::default());
    }
    let found: Vec<AppealSummary> = match intake::caller_history(state, staff, phone).await {
        Ok(items) => items,
        Err(AppError::Unprocessable(_)) => {
            return Ok(History {
                incomplete: true,
                ..Default::default()
            })
        }
        Err(e) => return Err(e),
    };
    let open: Vec<FollowUpChoice> = found
        .iter()
        .filter(|s| s.status.is_open())
        .map(|s| FollowUpChoice {
            id: s.id,
            label: format!(
                "#{} · {} · {}",
                s.id,
                p.t(&format!("status.{}", s.status)),
                s.excerpt
            ),
            selected: follow_up == s.id.to_string(),
        })
        .collect();
    Ok(History {
        looked_up: true,
        rows: rows(state, p, &found),
        new_selected: !open.iter().any(|o| o.selected),
        open,
        incomplete: false,
    })
}

async fn view(
    state: &AppState,
    p: Page,
    staff: &CurrentStaff,
    form: HotlineForm,
    recorded: Option<Recorded>,
    error: Option<String>,
) -> AppResult<HotlinePage> {
    let p = staff_page(state, p, staff);
    let history = history(state, &p, staff, &form.phone, &form.follow_up).await?;
    let history_html = HistoryFragment {
        p: p.clone(),
        history,
    }
    .render()
    .map_err(AppError::internal)?;
    let kinds = AppealKind::ALL
        .iter()
        .map(|k| Opt {
            value: k.to_string(),
            label: p.t(&format!("kind.{k}")),
            selected: form.kind == k.as_str(),
        })
        .collect();
    let districts = state
        .org()
        .all()
        .iter()
        .filter(|u| u.kind == UnitKind::District)
        .map(|u| Opt {
            value: u.name.clone(),
            label: u.name.clone(),
            selected: form.district == u.name,
        })
        .collect();
    Ok(HotlinePage {
        history_html,
        kinds,
        districts,
        recorded,
        error,
        form,
        p,
    })
}

#[derive(Debug, Deserialize)]
pub struct LookupQuery {
    phone: Option<String>,
}

fn fresh_form() -> HotlineForm {
    HotlineForm {
        idem: new_token(),
        ..Default::default()
    }
}

pub async fn page(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(q): Query<LookupQuery>,
) -> AppResult<Response> {
    allowed(&staff)?;
    let form = HotlineForm {
        phone: q.phone.unwrap_or_default().chars().take(20).collect(),
        ..fresh_form()
    };
    let page = view(&state, p, &staff, form, None, None).await?;
    render(&page)
}

#[derive(Debug, Deserialize)]
pub struct HistoryForm {
    #[serde(default)]
    phone: String,
}

/// `POST /staff/hotline/history`: the history block alone, for the script that
/// fetches it as the number is typed (POST: the number stays out of URLs and logs).
pub async fn history_fragment(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<HistoryForm>,
) -> AppResult<Response> {
    allowed(&staff)?;
    let phone: String = form.phone.chars().take(20).collect();
    let history = history(&state, &p, &staff, &phone, "").await?;
    render(&HistoryFragment { p, history })
}

pub async fn record(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<HotlineForm>,
) -> AppResult<Response> {
    allowed(&staff)?;
    if form.lookup == "1" {
        let page = view(&state, p, &staff, form, None, None).await?;
        return render(&page);
    }
    if !form.follow_up.trim().is_empty() {
        return record_follow_up(state, p, staff, form).await;
    }
    let kind = AppealKind::parse(&form.kind).ok();
    let error = if kind.is_none() {
        Some(p.t("page.new.err_kind"))
    } else if form.text.trim().is_empty() {
        Some(p.t("page.new.err_text_empty"))
    } else if Phone::parse(&form.phone).is_err() {
        Some(p.t("page.new.err_phone"))
    } else {
        None
    };
    let Some(kind) = kind.filter(|_| error.is_none()) else {
        let page = view(&state, p, &staff, form, None, error).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let input = NewAppealInput {
        kind,
        text: form.text.clone(),
        channel: Channel::Hotline,
        contact_phone: form.phone.clone(),
        address: non_empty(&form.address),
        name: non_empty(&form.name),
        unit_id: None,
        district: non_empty(&form.district),
    };
    let idem = Some(form.idem.as_str()).filter(|k| !k.is_empty() && k.len() <= 200);
    match intake::submit(&state, input, idem, Some(&staff)).await {
        Ok(outcome) => {
            let a = outcome.appeal;
            let unit = state.org().name(a.unit_id).unwrap_or_default().to_owned();
            let recorded = Recorded {
                id: a.id,
                code: Some(tracking::display(&a.tracking_code)),
                emergency: outcome.call_110,
                message: p.ta(
                    "page.hotline.recorded",
                    &[("id", &a.id.to_string()), ("unit", &unit)],
                ),
            };
            // An empty form for the next call: nothing of this caller stays in it.
            let page = view(&state, p, &staff, fresh_form(), Some(recorded), None).await?;
            render(&page)
        }
        Err(AppError::Unprocessable(_) | AppError::BadRequest(_)) => {
            let msg = p.t("page.new.err_generic");
            let page = view(&state, p, &staff, form, None, Some(msg)).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}

/// The call follows up an open appeal (催问): attach it, tell the handler, clear the form.
async fn record_follow_up(
    state: AppState,
    p: Page,
    staff: CurrentStaff,
    form: HotlineForm,
) -> AppResult<Response> {
    let Ok(appeal_id) = form.follow_up.trim().parse::<Id>() else {
        return Err(AppError::BadRequest("follow_up".into()));
    };
    let error = if form.text.trim().is_empty() {
        Some(p.t("page.hotline.follow_up.err_text"))
    } else if Phone::parse(&form.phone).is_err() {
        Some(p.t("page.new.err_phone"))
    } else {
        None
    };
    if error.is_some() {
        let page = view(&state, p, &staff, form, None, error).await?;
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    match follow_up::record(&state, &staff, appeal_id, &form.phone, &form.text).await {
        Ok(a) => {
            let recorded = Recorded {
                id: a.id,
                code: None,
                emergency: false,
                message: p.t1("page.hotline.follow_up.recorded", "id", &a.id.to_string()),
            };
            let page = view(&state, p, &staff, fresh_form(), Some(recorded), None).await?;
            render(&page)
        }
        Err(e @ (AppError::NotFound | AppError::Conflict(_) | AppError::Unprocessable(_))) => {
            let key = match e {
                AppError::Conflict(_) => "page.hotline.follow_up.err_closed",
                AppError::NotFound => "page.hotline.follow_up.err_not_callers",
                _ => "page.new.err_generic",
            };
            let msg = p.t(key);
            let page = view(&state, p, &staff, form, None, Some(msg)).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => Err(e),
    }
}
