//! The places a rule watches, with a quick reject: most positions are far
//! from every watched place, and are turned away by one distance to the
//! place's centre.

use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE};
use tumen_places::{Place, Shape};

pub struct Zone<'g> {
    pub place: &'g Place,
    centre: LatLon,
    /// No point of the place is farther than this from its centre.
    reach_m: f64,
}

impl<'g> Zone<'g> {
    pub fn new(place: &'g Place) -> Zone<'g> {
        let centre = place.centre();
        let reach_m = match &place.shape {
            Shape::Circle { radius_km, .. } => radius_km * 1000.0,
            Shape::Circles { centres, radius_km } => {
                centres.iter().map(|c| centre.distance_m(*c)).fold(0.0, f64::max) + radius_km * 1000.0
            }
            Shape::Polygons(polygons) => polygons
                .iter()
                .flatten()
                .flatten()
                .map(|p| centre.distance_m(LatLon { lat_deg: p[1], lon_deg: p[0] }))
                .fold(0.0, f64::max),
        };
        Zone { place, centre, reach_m }
    }

    pub fn contains(&self, p: LatLon) -> bool {
        self.centre.distance_m(p) <= self.reach_m && self.place.contains(p)
    }

    /// Whether `p` is inside the place or within `nm` of it.
    pub fn within_nm(&self, p: LatLon, nm: f64) -> bool {
        let margin_m = nm * METRES_PER_NAUTICAL_MILE;
        self.centre.distance_m(p) <= self.reach_m + margin_m && self.place.distance_outside_m(p) <= margin_m
    }
}
