//! zero2prod-style test harness: a server on 127.0.0.1:0 over a fresh database (SQLite
//! or PostgreSQL), a manual clock, and the log transport writing to a temp file.

#![allow(dead_code)]

/// Residents' words for one new pattern (shared charging-bank lockers broken into), for
/// tests that inject an emerging-issue burst.
pub const NEW_PATTERN_BURST: [&str; 4] = [
    "小区里的共享充电宝柜被人撬了，充电宝全被偷走",
    "共享充电宝柜又被撬，里面的充电宝没了",
    "商场门口共享充电宝柜被撬坏，充电宝被盗",
    "有人专门撬共享充电宝柜偷充电宝，已经好几家了",
];

/// Another pattern (fishing nets strung across the canal), for a burst at one station.
pub const STATION_BURST: [&str; 3] = [
    "运河航道上有人私拉渔网，货船过不去",
    "航道里又被拉了渔网，船差点缠上",
    "有人在航道中间下渔网，晚上船看不见很危险",
];

/// A complaint about an officer of station A: a conduct complaint, which goes to the
/// district's office and is hidden from the accused station.
pub const CONDUCT_COMPLAINT: &str =
    "投诉爱山派出所一名民警态度恶劣，办事推诿刁难，还辱骂群众，不作为";

const DAY: Millis = 86_400_000;

/// The appeals `seed_bursts` filed, and when it started.
pub struct Bursts {
    pub start: Millis,
    /// District A's appeals about [`NEW_PATTERN_BURST`].
    pub burst: Vec<Id>,
    /// Station C's appeals about [`STATION_BURST`].
    pub nets: Vec<Id>,
}

/// Eight weeks of ordinary appeals in both districts, three a day, then in the last
/// week 20 at district A's stations about [`NEW_PATTERN_BURST`] and 12 at station C
/// about [`STATION_BURST`]; `phone(n)` is the contact phone of the n-th appeal. The
/// clock is left at the last appeal.
pub async fn seed_bursts(app: &TestApp, phone: impl Fn(usize) -> String) -> Bursts {
    const BACKGROUND: [&str; 5] = [
        "小区门口有人乱停车，堵住了消防通道",
        "咨询一下身份证补办需要带什么材料",
        "楼上邻居装修噪音太大，晚上十点还在施工",
        "我的电瓶车在小区车棚被偷了",
        "路口红绿灯时间太短，老人过马路来不及",
    ];
    let u = &app.units;
    let stations = [u.station_a, u.station_b, u.station_c];
    let start = app.clock_now();
    let mut n = 0;
    for day in 0..63 {
        app.advance_to(start + day * DAY);
        for k in 0..3 {
            let i = day as usize + k;
            app.submit_direct(
                stations[i % 3],
                AppealKind::Help,
                BACKGROUND[i % 5],
                &phone(n),
            )
            .await;
            n += 1;
        }
    }
    let mut burst = Vec::new();
    for i in 0..20 {
        app.advance_to(start + (56 + i / 3) * DAY + 3_600_000);
        let unit = [u.station_a, u.station_b][i as usize % 2];
        let text = NEW_PATTERN_BURST[i as usize % 4];
        burst.push(
            app.submit_direct(unit, AppealKind::Report, text, &phone(n))
                .await,
        );
        n += 1;
    }
    let mut nets = Vec::new();
    for i in 0..12 {
        app.advance_to(start + (56 + i / 2) * DAY + 7_200_000);
        let text = STATION_BURST[i as usize % 3];
        nets.push(
            app.submit_direct(u.station_c, AppealKind::Report, text, &phone(n))
                .await,
        );
        n += 1;
    }
    Bursts { start, burst, nets }
}

use std::{net::SocketAddr, path::PathBuf, sync::Arc, sync::OnceLock};

use police_square_domain::{calendar::to_local, AppealKind, Channel, Millis, Role, UnitKind};
use police_square_notify::LogTransport;
use police_square_server::{
    app::{auth::hash_password, config::Config},
    features::{
        intake::{self, NewAppealInput},
        notices::outbox,
    },
    AppState, ManualClock,
};
use police_square_store::{Id, NewStaff, NewUnit, OrgStore, Stores};
use reqwest::{header, Response, StatusCode};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs an async scenario `fn name(backend: Backend)` once per backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::common::Backend::Postgres).await
            }
        }
    )+};
}

pub const PASSWORD: &str = "correct horse battery staple";
/// Wednesday 2026-03-04 10:00 in China (UTC+8): a plain working day.
pub const START: Millis = 1_772_589_600_000;

pub struct Units {
    pub city: Id,
    pub city_office: Id,
    pub district_a: Id,
    pub district_a_office: Id,
    pub station_a: Id,
    pub station_b: Id,
    pub district_b: Id,
    pub station_c: Id,
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub stores: Stores,
    pub clock: Arc<ManualClock>,
    pub notify_log: PathBuf,
    pub units: Units,
    pub http: reqwest::Client,
    /// For PostgreSQL: the test database (its URL lets a second node connect; it is
    /// dropped with the app).
    pub database: Option<police_square_store::testing::TestDatabase>,
    _dir: tempfile::TempDir,
    _db_dir: Option<tempfile::TempDir>,
}

/// Staff fixtures: username → (role, unit).
pub const STAFF: &[(&str, Role, &str)] = &[
    ("admin", Role::Admin, "city"),
    ("city_leader", Role::Leader, "city"),
    ("city_supervisor", Role::Supervisor, "city_office"),
    ("operator", Role::Operator, "city_office"),
    ("a_supervisor", Role::Supervisor, "district_a"),
    ("a_leader", Role::Leader, "district_a"),
    ("a_analyst", Role::Analyst, "district_a"),
    ("station_a_handler", Role::Handler, "station_a"),
    ("station_a_handler2", Role::Handler, "station_a"),
    ("station_a_supervisor", Role::Supervisor, "station_a"),
    ("station_b_handler", Role::Handler, "station_b"),
    ("station_c_handler", Role::Handler, "station_c"),
];

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD).unwrap())
}

pub fn base_config(notify_log: &std::path::Path) -> Config {
    let mut config = Config {
        key: Some(police_square_notify::Secret::new("11".repeat(32))),
        notify: police_square_notify::RouterConfig::dev(notify_log),
        workers: false,
        node_id: "test-node".into(),
        ..Config::default()
    };
    config.limits.track_lookups_per_window = 20;
    // Given, so the checkpoint job never writes a key file into the crate directory.
    config.audit.key = Some(police_square_notify::Secret::new("22".repeat(32)));
    config
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let (stores, db_dir, database) = match backend {
        Backend::Sqlite => {
            let (stores, dir) = police_square_store::testing::fresh_sqlite().await;
            (stores, Some(dir), None)
        }
        Backend::Postgres => {
            let db = police_square_store::testing::fresh_postgres_db().await;
            let stores = police_square_store::connect(&db.url).await.unwrap();
            stores.maintenance.migrate().await.unwrap();
            (stores, None, Some(db))
        }
    };
    let units = seed(stores.org.as_ref()).await;
    let notify_log = dir.path().join("notify.jsonl");
    let mut config = base_config(&notify_log);
    tweak(&mut config);
    let clock = Arc::new(ManualClock::new(START));
    let transport = Arc::new(LogTransport::new(&notify_log));
    let state = AppState::with_parts(config, stores.clone(), clock.clone(), transport)
        .await
        .unwrap();
    let base = start_server(state.clone()).await;
    TestApp {
        base,
        state,
        stores,
        clock,
        notify_log,
        units,
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        database,
        _dir: dir,
        _db_dir: db_dir,
    }
}

/// Serve `state` on a random port; returns `http://127.0.0.1:PORT`.
pub async fn start_server(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(police_square_server::serve_with_state(
        state,
        axum::Router::new(),
        listener,
        std::future::pending(),
    ));
    format!("http://{addr}")
}

/// Unit fixtures in creation order (parents first): key → (parent key, name, kind).
#[rustfmt::skip]
const UNITS: &[(&str, Option<&str>, &str, UnitKind)] = &[
    ("city", None, "湖州市公安局", UnitKind::City),
    ("city_office", Some("city"), "市局警察公共关系办公室", UnitKind::Office),
    ("district_a", Some("city"), "吴兴区公安分局", UnitKind::District),
    ("district_a_office", Some("district_a"), "吴兴分局警察公共关系室", UnitKind::Office),
    ("station_a", Some("district_a"), "爱山派出所", UnitKind::Station),
    ("station_b", Some("district_a"), "月河派出所", UnitKind::Station),
    ("district_b", Some("city"), "德清县公安局", UnitKind::District),
    ("station_c", Some("district_b"), "武康派出所", UnitKind::Station),
];

async fn seed(store: &dyn OrgStore) -> Units {
    let mut ids = std::collections::HashMap::new();
    for (key, parent, name, kind) in UNITS {
        let unit = NewUnit {
            parent_id: parent.map(|p| ids[p]),
            name: (*name).into(),
            kind: *kind,
        };
        ids.insert(*key, store.create_unit(unit).await.unwrap().id);
    }
    let units = Units {
        city: ids["city"],
        city_office: ids["city_office"],
        district_a: ids["district_a"],
        district_a_office: ids["district_a_office"],
        station_a: ids["station_a"],
        station_b: ids["station_b"],
        district_b: ids["district_b"],
        station_c: ids["station_c"],
    };
    for (username, role, unit_name) in STAFF {
        store
            .create_staff(NewStaff {
                username: (*username).into(),
                display_name: format!("{username} 警官"),
                role: *role,
                unit_id: units.named(unit_name),
                password_hash: password_hash().into(),
            })
            .await
            .unwrap();
    }
    units
}

impl Units {
    pub fn named(&self, name: &str) -> Id {
        match name {
            "city" => self.city,
            "city_office" => self.city_office,
            "district_a" => self.district_a,
            "district_a_office" => self.district_a_office,
            "station_a" => self.station_a,
            "station_b" => self.station_b,
            "district_b" => self.district_b,
            "station_c" => self.station_c,
            other => panic!("no unit {other}"),
        }
    }
}

/// A cookie-carrying client for one signed-in person (staff or resident).
#[derive(Clone)]
pub struct Session {
    pub base: String,
    pub http: reqwest::Client,
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .header(header::COOKIE, &self.cookie)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.http
            .post(format!("{}{path}", self.base))
            .header(header::COOKIE, &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// POST expecting `status`; returns the JSON body.
    pub async fn post_ok(&self, path: &str, body: Value, status: StatusCode) -> Value {
        let r = self.post(path, body).await;
        expect(r, status).await
    }

    pub async fn get_ok(&self, path: &str) -> Value {
        expect(self.get(path).await, StatusCode::OK).await
    }

    /// Accept appeal `id` (首接负责: the handler who accepts owns it), expecting 200;
    /// returns the appeal.
    pub async fn accept(&self, id: Id) -> Value {
        let path = format!("/api/v1/appeals/{id}/accept");
        self.post_ok(&path, json!({}), StatusCode::OK).await
    }

    /// Reply `text` to the resident of appeal `id`, expecting 200; returns the appeal.
    pub async fn reply(&self, id: Id, text: &str) -> Value {
        let path = format!("/api/v1/appeals/{id}/reply");
        self.post_ok(&path, json!({ "text": text }), StatusCode::OK)
            .await
    }

    /// Reject appeal `id` (不予受理) with the `reason` the resident reads, expecting 200;
    /// returns the appeal.
    pub async fn reject(&self, id: Id, reason: &str) -> Value {
        let path = format!("/api/v1/appeals/{id}/reject");
        self.post_ok(&path, json!({ "reason": reason }), StatusCode::OK)
            .await
    }

    /// A verified resident rates the appeal `code` (`rating`: resolved, satisfaction,
    /// comment), expecting 200; returns the appeal.
    pub async fn rate(&self, code: &str, rating: Value) -> Value {
        let path = format!("/api/v1/track/{code}/rate");
        self.post_ok(&path, rating, StatusCode::OK).await
    }

    /// Approve (or refuse) a supervision request, expecting 200; returns the request.
    pub async fn decide(&self, request_id: impl std::fmt::Display, approve: bool) -> Value {
        let path = format!("/api/v1/requests/{request_id}/decide");
        self.post_ok(&path, json!({ "approve": approve }), StatusCode::OK)
            .await
    }
}

/// Assert the status (printing the body when it differs) and parse JSON.
pub async fn expect(r: Response, status: StatusCode) -> Value {
    let got = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }
}

pub fn set_cookie(r: &Response, name: &str) -> String {
    r.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no {name} cookie set"))
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET `path` with no session, as a resident or a stranger does.
    pub async fn get(&self, path: &str) -> Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    pub async fn login(&self, username: &str) -> Session {
        let r = self
            .http
            .post(self.url("/api/v1/login"))
            .json(&json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "login {username}");
        self.session_from(r, "ps_session").await
    }

    pub async fn staff_id(&self, username: &str) -> Id {
        self.stores
            .org
            .staff_by_username(username)
            .await
            .unwrap()
            .unwrap()
            .id
    }

    pub async fn submit_raw(&self, body: Value, key: Option<&str>) -> Response {
        let mut req = self.http.post(self.url("/api/v1/appeals")).json(&body);
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        req.send().await.unwrap()
    }

    /// Submit a web appeal; returns the 201 body.
    pub async fn submit(&self, kind: &str, text: &str, phone: &str, unit_id: Option<Id>) -> Value {
        let mut body = json!({
            "kind": kind, "text": text, "channel": "web", "contact_phone": phone,
            "name": "张三", "address": "吴兴区爱山街道红旗路18号"
        });
        if let Some(u) = unit_id {
            body["unit_id"] = json!(u);
        }
        expect(self.submit_raw(body, None).await, StatusCode::CREATED).await
    }

    /// Submit a web appeal to `unit`; returns its id and tracking code.
    pub async fn submitted(&self, kind: &str, text: &str, phone: &str, unit: Id) -> (Id, String) {
        let created = self.submit(kind, text, phone, Some(unit)).await;
        id_and_code(&created)
    }

    /// A web appeal at station A, accepted and answered with `reply` by `handler` (one
    /// of station A's); returns its id and tracking code.
    pub async fn submitted_and_replied(
        &self,
        handler: &Session,
        kind: &str,
        text: &str,
        phone: &str,
        reply: &str,
    ) -> (Id, String) {
        let (id, code) = self
            .submitted(kind, text, phone, self.units.station_a)
            .await;
        handler.accept(id).await;
        handler.reply(id, reply).await;
        (id, code)
    }

    /// Appeal `id` as stored (it must exist).
    pub async fn appeal(&self, id: Id) -> police_square_store::Appeal {
        self.stores.appeals.appeal(id).await.unwrap().unwrap()
    }

    /// The tracking code of appeal `id`, from the store.
    pub async fn tracking_code(&self, id: Id) -> String {
        self.appeal(id).await.tracking_code
    }

    /// An appeal through the intake service, as the web form and the hotline submit
    /// one (for tests that need many, faster than over HTTP); returns its id.
    pub async fn submit_direct(&self, unit: Id, kind: AppealKind, text: &str, phone: &str) -> Id {
        let input = NewAppealInput {
            kind,
            text: text.into(),
            channel: Channel::Web,
            contact_phone: phone.into(),
            address: None,
            name: None,
            unit_id: Some(unit),
            district: None,
        };
        intake::submit(&self.state, input, None, None)
            .await
            .unwrap()
            .appeal
            .id
    }

    /// Deliver everything in the outbox now (the worker's step).
    pub async fn deliver_outbox(&self) -> outbox::DeliveryReport {
        outbox::deliver_due(&self.state).await.unwrap()
    }

    /// The newest message of `template` sent to `to`, after delivering the outbox.
    pub async fn latest_message(&self, to: &str, template: &str) -> Option<String> {
        self.deliver_outbox().await;
        LogTransport::latest_for(&self.notify_log, to, template)
            .unwrap()
            .map(|m| m.body)
    }

    /// Ask for a one-time code for the appeal `code`, as its resident does; the raw
    /// response (the code itself goes out by SMS, through the outbox).
    pub async fn ask_for_otp(&self, code: &str) -> Response {
        let path = format!("/api/v1/track/{code}/otp");
        self.http.post(self.url(&path)).send().await.unwrap()
    }

    /// Send a one-time code and read it from the log transport.
    pub async fn request_otp(&self, code: &str, phone: &str) -> String {
        expect(self.ask_for_otp(code).await, StatusCode::OK).await;
        let body = self.latest_message(phone, "otp").await.expect("otp sent");
        otp_in(&body)
    }

    /// One-time-code verification → a resident session.
    pub async fn verify_resident(&self, code: &str, phone: &str) -> Session {
        let otp = self.request_otp(code, phone).await;
        let r = self
            .http
            .post(self.url(&format!("/api/v1/track/{code}/verify")))
            .json(&json!({ "otp": otp }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        self.session_from(r, "ps_resident").await
    }

    /// The session a sign-in response opened: its `cookie` and its CSRF token.
    async fn session_from(&self, r: Response, cookie: &str) -> Session {
        let cookie = set_cookie(&r, cookie);
        let body: Value = r.json().await.unwrap();
        Session {
            base: self.base.clone(),
            http: self.http.clone(),
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn event_kinds(&self, appeal_id: Id) -> Vec<String> {
        self.stores
            .appeals
            .events(appeal_id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect()
    }

    pub fn advance_to(&self, at: Millis) {
        self.clock.set(at);
    }

    pub fn clock_now(&self) -> Millis {
        use police_square_server::Clock;
        self.clock.now()
    }
}

/// The one-time code (6 digits) in an SMS.
pub fn otp_in(message: &str) -> String {
    message
        .chars()
        .collect::<Vec<_>>()
        .windows(6)
        .map(|w| w.iter().collect::<String>())
        .find(|w| w.chars().all(|c| c.is_ascii_digit()))
        .expect("6 digits in the message")
}

/// The id and tracking code in `submit`'s 201 body.
pub fn id_and_code(created: &Value) -> (Id, String) {
    let id = created["id"].as_i64().unwrap();
    let code = created["tracking_code"].as_str().unwrap().to_owned();
    (id, code)
}

/// Local date-time for messages in assertions.
pub fn local(at: Millis) -> String {
    to_local(at).format("%Y-%m-%d %H:%M").to_string()
}
