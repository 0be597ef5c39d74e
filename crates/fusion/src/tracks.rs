//! The AIS positions satellite matching needs: those within the candidate
//! time and distance of some scene, read in one pass over the days the
//! scenes touch. A coarse grid of 1° cells, each with the time windows of
//! the scenes near it, decides what is kept, so a day of global AIS is
//! filtered without holding it.

use std::collections::HashMap;

use tumen_model::{LatLon, METRES_PER_DEGREE, METRES_PER_NAUTICAL_MILE, Mmsi, Timestamp};
use tumen_store::{Dataset, StoreError};

/// One AIS position, as matching reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackFix {
    pub time: Timestamp,
    pub position: LatLon,
    pub sog_knots: Option<f32>,
    pub cog_deg: Option<f32>,
    pub source_id: u32,
    pub line: u64,
}

/// Each vessel's positions near the scenes, in time order.
#[derive(Debug, Default)]
pub struct Tracks {
    pub by_mmsi: HashMap<Mmsi, Vec<TrackFix>>,
}

/// An area and time a scene looks at: the points that outline it (its
/// footprint, or its detections when it has none) and its time.
pub struct Look {
    pub outline: Vec<LatLon>,
    pub time: Timestamp,
}

const DAY_MS: i64 = 86_400_000;

/// Cells of 1° marked with the time windows of the looks near them.
struct Cells {
    windows: HashMap<(i32, i32), Vec<(i64, i64)>>,
}

impl Cells {
    fn new(looks: &[&Look], margin_nm: f64, margin_hours: f64) -> Cells {
        let margin_ms = (margin_hours * 3_600_000.0) as i64;
        let mut windows: HashMap<(i32, i32), Vec<(i64, i64)>> = HashMap::new();
        for look in looks {
            let Some(bounds) = Bounds::of(&look.outline) else { continue };
            let area = bounds.expanded(margin_nm * METRES_PER_NAUTICAL_MILE);
            let window = (look.time.unix_ms() - margin_ms, look.time.unix_ms() + margin_ms);
            for lat in area.south.floor() as i32..=area.north.floor() as i32 {
                for lon in area.west.floor() as i32..=area.east.floor() as i32 {
                    // Cells past the antimeridian wrap round.
                    let lon = (lon + 180).rem_euclid(360) - 180;
                    windows.entry((lat, lon)).or_default().push(window);
                }
            }
        }
        Cells { windows }
    }

    fn wants(&self, position: LatLon, time: Timestamp) -> bool {
        let key = (position.lat_deg.floor() as i32, position.lon_deg.floor() as i32);
        let t = time.unix_ms();
        self.windows.get(&key).is_some_and(|w| w.iter().any(|&(from, to)| from <= t && t <= to))
    }

    /// The UTC days the windows touch.
    fn days(&self) -> Vec<i64> {
        let mut days: Vec<i64> = self
            .windows
            .values()
            .flatten()
            .flat_map(|&(from, to)| from.div_euclid(DAY_MS)..=to.div_euclid(DAY_MS))
            .collect();
        days.sort_unstable();
        days.dedup();
        days
    }
}

/// A latitude–longitude box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub south: f64,
    pub north: f64,
    pub west: f64,
    pub east: f64,
}

impl Bounds {
    /// The box round `points`, if there are any.
    pub fn of(points: &[LatLon]) -> Option<Bounds> {
        let first = points.first()?;
        let mut b = Bounds { south: first.lat_deg, north: first.lat_deg, west: first.lon_deg, east: first.lon_deg };
        for p in points {
            b.south = b.south.min(p.lat_deg);
            b.north = b.north.max(p.lat_deg);
            b.west = b.west.min(p.lon_deg);
            b.east = b.east.max(p.lon_deg);
        }
        Some(b)
    }

    /// The box grown by `metres` on every side: longitudes by the cosine of
    /// its latitude furthest from the equator (taken as at most 89°),
    /// latitudes kept within the poles.
    pub fn expanded(&self, metres: f64) -> Bounds {
        let margin_lat = metres / METRES_PER_DEGREE;
        let widest_lat = self.south.abs().max(self.north.abs()).min(89.0);
        let margin_lon = (margin_lat / widest_lat.to_radians().cos()).min(180.0);
        Bounds {
            south: (self.south - margin_lat).max(-90.0),
            north: (self.north + margin_lat).min(90.0),
            west: self.west - margin_lon,
            east: self.east + margin_lon,
        }
    }

    pub fn centre(&self) -> LatLon {
        LatLon { lat_deg: (self.south + self.north) / 2.0, lon_deg: (self.west + self.east) / 2.0 }
    }
}

/// Reads the positions of the archive near `looks` (within `margin_nm`
/// and `margin_hours`).
pub fn collect(dataset: &Dataset, looks: &[&Look], margin_nm: f64, margin_hours: f64) -> Result<Tracks, StoreError> {
    let cells = Cells::new(looks, margin_nm, margin_hours);
    let stored: std::collections::HashSet<i64> = dataset.catalog().days()?.into_iter().collect();
    let mut tracks = Tracks::default();
    for day in cells.days().into_iter().filter(|d| stored.contains(d)) {
        dataset.for_each_position_of_day(day, |row| {
            let position = LatLon { lat_deg: row.lat_deg, lon_deg: row.lon_deg };
            if cells.wants(position, row.time) {
                tracks.by_mmsi.entry(row.mmsi).or_default().push(TrackFix {
                    time: row.time,
                    position,
                    sog_knots: row.sog_knots,
                    cog_deg: row.cog_deg,
                    source_id: row.origin.source_id,
                    line: row.origin.line,
                });
            }
        })?;
    }
    for fixes in tracks.by_mmsi.values_mut() {
        fixes.sort_by_key(|f| f.time);
        fixes.dedup_by_key(|f| f.time);
    }
    Ok(tracks)
}

/// Which vessels are where, hour by hour: each vessel's estimated position
/// at the middle of every hour within the candidate window of its fixes,
/// filed by half-degree cell. A scene looks up the cells it could draw
/// candidates from in its hour, instead of searching every vessel's track
/// (a binary search per vessel per scene was most of the matching time).
pub struct SlotIndex {
    cells: HashMap<(i64, i32, i32), Vec<Mmsi>>,
}

const SLOT_MS: i64 = 3_600_000;
const CELL_DEG: f64 = 0.5;
/// How far a vessel can be from its slot's mid-hour estimate at any time
/// in the hour (half an hour at 30 kn, and the estimate's error).
const SLOT_MARGIN_M: f64 = 30_000.0;

impl SlotIndex {
    pub fn new(tracks: &Tracks, profile: &crate::profile::FusionProfile) -> SlotIndex {
        let window_ms = (profile.candidate_hours * 3_600_000.0) as i64;
        let mut cells: HashMap<(i64, i32, i32), Vec<Mmsi>> = HashMap::new();
        for (&mmsi, fixes) in &tracks.by_mmsi {
            let (Some(first), Some(last)) = (fixes.first(), fixes.last()) else { continue };
            let from = (first.time.unix_ms() - window_ms).div_euclid(SLOT_MS);
            let to = (last.time.unix_ms() + window_ms).div_euclid(SLOT_MS);
            for slot in from..=to {
                let middle = Timestamp::from_unix_ms(slot * SLOT_MS + SLOT_MS / 2);
                // The slot's edges can be within the window when its middle is not.
                let probe = [
                    middle,
                    Timestamp::from_unix_ms(slot * SLOT_MS),
                    Timestamp::from_unix_ms((slot + 1) * SLOT_MS - 1),
                ];
                let Some(estimate) = probe.iter().find_map(|t| crate::matching::estimate(fixes, *t, profile)) else {
                    continue;
                };
                let key = (slot, cell(estimate.position.lat_deg), cell(estimate.position.lon_deg));
                cells.entry(key).or_default().push(mmsi);
            }
        }
        SlotIndex { cells }
    }

    /// The vessels that could be within `reach_m` of `bounds` at `time`,
    /// each once, in MMSI order.
    pub fn near(&self, time: Timestamp, bounds: &Bounds, reach_m: f64) -> Vec<Mmsi> {
        let slot = time.unix_ms().div_euclid(SLOT_MS);
        let area = bounds.expanded(reach_m + SLOT_MARGIN_M);
        let mut found = Vec::new();
        for lat in cell(area.south)..=cell(area.north) {
            for lon in cell(area.west)..=cell(area.east) {
                let lon = wrap_cell(lon);
                if let Some(mmsis) = self.cells.get(&(slot, lat, lon)) {
                    found.extend_from_slice(mmsis);
                }
            }
        }
        found.sort_unstable_by_key(|m| m.0);
        found.dedup();
        found
    }
}

fn cell(degrees: f64) -> i32 {
    (degrees / CELL_DEG).floor() as i32
}

/// Cells past the antimeridian wrap round.
fn wrap_cell(lon_cell: i32) -> i32 {
    let per_turn = (360.0 / CELL_DEG) as i32;
    (lon_cell + per_turn / 2).rem_euclid(per_turn) - per_turn / 2
}
