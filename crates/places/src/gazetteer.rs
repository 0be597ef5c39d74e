//! The gazetteer: named places — ports, anchorages, rail facilities, border
//! crossings, depots, zones — as GeoJSON features (a point with a radius, or
//! a polygon). Tumen ships `data/places/gazetteer.geojson` (made by
//! `scripts/make_gazetteer.py`, which says where each place comes from);
//! users add their own, and a user's place replaces a shipped one of the
//! same id.
//!
//! Reading checks every feature and reports every problem, each naming the
//! feature (its index in the file, and its id and name when it has them),
//! so a user fixes a file in one pass.

use std::fmt;
use std::sync::OnceLock;

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde_json::Value;
pub use tumen_model::PlaceKind;
use tumen_model::{EARTH_MEAN_RADIUS_M, LatLon};

static EMBEDDED: &str = include_str!("../../../data/places/gazetteer.geojson");

/// Distance from the origin to the segment from `a` to `b` (plane metres).
fn distance_to_segment(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 { (-(a.0 * dx + a.1 * dy) / length2).clamp(0.0, 1.0) } else { 0.0 };
    (a.0 + t * dx).hypot(a.1 + t * dy)
}

/// Largest radius a point place may have: beyond that it should be a
/// polygon.
pub const MAX_RADIUS_KM: f64 = 500.0;

/// A place's extent.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Everything within `radius_km` of `centre` (great-circle distance).
    Circle { centre: LatLon, radius_km: f64 },
    /// Polygons, each as rings of (lon, lat) points, closed (the first ring
    /// the outline, the others holes); a point is inside by the even-odd
    /// rule over a polygon's rings.
    Polygons(Vec<Vec<Vec<[f64; 2]>>>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// Stable: events name places by it.
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    /// ISO 3166-1 alpha-2, upper case; empty when not given.
    pub country: String,
    /// Watched places are those alerts and dark-activity rules look at.
    pub watched: bool,
    pub shape: Shape,
    pub note: String,
    /// Where the place comes from (a document, or the file it was imported
    /// from).
    pub source: String,
}

impl Place {
    pub fn contains(&self, p: LatLon) -> bool {
        match &self.shape {
            Shape::Circle { centre, radius_km } => centre.distance_m(p) <= radius_km * 1000.0,
            Shape::Polygons(polygons) => {
                polygons.iter().any(|rings| rings.iter().map(|ring| ring_crossings(ring, p)).sum::<usize>() % 2 == 1)
            }
        }
    }

    /// How far `p` is outside the place, in metres: 0 inside. Polygon edges
    /// are measured in a plane tangent at `p` (exact to metres at the
    /// tens of kilometres this is asked about).
    pub fn distance_outside_m(&self, p: LatLon) -> f64 {
        match &self.shape {
            Shape::Circle { centre, radius_km } => (centre.distance_m(p) - radius_km * 1000.0).max(0.0),
            Shape::Polygons(_) if self.contains(p) => 0.0,
            Shape::Polygons(polygons) => {
                let metres_per_deg = EARTH_MEAN_RADIUS_M.to_radians();
                let x_scale = metres_per_deg * p.lat_deg.to_radians().cos();
                let project = |q: &[f64; 2]| {
                    let dlon = (q[0] - p.lon_deg + 540.0).rem_euclid(360.0) - 180.0;
                    (dlon * x_scale, (q[1] - p.lat_deg) * metres_per_deg)
                };
                polygons
                    .iter()
                    .flatten()
                    .flat_map(|ring| ring.windows(2))
                    .map(|edge| distance_to_segment(project(&edge[0]), project(&edge[1])))
                    .fold(f64::INFINITY, f64::min)
            }
        }
    }

    /// The centre of a circle; the mean of a polygon's outline points.
    pub fn centre(&self) -> LatLon {
        match &self.shape {
            Shape::Circle { centre, .. } => *centre,
            Shape::Polygons(polygons) => {
                let outline: Vec<[f64; 2]> =
                    polygons.iter().filter_map(|rings| rings.first()).flatten().copied().collect();
                let n = outline.len().max(1) as f64;
                let (lon, lat) = outline.iter().fold((0.0, 0.0), |(x, y), p| (x + p[0], y + p[1]));
                LatLon { lat_deg: lat / n, lon_deg: lon / n }
            }
        }
    }

    /// The place as a GeoJSON feature, as [`read_geojson`] reads it back.
    pub fn to_feature(&self) -> Value {
        let mut properties = serde_json::json!({
            "id": self.id,
            "name": self.name,
            "kind": self.kind.as_str(),
            "country": self.country,
            "watched": self.watched,
            "note": self.note,
            "source": self.source,
        });
        let geometry = match &self.shape {
            Shape::Circle { centre, radius_km } => {
                properties["radius_km"] = serde_json::json!(radius_km);
                serde_json::json!({"type": "Point", "coordinates": [centre.lon_deg, centre.lat_deg]})
            }
            Shape::Polygons(polygons) if polygons.len() == 1 => {
                serde_json::json!({"type": "Polygon", "coordinates": polygons[0]})
            }
            Shape::Polygons(polygons) => serde_json::json!({"type": "MultiPolygon", "coordinates": polygons}),
        };
        serde_json::json!({"type": "Feature", "geometry": geometry, "properties": properties})
    }

    /// (min lon, min lat), (max lon, max lat) of the place.
    fn bounds(&self) -> ([f64; 2], [f64; 2]) {
        match &self.shape {
            Shape::Circle { centre, radius_km } => {
                let lat_radius = radius_km * 1000.0 / EARTH_MEAN_RADIUS_M;
                let lat_radius_deg = lat_radius.to_degrees();
                let cos_lat = centre.lat_deg.to_radians().cos().max(1e-6);
                let lon_radius_deg = (lat_radius_deg / cos_lat).min(180.0);
                (
                    [centre.lon_deg - lon_radius_deg, centre.lat_deg - lat_radius_deg],
                    [centre.lon_deg + lon_radius_deg, centre.lat_deg + lat_radius_deg],
                )
            }
            Shape::Polygons(polygons) => {
                let mut low = [f64::INFINITY; 2];
                let mut high = [f64::NEG_INFINITY; 2];
                for p in polygons.iter().flatten().flatten() {
                    low = [low[0].min(p[0]), low[1].min(p[1])];
                    high = [high[0].max(p[0]), high[1].max(p[1])];
                }
                (low, high)
            }
        }
    }
}

/// Crossings of a ray cast east from `p` with a closed ring (half-open in
/// latitude, so a vertex on the ray counts once).
fn ring_crossings(ring: &[[f64; 2]], p: LatLon) -> usize {
    ring.windows(2)
        .filter(|w| {
            let ([x1, y1], [x2, y2]) = (w[0], w[1]);
            (y1 > p.lat_deg) != (y2 > p.lat_deg) && x1 + (p.lat_deg - y1) * (x2 - x1) / (y2 - y1) > p.lon_deg
        })
        .count()
}

/// What is wrong with one feature of a GeoJSON file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeatureError {
    /// Index in the file's `features`, from 0.
    pub index: usize,
    /// The feature's `id` and `name`, when it has them.
    pub label: String,
    pub message: String,
}

impl fmt::Display for FeatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "feature {}", self.index)?;
        if !self.label.is_empty() {
            write!(f, " ({})", self.label)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a gazetteer file was refused: the whole file, or these features.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("not GeoJSON: {0}")]
    NotJson(String),
    #[error("not a GeoJSON FeatureCollection or Feature")]
    NotFeatures,
    #[error("{} feature(s) refused:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Features(Vec<FeatureError>),
}

/// Reads places from GeoJSON text (a FeatureCollection or one Feature);
/// `source` fills a feature's `source` when it has none. All or nothing:
/// any bad feature refuses the file, with every problem listed.
pub fn read_geojson(text: &str, source: &str) -> Result<Vec<Place>, GazetteerError> {
    let value: Value = serde_json::from_str(text).map_err(|e| GazetteerError::NotJson(e.to_string()))?;
    let features: Vec<&Value> = match value.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => match value.get("features").and_then(Value::as_array) {
            Some(features) => features.iter().collect(),
            None => return Err(GazetteerError::NotFeatures),
        },
        Some("Feature") => vec![&value],
        _ => return Err(GazetteerError::NotFeatures),
    };
    let mut places = Vec::new();
    let mut errors = Vec::new();
    let mut seen_ids = std::collections::HashSet::new();
    for (index, feature) in features.into_iter().enumerate() {
        match read_feature(feature, source) {
            Ok(place) => {
                if !seen_ids.insert(place.id.clone()) {
                    errors.push(FeatureError {
                        index,
                        label: label_of(feature),
                        message: format!("id \"{}\" is used by an earlier feature", place.id),
                    });
                }
                places.push(place);
            }
            Err(messages) => errors.extend(messages.into_iter().map(|message| FeatureError {
                index,
                label: label_of(feature),
                message,
            })),
        }
    }
    if errors.is_empty() { Ok(places) } else { Err(GazetteerError::Features(errors)) }
}

fn label_of(feature: &Value) -> String {
    let property = |key: &str| feature.get("properties").and_then(|p| p.get(key)).and_then(Value::as_str);
    match (property("id"), property("name")) {
        (Some(id), Some(name)) => format!("id \"{id}\", \"{name}\""),
        (Some(id), None) => format!("id \"{id}\""),
        (None, Some(name)) => format!("\"{name}\""),
        (None, None) => String::new(),
    }
}

/// One feature as a place, or every problem it has.
fn read_feature(feature: &Value, source: &str) -> Result<Place, Vec<String>> {
    let mut problems = Vec::new();
    let empty = serde_json::Map::new();
    let properties = match feature.get("properties") {
        Some(Value::Object(p)) => p,
        _ => {
            problems.push("no properties object".to_owned());
            &empty
        }
    };
    let text = |key: &str| properties.get(key).and_then(Value::as_str).map(str::trim).unwrap_or("");
    let id = text("id").to_owned();
    if id.is_empty() {
        problems.push("no \"id\" property (a stable name for the place, e.g. \"najin\")".to_owned());
    }
    let name = if text("name").is_empty() { id.clone() } else { text("name").to_owned() };
    let kind = match PlaceKind::parse(text("kind")) {
        Some(kind) => Some(kind),
        None => {
            let names: Vec<&str> = PlaceKind::ALL.iter().map(|k| k.as_str()).collect();
            problems.push(format!("kind \"{}\" is not one of {}", text("kind"), names.join(", ")));
            None
        }
    };
    let country = text("country").to_ascii_uppercase();
    if !(country.is_empty() || (country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()))) {
        problems.push(format!("country \"{country}\" is not an ISO 3166-1 alpha-2 code"));
    }
    let watched = match properties.get("watched") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            problems.push(format!("watched is {other}, not true or false"));
            false
        }
    };
    // `radius_m` is accepted too (Tumen's simulator writes it).
    let given = |key: &str| properties.get(key).filter(|v| !v.is_null());
    let radius_given = given("radius_km").or(given("radius_m")).is_some();
    let radius_km = match (given("radius_km"), given("radius_m")) {
        (Some(km), _) => km.as_f64(),
        (None, Some(m)) => m.as_f64().map(|m| m / 1000.0),
        (None, None) => None,
    };
    let shape = read_shape(feature.get("geometry"), radius_km, radius_given).map_err(|p| problems.push(p)).ok();
    match (kind, shape) {
        (Some(kind), Some(shape)) if problems.is_empty() => Ok(Place {
            id,
            name,
            kind,
            country,
            watched,
            shape,
            note: text("note").to_owned(),
            source: if text("source").is_empty() { source.to_owned() } else { text("source").to_owned() },
        }),
        _ => Err(problems),
    }
}

fn read_shape(geometry: Option<&Value>, radius_km: Option<f64>, radius_given: bool) -> Result<Shape, String> {
    let geometry = geometry.filter(|g| !g.is_null()).ok_or("no geometry")?;
    let coordinates = geometry.get("coordinates").ok_or("geometry without coordinates")?;
    match geometry.get("type").and_then(Value::as_str) {
        Some("Point") => {
            let [lon, lat] = position(coordinates)?;
            let centre =
                LatLon::new(lat, lon).ok_or_else(|| format!("point ({lat}, {lon}) is not a latitude and longitude"))?;
            let radius_km = match radius_km {
                Some(r) if r > 0.0 && r <= MAX_RADIUS_KM => r,
                Some(r) => return Err(format!("radius_km {r} is not in (0, {MAX_RADIUS_KM}]")),
                None if radius_given => return Err("radius_km is not a number".to_owned()),
                None => {
                    return Err("a point needs a \"radius_km\" (or \"radius_m\") property: how far the place reaches"
                        .to_owned());
                }
            };
            Ok(Shape::Circle { centre, radius_km })
        }
        Some("Polygon") => Ok(Shape::Polygons(vec![polygon(coordinates)?])),
        Some("MultiPolygon") => {
            let polygons = coordinates.as_array().ok_or("MultiPolygon coordinates are not an array")?;
            Ok(Shape::Polygons(polygons.iter().map(polygon).collect::<Result<_, _>>()?))
        }
        Some(other) => Err(format!("geometry type {other} is not Point, Polygon or MultiPolygon")),
        None => Err("geometry without a type".to_owned()),
    }
}

fn position(value: &Value) -> Result<[f64; 2], String> {
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

fn polygon(value: &Value) -> Result<Vec<Vec<[f64; 2]>>, String> {
    let rings = value.as_array().filter(|r| !r.is_empty()).ok_or("a polygon needs at least one ring")?;
    rings
        .iter()
        .map(|ring| {
            let points = ring.as_array().ok_or("a polygon ring is not an array of positions")?;
            let points: Vec<[f64; 2]> = points.iter().map(position).collect::<Result<_, _>>()?;
            if points.len() < 4 {
                return Err(format!("a polygon ring has {} positions; at least 4 are needed", points.len()));
            }
            if points.first() != points.last() {
                return Err("a polygon ring is not closed (its last position must repeat its first)".to_owned());
            }
            Ok(points)
        })
        .collect()
}

/// Places, indexed for "which places contain this point".
pub struct Gazetteer {
    places: Vec<Place>,
    index: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl Gazetteer {
    /// The places shipped with Tumen.
    pub fn embedded() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| {
            let places = read_geojson(EMBEDDED, "tumen gazetteer").expect("the shipped gazetteer is valid (tested)");
            Gazetteer::new(places)
        })
    }

    /// A gazetteer of `places`; of several with one id, the last is kept.
    pub fn new(places: Vec<Place>) -> Gazetteer {
        let mut by_id: Vec<Place> = Vec::with_capacity(places.len());
        for place in places {
            match by_id.iter_mut().find(|p| p.id == place.id) {
                Some(existing) => *existing = place,
                None => by_id.push(place),
            }
        }
        let index = RTree::bulk_load(
            by_id
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let (low, high) = p.bounds();
                    GeomWithData::new(Rectangle::from_corners(low, high), i)
                })
                .collect(),
        );
        Gazetteer { places: by_id, index }
    }

    /// The embedded gazetteer with the places a dataset's users imported,
    /// stored as `(id, GeoJSON feature, source)` (the catalog's `places`).
    pub fn embedded_with_imported(
        stored: impl IntoIterator<Item = (String, String, String)>,
    ) -> Result<Gazetteer, GazetteerError> {
        let mut imported = Vec::new();
        for (_id, feature, source) in stored {
            imported.extend(read_geojson(&feature, &source)?);
        }
        Ok(Gazetteer::embedded().with(imported))
    }

    /// The shipped places with `extra` added (replacing shipped ones of the
    /// same id).
    pub fn with(&self, extra: Vec<Place>) -> Gazetteer {
        Gazetteer::new(self.places.iter().cloned().chain(extra).collect())
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn get(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id == id)
    }

    /// The places that contain `p`, in gazetteer order.
    pub fn containing(&self, p: LatLon) -> Vec<&Place> {
        let mut found: Vec<usize> = self
            .index
            .locate_in_envelope_intersecting(&AABB::from_point([p.lon_deg, p.lat_deg]))
            .map(|entry| entry.data)
            .filter(|&i| self.places[i].contains(p))
            .collect();
        found.sort_unstable();
        found.into_iter().map(|i| &self.places[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Land;

    fn at(lat_deg: f64, lon_deg: f64) -> LatLon {
        LatLon::new(lat_deg, lon_deg).unwrap()
    }

    #[test]
    fn distance_outside_a_circle_and_a_polygon() {
        let place = |shape| Place {
            id: "p".into(),
            name: "p".into(),
            kind: PlaceKind::Port,
            country: String::new(),
            watched: false,
            shape,
            note: String::new(),
            source: String::new(),
        };
        let circle = place(Shape::Circle { centre: at(42.0, 131.0), radius_km: 3.0 });
        assert_eq!(circle.distance_outside_m(at(42.01, 131.0)), 0.0);
        assert!((circle.distance_outside_m(at(42.1, 131.0)) - 8_120.0).abs() < 10.0);
        // A 0.1° square; a point 0.05° of latitude north of its top edge.
        let ring = vec![[131.0, 42.0], [131.1, 42.0], [131.1, 42.1], [131.0, 42.1], [131.0, 42.0]];
        let square = place(Shape::Polygons(vec![vec![ring]]));
        assert_eq!(square.distance_outside_m(at(42.05, 131.05)), 0.0);
        assert!((square.distance_outside_m(at(42.15, 131.05)) - 5_560.0).abs() < 10.0);
    }

    #[test]
    fn the_shipped_gazetteer_has_the_places_of_the_case() {
        let g = Gazetteer::embedded();
        assert!(g.places().len() >= 70);
        for id in
            ["najin", "dunay", "vostochny", "tumangang", "khasan", "tikhoretsk-depot", "rason-peter-the-great-gulf"]
        {
            let place = g.get(id).unwrap_or_else(|| panic!("{id} is shipped"));
            assert!(place.watched, "{id} is watched");
        }
        assert_eq!(g.get("tumangang").unwrap().kind, PlaceKind::RailFacility);
        let najin: Vec<&str> = g.containing(at(42.24, 130.29)).iter().map(|p| p.id.as_str()).collect();
        assert!(najin.contains(&"najin"), "{najin:?}");
        // The sea route between Rason and Dunay runs through the corridor zone.
        for (lat, lon) in [(42.17, 130.42), (42.47, 131.30), (42.70, 132.25)] {
            assert!(g.containing(at(lat, lon)).iter().any(|p| p.id == "rason-peter-the-great-gulf"), "({lat}, {lon})");
        }
        assert!(g.containing(at(0.0, 0.0)).is_empty());
    }

    #[test]
    fn every_shipped_port_is_at_the_shore() {
        // The approximate port centres are checked against the coastline:
        // a sea port more than 5 km from any shore is a typo (river ports
        // say so in their note).
        let land = Land::embedded();
        let far: Vec<String> = Gazetteer::embedded()
            .places()
            .iter()
            .filter(|p| p.kind.is_maritime() && !p.note.contains("river port"))
            .filter_map(|place| {
                let c = place.centre();
                let km = land.distance_to_shore_km(c.lat_deg, c.lon_deg);
                (km > 5.0).then(|| format!("{} is {km:.1} km from shore", place.id))
            })
            .collect();
        assert!(far.is_empty(), "{far:#?}");
    }

    #[test]
    fn a_bad_file_is_refused_with_every_problem_named() {
        let text = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [130.3, 42.2]},
             "properties": {"id": "a", "name": "Fine", "kind": "port", "radius_km": 3}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [130.3, 92.0]},
             "properties": {"id": "b", "name": "Bad latitude", "kind": "harbour", "radius_km": 3}},
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1]]]},
             "properties": {"name": "No id"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 1]},
             "properties": {"id": "a", "kind": "depot", "radius_km": 1}}
        ]}"#;
        let Err(GazetteerError::Features(errors)) = read_geojson(text, "test") else { panic!("refused") };
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            shown.iter().any(|e| e.starts_with("feature 1 (id \"b\", \"Bad latitude\"): kind \"harbour\"")),
            "{shown:#?}"
        );
        assert!(
            shown.iter().any(|e| e.starts_with("feature 1") && e.contains("not [longitude, latitude] in degrees")),
            "{shown:#?}"
        );
        assert!(shown.iter().any(|e| e.starts_with("feature 2 (\"No id\"): no \"id\"")), "{shown:#?}");
        assert!(shown.iter().any(|e| e.starts_with("feature 2") && e.contains("at least 4")), "{shown:#?}");
        assert!(
            shown.iter().any(|e| e.starts_with("feature 3 (id \"a\")") && e.contains("earlier feature")),
            "{shown:#?}"
        );
        assert!(!shown.iter().any(|e| e.starts_with("feature 0")), "{shown:#?}");
        assert!(matches!(read_geojson("[1, 2", "t"), Err(GazetteerError::NotJson(_))));
        assert!(matches!(read_geojson("[]", "t"), Err(GazetteerError::NotFeatures)));
    }

    #[test]
    fn a_users_place_replaces_a_shipped_one_and_polygons_have_holes() {
        let text = r#"{"type": "Feature", "properties": {"id": "najin", "kind": "zone", "watched": true},
            "geometry": {"type": "Polygon", "coordinates": [
                [[130.0, 42.0], [130.6, 42.0], [130.6, 42.5], [130.0, 42.5], [130.0, 42.0]],
                [[130.2, 42.1], [130.4, 42.1], [130.4, 42.3], [130.2, 42.3], [130.2, 42.1]]]}}"#;
        let mine = read_geojson(text, "mine.geojson").unwrap();
        assert_eq!(mine[0].source, "mine.geojson");
        let g = Gazetteer::embedded().with(mine);
        assert_eq!(g.places().len(), Gazetteer::embedded().places().len());
        let najin = g.get("najin").unwrap();
        assert_eq!(najin.kind, PlaceKind::Zone);
        assert!(najin.contains(at(42.05, 130.05)));
        assert!(!najin.contains(at(42.2, 130.3)), "inside the hole");
        assert!(!najin.contains(at(42.6, 130.3)));
    }

    #[test]
    fn the_simulators_places_read_with_their_radius_in_metres() {
        let text = r#"{"type": "Feature", "geometry": {"type": "Point", "coordinates": [129.07, 35.08]},
            "properties": {"id": "busan", "kind": "port", "radius_m": 5000.0}}"#;
        let place = &read_geojson(text, "sim").unwrap()[0];
        assert_eq!(place.shape, Shape::Circle { centre: at(35.08, 129.07), radius_km: 5.0 });
    }

    #[test]
    fn a_place_survives_its_geojson_form() {
        for place in Gazetteer::embedded().places() {
            let text = place.to_feature().to_string();
            let back = read_geojson(&text, "elsewhere").unwrap();
            assert_eq!(&back[0], place);
        }
    }
}
