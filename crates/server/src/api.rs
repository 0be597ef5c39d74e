//! The read endpoints. Each answers JSON (tracks also GeoJSON) in the
//! shapes the command line writes (`tumen_report::json`).

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tumen_model::EventKind;
use tumen_model::{Mmsi, ObjectClass, Timestamp};
use tumen_report::json;
use tumen_store::{EventQuery, VesselQuery};

use crate::error::ApiError;
use crate::openapi as endpoints;
use crate::params::Params;
use crate::state::AppState;

type Answer = Result<Json<Value>, ApiError>;

/// The most positions one track request returns.
pub const MAX_TRACK_POSITIONS: usize = 100_000;

pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /api/openapi.json`
pub async fn openapi(RawQuery(query): RawQuery) -> Answer {
    Params::parse(query.as_deref(), &endpoints::OPENAPI)?;
    Ok(Json(crate::openapi::document()))
}

/// An MMSI ([`Mmsi::parse`]: up to nine digits, 0 included).
pub(crate) fn mmsi_of(text: &str) -> Result<u32, ApiError> {
    Mmsi::parse(text)
        .map(|m| m.0)
        .ok_or_else(|| ApiError::bad_request(format!("not an MMSI (up to nine digits): {text:?}")))
}

/// `GET /api/vessels?q=&mmsi=&imo=&limit=`
pub async fn vessels(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Answer {
    let p = Params::parse(query.as_deref(), &endpoints::VESSELS)?;
    let query = VesselQuery {
        mmsi: p.text("mmsi").map(mmsi_of).transpose()?.map(Mmsi),
        imo: p.number::<u32>("imo")?,
        name_contains: p.text("q").map(str::to_owned),
        limit: p.limit()?,
    };
    state
        .with_dataset(move |dataset, _| {
            let catalog = dataset.catalog();
            let mut found = Vec::new();
            for mmsi in catalog.find_vessels(&query)? {
                found.push(json::vessel(mmsi, &catalog.static_history(mmsi)?));
            }
            Ok(Json(Value::Array(found)))
        })
        .await
}

/// `GET /api/vessels/{mmsi}`: the identity history, watch-list hits and
/// identity conflicts.
pub async fn vessel(State(state): State<Arc<AppState>>, Path(mmsi): Path<String>, RawQuery(query): RawQuery) -> Answer {
    Params::parse(query.as_deref(), &endpoints::VESSEL)?;
    let mmsi = mmsi_of(&mmsi)?;
    state
        .with_dataset(move |dataset, _| {
            let catalog = dataset.catalog();
            let history = catalog.static_history(Mmsi(mmsi))?;
            let mut hits = Vec::new();
            for kind in [EventKind::WatchlistHit, EventKind::IdentityConflict] {
                let query =
                    EventQuery { kind: Some(kind), mmsi: Some(Mmsi(mmsi)), limit: 1_000, ..EventQuery::default() };
                hits.extend(catalog.events(&query)?.iter().map(json::event));
            }
            if history.is_empty() && hits.is_empty() {
                return Err(ApiError::not_found(format!("no identity reports of MMSI {mmsi}")));
            }
            let mut vessel = json::vessel(Mmsi(mmsi), &history);
            vessel["list_hits"] = Value::Array(hits);
            Ok(Json(vessel))
        })
        .await
}

/// `GET /api/vessels/{mmsi}/track?from=&to=&format=json|geojson`: written
/// straight from the rows (a busy vessel's day is thousands of positions).
pub async fn track(
    State(state): State<Arc<AppState>>,
    Path(mmsi): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(query.as_deref(), &endpoints::TRACK)?;
    let mmsi = mmsi_of(&mmsi)?;
    let from = p.time("from", false)?.unwrap_or(Timestamp::EARLIEST);
    let to = p.time("to", true)?.unwrap_or(Timestamp::LATEST);
    if to < from {
        return Err(ApiError::bad_request("to is before from"));
    }
    let geojson = match p.text("format").unwrap_or("json") {
        "json" => false,
        "geojson" => true,
        other => return Err(ApiError::bad_request(format!("format {other:?}: json or geojson"))),
    };
    state
        .with_dataset(move |dataset, _| {
            let rows = dataset.track(Mmsi(mmsi), from, to)?;
            if rows.len() > MAX_TRACK_POSITIONS {
                return Err(ApiError::too_large(format!(
                    "{} positions: at most {MAX_TRACK_POSITIONS} a request; narrow from and to",
                    rows.len()
                )));
            }
            if !geojson {
                let positions: Vec<json::Position> = rows.iter().map(json::Position::of).collect();
                return json_body(&positions);
            }
            let query = EventQuery {
                kind: Some(EventKind::DetectionMatch),
                mmsi: Some(Mmsi(mmsi)),
                from: Some(from),
                to: Some(to),
                limit: u64::MAX >> 1,
                ..EventQuery::default()
            };
            let sightings = dataset.catalog().events(&query)?;
            json_body(&json::TrackGeoJson { mmsi, rows: &rows, sightings: &sightings })
        })
        .await
}

/// A JSON response written from `value` without building a `Value` first.
fn json_body(value: &impl serde::Serialize) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The event filter a request's parameters give (kind and place checked
/// against what exists; a place not known yet is looked for in the dataset
/// again, in case it was imported since the server started).
pub(crate) async fn event_query(p: &Params, state: &Arc<AppState>) -> Result<EventQuery, ApiError> {
    let kind = match p.text("kind") {
        None => None,
        Some(name) => Some(EventKind::parse(name).ok_or_else(|| {
            let kinds: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            ApiError::bad_request(format!("kind {name:?}: one of {}", kinds.join(", ")))
        })?),
    };
    // Place ids are lower-case slugs; "Najin" means najin.
    let place = p.text("place").map(|p| p.trim().to_lowercase());
    if let Some(place) = &place
        && state.gazetteer().get(place).is_none()
    {
        let wanted = place.clone();
        let near = state
            .with_dataset(move |dataset, state| {
                let gazetteer = state.reload_gazetteer(dataset)?;
                Ok(if gazetteer.get(&wanted).is_some() { None } else { Some(places_like(&gazetteer, &wanted)) })
            })
            .await?;
        if let Some(near) = near {
            let hint = if near.is_empty() { String::new() } else { format!("; did you mean {}?", near.join(", ")) };
            return Err(ApiError::bad_request(format!(
                "place {place:?}: not in the gazetteer (GET /api/places lists them){hint}"
            )));
        }
    }
    Ok(EventQuery {
        kind,
        mmsi: p.text("mmsi").map(mmsi_of).transpose()?.map(Mmsi),
        place,
        from: p.time("from", false)?,
        to: p.time("to", true)?,
        limit: p.limit()?,
    })
}

/// Up to five place ids like `wanted`: those whose id or name holds it,
/// then those whose id begins as it does.
fn places_like(gazetteer: &tumen_places::Gazetteer, wanted: &str) -> Vec<String> {
    let holds = |p: &&tumen_places::Place| p.id.contains(wanted) || p.name.to_lowercase().contains(wanted);
    let prefix: String = wanted.chars().take(3).collect();
    let begins = |p: &&tumen_places::Place| !prefix.is_empty() && p.id.starts_with(&prefix);
    let places = gazetteer.places();
    let mut near: Vec<String> = places.iter().filter(holds).map(|p| p.id.clone()).collect();
    near.extend(places.iter().filter(begins).map(|p| p.id.clone()));
    let mut seen = std::collections::BTreeSet::new();
    near.retain(|id| seen.insert(id.clone()));
    near.truncate(5);
    near
}

/// `GET /api/events?kind=&mmsi=&place=&from=&to=&limit=`
pub async fn events(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Answer {
    let p = Params::parse(query.as_deref(), &endpoints::EVENTS)?;
    let query = event_query(&p, &state).await?;
    state
        .with_dataset(move |dataset, _| {
            Ok(Json(Value::Array(dataset.catalog().events(&query)?.iter().map(json::event).collect())))
        })
        .await
}

/// `GET /api/chains?min_confidence=`
pub async fn chains(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Answer {
    let p = Params::parse(query.as_deref(), &endpoints::CHAINS)?;
    let min = p.number::<f64>("min_confidence")?.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&min) {
        return Err(ApiError::bad_request("min_confidence: between 0 and 1"));
    }
    state
        .with_dataset(move |dataset, _| {
            let chains = dataset.catalog().chains(min)?;
            Ok(Json(Value::Array(
                chains.iter().map(|c| serde_json::from_str(&c.chain).unwrap_or(Value::Null)).collect(),
            )))
        })
        .await
}

/// `GET /api/chains/{id}`: the chain and the events it links (`id` may be
/// the first characters of one, as on the command line).
pub async fn chain(State(state): State<Arc<AppState>>, Path(id): Path<String>, RawQuery(query): RawQuery) -> Answer {
    Params::parse(query.as_deref(), &endpoints::CHAIN)?;
    state
        .with_dataset(move |dataset, _| {
            let catalog = dataset.catalog();
            // By id or its first characters, as on the command line.
            let mut records = catalog.chains_matching(&id)?;
            let record = match records.len() {
                0 => return Err(ApiError::not_found(format!("no chain {id:?} (GET /api/chains lists them)"))),
                1 => records.remove(0),
                _ => {
                    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
                    return Err(ApiError::bad_request(format!("{id:?} begins several chains: {}", ids.join(", "))));
                }
            };
            let mut chain: Value = serde_json::from_str(&record.chain).map_err(ApiError::internal)?;
            let ids: Vec<String> = chain["events"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e.as_str().map(str::to_owned))
                .collect();
            chain["linked_events"] = Value::Array(catalog.events_by_id(&ids)?.iter().map(json::event).collect());
            Ok(Json(chain))
        })
        .await
}

/// `GET /api/alerts?from=&to=`
pub async fn alerts(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Answer {
    let p = Params::parse(query.as_deref(), &endpoints::ALERTS)?;
    let (from, to) = (p.time("from", false)?, p.time("to", true)?);
    state
        .with_dataset(move |dataset, _| {
            let alerts = dataset.catalog().alerts(from, to)?;
            Ok(Json(Value::Array(
                alerts.iter().map(|a| serde_json::from_str(&a.alert).unwrap_or(Value::Null)).collect(),
            )))
        })
        .await
}

/// `GET /api/places`: the gazetteer as a FeatureCollection (read again:
/// places may have been imported since).
pub async fn places(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Answer {
    Params::parse(query.as_deref(), &endpoints::PLACES)?;
    state
        .with_dataset(|dataset, state| {
            let gazetteer = state.reload_gazetteer(dataset)?;
            let features: Vec<Value> = gazetteer.places().iter().map(|p| p.to_feature()).collect();
            Ok(Json(json!({ "type": "FeatureCollection", "features": features })))
        })
        .await
}

/// `GET /api/facilities/{site}?class=`: a site's counts from imagery
/// (each with its record) and the anomalies found in them.
pub async fn facility(
    State(state): State<Arc<AppState>>,
    Path(site): Path<String>,
    RawQuery(query): RawQuery,
) -> Answer {
    let p = Params::parse(query.as_deref(), &endpoints::FACILITY)?;
    let class = p
        .text("class")
        .map(|c| {
            ObjectClass::parse(c)
                .ok_or_else(|| ApiError::bad_request(format!("class {c:?}: rail_car, container, vessel, …")))
        })
        .transpose()?;
    state
        .with_dataset(move |dataset, _| {
            let catalog = dataset.catalog();
            let counts: Vec<Value> = catalog
                .observations()?
                .iter()
                .filter(|o| o.site == site && class.is_none_or(|c| o.object == c))
                .map(|o| {
                    json!({
                        "time": o.time.to_string(),
                        "class": o.object.as_str(),
                        "count": o.count,
                        "provider": o.provider,
                        "evidence": { "source_id": o.source_id, "line": o.line },
                    })
                })
                .collect();
            if counts.is_empty() {
                return Err(ApiError::not_found(format!("no counts at site {site:?}")));
            }
            let query = EventQuery {
                kind: Some(EventKind::FacilityAnomaly),
                place: Some(site.clone()),
                limit: 10_000,
                ..EventQuery::default()
            };
            let anomalies: Vec<Value> = catalog.events(&query)?.iter().map(json::event).collect();
            Ok(Json(json!({ "site": site, "counts": counts, "anomalies": anomalies })))
        })
        .await
}
