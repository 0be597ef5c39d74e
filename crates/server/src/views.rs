//! What the report crate draws, served: a chain's or a vessel's report (the
//! page `tumen report` writes) and a filtered set of events on a map and a
//! timeline (SVG). The dashboard shows these; like every endpoint they are
//! part of the API.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tumen_model::Timestamp;
use tumen_report::{Basemap, ReportError, chain_case, overview, render_html, vessel_case};

use crate::api::{event_query, mmsi_of};
use crate::error::ApiError;
use crate::openapi as endpoints;
use crate::params::Params;
use crate::state::AppState;

/// Drawings are this wide (they scale to their box).
const DRAWING_PX: f64 = 1000.0;

/// A report page may hold its own style and nothing else: no script runs,
/// nothing is fetched.
const REPORT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> ApiError {
        match e {
            ReportError::NoChain(_) | ReportError::NoVessel(_) => ApiError::not_found(e.to_string()),
            ReportError::AmbiguousChain(..) => ApiError::bad_request(e.to_string()),
            other => ApiError::internal(other),
        }
    }
}

fn html(page: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, REPORT_POLICY)], page)
        .into_response()
}

fn svg(drawing: String) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], drawing).into_response()
}

/// `GET /api/chains/{id}/report`
pub async fn chain_report(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    Params::parse(query.as_deref(), &endpoints::CHAIN_REPORT)?;
    state
        .with_dataset(move |dataset, state| {
            let case = chain_case(dataset, &state.gazetteer(), &state.corridors, &id)?;
            Ok(html(render_html(&case, &Basemap::embedded(), Timestamp::now())))
        })
        .await
}

/// `GET /api/vessels/{mmsi}/report?from=&to=`
pub async fn vessel_report(
    State(state): State<Arc<AppState>>,
    Path(mmsi): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(query.as_deref(), &endpoints::VESSEL_REPORT)?;
    let mmsi = mmsi_of(&mmsi)?;
    let (from, to) = (p.time("from", false)?, p.time("to", true)?);
    state
        .with_dataset(move |dataset, state| {
            let case = vessel_case(dataset, &state.gazetteer(), mmsi, from, to)?;
            Ok(html(render_html(&case, &Basemap::embedded(), Timestamp::now())))
        })
        .await
}

/// A drawing that says there is nothing to draw.
fn nothing(what: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} 60" width="{w}" height="60" role="img" aria-label="{what}"><rect width="{w}" height="60" fill="#f4f6f7"/><text x="20" y="35" font-family="sans-serif" font-size="14" fill="#566573">{what}</text></svg>"##,
        w = DRAWING_PX
    )
}

/// `GET /api/events/map.svg` (the filters of `/api/events`)
pub async fn events_map(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(query.as_deref(), &endpoints::EVENTS_MAP)?;
    let query = event_query(&p, &state).await?;
    state
        .with_dataset(move |dataset, state| {
            let events = dataset.catalog().events(&query)?;
            let drawing = overview::events_map(&events, &state.gazetteer(), &Basemap::embedded(), DRAWING_PX);
            Ok(svg(drawing.unwrap_or_else(|| nothing("No located events match."))))
        })
        .await
}

/// `GET /api/events/timeline.svg` (the filters of `/api/events`)
pub async fn events_timeline(
    State(state): State<Arc<AppState>>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(query.as_deref(), &endpoints::EVENTS_TIMELINE)?;
    let query = event_query(&p, &state).await?;
    state
        .with_dataset(move |dataset, _| {
            let events = dataset.catalog().events(&query)?;
            Ok(svg(overview::events_timeline(&events, DRAWING_PX).unwrap_or_else(|| nothing("No events match."))))
        })
        .await
}
