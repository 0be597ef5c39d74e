//! The scenario's places as a GeoJSON FeatureCollection (RFC 7946:
//! coordinates are `[lon, lat]`), for QGIS and for `tumen places import`.

use serde_json::{Value, json};

use crate::world::World;

pub fn geojson(world: &World) -> Value {
    let features: Vec<Value> = world
        .places
        .iter()
        .map(|place| {
            let geometry = match &place.polygon {
                Some(polygon) => {
                    let mut ring: Vec<[f64; 2]> = polygon.exterior().coords().map(|c| [c.x, c.y]).collect();
                    if ring.first() != ring.last() {
                        ring.push(ring[0]);
                    }
                    json!({ "type": "Polygon", "coordinates": [ring] })
                }
                None => json!({ "type": "Point", "coordinates": [place.center.lon_deg, place.center.lat_deg] }),
            };
            json!({
                "type": "Feature",
                "id": place.id,
                "geometry": geometry,
                "properties": {
                    "id": place.id,
                    "name": place.name,
                    "kind": place.kind,
                    "country": place.country,
                    "watched": place.watched,
                    "radius_m": place.radius_m,
                },
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}
