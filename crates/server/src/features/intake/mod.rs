//! Intake (受理入口): a resident's or operator's appeal becomes a tracked case.

pub mod api;
pub mod follow_up;
pub mod hotline_page;
pub mod openapi;

use police_square_domain::{
    free_text::{AddressLine, PersonName},
    pii::Phone,
    tracking, AppealKind, Category, Channel, Role, Status,
};
use police_square_store::{
    Actor, Appeal, AppealSummary, Id, InsertOutcome, NewAppeal, NewAudit, Staff,
};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    notices,
    opinion::{analysis, OpinionState},
};
use crate::app::{
    error::{AppError, AppResult},
    state::AppState,
};

/// What a resident (or an operator on their behalf) submits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAppealInput {
    pub kind: AppealKind,
    pub text: String,
    pub channel: Channel,
    pub contact_phone: String,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    /// The police unit the resident chose (or, for a complaint about officers, the
    /// unit the complaint is about).
    #[serde(default)]
    pub unit_id: Option<Id>,
    /// District/county chosen in the form (`吴兴区`), used when no unit is given.
    #[serde(default)]
    pub district: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IntakeOutcome {
    pub appeal: Appeal,
    /// False when the idempotency key had been used: this is the earlier appeal.
    pub created: bool,
    /// Urgency gate fired: tell the resident to call 110 now.
    pub call_110: bool,
    /// 可能紧急: tell the resident to call 110 if anyone is in danger.
    pub possibly_urgent: bool,
    /// The contact is a mobile number: the tracking link and the reply come by SMS.
    /// A fixed line gets a call back instead.
    pub texted: bool,
}

const MAX_IDEMPOTENCY_KEY: usize = 200;

/// Submit an appeal. `recorded_by` is the hotline operator who typed it, if any.
/// With an `idempotency_key`, a repeated submission (same key, same phone) returns the
/// first appeal instead of creating another.
pub async fn submit(
    state: &AppState,
    input: NewAppealInput,
    idempotency_key: Option<&str>,
    recorded_by: Option<&Staff>,
) -> AppResult<IntakeOutcome> {
    // A database without units has nowhere to send an appeal: 503, saying so.
    crate::app::setup::ensure_open(state).await?;
    let text = police_square_domain::appeal::AppealText::parse(&input.text)?;
    let phone = Phone::parse(&input.contact_phone)?;
    let name =
        PersonName::parse_optional("name", input.name.as_deref())?.map(PersonName::into_inner);
    let address = AddressLine::parse_optional("address", input.address.as_deref())?
        .map(AddressLine::into_inner);
    let idempotency_key = idempotency_key
        .map(|k| scoped_idempotency_key(state, k, &phone))
        .transpose()?;

    let found = analysis::analyze(
        &OpinionState::of(state).text.current(),
        input.kind,
        text.as_str(),
    );
    let conduct = found.category == Category::CONDUCT;
    let (unit_id, subject_unit_id) =
        route(state, &input, text.as_str(), conduct, found.emergency).await?;

    let now = state.now();
    let settings = state.settings();
    let deadlines = settings.policy.deadlines(
        &settings.calendar,
        input.kind,
        input.channel,
        found.urgency,
        now,
    );
    let new = NewAppeal {
        tracking_code: new_tracking_code(),
        idempotency_key,
        kind: input.kind,
        channel: input.channel,
        text: text.into_inner(),
        search_text: found.search_text,
        category: Some(found.category),
        category_confidence: Some(found.confidence),
        category_needs_review: found.needs_review,
        urgency: found.urgency,
        emergency: found.emergency,
        possible_emergency: found.possible_emergency,
        sentiment: Some(found.sentiment),
        unit_id,
        subject_unit_id,
        status: Status::Received,
        received_at: now,
        accept_by: deadlines.accept_by,
        due_at: deadlines.due_at,
        contact: state
            .vault
            .seal_contact(&phone, name.as_deref(), address.as_deref()),
        recorded_by: recorded_by.map(|s| s.id),
        history: None,
    };
    let outcome = state.stores.appeals.insert_appeal(new).await?;
    let appeal = state
        .stores
        .appeals
        .appeal(outcome.id())
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("inserted appeal not found")))?;
    let created = matches!(outcome, InsertOutcome::Created(_));
    if created {
        tracing::info!(
            appeal_id = appeal.id,
            unit_id = appeal.unit_id,
            emergency = appeal.emergency,
            possible_emergency = appeal.possible_emergency,
            "appeal received"
        );
        // The appeal is stored: a notice that cannot be queued is logged, not turned
        // into an error that would make the resident submit again.
        if let Err(e) = send_intake_notices(state, &appeal).await {
            tracing::error!(appeal_id = appeal.id, error = %e.detail(), "intake notices not queued");
        }
    }
    Ok(IntakeOutcome {
        call_110: appeal.emergency,
        possibly_urgent: appeal.possible_emergency,
        texted: phone.is_mobile(),
        created,
        appeal,
    })
}

/// What intake sends at once: the tracking link to the resident's mobile (every
/// channel, so nobody reads 16 characters aloud), and for an emergency a notice to the
/// duty contact of the unit that now owns it.
async fn send_intake_notices(state: &AppState, appeal: &Appeal) -> AppResult<()> {
    let now = state.now();
    if let Some(sms) = notices::to_resident(state, appeal, "portal.intake_received", &[]).await? {
        state.stores.queue.enqueue(sms, now).await?;
    }
    if appeal.emergency {
        for notice in notices::to_duty(state, appeal) {
            state.stores.queue.enqueue(notice, now).await?;
        }
    }
    Ok(())
}

/// Anti-flooding budget for anonymous intake (web form and JSON API share one counter
/// per client address; `intake_per_hour = 0` means no limit).
pub async fn check_flood(state: &AppState, ip: &crate::app::auth::ClientIp) -> AppResult<()> {
    let limit = state.config.limits.intake_per_hour;
    if limit > 0 {
        let key = format!("intake:ip:{}", ip.key());
        crate::app::limits::hit(state, &key, limit, crate::app::limits::HOUR).await?;
    }
    Ok(())
}

/// 80 random bits as a 16-character code (unguessable; ≥ 64 bits required).
fn new_tracking_code() -> String {
    let mut random = [0u8; tracking::RANDOM_BYTES];
    rand::thread_rng().fill_bytes(&mut random);
    tracking::encode(random)
}

/// Keys are scoped by the (keyed hash of the) phone, so a client reusing another
/// client's key gets its own appeal, never someone else's tracking code.
fn scoped_idempotency_key(state: &AppState, key: &str, phone: &Phone) -> AppResult<String> {
    let key = key.trim();
    if key.is_empty()
        || key.len() > MAX_IDEMPOTENCY_KEY
        || !key.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(AppError::BadRequest(format!(
            "Idempotency-Key must be 1-{MAX_IDEMPOTENCY_KEY} visible ASCII characters"
        )));
    }
    let digest = Sha256::new()
        .chain_update(state.vault.phone_hash(phone))
        .chain_update([0x1f])
        .chain_update(key.as_bytes())
        .finalize();
    Ok(hex::encode(digest))
}

/// Owning unit and, for complaints about officers, the accused unit.
///
/// - emergencies: at once to the duty unit of the place ([`OrgTree::emergency_unit`]:
///   the district's configured 指挥中心, the station of the place, the bureau itself),
///   never an office's queue;
/// - ordinary appeals: the unit given, else the district chosen, else a unit named in
///   the text, else the city bureau's public-relations office;
/// - `conduct` complaints: the accused unit is the unit given or named; the case goes
///   to the office of the bureau above it (督察/公共关系办公室), outside the accused unit.
///
/// [`OrgTree::emergency_unit`]: crate::app::org::OrgTree::emergency_unit
async fn route(
    state: &AppState,
    input: &NewAppealInput,
    text: &str,
    conduct: bool,
    emergency: bool,
) -> AppResult<(Id, Option<Id>)> {
    let org = match input.unit_id {
        Some(id) => state.org_knowing(id).await?,
        None => state.org(),
    };
    let given = match input.unit_id {
        Some(id) => Some(org.unit(id).ok_or_else(|| {
            AppError::Unprocessable(format!("invalid value for unit_id: no unit {id}"))
        })?),
        None => None,
    };
    let chosen = given
        .or_else(|| input.district.as_deref().and_then(|d| org.district(d)))
        .or_else(|| org.named_in(text));
    let fallback = || {
        org.fallback_unit()
            .map(|u| u.id)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no units configured")))
    };
    let subject = conduct.then(|| chosen.map(|u| u.id)).flatten();
    if emergency {
        // Danger first; a complaint about a unit's officers still never lands in the
        // accused unit itself, but with the duty command above it.
        let place = match subject {
            Some(s) => org.bureau_above(s),
            None => chosen,
        };
        let duty = &state.config.emergency;
        let duty_unit_of = |bureau: &police_square_store::Unit| {
            duty.duty_units
                .iter()
                .find(|(district, _)| {
                    *district == &bureau.name
                        || org.district(district).is_some_and(|d| d.id == bureau.id)
                })
                .and_then(|(_, unit)| org.unit_named(unit))
        };
        let city_duty = duty
            .city_duty_unit
            .as_deref()
            .and_then(|name| org.unit_named(name));
        let owner = org
            .emergency_unit(place, duty_unit_of, city_duty)
            .map(|u| u.id);
        return Ok((owner.map_or_else(fallback, Ok)?, subject));
    }
    if conduct {
        let owner = subject
            .and_then(|s| org.bureau_above(s))
            .and_then(|b| org.office_of(b.id))
            .map(|u| u.id);
        return Ok((owner.map_or_else(fallback, Ok)?, subject));
    }
    Ok((chosen.map(|u| u.id).map_or_else(fallback, Ok)?, None))
}

/// A caller's earlier appeals (hotline lookup by phone, 96110), newest first, limited
/// to what the staff member may see. The lookup itself is audited.
pub async fn caller_history(
    state: &AppState,
    staff: &Staff,
    phone: &str,
) -> AppResult<Vec<AppealSummary>> {
    if !staff.role.may_reveal_personal_data() {
        return Err(AppError::Forbidden);
    }
    let phone = Phone::parse(phone)?;
    let rows = state
        .stores
        .contacts
        .appeals_by_phone_hash(&state.vault.phone_hash(&phone), 50)
        .await?;
    state
        .stores
        .audit
        .audit(NewAudit {
            at: state.now(),
            actor: Actor::Staff(staff.id).label(),
            action: "pii.phone_lookup".into(),
            subject: format!("phone:{}", phone.masked()),
            detail: format!("{} results", rows.len()),
        })
        .await?;
    let org = state.org();
    // Hotline operators sit in an office but answer for their whole bureau.
    let scope = if staff.role == Role::Operator {
        org.bureau_at_or_above(staff.unit_id)
            .map_or_else(|| staff.unit_path.clone(), |b| b.path.clone())
    } else {
        staff.unit_path.clone()
    };
    Ok(rows
        .into_iter()
        .filter(|s| {
            let Some(unit) = org.unit(s.unit_id) else {
                return false;
            };
            let conduct = s.category.as_deref() == Some(Category::CONDUCT);
            scope.contains(&unit.path) && (!conduct || staff.role.sees_conduct())
        })
        .collect())
}
