//! Where a segmenter track has been, thinned: enough to tell a second
//! track that runs along the first one's own wake hours earlier or later —
//! the same ship heard through a receiver whose clock is off (satellite AIS
//! stamped minutes to hours wrong) — from a second ship.

use std::collections::VecDeque;

use tumen_model::{LatLon, Timestamp};

/// Points kept at least this far apart in time.
const SPACING_MS: i64 = 5 * 60_000;

/// How far back a track's path reaches while it is alone (a second track
/// appearing can be compared with the last hours) and while another track
/// is open (the two compared over their whole overlap).
pub const KEPT_ALONE_MS: i64 = 3 * 3_600_000;
pub const KEPT_SHARED_MS: i64 = 6 * 3_600_000;

/// A track's recent positions, one per `SPACING_MS` at most, each
/// marked once it could be compared with another track's path (that track
/// reported within the shift of it) and once it was found along it; with
/// the counts of those that aged out.
#[derive(Clone, Debug, Default)]
pub struct TrackPath {
    points: VecDeque<PathPoint>,
    aged_out_compared: u32,
    aged_out_along: u32,
}

#[derive(Clone, Copy, Debug)]
struct PathPoint {
    time: Timestamp,
    at: LatLon,
    compared: bool,
    along: bool,
}

impl TrackPath {
    /// Adds a position; positions older than `keep_ms` before it go.
    pub fn push(&mut self, t: Timestamp, at: LatLon, keep_ms: i64) {
        if self.points.back().is_none_or(|last| t.ms_since(last.time) >= SPACING_MS) {
            self.points.push_back(PathPoint { time: t, at, compared: false, along: false });
        }
        while let Some(first) = self.points.front() {
            if t.ms_since(first.time) <= keep_ms {
                break;
            }
            self.aged_out_compared += u32::from(first.compared);
            self.aged_out_along += u32::from(first.along);
            self.points.pop_front();
        }
    }

    /// How `at` (reported at `t`) compares with the path: `None` when no
    /// point is within `shift_ms` of `t`, else whether one of those is
    /// within `metres`.
    pub fn passes(&self, t: Timestamp, at: LatLon, metres: f64, shift_ms: i64) -> Option<bool> {
        let mut compared = None;
        let near = |p: &PathPoint| t.ms_since(p.time).abs() <= shift_ms;
        for (i, p) in self.points.iter().enumerate().filter(|(_, p)| near(p)) {
            // The leg to the next point, not the point alone: points are
            // minutes apart, a kilometre or two at sea speeds.
            let next = self.points.get(i + 1).map_or(p.at, |n| n.at);
            if distance_to_leg_m(at, p.at, next) <= metres {
                return Some(true);
            }
            compared = Some(false);
        }
        compared
    }

    /// Marks the latest point as compared with another track's path, and
    /// whether it was along it.
    pub fn mark_latest(&mut self, along: bool) {
        if let Some(last) = self.points.back_mut() {
            last.compared = true;
            last.along |= along;
        }
    }

    /// Marks the points another track's report (at `t`, `at`) can be
    /// compared with (at most `shift_ms` earlier or later) and the ends of
    /// the legs it lies on (within `metres`).
    pub fn mark_passed(&mut self, t: Timestamp, at: LatLon, metres: f64, shift_ms: i64) {
        for i in 0..self.points.len() {
            if t.ms_since(self.points[i].time).abs() > shift_ms {
                continue;
            }
            self.points[i].compared = true;
            let done = self.points[i].along && self.points.get(i + 1).is_none_or(|n| n.along);
            if done {
                continue;
            }
            // On the leg from this point to the next: both ends along.
            let next = self.points.get(i + 1).map(|n| n.at);
            if distance_to_leg_m(at, self.points[i].at, next.unwrap_or(self.points[i].at)) <= metres {
                self.points[i].along = true;
                if next.is_some() {
                    self.points[i + 1].along = true;
                }
            }
        }
    }

    /// Points compared, kept or aged out, and of them those found along.
    pub fn along_count(&self) -> (u32, u32) {
        let compared = self.points.iter().filter(|p| p.compared).count() as u32;
        let along = self.points.iter().filter(|p| p.along).count() as u32;
        (self.aged_out_compared + compared, self.aged_out_along + along)
    }
}

/// The distance from `p` to the leg from `a` to `b`, on a plane tangent at
/// `a` (legs are a few kilometres).
fn distance_to_leg_m(p: LatLon, a: LatLon, b: LatLon) -> f64 {
    let scale = tumen_model::cos_lat(a.lat_deg);
    let (bx, by) = ((b.lon_deg - a.lon_deg) * scale, b.lat_deg - a.lat_deg);
    let (px, py) = ((p.lon_deg - a.lon_deg) * scale, p.lat_deg - a.lat_deg);
    let length_squared = bx * bx + by * by;
    let t = if length_squared == 0.0 { 0.0 } else { ((px * bx + py * by) / length_squared).clamp(0.0, 1.0) };
    let nearest = LatLon { lat_deg: a.lat_deg + t * by, lon_deg: a.lon_deg + t * bx / scale };
    p.near_distance_m(nearest)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE_MS: i64 = 60_000;

    /// A ship sailing east at ~10 kn, with its reports stamped `shift`
    /// minutes late.
    fn path(minutes: std::ops::Range<i64>, shift: i64, lat: f64) -> TrackPath {
        let mut p = TrackPath::default();
        for m in minutes {
            let at = LatLon { lat_deg: lat, lon_deg: 131.0 + m as f64 * 0.00226 };
            p.push(Timestamp::from_unix_ms((m + shift) * MINUTE_MS), at, KEPT_SHARED_MS);
        }
        p
    }

    #[test]
    fn a_track_in_the_wake_of_another_is_along_it_and_a_parallel_one_is_not() {
        let main = path(0..300, 0, 42.0);
        let shift = 3 * 60 * MINUTE_MS;
        let at = |m: i64, lat: f64| LatLon { lat_deg: lat, lon_deg: 131.0 + m as f64 * 0.00226 };
        let t = |m: i64| Timestamp::from_unix_ms(m * MINUTE_MS);
        // Where the ship was at minute 202 (between two points kept),
        // stamped 90 minutes late.
        assert_eq!(main.passes(t(292), at(202, 42.0), 100.0, shift), Some(true));
        // A second ship 5 km north at the same time.
        assert_eq!(main.passes(t(200), at(200, 42.045), 1000.0, shift), Some(false));
        // Nothing of the path within 3 hours: nothing to say.
        assert_eq!(main.passes(t(900), at(200, 42.0), 1000.0, shift), None);
        // Stamped early: the main track passes it later.
        let mut early = path(250..260, -60, 42.0);
        for m in 180..300 {
            early.mark_passed(t(m), at(m, 42.0), 1000.0, shift);
        }
        assert_eq!(early.along_count(), (2, 2));
        // Kept: the last 6 hours, one point per 5 minutes.
        let long = path(0..3000, 0, 42.0);
        assert_eq!(long.points.len(), 6 * 12);
        assert_eq!(long.along_count(), (0, 0), "never compared");
    }
}
