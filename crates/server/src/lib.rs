//! Tumen's HTTP API (`tumen serve`): read access to a dataset for a team.
//!
//! - [`router`]: the endpoints of [`openapi::ENDPOINTS`] (`api.rs`, `views.rs`), every
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
//! - Connections (`listen.rs`): a header timeout, and limits in all and
//!   per address, so slow or idle clients cannot take the analyst's place.
//! - Nothing is served from the file system by path: there is nothing to
//!   traverse.

mod api;
mod auth;
mod dashboard;
mod error;
mod listen;
pub mod openapi;
mod params;
mod state;
mod stream;
mod views;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};

pub use auth::new_token;
pub use error::ApiError;
pub use state::AppState;

/// The longest request URI accepted.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The largest request body accepted (every endpoint is a GET).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Each endpoint of the table with its handler (every one a GET).
fn handlers() -> Vec<(&'static openapi::Endpoint, MethodRouter<Arc<AppState>>)> {
    use openapi as e;
    vec![
        (&e::HEALTH, get(api::health)),
        (&e::OPENAPI, get(api::openapi)),
        (&e::VESSELS, get(api::vessels)),
        (&e::VESSEL, get(api::vessel)),
        (&e::TRACK, get(api::track)),
        (&e::VESSEL_REPORT, get(views::vessel_report)),
        (&e::EVENTS, get(api::events)),
        (&e::EVENTS_MAP, get(views::events_map)),
        (&e::EVENTS_TIMELINE, get(views::events_timeline)),
        (&e::CHAINS, get(api::chains)),
        (&e::CHAIN, get(api::chain)),
        (&e::CHAIN_REPORT, get(views::chain_report)),
        (&e::ALERTS, get(api::alerts)),
        (&e::ALERT_STREAM, get(stream::alert_stream)),
        (&e::PLACES, get(api::places)),
        (&e::FACILITY, get(api::facility)),
    ]
}

/// The API's routes over `state`.
pub fn router(state: Arc<AppState>) -> Router {
    let (mut open, mut protected) = (Router::new(), Router::new());
    for (endpoint, handler) in handlers() {
        if endpoint.open {
            open = open.route(endpoint.path, handler);
        } else {
            protected = protected.route(endpoint.path, handler);
        }
    }
    let protected = protected.route_layer(middleware::from_fn_with_state(Arc::clone(&state), auth::require_token));
    open.route("/", get(dashboard::index))
        .route("/ui/{*page}", get(dashboard::index))
        .route("/assets/app.js", get(dashboard::script))
        .route("/assets/app.css", get(dashboard::style))
        .route("/assets/report.css", get(dashboard::report_style))
        .merge(protected)
        .fallback(|| async { ApiError::not_found("no such endpoint; see /api/openapi.json") })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(bounded_request))
        .layer(middleware::map_response(no_sniffing))
        .with_state(state)
}

/// Refuses a URI over [`MAX_URI_BYTES`] and a body over [`MAX_BODY_BYTES`]
/// — read here, since no GET handler reads its body (a limit only a
/// reading extractor applies would never apply).
async fn bounded_request(request: Request, next: Next) -> Response {
    if request.uri().to_string().len() > MAX_URI_BYTES {
        return ApiError {
            status: StatusCode::URI_TOO_LONG,
            reason: format!("the URI is longer than {MAX_URI_BYTES} bytes"),
        }
        .into_response();
    }
    let too_large = || {
        ApiError { status: StatusCode::PAYLOAD_TOO_LARGE, reason: format!("the body is over {MAX_BODY_BYTES} bytes") }
            .into_response()
    };
    let headers = request.headers();
    let declared: Option<u64> =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    if declared.is_some_and(|n| n > 0) || headers.contains_key(header::TRANSFER_ENCODING) {
        let (parts, body) = request.into_parts();
        return match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
            Ok(bytes) => next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await,
            Err(_) => too_large(),
        };
    }
    next.run(request).await
}

/// Every answer is what its content type says: browsers must not guess
/// (a JSON error or an SVG taken for HTML).
async fn no_sniffing(mut response: Response) -> Response {
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// On a loopback address, only requests addressed to this machine by name
/// or number are answered: a web page whose domain is made to resolve to
/// 127.0.0.1 (DNS rebinding) sends its own name as `Host` and is refused,
/// so it cannot read the API through the browser of the person running it.
async fn loopback_host_only(request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if is_loopback_name(host) {
        return next.run(request).await;
    }
    ApiError {
        status: StatusCode::MISDIRECTED_REQUEST,
        reason: format!(
            "Host {host:?}: on a loopback address this server answers requests to localhost, 127.0.0.1 or [::1] only"
        ),
    }
    .into_response()
}

/// Whether a `Host` header names this machine: localhost, 127.x.x.x or
/// [::1], with or without a port.
fn is_loopback_name(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    let name = name.to_ascii_lowercase();
    name == "localhost" || name == "::1" || name.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    let stopping = Arc::clone(&state);
    let mut app = router(state);
    if listener.local_addr()?.ip().is_loopback() {
        app = app.layer(middleware::from_fn(loopback_host_only));
    }
    // Alert streams never end by themselves; the shutdown waits for every
    // connection.
    listen::serve_connections(listener, app, shutdown(), move || stopping.alerts.close()).await
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_with_or_without_ports() {
        for host in ["localhost", "localhost:8080", "127.0.0.1:3000", "127.1.2.3", "[::1]:8080", "[::1]", "LOCALHOST"] {
            assert!(is_loopback_name(host), "{host}");
        }
        for host in ["", "attacker.example", "attacker.example:8080", "127.0.0.1.evil.example", "10.0.0.1", "[::2]"] {
            assert!(!is_loopback_name(host), "{host}");
        }
    }

    #[test]
    fn every_endpoint_of_the_table_is_served_once_and_nothing_else() {
        let served: Vec<&str> = handlers().iter().map(|(e, _)| e.path).collect();
        let documented: Vec<&str> = openapi::ENDPOINTS.iter().map(|e| e.path).collect();
        assert_eq!(served, documented);
        let open: Vec<&str> = openapi::ENDPOINTS.iter().filter(|e| e.open).map(|e| e.path).collect();
        assert_eq!(open, ["/health"], "only /health is served without the token");
    }
}
