//! The resident portal (警务e广场): home, new appeal, tracking, one-time code, rating.
//! No login; a resident proves ownership of one appeal with a one-time code.

use askama::Template;
use axum::{
    extract::{Path, Query, State},
    http::{header, StatusCode},
    response::Response,
    routing::{get, post},
    Router,
};
use police_square_domain::{
    appeal::AppealText,
    free_text::{AddressLine, PersonName},
    pii::Phone,
    tracking, AppealKind, Channel, Satisfaction, UnitKind,
};
use police_square_store::Appeal;
use serde::Deserialize;

use crate::app::pages::ctx::{render, render_status, see_other, CsrfForm, PageFrame};
use crate::{
    app::{
        auth::{new_token, session_cookie, ClientIp, CurrentResident, RESIDENT_COOKIE},
        error::{AppError, AppResult},
        org::OrgTree,
        state::AppState,
    },
    features::{
        intake::{self, NewAppealInput},
        resident::{self, CodeSent, RatingInput, TrackView},
    },
};

/// The resident portal: the home page, the appeal form and tracking.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/appeals/new", get(new_form).post(submit))
        .route("/track", get(track_form))
        .route("/t/{code}", get(short_link))
        .route("/track/{code}", get(track_page))
        .route("/track/{code}/otp", post(send_otp))
        .route("/track/{code}/verify", post(verify))
        .route("/track/{code}/rate", post(rate))
}

// ── home ────────────────────────────────────────────────────────────────

/// A kind of appeal as the home page offers it: a link to the form with it chosen.
struct KindChip {
    key: &'static str,
    label: String,
    /// Everyday examples (丢了身份证怎么补办…).
    examples: String,
}

#[derive(Template)]
#[template(path = "resident/home.html")]
struct HomePage {
    p: PageFrame,
    kinds: Vec<KindChip>,
}

pub async fn home(p: PageFrame) -> AppResult<Response> {
    let kinds = AppealKind::ALL
        .iter()
        .map(|k| KindChip {
            key: k.as_str(),
            label: p.t(&format!("kind.{k}")),
            examples: p.t(&format!("page.portal.kind_examples.{k}")),
        })
        .collect();
    render(&HomePage { p, kinds })
}

// ── new appeal ──────────────────────────────────────────────────────────

#[derive(Debug, Default, Deserialize)]
pub struct NewAppealForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    name: String,
    /// One submission per rendered form (double clicks and reloads make one appeal).
    #[serde(default)]
    idem: String,
}

struct KindChoice {
    key: &'static str,
    label: String,
    hint: String,
    examples: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "resident/new.html")]
struct NewAppealPage {
    p: PageFrame,
    kinds: Vec<KindChoice>,
    districts: Vec<crate::app::pages::console::Opt>,
    form: NewAppealForm,
    errors: Vec<(&'static str, String)>,
}

impl NewAppealPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
    fn has_error(&self, field: &str) -> bool {
        self.error_for(field).is_some()
    }
    fn error_text(&self, field: &str) -> &str {
        self.error_for(field).unwrap_or_default()
    }
}

fn new_appeal_page(
    state: &AppState,
    p: PageFrame,
    form: NewAppealForm,
    errors: Vec<(&'static str, String)>,
) -> NewAppealPage {
    let kinds = AppealKind::ALL
        .iter()
        .map(|k| KindChoice {
            key: k.as_str(),
            label: p.t(&format!("kind.{k}")),
            hint: p.t(&format!("page.new.kind_hint.{k}")),
            examples: p.t(&format!("page.portal.kind_examples.{k}")),
            checked: form.kind == k.as_str(),
        })
        .collect();
    // Residents know districts (吴兴区), not the police units behind them.
    let districts = state
        .org()
        .all()
        .iter()
        .filter(|u| u.kind == UnitKind::District && !u.profile.retired)
        .map(|u| {
            let area = OrgTree::area_name(u).to_owned();
            crate::app::pages::console::Opt {
                selected: form.district == area || form.district == u.name,
                label: area.clone(),
                value: area,
            }
        })
        .collect();
    NewAppealPage {
        p,
        kinds,
        districts,
        form,
        errors,
    }
}

#[derive(Debug, Deserialize)]
pub struct NewFormQuery {
    /// The kind chosen on the home page.
    #[serde(default)]
    kind: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    p: PageFrame,
    Query(q): Query<NewFormQuery>,
) -> AppResult<Response> {
    let form = NewAppealForm {
        idem: new_token(),
        kind: AppealKind::parse(&q.kind)
            .map(|k| k.as_str().to_owned())
            .unwrap_or_default(),
        ..Default::default()
    };
    render(&new_appeal_page(&state, p, form, Vec::new()))
}

#[derive(Template)]
#[template(path = "resident/submitted.html")]
struct SubmittedPage {
    p: PageFrame,
    code: String,
    code_display: String,
    emergency: bool,
    /// 可能紧急 without the gate firing: "call 110 if anyone is in danger".
    possibly_urgent: bool,
    /// The tracking link went to the resident's mobile by SMS.
    texted: bool,
    /// Minutes the duty unit has to accept an emergency.
    accept_minutes: i64,
    unit: String,
}

pub async fn submit(
    State(state): State<AppState>,
    p: PageFrame,
    ip: ClientIp,
    CsrfForm(form): CsrfForm<NewAppealForm>,
) -> AppResult<Response> {
    intake::check_flood(&state, &ip).await?;
    // Check the fields here first, so the form comes back with messages in the
    // visitor's language and everything typed kept.
    let mut errors = Vec::new();
    let kind = AppealKind::parse(&form.kind).ok();
    if kind.is_none() {
        errors.push(("kind", p.t("page.new.err_kind")));
    }
    if let Err(e) = AppealText::parse(&form.text) {
        let key = if form.text.trim().is_empty() {
            "page.new.err_text_empty"
        } else {
            "page.new.err_text_invalid"
        };
        let _ = e;
        errors.push(("text", p.t(key)));
    }
    if Phone::parse(&form.contact_phone).is_err() {
        errors.push(("contact_phone", p.t("page.new.err_phone")));
    }
    if PersonName::is_too_long(&form.name) {
        errors.push(("name", p.t("page.new.err_too_long")));
    }
    if AddressLine::is_too_long(&form.address) {
        errors.push(("address", p.t("page.new.err_too_long")));
    }
    let Some(kind) = kind.filter(|_| errors.is_empty()) else {
        let page = new_appeal_page(&state, p, form, errors);
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let non_empty = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let input = NewAppealInput {
        kind,
        text: form.text.clone(),
        channel: Channel::Web,
        contact_phone: form.contact_phone.clone(),
        address: non_empty(&form.address),
        name: non_empty(&form.name),
        unit_id: None,
        district: non_empty(&form.district),
    };
    let idem = Some(form.idem.as_str()).filter(|k| !k.is_empty() && k.len() <= 200);
    let outcome = match intake::submit(&state, input, idem, None).await {
        Ok(o) => o,
        Err(AppError::Unprocessable(_)) | Err(AppError::BadRequest(_)) => {
            let errors = vec![("text", p.t("page.new.err_generic"))];
            let page = new_appeal_page(&state, p, form, errors);
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(e) => return Err(e),
    };
    let appeal: Appeal = outcome.appeal;
    let unit = state
        .org()
        .name(appeal.unit_id)
        .unwrap_or_default()
        .to_owned();
    let mut response = render(&SubmittedPage {
        p,
        code_display: tracking::display(&appeal.tracking_code),
        emergency: outcome.call_110,
        possibly_urgent: outcome.possibly_urgent && !outcome.call_110,
        texted: outcome.texted,
        accept_minutes: ((appeal.accept_by - appeal.received_at) / 60_000).max(1),
        code: appeal.tracking_code,
        unit,
    })?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("static"));
    Ok(response)
}

// ── tracking ────────────────────────────────────────────────────────────

#[derive(Debug, Deserialize)]
pub struct TrackQuery {
    code: Option<String>,
    /// `1` after a rating: show the thank-you note.
    thanks: Option<String>,
}

#[derive(Template)]
#[template(path = "resident/track_form.html")]
struct TrackFormPage {
    p: PageFrame,
    code: String,
    error: Option<String>,
}

/// `/t/<code>`: the short link in residents' SMS, to the tracking page.
pub async fn short_link(Path(code): Path<String>) -> AppResult<Response> {
    let code = tracking::normalize(&code).map_err(|_| AppError::NotFound)?;
    Ok(see_other(&format!("/track/{code}")))
}

/// `/track` and `/track?code=…` (a GET form, so it works without JavaScript).
pub async fn track_form(p: PageFrame, Query(q): Query<TrackQuery>) -> AppResult<Response> {
    match q.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => render(&TrackFormPage {
            p,
            code: String::new(),
            error: None,
        }),
        Some(raw) => match tracking::normalize(raw) {
            Ok(code) => Ok(see_other(&format!("/track/{code}"))),
            Err(_) => {
                let page = TrackFormPage {
                    error: Some(p.t("page.track.err_format")),
                    code: raw.chars().take(40).collect(),
                    p,
                };
                render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
        },
    }
}

struct Step {
    at: String,
    label: String,
    to: Option<String>,
}

#[derive(Template)]
#[template(path = "resident/track.html")]
struct TrackPage {
    p: PageFrame,
    v: TrackView,
    code: String,
    code_display: String,
    steps: Vec<Step>,
    /// A one-time code was just sent: where to and until when.
    sent: Option<String>,
    /// Show the field for the one-time code.
    show_otp: bool,
    error: Option<String>,
    thanks: bool,
    resolved_label: String,
    satisfaction_label: String,
    review_label: String,
    satisfactions: Vec<(&'static str, String)>,
}

fn track_page_view(
    p: PageFrame,
    v: TrackView,
    sent: Option<CodeSent>,
    show_otp: bool,
    error: Option<String>,
    thanks: bool,
) -> TrackPage {
    let steps = v
        .timeline
        .iter()
        .map(|e| Step {
            at: p.time(&e.at),
            label: e.label.clone(),
            to: e.to.clone(),
        })
        .collect();
    let (resolved_label, satisfaction_label) = match &v.rating {
        Some(r) => (
            p.t(if r.resolved {
                "resolved.yes"
            } else {
                "resolved.no"
            }),
            p.t(&format!("satisfaction.{}", r.satisfaction)),
        ),
        None => (String::new(), String::new()),
    };
    let review_label = match v.review {
        Some(s) => p.t(&format!(
            "page.track.review_{}",
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        )),
        None => String::new(),
    };
    let satisfactions = Satisfaction::ALL
        .iter()
        .map(|s| (s.as_str(), p.t(&format!("satisfaction.{s}"))))
        .collect();
    TrackPage {
        show_otp: show_otp || sent.is_some(),
        sent: sent.map(|s| {
            p.ta(
                "page.track.code_sent",
                &[
                    ("phone", &s.phone_masked),
                    ("until", &p.time(&s.expires_at)),
                ],
            )
        }),
        code: v.tracking_code.clone(),
        code_display: tracking::display(&v.tracking_code),
        steps,
        error,
        thanks,
        resolved_label,
        satisfaction_label,
        review_label,
        satisfactions,
        v,
        p,
    }
}

#[derive(Template)]
#[template(path = "resident/not_found.html")]
struct NotFoundPage {
    p: PageFrame,
    code: String,
}

async fn load_track(
    state: &AppState,
    p: &PageFrame,
    code: &str,
    ip: &ClientIp,
    resident: Option<&CurrentResident>,
) -> Result<TrackView, AppResult<Response>> {
    match resident::track(state, code, ip, resident, p.lang).await {
        Ok(v) => Ok(v),
        Err(AppError::NotFound) => Err(render_status(
            StatusCode::NOT_FOUND,
            &NotFoundPage {
                p: p.clone(),
                code: code.chars().take(40).collect(),
            },
        )),
        Err(e) => Err(Err(e)),
    }
}

pub async fn track_page(
    State(state): State<AppState>,
    p: PageFrame,
    ip: ClientIp,
    resident: Option<CurrentResident>,
    Path(code): Path<String>,
    Query(q): Query<TrackQuery>,
) -> AppResult<Response> {
    let v = match load_track(&state, &p, &code, &ip, resident.as_ref()).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let thanks = q.thanks.is_some() && v.rating.is_some();
    let mut r = render(&track_page_view(p, v, None, false, None, thanks))?;
    r.headers_mut()
        .insert(header::CACHE_CONTROL, "no-store".parse().expect("static"));
    Ok(r)
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// "Send me a one-time code".
pub async fn send_otp(
    State(state): State<AppState>,
    p: PageFrame,
    ip: ClientIp,
    resident: Option<CurrentResident>,
    Path(code): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> AppResult<Response> {
    let sent = resident::send_code(&state, &code, &ip, resident.as_ref()).await;
    let v = match load_track(&state, &p, &code, &ip, resident.as_ref()).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    match sent {
        Ok(sent) => render(&track_page_view(p, v, Some(sent), true, None, false)),
        Err(e @ AppError::TooManyRequests { .. }) => {
            let msg = p.t("page.track.err_too_many_codes");
            let page = track_page_view(p, v, None, false, Some(msg), false);
            with_retry_after(render_status(StatusCode::TOO_MANY_REQUESTS, &page), &e)
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    otp: String,
}

pub async fn verify(
    State(state): State<AppState>,
    p: PageFrame,
    ip: ClientIp,
    resident: Option<CurrentResident>,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<VerifyForm>,
) -> AppResult<Response> {
    let otp: String = form.otp.chars().filter(|c| c.is_ascii_digit()).collect();
    match resident::verify_code(&state, &code, &otp, &ip, resident.as_ref()).await {
        Ok(login) => {
            let normalized = tracking::normalize(&code).unwrap_or_default();
            let mut r = see_other(&format!("/track/{normalized}"));
            let max_age = ((login.expires_at - state.now()) / 1000).max(0);
            r.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(
                    RESIDENT_COOKIE,
                    &login.token,
                    max_age,
                    state.config.secure_cookies,
                ),
            );
            Ok(r)
        }
        Err(AppError::BadCredentials(key)) => {
            let v = match load_track(&state, &p, &code, &ip, resident.as_ref()).await {
                Ok(v) => v,
                Err(r) => return r,
            };
            let msg = p.t(key);
            // After a wrong code keep the field, so the resident can try again.
            let again = key == "error.otp_wrong";
            let page = track_page_view(p, v, None, again, Some(msg), false);
            render_status(StatusCode::UNAUTHORIZED, &page)
        }
        Err(e @ AppError::TooManyRequests { .. }) => {
            let v = match load_track(&state, &p, &code, &ip, resident.as_ref()).await {
                Ok(v) => v,
                Err(r) => return r,
            };
            let msg = p.t("page.track.err_locked");
            let page = track_page_view(p, v, None, false, Some(msg), false);
            with_retry_after(render_status(StatusCode::TOO_MANY_REQUESTS, &page), &e)
        }
        Err(e) => Err(e),
    }
}

/// A rendered 429 page keeps the error's truthful `Retry-After`.
fn with_retry_after(page: AppResult<Response>, e: &AppError) -> AppResult<Response> {
    let mut page = page?;
    if let Some(retry_after) = e.retry_after() {
        page.headers_mut().insert(header::RETRY_AFTER, retry_after);
    }
    Ok(page)
}

#[derive(Debug, Deserialize)]
pub struct RateForm {
    #[serde(default)]
    resolved: String,
    #[serde(default)]
    satisfaction: String,
    /// Optional: why (an unsatisfied resident says what is wrong).
    #[serde(default)]
    comment: String,
}

pub async fn rate(
    State(state): State<AppState>,
    p: PageFrame,
    ip: ClientIp,
    resident: CurrentResident,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<RateForm>,
) -> AppResult<Response> {
    let resolved = match form.resolved.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let satisfaction = Satisfaction::parse(&form.satisfaction).ok();
    let (Some(resolved), Some(satisfaction)) = (resolved, satisfaction) else {
        let v = match load_track(&state, &p, &code, &ip, Some(&resident)).await {
            Ok(v) => v,
            Err(r) => return r,
        };
        let msg = p.t("page.track.err_rate_both");
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &track_page_view(p, v, None, false, Some(msg), false),
        );
    };
    let rated = resident::rate(
        &state,
        &resident,
        &code,
        RatingInput {
            resolved,
            satisfaction,
            comment: Some(form.comment.trim().to_owned()).filter(|c| !c.is_empty()),
        },
        &ip,
    )
    .await?;
    Ok(see_other(&format!(
        "/track/{}?thanks=1",
        rated.tracking_code
    )))
}
