//! The gazetteer's spatial index: "which places contain this point?" and
//! "which are within this distance?" for every report of the archive, over
//! tens of thousands of places.
//!
//! Each place is indexed by its members — a circle's centre, each centre of
//! a set of circles (a port's anchorage cells), each polygon — as their
//! bounding boxes in an R-tree. Most reports are far from every place: a
//! bit per 0.1° cell says whether any member's box (grown by the widest
//! distance asked for) touches the cell, and answers those reports with one
//! memory read instead of a tree search.

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree, RTreeObject};
use tumen_model::{EARTH_MEAN_RADIUS_M, LatLon};

use crate::gazetteer::{Place, Shape};

/// A place's member: its index among the places, and which member.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Member {
    pub place: u32,
    /// The circle among a place's centres; 0 for a circle or polygons.
    pub part: u32,
}

const CELL_DEG: f64 = 0.1;
const COLUMNS: usize = 3_600;
const ROWS: usize = 1_800;

/// How far beyond a member's box the cells are marked: `first_within`
/// asks about distances up to this without missing a place.
pub(crate) const MAX_NEAR_M: f64 = 20_000.0;

pub(crate) struct PlaceIndex {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, Member>>,
    /// One bit per 0.1° cell: set when a member's box grown by
    /// [`MAX_NEAR_M`] touches it.
    occupied: Vec<u64>,
}

impl PlaceIndex {
    pub fn new(places: &[Place]) -> PlaceIndex {
        let mut entries = Vec::new();
        for (i, place) in places.iter().enumerate() {
            let boxes = match &place.shape {
                Shape::Circles { centres, radius_km } => {
                    centres.iter().map(|c| circle_bounds(*c, *radius_km)).collect()
                }
                _ => vec![place.bounds()],
            };
            for (part, (low, high)) in boxes.into_iter().enumerate() {
                let member = Member { place: i as u32, part: part as u32 };
                entries.push(GeomWithData::new(Rectangle::from_corners(low, high), member));
            }
        }
        let mut occupied = vec![0u64; (COLUMNS * ROWS).div_ceil(64)];
        for entry in &entries {
            let (low, high) = grown(&entry.geom().envelope(), MAX_NEAR_M);
            let rows = cell_row(low[1])..=cell_row(high[1]);
            for row in rows {
                // A box wider than the world marks every column once.
                let columns = if high[0] - low[0] >= 360.0 {
                    0..=COLUMNS as i64 - 1
                } else {
                    cell_column_unwrapped(low[0])..=cell_column_unwrapped(high[0])
                };
                for column in columns {
                    let cell = row * COLUMNS + column.rem_euclid(COLUMNS as i64) as usize;
                    occupied[cell / 64] |= 1 << (cell % 64);
                }
            }
        }
        PlaceIndex { tree: RTree::bulk_load(entries), occupied }
    }

    /// Whether any place may be within [`MAX_NEAR_M`] of `p`.
    fn may_be_near(&self, p: LatLon) -> bool {
        let cell = cell_row(p.lat_deg) * COLUMNS + cell_column_unwrapped(p.lon_deg).rem_euclid(COLUMNS as i64) as usize;
        self.occupied[cell / 64] & (1 << (cell % 64)) != 0
    }

    /// The members whose boxes hold `p`.
    pub fn members_at(&self, p: LatLon) -> impl Iterator<Item = Member> + '_ {
        self.members_in(p, AABB::from_point([p.lon_deg, p.lat_deg]))
    }

    /// The members whose boxes come within `metres` of `p` (at most
    /// [`MAX_NEAR_M`]).
    pub fn members_near(&self, p: LatLon, metres: f64) -> impl Iterator<Item = Member> + '_ {
        debug_assert!(metres <= MAX_NEAR_M);
        let (low, high) = circle_bounds(p, metres / 1000.0);
        self.members_in(p, AABB::from_corners(low, high))
    }

    /// The members whose boxes meet `envelope`, a box round `p` no wider
    /// than [`MAX_NEAR_M`]: none when `p`'s cell is unmarked.
    fn members_in(&self, p: LatLon, envelope: AABB<[f64; 2]>) -> impl Iterator<Item = Member> + '_ {
        let near = self.may_be_near(p);
        near.then(move || self.tree.locate_in_envelope_intersecting(&envelope))
            .into_iter()
            .flatten()
            .map(|entry| entry.data)
    }
}

/// `envelope` grown by `metres` on every side (the longitude margin taken
/// at its latitude farthest from the equator), clamped at the poles.
fn grown(envelope: &AABB<[f64; 2]>, metres: f64) -> ([f64; 2], [f64; 2]) {
    let (low, high) = (envelope.lower(), envelope.upper());
    let lat_deg = (metres / EARTH_MEAN_RADIUS_M).to_degrees();
    let widest_lat = low[1].abs().max(high[1].abs()).min(89.0);
    let lon_deg = (lat_deg / widest_lat.to_radians().cos()).min(360.0);
    ([low[0] - lon_deg, (low[1] - lat_deg).max(-90.0)], [high[0] + lon_deg, (high[1] + lat_deg).min(90.0)])
}

fn cell_row(lat_deg: f64) -> usize {
    (((lat_deg + 90.0) / CELL_DEG) as usize).min(ROWS - 1)
}

/// The column of a longitude that may lie outside [-180, 180] (a box that
/// crosses the antimeridian): wrapped by the caller.
fn cell_column_unwrapped(lon_deg: f64) -> i64 {
    ((lon_deg + 180.0) / CELL_DEG).floor() as i64
}

/// (min lon, min lat), (max lon, max lat) of a circle. A circle that
/// crosses the antimeridian is boxed past ±180° (the tree is planar: a
/// point on the other side is then missed within a few kilometres of the
/// line — no port lies there).
pub(crate) fn circle_bounds(centre: LatLon, radius_km: f64) -> ([f64; 2], [f64; 2]) {
    let lat_radius_deg = (radius_km * 1000.0 / EARTH_MEAN_RADIUS_M).to_degrees();
    let cos_lat = centre.lat_deg.to_radians().cos().max(1e-6);
    let lon_radius_deg = (lat_radius_deg / cos_lat).min(180.0);
    (
        [centre.lon_deg - lon_radius_deg, centre.lat_deg - lat_radius_deg],
        [centre.lon_deg + lon_radius_deg, centre.lat_deg + lat_radius_deg],
    )
}
