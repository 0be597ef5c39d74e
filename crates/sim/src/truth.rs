//! `truth.json`: everything that really happened in a simulated world —
//! the events later stages must find, with stable ids — and how the
//! detections and observations came about. The schema is documented in
//! `docs/simulate.md`; `schema` names its version.

use std::collections::BTreeMap;

use serde::Serialize;
use tumen_model::{LatLon, Timestamp};

use crate::facilities::Observation;
use crate::feed::FeedStats;
use crate::imagery::{Detection, DetectionTruth, Missed};
use crate::plan::Activity;
use crate::scenario::format::{AisClass, GlitchMode, LegMode, ObjectClass, SpoofMode};
use crate::world::{Identity, Interval, SpoofKind, Vessel, World};

pub const SCHEMA: &str = "tumen.sim.truth/1";

#[derive(Serialize)]
pub struct Truth<'a> {
    pub schema: &'static str,
    pub scenario: ScenarioInfo<'a>,
    pub feed: &'a FeedStats,
    pub vessels: Vec<VesselRecord<'a>>,
    pub events: Vec<Event>,
    pub shipments: Vec<ShipmentRecord>,
    pub detections: Vec<DetectionRecord>,
    pub missed_detections: Vec<MissedRecord>,
    pub observations: Vec<ObservationRecord>,
}

#[derive(Serialize)]
pub struct ScenarioInfo<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub start: String,
    pub end: String,
    pub seed: u64,
}

#[derive(Serialize)]
pub struct VesselRecord<'a> {
    pub id: &'a str,
    pub background: bool,
    pub illicit: bool,
    pub class: AisClass,
    pub length_m: f64,
    pub beam_m: f64,
    /// Each identity the vessel broadcast and from when until when (open
    /// ends are `null`).
    pub identities: Vec<IdentitySpan<'a>>,
}

#[derive(Serialize)]
pub struct IdentitySpan<'a> {
    pub from: Option<String>,
    pub until: Option<String>,
    #[serde(flatten)]
    pub identity: &'a Identity,
}

/// One event. `start`/`end` bound it; `vessels` are vessel ids.
#[derive(Serialize, Clone, Debug)]
pub struct Event {
    pub id: String,
    #[serde(serialize_with = "rfc3339")]
    pub start: Timestamp,
    #[serde(serialize_with = "rfc3339")]
    pub end: Timestamp,
    pub vessels: Vec<String>,
    pub illicit: bool,
    #[serde(flatten)]
    pub detail: EventDetail,
}

#[derive(Serialize, Clone, Debug)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventDetail {
    /// `start`/`end`: entering and leaving the place; the stop (moored or
    /// at anchor) is `stop_start`–`stop_end`.
    PortVisit {
        place: String,
        #[serde(serialize_with = "rfc3339")]
        stop_start: Timestamp,
        #[serde(serialize_with = "rfc3339")]
        stop_end: Timestamp,
        anchored: bool,
        /// Share of the stop spent with AIS off (1 = a dark port call).
        ais_off_share: f64,
    },
    /// The transmitter was off from `start` to `end`.
    DarkPeriod {
        cause: String,
        start_position: [f64; 2],
        end_position: [f64; 2],
        distance_km: f64,
    },
    /// Two vessels side by side.
    Encounter {
        encounter: String,
        position: [f64; 2],
        min_distance_m: f64,
        max_distance_m: f64,
        median_speed_knots: f64,
    },
    Loitering {
        center: [f64; 2],
        radius_m: f64,
        speed_knots: f64,
    },
    /// A share of the reports spoiled by a transponder habit.
    DataQuality {
        glitch: GlitchMode,
        share: f64,
    },
    /// Broadcast positions were false.
    Spoofing {
        mode: SpoofMode,
        detail: String,
    },
    /// One broadcast identity field changed.
    IdentityChange {
        field: String,
        from: String,
        to: String,
    },
    /// Two vessels broadcast one MMSI at the same time.
    SharedMmsi {
        mmsi: u32,
    },
    /// Two vessels broadcast one IMO number at the same time.
    SharedImo {
        imo: u32,
    },
    DraughtChange {
        from_m: f64,
        to_m: f64,
        place: Option<String>,
    },
    /// Observations at a site above its ordinary level because of the
    /// scenario's activity or a stated spike.
    FacilitySpike {
        site: String,
        object: ObjectClass,
        peak_count: u32,
        baseline: f64,
        observations: usize,
        sources: Vec<String>,
    },
}

#[derive(Serialize)]
pub struct ShipmentRecord {
    pub id: String,
    pub cargo: String,
    pub containers: u32,
    pub origin: String,
    pub destination: String,
    pub start: String,
    pub end: String,
    pub vessels: Vec<String>,
    pub legs: Vec<LegRecord>,
    /// Ids of the events that make up the chain.
    pub events: Vec<String>,
}

#[derive(Serialize)]
pub struct LegRecord {
    pub mode: LegMode,
    pub vessel: Option<String>,
    pub from: String,
    pub to: String,
    pub depart: String,
    pub arrive: String,
    pub cars: u32,
    pub presence: Vec<Presence>,
}

#[derive(Serialize)]
pub struct Presence {
    pub site: String,
    pub from: String,
    pub until: String,
}

#[derive(Serialize)]
pub struct DetectionRecord {
    pub detect_id: String,
    /// `vessel`, `structure` or `false_alarm`.
    pub truth: &'static str,
    pub vessel: Option<String>,
    /// MMSI the vessel broadcast at the time (even if its AIS was off).
    pub mmsi: Option<u32>,
    pub structure: Option<String>,
    /// The vessel's AIS was off when the image was taken.
    pub dark: bool,
    pub true_position: Option<[f64; 2]>,
    pub error_m: Option<f64>,
}

#[derive(Serialize)]
pub struct MissedRecord {
    pub scene_id: String,
    pub vessel: String,
}

#[derive(Serialize)]
pub struct ObservationRecord {
    pub site: String,
    pub object: ObjectClass,
    pub time: String,
    pub count: u32,
    pub expected_baseline: f64,
    pub spike: f64,
    pub activity: u32,
    pub activity_sources: Vec<String>,
}

fn ts(t: Timestamp) -> String {
    t.to_string()
}

fn rfc3339<S: serde::Serializer>(t: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(t)
}

fn point(p: LatLon) -> [f64; 2] {
    [(p.lat_deg * 1e6).round() / 1e6, (p.lon_deg * 1e6).round() / 1e6]
}

/// How finely visit boundaries and encounter distances are measured.
const SAMPLE_MS: i64 = 30_000;

/// Builds the truth of a simulated world.
pub fn build<'a>(
    world: &'a World,
    feed: &'a FeedStats,
    detections: &[Detection],
    missed: &[Missed],
    observations: &[Observation],
) -> Truth<'a> {
    let window = Interval { start: world.start, end: world.end };
    let mut events = Vec::new();
    for vessel in &world.vessels {
        port_visits(world, vessel, window, &mut events);
        dark_periods(vessel, window, &mut events);
        loitering(vessel, window, &mut events);
        spoofing(vessel, window, &mut events);
        data_quality(vessel, window, &mut events);
        identity_changes(vessel, window, &mut events);
        draught_changes(world, vessel, window, &mut events);
    }
    encounters(world, &mut events);
    shared_identities(world, window, &mut events);
    facility_spikes(world, observations, &mut events);
    events.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
    let shipments = shipments(world, &events);
    Truth {
        schema: SCHEMA,
        scenario: ScenarioInfo {
            name: &world.name,
            description: &world.description,
            start: ts(world.start),
            end: ts(world.end),
            seed: world.seed,
        },
        feed,
        vessels: world.vessels.iter().map(vessel_record).collect(),
        events,
        shipments,
        detections: detections.iter().map(|d| detection_record(world, d)).collect(),
        missed_detections: missed
            .iter()
            .map(|m| MissedRecord {
                scene_id: world.scenes[m.scene].id.clone(),
                vessel: world.vessels[m.vessel].id.clone(),
            })
            .collect(),
        observations: observations
            .iter()
            .map(|o| {
                let facility = &world.facilities[o.facility];
                ObservationRecord {
                    site: world.places[facility.site].id.clone(),
                    object: facility.object,
                    time: ts(o.time),
                    count: o.count,
                    expected_baseline: (o.expected_baseline * 100.0).round() / 100.0,
                    spike: o.spike,
                    activity: o.activity,
                    activity_sources: o.activity_sources.clone(),
                }
            })
            .collect(),
    }
}

fn vessel_record(vessel: &Vessel) -> VesselRecord<'_> {
    VesselRecord {
        id: &vessel.id,
        background: vessel.background,
        illicit: vessel.illicit,
        class: vessel.class,
        length_m: vessel.length_m,
        beam_m: vessel.beam_m,
        identities: vessel
            .identity
            .spans()
            .enumerate()
            .map(|(i, (from, until, identity))| IdentitySpan {
                from: (i > 0).then(|| ts(from)),
                until: until.map(ts),
                identity,
            })
            .collect(),
    }
}

fn overlaps(a: Interval, b: Interval) -> bool {
    a.start < b.end && b.start < a.end
}

/// Share of `interval` during which the vessel's AIS was off.
fn dark_share(vessel: &Vessel, interval: Interval) -> f64 {
    let total = interval.end.ms_since(interval.start);
    if total <= 0 {
        return 0.0;
    }
    let dark: i64 = vessel
        .dark
        .iter()
        .map(|d| (d.interval.end.min(interval.end).ms_since(d.interval.start.max(interval.start))).max(0))
        .sum();
    ((dark as f64 / total as f64) * 1000.0).round() / 1000.0
}

/// Where a stop is: a place of the scenario, or a port or anchorage of
/// the world Tumen ships (a ship anchored among Vostochny's anchorage cells
/// is in port to an observer, whether the scenario named the place or not).
pub enum StopPlace<'a> {
    Scenario(&'a crate::world::Place),
    World(&'static tumen_places::Place),
}

impl<'a> StopPlace<'a> {
    /// The place a truth event names by `id`: the scenario's, else the
    /// world's.
    pub fn by_id(world: &'a World, id: &str) -> Option<StopPlace<'a>> {
        let scenario = world.places.iter().find(|p| p.id == id).map(StopPlace::Scenario);
        scenario.or_else(|| tumen_places::Gazetteer::embedded().get(id).map(StopPlace::World))
    }

    pub fn id(&self) -> &str {
        match self {
            StopPlace::Scenario(p) => &p.id,
            StopPlace::World(p) => &p.id,
        }
    }

    pub fn contains(&self, at: LatLon) -> bool {
        match self {
            StopPlace::Scenario(p) => p.contains(at),
            StopPlace::World(p) => p.contains(at),
        }
    }

    /// The port a stop the scenario did not place lies in: the scenario's
    /// own first, then the world's.
    fn of_unplaced(world: &'a World, at: LatLon) -> Option<StopPlace<'a>> {
        let scenario = world.places.iter().find(|p| p.kind.is_maritime() && p.contains(at));
        scenario.map(StopPlace::Scenario).or_else(|| {
            tumen_places::Gazetteer::embedded().first_containing(at, |p| p.kind.is_maritime()).map(StopPlace::World)
        })
    }
}

fn port_visits(world: &World, vessel: &Vessel, window: Interval, events: &mut Vec<Event>) {
    let segments = vessel.plan.segments();
    let mut n = 0;
    let mut i = 0;
    while i < segments.len() {
        let unplaced_at = || match segments[i].motion {
            crate::plan::Motion::Still { at, .. } => StopPlace::of_unplaced(world, at),
            _ => None,
        };
        let (place_ref, anchored) = match segments[i].activity {
            Activity::Moored { place: Some(p) } => (StopPlace::Scenario(&world.places[p]), false),
            Activity::Anchored { place: Some(p) } => (StopPlace::Scenario(&world.places[p]), true),
            Activity::Moored { place: None } | Activity::Anchored { place: None } => match unplaced_at() {
                Some(place) => (place, matches!(segments[i].activity, Activity::Anchored { .. })),
                None => {
                    i += 1;
                    continue;
                }
            },
            _ => {
                i += 1;
                continue;
            }
        };
        // One stop may span several segments at the same place.
        let mut j = i;
        while j + 1 < segments.len() && segments[j + 1].activity == segments[i].activity {
            j += 1;
        }
        let stop = Interval { start: segments[i].start, end: segments[j].end };
        i = j + 1;
        let inside = |t: Timestamp| vessel.plan.state_at(t).is_some_and(|k| place_ref.contains(k.position));
        let plan_start = vessel.plan.start().unwrap_or(stop.start);
        let plan_end = vessel.plan.end().unwrap_or(stop.end);
        let arrive = boundary(stop.start, plan_start, -SAMPLE_MS, &inside);
        let depart = boundary(stop.end, plan_end, SAMPLE_MS, &inside);
        let visit = Interval { start: arrive, end: depart };
        if !overlaps(visit, window) {
            continue;
        }
        n += 1;
        events.push(Event {
            id: format!("port_visit:{}:{n}", vessel.id),
            start: visit.start,
            end: visit.end,
            vessels: vec![vessel.id.clone()],
            illicit: vessel.illicit && dark_share(vessel, stop) > 0.0,
            detail: EventDetail::PortVisit {
                place: place_ref.id().to_owned(),
                stop_start: stop.start,
                stop_end: stop.end,
                anchored,
                ais_off_share: dark_share(vessel, stop),
            },
        });
    }
}

/// From `from` (inside), steps by `step_ms` towards `limit` while still
/// inside, then narrows the crossing down to a second: the instant of
/// entering (stepping back) or leaving (stepping forward).
fn boundary(from: Timestamp, limit: Timestamp, step_ms: i64, inside: &dyn Fn(Timestamp) -> bool) -> Timestamp {
    let toward = |t: Timestamp, by: i64| {
        let next = t.plus_ms(by);
        if by < 0 { next.max(limit) } else { next.min(limit) }
    };
    let mut last_inside = from;
    loop {
        if last_inside == limit {
            return limit;
        }
        let next = toward(last_inside, step_ms);
        if !inside(next) {
            // The crossing lies between last_inside and next.
            let (mut a, mut b) = (last_inside, next);
            while a.ms_since(b).abs() > 1000 {
                let middle = a.plus_ms(b.ms_since(a) / 2);
                if inside(middle) {
                    a = middle;
                } else {
                    b = middle;
                }
            }
            return a;
        }
        last_inside = next;
    }
}

fn dark_periods(vessel: &Vessel, window: Interval, events: &mut Vec<Event>) {
    for (n, period) in vessel.dark.iter().filter(|d| overlaps(d.interval, window)).enumerate() {
        let start = period.interval.start.max(window.start);
        let end = period.interval.end.min(window.end);
        let (Some(a), Some(b)) = (vessel.plan.state_at(start), vessel.plan.state_at(end)) else { continue };
        events.push(Event {
            id: format!("dark_period:{}:{}", vessel.id, n + 1),
            start,
            end,
            vessels: vec![vessel.id.clone()],
            illicit: period.illicit,
            detail: EventDetail::DarkPeriod {
                cause: period.cause.clone(),
                start_position: point(a.position),
                end_position: point(b.position),
                distance_km: (a.position.distance_m(b.position) / 100.0).round() / 10.0,
            },
        });
    }
}

/// Loitering as its definition reads (GFW: slower than 2 kn, at least
/// 20 nm from shore on average; Tumen: for 2 h or more, and not a declared
/// stop): the scenario's loitering circles, and also a ship waiting at sea,
/// two ships drifting side by side, or a class B vessel (which cannot
/// declare it) at anchor offshore — all loitering to an observer.
fn loitering(vessel: &Vessel, window: Interval, events: &mut Vec<Event>) {
    let land = tumen_places::Land::embedded();
    let mut n = 0;
    for segment in vessel.plan.segments() {
        if !overlaps(Interval { start: segment.start, end: segment.end }, window) {
            continue;
        }
        let (center, radius_m, speed_knots) = match (&segment.motion, segment.activity) {
            (crate::plan::Motion::Circle { center, radius_m, speed_knots, .. }, Activity::Loitering) => {
                (*center, *radius_m, *speed_knots)
            }
            (crate::plan::Motion::Drift { from, speed_knots, .. }, Activity::Waiting | Activity::Meeting { .. })
                if *speed_knots < LOITERING_BELOW_KNOTS =>
            {
                (*from, 0.0, *speed_knots)
            }
            (crate::plan::Motion::Still { at, .. }, Activity::Anchored { place: None })
                if vessel.class == AisClass::B =>
            {
                (*at, 0.0, 0.0)
            }
            _ => continue,
        };
        let hours = segment.end.ms_since(segment.start) as f64 / 3_600_000.0;
        let offshore_nm = land.distance_to_shore_km(center.lat_deg, center.lon_deg) / 1.852;
        if segment.activity != Activity::Loitering
            && (hours < LOITERING_MIN_HOURS || offshore_nm < LOITERING_MIN_OFFSHORE_NM)
        {
            continue;
        }
        n += 1;
        events.push(Event {
            id: format!("loitering:{}:{n}", vessel.id),
            start: segment.start,
            end: segment.end,
            vessels: vec![vessel.id.clone()],
            illicit: vessel.illicit && matches!(segment.activity, Activity::Loitering | Activity::Meeting { .. }),
            detail: EventDetail::Loitering { center: point(center), radius_m, speed_knots },
        });
    }
}

/// The loitering definition's thresholds (FACTS.md §2; the minimum
/// duration is Tumen's default).
const LOITERING_BELOW_KNOTS: f64 = 2.0;
const LOITERING_MIN_OFFSHORE_NM: f64 = 20.0;
const LOITERING_MIN_HOURS: f64 = 2.0;

fn spoofing(vessel: &Vessel, window: Interval, events: &mut Vec<Event>) {
    for (n, spoof) in vessel.spoofs.iter().filter(|s| overlaps(s.interval, window)).enumerate() {
        let (mode, detail) = match spoof.kind {
            SpoofKind::Jump { north_m, east_m } => (
                SpoofMode::Jump,
                format!("positions displaced {:.1} km north, {:.1} km east", north_m / 1000.0, east_m / 1000.0),
            ),
            SpoofKind::Circle { center, radius_m, speed_knots } => (
                SpoofMode::Circle,
                format!(
                    "circle of {:.1} km radius round {:.4}, {:.4} at {speed_knots} kn",
                    radius_m / 1000.0,
                    center.lat_deg,
                    center.lon_deg
                ),
            ),
            SpoofKind::Fixed { at } => {
                (SpoofMode::Fixed, format!("fixed position {:.4}, {:.4}", at.lat_deg, at.lon_deg))
            }
        };
        events.push(Event {
            id: format!("spoofing:{}:{}", vessel.id, n + 1),
            start: spoof.interval.start,
            end: spoof.interval.end,
            vessels: vec![vessel.id.clone()],
            illicit: spoof.illicit,
            detail: EventDetail::Spoofing { mode, detail },
        });
    }
}

/// Transponder habits that spoil reports: data quality, not behaviour (a
/// stale navigational status spoils no position and is left out).
fn data_quality(vessel: &Vessel, window: Interval, events: &mut Vec<Event>) {
    let spoiling = vessel.glitches.iter().filter(|g| g.mode != GlitchMode::StaleStatus);
    for (n, glitch) in spoiling.filter(|g| overlaps(g.interval, window)).enumerate() {
        events.push(Event {
            id: format!("data_quality:{}:{}", vessel.id, n + 1),
            start: glitch.interval.start,
            end: glitch.interval.end,
            vessels: vec![vessel.id.clone()],
            illicit: false,
            detail: EventDetail::DataQuality { glitch: glitch.mode, share: glitch.share },
        });
    }
}

fn identity_changes(vessel: &Vessel, window: Interval, events: &mut Vec<Event>) {
    let mut n = 0;
    for (at, before, after) in vessel.identity.changes() {
        if !window.contains(at) {
            continue;
        }
        let fields: [(&str, String, String); 6] = [
            ("mmsi", before.mmsi.to_string(), after.mmsi.to_string()),
            ("imo", opt(before.imo), opt(after.imo)),
            ("name", before.name.clone(), after.name.clone()),
            ("call_sign", before.call_sign.clone(), after.call_sign.clone()),
            ("flag", before.flag.clone().unwrap_or_default(), after.flag.clone().unwrap_or_default()),
            ("ship_type", before.ship_type.to_string(), after.ship_type.to_string()),
        ];
        for (field, from, to) in fields {
            if from == to {
                continue;
            }
            n += 1;
            events.push(Event {
                id: format!("identity_change:{}:{n}", vessel.id),
                start: at,
                end: at,
                vessels: vec![vessel.id.clone()],
                illicit: vessel.illicit,
                detail: EventDetail::IdentityChange { field: field.into(), from, to },
            });
        }
    }
}

fn opt(value: Option<u32>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

fn draught_changes(world: &World, vessel: &Vessel, window: Interval, events: &mut Vec<Event>) {
    let mut n = 0;
    for (at, before, after) in vessel.draught_m.changes() {
        if !window.contains(at) || before == after {
            continue;
        }
        n += 1;
        let place = vessel.plan.segment_index_at(at).and_then(|i| {
            // A draught set at the end of a stop belongs to that stop.
            let index = if i > 0 && vessel.plan.segments()[i].start == at { i - 1 } else { i };
            match vessel.plan.segments()[index].activity {
                Activity::Moored { place: Some(p) } | Activity::Anchored { place: Some(p) } => {
                    Some(world.places[p].id.clone())
                }
                _ => None,
            }
        });
        events.push(Event {
            id: format!("draught_change:{}:{n}", vessel.id),
            start: at,
            end: at,
            vessels: vec![vessel.id.clone()],
            illicit: vessel.illicit,
            detail: EventDetail::DraughtChange { from_m: *before, to_m: *after, place },
        });
    }
}

fn encounters(world: &World, events: &mut Vec<Event>) {
    for encounter in &world.encounters {
        let [a, b] = encounter.vessels.map(|v| &world.vessels[v]);
        let mut distances = Vec::new();
        let mut speeds = Vec::new();
        let mut t = encounter.interval.start;
        while t <= encounter.interval.end {
            if let (Some(ka), Some(kb)) = (a.plan.state_at(t), b.plan.state_at(t)) {
                distances.push(ka.position.distance_m(kb.position));
                speeds.push(ka.sog_knots);
                speeds.push(kb.sog_knots);
            }
            t = t.plus_ms(SAMPLE_MS);
        }
        speeds.sort_by(f64::total_cmp);
        let median = speeds.get(speeds.len() / 2).copied().unwrap_or(0.0);
        let min = distances.iter().copied().fold(f64::INFINITY, f64::min);
        let max = distances.iter().copied().fold(0.0, f64::max);
        events.push(Event {
            id: format!("encounter:{}", encounter.id),
            start: encounter.interval.start,
            end: encounter.interval.end,
            vessels: vec![a.id.clone(), b.id.clone()],
            illicit: encounter.illicit,
            detail: EventDetail::Encounter {
                encounter: encounter.id.clone(),
                position: point(encounter.at),
                min_distance_m: (min * 10.0).round() / 10.0,
                max_distance_m: (max * 10.0).round() / 10.0,
                median_speed_knots: (median * 100.0).round() / 100.0,
            },
        });
    }
}

/// Two vessels broadcasting one MMSI (or IMO) over a common span; only
/// scenario vessels can, since generated ones get unique identities.
fn shared_identities(world: &World, window: Interval, events: &mut Vec<Event>) {
    let named: Vec<&Vessel> = world.vessels.iter().filter(|v| !v.background).collect();
    let span_of = |from: Timestamp, until: Option<Timestamp>, v: &Vessel| Interval {
        start: from.max(v.plan.start().unwrap_or(window.start)).max(window.start),
        end: until.unwrap_or(window.end).min(v.plan.end().unwrap_or(window.end)).min(window.end),
    };
    let mut shared: BTreeMap<(String, String, &'static str, u32), Interval> = BTreeMap::new();
    for (i, a) in named.iter().enumerate() {
        for b in &named[i + 1..] {
            for (from_a, until_a, id_a) in a.identity.spans() {
                for (from_b, until_b, id_b) in b.identity.spans() {
                    let (sa, sb) = (span_of(from_a, until_a, a), span_of(from_b, until_b, b));
                    let common = Interval { start: sa.start.max(sb.start), end: sa.end.min(sb.end) };
                    if common.start >= common.end {
                        continue;
                    }
                    let mut add = |what: &'static str, value: u32| {
                        let entry = shared.entry((a.id.clone(), b.id.clone(), what, value)).or_insert(common);
                        entry.start = entry.start.min(common.start);
                        entry.end = entry.end.max(common.end);
                    };
                    if id_a.mmsi == id_b.mmsi {
                        add("mmsi", id_a.mmsi);
                    }
                    if let (Some(x), Some(y)) = (id_a.imo, id_b.imo)
                        && x == y
                        && x != 0
                    {
                        add("imo", x);
                    }
                }
            }
        }
    }
    for ((a, b, what, value), interval) in shared {
        let illicit = world.vessels.iter().any(|v| (v.id == a || v.id == b) && v.illicit);
        events.push(Event {
            id: format!("shared_{what}:{a}:{b}"),
            start: interval.start,
            end: interval.end,
            vessels: vec![a, b],
            illicit,
            detail: if what == "mmsi" {
                EventDetail::SharedMmsi { mmsi: value }
            } else {
                EventDetail::SharedImo { imo: value }
            },
        });
    }
}

fn facility_spikes(world: &World, observations: &[Observation], events: &mut Vec<Event>) {
    let mut run: Vec<&Observation> = Vec::new();
    let mut counter: BTreeMap<String, usize> = BTreeMap::new();
    let mut flush = |run: &mut Vec<&Observation>, events: &mut Vec<Event>| {
        let (Some(first), Some(last)) = (run.first(), run.last()) else { return };
        let facility = &world.facilities[first.facility];
        let site = world.places[facility.site].id.clone();
        let peak = run.iter().max_by_key(|o| o.count).expect("non-empty run");
        let mut sources: Vec<String> = run.iter().flat_map(|o| o.activity_sources.iter().cloned()).collect();
        if run.iter().any(|o| o.spike > 0.0) {
            sources.push("stated spike".into());
        }
        sources.sort();
        sources.dedup();
        let object = match facility.object {
            ObjectClass::RailCar => "rail_car",
            ObjectClass::Container => "container",
            ObjectClass::Vessel => "vessel",
            ObjectClass::Vehicle => "vehicle",
        };
        let n = counter.entry(format!("{site}:{object}")).or_insert(0);
        *n += 1;
        events.push(Event {
            id: format!("facility_spike:{site}:{object}:{n}"),
            start: first.time,
            end: last.time,
            vessels: Vec::new(),
            illicit: true,
            detail: EventDetail::FacilitySpike {
                site,
                object: facility.object,
                peak_count: peak.count,
                baseline: (peak.expected_baseline * 10.0).round() / 10.0,
                observations: run.len(),
                sources,
            },
        });
        run.clear();
    };
    for observation in observations {
        if run.last().is_some_and(|last| last.facility != observation.facility) {
            flush(&mut run, events);
        }
        let raised = observation.spike > 0.0 || observation.activity > 0;
        // Scenario vessels at a port are ordinary traffic for vessel counts.
        let counts = world.facilities[observation.facility].object != ObjectClass::Vessel;
        if raised && counts {
            run.push(observation);
        } else {
            flush(&mut run, events);
        }
    }
    flush(&mut run, events);
}

/// Shipments with the events that make their chains: the loading and
/// unloading visits, the carrying vessel's dark periods and encounters
/// during the sea leg, and facility spikes while the cargo was at a site.
fn shipments(world: &World, events: &[Event]) -> Vec<ShipmentRecord> {
    world
        .shipments
        .iter()
        .map(|shipment| {
            let mut event_ids = Vec::new();
            let mut vessels = Vec::new();
            for leg in &shipment.legs {
                if let (LegMode::Sea, Some(v)) = (leg.mode, leg.vessel) {
                    let vessel = &world.vessels[v];
                    vessels.push(vessel.id.clone());
                    let voyage = Interval {
                        start: leg.presence.first().map_or(leg.depart, |(_, w)| w.start),
                        end: leg.presence.last().map_or(leg.arrive, |(_, w)| w.end),
                    };
                    for event in events {
                        if !event.vessels.contains(&vessel.id) {
                            continue;
                        }
                        let span = Interval { start: event.start, end: event.end.max(event.start.plus_ms(1)) };
                        let relevant = match &event.detail {
                            EventDetail::PortVisit { place, stop_start, .. } => {
                                (place == &world.places[leg.from].id || place == &world.places[leg.to].id)
                                    && leg.presence.iter().any(|(_, w)| w.contains(*stop_start))
                            }
                            EventDetail::DarkPeriod { .. }
                            | EventDetail::Encounter { .. }
                            | EventDetail::DraughtChange { .. }
                            | EventDetail::Spoofing { .. } => overlaps(span, voyage),
                            _ => false,
                        };
                        if relevant {
                            event_ids.push(event.id.clone());
                        }
                    }
                }
                for (site, presence) in &leg.presence {
                    for event in events {
                        let EventDetail::FacilitySpike { site: spike_site, sources, .. } = &event.detail else {
                            continue;
                        };
                        let span = Interval { start: event.start, end: event.end.plus_ms(1) };
                        if spike_site == &world.places[*site].id
                            && overlaps(span, *presence)
                            && sources.contains(&shipment.id)
                        {
                            event_ids.push(event.id.clone());
                        }
                    }
                }
            }
            event_ids.dedup();
            let mut seen = std::collections::HashSet::new();
            event_ids.retain(|id| seen.insert(id.clone()));
            vessels.dedup();
            let first = shipment.legs.first().expect("shipments have legs");
            let last = shipment.legs.last().expect("shipments have legs");
            ShipmentRecord {
                id: shipment.id.clone(),
                cargo: shipment.cargo.clone(),
                containers: shipment.containers,
                origin: world.places[first.from].id.clone(),
                destination: world.places[last.to].id.clone(),
                start: ts(first.depart),
                end: ts(last.arrive),
                vessels,
                legs: shipment
                    .legs
                    .iter()
                    .map(|leg| LegRecord {
                        mode: leg.mode,
                        vessel: leg.vessel.map(|v| world.vessels[v].id.clone()),
                        from: world.places[leg.from].id.clone(),
                        to: world.places[leg.to].id.clone(),
                        depart: ts(leg.depart),
                        arrive: ts(leg.arrive),
                        cars: leg.cars,
                        presence: leg
                            .presence
                            .iter()
                            .map(|(site, w)| Presence {
                                site: world.places[*site].id.clone(),
                                from: ts(w.start),
                                until: ts(w.end),
                            })
                            .collect(),
                    })
                    .collect(),
                events: event_ids,
            }
        })
        .collect()
}

fn detection_record(world: &World, detection: &Detection) -> DetectionRecord {
    match &detection.truth {
        DetectionTruth::Vessel { vessel, true_position, dark } => {
            let v = &world.vessels[*vessel];
            DetectionRecord {
                detect_id: detection.id.clone(),
                truth: "vessel",
                vessel: Some(v.id.clone()),
                mmsi: Some(v.identity.at(detection.time).mmsi),
                structure: None,
                dark: *dark,
                true_position: Some(point(*true_position)),
                error_m: Some((true_position.distance_m(detection.position) * 10.0).round() / 10.0),
            }
        }
        DetectionTruth::Structure { structure } => DetectionRecord {
            detect_id: detection.id.clone(),
            truth: "structure",
            vessel: None,
            mmsi: None,
            structure: Some(world.structures[*structure].id.clone()),
            dark: false,
            true_position: Some(point(world.structures[*structure].at)),
            error_m: Some((world.structures[*structure].at.distance_m(detection.position) * 10.0).round() / 10.0),
        },
        DetectionTruth::FalseAlarm => DetectionRecord {
            detect_id: detection.id.clone(),
            truth: "false_alarm",
            vessel: None,
            mmsi: None,
            structure: None,
            dark: false,
            true_position: None,
            error_m: None,
        },
    }
}
