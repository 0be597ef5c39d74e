//! GeoJSON (RFC 7946): one FeatureCollection; unlocated features carry a
//! null geometry, as the RFC allows.

use std::io::Write;

use serde_json::{Map, Value, json};

use super::{Cell, ExportError, Feature, Geometry};

pub fn write<W: Write>(features: &[Feature], mut out: W) -> Result<(), ExportError> {
    // Written feature by feature: a year of tracks need not sit in memory
    // twice.
    out.write_all(br#"{"type":"FeatureCollection","features":["#)?;
    for (i, feature) in features.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &to_json(feature))?;
    }
    out.write_all(b"]}\n")?;
    out.flush()?;
    Ok(())
}

fn to_json(feature: &Feature) -> Value {
    let position = |p: &tumen_model::LatLon| json!([p.lon_deg, p.lat_deg]);
    let geometry = match &feature.geometry {
        Geometry::None => Value::Null,
        Geometry::Point(p) => json!({"type": "Point", "coordinates": position(p)}),
        Geometry::Lines(lines) if lines.len() == 1 => {
            json!({"type": "LineString", "coordinates": lines[0].iter().map(position).collect::<Vec<_>>()})
        }
        Geometry::Lines(lines) => json!({
            "type": "MultiLineString",
            "coordinates": lines.iter().map(|l| l.iter().map(position).collect::<Vec<_>>()).collect::<Vec<_>>(),
        }),
    };
    let mut properties = Map::new();
    for (name, cell) in &feature.properties {
        let value = match cell {
            Cell::Null => Value::Null,
            Cell::Text(text) => Value::String(text.clone()),
            Cell::Integer(n) => json!(n),
            Cell::Number(x) => json!(x),
            Cell::Time(t) => Value::String(t.to_string()),
        };
        properties.insert(name.clone(), value);
    }
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}
