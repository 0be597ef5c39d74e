//! Scene footprints as geometry: WKT in and out, rectangles from a centre
//! and size, containment.

use geo::{Contains, Coord, LineString, Point, Polygon};
use tumen_model::{LatLon, Scene};

/// A scene's footprint as a polygon (lon/lat), if it has one.
pub fn footprint(scene: &Scene) -> Option<Polygon<f64>> {
    (scene.footprint.len() >= 4).then(|| {
        let ring: Vec<Coord<f64>> = scene.footprint.iter().map(|p| Coord { x: p.lon_deg, y: p.lat_deg }).collect();
        Polygon::new(LineString::from(ring), Vec::new())
    })
}

/// A polygon's outer ring as positions (for a [`Scene`]).
pub fn ring(polygon: &Polygon<f64>) -> Vec<LatLon> {
    polygon.exterior().coords().filter_map(|c| LatLon::new(c.y, c.x)).collect()
}

/// Whether `polygon` contains `position`.
pub fn covers(polygon: &Polygon<f64>, position: LatLon) -> bool {
    polygon.contains(&Point::new(position.lon_deg, position.lat_deg))
}

/// A polygon from WKT (`POLYGON` or the first polygon of a
/// `MULTIPOLYGON`), lon/lat.
pub fn parse_polygon_wkt(text: &str) -> Result<Polygon<f64>, String> {
    use std::str::FromStr;
    let geometry: geo::Geometry<f64> = wkt::Wkt::<f64>::from_str(text.trim())
        .map_err(|e| format!("footprint is not WKT: {e}"))?
        .try_into()
        .map_err(|e| format!("footprint WKT: {e:?}"))?;
    match geometry {
        geo::Geometry::Polygon(p) => Ok(p),
        geo::Geometry::MultiPolygon(m) => m.0.into_iter().next().ok_or_else(|| "empty MULTIPOLYGON".to_owned()),
        other => Err(format!("footprint is a {}, not a polygon", geometry_name(&other))),
    }
}

fn geometry_name(geometry: &geo::Geometry<f64>) -> &'static str {
    match geometry {
        geo::Geometry::Point(_) => "POINT",
        geo::Geometry::LineString(_) => "LINESTRING",
        _ => "geometry",
    }
}

/// A footprint from a centre and a size (the scene axis-aligned).
pub fn rectangle(center: LatLon, width_m: f64, height_m: f64) -> Polygon<f64> {
    let north = center.destination(0.0, height_m / 2.0).lat_deg;
    let south = center.destination(180.0, height_m / 2.0).lat_deg;
    let east = center.destination(90.0, width_m / 2.0).lon_deg;
    let west = center.destination(270.0, width_m / 2.0).lon_deg;
    let ring = vec![
        Coord { x: west, y: south },
        Coord { x: east, y: south },
        Coord { x: east, y: north },
        Coord { x: west, y: north },
        Coord { x: west, y: south },
    ];
    Polygon::new(LineString::from(ring), Vec::new())
}
