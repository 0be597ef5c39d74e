//! Exports for other tools: events, tracks and chains as GeoJSON (QGIS,
//! pandas via GeoPandas), KML 2.2 (Google Earth; valid against the OGC
//! schema), CSV and Parquet (DuckDB, pandas).
//!
//! Each kind of record becomes [`Feature`]s once (`features.rs`); each
//! format writes features (one writer per format), so the four formats
//! agree on what a record says.

mod csv_table;
mod features;
mod geojson;
mod kml;
mod parquet_table;

use std::io::Write;

pub use features::{chain_features, event_features, track_line_features, track_point_features};
use tumen_model::{LatLon, Timestamp};

/// One record to export.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// A short name (KML's placemark name).
    pub name: String,
    pub geometry: Geometry,
    /// When it held (KML's TimeSpan, Google Earth's time slider).
    pub span: Option<(Timestamp, Timestamp)>,
    /// Named values, in column order.
    pub properties: Vec<(String, Cell)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Geometry {
    /// Not located (an identity report heard without a position).
    None,
    Point(LatLon),
    /// Lines: one for a route, several for a track broken by silences.
    Lines(Vec<Vec<LatLon>>),
}

/// A typed value: Parquet keeps the type, CSV and KML write the text.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Integer(i64),
    Number(f64),
    Time(Timestamp),
}

impl Cell {
    /// The value as text (times RFC 3339; empty for none).
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Integer(n) => n.to_string(),
            Cell::Number(x) => x.to_string(),
            Cell::Time(t) => t.to_string(),
        }
    }
}

/// The formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Geojson,
    Kml,
    Csv,
    Parquet,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error(transparent)]
    Arrow(#[from] arrow_schema::ArrowError),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
}

/// Writes `features` in `format`; `title` names the KML document.
pub fn write<W: Write + Send>(features: &[Feature], format: Format, title: &str, out: W) -> Result<(), ExportError> {
    match format {
        Format::Geojson => geojson::write(features, out),
        Format::Kml => kml::write(features, title, out),
        Format::Csv => csv_table::write(features, out),
        Format::Parquet => parquet_table::write(features, out),
    }
}

/// Writes `features` as one GeoJSON FeatureCollection (to any writer, a
/// locked standard output too: [`write()`] needs `Send` for Parquet).
pub fn write_geojson<W: Write>(features: &[Feature], out: W) -> Result<(), ExportError> {
    geojson::write(features, out)
}

/// Every column any feature has, in first-seen order (CSV and Parquet
/// need one header).
fn columns(features: &[Feature]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut columns = Vec::new();
    for feature in features {
        for (name, _) in &feature.properties {
            if seen.insert(name.as_str()) {
                columns.push(name.clone());
            }
        }
    }
    columns
}

/// A geometry as well-known text (CSV and Parquet carry it so GIS tools
/// can read lines back; points also get plain lat/lon columns).
fn wkt(geometry: &Geometry) -> Option<String> {
    use wkt::ToWkt;
    let coord = |p: &LatLon| geo_types::coord! { x: p.lon_deg, y: p.lat_deg };
    let line = |l: &Vec<LatLon>| geo_types::LineString::from_iter(l.iter().map(coord));
    match geometry {
        Geometry::None => None,
        Geometry::Point(p) => Some(geo_types::Point::from(coord(p)).wkt_string()),
        Geometry::Lines(lines) if lines.len() == 1 => Some(line(&lines[0]).wkt_string()),
        Geometry::Lines(lines) => Some(geo_types::MultiLineString::new(lines.iter().map(line).collect()).wkt_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometries_are_well_known_text() {
        let p = LatLon { lat_deg: 42.5, lon_deg: 130.25 };
        assert_eq!(wkt(&Geometry::Point(p)).as_deref(), Some("POINT(130.25 42.5)"));
        assert_eq!(wkt(&Geometry::Lines(vec![vec![p, p]])).as_deref(), Some("LINESTRING(130.25 42.5,130.25 42.5)"));
        let track = wkt(&Geometry::Lines(vec![vec![p, p], vec![p, p]])).unwrap();
        assert_eq!(track, "MULTILINESTRING((130.25 42.5,130.25 42.5),(130.25 42.5,130.25 42.5))");
        // What GIS tools read back.
        let read: geo_types::Geometry<f64> = track.parse::<wkt::Wkt<f64>>().unwrap().try_into().unwrap();
        assert!(matches!(read, geo_types::Geometry::MultiLineString(m) if m.0.len() == 2));
        assert_eq!(wkt(&Geometry::None), None);
    }
}
