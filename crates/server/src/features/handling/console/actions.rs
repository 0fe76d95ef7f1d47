//! The case page's action forms: each posts to `/staff/appeals/{id}/{action}` and is
//! answered by a redirect back to the case page (`?done=`), or by the case page itself
//! (revealed contact, or the form's error).

use axum::{
    extract::{Path, State},
    http::header,
    response::Response,
};
use police_square_store::Id;
use serde::Deserialize;

use super::detail::detail_page;
use crate::{
    app::{
        auth::CurrentStaff,
        error::{AppError, AppResult},
        pages::ctx::{render, render_status, see_other, CsrfForm, Page},
        state::AppState,
    },
    features::{
        handling::{self, ReplyInput, TransferOutcome},
        opinion::learning,
    },
};

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
            let placeholder = (action == "reply")
                .then(|| police_square_domain::reply::placeholder_in(&form.text))
                .flatten();
            let msg = match (
                placeholder,
                crate::app::i18n::Catalog::global().lookup(p.lang, &key),
            ) {
                (Some(ph), _) => p.t1("page.portal.err_placeholder", "placeholder", &ph),
                (None, Some(m)) => m.to_owned(),
                (None, None) => p.t(e.message_key()),
            };
            let mut page = detail_page(&state, p, &staff, id, None, None, Some(msg)).await?;
            if action == "reply" {
                page.reply_draft = form.text.clone();
            }
            render_status(status, &page)
        }
        Err(e) => Err(e),
    }
}
