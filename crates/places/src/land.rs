//! Land polygons and coastline queries, from Natural Earth 1:10m land
//! (public domain), shipped in `data/land/ne-10m-land.bin` — made by
//! `scripts/make_land.py`, which documents the format. Its coordinates are
//! quantized to ~300 m × ~190 m; the coastline is Natural Earth's at
//! 1:10 million, within about a kilometre of the true shore.
//!
//! Both queries go through R-trees of the coastline's segments:
//! - on land: a ray cast east from the point along its latitude counts the
//!   segments it crosses (odd = inside); the tree finds the few segments
//!   that cross that latitude east of the point. A 0.1° grid remembers, for
//!   each cell without coastline, whether it is land or sea, so most points
//!   are answered from memory;
//! - distance to shore: a second R-tree holds the same segments as chords
//!   between points on the unit sphere, so the nearest one is a plain
//!   nearest-neighbour search (no projection, no seam at ±180°); the chord
//!   distance becomes a great-circle distance (segments are a few hundred
//!   metres long: the chord's sag under the arc is centimetres).

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use rstar::primitives::CachedEnvelope;
use rstar::{AABB, PointDistance, RTree, RTreeObject};

const EARTH_RADIUS_KM: f64 = tumen_model::EARTH_MEAN_RADIUS_M / 1000.0;

static EMBEDDED: &[u8] = include_bytes!("../../../data/land/ne-10m-land.bin");
const MAGIC: &[u8] = b"TUMENLAND1";

#[derive(Debug, thiserror::Error)]
pub enum LandError {
    #[error("land data: {0}")]
    Format(&'static str),
}

/// One coastline segment, (lon, lat) degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Segment {
    from: [f64; 2],
    to: [f64; 2],
}

impl RTreeObject for Segment {
    type Envelope = AABB<[f64; 2]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(self.from, self.to)
    }
}

/// One coastline segment as a chord between unit vectors.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Chord {
    from: [f64; 3],
    to: [f64; 3],
}

impl RTreeObject for Chord {
    type Envelope = AABB<[f64; 3]>;

    fn envelope(&self) -> Self::Envelope {
        AABB::from_corners(self.from, self.to)
    }
}

impl PointDistance for Chord {
    fn distance_2(&self, point: &[f64; 3]) -> f64 {
        let d = sub(self.to, self.from);
        let length_squared = dot(d, d);
        let t =
            if length_squared == 0.0 { 0.0 } else { (dot(sub(*point, self.from), d) / length_squared).clamp(0.0, 1.0) };
        let nearest = [self.from[0] + t * d[0], self.from[1] + t * d[1], self.from[2] + t * d[2]];
        let e = sub(*point, nearest);
        dot(e, e)
    }
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// (lon, lat) degrees as a unit vector.
fn unit_vector([lon, lat]: [f64; 2]) -> [f64; 3] {
    let (lon, lat) = (lon.to_radians(), lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The land of the Earth, indexed for point queries.
pub struct Land {
    /// (lon, lat) segments, for the ray cast.
    coast: RTree<CachedEnvelope<Segment>>,
    /// The same on the unit sphere, for nearest-shore queries.
    coast_on_sphere: RTree<CachedEnvelope<Chord>>,
    /// What each 0.1° cell is: most cells hold no coastline, so a point in
    /// them is on land exactly when the cell's centre is — one ray cast per
    /// cell, remembered, instead of one per point (detectors ask for every
    /// position of the archive).
    cells: Vec<AtomicU8>,
    /// The rings as they are, for drawing maps (f32: a metre's precision,
    /// half the memory).
    rings: Vec<Ring>,
}

/// One coastline ring (or line), (lon, lat) degrees, with its bounding box.
pub(crate) struct Ring {
    lon_min: f64,
    lat_min: f64,
    lon_max: f64,
    lat_max: f64,
    pub(crate) points: Vec<[f32; 2]>,
}

impl Ring {
    pub(crate) fn with_capacity(points: u32) -> Ring {
        Ring {
            lon_min: f64::MAX,
            lat_min: f64::MAX,
            lon_max: f64::MIN,
            lat_max: f64::MIN,
            points: Vec::with_capacity(points.min(1 << 20) as usize),
        }
    }

    pub(crate) fn push(&mut self, [lon, lat]: [f64; 2]) {
        self.lon_min = self.lon_min.min(lon);
        self.lon_max = self.lon_max.max(lon);
        self.lat_min = self.lat_min.min(lat);
        self.lat_max = self.lat_max.max(lat);
        self.points.push([lon as f32, lat as f32]);
    }

    /// Whether the ring's bounding box meets the given one.
    pub(crate) fn meets(&self, lon_min: f64, lat_min: f64, lon_max: f64, lat_max: f64) -> bool {
        self.lon_max >= lon_min && self.lon_min <= lon_max && self.lat_max >= lat_min && self.lat_min <= lat_max
    }
}

/// Rings that meet a bounding box, as (lon, lat) points.
pub(crate) fn rings_meeting(
    rings: &[Ring],
    lon_min: f64,
    lat_min: f64,
    lon_max: f64,
    lat_max: f64,
) -> Vec<&[[f32; 2]]> {
    rings.iter().filter(|r| r.meets(lon_min, lat_min, lon_max, lat_max)).map(|r| r.points.as_slice()).collect()
}

const CELL_DEG: f64 = 0.1;
const CELL_COLUMNS: usize = 3_600;
const CELL_ROWS: usize = 1_800;
/// Cell states.
const UNKNOWN: u8 = 0;
const SEA: u8 = 1;
const LAND: u8 = 2;
const COAST: u8 = 3;

/// The cell a point is in (points on a cell's lower or left edge belong to
/// it; the poles and the antimeridian clamp to the last cell).
fn cell_of(lat_deg: f64, lon_deg: f64) -> usize {
    let row = (((lat_deg + 90.0) / CELL_DEG).floor().max(0.0) as usize).min(CELL_ROWS - 1);
    let column = (((lon_deg + 180.0) / CELL_DEG).floor().max(0.0) as usize).min(CELL_COLUMNS - 1);
    row * CELL_COLUMNS + column
}

impl Land {
    /// The land shipped with Tumen, parsed and indexed once per process
    /// (~0.5 s on two cores).
    pub fn embedded() -> &'static Land {
        static LAND: OnceLock<Land> = OnceLock::new();
        LAND.get_or_init(|| Land::parse(EMBEDDED).expect("the embedded land data is well formed (tested)"))
    }

    /// Reads the format `scripts/make_land.py` writes.
    pub fn parse(bytes: &[u8]) -> Result<Land, LandError> {
        let mut input = Input { bytes };
        if input.take(MAGIC.len())? != MAGIC {
            return Err(LandError::Format("not a Tumen land file"));
        }
        let (scale_lon, scale_lat, translate_lon, translate_lat) =
            (input.f64()?, input.f64()?, input.f64()?, input.f64()?);
        // The coastline as it is (for distances), and as the ray cast needs
        // it: rings that cross the antimeridian cut there and closed along
        // it (see `cut_at_antimeridian`).
        let mut shore = Vec::new();
        let mut segments = Vec::new();
        let mut rings = Vec::new();
        for _ in 0..input.u32()? {
            for _ in 0..input.u32()? {
                let points = input.u32()?;
                let mut ring = Ring::with_capacity(points);
                let (mut x, mut y) = (0i64, 0i64);
                let mut previous: Option<[f64; 2]> = None;
                let mut crossings = Vec::new();
                for _ in 0..points {
                    x += input.zigzag_varint()?;
                    y += input.zigzag_varint()?;
                    let point = [x as f64 * scale_lon + translate_lon, y as f64 * scale_lat + translate_lat];
                    ring.push(point);
                    if let Some(from) = previous.filter(|&from| from != point) {
                        let segment = Segment { from, to: point };
                        shore.push(segment);
                        cut_at_antimeridian(segment, &mut segments, &mut crossings);
                    }
                    previous = Some(point);
                }
                close_along_antimeridian(&mut crossings, &mut segments);
                if !ring.points.is_empty() {
                    rings.push(ring);
                }
            }
        }
        if !input.bytes.is_empty() {
            return Err(LandError::Format("bytes after the last polygon"));
        }
        let chords =
            shore.iter().map(|s| Chord { from: unit_vector(s.from), to: unit_vector(s.to) }).collect::<Vec<_>>();
        let cells: Vec<AtomicU8> = (0..CELL_ROWS * CELL_COLUMNS).map(|_| AtomicU8::new(UNKNOWN)).collect();
        for segment in &segments {
            // Every cell the segment's bounding box touches (segments are a
            // few hundred metres: one to four cells).
            let (low, high) = (
                cell_of(segment.from[1].min(segment.to[1]), segment.from[0].min(segment.to[0])),
                cell_of(segment.from[1].max(segment.to[1]), segment.from[0].max(segment.to[0])),
            );
            let (row_low, row_high) = (low / CELL_COLUMNS, high / CELL_COLUMNS);
            let (column_low, column_high) = (low % CELL_COLUMNS, high % CELL_COLUMNS);
            for row in row_low..=row_high {
                for column in column_low..=column_high {
                    cells[row * CELL_COLUMNS + column].store(COAST, Ordering::Relaxed);
                }
            }
        }
        // Envelopes cached: bulk loading sorts by them again and again
        // (four times faster than recomputing them), and the two trees are
        // built side by side.
        let (coast, coast_on_sphere) = std::thread::scope(|scope| {
            let sphere = scope.spawn(|| RTree::bulk_load(chords.into_iter().map(CachedEnvelope::new).collect()));
            let coast = RTree::bulk_load(segments.into_iter().map(CachedEnvelope::new).collect());
            (coast, sphere.join().expect("building an R-tree does not panic"))
        });
        Ok(Land { coast, coast_on_sphere, cells, rings })
    }

    /// The coastline rings whose bounding box meets the given one, as
    /// (lon, lat) degrees, for drawing: land is inside an odd number of
    /// them (the even-odd rule; holes are lakes).
    pub fn rings_within(&self, lon_min: f64, lat_min: f64, lon_max: f64, lat_max: f64) -> Vec<&[[f32; 2]]> {
        rings_meeting(&self.rings, lon_min, lat_min, lon_max, lat_max)
    }

    /// Whether (lat, lon) is on land (Natural Earth's land: lakes count as
    /// land, as they do there).
    pub fn is_on_land(&self, lat_deg: f64, lon_deg: f64) -> bool {
        if !(lat_deg.is_finite() && lon_deg.is_finite()) {
            return false;
        }
        let index = cell_of(lat_deg, lon_deg);
        let cell = &self.cells[index];
        match cell.load(Ordering::Relaxed) {
            SEA => false,
            LAND => true,
            COAST => self.ray_cast(lat_deg, lon_deg),
            _ => {
                // No coastline in the cell: the whole cell is what its
                // centre is.
                let centre_lat = (index / CELL_COLUMNS) as f64 * CELL_DEG - 90.0 + CELL_DEG / 2.0;
                let centre_lon = (index % CELL_COLUMNS) as f64 * CELL_DEG - 180.0 + CELL_DEG / 2.0;
                let land = self.ray_cast(centre_lat, centre_lon);
                cell.store(if land { LAND } else { SEA }, Ordering::Relaxed);
                land
            }
        }
    }

    /// The exact test: a ray cast east along the latitude.
    fn ray_cast(&self, lat_deg: f64, lon_deg: f64) -> bool {
        let ray = AABB::from_corners([lon_deg, lat_deg], [180.0, lat_deg]);
        let crossings = self
            .coast
            .locate_in_envelope_intersecting(&ray)
            .filter(|s| {
                // Half-open in latitude, so a ray through a vertex counts
                // the two segments meeting there once between them.
                let ([x1, y1], [x2, y2]) = (s.from, s.to);
                if (y1 > lat_deg) == (y2 > lat_deg) {
                    return false;
                }
                let x_at = x1 + (lat_deg - y1) * (x2 - x1) / (y2 - y1);
                x_at > lon_deg
            })
            .count();
        crossings % 2 == 1
    }

    /// Distance from (lat, lon) to the nearest coastline, km (on land or at
    /// sea alike).
    pub fn distance_to_shore_km(&self, lat_deg: f64, lon_deg: f64) -> f64 {
        let point = unit_vector([lon_deg, lat_deg]);
        match self.coast_on_sphere.nearest_neighbor(&point) {
            Some(chord) => {
                let chord_length = chord.distance_2(&point).sqrt();
                2.0 * (chord_length / 2.0).min(1.0).asin() * EARTH_RADIUS_KM
            }
            None => f64::INFINITY,
        }
    }
}

/// Adds `segment` to the ray-cast segments. Natural Earth's rings cross
/// the antimeridian (Fiji, Chukotka, Wrangel Island, Antarctica) with
/// segments whose ends are more than 180° of longitude apart — the short
/// way round is across ±180°, but taken literally they span the whole map
/// and every ray at their latitude would cross them. Such a segment is cut
/// at ±180° (pieces of no length dropped) and the latitude it crossed at is
/// recorded in `crossings`; one that only moves along the seam (from -180°
/// to +180°) records the latitude where it reaches +180°.
fn cut_at_antimeridian(segment: Segment, segments: &mut Vec<Segment>, crossings: &mut Vec<f64>) {
    let ([x1, y1], [x2, y2]) = (segment.from, segment.to);
    if (x2 - x1).abs() <= 180.0 {
        segments.push(segment);
        return;
    }
    if x1.abs() == 180.0 && x2.abs() == 180.0 {
        crossings.push(if x2 > 0.0 { y2 } else { y1 });
        return;
    }
    // Unwrap the second end next to the first; find where it meets ±180°.
    let edge = 180.0_f64.copysign(x1);
    let x2_unwrapped = x2 + 360.0_f64.copysign(x1);
    let y = y1 + (edge - x1) * (y2 - y1) / (x2_unwrapped - x1);
    for piece in [Segment { from: [x1, y1], to: [edge, y] }, Segment { from: [-edge, y], to: [x2, y2] }] {
        if piece.from != piece.to {
            segments.push(piece);
        }
    }
    crossings.push(y);
}

/// A ring cut at the antimeridian is open there, and an eastward ray cast
/// stops at +180°: it must cross the ring's edge along +180° where the ring
/// lies on both sides. The crossings are joined in pairs, in latitude
/// order, by segments along +180° (a ring round a pole, which crosses an
/// odd number of times, is closed through that pole).
fn close_along_antimeridian(crossings: &mut Vec<f64>, segments: &mut Vec<Segment>) {
    if crossings.len() % 2 == 1 {
        crossings.push(if crossings[0] < 0.0 { -90.0 } else { 90.0 });
    }
    crossings.sort_by(f64::total_cmp);
    for pair in crossings.chunks_exact(2) {
        if pair[0] != pair[1] {
            segments.push(Segment { from: [180.0, pair[0]], to: [180.0, pair[1]] });
        }
    }
}

/// A cursor over the land file.
pub(crate) struct Input<'a> {
    pub(crate) bytes: &'a [u8],
}

impl<'a> Input<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], LandError> {
        let (head, rest) = self.bytes.split_at_checked(n).ok_or(LandError::Format("truncated"))?;
        self.bytes = rest;
        Ok(head)
    }

    pub(crate) fn u32(&mut self) -> Result<u32, LandError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| LandError::Format("truncated"))?))
    }

    pub(crate) fn f64(&mut self) -> Result<f64, LandError> {
        Ok(f64::from_le_bytes(self.take(8)?.try_into().map_err(|_| LandError::Format("truncated"))?))
    }

    pub(crate) fn zigzag_varint(&mut self) -> Result<i64, LandError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Ok((value >> 1) as i64 ^ -((value & 1) as i64));
            }
        }
        Err(LandError::Format("varint too long"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_places_of_the_case_are_on_the_right_side_of_the_shore() {
        let land = Land::embedded();
        // Towns and rail facilities inland.
        for (name, lat, lon) in [
            ("Tumangang rail facility", 42.4217, 130.6026),
            ("Khasan", 42.4301, 130.6449),
            ("Tikhoretsk", 45.8547, 40.1253),
            ("Moscow", 55.7558, 37.6173),
            ("Pyongyang", 39.0392, 125.7625),
        ] {
            assert!(land.is_on_land(lat, lon), "{name} should be on land");
        }
        // Open water on the route and in the seas of the gazetteer.
        for (name, lat, lon) in [
            ("Sea of Japan off Rason", 42.0, 131.0),
            ("Peter the Great Gulf", 42.6, 131.9),
            ("Yellow Sea", 36.0, 123.5),
            ("Black Sea", 43.5, 34.0),
            ("Sea of Azov", 46.0, 36.5),
            ("mid-Pacific", 0.0, -160.0),
        ] {
            assert!(!land.is_on_land(lat, lon), "{name} should be at sea");
        }
    }

    #[test]
    fn distance_to_shore_is_measured_in_kilometres() {
        let land = Land::embedded();
        // Najin harbour: the port point is within a couple of km of the
        // coastline.
        assert!(land.distance_to_shore_km(42.2333, 130.3000) < 3.0);
        // The middle of the Sea of Japan is far from any shore (the nearest,
        // Honshu or Primorye, is ~200+ km away).
        let middle = land.distance_to_shore_km(40.5, 134.5);
        assert!((150.0..400.0).contains(&middle), "{middle}");
        // Half a degree of latitude south of a straight east-west coast is
        // ~55 km: check a point off the Black Sea's south coast (Sinop
        // peninsula at ~42.0 N) lands in the right range.
        let off_turkey = land.distance_to_shore_km(42.5, 35.0);
        assert!((20.0..80.0).contains(&off_turkey), "{off_turkey}");
    }

    /// A land file of one polygon, in the format of `scripts/make_land.py`,
    /// quantized to 0.001°.
    fn land_file(ring: &[(f64, f64)]) -> Vec<u8> {
        fn varint(value: i64, out: &mut Vec<u8>) {
            let mut zigzag = ((value << 1) ^ (value >> 63)) as u64;
            loop {
                let byte = (zigzag & 0x7F) as u8;
                zigzag >>= 7;
                if zigzag == 0 {
                    out.push(byte);
                    return;
                }
                out.push(byte | 0x80);
            }
        }
        let mut out = MAGIC.to_vec();
        for v in [0.001f64, 0.001, 0.0, 0.0] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&(ring.len() as u32).to_le_bytes());
        let (mut px, mut py) = (0i64, 0i64);
        for &(lon, lat) in ring {
            let (x, y) = ((lon * 1000.0).round() as i64, (lat * 1000.0).round() as i64);
            varint(x - px, &mut out);
            varint(y - py, &mut out);
            (px, py) = (x, y);
        }
        out
    }

    #[test]
    fn rings_across_the_antimeridian_do_not_paint_their_latitudes() {
        // Natural Earth's Fiji, Chukotka, Wrangel Island and Antarctica
        // cross ±180°; taken literally, their seam segments span the map.
        let land = Land::parse(EMBEDDED).unwrap();
        let cases = [
            // Open ocean in the bands those segments covered.
            (-16.16, -15.79, false),
            (-16.16, 86.8, false),
            (-16.16, -150.0, false),
            (65.06, 0.0, false),
            (60.0, -178.0, false),
            // The land either side of the seam.
            (-17.8, 178.0, true),
            (-16.85, -179.95, true),
            (66.0, 175.0, true),
            (66.0, -175.0, true),
            (71.3, 179.6, true),
            (71.3, -179.6, true),
            (-85.0, 150.0, true),
            (-84.34, 20.0, true),
            (65.06, 100.0, true),
        ];
        for (lat, lon, expected) in cases {
            assert_eq!(land.is_on_land(lat, lon), expected, "{lat}, {lon}");
        }
    }

    #[test]
    fn an_island_at_the_antimeridian_is_measured_across_it() {
        // A 1° square island from 179 E to 180 E, 0–1 N.
        let island = [(179.0, 0.0), (180.0, 0.0), (180.0, 1.0), (179.0, 1.0), (179.0, 0.0)];
        let land = Land::parse(&land_file(&island)).unwrap();
        assert!(land.is_on_land(0.5, 179.5));
        assert!(!land.is_on_land(0.5, 178.9));
        assert!(!land.is_on_land(1.5, 179.5));
        // 0.1° of longitude east of the island, across the seam: ~11.1 km.
        let across = land.distance_to_shore_km(0.5, -179.9);
        assert!((across - 11.12).abs() < 0.05, "{across}");
        // From the island's middle, the nearest shore is 0.5° away.
        let inside = land.distance_to_shore_km(0.5, 179.5);
        assert!((inside - 55.6).abs() < 0.2, "{inside}");
    }

    #[test]
    fn the_cell_shortcut_agrees_with_the_exact_test() {
        let land = Land::parse(EMBEDDED).unwrap();
        // A grid over the case's seas and coasts, twice (the second time the
        // cells are known), and points on cell edges.
        for pass in 0..2 {
            for i in 0..200 {
                for j in 0..200 {
                    let (lat, lon) = (38.0 + f64::from(i) * 0.0371, 127.0 + f64::from(j) * 0.0397);
                    assert_eq!(land.is_on_land(lat, lon), land.ray_cast(lat, lon), "pass {pass} ({lat}, {lon})");
                }
            }
        }
        for (lat, lon) in [(42.0, 131.0), (42.2, 130.3), (45.8, 40.1), (-90.0, -180.0), (90.0, 180.0)] {
            assert_eq!(land.is_on_land(lat, lon), land.ray_cast(lat, lon), "({lat}, {lon})");
        }
        assert!(!land.is_on_land(f64::NAN, 0.0));
    }

    #[test]
    fn damaged_land_data_is_an_error_not_a_panic() {
        assert!(Land::parse(b"").is_err());
        assert!(Land::parse(b"TUMENLAND1").is_err());
        let cut = &EMBEDDED[..EMBEDDED.len() / 2];
        assert!(Land::parse(cut).is_err());
    }
}
