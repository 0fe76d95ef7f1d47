//! The catalogues handlers pick from: external departments (转交 targets) and reply
//! templates.

pub mod model;

use async_trait::async_trait;
use police_square_domain::Millis;

use crate::{Department, Id, NewReplyTemplate, ReplyTemplate, StoreResult};

/// External departments and reply templates. Each method is one transaction.
#[async_trait]
pub trait CatalogStore: Send + Sync + 'static {
    async fn create_department(&self, name: &str, contact: &str) -> StoreResult<Department>;
    /// Departments a case can be handed to (not retired).
    async fn departments(&self) -> StoreResult<Vec<Department>>;
    /// A template that fits any appeal.
    async fn create_reply_template(&self, title: &str, body: &str) -> StoreResult<ReplyTemplate>;
    /// A template for the kinds and categories named (see [`ReplyTemplate::fits`]).
    async fn create_fitting_reply_template(
        &self,
        template: NewReplyTemplate,
    ) -> StoreResult<ReplyTemplate>;
    /// Templates offered to handlers (not retired).
    async fn reply_templates(&self) -> StoreResult<Vec<ReplyTemplate>>;
    /// Every department, retired ones last ([`Self::departments`] has active ones).
    async fn department_registry(&self) -> StoreResult<Vec<Department>>;
    async fn update_department(
        &self,
        id: Id,
        name: &str,
        contact: &str,
        retired: bool,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Department>;
    /// Every reply template, retired ones last ([`Self::reply_templates`] has active
    /// ones).
    async fn reply_template_registry(&self) -> StoreResult<Vec<ReplyTemplate>>;
    async fn update_reply_template(
        &self,
        id: Id,
        title: &str,
        body: &str,
        retired: bool,
        actor: &str,
        at: Millis,
    ) -> StoreResult<ReplyTemplate>;
}
