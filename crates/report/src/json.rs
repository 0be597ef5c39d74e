//! The JSON Tumen writes for vessels, positions, tracks and events — one
//! shape whether it comes from the command line (`tumen vessels --json`,
//! `tumen track`, `tumen events --format json`) or the HTTP API.

use serde::Serialize;
use serde_json::{Map, Value, json};
use tumen_model::{Event, Imo, Mmsi, Timestamp};
use tumen_store::{PositionRow, StaticField, StaticSpan};

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

/// One position, with its record (source id and line), as the JSON
/// written for it. Borrowed and serialized directly: a day's track of a
/// busy vessel is thousands of these, and a `Value` map per position cost
/// the API more than reading them from the archive did. Fields in
/// alphabetical order, as a `serde_json` map writes them.
#[derive(Serialize)]
pub struct Position<'a> {
    class: &'static str,
    cog_deg: Option<f32>,
    heading_deg: Option<u16>,
    /// Absent in GeoJSON properties, where the geometry has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    lat: Option<f64>,
    line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    lon: Option<f64>,
    mmsi: u32,
    msg_type: u8,
    nav_status: Option<u8>,
    receiver: Option<&'a str>,
    receivers_heard: u16,
    /// `f32` is written as the shortest decimal that reads back to it
    /// (`169.4`, not `169.39999389648438`).
    sog_knots: Option<f32>,
    source_id: u32,
    #[serde(serialize_with = "as_text")]
    time: Timestamp,
    time_origin: &'static str,
}

fn as_text<S: serde::Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(t)
}

impl<'a> Position<'a> {
    /// The position with its coordinates.
    pub fn of(r: &'a PositionRow) -> Position<'a> {
        Position { lat: Some(r.lat_deg), lon: Some(r.lon_deg), ..Position::properties(r) }
    }

    /// Its fields without the coordinates (GeoJSON properties).
    pub fn properties(r: &'a PositionRow) -> Position<'a> {
        Position {
            class: r.class.as_str(),
            cog_deg: r.cog_deg,
            heading_deg: r.heading_deg,
            lat: None,
            line: r.origin.line,
            lon: None,
            mmsi: r.mmsi.0,
            msg_type: r.msg_type,
            nav_status: r.nav_status,
            receiver: r.receiver.as_deref(),
            receivers_heard: r.receivers_heard,
            sog_knots: r.sog_knots,
            source_id: r.origin.source_id,
            time: r.time,
            time_origin: r.time_origin.as_str(),
        }
    }
}

/// A track as a FeatureCollection: the line, each position as a point,
/// then each satellite sighting matched to the vessel (`sightings`,
/// `detection_match` events) as a point. Serialize it (`serde_json::to_writer`).
pub struct TrackGeoJson<'a> {
    pub mmsi: u32,
    pub rows: &'a [PositionRow],
    pub sightings: &'a [Event],
}

#[derive(Serialize)]
struct PointFeature<'a> {
    geometry: Point,
    properties: Position<'a>,
    r#type: &'static str,
}

#[derive(Serialize)]
struct Point {
    coordinates: [f64; 2],
    r#type: &'static str,
}

impl Serialize for TrackGeoJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut collection = s.serialize_struct("FeatureCollection", 2)?;
        collection.serialize_field("features", &Features(self))?;
        collection.serialize_field("type", "FeatureCollection")?;
        collection.end()
    }
}

struct Features<'a>(&'a TrackGeoJson<'a>);

impl Serialize for Features<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let TrackGeoJson { mmsi, rows, sightings } = *self.0;
        let mut features = s.serialize_seq(None)?;
        if rows.len() >= 2 {
            features.serialize_element(&json!({
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
            }))?;
        }
        for r in rows {
            features.serialize_element(&PointFeature {
                geometry: Point { coordinates: [r.lon_deg, r.lat_deg], r#type: "Point" },
                properties: Position::properties(r),
                r#type: "Feature",
            })?;
        }
        for e in sightings {
            let Some(at) = e.position else { continue };
            let mut properties = match serde_json::to_value(&e.attributes) {
                Ok(Value::Object(attributes)) => attributes,
                _ => Map::new(),
            };
            properties.insert("kind".into(), e.kind.as_str().into());
            properties.insert("time".into(), e.start.to_string().into());
            properties.insert("event_id".into(), e.id.clone().into());
            features.serialize_element(&json!({
                "type": "Feature",
                "geometry": { "type": "Point", "coordinates": [at.lon_deg, at.lat_deg] },
                "properties": properties,
            }))?;
        }
        features.end()
    }
}

/// An event with its attributes and evidence as JSON (the event's own
/// serde form).
pub fn event(e: &Event) -> Value {
    serde_json::to_value(e).expect("an event is plain JSON")
}
