//! Police Square persistence. [`Store`] is the one storage interface; [`sqlite`] (the
//! embedded default) and [`postgres`] implement it, each with its own migrations under
//! `migrations/<backend>/`. [`connect`] picks the backend from the database URL.

pub mod error;
pub mod model;
mod model_analysis;
pub mod password;
pub mod postgres;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
pub mod vault;

pub use error::{StoreError, StoreResult};
pub use model::*;

use std::sync::Arc;

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis};

/// Opens the database named by `url`: `postgres://…` or `postgresql://…` is a
/// PostgreSQL pool; anything else is a SQLite file path (an optional `sqlite://` or
/// `sqlite:` prefix is dropped), created if missing. Does not migrate: call
/// [`Store::migrate`].
pub async fn connect(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Arc::new(postgres::connect(url).await?));
    }
    Ok(Arc::new(sqlite::open(sqlite_path(url)).await?))
}

/// The file path of a SQLite URL (`sqlite://data/ps.db`, `sqlite:ps.db`, `ps.db`).
pub fn sqlite_path(url: &str) -> &str {
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    path.split('?').next().unwrap_or(path)
}

/// Everything the server, jobs and CLI persist. Each method is one transaction.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Create or upgrade the schema (idempotent).
    async fn migrate(&self) -> StoreResult<()>;
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
    /// Cheap round trip for `/readyz`.
    async fn ping(&self) -> StoreResult<()>;

    // ── organisation and staff ──────────────────────────────────────────
    async fn create_unit(&self, unit: NewUnit) -> StoreResult<Unit>;
    /// All units (a city has hundreds at most); callers cache the tree.
    async fn units(&self) -> StoreResult<Vec<Unit>>;
    async fn create_staff(&self, staff: NewStaff) -> StoreResult<Staff>;
    async fn staff(&self, id: Id) -> StoreResult<Option<Staff>>;
    async fn staff_by_username(&self, username: &str) -> StoreResult<Option<Staff>>;
    /// Staff of a unit subtree (for assignment lists and reminders), optionally by role.
    async fn staff_in(
        &self,
        scope: &UnitPath,
        role: Option<police_square_domain::Role>,
    ) -> StoreResult<Vec<Staff>>;
    async fn set_password(&self, staff_id: Id, password_hash: &str) -> StoreResult<()>;
    async fn set_disabled(&self, staff_id: Id, disabled: bool) -> StoreResult<()>;

    // ── sessions and throttling (shared by every node) ──────────────────
    async fn create_session(&self, session: Session) -> StoreResult<()>;
    /// The live session for this token hash (expired ones are `None`).
    async fn session(&self, token_hash: &str, now: Millis) -> StoreResult<Option<Session>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Count a hit on `key` in the fixed window containing `now`; returns the count
    /// including this hit. Used for login throttling and tracking-code lookups.
    async fn hit_rate_limit(&self, key: &str, window_ms: Millis, now: Millis) -> StoreResult<i64>;
    async fn clear_rate_limit(&self, key: &str) -> StoreResult<()>;
    /// Delete expired sessions and rate-limit windows (run by a background job);
    /// returns how many rows went.
    async fn purge_expired(&self, now: Millis) -> StoreResult<u64>;

    // ── appeals ─────────────────────────────────────────────────────────
    /// Insert durably with its `received` event and audit entry. The same idempotency
    /// key returns the first appeal's id as [`InsertOutcome::Duplicate`].
    async fn insert_appeal(&self, appeal: NewAppeal) -> StoreResult<InsertOutcome>;
    /// Bulk insert for demo data and imports (no idempotency keys), fast path: one
    /// transaction per call (batches of a few thousand are best). Writes
    /// [`NewAppeal::history`] and the timeline events it implies (`received`, then
    /// `accepted`, `replied`, `rated`, `closed` where set) and ONE audit entry
    /// `appeals.imported` for the call. Any bad row fails the whole call.
    async fn insert_appeals_bulk(&self, appeals: Vec<NewAppeal>) -> StoreResult<()>;
    async fn appeal(&self, id: Id) -> StoreResult<Option<Appeal>>;
    async fn appeal_by_tracking_code(&self, code: &str) -> StoreResult<Option<Appeal>>;
    /// Sealed personal data, for an audited reveal or a notification.
    async fn appeal_contact(&self, id: Id) -> StoreResult<Option<AppealContact>>;
    /// A caller's earlier appeals (hotline lookup), newest first.
    async fn appeals_by_phone_hash(
        &self,
        phone_hash: &[u8],
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>>;
    async fn inbox(&self, query: &InboxQuery) -> StoreResult<Page<AppealSummary>>;
    /// Open cases per status in a unit subtree (`conduct` only when `include_conduct`),
    /// in status order; statuses with none are left out.
    async fn open_counts(
        &self,
        scope: &UnitPath,
        include_conduct: bool,
    ) -> StoreResult<Vec<(police_square_domain::Status, i64)>>;
    async fn events(&self, appeal_id: Id) -> StoreResult<Vec<AppealEvent>>;
    /// Apply one change atomically. Fails with [`StoreError::Conflict`] if the
    /// appeal's version moved on since it was read.
    async fn apply_change(&self, change: AppealChange) -> StoreResult<Appeal>;

    // ── search ──────────────────────────────────────────────────────────
    /// Full-text search over appeals: every term matches, filters as in
    /// [`SearchQuery`], newest first, with a count of matches capped at
    /// [`SearchResults::TOTAL_CAP`]. No searchable term, no results.
    async fn search_appeals(&self, query: &SearchQuery) -> StoreResult<SearchResults>;

    // ── external departments and hand-offs (转交) ─────────────────────────
    async fn create_department(&self, name: &str, contact: &str) -> StoreResult<Department>;
    /// Departments a case can be handed to (not retired).
    async fn departments(&self) -> StoreResult<Vec<Department>>;
    /// Record a hand-off together with the appeal change that moves it to `transferred`.
    async fn create_handoff(
        &self,
        change: AppealChange,
        department_id: Id,
        note: &str,
    ) -> StoreResult<Handoff>;
    /// Record the department's receipt (回执), with the appeal's public event
    /// `handoff_acknowledged` and its audit entry. A second acknowledgement is a
    /// [`StoreError::Conflict`].
    async fn acknowledge_handoff(
        &self,
        handoff_id: Id,
        receipt: &str,
        at: Millis,
    ) -> StoreResult<Handoff>;
    async fn handoffs(&self, appeal_id: Id) -> StoreResult<Vec<Handoff>>;

    // ── requests needing a supervisor (extension, transfer, review) ──────
    /// Audited as `request.<kind>`; adds no appeal event (the caller records one with
    /// `apply_change` if the timeline should show it).
    async fn create_request(&self, request: NewRequest) -> StoreResult<Request>;
    async fn request(&self, id: Id) -> StoreResult<Option<Request>>;
    async fn requests_for(&self, appeal_id: Id) -> StoreResult<Vec<Request>>;
    /// Pending requests on appeals in scope.
    async fn pending_requests(&self, scope: &UnitPath) -> StoreResult<Vec<Request>>;
    /// Decide a pending request; when approved, `change` is applied in the same
    /// transaction. Deciding an already decided request is a [`StoreError::Conflict`];
    /// so is a stale `change` (and then the decision is not recorded either). Audited
    /// as `request.approved` / `request.rejected`. `note` is the supervisor's comment
    /// (督办意见), kept on the request.
    async fn decide_request(
        &self,
        request_id: Id,
        approve: bool,
        decided_by: Id,
        at: Millis,
        note: Option<&str>,
        change: Option<AppealChange>,
    ) -> StoreResult<Request>;

    // ── reply templates ─────────────────────────────────────────────────
    /// A template that fits any appeal.
    async fn create_reply_template(&self, title: &str, body: &str) -> StoreResult<ReplyTemplate>;
    /// A template for the kinds and categories named (see [`ReplyTemplate::fits`]).
    async fn create_fitting_reply_template(
        &self,
        template: NewReplyTemplate,
    ) -> StoreResult<ReplyTemplate>;
    /// Templates offered to handlers (not retired).
    async fn reply_templates(&self) -> StoreResult<Vec<ReplyTemplate>>;

    // ── resident one-time codes ─────────────────────────────────────────
    async fn put_one_time_code(&self, code: OneTimeCode) -> StoreResult<()>;
    async fn one_time_code(&self, appeal_id: Id) -> StoreResult<Option<OneTimeCode>>;

    // ── deadlines and supervision ───────────────────────────────────────
    /// Open cases due before `horizon` whose supervision level is below `below_level`.
    async fn deadline_candidates(
        &self,
        horizon: Millis,
        below_level: i32,
        limit: u32,
    ) -> StoreResult<Vec<DeadlineCandidate>>;

    /// Replied appeals whose reply is older than `cutoff` (their rating window has
    /// ended), oldest first, as `(id, version)`; the job closes them (办结).
    async fn replied_before(&self, cutoff: Millis, limit: u32) -> StoreResult<Vec<(Id, i64)>>;

    // ── notifications outbox ────────────────────────────────────────────
    async fn enqueue(&self, message: NewOutboxMessage, now: Millis) -> StoreResult<Id>;
    /// Claim due messages for `lease_ms` (SKIP LOCKED on PostgreSQL).
    async fn claim_outbox(
        &self,
        node: &str,
        now: Millis,
        lease_ms: Millis,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>>;
    async fn outbox_sent(&self, id: Id, at: Millis) -> StoreResult<()>;
    /// Record a failure; `retry_at = None` gives up (dead letter).
    async fn outbox_failed(&self, id: Id, error: &str, retry_at: Option<Millis>)
        -> StoreResult<()>;

    // ── background jobs ─────────────────────────────────────────────────
    /// Schedule a job unless one with the same `unique_key` is pending.
    async fn schedule_job(
        &self,
        kind: &str,
        payload: &str,
        run_at: Millis,
        unique_key: Option<&str>,
    ) -> StoreResult<()>;
    /// Claim at most `limit` due jobs for `lease_ms`; two nodes never get the same job.
    async fn claim_jobs(
        &self,
        node: &str,
        now: Millis,
        lease_ms: Millis,
        limit: u32,
    ) -> StoreResult<Vec<Job>>;
    async fn finish_job(&self, id: Id) -> StoreResult<()>;
    async fn fail_job(&self, id: Id, error: &str, retry_at: Millis) -> StoreResult<()>;

    // ── settings (deadline policy, calendar, weights, flags) as JSON ────
    async fn setting(&self, key: &str) -> StoreResult<Option<String>>;
    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()>;

    // ── audit trail ─────────────────────────────────────────────────────
    /// Append outside an appeal change (e.g. a personal-data reveal, a login).
    async fn audit(&self, entry: NewAudit) -> StoreResult<()>;
    async fn audit_entries(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<AuditEntry>>;
    /// The chain's head `(seq, hash)`, moved by every append in the same transaction:
    /// what the newest entry must be (anchors verification against truncation).
    async fn audit_head(&self) -> StoreResult<(i64, String)>;

    // ── rates ───────────────────────────────────────────────────────────
    /// Counts per owning unit for appeals received in `[from, to)`. Whole days (China
    /// Standard Time) come from the pre-aggregated table as of the last
    /// [`Store::refresh_stats`]; partial days at the edges are counted live as of `now`.
    /// Answers in ~10 ms with a million appeals.
    async fn rate_counts(
        &self,
        from: Millis,
        to: Millis,
        now: Millis,
    ) -> StoreResult<Vec<UnitCounts>>;
    /// Bring the pre-aggregated statistics up to date (run by a background job).
    async fn refresh_stats(&self, now: Millis) -> StoreResult<()>;
    /// Refresh the query planners' statistics (PostgreSQL: `VACUUM ANALYZE`, which also
    /// lets index-only scans skip the table; SQLite: `ANALYZE`). Call it after a bulk
    /// load and now and then from a background job; it may take seconds.
    async fn optimize(&self) -> StoreResult<()>;
    async fn count_appeals(&self) -> StoreResult<i64>;

    // ── opinion analysis (民意研判) ──────────────────────────────────────
    /// Corrections after `after` (id order), with the appeal texts they apply to.
    async fn corrections(&self, after: Id, limit: u32) -> StoreResult<Vec<CategoryCorrection>>;
    /// The newest correction id (0 without any).
    async fn latest_correction_id(&self) -> StoreResult<Id>;
    async fn latest_text_model(&self) -> StoreResult<Option<TextModel>>;
    /// Cheap check for a newer model than the one a node holds.
    async fn latest_text_model_id(&self) -> StoreResult<Option<Id>>;
    /// Store a retrained model (older ones are dropped).
    async fn save_text_model(
        &self,
        trained_at: Millis,
        corrections_through: Id,
        corrections: i64,
        model: &str,
    ) -> StoreResult<Id>;
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

    // ── reports (民意研判周报/月报/季报) ─────────────────────────────────
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

    // ── administration (imports and admin pages) ────────────────────────
    // Each change appends its audit entry (`actor`, `at`) in its own transaction.
    /// Create a unit with its profile (audited `unit.created`). A taken code is a
    /// [`StoreError::Conflict`]; an unknown parent is [`StoreError::NotFound`].
    async fn add_unit(
        &self,
        unit: NewUnit,
        profile: UnitProfile,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit>;
    /// Rename, change the kind or profile, retire (audited `unit.updated`).
    async fn update_unit(
        &self,
        id: Id,
        edit: UnitEdit,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit>;
    /// Move a unit (and its subtree) under another parent, or to the root; the paths
    /// copied into appeals, clusters, alerts and reports move with it (audited
    /// `unit.moved`). Under itself or a sub-unit is a [`StoreError::Conflict`].
    async fn move_unit(
        &self,
        id: Id,
        parent_id: Option<Id>,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit>;
    /// [`Store::create_staff`], audited `staff.created`.
    async fn add_staff(&self, staff: NewStaff, actor: &str, at: Millis) -> StoreResult<Staff>;
    /// Change name, role and unit (audited `staff.updated`).
    async fn update_staff(
        &self,
        id: Id,
        edit: StaffEdit,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Staff>;
    /// Every department, retired ones last ([`Store::departments`] has active ones).
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
    /// Every reply template, retired ones last ([`Store::reply_templates`] has active
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
    /// Audit entries matching every filter given, newest first.
    async fn audit_search(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;
}
