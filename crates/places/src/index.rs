//! The gazetteer's spatial index: "which places contain this point?" and
//! "which are within this distance?" for every report of the archive, over
//! tens of thousands of places.
//!
//! Each place is indexed by its members — a circle's centre, each centre of
//! a set of circles (a port's anchorage cells), each polygon — as their
//! bounding boxes in an R-tree. Most reports are outside every place, many
//! of them near one (ships sail along coasts lined with ports): a bit per
//! 0.05° cell says whether any member's box touches the cell, and answers
//! most of those reports with one memory read instead of a tree search. A
//! second bitmap, of 0.1° cells touched by a box grown by the widest
//! distance asked for, does the same for "within this distance".

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

/// How far beyond a member's box the cells are marked: `first_within`
/// asks about distances up to this without missing a place.
pub(crate) const MAX_NEAR_M: f64 = 20_000.0;

pub(crate) struct PlaceIndex {
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, Member>>,
    /// 0.05° cells a member's box touches (3.2 MB).
    inside: CellBits,
    /// 0.1° cells a member's box grown by [`MAX_NEAR_M`] touches (0.8 MB).
    near: CellBits,
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
        let (mut inside, mut near) = (CellBits::new(0.05), CellBits::new(0.1));
        for entry in &entries {
            let envelope = entry.geom().envelope();
            inside.mark(envelope.lower(), envelope.upper());
            let (low, high) = grown(&envelope, MAX_NEAR_M);
            near.mark(low, high);
        }
        PlaceIndex { tree: RTree::bulk_load(entries), inside, near }
    }

    /// The members whose boxes hold `p`.
    pub fn members_at(&self, p: LatLon) -> impl Iterator<Item = Member> + '_ {
        self.members_in(self.inside.holds(p), AABB::from_point([p.lon_deg, p.lat_deg]))
    }

    /// The members whose boxes come within `metres` of `p` (at most
    /// [`MAX_NEAR_M`]).
    pub fn members_near(&self, p: LatLon, metres: f64) -> impl Iterator<Item = Member> + '_ {
        debug_assert!(metres <= MAX_NEAR_M);
        let (low, high) = circle_bounds(p, metres / 1000.0);
        self.members_in(self.near.holds(p), AABB::from_corners(low, high))
    }

    /// The members whose boxes meet `envelope`; none without a search when
    /// the cells say so.
    fn members_in(&self, marked: bool, envelope: AABB<[f64; 2]>) -> impl Iterator<Item = Member> + '_ {
        marked
            .then(move || self.tree.locate_in_envelope_intersecting(&envelope))
            .into_iter()
            .flatten()
            .map(|entry| entry.data)
    }
}

/// One bit per cell of a longitude–latitude grid. Asked once per report:
/// no division on the way (a cell is found by multiplying by the cells per
/// degree, and a column wrapped round the antimeridian by a comparison).
struct CellBits {
    cells_per_deg: f64,
    columns: usize,
    rows: usize,
    bits: Vec<u64>,
}

impl CellBits {
    fn new(cell_deg: f64) -> CellBits {
        let (columns, rows) = ((360.0 / cell_deg).round() as usize, (180.0 / cell_deg).round() as usize);
        CellBits { cells_per_deg: 1.0 / cell_deg, columns, rows, bits: vec![0; (columns * rows).div_ceil(64)] }
    }

    fn row(&self, lat_deg: f64) -> usize {
        (((lat_deg + 90.0) * self.cells_per_deg) as usize).min(self.rows - 1)
    }

    /// The column of a longitude that may lie outside [-180, 180] (a box
    /// that crosses the antimeridian, by less than a turn), before wrapping.
    fn column_unwrapped(&self, lon_deg: f64) -> i64 {
        ((lon_deg + 180.0) * self.cells_per_deg).floor() as i64
    }

    fn cell(&self, row: usize, column_unwrapped: i64) -> usize {
        let columns = self.columns as i64;
        let column = if column_unwrapped < 0 {
            column_unwrapped + columns
        } else if column_unwrapped >= columns {
            column_unwrapped - columns
        } else {
            column_unwrapped
        };
        row * self.columns + column.clamp(0, columns - 1) as usize
    }

    /// Marks every cell the box from `low` to `high` ((lon, lat)) touches.
    fn mark(&mut self, low: [f64; 2], high: [f64; 2]) {
        for row in self.row(low[1])..=self.row(high[1]) {
            // A box wider than the world marks every column once.
            let columns = if high[0] - low[0] >= 360.0 {
                0..=self.columns as i64 - 1
            } else {
                self.column_unwrapped(low[0])..=self.column_unwrapped(high[0])
            };
            for column in columns {
                let cell = self.cell(row, column);
                self.bits[cell / 64] |= 1 << (cell % 64);
            }
        }
    }

    fn holds(&self, p: LatLon) -> bool {
        // A longitude of [-180, 180] makes a column of 0 or more: cut, not
        // floored (libm's floor is a call; this is once per report).
        let column = ((p.lon_deg + 180.0) * self.cells_per_deg) as i64;
        let cell = self.cell(self.row(p.lat_deg), column);
        self.bits[cell / 64] & (1 << (cell % 64)) != 0
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
