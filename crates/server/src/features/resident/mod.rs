//! Residents follow their appeal (查询) by tracking code, prove they own it with a
//! one-time code sent to the contact phone, then read the reply and rate it (评价).

pub mod api;
pub mod openapi;
pub mod page;

use police_square_domain::{
    free_text::Remark, pii, tracking, Action, AppealKind, Millis, Satisfaction, Status,
};
use police_square_store::{
    Actor, Appeal, AppealPatch, Id, OneTimeCode, RequestKind, RequestState, Session,
};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    lifecycle::{commit, event},
    notices, supervision,
};
use crate::app::{
    auth::{constant_time_eq, new_token, token_hash, ClientIp, CurrentResident},
    error::{AppError, AppResult},
    i18n::{Catalog, Lang},
    limits::{self, HOUR, MINUTE},
    state::AppState,
    throttle::{self, Attempt},
};

const OTP_TTL: Millis = 10 * MINUTE;

/// What anyone with the tracking code sees; the text, reply and rating only after
/// one-time-code verification. Never personal data, never internal notes.
#[derive(Debug, Clone, Serialize)]
pub struct TrackView {
    pub tracking_code: String,
    pub kind: AppealKind,
    pub kind_label: String,
    pub status: Status,
    pub status_label: String,
    pub emergency: bool,
    pub received_at: Millis,
    pub due_at: Millis,
    pub timeline: Vec<TimelineEntry>,
    /// The caller holds a resident session for this appeal.
    pub verified: bool,
    pub text: Option<String>,
    pub reply_text: Option<String>,
    pub replied_at: Option<Millis>,
    pub rating: Option<RatingView>,
    /// A reply waits for the resident's rating.
    pub can_rate: bool,
    /// State of the review (复核) opened by an unsatisfied rating, if any.
    pub review: Option<RequestState>,
    /// A review is pending: the status reads 复核中, not 办结, until it is decided.
    pub under_review: bool,
    /// 可能紧急: the resident is told to call 110 if anyone is in danger.
    pub possible_emergency: bool,
    /// The contact is a fixed line: no SMS, no one-time code; a call back instead.
    pub landline: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub at: Millis,
    pub kind: String,
    pub label: String,
    /// Public names only: the unit a case was transferred to, or the department it
    /// was handed to.
    pub to: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RatingView {
    pub resolved: bool,
    pub satisfaction: Satisfaction,
    pub rated_at: Millis,
}

/// Find an appeal by a tracking code as typed, counting lookups per client address:
/// past the limit every lookup gets 429, found or not, so codes cannot be enumerated.
/// A resident's lookups of their own verified appeal are not counted.
async fn find(
    state: &AppState,
    code: &str,
    ip: &ClientIp,
    resident: Option<&CurrentResident>,
) -> AppResult<Appeal> {
    let found = match tracking::normalize(code) {
        Ok(code) => state.stores.appeals.appeal_by_tracking_code(&code).await?,
        Err(_) => None,
    };
    let own = matches!((&found, resident), (Some(a), Some(r)) if a.id == r.appeal_id);
    if !own {
        let l = &state.config.limits;
        limits::hit(
            state,
            &format!("track:ip:{}", ip.key()),
            l.track_lookups_per_window,
            l.track_window_minutes * MINUTE,
        )
        .await?;
    }
    found.ok_or(AppError::NotFound)
}

pub async fn track(
    state: &AppState,
    code: &str,
    ip: &ClientIp,
    resident: Option<&CurrentResident>,
    lang: Lang,
) -> AppResult<TrackView> {
    let appeal = find(state, code, ip, resident).await?;
    let verified = resident.is_some_and(|r| r.appeal_id == appeal.id);
    let catalog = Catalog::global();
    let org = state.org();
    let timeline = state
        .stores
        .appeals
        .events(appeal.id)
        .await?
        .into_iter()
        .filter(|e| e.public)
        .map(|e| TimelineEntry {
            at: e.at,
            label: catalog.t(lang, &format!("event.{}", e.kind)),
            to: match e.kind.as_str() {
                "transferred" => e.to_unit_id.and_then(|u| org.name(u)).map(str::to_owned),
                "handed_off" => e.note.clone(),
                _ => None,
            },
            kind: e.kind,
        })
        .collect();
    // Only rated cases can have a review; others skip the query.
    let latest_review = if appeal.rated_at.is_some() {
        state
            .stores
            .supervision
            .requests_for(appeal.id)
            .await?
            .into_iter()
            .filter(|r| r.kind == RequestKind::Review)
            .max_by_key(|r| r.requested_at)
            .map(|r| r.state)
    } else {
        None
    };
    let under_review =
        appeal.status == Status::Closed && latest_review == Some(RequestState::Pending);
    let review = latest_review.filter(|_| verified);
    let rating = match (
        appeal.rating_resolved,
        appeal.rating_satisfaction,
        appeal.rated_at,
    ) {
        (Some(resolved), Some(satisfaction), Some(rated_at)) if verified => Some(RatingView {
            resolved,
            satisfaction,
            rated_at,
        }),
        _ => None,
    };
    Ok(TrackView {
        tracking_code: appeal.tracking_code.clone(),
        kind: appeal.kind,
        kind_label: catalog.t(lang, &format!("kind.{}", appeal.kind)),
        status: appeal.status,
        status_label: if under_review {
            catalog.t(lang, "page.portal.status_under_review")
        } else {
            catalog.t(lang, &format!("status.{}", appeal.status))
        },
        emergency: appeal.emergency,
        possible_emergency: appeal.possible_emergency,
        landline: !pii::mask_is_mobile(&appeal.phone_masked),
        under_review,
        received_at: appeal.received_at,
        due_at: appeal.due_at,
        timeline,
        verified,
        text: verified.then(|| appeal.text.clone()),
        reply_text: if verified {
            appeal.reply_text.clone()
        } else {
            None
        },
        replied_at: appeal.replied_at,
        rating,
        can_rate: verified && appeal.status == Status::Replied,
        review,
    })
}

/// Where a one-time code went.
#[derive(Debug, Clone, Serialize)]
pub struct CodeSent {
    /// 138****1234
    pub phone_masked: String,
    pub expires_at: Millis,
}

/// Send a 6-digit one-time code to the appeal's contact phone (through the outbox,
/// template `otp`). Limited per appeal per hour; refused while this address is held
/// back from verifying (see [`verify_code`]).
pub async fn send_code(
    state: &AppState,
    code: &str,
    ip: &ClientIp,
    resident: Option<&CurrentResident>,
) -> AppResult<CodeSent> {
    let appeal = find(state, code, ip, None).await?;
    if !pii::mask_is_mobile(&appeal.phone_masked) {
        // A fixed line cannot receive a code; the handler calls the resident back.
        return Err(AppError::Unprocessable(
            "the contact phone is a fixed line, which cannot receive a one-time code: \
             the handling unit will call back"
                .into(),
        ));
    }
    let now = state.now();
    code_attempt(state, &appeal, ip, resident).await?;
    let previous = state.stores.access.one_time_code(appeal.id).await?;
    limits::hit(
        state,
        &format!("otp:send:{}", appeal.id),
        state.config.limits.otp_sends_per_hour,
        HOUR,
    )
    .await?;
    let otp = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32));
    let expires_at = now + OTP_TTL;
    state
        .stores
        .access
        .put_one_time_code(OneTimeCode {
            appeal_id: appeal.id,
            code_hash: otp_hash(state, appeal.id, &otp),
            expires_at,
            attempts: 0,
            // Throttling lives with the sign-in failures now; the columns stay unused.
            locked_until: None,
            lockouts: previous.as_ref().map_or(0, |p| p.lockouts),
        })
        .await?;
    if let Some(message) = notices::to_resident(state, &appeal, "otp", &[("otp", &otp)]).await? {
        state.stores.queue.enqueue(message, now).await?;
    }
    Ok(CodeSent {
        phone_masked: appeal.phone_masked,
        expires_at,
    })
}

fn otp_hash(state: &AppState, appeal_id: Id, otp: &str) -> String {
    hex::encode(
        Sha256::new()
            .chain_update(state.otp_pepper())
            .chain_update(appeal_id.to_be_bytes())
            .chain_update(otp.as_bytes())
            .finalize(),
    )
}

/// A new resident session; `token` goes into the `ps_resident` cookie only.
#[derive(Debug)]
pub struct ResidentLogin {
    pub token: String,
    pub csrf_token: String,
    pub appeal_id: Id,
    pub expires_at: Millis,
}

/// The throttled verification attempt for this tracking code from this address: a
/// guesser is held back (1 min after `otp_max_attempts` wrong codes, doubling), the
/// resident at another address or with a live session of the appeal is not.
async fn code_attempt<'a>(
    state: &'a AppState,
    appeal: &Appeal,
    ip: &ClientIp,
    resident: Option<&CurrentResident>,
) -> AppResult<Attempt<'a>> {
    Attempt::check(
        state,
        throttle::otp_policy(&state.config.limits),
        format!("track:{}", appeal.id),
        ip.key(),
        resident.is_some_and(|r| r.appeal_id == appeal.id),
    )
    .await
}

/// Check a one-time code (throttled per tracking code and address, see
/// [`code_attempt`]). `otp_max_attempts` wrong guesses spend the code, so a code
/// cannot be guessed from many addresses either.
pub async fn verify_code(
    state: &AppState,
    code: &str,
    otp: &str,
    ip: &ClientIp,
    resident: Option<&CurrentResident>,
) -> AppResult<ResidentLogin> {
    let appeal = find(state, code, ip, None).await?;
    let attempt = code_attempt(state, &appeal, ip, resident).await?;
    let now = state.now();
    let Some(mut current) = state.stores.access.one_time_code(appeal.id).await? else {
        return Err(AppError::BadCredentials("error.otp_expired"));
    };
    if current.code_hash.is_empty() || current.expires_at <= now {
        return Err(AppError::BadCredentials("error.otp_expired"));
    }
    let given = otp_hash(state, appeal.id, otp.trim());
    if !constant_time_eq(given.as_bytes(), current.code_hash.as_bytes()) {
        current.attempts += 1;
        if current.attempts >= state.config.limits.otp_max_attempts {
            current.attempts = 0;
            // The code is spent: a new one must be requested.
            current.code_hash.clear();
        }
        state.stores.access.put_one_time_code(current).await?;
        attempt.failed().await?;
        return Err(AppError::BadCredentials("error.otp_wrong"));
    }
    attempt.succeeded().await?;
    // Spend the code; a successful verification forgives earlier lockouts.
    state
        .stores
        .access
        .put_one_time_code(OneTimeCode {
            appeal_id: appeal.id,
            code_hash: String::new(),
            expires_at: now,
            attempts: 0,
            locked_until: None,
            lockouts: 0,
        })
        .await?;
    let token = new_token();
    let csrf_token = new_token();
    let expires_at = now + state.config.resident_session_minutes * MINUTE;
    state
        .stores
        .access
        .create_session(Session {
            token_hash: token_hash(&token),
            staff_id: None,
            appeal_id: Some(appeal.id),
            csrf_token: csrf_token.clone(),
            created_at: now,
            expires_at,
        })
        .await?;
    Ok(ResidentLogin {
        token,
        csrf_token,
        appeal_id: appeal.id,
        expires_at,
    })
}

/// The resident's two answers (已解决/未解决, 满意/基本满意/不满意).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    pub resolved: bool,
    pub satisfaction: Satisfaction,
    /// Why (optional): an unsatisfied resident says what is wrong; the supervisor
    /// deciding the review reads it on the case page.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Rate the reply, which closes the case; "unsatisfied" opens a review (复核) that a
/// supervisor decides.
pub async fn rate(
    state: &AppState,
    resident: &CurrentResident,
    code: &str,
    input: RatingInput,
    ip: &ClientIp,
) -> AppResult<Appeal> {
    let appeal = find(state, code, ip, Some(resident)).await?;
    if appeal.id != resident.appeal_id {
        return Err(AppError::Forbidden);
    }
    let comment =
        Remark::parse_optional("comment", input.comment.as_deref())?.map(Remark::into_inner);
    let now = state.now();
    let rated = commit(
        state,
        &appeal,
        Actor::Resident,
        Some(Action::Rate),
        AppealPatch {
            rating: Some((input.resolved, input.satisfaction, now)),
            closed_at: Some(now),
            ..Default::default()
        },
        event("rated", true, comment.clone()),
        None,
    )
    .await?;
    if input.satisfaction == Satisfaction::Unsatisfied {
        // The reason is the resident's own words (or none); pages name who opened it.
        supervision::open_review(state, rated.id, comment.unwrap_or_default()).await?;
    }
    Ok(rated)
}
