//! Events, tracks and chains as [`Feature`]s, with flat properties (GIS
//! tools show a table of scalars; nested JSON stays as JSON text).

use tumen_chain::Chain;
use tumen_model::{Event, LatLon};
use tumen_places::Gazetteer;
use tumen_store::PositionRow;

use super::{Cell, Feature, Geometry};
use crate::describe::{day, describe, join_mmsis};
use crate::map::SILENCE_DRAWN_MS;

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn optional<T>(value: Option<T>, cell: impl Fn(T) -> Cell) -> Cell {
    value.map_or(Cell::Null, cell)
}

/// Events as points (or unlocated), with the event's fields, its
/// description, and its attributes and evidence as JSON text.
pub fn event_features(events: &[Event]) -> Vec<Feature> {
    events
        .iter()
        .map(|e| {
            let geometry = e.position.map_or(Geometry::None, Geometry::Point);
            Feature {
                name: format!("{} {}", e.kind, e.place.as_deref().unwrap_or(&join_mmsis(&e.mmsis))),
                geometry,
                span: Some((e.start, e.end)),
                properties: vec![
                    ("id".into(), text(&e.id)),
                    ("kind".into(), text(e.kind.as_str())),
                    ("mmsis".into(), text(join_mmsis(&e.mmsis))),
                    ("start".into(), Cell::Time(e.start)),
                    ("end".into(), Cell::Time(e.end)),
                    ("lat".into(), optional(e.position.map(|p| p.lat_deg), Cell::Number)),
                    ("lon".into(), optional(e.position.map(|p| p.lon_deg), Cell::Number)),
                    ("place".into(), optional(e.place.clone(), Cell::Text)),
                    ("confidence".into(), Cell::Integer(i64::from(e.confidence))),
                    ("profile".into(), text(&e.profile)),
                    ("description".into(), text(describe(e))),
                    ("records".into(), Cell::Integer(e.evidence.len() as i64)),
                    ("attributes".into(), text(e.attributes_json())),
                    ("evidence".into(), text(e.evidence_json())),
                ],
            }
        })
        .collect()
}

/// Positions as points, one row each (CSV and Parquet).
pub fn track_point_features(rows: &[PositionRow], source_name: &dyn Fn(u32) -> String) -> Vec<Feature> {
    rows.iter()
        .map(|r| Feature {
            name: r.mmsi.0.to_string(),
            geometry: Geometry::Point(LatLon { lat_deg: r.lat_deg, lon_deg: r.lon_deg }),
            span: Some((r.time, r.time)),
            properties: vec![
                ("mmsi".into(), Cell::Integer(i64::from(r.mmsi.0))),
                ("time".into(), Cell::Time(r.time)),
                ("lat".into(), Cell::Number(r.lat_deg)),
                ("lon".into(), Cell::Number(r.lon_deg)),
                ("sog_knots".into(), optional(r.sog_knots, |v| Cell::Number(f64::from(v)))),
                ("cog_deg".into(), optional(r.cog_deg, |v| Cell::Number(f64::from(v)))),
                ("heading_deg".into(), optional(r.heading_deg, |v| Cell::Integer(i64::from(v)))),
                ("nav_status".into(), optional(r.nav_status, |v| Cell::Integer(i64::from(v)))),
                ("msg_type".into(), Cell::Integer(i64::from(r.msg_type))),
                ("source".into(), text(source_name(r.origin.source_id))),
                ("line".into(), Cell::Integer(r.origin.line as i64)),
            ],
        })
        .collect()
}

/// Each vessel's positions as one feature of lines, broken where AIS was
/// silent longer than the report draws solid (GeoJSON and KML).
pub fn track_line_features(rows: &[PositionRow]) -> Vec<Feature> {
    let mut features = Vec::new();
    for vessel in rows.chunk_by(|a, b| a.mmsi == b.mmsi) {
        let mut lines: Vec<Vec<LatLon>> = vec![Vec::new()];
        let mut silences = 0i64;
        for (i, r) in vessel.iter().enumerate() {
            if i > 0 && r.time.unix_ms() - vessel[i - 1].time.unix_ms() > SILENCE_DRAWN_MS {
                lines.push(Vec::new());
                silences += 1;
            }
            lines.last_mut().expect("never empty").push(LatLon { lat_deg: r.lat_deg, lon_deg: r.lon_deg });
        }
        // A line needs two points: a lone fix is repeated.
        for line in lines.iter_mut().filter(|l| l.len() == 1) {
            line.push(line[0]);
        }
        let (first, last) = (vessel[0].time, vessel[vessel.len() - 1].time);
        features.push(Feature {
            name: vessel[0].mmsi.0.to_string(),
            geometry: Geometry::Lines(lines),
            span: Some((first, last)),
            properties: vec![
                ("mmsi".into(), Cell::Integer(i64::from(vessel[0].mmsi.0))),
                ("first".into(), Cell::Time(first)),
                ("last".into(), Cell::Time(last)),
                ("positions".into(), Cell::Integer(vessel.len() as i64)),
                ("silences".into(), Cell::Integer(silences)),
            ],
        });
    }
    features
}

/// Chains as lines from the origin to the destination and on through the
/// places of their facility spikes, nearest the landing first (a schematic
/// of the way on), with the chain's fields flat.
pub fn chain_features(chains: &[Chain], gazetteer: &Gazetteer) -> Vec<Feature> {
    chains
        .iter()
        .map(|chain| {
            let mut stops = vec![chain.origin.clone(), chain.destination.clone()];
            for reason in &chain.reasons {
                // Facility reasons start with their site: `tumangang: 75 rail_car …`.
                if let Some((site, _)) = reason.what.split_once(": ")
                    && gazetteer.get(site).is_some()
                    && !stops.iter().any(|s| s == site)
                {
                    stops.push(site.to_owned());
                }
            }
            if let Some(landing) = gazetteer.get(&chain.destination).map(|p| p.centre()) {
                let distance = |id: &String| gazetteer.get(id).map_or(f64::MAX, |p| p.centre().distance_m(landing));
                stops[2..].sort_by(|a, b| distance(a).total_cmp(&distance(b)));
            }
            let line: Vec<LatLon> = stops.iter().filter_map(|id| gazetteer.get(id)).map(|p| p.centre()).collect();
            let geometry = if line.len() >= 2 { Geometry::Lines(vec![line]) } else { Geometry::None };
            let reasons: Vec<String> = chain.reasons.iter().map(|r| format!("+{:.2} {}", r.weight, r.what)).collect();
            Feature {
                name: format!("{} → {} {}", chain.origin, chain.destination, day(chain.loading_from)),
                geometry,
                span: Some((chain.start, chain.end)),
                properties: vec![
                    ("id".into(), text(&chain.id)),
                    ("corridor".into(), text(&chain.corridor)),
                    ("vessels".into(), text(join_mmsis(&chain.vessels))),
                    ("origin".into(), text(&chain.origin)),
                    ("destination".into(), text(&chain.destination)),
                    ("loading_from".into(), Cell::Time(chain.loading_from)),
                    ("loading_to".into(), Cell::Time(chain.loading_to)),
                    ("landing_from".into(), Cell::Time(chain.landing_from)),
                    ("landing_to".into(), Cell::Time(chain.landing_to)),
                    ("start".into(), Cell::Time(chain.start)),
                    ("end".into(), Cell::Time(chain.end)),
                    ("sea_nm".into(), optional(chain.sea_nm, Cell::Number)),
                    ("rail_km".into(), optional(chain.rail_km, Cell::Number)),
                    ("confidence".into(), Cell::Number(chain.confidence)),
                    ("reasons".into(), text(reasons.join("; "))),
                    ("events".into(), text(chain.events.join("; "))),
                ],
            }
        })
        .collect()
}
