//! Assembling the router and running the server with its background workers.

use std::{future::Future, net::SocketAddr, time::Duration};

use anyhow::Context;
use axum::{
    extract::{DefaultBodyLimit, Request},
    http::HeaderName,
    middleware, Router,
};
use tokio::{net::TcpListener, sync::watch};
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};

use crate::{
    app::{
        api, auth, config::Config, error::AppError, hardening, jobs, pages, state::AppState,
        telemetry,
    },
    features::{
        admin, dashboard, handling, intake, opinion, reports, resident, search, supervision,
    },
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole HTTP application: the JSON API, health checks, plus `pages` (the HTML
/// portal and console, [`page_routes`]), all behind the same session/CSRF guard, body
/// limit, request ids and request logs. The HTML layer comes with the pages: without
/// any, every answer stays JSON.
pub fn router_with(state: AppState, pages: Router<AppState>) -> Router {
    let max_body = state.config.max_body_bytes;
    let with_pages = pages.has_routes();
    let app = Router::new()
        .merge(api::routes())
        .merge(pages)
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::csrf_guard,
        ));
    // Outermost for page paths, so it also renders errors from the CSRF guard and
    // the body limit as pages.
    let app = if with_pages {
        app.layer(middleware::from_fn_with_state(
            state.clone(),
            pages::html_layer,
        ))
    } else {
        app
    };
    app.layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            hardening::guard,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get(&REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %telemetry::loggable_path(request.uri().path()),
                        request_id = %id,
                    )
                })
                .on_response(
                    tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                ),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Every HTML page: the shell's static files and each feature's pages. Adding a
/// feature's pages is one line here.
pub fn page_routes() -> Router<AppState> {
    Router::new()
        .merge(pages::static_routes())
        .merge(resident::page::routes())
        .merge(handling::console::routes())
        .merge(intake::hotline_page::routes())
        .merge(supervision::page::routes())
        .merge(search::page::routes())
        .merge(dashboard::page::routes())
        .merge(reports::page::routes())
        .merge(opinion::page::routes())
        .merge(admin::settings_page::routes())
        .merge(admin::org_page::routes())
        .merge(admin::audit_page::routes())
}

/// The JSON API and health checks only.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// Connect and migrate the configured database, then serve on `listener` until
/// Ctrl-C/SIGTERM, with this node's background workers.
pub async fn serve(config: Config, listener: TcpListener) -> anyhow::Result<()> {
    let state = open_state(config).await?;
    serve_with_state(state, page_routes(), listener, shutdown_signal()).await
}

/// Connect and migrate the configured database and check the personal-data key against
/// it (see [`crate::app::keys`]): everything `serve` refuses to start without.
pub async fn open_state(config: Config) -> anyhow::Result<AppState> {
    let stores = police_square_store::connect(&config.database_url)
        .await
        .context("opening the database")?;
    stores
        .maintenance
        .migrate()
        .await
        .context("migrating the database")?;
    AppState::new(config, stores).await
}

/// Serve `state` (with `pages`) until `shutdown` completes; workers run when
/// `config.workers` is set and stop after the last request is answered.
pub async fn serve_with_state(
    state: AppState,
    pages: Router<AppState>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    // Build the text model before the first appeal arrives, not during it.
    // The urgency gate's learned part is trained once, here too.
    tokio::task::spawn_blocking(|| {
        crate::features::opinion::analysis::engine();
        police_square_text::is_emergency("");
    })
    .await?;
    // A model retrained from staff corrections, if one is stored, replaces it.
    crate::features::opinion::learning::reload(&state)
        .await
        .map_err(|e| anyhow::anyhow!(e.detail()))?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = if state.config.workers {
        jobs::schedule_periodic(&state, true).await?;
        jobs::spawn(state.clone(), stop_rx)
    } else {
        Vec::new()
    };
    tracing::info!(
        addr = %listener.local_addr()?,
        backend = state.stores.maintenance.backend(),
        node = %state.config.node_id,
        "serving"
    );
    crate::app::setup::log_setup_hints(&state)
        .await
        .map_err(|e| anyhow::anyhow!(e.detail()))?;
    let app = router_with(state, pages).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")?;
    let _ = stop_tx.send(true);
    for w in workers {
        // A worker mid-step finishes it; leases cover anything cut short.
        let _ = tokio::time::timeout(Duration::from_secs(10), w).await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
