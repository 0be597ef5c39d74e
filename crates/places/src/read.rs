//! Places from GeoJSON, as Tumen writes it and as other tools (QGIS,
//! geojson.io, a shapefile converted) export it: a name and a geometry are
//! enough.
//!
//! - `id`: the property, else the feature's own `id` member, else made from
//!   the name (lower case, non-alphanumerics as `-`; a second feature whose
//!   name makes the same id gets `-2`, and so on, in file order — stable as
//!   long as the file is).
//! - property names in any case (`NAME`, `Radius_km`); `null` is absent.
//! - `kind` in any case, `port` when absent; `radius_km` (or `radius_m`) a
//!   number or a number written as text, [`DEFAULT_RADIUS_KM`] when a point
//!   has none (GFW's in-port distance); `watched` true/false, yes/no, 1/0;
//!   `country` ISO 3166-1 alpha-2 in any case.
//! - geometries Point, MultiPoint (one radius round each point), Polygon,
//!   MultiPolygon; a third coordinate is ignored; a ring whose last
//!   position does not repeat its first is closed.
//!
//! A feature that cannot be read is refused with every problem it has,
//! named by its index, id and name; the others are read.

use std::collections::HashSet;
use std::fmt;

use serde_json::{Map, Value};

use crate::gazetteer::{MAX_RADIUS_KM, Place, PlaceKind, Shape};
use crate::geojson;

/// The radius of a point place that gives none: a vessel within 3 km of a
/// port's point is in it (Global Fishing Watch's port-visit rule).
pub const DEFAULT_RADIUS_KM: f64 = 3.0;

/// One feature of a GeoJSON file that could not be read, with every
/// problem it has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureError {
    /// Index in the file's `features`, from 0.
    pub index: usize,
    /// The feature's `id` and `name`, when it has them.
    pub label: String,
    pub problems: Vec<String>,
}

impl fmt::Display for FeatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "feature {}", self.index)?;
        if !self.label.is_empty() {
            write!(f, " ({})", self.label)?;
        }
        write!(f, ": {}", self.problems.join("; "))
    }
}

/// Why a GeoJSON file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("not GeoJSON: {0}")]
    NotJson(String),
    #[error("not a GeoJSON FeatureCollection or Feature")]
    NotFeatures,
    #[error("{} feature(s) refused:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Features(Vec<FeatureError>),
}

/// What a GeoJSON file gave.
#[derive(Debug, Default)]
pub struct ReadPlaces {
    pub places: Vec<Place>,
    /// The features that could not be read, in file order.
    pub refused: Vec<FeatureError>,
}

impl ReadPlaces {
    /// The places, or every refused feature.
    pub fn all(self) -> Result<Vec<Place>, GazetteerError> {
        if self.refused.is_empty() { Ok(self.places) } else { Err(GazetteerError::Features(self.refused)) }
    }
}

/// Reads places from GeoJSON text (a FeatureCollection or one Feature);
/// `source` fills a feature's `source` when it has none.
pub fn read_geojson(text: &str, source: &str) -> Result<ReadPlaces, GazetteerError> {
    let value: Value = serde_json::from_str(text).map_err(|e| GazetteerError::NotJson(e.to_string()))?;
    let features = geojson::features(&value).ok_or(GazetteerError::NotFeatures)?;
    let mut read = ReadPlaces::default();
    let mut ids = Ids::default();
    for (index, feature) in features.into_iter().enumerate() {
        let properties = Properties::of(feature);
        let refuse = |problems| FeatureError { index, label: properties.label(), problems };
        match read_feature(feature, &properties, source, &mut ids) {
            Ok(place) => read.places.push(place),
            Err(problems) => read.refused.push(refuse(problems)),
        }
    }
    Ok(read)
}

/// A feature's properties, looked up whatever the case of their names.
struct Properties<'a> {
    map: Option<&'a Map<String, Value>>,
    feature_id: Option<String>,
}

impl<'a> Properties<'a> {
    fn of(feature: &'a Value) -> Properties<'a> {
        let feature_id = feature.get("id").and_then(|id| match id {
            Value::String(s) => Some(s.trim().to_owned()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        Properties { map: feature.get("properties").and_then(Value::as_object), feature_id }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        let map = self.map?;
        map.get(key)
            .or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
            .filter(|v| !v.is_null())
    }

    /// A text property, trimmed; numbers as written.
    fn text(&self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    fn label(&self) -> String {
        match (self.text("id").or_else(|| self.feature_id.clone()), self.text("name")) {
            (Some(id), Some(name)) => format!("id \"{id}\", \"{name}\""),
            (Some(id), None) => format!("id \"{id}\""),
            (None, Some(name)) => format!("\"{name}\""),
            (None, None) => String::new(),
        }
    }
}

/// The ids given so far, to refuse a repeated one and number made ones.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
}

impl Ids {
    fn given(&mut self, id: String) -> Result<String, String> {
        if self.used.insert(id.clone()) { Ok(id) } else { Err(format!("id \"{id}\" is used by an earlier feature")) }
    }

    fn made_from(&mut self, name: &str) -> String {
        let stem = slug(name);
        let mut id = stem.clone();
        let mut n = 1;
        while !self.used.insert(id.clone()) {
            n += 1;
            id = format!("{stem}-{n}");
        }
        id
    }
}

/// Lower case ASCII letters and digits, every other run as one `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() { "place".to_owned() } else { trimmed.to_owned() }
}

/// One feature as a place, or every problem it has.
fn read_feature(feature: &Value, properties: &Properties, source: &str, ids: &mut Ids) -> Result<Place, Vec<String>> {
    let mut problems = Vec::new();
    if feature.get("properties").is_some_and(|p| !p.is_object() && !p.is_null()) {
        problems.push("properties is not an object".to_owned());
    }
    let name = properties.text("name");
    let given_id = properties.text("id").or_else(|| properties.feature_id.clone()).filter(|id| !id.is_empty());
    if given_id.is_none() && name.is_none() {
        problems.push("neither an \"id\" nor a \"name\" property: nothing to call the place by".to_owned());
    }
    let kind = match properties.text("kind") {
        None => Some(PlaceKind::Port),
        Some(text) => PlaceKind::parse(&text.to_ascii_lowercase()).or_else(|| {
            let names: Vec<&str> = PlaceKind::ALL.iter().map(|k| k.as_str()).collect();
            problems.push(format!("kind \"{text}\" is not one of {}", names.join(", ")));
            None
        }),
    };
    let country = properties.text("country").unwrap_or_default().to_ascii_uppercase();
    if !(country.is_empty() || (country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()))) {
        problems.push(format!("country \"{country}\" is not an ISO 3166-1 alpha-2 code"));
    }
    let watched = match properties.get("watched") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) if n.as_f64() == Some(1.0) => true,
        Some(Value::Number(n)) if n.as_f64() == Some(0.0) => false,
        Some(Value::String(s)) if ["true", "yes", "1"].iter().any(|t| s.trim().eq_ignore_ascii_case(t)) => true,
        Some(Value::String(s)) if ["false", "no", "0", ""].iter().any(|t| s.trim().eq_ignore_ascii_case(t)) => false,
        Some(other) => {
            problems.push(format!("watched is {other}, not true or false"));
            false
        }
    };
    // `radius_m` is accepted too (Tumen's simulator writes it).
    let radius_km = match (number(properties, "radius_km"), number(properties, "radius_m")) {
        (Some(km), _) => Some(km),
        (None, Some(m)) => Some(m.map(|m| m / 1000.0)),
        (None, None) => None,
    };
    let radius_km = match radius_km {
        None => DEFAULT_RADIUS_KM,
        Some(Ok(r)) if r > 0.0 && r <= MAX_RADIUS_KM => r,
        Some(Ok(r)) => {
            problems.push(format!("radius_km {r} is not in (0, {MAX_RADIUS_KM}]"));
            DEFAULT_RADIUS_KM
        }
        Some(Err(text)) => {
            problems.push(format!("radius {text} is not a number"));
            DEFAULT_RADIUS_KM
        }
    };
    let shape = read_shape(feature.get("geometry"), radius_km).map_err(|p| problems.push(p)).ok();
    // A kind or shape that could not be read recorded a problem.
    let (Some(kind), Some(shape)) = (kind, shape) else { return Err(problems) };
    if !problems.is_empty() {
        return Err(problems);
    }
    let id = match given_id {
        Some(id) => ids.given(id).map_err(|p| vec![p])?,
        None => ids.made_from(name.as_deref().unwrap_or_default()),
    };
    Ok(Place {
        name: name.unwrap_or_else(|| id.clone()),
        id,
        kind,
        country,
        watched,
        shape,
        note: properties.text("note").unwrap_or_default(),
        source: properties.text("source").unwrap_or_else(|| source.to_owned()),
    })
}

/// A number property, or a number written as text; the text when it is
/// neither.
fn number(properties: &Properties, key: &str) -> Option<Result<f64, String>> {
    match properties.get(key)? {
        Value::Number(n) => Some(n.as_f64().ok_or_else(|| n.to_string())),
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => {
            Some(s.trim().parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(|| format!("\"{s}\"")))
        }
        other => Some(Err(other.to_string())),
    }
}

fn read_shape(geometry: Option<&Value>, radius_km: f64) -> Result<Shape, String> {
    let geometry = geometry.filter(|g| !g.is_null()).ok_or("no geometry")?;
    let coordinates = geometry.get("coordinates").ok_or("geometry without coordinates")?;
    match geometry.get("type").and_then(Value::as_str) {
        Some("Point") => Ok(Shape::Circle { centre: geojson::lat_lon(coordinates)?, radius_km }),
        Some("MultiPoint") => {
            let points = coordinates.as_array().filter(|p| !p.is_empty()).ok_or("a MultiPoint without points")?;
            let centres = points.iter().map(geojson::lat_lon).collect::<Result<Vec<_>, _>>()?;
            Ok(Shape::Circles { centres, radius_km })
        }
        Some("Polygon" | "MultiPolygon") => checked_polygons(geojson::polygons(geometry)?),
        Some(other) => Err(format!("geometry type {other} is not Point, MultiPoint, Polygon or MultiPolygon")),
        None => Err("geometry without a type".to_owned()),
    }
}

/// The most vertices a place's polygons may have in all: every position
/// tested against a place costs a pass over them, and a harbour's outline
/// needs hundreds, not the 500,000 of a survey (which made `tumen run`
/// take minutes instead of a second).
pub const MAX_POLYGON_VERTICES: usize = 20_000;

/// Polygons a place may have: not too many vertices, and no ring crossing
/// itself or another (the even-odd rule would make holes of the crossing's
/// lobes without a word).
fn checked_polygons(polygons: Vec<Vec<Vec<[f64; 2]>>>) -> Result<Shape, String> {
    let vertices: usize = polygons.iter().flatten().map(Vec::len).sum();
    if vertices > MAX_POLYGON_VERTICES {
        return Err(format!(
            "{vertices} vertices, over the {MAX_POLYGON_VERTICES} a place may have: simplify it first (QGIS: Vector › Geometry Tools › Simplify, 10 m)"
        ));
    }
    for (index, rings) in polygons.iter().enumerate() {
        if let Some(at) = crate::crossings::first_crossing(rings) {
            let which = if polygons.len() > 1 { format!("polygon {} ", index + 1) } else { String::new() };
            return Err(format!(
                "{which}rings cross near ({:.5}, {:.5}) (lat, lon): a self-intersecting polygon is not a place's outline",
                at[1], at[0]
            ));
        }
    }
    Ok(Shape::Polygons(polygons))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tumen_model::LatLon;

    #[test]
    fn a_crossing_or_oversized_polygon_is_refused_naming_the_feature() {
        let ring = |points: Vec<[f64; 2]>| serde_json::json!([points]);
        let big: Vec<[f64; 2]> = (0..=MAX_POLYGON_VERTICES)
            .map(|i| {
                let a = i as f64 / MAX_POLYGON_VERTICES as f64 * std::f64::consts::TAU;
                [10.0 + 0.01 * a.cos(), 53.5 + 0.01 * a.sin()]
            })
            .collect();
        let features = serde_json::json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "Bow Tie"},
             "geometry": {"type": "Polygon", "coordinates": ring(vec![[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])}},
            {"type": "Feature", "properties": {"name": "Survey"},
             "geometry": {"type": "Polygon", "coordinates": ring(big)}},
            {"type": "Feature", "properties": {"name": "Berth"},
             "geometry": {"type": "Polygon", "coordinates": ring(vec![[9.9, 53.5], [10.0, 53.5], [10.0, 53.6], [9.9, 53.6]])}}
        ]});
        let read = read_geojson(&features.to_string(), "t").unwrap();
        assert_eq!(read.places.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Berth"]);
        let refused: Vec<String> = read.refused.iter().map(ToString::to_string).collect();
        assert!(
            refused[0].contains("Bow Tie") && refused[0].contains("rings cross near (0.50000, 0.50000)"),
            "{refused:?}"
        );
        assert!(refused[1].contains("Survey") && refused[1].contains("20001 vertices"), "{refused:?}");
    }

    #[test]
    fn a_bad_feature_is_refused_with_every_problem_named_and_the_others_read() {
        let text = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [130.3, 42.2]},
             "properties": {"id": "a", "name": "Fine", "kind": "port", "radius_km": 3}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [130.3, 92.0]},
             "properties": {"id": "b", "name": "Bad latitude", "kind": "harbour", "radius_km": 3}},
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[0,0]]]},
             "properties": {"note": "No id, no name"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 1]},
             "properties": {"id": "a", "kind": "depot", "radius_km": 1}},
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 1], [2, 2]]},
             "properties": {"name": "A line"}}
        ]}"#;
        let read = read_geojson(text, "test").unwrap();
        assert_eq!(read.places.len(), 1);
        assert_eq!(read.places[0].id, "a");
        let shown: Vec<String> = read.refused.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 4, "one refusal a feature: {shown:#?}");
        assert!(shown[0].starts_with("feature 1 (id \"b\", \"Bad latitude\"): kind \"harbour\""), "{shown:#?}");
        assert!(shown[0].contains("not [longitude, latitude] in degrees"), "{shown:#?}");
        assert!(shown[1].starts_with("feature 2: neither an \"id\" nor a \"name\""), "{shown:#?}");
        assert!(shown[1].contains("at least 3"), "{shown:#?}");
        assert!(shown[2].starts_with("feature 3 (id \"a\")") && shown[2].contains("earlier feature"), "{shown:#?}");
        assert!(shown[3].starts_with("feature 4 (\"A line\")") && shown[3].contains("LineString"), "{shown:#?}");
        let all = read_geojson(text, "test").unwrap().all();
        assert!(matches!(all, Err(GazetteerError::Features(refused)) if refused.len() == 4));
        assert!(matches!(read_geojson("[1, 2", "t"), Err(GazetteerError::NotJson(_))));
        assert!(matches!(read_geojson("[]", "t"), Err(GazetteerError::NotFeatures)));
    }

    #[test]
    fn a_qgis_export_reads_with_a_name_and_a_geometry() {
        // What QGIS writes for a layer of points with a NAME attribute and
        // one of polygons with text fields: upper-case names, numbers as
        // text, nulls, a crs member, z coordinates, feature ids.
        let text = r#"{"type": "FeatureCollection", "name": "berths",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": [
            {"type": "Feature", "properties": {"fid": 1, "NAME": "Quay Nord", "Kind": "Anchorage", "RADIUS_KM": "1.5",
             "country": "de", "watched": "yes", "note": null},
             "geometry": {"type": "Point", "coordinates": [9.95, 53.54, 0.0]}},
            {"type": "Feature", "properties": {"fid": 2, "NAME": "Quay Nord"},
             "geometry": {"type": "Point", "coordinates": [9.96, 53.55]}},
            {"type": "Feature", "id": 7, "properties": {"name": "Basin", "kind": "ZONE"},
             "geometry": {"type": "Polygon", "coordinates": [[[9.9, 53.5], [10.0, 53.5], [10.0, 53.6], [9.9, 53.6]]]}}
        ]}"#;
        let read = read_geojson(text, "berths.geojson").unwrap();
        assert!(read.refused.is_empty(), "{:#?}", read.refused);
        let [quay, quay2, basin] = &read.places[..] else { panic!("three places: {:#?}", read.places) };
        assert_eq!((quay.id.as_str(), quay.name.as_str(), quay.kind), ("quay-nord", "Quay Nord", PlaceKind::Anchorage));
        assert_eq!(quay.radius_km(), Some(1.5));
        assert_eq!((quay.country.as_str(), quay.watched, quay.note.as_str()), ("DE", true, ""));
        assert_eq!(
            (quay2.id.as_str(), quay2.kind, quay2.radius_km()),
            ("quay-nord-2", PlaceKind::Port, Some(DEFAULT_RADIUS_KM))
        );
        assert_eq!((basin.id.as_str(), basin.kind), ("7", PlaceKind::Zone));
        assert!(basin.contains(LatLon::new(53.55, 9.95).unwrap()), "the open ring is closed");
        assert_eq!(slug("  Port of Göta älv / Terminal 2 "), "port-of-g-ta-lv-terminal-2");
    }

    #[test]
    fn a_radius_that_is_not_a_number_is_named() {
        let text = r#"{"type": "Feature", "properties": {"name": "X", "radius_km": "three"},
            "geometry": {"type": "Point", "coordinates": [9.95, 53.54]}}"#;
        let read = read_geojson(text, "t").unwrap();
        assert_eq!(read.refused[0].to_string(), "feature 0 (\"X\"): radius \"three\" is not a number");
    }
}
