//! The JSON Tumen writes for vessels, positions, tracks and events — one
//! shape whether it comes from the command line (`tumen vessels --json`,
//! `tumen track`, `tumen events --format json`) or the HTTP API.

use serde_json::{Map, Value, json};
use tumen_model::{Imo, Mmsi};
use tumen_store::{EventRecord, PositionRow, StaticField, StaticSpan};

/// A vessel: its MMSI's kind and flag, and every identity value it
/// broadcast, with when and the first report's record.
pub fn vessel(mmsi: Mmsi, history: &[StaticSpan]) -> Value {
    let spans: Vec<Value> = history
        .iter()
        .map(|s| {
            json!({
                "field": s.field.as_str(),
                "value": s.value,
                "from": s.first_time.to_string(),
                "until": s.last_time.to_string(),
                "reports": s.reports,
                "evidence": { "source_id": s.source_id, "line": s.first_line },
            })
        })
        .collect();
    let allocation = mmsi.mid_allocation();
    let mut imos: Vec<&str> = Vec::new();
    for span in history.iter().filter(|s| s.field == StaticField::Imo) {
        if !imos.contains(&span.value.as_str()) {
            imos.push(&span.value);
        }
    }
    json!({
        "mmsi": mmsi.0,
        "kind": mmsi.kind().as_str(),
        "mid": mmsi.mid(),
        "flag": allocation.map(|a| a.iso_alpha2),
        "flag_name": allocation.map(|a| a.name),
        "imo_valid": imos.iter().map(|v| v.parse::<u32>().is_ok_and(|n| Imo(n).has_valid_check_digit())).collect::<Vec<_>>(),
        "identity": spans,
    })
}

/// A position's fields without its coordinates (GeoJSON properties).
fn position_properties(r: &PositionRow) -> Map<String, Value> {
    let Value::Object(map) = json!({
        "mmsi": r.mmsi.0,
        "time": r.time.to_string(),
        "sog_knots": r.sog_knots.map(shortest),
        "cog_deg": r.cog_deg.map(shortest),
        "heading_deg": r.heading_deg,
        "nav_status": r.nav_status,
        "msg_type": r.msg_type,
        "class": r.class.as_str(),
        "receiver": r.receiver.as_deref(),
        "receivers_heard": r.receivers_heard,
        "time_origin": r.time_origin.as_str(),
        "source_id": r.origin.source_id,
        "line": r.origin.line,
    }) else {
        unreachable!("an object")
    };
    map
}

/// An `f32` as the decimal it was read from (`169.4`, not
/// `169.39999389648438`).
fn shortest(v: f32) -> f64 {
    v.to_string().parse().unwrap_or(f64::from(v))
}

/// One position, with its record (source id and line).
pub fn position(r: &PositionRow) -> Value {
    let mut map = position_properties(r);
    map.insert("lat".into(), r.lat_deg.into());
    map.insert("lon".into(), r.lon_deg.into());
    Value::Object(map)
}

/// A track as a FeatureCollection: the line, each position as a point,
/// then each satellite sighting matched to the vessel (`sightings`,
/// `detection_match` events) as a point.
pub fn track_geojson(mmsi: u32, rows: &[PositionRow], sightings: &[EventRecord]) -> Value {
    let mut features = Vec::with_capacity(rows.len() + 1);
    if rows.len() >= 2 {
        features.push(json!({
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": rows.iter().map(|r| [r.lon_deg, r.lat_deg]).collect::<Vec<_>>(),
            },
            "properties": {
                "mmsi": mmsi,
                "from": rows[0].time.to_string(),
                "to": rows[rows.len() - 1].time.to_string(),
                "positions": rows.len(),
            },
        }));
    }
    for r in rows {
        features.push(json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [r.lon_deg, r.lat_deg] },
            "properties": position_properties(r),
        }));
    }
    for e in sightings {
        let (Some(lat), Some(lon)) = (e.lat_deg, e.lon_deg) else { continue };
        let mut properties: Map<String, Value> = serde_json::from_str(&e.attributes).unwrap_or_default();
        properties.insert("kind".into(), e.kind.clone().into());
        properties.insert("time".into(), e.start.to_string().into());
        properties.insert("event_id".into(), e.id.clone().into());
        features.push(json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [lon, lat] },
            "properties": properties,
        }));
    }
    json!({ "type": "FeatureCollection", "features": features })
}

/// An event with its attributes and evidence as JSON.
pub fn event(e: &EventRecord) -> Value {
    let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
    json!({
        "id": e.id,
        "kind": e.kind,
        "mmsis": e.mmsis,
        "start": e.start.to_string(),
        "end": e.end.to_string(),
        "lat": e.lat_deg,
        "lon": e.lon_deg,
        "place": e.place,
        "confidence": e.confidence,
        "profile": e.profile,
        "attributes": parse(&e.attributes),
        "evidence": parse(&e.evidence),
    })
}
