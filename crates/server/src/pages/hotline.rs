//! 96110 hotline operator: look up the caller's earlier appeals by phone and record
//! the call as an appeal (channel `hotline`) — one screen, keyboard first.

use askama::Template;
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use police_square_domain::{pii::Phone, tracking, AppealKind, Channel, UnitKind};
use serde::Deserialize;

use super::{
    ctx::{render, render_status, CsrfForm, Page},
    staff::{rows, staff_page, Opt, Row},
};
use crate::{
    auth::{new_token, CurrentStaff},
    error::{AppError, AppResult},
    services::intake::{self, NewAppealInput},
    state::AppState,
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
}

/// What was just recorded.
struct Recorded {
    id: i64,
    code: String,
    emergency: bool,
    message: String,
}

#[derive(Template)]
#[template(path = "staff/hotline.html")]
struct HotlinePage {
    p: Page,
    form: HotlineForm,
    looked_up: bool,
    rows: Vec<Row>,
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

async fn view(
    state: &AppState,
    p: Page,
    staff: &CurrentStaff,
    form: HotlineForm,
    recorded: Option<Recorded>,
    mut error: Option<String>,
) -> AppResult<HotlinePage> {
    let p = staff_page(state, p, staff);
    let mut looked_up = false;
    let mut found = Vec::new();
    if !form.phone.trim().is_empty() {
        match intake::caller_history(state, staff, &form.phone).await {
            Ok(items) => {
                looked_up = true;
                found = items;
            }
            Err(AppError::Unprocessable(_)) => {
                error.get_or_insert_with(|| p.t("page.new.err_phone"));
            }
            Err(e) => return Err(e),
        }
    }
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
        rows: rows(state, &p, &found),
        looked_up,
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

pub async fn page(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    Query(q): Query<LookupQuery>,
) -> AppResult<Response> {
    allowed(&staff)?;
    let form = HotlineForm {
        phone: q.phone.unwrap_or_default().chars().take(20).collect(),
        idem: new_token(),
        ..Default::default()
    };
    let page = view(&state, p, &staff, form, None, None).await?;
    render(&page)
}

pub async fn record(
    State(state): State<AppState>,
    p: Page,
    staff: CurrentStaff,
    CsrfForm(form): CsrfForm<HotlineForm>,
) -> AppResult<Response> {
    allowed(&staff)?;
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
                code: tracking::display(&a.tracking_code),
                emergency: outcome.call_110,
                message: p.ta(
                    "page.hotline.recorded",
                    &[("id", &a.id.to_string()), ("unit", &unit)],
                ),
            };
            // A fresh form for the next call, the caller's history below it.
            let next = HotlineForm {
                phone: form.phone,
                idem: new_token(),
                ..Default::default()
            };
            let page = view(&state, p, &staff, next, Some(recorded), None).await?;
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
