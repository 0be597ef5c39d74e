//! The dashboard: one page and its script and styles, built into the
//! binary (nothing is read from disk, nothing fetched from elsewhere). The
//! files hold no data — the script asks the API for it, with the token — so
//! they are served without one. Pages under `/ui/` are the same document;
//! the script draws the one its path names.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const INDEX_HTML: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const APP_CSS: &str = include_str!("../assets/app.css");

/// The dashboard runs only its own script, talks only to this server, and
/// is not framed by another site.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                      connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn file(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// `/` and `/ui/…`
pub async fn index() -> Response {
    file("text/html; charset=utf-8", INDEX_HTML)
}

pub async fn script() -> Response {
    file("text/javascript; charset=utf-8", APP_JS)
}

pub async fn style() -> Response {
    file("text/css; charset=utf-8", APP_CSS)
}

/// The report's own style sheet: the dashboard shows reports.
pub async fn report_style() -> Response {
    file("text/css; charset=utf-8", tumen_report::REPORT_STYLE)
}
