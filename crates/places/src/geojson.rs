//! GeoJSON in (RFC 7946): the features of a text and their geometries,
//! checked — the one reader of places (`tumen places import`) and of
//! satellite detections and scene footprints (`tumen detections import`).
//! Positions are `[longitude, latitude]` in degrees; a polygon's rings are
//! closed when they are not.

use serde_json::Value;
use tumen_model::LatLon;

/// A polygon: its rings (the first the exterior), each a closed list of
/// `[longitude, latitude]` positions.
pub type Rings = Vec<Vec<[f64; 2]>>;

/// The features of a GeoJSON value: a FeatureCollection's, or a lone
/// Feature; `None` for anything else.
pub fn features(value: &Value) -> Option<Vec<&Value>> {
    match value.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => value.get("features").and_then(Value::as_array).map(|f| f.iter().collect()),
        Some("Feature") => Some(vec![value]),
        _ => None,
    }
}

/// A position as a latitude and longitude.
pub fn lat_lon(value: &Value) -> Result<LatLon, String> {
    let [lon, lat] = position(value)?;
    LatLon::new(lat, lon).ok_or_else(|| format!("point ({lat}, {lon}) is not a latitude and longitude"))
}

/// A position: `[longitude, latitude]` (an altitude after them is ignored).
pub fn position(value: &Value) -> Result<[f64; 2], String> {
    match value.as_array().map(Vec::as_slice) {
        Some([lon, lat, ..]) => match (lon.as_f64(), lat.as_f64()) {
            (Some(lon), Some(lat)) if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => {
                Ok([lon, lat])
            }
            _ => Err(format!("position {value} is not [longitude, latitude] in degrees")),
        },
        _ => Err(format!("position {value} is not [longitude, latitude]")),
    }
}

/// The polygons of a `Polygon` or `MultiPolygon` geometry.
pub fn polygons(geometry: &Value) -> Result<Vec<Rings>, String> {
    let coordinates = geometry.get("coordinates").ok_or("geometry without coordinates")?;
    match geometry.get("type").and_then(Value::as_str) {
        Some("Polygon") => Ok(vec![polygon(coordinates)?]),
        Some("MultiPolygon") => {
            let polygons = coordinates.as_array().ok_or("MultiPolygon coordinates are not an array")?;
            polygons.iter().map(polygon).collect()
        }
        Some(other) => Err(format!("geometry type {other} is not Polygon or MultiPolygon")),
        None => Err("geometry without a type".to_owned()),
    }
}

/// One polygon's rings from its coordinates.
fn polygon(value: &Value) -> Result<Rings, String> {
    let rings = value.as_array().filter(|r| !r.is_empty()).ok_or("a polygon needs at least one ring")?;
    rings
        .iter()
        .map(|ring| {
            let points = ring.as_array().ok_or("a polygon ring is not an array of positions")?;
            let mut points: Vec<[f64; 2]> = points.iter().map(position).collect::<Result<_, _>>()?;
            if points.first() != points.last() {
                points.push(points[0]);
            }
            if points.len() < 4 {
                return Err(format!(
                    "a polygon ring has {} distinct positions; at least 3 are needed",
                    points.len() - 1
                ));
            }
            Ok(points)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn features_of_a_collection_or_a_lone_feature() {
        let point = json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [130.3, 42.2]}});
        assert_eq!(features(&point).unwrap().len(), 1);
        assert_eq!(features(&json!({"type": "FeatureCollection", "features": [point, point]})).unwrap().len(), 2);
        assert!(features(&json!({"type": "Point", "coordinates": [0, 0]})).is_none());
        assert!(features(&json!({"type": "FeatureCollection"})).is_none());
    }

    #[test]
    fn polygons_are_closed_and_checked() {
        let open = json!({"type": "Polygon", "coordinates": [[[130.0, 42.0], [130.1, 42.0], [130.1, 42.1]]]});
        let rings = &polygons(&open).unwrap()[0];
        assert_eq!(rings[0].len(), 4);
        assert_eq!(rings[0][0], rings[0][3]);
        let multi =
            json!({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1]]], [[[2, 2], [3, 2], [3, 3]]]]});
        assert_eq!(polygons(&multi).unwrap().len(), 2);
        let line = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0]]]});
        assert!(polygons(&line).unwrap_err().contains("at least 3"));
        let swapped = json!({"type": "Polygon", "coordinates": [[[42.0, 130.0], [42.1, 130.0], [42.1, 130.1]]]});
        assert!(polygons(&swapped).unwrap_err().contains("[longitude, latitude] in degrees"));
        assert!(lat_lon(&json!([130.3, 42.2, 5.0])).is_ok());
    }
}
