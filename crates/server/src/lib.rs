//! Tumen's HTTP API (`tumen serve`): read access to a dataset for a team.
//!
//! - [`router`]: the endpoints of [`openapi::ENDPOINTS`] (`api.rs`), every
//!   one but `/health` behind the token (`auth.rs`), query parameters read
//!   strictly (`params.rs`: an unknown one is a 400), errors as JSON with a
//!   reason (`error.rs`: 4xx for what the caller got wrong).
//! - Queries run on blocking threads with pooled reading handles
//!   (`state.rs`); bounded: at most 10,000 rows, 100,000 positions, a 16 KB
//!   body and an 8 KB URI a request.
//! - The dashboard (`dashboard.rs`, `assets/`): one page, its script and
//!   styles, built into the binary; it draws the API's answers, and the
//!   maps, timelines and reports the report crate makes (`views.rs`).
//! - Alerts as they are raised: server-sent events (`stream.rs`).
//! - Nothing is served from the file system by path: there is nothing to
//!   traverse.

mod api;
mod auth;
mod dashboard;
mod error;
pub mod openapi;
mod params;
mod state;
mod stream;
mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use auth::new_token;
pub use error::ApiError;
pub use state::AppState;

/// The longest request URI accepted.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The largest request body accepted (every endpoint is a GET).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The API's routes over `state`.
pub fn router(state: Arc<AppState>) -> Router {
    let protected = Router::new()
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/vessels", get(api::vessels))
        .route("/api/vessels/{mmsi}", get(api::vessel))
        .route("/api/vessels/{mmsi}/track", get(api::track))
        .route("/api/vessels/{mmsi}/report", get(views::vessel_report))
        .route("/api/events", get(api::events))
        .route("/api/events/map.svg", get(views::events_map))
        .route("/api/events/timeline.svg", get(views::events_timeline))
        .route("/api/chains", get(api::chains))
        .route("/api/chains/{id}", get(api::chain))
        .route("/api/chains/{id}/report", get(views::chain_report))
        .route("/api/alerts", get(api::alerts))
        .route("/api/alerts/stream", get(stream::alert_stream))
        .route("/api/places", get(api::places))
        .route("/api/facilities/{site}", get(api::facility))
        .route_layer(middleware::from_fn_with_state(Arc::clone(&state), auth::require_token));
    Router::new()
        .route("/health", get(api::health))
        .route("/", get(dashboard::index))
        .route("/ui/{*page}", get(dashboard::index))
        .route("/assets/app.js", get(dashboard::script))
        .route("/assets/app.css", get(dashboard::style))
        .route("/assets/report.css", get(dashboard::report_style))
        .merge(protected)
        .fallback(|| async { ApiError::not_found("no such endpoint; see /api/openapi.json") })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(bounded_uri))
        .with_state(state)
}

async fn bounded_uri(request: Request, next: Next) -> Response {
    if request.uri().to_string().len() > MAX_URI_BYTES {
        return ApiError {
            status: StatusCode::URI_TOO_LONG,
            reason: format!("the URI is longer than {MAX_URI_BYTES} bytes"),
        }
        .into_response();
    }
    next.run(request).await
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    let stopping = Arc::clone(&state);
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown().await;
            // Alert streams never end by themselves; the shutdown waits for
            // every connection.
            stopping.alerts.close();
        })
        .await
}

/// Ctrl-C, or SIGTERM where there is one.
async fn shutdown() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
