//! Helpers for the HTML page tests, on top of `common` (the server-core harness):
//! the same fresh database, fixtures and manual clock, served with the pages router,
//! and a tiny cookie-keeping "browser" that posts forms with their CSRF token.

#![allow(dead_code)]

pub mod seed;

use std::{collections::BTreeMap, net::SocketAddr};

use police_square_server::AppState;
use reqwest::{header, StatusCode};

use crate::common::{self, Backend, TestApp, PASSWORD};

/// A test app whose `base` serves the whole application, pages included (and, like
/// `police-square serve`, without background workers in this process: tests deliver
/// the outbox themselves).
pub async fn spawn_pages_app(backend: Backend) -> TestApp {
    let mut app = common::spawn_app(backend).await;
    app.base = start_with_pages(app.state.clone()).await;
    app
}

pub async fn start_with_pages(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let app = police_square_server::router_with(state, police_square_server::page_routes())
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

/// One HTML response.
#[derive(Debug)]
pub struct Html {
    pub status: StatusCode,
    pub body: String,
    pub location: Option<String>,
    pub content_type: String,
}

impl Html {
    /// The `_csrf` value of the first form on the page.
    pub fn csrf(&self) -> String {
        attr_after(&self.body, "name=\"_csrf\"", "value").expect("a form with _csrf")
    }

    pub fn assert_html(&self) {
        assert!(
            self.content_type.starts_with("text/html"),
            "expected HTML, got {} ({}): {}",
            self.content_type,
            self.status,
            &self.body[..self.body.len().min(300)]
        );
    }

    pub fn assert_contains(&self, needle: &str) {
        assert!(
            self.body.contains(needle),
            "page does not contain {needle:?} (status {}):\n{}",
            self.status,
            self.body
        );
    }
}

/// `value="…"` of the tag containing `marker`.
pub fn attr_after(body: &str, marker: &str, attr: &str) -> Option<String> {
    let at = body.find(marker)?;
    let tag_start = body[..at].rfind('<')?;
    let tag_end = at + body[at..].find('>')?;
    let tag = &body[tag_start..tag_end];
    let key = format!("{attr}=\"");
    let v = tag.find(&key)? + key.len();
    let end = tag[v..].find('"')? + v;
    Some(tag[v..end].to_owned())
}

/// A cookie-keeping client that does not follow redirects.
pub struct Browser {
    pub base: String,
    http: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            base: app.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, r: reqwest::Response) -> Html {
        for v in r.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if v.contains("Max-Age=0") || val.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), val.to_owned());
            }
        }
        let status = r.status();
        let location = r
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let content_type = r
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        Html {
            status,
            body: r.text().await.unwrap(),
            location,
            content_type,
        }
    }

    pub async fn get(&mut self, path: &str) -> Html {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    /// POST a url-encoded form exactly as given (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Html {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(header::COOKIE, self.cookie_header())
            .header(header::ACCEPT, "text/html")
            .form(fields)
            .send()
            .await
            .unwrap();
        self.finish(r).await
    }

    /// POST a form with the CSRF token taken from `page` (as a browser would).
    pub async fn post(&mut self, page: &Html, path: &str, fields: &[(&str, &str)]) -> Html {
        let token = page.csrf();
        let mut all = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// POST a form with the CSRF token from `page`, expecting `status` (printing the
    /// page when it differs).
    pub async fn post_ok(
        &mut self,
        page: &Html,
        path: &str,
        fields: &[(&str, &str)],
        status: StatusCode,
    ) -> Html {
        let r = self.post(page, path, fields).await;
        assert_eq!(r.status, status, "{}", r.body);
        r
    }

    /// Accept appeal `id` with the form on `page` (its case page), expecting the
    /// redirect back.
    pub async fn accept(&mut self, page: &Html, id: i64) -> Html {
        let path = format!("/staff/appeals/{id}/accept");
        self.post_ok(page, &path, &[], StatusCode::SEE_OTHER).await
    }

    /// Sign in through the login page.
    pub async fn login(&mut self, username: &str) {
        let form = self.get("/staff/login").await;
        let r = self
            .post(
                &form,
                "/staff/login",
                &[("username", username), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login {username}: {}",
            r.body
        );
        assert!(self.cookies.contains_key("ps_session"));
    }

    /// Verify as the resident of `code` on its tracking page: ask for a one-time code,
    /// read it from the SMS to `phone`, enter it (expecting the redirect back).
    pub async fn verify_resident(&mut self, app: &TestApp, code: &str, phone: &str) {
        let track = self.get(&format!("/track/{code}")).await;
        let sent = self.post(&track, &format!("/track/{code}/otp"), &[]).await;
        let message = app.latest_message(phone, "otp").await.expect("otp sent");
        let otp = common::otp_in(&message);
        let verify = format!("/track/{code}/verify");
        self.post_ok(&sent, &verify, &[("otp", &otp)], StatusCode::SEE_OTHER)
            .await;
    }

    /// Submit an appeal through the portal form; returns the tracking code.
    pub async fn submit_appeal(
        &mut self,
        kind: &str,
        text: &str,
        phone: &str,
        name: &str,
    ) -> String {
        let form = self.get("/appeals/new").await;
        let idem = attr_after(&form.body, "name=\"idem\"", "value").unwrap();
        let r = self
            .post(
                &form,
                "/appeals/new",
                &[
                    ("kind", kind),
                    ("text", text),
                    ("contact_phone", phone),
                    ("name", name),
                    ("address", "吴兴区爱山街道红旗路18号"),
                    ("district", ""),
                    ("idem", &idem),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "submit: {}", r.body);
        attr_after(&r.body, "id=\"tracking-code\"", "data-code").expect("tracking code shown")
    }
}

/// The appeal id behind a tracking code.
pub async fn appeal_id(app: &TestApp, code: &str) -> i64 {
    app.stores
        .appeals
        .appeal_by_tracking_code(code)
        .await
        .unwrap()
        .expect("appeal exists")
        .id
}
