//! The outbox worker: claim due messages (leased to this node), open the sealed
//! recipient, hand the message to the transport, then mark it sent — or failed with a
//! backoff retry (`police_square_notify::retry_delay`), or dead after the last attempt.
//! A node dying mid-send leaves the lease to expire and another node retries; the
//! message id lets receivers drop duplicates.

use police_square_notify::{retry_delay, should_retry, DeliveryRoute, Message, SendError};
use police_square_store::OutboxMessage;

use crate::app::{error::AppResult, state::AppState};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: u32,
    pub retrying: u32,
    pub dead: u32,
}

/// Deliver what is due now (one batch).
pub async fn deliver_due(state: &AppState) -> AppResult<DeliveryReport> {
    let now = state.now();
    let lease = state.config.jobs.lease_secs * 1000;
    let batch = state
        .stores
        .queue
        .claim_outbox(&state.config.node_id, now, lease, 50)
        .await?;
    let mut report = DeliveryReport::default();
    for row in batch {
        let result = match to_message(state, &row) {
            Ok(message) => state.transport.send(&message).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                state.stores.queue.outbox_sent(row.id, state.now()).await?;
                report.sent += 1;
            }
            Err(e) => {
                // The claim counted this try in `attempts`.
                let attempts = u32::try_from(row.attempts).unwrap_or(1).max(1);
                let retry_at = should_retry(&e, attempts).then(|| {
                    state.now()
                        + i64::try_from(retry_delay(attempts).as_millis()).unwrap_or(i64::MAX)
                });
                // The reason never contains personal data (transport contract).
                tracing::warn!(
                    outbox_id = row.id,
                    template = %row.template,
                    attempts,
                    retry = retry_at.is_some(),
                    reason = %e.reason,
                    "notification not delivered"
                );
                state
                    .stores
                    .queue
                    .outbox_failed(row.id, &e.reason, retry_at)
                    .await?;
                if retry_at.is_some() {
                    report.retrying += 1;
                } else {
                    report.dead += 1;
                }
            }
        }
    }
    Ok(report)
}

fn to_message(state: &AppState, row: &OutboxMessage) -> Result<Message, SendError> {
    let route: DeliveryRoute = row
        .channel
        .parse()
        .map_err(|_| SendError::permanent(format!("unknown channel {}", row.channel)))?;
    let to = state
        .vault
        .open(&row.recipient_enc)
        .map_err(|_| SendError::permanent("recipient does not decrypt with this key"))?;
    Ok(Message {
        id: row.id.to_string(),
        route,
        to,
        subject: None,
        body: row.body.clone(),
        template: row.template.clone(),
    })
}
