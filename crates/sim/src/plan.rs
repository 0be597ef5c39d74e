//! A vessel's true motion: a time-ordered list of segments, each a simple
//! motion (sailing a path, lying still, drifting, circling), and the exact
//! position, speed and course at any instant.
//!
//! Motion is a pure function of the plan and the time — no random state —
//! so the feed writer, the satellite scenes and the truth checks all see
//! the same ship at the same place.

use std::sync::Arc;

use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE, Timestamp};

use crate::path::Path;

/// AIS navigational status codes the simulator uses.
pub mod nav_status {
    pub const UNDER_WAY_USING_ENGINE: u8 = 0;
    pub const AT_ANCHOR: u8 = 1;
    pub const MOORED: u8 = 5;
    pub const ENGAGED_IN_FISHING: u8 = 7;
}

const MPS_PER_KNOT: f64 = METRES_PER_NAUTICAL_MILE / 3600.0;

/// Where a vessel truly is and how it moves at one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Kinematics {
    pub position: LatLon,
    pub sog_knots: f64,
    pub cog_deg: f64,
    pub heading_deg: f64,
    pub nav_status: u8,
}

/// One kind of motion.
#[derive(Clone, Debug)]
pub enum Motion {
    /// Along `path` at constant speed from the segment start.
    Sail { path: Arc<Path>, speed_knots: f64 },
    /// Still: moored (fixed), or at anchor (swinging on a 30 m circle
    /// every two hours, as a ship does round its anchor).
    Still { at: LatLon, heading_deg: f64, anchored: bool },
    /// Drifting on a straight line: waiting at sea, or side by side with
    /// another vessel (reporting "moored" to it, say, as ships in a
    /// ship-to-ship transfer do).
    Drift { from: LatLon, set_deg: f64, speed_knots: f64, heading_deg: f64, nav_status: u8 },
    /// Circling `center`: loitering or trawling.
    Circle { center: LatLon, radius_m: f64, speed_knots: f64, start_angle_deg: f64, nav_status: u8 },
}

/// What the vessel is doing, for the truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity {
    Sailing,
    /// Moored at a place (index into the world's places).
    Moored {
        place: Option<usize>,
    },
    Anchored {
        place: Option<usize>,
    },
    Loitering,
    Fishing,
    /// Waiting at sea for a later step.
    Waiting,
    /// Side by side in an encounter (index into the world's encounters).
    Meeting {
        encounter: usize,
    },
}

#[derive(Clone, Debug)]
pub struct Segment {
    pub start: Timestamp,
    pub end: Timestamp,
    pub motion: Motion,
    pub activity: Activity,
}

/// Contiguous segments: each starts where the previous ends.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    segments: Vec<Segment>,
}

const ANCHOR_SWING_RADIUS_M: f64 = 30.0;
/// Largest departure from the true track that interpolation may make.
const INTERPOLATION_ERROR_M: f64 = 1.0;
const ANCHOR_SWING_PERIOD_MS: f64 = 2.0 * 3_600_000.0;

impl Plan {
    pub fn new() -> Plan {
        Plan::default()
    }

    /// Appends a segment from the current end (or `start` for the first)
    /// to `end`; segments of no duration are dropped.
    pub fn push(&mut self, start: Timestamp, end: Timestamp, motion: Motion, activity: Activity) {
        let start = self.segments.last().map_or(start, |s| s.end);
        if end > start {
            self.segments.push(Segment { start, end, motion, activity });
        }
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    pub fn start(&self) -> Option<Timestamp> {
        self.segments.first().map(|s| s.start)
    }

    pub fn end(&self) -> Option<Timestamp> {
        self.segments.last().map(|s| s.end)
    }

    /// Index of the segment covering `t` (the last one for `t` at its end).
    pub fn segment_index_at(&self, t: Timestamp) -> Option<usize> {
        let first = self.segments.first()?;
        let last = self.segments.last()?;
        if t < first.start || t > last.end {
            return None;
        }
        Some(self.segments.partition_point(|s| s.end <= t).min(self.segments.len() - 1))
    }

    /// The true state at `t`, `None` outside the plan.
    pub fn state_at(&self, t: Timestamp) -> Option<Kinematics> {
        self.segment_index_at(t).map(|i| self.segments[i].state_at(t))
    }

    /// The state at the end of the plan so far.
    pub fn last_state(&self) -> Option<Kinematics> {
        self.segments.last().map(|s| s.state_at(s.end))
    }
}

impl Segment {
    /// Speed and navigational status, which are constant over a segment:
    /// all a transponder needs to choose its report interval, without the
    /// trigonometry of a position.
    pub fn speed_and_status(&self) -> (f64, u8) {
        match &self.motion {
            Motion::Sail { speed_knots, .. } => (*speed_knots, nav_status::UNDER_WAY_USING_ENGINE),
            Motion::Drift { speed_knots, nav_status, .. } => (*speed_knots, *nav_status),
            Motion::Still { anchored: false, .. } => (0.0, nav_status::MOORED),
            Motion::Still { anchored: true, .. } => {
                let speed_mps = std::f64::consts::TAU * ANCHOR_SWING_RADIUS_M / (ANCHOR_SWING_PERIOD_MS / 1000.0);
                (speed_mps / MPS_PER_KNOT, nav_status::AT_ANCHOR)
            }
            Motion::Circle { speed_knots, nav_status, .. } => (*speed_knots, *nav_status),
        }
    }

    /// How far from `t` the state may be interpolated linearly with an
    /// error under a metre: to the next waypoint of a sailing path (a
    /// great-circle arc departs from a straight line by centimetres over
    /// kilometres), and along a circle for the arc whose sagitta is a metre.
    /// Never past the segment's end.
    pub fn smooth_until(&self, t: Timestamp) -> Timestamp {
        let limit = match &self.motion {
            Motion::Sail { path, speed_knots } if *speed_knots > 0.0 => {
                let elapsed_s = t.ms_since(self.start).max(0) as f64 / 1000.0;
                let vertex_m = path.next_vertex_m(elapsed_s * speed_knots * MPS_PER_KNOT);
                let vertex_ms = (vertex_m / (speed_knots * MPS_PER_KNOT) * 1000.0) as i64;
                self.start.plus_ms(vertex_ms)
            }
            Motion::Circle { radius_m, speed_knots, .. } if *speed_knots > 0.0 => {
                let arc_m = (8.0 * radius_m * INTERPOLATION_ERROR_M).sqrt();
                t.plus_ms((arc_m / (speed_knots * MPS_PER_KNOT) * 1000.0) as i64)
            }
            Motion::Still { anchored: true, .. } => {
                let arc_m = (8.0 * ANCHOR_SWING_RADIUS_M * INTERPOLATION_ERROR_M).sqrt();
                let speed_mps = std::f64::consts::TAU * ANCHOR_SWING_RADIUS_M / (ANCHOR_SWING_PERIOD_MS / 1000.0);
                t.plus_ms((arc_m / speed_mps * 1000.0) as i64)
            }
            _ => self.end,
        };
        limit.min(self.end).max(t)
    }

    /// The true state at `t` (clamped to this segment).
    pub fn state_at(&self, t: Timestamp) -> Kinematics {
        let elapsed_ms = (t.unix_ms().clamp(self.start.unix_ms(), self.end.unix_ms()) - self.start.unix_ms()) as f64;
        let elapsed_s = elapsed_ms / 1000.0;
        match &self.motion {
            Motion::Sail { path, speed_knots } => {
                let (position, course) = path.at(elapsed_s * speed_knots * MPS_PER_KNOT);
                Kinematics {
                    position,
                    sog_knots: *speed_knots,
                    cog_deg: course,
                    heading_deg: course,
                    nav_status: nav_status::UNDER_WAY_USING_ENGINE,
                }
            }
            Motion::Still { at, heading_deg, anchored: false } => Kinematics {
                position: *at,
                sog_knots: 0.0,
                cog_deg: *heading_deg,
                heading_deg: *heading_deg,
                nav_status: nav_status::MOORED,
            },
            Motion::Still { at, heading_deg, anchored: true } => {
                let turn = (t.unix_ms() as f64 / ANCHOR_SWING_PERIOD_MS).fract() * 360.0;
                let bearing = wrap_deg(heading_deg + turn);
                let speed_mps = std::f64::consts::TAU * ANCHOR_SWING_RADIUS_M / (ANCHOR_SWING_PERIOD_MS / 1000.0);
                Kinematics {
                    // The ship lies down-current of its anchor, pointing at it.
                    position: at.destination(bearing, ANCHOR_SWING_RADIUS_M),
                    sog_knots: speed_mps / MPS_PER_KNOT,
                    cog_deg: wrap_deg(bearing + 90.0),
                    heading_deg: wrap_deg(bearing + 180.0),
                    nav_status: nav_status::AT_ANCHOR,
                }
            }
            Motion::Drift { from, set_deg, speed_knots, heading_deg, nav_status } => Kinematics {
                position: from.destination(*set_deg, elapsed_s * speed_knots * MPS_PER_KNOT),
                sog_knots: *speed_knots,
                cog_deg: *set_deg,
                heading_deg: *heading_deg,
                nav_status: *nav_status,
            },
            Motion::Circle { center, radius_m, speed_knots, start_angle_deg, nav_status } => {
                let travelled_m = elapsed_s * speed_knots * MPS_PER_KNOT;
                let angle = (start_angle_deg + (travelled_m / radius_m).to_degrees()).rem_euclid(360.0);
                let course = wrap_deg(angle + 90.0);
                Kinematics {
                    position: center.destination(angle, *radius_m),
                    sog_knots: *speed_knots,
                    cog_deg: course,
                    heading_deg: course,
                    nav_status: *nav_status,
                }
            }
        }
    }
}

/// An angle in degrees brought into [0, 360) — without `fmod`, for angles
/// within a turn or two of that range, as every angle here is.
#[inline]
pub fn wrap_deg(mut deg: f64) -> f64 {
    if !deg.is_finite() {
        return 0.0;
    }
    while deg >= 360.0 {
        deg -= 360.0;
    }
    while deg < 0.0 {
        deg += 360.0;
    }
    deg
}

/// Speed in metres per second.
pub fn knots_to_mps(knots: f64) -> f64 {
    knots * MPS_PER_KNOT
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_unix_seconds(s).unwrap()
    }

    #[test]
    fn sails_then_moors() {
        let a = LatLon { lat_deg: 42.0, lon_deg: 130.0 };
        let b = a.destination(90.0, 18_520.0); // 10 nm east
        let mut plan = Plan::new();
        let path = Arc::new(Path::new(&[a, b]));
        plan.push(t(0), t(3600), Motion::Sail { path, speed_knots: 10.0 }, Activity::Sailing);
        plan.push(
            t(0),
            t(7200),
            Motion::Still { at: b, heading_deg: 10.0, anchored: false },
            Activity::Moored { place: None },
        );
        let half = plan.state_at(t(1800)).unwrap();
        assert!((half.position.distance_m(a) - 9260.0).abs() < 1.0);
        assert!((half.cog_deg - 90.0).abs() < 1.0);
        let moored = plan.state_at(t(5000)).unwrap();
        assert_eq!(moored.position, b);
        assert_eq!(moored.nav_status, nav_status::MOORED);
        assert_eq!(plan.state_at(t(7201)), None);
        assert_eq!(plan.segment_index_at(t(3600)), Some(1));
    }

    #[test]
    fn speed_and_status_agree_with_the_state() {
        let at = LatLon { lat_deg: 42.0, lon_deg: 130.0 };
        let motions = [
            Motion::Sail { path: Arc::new(Path::new(&[at, at.destination(45.0, 10_000.0)])), speed_knots: 11.0 },
            Motion::Still { at, heading_deg: 0.0, anchored: false },
            Motion::Still { at, heading_deg: 0.0, anchored: true },
            Motion::Drift { from: at, set_deg: 10.0, speed_knots: 0.4, heading_deg: 10.0, nav_status: 0 },
            Motion::Drift { from: at, set_deg: 10.0, speed_knots: 0.4, heading_deg: 10.0, nav_status: 5 },
            Motion::Circle { center: at, radius_m: 500.0, speed_knots: 3.0, start_angle_deg: 0.0, nav_status: 7 },
        ];
        for motion in motions {
            let segment = Segment { start: t(0), end: t(600), motion, activity: Activity::Sailing };
            let state = segment.state_at(t(300));
            let (speed, status) = segment.speed_and_status();
            assert!((speed - state.sog_knots).abs() < 1e-9);
            assert_eq!(status, state.nav_status);
        }
    }

    #[test]
    fn anchored_ships_swing_within_their_circle() {
        let at = LatLon { lat_deg: 42.75, lon_deg: 133.0 };
        let segment = Segment {
            start: t(0),
            end: t(86_400),
            motion: Motion::Still { at, heading_deg: 0.0, anchored: true },
            activity: Activity::Anchored { place: None },
        };
        for s in (0..86_400).step_by(600) {
            let k = segment.state_at(t(s));
            assert!((k.position.distance_m(at) - ANCHOR_SWING_RADIUS_M).abs() < 0.5);
            assert!(k.sog_knots < 0.1);
        }
    }

    #[test]
    fn circles_keep_their_radius_and_speed() {
        let center = LatLon { lat_deg: 40.0, lon_deg: 135.0 };
        let segment = Segment {
            start: t(0),
            end: t(36_000),
            motion: Motion::Circle {
                center,
                radius_m: 1000.0,
                speed_knots: 1.5,
                start_angle_deg: 0.0,
                nav_status: nav_status::UNDER_WAY_USING_ENGINE,
            },
            activity: Activity::Loitering,
        };
        let (k1, k2) = (segment.state_at(t(600)), segment.state_at(t(660)));
        assert!((k1.position.distance_m(center) - 1000.0).abs() < 0.5);
        let speed = k1.position.distance_m(k2.position) / 60.0 / MPS_PER_KNOT;
        assert!((speed - 1.5).abs() < 0.01, "{speed}");
    }
}
