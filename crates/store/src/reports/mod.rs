//! Reports (民意研判周报/月报/季报): the aggregates they are built from, and the stored
//! drafts, publications and annotations.

pub mod model;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis};

use crate::{
    ClusterSummary, DayCount, EmergingAlertInfo, Id, NewReport, QuoteCandidate, Report,
    ReportAnnotation, ReportKind, ReportMeta, StoreResult, VolumeCount,
};

/// Reports. Each method is one transaction.
#[async_trait]
pub trait ReportStore: Send + Sync + 'static {
    // Aggregates read appeals received in `[from, to)` in the `scope` subtree, rejected
    // ones excluded, from the covering index `appeals_report`.
    /// Appeals per owning unit, kind, channel and category.
    async fn report_volume(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
    ) -> StoreResult<Vec<VolumeCount>>;
    /// Appeals per China Standard Time day, in day order.
    async fn report_daily(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
    ) -> StoreResult<Vec<DayCount>>;
    /// Clusters (一事多诉) with two or more appeals in the period: totals and the `top`
    /// largest.
    async fn report_clusters(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
        top: u32,
    ) -> StoreResult<ClusterSummary>;
    /// Emerging-issue alerts (未诉先办) overlapping the period, most significant first.
    async fn report_emerging(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
        limit: u32,
    ) -> StoreResult<Vec<EmergingAlertInfo>>;
    /// The newest appeals of `category` in the period, never praise nor conduct
    /// complaints; their text is raw (the caller masks personal data before quoting).
    async fn report_quote_candidates(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
        category: &str,
        limit: u32,
    ) -> StoreResult<Vec<QuoteCandidate>>;
    /// Save a draft: insert it, or replace the content of the draft of the same unit,
    /// kind and period start. A published report is frozen: it is returned unchanged
    /// (check its status). Audited as `report.generated` when written.
    async fn save_report_draft(&self, report: NewReport) -> StoreResult<Report>;
    async fn report(&self, id: Id) -> StoreResult<Option<Report>>;
    async fn report_for(
        &self,
        unit_id: Id,
        kind: ReportKind,
        period_start: Millis,
    ) -> StoreResult<Option<ReportMeta>>;
    /// Reports of units inside `scope`, newest period first.
    async fn reports_in(&self, scope: &UnitPath, limit: u32) -> StoreResult<Vec<ReportMeta>>;
    /// Publish a draft (audited); an already published report is a Conflict.
    async fn publish_report(&self, id: Id, by: Id, at: Millis) -> StoreResult<Report>;
    /// Note on a published report (audited with its text); a draft is a Conflict.
    async fn annotate_report(
        &self,
        report_id: Id,
        author_id: Id,
        at: Millis,
        text: &str,
    ) -> StoreResult<ReportAnnotation>;
    async fn report_annotations(&self, report_id: Id) -> StoreResult<Vec<ReportAnnotation>>;
}
