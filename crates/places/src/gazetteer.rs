//! The gazetteer: named places — ports, anchorages, rail facilities, border
//! crossings, depots, zones — as GeoJSON features (a point with a radius, a
//! set of points with one radius, or a polygon). Tumen ships two files: its
//! curated places, `data/places/gazetteer.geojson` (the case's places and
//! the ports of its seas, made by `scripts/make_gazetteer.py`, which says
//! where each comes from), and the world's ports and anchorages,
//! `data/places/world.geojson` (Global Fishing Watch's named anchorages and
//! the World Port Index, made by `scripts/make_world_places.py`). Curated
//! places come first: where places overlap, the first that contains a
//! point names it. Users add their own, and a user's place replaces a
//! shipped one of the same id. Reading the GeoJSON is [`crate::read`]'s.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;
pub use tumen_model::PlaceKind;
use tumen_model::{EARTH_MEAN_RADIUS_M, LatLon};

use crate::index::{MAX_NEAR_M, Member, PlaceIndex, circle_bounds};
pub use crate::read::{FeatureError, GazetteerError, ReadPlaces, read_geojson};

static CURATED: &str = include_str!("../../../data/places/gazetteer.geojson");
static WORLD: &str = include_str!("../../../data/places/world.geojson");

/// How far `p` is outside the circle of `radius_km` round `centre`, in
/// metres: 0 inside.
fn outside_circle_m(centre: LatLon, radius_km: f64, p: LatLon) -> f64 {
    (centre.distance_m(p) - radius_km * 1000.0).max(0.0)
}

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
    /// Everything within `radius_km` of any of `centres`: a port as the
    /// anchorage cells where vessels stop (GeoJSON: a MultiPoint with a
    /// radius).
    Circles { centres: Vec<LatLon>, radius_km: f64 },
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
            Shape::Circle { centre, radius_km } => outside_circle_m(*centre, *radius_km, p) == 0.0,
            Shape::Circles { centres, radius_km } => centres.iter().any(|c| outside_circle_m(*c, *radius_km, p) == 0.0),
            Shape::Polygons(polygons) => {
                polygons.iter().any(|rings| rings.iter().map(|ring| ring_crossings(ring, p)).sum::<usize>() % 2 == 1)
            }
        }
    }

    /// Whether one member of the place (the circle `part` of a set of
    /// circles; the whole place otherwise) contains `p`.
    pub(crate) fn member_contains(&self, part: u32, p: LatLon) -> bool {
        match &self.shape {
            Shape::Circles { .. } => self.member_distance_outside_m(part, p) == 0.0,
            _ => self.contains(p),
        }
    }

    /// How far `p` is outside one member of the place, in metres.
    pub(crate) fn member_distance_outside_m(&self, part: u32, p: LatLon) -> f64 {
        match &self.shape {
            Shape::Circles { centres, radius_km } => outside_circle_m(centres[part as usize], *radius_km, p),
            _ => self.distance_outside_m(p),
        }
    }

    /// How far `p` is outside the place, in metres: 0 inside. Polygon edges
    /// are measured in a plane tangent at `p` (exact to metres at the
    /// tens of kilometres this is asked about).
    pub fn distance_outside_m(&self, p: LatLon) -> f64 {
        match &self.shape {
            Shape::Circle { centre, radius_km } => outside_circle_m(*centre, *radius_km, p),
            Shape::Circles { centres, radius_km } => {
                centres.iter().map(|c| outside_circle_m(*c, *radius_km, p)).fold(f64::INFINITY, f64::min)
            }
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

    /// The centre of a circle; the mean of a set of circles' centres or of
    /// a polygon's outline points.
    pub fn centre(&self) -> LatLon {
        match &self.shape {
            Shape::Circle { centre, .. } => *centre,
            Shape::Circles { centres, .. } => {
                let n = centres.len().max(1) as f64;
                let (lat, lon) = centres.iter().fold((0.0, 0.0), |(y, x), c| (y + c.lat_deg, x + c.lon_deg));
                LatLon { lat_deg: lat / n, lon_deg: lon / n }
            }
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
            Shape::Circles { centres, radius_km } => {
                properties["radius_km"] = serde_json::json!(radius_km);
                let points: Vec<[f64; 2]> = centres.iter().map(|c| [c.lon_deg, c.lat_deg]).collect();
                serde_json::json!({"type": "MultiPoint", "coordinates": points})
            }
            Shape::Polygons(polygons) if polygons.len() == 1 => {
                serde_json::json!({"type": "Polygon", "coordinates": polygons[0]})
            }
            Shape::Polygons(polygons) => serde_json::json!({"type": "MultiPolygon", "coordinates": polygons}),
        };
        serde_json::json!({"type": "Feature", "geometry": geometry, "properties": properties})
    }

    /// The radius of a circle or of a set of circles.
    pub fn radius_km(&self) -> Option<f64> {
        match &self.shape {
            Shape::Circle { radius_km, .. } | Shape::Circles { radius_km, .. } => Some(*radius_km),
            Shape::Polygons(_) => None,
        }
    }

    /// (min lon, min lat), (max lon, max lat) of the place.
    pub(crate) fn bounds(&self) -> ([f64; 2], [f64; 2]) {
        match &self.shape {
            Shape::Circle { centre, radius_km } => circle_bounds(*centre, *radius_km),
            Shape::Circles { centres, radius_km } => centres
                .iter()
                .map(|c| circle_bounds(*c, *radius_km))
                .fold(([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]), |(low, high), (l, h)| {
                    ([low[0].min(l[0]), low[1].min(l[1])], [high[0].max(h[0]), high[1].max(h[1])])
                }),
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

/// Places, indexed for "which places contain this point" and "which are
/// near it" (`index`).
pub struct Gazetteer {
    places: Vec<Place>,
    /// How many of the places come first whatever is added: the curated
    /// places and users' own; the world's follow.
    leading: usize,
    by_id: HashMap<String, usize>,
    index: PlaceIndex,
}

impl Gazetteer {
    /// The places shipped with Tumen: the curated ones, then the world's
    /// ports and anchorages.
    pub fn embedded() -> &'static Gazetteer {
        static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
        GAZETTEER.get_or_init(|| {
            let read = |text, source| {
                read_geojson(text, source).and_then(ReadPlaces::all).expect("the shipped places are valid (tested)")
            };
            let mut places = read(CURATED, "tumen gazetteer");
            let leading = places.len();
            places.extend(read(WORLD, "tumen world places"));
            Gazetteer::ordered(places, leading)
        })
    }

    /// A gazetteer of `places`; of several with one id, the last is kept,
    /// in the place of the first.
    pub fn new(places: Vec<Place>) -> Gazetteer {
        let leading = places.len();
        Gazetteer::ordered(places, leading)
    }

    /// A gazetteer of `places` whose first `leading` stay ahead of whatever
    /// [`Gazetteer::with`] adds.
    fn ordered(places: Vec<Place>, leading: usize) -> Gazetteer {
        let mut by_id: HashMap<String, usize> = HashMap::with_capacity(places.len());
        let mut kept: Vec<Place> = Vec::with_capacity(places.len());
        let mut kept_leading = 0;
        for (i, place) in places.into_iter().enumerate() {
            match by_id.get(&place.id) {
                Some(&at) => kept[at] = place,
                None => {
                    by_id.insert(place.id.clone(), kept.len());
                    kept.push(place);
                    kept_leading += usize::from(i < leading);
                }
            }
        }
        let index = PlaceIndex::new(&kept);
        Gazetteer { leading: kept_leading, places: kept, by_id, index }
    }

    /// The embedded gazetteer with the places a dataset's users imported,
    /// as `(GeoJSON feature, source file)` (the catalog's `places`).
    pub fn embedded_with_imported(
        stored: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Gazetteer, GazetteerError> {
        let mut imported = Vec::new();
        for (feature, source) in stored {
            imported.extend(read_geojson(&feature, &source).and_then(ReadPlaces::all)?);
        }
        Ok(Gazetteer::embedded().with(imported))
    }

    /// These places with `extra` added: one with the id of a place here
    /// replaces it where it stands; the others come after the curated (and
    /// earlier added) places and before the world's, so that a user's port
    /// names what it contains before a world anchorage that overlaps it.
    pub fn with(&self, extra: Vec<Place>) -> Gazetteer {
        let (mut replacing, mut new) = (HashMap::new(), Vec::new());
        for place in extra {
            match self.by_id.get(&place.id) {
                Some(&i) => {
                    replacing.insert(i, place);
                }
                None => new.push(place),
            }
        }
        // Of several new places with one id, the last is kept (`ordered`).
        let leading = self.leading + new.len();
        let mut places: Vec<Place> = Vec::with_capacity(self.places.len() + new.len());
        let mut current = |i: usize| replacing.remove(&i).unwrap_or_else(|| self.places[i].clone());
        places.extend((0..self.leading).map(&mut current));
        places.extend(new);
        places.extend((self.leading..self.places.len()).map(&mut current));
        Gazetteer::ordered(places, leading)
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn get(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&i| &self.places[i])
    }

    /// The places that contain `p`, in gazetteer order.
    pub fn containing(&self, p: LatLon) -> Vec<&Place> {
        let mut found: Vec<u32> =
            self.members_keeping(self.index.members_at(p), |place, part| place.member_contains(part, p)).collect();
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|i| &self.places[i as usize]).collect()
    }

    /// The first place in gazetteer order that contains `p` and is `wanted`.
    pub fn first_containing(&self, p: LatLon, wanted: impl Fn(&Place) -> bool) -> Option<&Place> {
        let found = self
            .members_keeping(self.index.members_at(p), |place, part| wanted(place) && place.member_contains(part, p));
        found.min().map(|i| &self.places[i as usize])
    }

    /// The first place in gazetteer order that is `wanted` and within
    /// `metres` of `p`, inside it or not.
    pub fn first_within(&self, p: LatLon, metres: f64, wanted: impl Fn(&Place) -> bool) -> Option<&Place> {
        if metres > MAX_NEAR_M {
            // Beyond what the index marks: every place is looked at.
            return self.places.iter().find(|place| wanted(place) && place.distance_outside_m(p) <= metres);
        }
        let found = self.members_keeping(self.index.members_near(p, metres), |place, part| {
            wanted(place) && place.member_distance_outside_m(part, p) <= metres
        });
        found.min().map(|i| &self.places[i as usize])
    }

    /// The indices of the places of the `members` that `keep` keeps.
    fn members_keeping<'a>(
        &'a self,
        members: impl Iterator<Item = Member> + 'a,
        keep: impl Fn(&Place, u32) -> bool + 'a,
    ) -> impl Iterator<Item = u32> + 'a {
        members.filter(move |m| keep(&self.places[m.place as usize], m.part)).map(|m| m.place)
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
        let curated = read_geojson(CURATED, "curated").unwrap().places;
        let far: Vec<String> = curated
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
    fn a_users_place_replaces_a_shipped_one_and_polygons_have_holes() {
        let text = r#"{"type": "Feature", "properties": {"id": "najin", "kind": "zone", "watched": true},
            "geometry": {"type": "Polygon", "coordinates": [
                [[130.0, 42.0], [130.6, 42.0], [130.6, 42.5], [130.0, 42.5], [130.0, 42.0]],
                [[130.2, 42.1], [130.4, 42.1], [130.4, 42.3], [130.2, 42.3], [130.2, 42.1]]]}}"#;
        let mine = read_geojson(text, "mine.geojson").unwrap().places;
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
        let place = &read_geojson(text, "sim").unwrap().places[0];
        assert_eq!(place.shape, Shape::Circle { centre: at(35.08, 129.07), radius_km: 5.0 });
    }

    #[test]
    fn a_place_survives_its_geojson_form() {
        for place in Gazetteer::embedded().places().iter().step_by(7) {
            let text = place.to_feature().to_string();
            let back = read_geojson(&text, "elsewhere").unwrap().places;
            assert_eq!(&back[0], place);
        }
    }

    #[test]
    fn the_world_is_shipped_and_found_through_the_index() {
        let g = Gazetteer::embedded();
        assert!(g.places().len() > 7_000, "{}", g.places().len());
        // Curated places come first.
        assert_eq!(g.places()[0].id, "najin");
        // Ports the real tracks call at: Bruges (a canal port), Barranquilla
        // (on the Magdalena), Suez Bay's anchorage.
        for (lat, lon, what) in [(51.23, 3.22, "bruges"), (10.97, -74.77, "barranquilla"), (29.93, 32.55, "suez")] {
            let found: Vec<&str> = g.containing(at(lat, lon)).iter().map(|p| p.id.as_str()).collect();
            assert!(found.iter().any(|id| id.contains(what)), "{what}: {found:?}");
        }
        assert!(g.containing(at(0.0, -30.0)).is_empty(), "mid-Atlantic");
        assert!(g.first_within(at(0.0, -30.0), 20_000.0, |_| true).is_none());
    }

    #[test]
    fn the_index_agrees_with_a_scan_of_every_place() {
        // Points on a grid over busy coasts, and near the shipped places.
        let g = Gazetteer::embedded();
        let mut points: Vec<LatLon> = g.places().iter().step_by(13).map(|p| p.centre()).collect();
        for i in 0..400 {
            let lat = 30.0 + f64::from(i % 20) * 0.37;
            let lon = 120.0 + f64::from(i / 20) * 0.41;
            points.push(at(lat, lon));
        }
        for p in points {
            let scanned: Vec<&str> =
                g.places().iter().filter(|place| place.contains(p)).map(|place| place.id.as_str()).collect();
            let indexed: Vec<&str> = g.containing(p).iter().map(|place| place.id.as_str()).collect();
            assert_eq!(indexed, scanned, "at {p:?}");
            assert_eq!(g.first_containing(p, |_| true).map(|x| x.id.as_str()), scanned.first().copied());
            let near = g.places().iter().find(|place| place.distance_outside_m(p) <= 10_000.0);
            assert_eq!(
                g.first_within(p, 10_000.0, |_| true).map(|x| x.id.as_str()),
                near.map(|x| x.id.as_str()),
                "near {p:?}"
            );
        }
    }

    #[test]
    fn a_set_of_circles_is_a_place() {
        let text = r#"{"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[10.0, 50.0], [10.1, 50.0]]},
            "properties": {"name": "Two cells", "radius_km": 3}}"#;
        let place = read_geojson(text, "t").unwrap().places.remove(0);
        assert!(place.contains(at(50.0, 10.1)) && place.contains(at(50.0, 10.0)));
        // Half-way between the two centres (7.15 km apart): 575 m outside.
        assert!(!place.contains(at(50.0, 10.05)));
        assert!((place.distance_outside_m(at(50.0, 10.05)) - 575.0).abs() < 10.0);
        let g = Gazetteer::new(vec![place]);
        assert_eq!(g.containing(at(50.0, 10.1)).len(), 1);
        assert!(g.first_within(at(50.0, 10.05), 600.0, |_| true).is_some());
        assert!(g.first_within(at(50.0, 10.05), 550.0, |_| true).is_none());
    }

    #[test]
    fn a_users_new_place_comes_before_the_worlds() {
        // A user's polygon over Singapore's anchorages, where the world has
        // GFW's cells too: the user's place names the point.
        let text = r#"{"type": "Feature", "properties": {"id": "my-anchorage", "kind": "anchorage"},
            "geometry": {"type": "Polygon", "coordinates": [[[103.6, 1.1], [104.1, 1.1], [104.1, 1.4], [103.6, 1.4], [103.6, 1.1]]]}}"#;
        let mine = read_geojson(text, "mine").unwrap().places;
        let g = Gazetteer::embedded().with(mine);
        let singapore = at(1.25, 103.85);
        let ids: Vec<&str> = g.containing(singapore).iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.first(), Some(&"my-anchorage"), "{ids:?}");
        assert!(ids.contains(&"gfw-sgp-singapore"), "{ids:?}");
        assert_eq!(g.places()[0].id, "najin");
        assert_eq!(g.places().len(), Gazetteer::embedded().places().len() + 1);
    }

    #[test]
    fn new_places_added_twice_over_stay_ahead_of_the_worlds() {
        // Two new places of one id (the last kept), then another: both new
        // places come before the first world place.
        let feature = |id: &str, lon: f64| {
            format!(
                r#"{{"type": "Feature", "properties": {{"id": "{id}"}}, "geometry": {{"type": "Point", "coordinates": [{lon}, 10.0]}}}}"#
            )
        };
        let twice =
            [feature("mine", 1.0), feature("mine", 2.0)].map(|f| read_geojson(&f, "t").unwrap().places.remove(0));
        let g = Gazetteer::embedded().with(twice.to_vec());
        let g = g.with(read_geojson(&feature("other", 3.0), "t").unwrap().places);
        let curated = read_geojson(CURATED, "curated").unwrap().places.len();
        let ids: Vec<&str> = g.places()[curated..curated + 3].iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids[..2], ["mine", "other"], "{ids:?}");
        assert!(ids[2].starts_with("gfw-"), "{ids:?}");
        assert_eq!(g.get("mine").unwrap().centre().lon_deg, 2.0);
    }
}
