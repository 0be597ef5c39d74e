//! The AIS positions satellite matching needs: those within the candidate
//! time and distance of some scene, read in one pass over the days the
//! scenes touch. A coarse grid of 1° cells, each with the time windows of
//! the scenes near it, decides what is kept, so a day of global AIS is
//! filtered without holding it.

use std::collections::HashMap;

use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE, Mmsi, Timestamp};
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

const METRES_PER_DEGREE_LAT: f64 = 111_320.0;
const DAY_MS: i64 = 86_400_000;

/// Cells of 1° marked with the time windows of the looks near them.
struct Cells {
    windows: HashMap<(i32, i32), Vec<(i64, i64)>>,
}

impl Cells {
    fn new(looks: &[Look], margin_nm: f64, margin_hours: f64) -> Cells {
        let margin_ms = (margin_hours * 3_600_000.0) as i64;
        let margin_lat = margin_nm * METRES_PER_NAUTICAL_MILE / METRES_PER_DEGREE_LAT;
        let mut windows: HashMap<(i32, i32), Vec<(i64, i64)>> = HashMap::new();
        for look in looks {
            let Some(bounds) = Bounds::of(&look.outline) else { continue };
            let widest_lat = bounds.south.abs().max(bounds.north.abs()).min(89.0);
            let margin_lon = (margin_lat / widest_lat.to_radians().cos()).min(180.0);
            let window = (look.time.unix_ms() - margin_ms, look.time.unix_ms() + margin_ms);
            let (south, north) = ((bounds.south - margin_lat).max(-90.0), (bounds.north + margin_lat).min(90.0));
            let (west, east) = (bounds.west - margin_lon, bounds.east + margin_lon);
            for lat in south.floor() as i32..=north.floor() as i32 {
                for lon in west.floor() as i32..=east.floor() as i32 {
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

struct Bounds {
    south: f64,
    north: f64,
    west: f64,
    east: f64,
}

impl Bounds {
    fn of(points: &[LatLon]) -> Option<Bounds> {
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
}

/// Reads the positions of the archive near `looks` (within `margin_nm`
/// and `margin_hours`).
pub fn collect(dataset: &Dataset, looks: &[Look], margin_nm: f64, margin_hours: f64) -> Result<Tracks, StoreError> {
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
