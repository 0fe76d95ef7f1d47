//! Operations: the health and readiness checks load balancers and orchestrators poll.

pub mod api;
pub mod jobs;
pub mod openapi;
