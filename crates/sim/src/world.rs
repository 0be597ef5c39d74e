//! The compiled scenario: every vessel with its plan, identity history and
//! AIS behaviour; the receivers, scenes, facilities and shipments. Built by
//! [`crate::load`]; read by the generators and the truth writer.

use geo::{Contains, Coord, LineString, Polygon};
use tumen_model::{LatLon, Timestamp};

// The types a world's fields hold, named from here as from the scenario
// format and the planner that make them.
pub use crate::path::Path;
pub use crate::plan::{Activity, Kinematics, Motion, Plan, Segment};
pub use crate::scenario::format::{AisClass, GlitchMode, LegMode, LineFormat, ObjectClass, Outputs};
use tumen_model::PlaceKind;

pub struct World {
    pub name: String,
    pub description: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub seed: u64,
    pub outputs: Outputs,
    pub places: Vec<Place>,
    pub receivers: Vec<Receiver>,
    pub vessels: Vec<Vessel>,
    pub encounters: Vec<Encounter>,
    pub scenes: Vec<Scene>,
    pub structures: Vec<Structure>,
    pub facilities: Vec<Facility>,
    pub shipments: Vec<Shipment>,
}

pub struct Place {
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub country: Option<String>,
    pub center: LatLon,
    pub radius_m: Option<f64>,
    /// Outline as (lon, lat) coordinates, when the place is a polygon.
    pub polygon: Option<Polygon<f64>>,
    pub watched: bool,
}

impl Place {
    pub fn contains(&self, p: LatLon) -> bool {
        match (&self.polygon, self.radius_m) {
            (Some(polygon), _) => polygon.contains(&Coord { x: p.lon_deg, y: p.lat_deg }),
            (None, Some(radius_m)) => self.center.distance_m(p) <= radius_m,
            (None, None) => false,
        }
    }

    /// Builds the polygon from `[lat, lon]` corners.
    pub fn polygon_from(corners: &[LatLon]) -> Polygon<f64> {
        let ring: Vec<Coord<f64>> = corners.iter().map(|c| Coord { x: c.lon_deg, y: c.lat_deg }).collect();
        Polygon::new(LineString::from(ring), Vec::new())
    }
}

pub struct Receiver {
    pub id: String,
    pub coverage: Coverage,
    pub reliability: f64,
    pub format: LineFormat,
    /// Delay between reception and the line's place in the output.
    pub delay_ms: (i64, i64),
    /// Position reports of one vessel closer together are not forwarded.
    pub min_interval_ms: i64,
    pub corrupt_rate: f64,
    pub fragment_loss_rate: f64,
}

#[derive(Clone, Copy, Debug)]
pub enum Coverage {
    Terrestrial {
        at: LatLon,
        range_m: f64,
    },
    /// Passes over any point every `revisit_ms` for `pass_ms`; the phase
    /// shifts with longitude, as orbits sweep westward.
    Satellite {
        revisit_ms: i64,
        pass_ms: i64,
    },
}

impl Coverage {
    pub fn is_satellite(&self) -> bool {
        matches!(self, Coverage::Satellite { .. })
    }
}

/// The identity fields a vessel broadcasts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Identity {
    pub mmsi: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imo: Option<u32>,
    pub name: String,
    pub call_sign: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    pub ship_type: u8,
}

/// A value that changes at instants; the first entry holds from the
/// beginning of time.
#[derive(Clone, Debug)]
pub struct Timeline<T> {
    changes: Vec<(Timestamp, T)>,
}

impl<T> Timeline<T> {
    pub fn new(initial: T) -> Timeline<T> {
        Timeline { changes: vec![(Timestamp::from_unix_ms(i64::MIN / 2), initial)] }
    }

    /// Sets the value from `at` on; changes must come in time order.
    pub fn set(&mut self, at: Timestamp, value: T) {
        let index = self.changes.partition_point(|(t, _)| *t <= at);
        self.changes.truncate(index);
        self.changes.push((at, value));
    }

    pub fn at(&self, t: Timestamp) -> &T {
        let index = self.changes.partition_point(|(change, _)| *change <= t);
        &self.changes[index.saturating_sub(1)].1
    }

    /// The first change after `t`, if any.
    pub fn next_change_after(&self, t: Timestamp) -> Option<Timestamp> {
        let index = self.changes.partition_point(|(change, _)| *change <= t);
        self.changes.get(index).map(|(change, _)| *change)
    }

    /// Index of the entry in force at `t`, to resume from in a later call.
    pub fn index_at(&self, t: Timestamp, from: usize) -> usize {
        let mut index = from.min(self.changes.len() - 1);
        while index + 1 < self.changes.len() && self.changes[index + 1].0 <= t {
            index += 1;
        }
        index
    }

    pub fn entry(&self, index: usize) -> &T {
        &self.changes[index].1
    }

    /// Changes after the initial value: `(when, before, after)`.
    pub fn changes(&self) -> impl Iterator<Item = (Timestamp, &T, &T)> {
        self.changes.windows(2).map(|w| (w[1].0, &w[0].1, &w[1].1))
    }

    pub fn initial(&self) -> &T {
        &self.changes[0].1
    }

    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.changes.iter().map(|(_, v)| v)
    }

    /// Each value with the span it holds: `(from, until)`, `until` `None`
    /// for the last.
    pub fn spans(&self) -> impl Iterator<Item = (Timestamp, Option<Timestamp>, &T)> {
        self.changes.iter().enumerate().map(|(i, (from, value))| (*from, self.changes.get(i + 1).map(|c| c.0), value))
    }
}

/// A half-open time interval `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Interval {
    pub fn contains(&self, t: Timestamp) -> bool {
        self.start <= t && t < self.end
    }
}

/// Why a vessel is dark, for the truth.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DarkPeriod {
    pub interval: Interval,
    pub illicit: bool,
    /// What switched it off: `itinerary`, `behaviour`, `zone:<place>`.
    pub cause: String,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SpoofKind {
    Jump { north_m: f64, east_m: f64 },
    Circle { center: LatLon, radius_m: f64, speed_knots: f64 },
    Fixed { at: LatLon },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spoof {
    pub interval: Interval,
    pub kind: SpoofKind,
    pub illicit: bool,
}

/// A transponder habit for a while: a share of the reports spoiled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Glitch {
    pub interval: Interval,
    pub mode: GlitchMode,
    pub share: f64,
}

/// A loading or unloading during a stop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CargoOperation {
    pub shipment: String,
    pub loading: bool,
    pub place: usize,
    pub stop: Interval,
}

pub struct Vessel {
    /// Scenario id, or `<traffic id>-<n>` for background vessels.
    pub id: String,
    pub background: bool,
    pub illicit: bool,
    pub class: AisClass,
    pub length_m: f64,
    pub beam_m: f64,
    pub identity: Timeline<Identity>,
    /// Draught in metres; 0 is "not reported".
    pub draught_m: Timeline<f64>,
    pub destination: Timeline<String>,
    pub plan: Plan,
    /// Transmitter off, sorted and disjoint.
    pub dark: Vec<DarkPeriod>,
    pub spoofs: Vec<Spoof>,
    /// Transponder habits, sorted by start.
    pub glitches: Vec<Glitch>,
    pub cargo: Vec<CargoOperation>,
}

impl Vessel {
    pub fn is_dark_at(&self, t: Timestamp) -> bool {
        let index = self.dark.partition_point(|d| d.interval.end <= t);
        self.dark.get(index).is_some_and(|d| d.interval.contains(t))
    }

    pub fn spoof_at(&self, t: Timestamp) -> Option<&Spoof> {
        self.spoofs.iter().find(|s| s.interval.contains(t))
    }

    pub fn glitch_at(&self, t: Timestamp) -> Option<&Glitch> {
        self.glitches.iter().find(|g| g.interval.contains(t))
    }
}

pub struct Encounter {
    pub id: String,
    pub vessels: [usize; 2],
    pub at: LatLon,
    pub interval: Interval,
    pub distance_m: f64,
    pub drift_knots: f64,
    /// Direction both drift in.
    pub set_deg: f64,
    /// What both report meanwhile (AIS navigational status).
    pub nav_status: u8,
    pub illicit: bool,
}

impl Encounter {
    /// Where vessel `side` (0 or 1) lies when the encounter begins: half
    /// the distance either side of `at`, across the drift.
    pub fn station(&self, side: usize) -> LatLon {
        let across = if side == 0 { self.set_deg + 90.0 } else { self.set_deg - 90.0 };
        self.at.destination(across.rem_euclid(360.0), self.distance_m / 2.0)
    }
}

pub struct Scene {
    pub id: String,
    pub satellite: String,
    pub time: Timestamp,
    pub center: LatLon,
    pub width_m: f64,
    pub height_m: f64,
    pub detection_probability: f64,
    pub position_error_m: f64,
    pub length_error: f64,
    pub false_alarms: f64,
}

impl Scene {
    /// Corners (SW, SE, NE, NW) of the north-up footprint.
    pub fn corners(&self) -> [LatLon; 4] {
        let half_h = self.height_m / 2.0;
        let half_w = self.width_m / 2.0;
        let south = self.center.destination(180.0, half_h);
        let north = self.center.destination(0.0, half_h);
        [
            south.destination(270.0, half_w),
            south.destination(90.0, half_w),
            north.destination(90.0, half_w),
            north.destination(270.0, half_w),
        ]
    }

    /// True when `p` lies in the footprint (north–south and east–west
    /// offsets from the centre within half the height and width).
    pub fn covers(&self, p: LatLon) -> bool {
        let north_m = (p.lat_deg - self.center.lat_deg).to_radians() * tumen_model::EARTH_MEAN_RADIUS_M;
        let dlon = tumen_model::wrap_lon_deg(p.lon_deg - self.center.lon_deg);
        let east_m = dlon.to_radians() * tumen_model::EARTH_MEAN_RADIUS_M * p.lat_deg.to_radians().cos();
        north_m.abs() <= self.height_m / 2.0 && east_m.abs() <= self.width_m / 2.0
    }
}

pub struct Structure {
    pub id: String,
    pub at: LatLon,
    pub length_m: f64,
}

pub struct Facility {
    pub site: usize,
    pub object: ObjectClass,
    pub source: String,
    pub first: Timestamp,
    pub until: Timestamp,
    pub every_days: f64,
    pub jitter_days: f64,
    pub extra_dates: Vec<Timestamp>,
    pub baseline: f64,
    pub seasonal_amplitude: f64,
    pub peak_month: u8,
    pub noise: f64,
    pub spikes: Vec<(Interval, f64)>,
}

pub struct Shipment {
    pub id: String,
    pub cargo: String,
    pub containers: u32,
    pub legs: Vec<Leg>,
}

pub struct Leg {
    pub mode: LegMode,
    pub vessel: Option<usize>,
    pub from: usize,
    pub to: usize,
    pub depart: Timestamp,
    pub arrive: Timestamp,
    pub cars: u32,
    /// Sites where the cargo is seen and when: `from`, `via…`, `to`.
    pub presence: Vec<(usize, Interval)>,
}
