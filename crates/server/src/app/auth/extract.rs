//! Extractors: who is calling.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};
use police_square_store::{Id, Staff};

use super::Sessions;
use crate::app::{error::AppError, state::AppState};

/// A signed-in, enabled staff member. Rejects with 401 when there is no staff session
/// (pages turn that into a redirect to the login page).
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    pub staff: Staff,
    /// Echo in `X-CSRF-Token` / `_csrf` on every state-changing request.
    pub csrf_token: String,
}

impl std::ops::Deref for CurrentStaff {
    type Target = Staff;
    fn deref(&self) -> &Staff {
        &self.staff
    }
}

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = parts
            .extensions
            .get::<Sessions>()
            .and_then(|s| s.staff.clone())
            .ok_or(AppError::Unauthorized)?;
        let staff_id = session.staff_id.ok_or(AppError::Unauthorized)?;
        let staff = state
            .stores
            .org
            .staff(staff_id)
            .await?
            .filter(|s| !s.disabled)
            .ok_or(AppError::Unauthorized)?;
        Ok(CurrentStaff {
            staff,
            csrf_token: session.csrf_token,
        })
    }
}

/// A resident verified by one-time code for exactly one appeal.
#[derive(Debug, Clone)]
pub struct CurrentResident {
    pub appeal_id: Id,
    pub csrf_token: String,
}

impl FromRequestParts<AppState> for CurrentResident {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, AppError> {
        let session = parts
            .extensions
            .get::<Sessions>()
            .and_then(|s| s.resident.clone())
            .ok_or(AppError::Unauthorized)?;
        Ok(CurrentResident {
            appeal_id: session.appeal_id.ok_or(AppError::Unauthorized)?,
            csrf_token: session.csrf_token,
        })
    }
}

impl FromRequestParts<AppState> for Option<CurrentResident> {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(CurrentResident::from_request_parts(parts, state).await.ok())
    }
}

/// The client's address for rate limits: the socket peer, or the first
/// `X-Forwarded-For` entry when `trust_forwarded_for` is set (behind a proxy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

impl ClientIp {
    /// A rate-limit key part; never logged next to personal data.
    pub fn key(&self) -> String {
        self.0.map_or_else(|| "unknown".into(), |ip| ip.to_string())
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|ip| ip.trim().parse().ok());
            if forwarded.is_some() {
                return Ok(ClientIp(forwarded));
            }
        }
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}
