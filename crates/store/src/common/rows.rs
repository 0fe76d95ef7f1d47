//! Column lists and row decoding, shared by every query that returns a record.

use police_square_domain::{org::UnitPath, pii, Satisfaction};
use sqlx::Row as _;

use super::{parse_key, Conn, Row};
use crate::error::{StoreError, StoreResult};
use crate::*;

pub(crate) const APPEAL_COLUMNS: &str = "id, tracking_code, kind, channel, text, category, \
    category_confidence, category_needs_review, urgency, emergency, possible_emergency, \
    sentiment, unit_id, \
    unit_path, subject_unit_id, assignee_id, status, received_at, accept_by, accepted_at, \
    due_at, replied_at, closed_at, reply_text, rating_resolved, rating_satisfaction, rated_at, \
    reopen_count, supervision_level, follow_ups, phone_masked, address_masked, cluster_id, \
    version, updated_at";

/// Inbox rows: no text beyond an excerpt, no personal data but the mask. A little
/// more than the excerpt is read, so that a number cut at its end is still masked.
pub(crate) const SUMMARY_COLUMNS: &str = "id, tracking_code, kind, channel, \
    substr(text, 1, 100) AS excerpt, category, urgency, emergency, possible_emergency, unit_id, \
    status, received_at, due_at, supervision_level, follow_ups, phone_masked";

/// Characters of appeal text in an inbox row.
const EXCERPT_CHARS: usize = 80;

/// The start of an appeal's text with long numbers (phones, ID cards a resident typed
/// into it) masked: summaries go to lists, exports and the API.
fn excerpt(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    pii::mask_chars(&mut chars);
    chars.into_iter().take(EXCERPT_CHARS).collect()
}

pub(crate) const STAFF_COLUMNS: &str = "s.id, s.username, s.display_name, s.role, s.unit_id, \
    u.path AS unit_path, s.password_hash, s.disabled, s.created_at";

pub(crate) const EVENT_COLUMNS: &str =
    "id, appeal_id, at, actor_staff_id, kind, public, note, from_unit_id, to_unit_id";

pub(crate) const HANDOFF_COLUMNS: &str =
    "id, appeal_id, department_id, note, sent_at, sent_by, acknowledged_at, receipt";

pub(crate) const REQUEST_COLUMNS: &str = "r.id, r.appeal_id, r.kind, r.state, r.reason, r.days, \
    r.to_unit_id, r.requested_by, r.requested_at, r.decided_by, r.decided_at, r.decision_note";

pub(crate) const AUDIT_COLUMNS: &str = "seq, at, actor, action, subject, detail, prev_hash, hash";

fn path(value: &str) -> StoreResult<UnitPath> {
    UnitPath::parse(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn unit(r: &Row) -> StoreResult<Unit> {
    Ok(Unit {
        id: r.try_get("id")?,
        parent_id: r.try_get("parent_id")?,
        name: r.try_get("name")?,
        kind: parse_key(r.try_get("kind")?, "unit kind")?,
        path: path(r.try_get("path")?)?,
        profile: UnitProfile {
            code: r.try_get("code")?,
            district: r.try_get("district")?,
            duty_phone: r.try_get("duty_phone")?,
            address: r.try_get("address")?,
            hours: r.try_get("hours")?,
            retired: r.try_get("retired")?,
        },
    })
}

pub(crate) fn staff(r: &Row) -> StoreResult<Staff> {
    Ok(Staff {
        id: r.try_get("id")?,
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        role: parse_key(r.try_get("role")?, "role")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: path(r.try_get("unit_path")?)?,
        password_hash: r.try_get("password_hash")?,
        disabled: r.try_get("disabled")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(crate) fn appeal(r: &Row) -> StoreResult<Appeal> {
    let satisfaction: Option<&str> = r.try_get("rating_satisfaction")?;
    Ok(Appeal {
        id: r.try_get("id")?,
        tracking_code: r.try_get("tracking_code")?,
        kind: parse_key(r.try_get("kind")?, "appeal kind")?,
        channel: parse_key(r.try_get("channel")?, "channel")?,
        text: r.try_get("text")?,
        category: r.try_get("category")?,
        category_confidence: r.try_get("category_confidence")?,
        category_needs_review: r.try_get("category_needs_review")?,
        urgency: parse_key(r.try_get("urgency")?, "urgency")?,
        emergency: r.try_get("emergency")?,
        possible_emergency: r.try_get("possible_emergency")?,
        sentiment: r.try_get("sentiment")?,
        unit_id: r.try_get("unit_id")?,
        unit_path: path(r.try_get("unit_path")?)?,
        subject_unit_id: r.try_get("subject_unit_id")?,
        assignee_id: r.try_get("assignee_id")?,
        status: parse_key(r.try_get("status")?, "status")?,
        received_at: r.try_get("received_at")?,
        accept_by: r.try_get("accept_by")?,
        accepted_at: r.try_get("accepted_at")?,
        due_at: r.try_get("due_at")?,
        replied_at: r.try_get("replied_at")?,
        closed_at: r.try_get("closed_at")?,
        reply_text: r.try_get("reply_text")?,
        rating_resolved: r.try_get("rating_resolved")?,
        rating_satisfaction: satisfaction
            .map(|s| parse_key::<Satisfaction>(s, "satisfaction"))
            .transpose()?,
        rated_at: r.try_get("rated_at")?,
        reopen_count: r.try_get("reopen_count")?,
        supervision_level: r.try_get("supervision_level")?,
        follow_ups: r.try_get("follow_ups")?,
        phone_masked: r.try_get("phone_masked")?,
        address_masked: r.try_get("address_masked")?,
        cluster_id: r.try_get("cluster_id")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// The rows of the appeals `ids` (already checked and paged by the caller), with
/// `columns`, decoded by `decode`, in the order of `ids`.
pub(crate) async fn appeals_in_order<T>(
    conn: &mut Conn,
    columns: &str,
    ids: &[Id],
    decode: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(Id::to_string).collect();
    let sql = format!(
        "SELECT {columns} FROM appeals WHERE id IN ({})",
        list.join(", ")
    );
    let position: std::collections::HashMap<Id, usize> =
        ids.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut found = sqlx::query(&sql)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get::<Id, _>("id")?, decode(r)?)))
        .collect::<StoreResult<Vec<_>>>()?;
    found.sort_by_key(|(id, _)| position.get(id).copied().unwrap_or(usize::MAX));
    Ok(found.into_iter().map(|(_, t)| t).collect())
}

pub(crate) fn summary(r: &Row) -> StoreResult<AppealSummary> {
    Ok(AppealSummary {
        id: r.try_get("id")?,
        tracking_code: r.try_get("tracking_code")?,
        kind: parse_key(r.try_get("kind")?, "appeal kind")?,
        channel: parse_key(r.try_get("channel")?, "channel")?,
        excerpt: excerpt(&r.try_get::<String, _>("excerpt")?),
        category: r.try_get("category")?,
        urgency: parse_key(r.try_get("urgency")?, "urgency")?,
        emergency: r.try_get("emergency")?,
        possible_emergency: r.try_get("possible_emergency")?,
        unit_id: r.try_get("unit_id")?,
        status: parse_key(r.try_get("status")?, "status")?,
        received_at: r.try_get("received_at")?,
        due_at: r.try_get("due_at")?,
        supervision_level: r.try_get("supervision_level")?,
        follow_ups: r.try_get("follow_ups")?,
        phone_masked: r.try_get("phone_masked")?,
    })
}

pub(crate) fn event(r: &Row) -> StoreResult<AppealEvent> {
    Ok(AppealEvent {
        id: r.try_get("id")?,
        appeal_id: r.try_get("appeal_id")?,
        at: r.try_get("at")?,
        actor_staff_id: r.try_get("actor_staff_id")?,
        kind: r.try_get("kind")?,
        public: r.try_get("public")?,
        note: r.try_get("note")?,
        from_unit_id: r.try_get("from_unit_id")?,
        to_unit_id: r.try_get("to_unit_id")?,
    })
}

pub(crate) fn handoff(r: &Row) -> StoreResult<Handoff> {
    Ok(Handoff {
        id: r.try_get("id")?,
        appeal_id: r.try_get("appeal_id")?,
        department_id: r.try_get("department_id")?,
        note: r.try_get("note")?,
        sent_at: r.try_get("sent_at")?,
        sent_by: r.try_get("sent_by")?,
        acknowledged_at: r.try_get("acknowledged_at")?,
        receipt: r.try_get("receipt")?,
    })
}

pub(crate) fn request_kind_key(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Extension => "extension",
        RequestKind::Transfer => "transfer",
        RequestKind::Review => "review",
    }
}

pub(crate) fn request_state_key(state: RequestState) -> &'static str {
    match state {
        RequestState::Pending => "pending",
        RequestState::Approved => "approved",
        RequestState::Rejected => "rejected",
    }
}

pub(crate) fn request(r: &Row) -> StoreResult<Request> {
    let kind = match r.try_get::<&str, _>("kind")? {
        "extension" => RequestKind::Extension,
        "transfer" => RequestKind::Transfer,
        "review" => RequestKind::Review,
        other => return Err(StoreError::Corrupt(format!("request kind `{other}`"))),
    };
    let state = match r.try_get::<&str, _>("state")? {
        "pending" => RequestState::Pending,
        "approved" => RequestState::Approved,
        "rejected" => RequestState::Rejected,
        other => return Err(StoreError::Corrupt(format!("request state `{other}`"))),
    };
    Ok(Request {
        id: r.try_get("id")?,
        appeal_id: r.try_get("appeal_id")?,
        kind,
        state,
        reason: r.try_get("reason")?,
        days: r.try_get("days")?,
        to_unit_id: r.try_get("to_unit_id")?,
        requested_by: r.try_get("requested_by")?,
        requested_at: r.try_get("requested_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        decision_note: r.try_get("decision_note")?,
    })
}

pub(crate) fn audit_entry(r: &Row) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        subject: r.try_get("subject")?,
        detail: r.try_get("detail")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}
