//! Opinion analysis (民意研判): near-duplicate clusters (一事多诉), emerging-issue
//! alerts (未诉先办) and the opinion view (民意库). Category learning is
//! [`crate::LearningStore`].

pub mod model;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis};

use crate::{
    AlertStatus, AnalysisRow, AppealSummary, Cluster, ClusterLink, EmergingAlertRecord, Id,
    NewEmergingAlert, OpinionQuery, OpinionView, StoreResult,
};

/// Opinion analysis. Each method is one transaction.
#[async_trait]
pub trait OpinionStore: Send + Sync + 'static {
    /// Appeals after `after_id` received at or after `since`, in id order.
    async fn analysis_rows(
        &self,
        after_id: Id,
        since: Millis,
        limit: u32,
    ) -> StoreResult<Vec<AnalysisRow>>;
    /// Apply cluster links and set the setting `cursor_key` to `cursor`, atomically.
    /// Returns the cluster id of each link.
    async fn save_clusters(
        &self,
        links: &[ClusterLink],
        cursor_key: &str,
        cursor: Id,
    ) -> StoreResult<Vec<Id>>;
    async fn cluster(&self, id: Id) -> StoreResult<Option<Cluster>>;
    async fn top_clusters(&self, q: &OpinionQuery, limit: u32) -> StoreResult<Vec<Cluster>>;
    /// The cluster's appeals in scope, newest first.
    async fn cluster_appeals(
        &self,
        cluster_id: Id,
        scope: Option<&UnitPath>,
        include_conduct: bool,
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>>;
    /// Store an alert or fold it into the overlapping one with a shared keyword;
    /// returns its id and whether it is new.
    async fn save_alert(&self, alert: &NewEmergingAlert) -> StoreResult<(Id, bool)>;
    /// Alerts overlapping `[from, to)` about the scope, its district or its subtree.
    async fn alerts(
        &self,
        scope: Option<&UnitPath>,
        from: Millis,
        to: Millis,
        limit: u32,
    ) -> StoreResult<Vec<EmergingAlertRecord>>;
    async fn alert(&self, id: Id) -> StoreResult<Option<EmergingAlertRecord>>;
    async fn alert_appeals(
        &self,
        alert_id: Id,
        scope: Option<&UnitPath>,
        include_conduct: bool,
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>>;
    async fn set_alert_status(
        &self,
        id: Id,
        status: AlertStatus,
        staff_id: Id,
        note: Option<&str>,
    ) -> StoreResult<()>;
    /// The opinion view (民意库): the period's appeals by category, kind, unit, day.
    async fn opinion(&self, q: &OpinionQuery) -> StoreResult<OpinionView>;
}
