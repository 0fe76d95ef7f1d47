//! [`Store`] for [`SqlStore`]: each method is one transaction on the right pool.

use async_trait::async_trait;
use police_square_domain::{org::UnitPath, Millis, Role, Status};

use super::{
    admin, analysis, appeals, audit, bulk, dialect, inbox, org, queue, reports, stats, SqlStore,
    MIGRATOR,
};
use crate::error::StoreResult;
use crate::model::*;
use crate::Store;

/// Runs `$body` with `$conn` bound to a pooled connection from `$pool` (a read).
macro_rules! read {
    ($self:ident, |$conn:ident| $body:expr) => {{
        let mut pooled = $self.reader.acquire().await?;
        let $conn: &mut super::Conn = &mut pooled;
        $body
    }};
}

/// Runs `$body` with `$conn` bound to a transaction on the writer, committed if `$body`
/// succeeds and rolled back otherwise.
macro_rules! write {
    ($self:ident, |$conn:ident| $body:expr) => {{
        let mut tx = $self.writer.begin().await?;
        let result = {
            let $conn: &mut super::Conn = &mut tx;
            $body
        };
        if result.is_ok() {
            tx.commit().await?;
        }
        result
    }};
}

fn now_millis() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as Millis)
        .unwrap_or(0)
}

#[async_trait]
impl Store for SqlStore {
    async fn migrate(&self) -> StoreResult<()> {
        MIGRATOR.run(&self.writer).await?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        dialect::BACKEND
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }

    // ── organisation and staff ──────────────────────────────────────────
    async fn create_unit(&self, unit: NewUnit) -> StoreResult<Unit> {
        write!(self, |c| org::create_unit(c, &unit).await)
    }

    async fn units(&self) -> StoreResult<Vec<Unit>> {
        read!(self, |c| org::units(c).await)
    }

    async fn create_staff(&self, staff: NewStaff) -> StoreResult<Staff> {
        write!(self, |c| org::create_staff(c, &staff, now_millis()).await)
    }

    async fn staff(&self, id: Id) -> StoreResult<Option<Staff>> {
        read!(self, |c| org::staff(c, id).await)
    }

    async fn staff_by_username(&self, username: &str) -> StoreResult<Option<Staff>> {
        read!(self, |c| org::staff_by_username(c, username).await)
    }

    async fn staff_in(&self, scope: &UnitPath, role: Option<Role>) -> StoreResult<Vec<Staff>> {
        read!(self, |c| org::staff_in(c, scope, role).await)
    }

    async fn set_password(&self, staff_id: Id, password_hash: &str) -> StoreResult<()> {
        write!(self, |c| org::set_password(c, staff_id, password_hash)
            .await)
    }

    async fn set_disabled(&self, staff_id: Id, disabled: bool) -> StoreResult<()> {
        write!(self, |c| org::set_disabled(c, staff_id, disabled).await)
    }

    // ── sessions and throttling ─────────────────────────────────────────
    async fn create_session(&self, session: Session) -> StoreResult<()> {
        write!(self, |c| org::create_session(c, &session).await)
    }

    async fn session(&self, token_hash: &str, now: Millis) -> StoreResult<Option<Session>> {
        read!(self, |c| org::session(c, token_hash, now).await)
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        write!(self, |c| org::delete_session(c, token_hash).await)
    }

    async fn hit_rate_limit(&self, key: &str, window_ms: Millis, now: Millis) -> StoreResult<i64> {
        write!(self, |c| org::hit_rate_limit(c, key, window_ms, now).await)
    }

    async fn clear_rate_limit(&self, key: &str) -> StoreResult<()> {
        write!(self, |c| org::clear_rate_limit(c, key).await)
    }

    async fn purge_expired(&self, now: Millis) -> StoreResult<u64> {
        write!(self, |c| org::purge_expired(c, now).await)
    }

    // ── appeals ─────────────────────────────────────────────────────────
    async fn insert_appeal(&self, appeal: NewAppeal) -> StoreResult<InsertOutcome> {
        self.intake.insert(appeal).await
    }

    async fn insert_appeals_bulk(&self, appeals: Vec<NewAppeal>) -> StoreResult<()> {
        write!(self, |c| bulk::insert_bulk(c, &appeals).await)
    }

    async fn appeal(&self, id: Id) -> StoreResult<Option<Appeal>> {
        read!(self, |c| appeals::appeal(c, id).await)
    }

    async fn appeal_by_tracking_code(&self, code: &str) -> StoreResult<Option<Appeal>> {
        read!(self, |c| appeals::by_tracking_code(c, code).await)
    }

    async fn appeal_contact(&self, id: Id) -> StoreResult<Option<AppealContact>> {
        read!(self, |c| appeals::contact(c, id).await)
    }

    async fn appeals_by_phone_hash(
        &self,
        phone_hash: &[u8],
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>> {
        read!(self, |c| appeals::by_phone_hash(c, phone_hash, limit).await)
    }

    async fn inbox(&self, query: &InboxQuery) -> StoreResult<Page<AppealSummary>> {
        read!(self, |c| inbox::inbox(c, query).await)
    }

    async fn open_counts(
        &self,
        scope: &UnitPath,
        include_conduct: bool,
    ) -> StoreResult<Vec<(Status, i64)>> {
        read!(self, |c| inbox::open_counts(c, scope, include_conduct)
            .await)
    }

    async fn search_appeals(&self, query: &SearchQuery) -> StoreResult<SearchResults> {
        read!(self, |c| super::search::search(c, query).await)
    }

    async fn events(&self, appeal_id: Id) -> StoreResult<Vec<AppealEvent>> {
        read!(self, |c| appeals::events(c, appeal_id).await)
    }

    async fn apply_change(&self, change: AppealChange) -> StoreResult<Appeal> {
        write!(self, |c| appeals::apply_change(c, &change).await)
    }

    // ── external departments and hand-offs ──────────────────────────────
    async fn create_department(&self, name: &str, contact: &str) -> StoreResult<Department> {
        write!(self, |c| org::create_department(c, name, contact).await)
    }

    async fn departments(&self) -> StoreResult<Vec<Department>> {
        read!(self, |c| org::departments(c).await)
    }

    async fn create_handoff(
        &self,
        change: AppealChange,
        department_id: Id,
        note: &str,
    ) -> StoreResult<Handoff> {
        write!(self, |c| appeals::create_handoff(
            c,
            &change,
            department_id,
            note
        )
        .await)
    }

    async fn acknowledge_handoff(
        &self,
        handoff_id: Id,
        receipt: &str,
        at: Millis,
    ) -> StoreResult<Handoff> {
        write!(self, |c| appeals::acknowledge_handoff(
            c, handoff_id, receipt, at
        )
        .await)
    }

    async fn handoffs(&self, appeal_id: Id) -> StoreResult<Vec<Handoff>> {
        read!(self, |c| appeals::handoffs(c, appeal_id).await)
    }

    // ── requests ────────────────────────────────────────────────────────
    async fn create_request(&self, request: NewRequest) -> StoreResult<Request> {
        write!(self, |c| appeals::create_request(c, &request).await)
    }

    async fn request(&self, id: Id) -> StoreResult<Option<Request>> {
        read!(self, |c| appeals::request(c, id).await)
    }

    async fn requests_for(&self, appeal_id: Id) -> StoreResult<Vec<Request>> {
        read!(self, |c| appeals::requests_for(c, appeal_id).await)
    }

    async fn pending_requests(&self, scope: &UnitPath) -> StoreResult<Vec<Request>> {
        read!(self, |c| appeals::pending_requests(c, scope).await)
    }

    async fn decide_request(
        &self,
        request_id: Id,
        approve: bool,
        decided_by: Id,
        at: Millis,
        note: Option<&str>,
        change: Option<AppealChange>,
    ) -> StoreResult<Request> {
        write!(self, |c| {
            appeals::decide_request(
                c,
                request_id,
                approve,
                decided_by,
                at,
                note,
                change.as_ref(),
            )
            .await
        })
    }

    // ── reply templates ─────────────────────────────────────────────────
    async fn create_reply_template(&self, title: &str, body: &str) -> StoreResult<ReplyTemplate> {
        let t = NewReplyTemplate {
            title: title.to_owned(),
            body: body.to_owned(),
            ..Default::default()
        };
        write!(self, |c| org::create_reply_template(c, &t).await)
    }

    async fn create_fitting_reply_template(
        &self,
        t: NewReplyTemplate,
    ) -> StoreResult<ReplyTemplate> {
        write!(self, |c| org::create_reply_template(c, &t).await)
    }

    async fn reply_templates(&self) -> StoreResult<Vec<ReplyTemplate>> {
        read!(self, |c| org::reply_templates(c).await)
    }

    // ── one-time codes ──────────────────────────────────────────────────
    async fn put_one_time_code(&self, code: OneTimeCode) -> StoreResult<()> {
        write!(self, |c| org::put_one_time_code(c, &code).await)
    }

    async fn one_time_code(&self, appeal_id: Id) -> StoreResult<Option<OneTimeCode>> {
        // From the writer: a code just written must be seen by the next check.
        write!(self, |c| org::one_time_code(c, appeal_id).await)
    }

    // ── deadlines ───────────────────────────────────────────────────────
    async fn replied_before(&self, cutoff: Millis, limit: u32) -> StoreResult<Vec<(Id, i64)>> {
        read!(self, |c| appeals::replied_before(c, cutoff, limit).await)
    }

    async fn deadline_candidates(
        &self,
        horizon: Millis,
        below_level: i32,
        limit: u32,
    ) -> StoreResult<Vec<DeadlineCandidate>> {
        read!(self, |c| appeals::deadline_candidates(
            c,
            horizon,
            below_level,
            limit
        )
        .await)
    }

    // ── outbox ──────────────────────────────────────────────────────────
    async fn enqueue(&self, message: NewOutboxMessage, now: Millis) -> StoreResult<Id> {
        write!(self, |c| queue::enqueue(c, &message, now).await)
    }

    async fn claim_outbox(
        &self,
        node: &str,
        now: Millis,
        lease_ms: Millis,
        limit: u32,
    ) -> StoreResult<Vec<OutboxMessage>> {
        write!(self, |c| queue::claim_outbox(c, node, now, lease_ms, limit)
            .await)
    }

    async fn outbox_sent(&self, id: Id, at: Millis) -> StoreResult<()> {
        write!(self, |c| queue::outbox_sent(c, id, at).await)
    }

    async fn outbox_failed(
        &self,
        id: Id,
        error: &str,
        retry_at: Option<Millis>,
    ) -> StoreResult<()> {
        write!(self, |c| queue::outbox_failed(c, id, error, retry_at).await)
    }

    // ── jobs ────────────────────────────────────────────────────────────
    async fn schedule_job(
        &self,
        kind: &str,
        payload: &str,
        run_at: Millis,
        unique_key: Option<&str>,
    ) -> StoreResult<()> {
        write!(self, |c| queue::schedule_job(
            c, kind, payload, run_at, unique_key
        )
        .await)
    }

    async fn claim_jobs(
        &self,
        node: &str,
        now: Millis,
        lease_ms: Millis,
        limit: u32,
    ) -> StoreResult<Vec<Job>> {
        write!(self, |c| queue::claim_jobs(c, node, now, lease_ms, limit)
            .await)
    }

    async fn finish_job(&self, id: Id) -> StoreResult<()> {
        write!(self, |c| queue::finish_job(c, id).await)
    }

    async fn fail_job(&self, id: Id, error: &str, retry_at: Millis) -> StoreResult<()> {
        write!(self, |c| queue::fail_job(c, id, error, retry_at).await)
    }

    // ── settings ────────────────────────────────────────────────────────
    async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        read!(self, |c| org::setting(c, key).await)
    }

    async fn put_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        write!(self, |c| org::put_setting(c, key, value).await)
    }

    // ── audit ───────────────────────────────────────────────────────────
    async fn audit(&self, entry: NewAudit) -> StoreResult<()> {
        write!(self, |c| audit::append_all(c, std::slice::from_ref(&entry))
            .await)
    }

    async fn audit_entries(&self, after_seq: i64, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        read!(self, |c| audit::entries(c, after_seq, limit).await)
    }

    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        read!(self, |c| audit::head(c).await)
    }

    // ── rates ───────────────────────────────────────────────────────────
    async fn rate_counts(
        &self,
        from: Millis,
        to: Millis,
        now: Millis,
    ) -> StoreResult<Vec<UnitCounts>> {
        read!(self, |c| stats::rate_counts(c, from, to, now).await)
    }

    async fn refresh_stats(&self, now: Millis) -> StoreResult<()> {
        write!(self, |c| stats::refresh(c, now).await)
    }

    async fn optimize(&self) -> StoreResult<()> {
        // Outside a transaction: PostgreSQL's VACUUM refuses to run inside one.
        let mut conn = self.writer.acquire().await?;
        for statement in dialect::OPTIMIZE {
            sqlx::query(statement).execute(&mut *conn).await?;
        }
        Ok(())
    }

    // ── opinion analysis ────────────────────────────────────────────────
    async fn corrections(&self, after: Id, limit: u32) -> StoreResult<Vec<CategoryCorrection>> {
        read!(self, |c| analysis::corrections(c, after, limit).await)
    }

    async fn latest_correction_id(&self) -> StoreResult<Id> {
        read!(self, |c| analysis::latest_correction_id(c).await)
    }

    async fn latest_text_model(&self) -> StoreResult<Option<TextModel>> {
        read!(self, |c| analysis::latest_text_model(c).await)
    }

    async fn latest_text_model_id(&self) -> StoreResult<Option<Id>> {
        read!(self, |c| analysis::latest_text_model_id(c).await)
    }

    async fn save_text_model(
        &self,
        trained_at: Millis,
        corrections_through: Id,
        corrections: i64,
        model: &str,
    ) -> StoreResult<Id> {
        write!(self, |c| analysis::save_text_model(
            c,
            trained_at,
            corrections_through,
            corrections,
            model
        )
        .await)
    }

    async fn analysis_rows(
        &self,
        after_id: Id,
        since: Millis,
        limit: u32,
    ) -> StoreResult<Vec<AnalysisRow>> {
        read!(self, |c| analysis::analysis_rows(c, after_id, since, limit)
            .await)
    }

    async fn save_clusters(
        &self,
        links: &[ClusterLink],
        cursor_key: &str,
        cursor: Id,
    ) -> StoreResult<Vec<Id>> {
        write!(self, |c| analysis::save_clusters(
            c, links, cursor_key, cursor
        )
        .await)
    }

    async fn cluster(&self, id: Id) -> StoreResult<Option<Cluster>> {
        read!(self, |c| analysis::cluster_by_id(c, id).await)
    }

    async fn top_clusters(&self, q: &OpinionQuery, limit: u32) -> StoreResult<Vec<Cluster>> {
        read!(self, |c| analysis::top_clusters(c, q, limit).await)
    }

    async fn cluster_appeals(
        &self,
        cluster_id: Id,
        scope: Option<&UnitPath>,
        include_conduct: bool,
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>> {
        let of = analysis::Members::Cluster(cluster_id);
        read!(self, |c| analysis::member_appeals(
            c,
            of,
            scope,
            include_conduct,
            limit
        )
        .await)
    }

    async fn save_alert(&self, alert: &NewEmergingAlert) -> StoreResult<(Id, bool)> {
        write!(self, |c| analysis::save_alert(c, alert).await)
    }

    async fn alerts(
        &self,
        scope: Option<&UnitPath>,
        from: Millis,
        to: Millis,
        limit: u32,
    ) -> StoreResult<Vec<EmergingAlertRecord>> {
        read!(self, |c| analysis::alerts(c, scope, from, to, limit).await)
    }

    async fn alert(&self, id: Id) -> StoreResult<Option<EmergingAlertRecord>> {
        read!(self, |c| analysis::alert_by_id(c, id).await)
    }

    async fn alert_appeals(
        &self,
        alert_id: Id,
        scope: Option<&UnitPath>,
        include_conduct: bool,
        limit: u32,
    ) -> StoreResult<Vec<AppealSummary>> {
        let of = analysis::Members::Alert(alert_id);
        read!(self, |c| analysis::member_appeals(
            c,
            of,
            scope,
            include_conduct,
            limit
        )
        .await)
    }

    async fn set_alert_status(
        &self,
        id: Id,
        status: AlertStatus,
        staff_id: Id,
        note: Option<&str>,
    ) -> StoreResult<()> {
        write!(self, |c| analysis::set_alert_status(
            c, id, status, staff_id, note
        )
        .await)
    }

    async fn opinion(&self, q: &OpinionQuery) -> StoreResult<OpinionView> {
        read!(self, |c| analysis::opinion(c, q).await)
    }

    async fn count_appeals(&self) -> StoreResult<i64> {
        read!(self, |c| {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appeals")
                .fetch_one(&mut *c)
                .await?;
            Ok(n)
        })
    }

    // ── reports ─────────────────────────────────────────────────────────
    async fn report_volume(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
    ) -> StoreResult<Vec<VolumeCount>> {
        read!(self, |c| reports::volume(c, scope, from, to).await)
    }

    async fn report_daily(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
    ) -> StoreResult<Vec<DayCount>> {
        read!(self, |c| reports::daily(c, scope, from, to).await)
    }

    async fn report_clusters(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
        top: u32,
    ) -> StoreResult<ClusterSummary> {
        read!(self, |c| reports::clusters(c, scope, from, to, top).await)
    }

    async fn report_emerging(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
        limit: u32,
    ) -> StoreResult<Vec<EmergingAlertInfo>> {
        read!(self, |c| reports::emerging(c, scope, from, to, limit).await)
    }

    async fn report_quote_candidates(
        &self,
        scope: &UnitPath,
        from: Millis,
        to: Millis,
        category: &str,
        limit: u32,
    ) -> StoreResult<Vec<QuoteCandidate>> {
        read!(self, |c| reports::quote_candidates(
            c, scope, from, to, category, limit
        )
        .await)
    }

    async fn save_report_draft(&self, report: NewReport) -> StoreResult<Report> {
        write!(self, |c| reports::save_draft(c, &report).await)
    }

    async fn report(&self, id: Id) -> StoreResult<Option<Report>> {
        read!(self, |c| reports::report(c, id).await)
    }

    async fn report_for(
        &self,
        unit_id: Id,
        kind: ReportKind,
        period_start: Millis,
    ) -> StoreResult<Option<ReportMeta>> {
        read!(self, |c| reports::report_for(
            c,
            unit_id,
            kind,
            period_start
        )
        .await)
    }

    async fn reports_in(&self, scope: &UnitPath, limit: u32) -> StoreResult<Vec<ReportMeta>> {
        read!(self, |c| reports::reports_in(c, scope, limit).await)
    }

    async fn publish_report(&self, id: Id, by: Id, at: Millis) -> StoreResult<Report> {
        write!(self, |c| reports::publish(c, id, by, at).await)
    }

    async fn annotate_report(
        &self,
        report_id: Id,
        author_id: Id,
        at: Millis,
        text: &str,
    ) -> StoreResult<ReportAnnotation> {
        write!(self, |c| reports::annotate(
            c, report_id, author_id, at, text
        )
        .await)
    }

    async fn report_annotations(&self, report_id: Id) -> StoreResult<Vec<ReportAnnotation>> {
        read!(self, |c| reports::annotations(c, report_id).await)
    }

    // ── administration ──────────────────────────────────────────────────
    async fn add_unit(
        &self,
        unit: NewUnit,
        profile: UnitProfile,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit> {
        let by = admin::By { actor, at };
        write!(self, |c| admin::add_unit(c, &unit, &profile, by).await)
    }

    async fn update_unit(
        &self,
        id: Id,
        edit: UnitEdit,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit> {
        let by = admin::By { actor, at };
        write!(self, |c| admin::update_unit(c, id, &edit, by).await)
    }

    async fn move_unit(
        &self,
        id: Id,
        parent_id: Option<Id>,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Unit> {
        let by = admin::By { actor, at };
        write!(self, |c| admin::move_unit(c, id, parent_id, by).await)
    }

    async fn add_staff(&self, staff: NewStaff, actor: &str, at: Millis) -> StoreResult<Staff> {
        let by = admin::By { actor, at };
        write!(self, |c| admin::add_staff(c, &staff, by).await)
    }

    async fn update_staff(
        &self,
        id: Id,
        edit: StaffEdit,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Staff> {
        let by = admin::By { actor, at };
        write!(self, |c| admin::update_staff(c, id, &edit, by).await)
    }

    async fn department_registry(&self) -> StoreResult<Vec<Department>> {
        read!(self, |c| admin::departments(c, true).await)
    }

    async fn update_department(
        &self,
        id: Id,
        name: &str,
        contact: &str,
        retired: bool,
        actor: &str,
        at: Millis,
    ) -> StoreResult<Department> {
        let by = admin::By { actor, at };
        write!(self, |c| admin::update_department(
            c, id, name, contact, retired, by
        )
        .await)
    }

    async fn reply_template_registry(&self) -> StoreResult<Vec<ReplyTemplate>> {
        read!(self, |c| admin::reply_templates(c, true).await)
    }

    async fn update_reply_template(
        &self,
        id: Id,
        title: &str,
        body: &str,
        retired: bool,
        actor: &str,
        at: Millis,
    ) -> StoreResult<ReplyTemplate> {
        let by = admin::By { actor, at };
        write!(self, |c| admin::update_reply_template(
            c, id, title, body, retired, by
        )
        .await)
    }

    async fn audit_search(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        read!(self, |c| admin::audit_search(c, query).await)
    }
}
