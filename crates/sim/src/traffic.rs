//! Background traffic: vessels generated from a `[[traffic]]` table, with
//! identities and plans drawn from the seed, so detectors face the noise of
//! ordinary shipping.

use std::collections::HashSet;
use std::sync::Arc;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use tumen_model::{Imo, LatLon, Timestamp};

use crate::path::Path;
use crate::plan::{Activity, Motion, Plan, knots_to_mps, nav_status};
use crate::scenario::format::{AisClass, TrafficKind, TrafficSpec};
use crate::world::{Identity, Place, Timeline, Vessel};

/// Where a traffic table's vessels go, resolved from the scenario.
pub enum TrafficArea {
    /// Routes (waypoints) to shuttle along.
    Lanes(Vec<Vec<LatLon>>),
    /// A latitude/longitude box.
    Box { south: f64, west: f64, north: f64, east: f64 },
}

/// Identities already taken, so generated vessels never share an MMSI or
/// IMO by accident (sharing is a behaviour the scenario states).
#[derive(Default)]
pub struct TakenIdentities {
    pub mmsi: HashSet<u32>,
    pub imo: HashSet<u32>,
}

/// A random-number stream for one object, derived from the seed and a
/// path of labels: each vessel, receiver and scene draws from its own, so
/// results do not depend on the order or the threads things run in.
pub fn stream(seed: u64, labels: &[u64]) -> Pcg64Mcg {
    // SplitMix64 steps mix each label into the state.
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
    for &label in labels {
        state = state.wrapping_add(label).wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        state = z ^ (z >> 31);
    }
    Pcg64Mcg::seed_from_u64(state)
}

/// Generates the vessels of one traffic table.
///
/// Identities are drawn vessel after vessel (they must be unique across all
/// traffic), then each vessel's plan from the rest of its own random
/// stream — on every core, as the plans are where the time goes (legs
/// routed round land), with the same vessels as one after another.
#[allow(clippy::too_many_arguments)]
pub fn generate(
    spec: &TrafficSpec,
    area: &TrafficArea,
    traffic_index: usize,
    seed: u64,
    start: Timestamp,
    end: Timestamp,
    places: &[Place],
    taken: &mut TakenIdentities,
) -> Vec<Vessel> {
    let drafts: Vec<Draft> = (0..spec.count)
        .map(|n| {
            let mut rng = stream(seed, &[1, traffic_index as u64, u64::from(n)]);
            let fishing = spec.kind == TrafficKind::Fishing;
            let class = if rng.random_bool(spec.class_b_share.0) { AisClass::B } else { AisClass::A };
            let ship_type = if fishing { 30 } else { *spec.ship_types.choose(&mut rng).expect("checked non-empty") };
            let identity = identity(&mut rng, spec, class, ship_type, taken);
            let length_m = uniform(&mut rng, spec.length_m.low, spec.length_m.high).round().max(5.0);
            let beam_m = (length_m * uniform(&mut rng, 0.13, 0.18)).round().max(2.0);
            let draught_m = match class {
                AisClass::A => ((length_m / 18.0) * uniform(&mut rng, 0.45, 1.0) * 10.0).round() / 10.0,
                AisClass::B => 0.0,
            }
            .min(25.5);
            let speed_knots = uniform(&mut rng, spec.speed_knots.low, spec.speed_knots.high);
            Draft { n, rng, class, identity, length_m, beam_m, draught_m, speed_knots }
        })
        .collect();
    map_on_every_core(drafts, |draft| vessel(spec, area, start, end, places, draft))
}

/// A background vessel drawn up to its plan: what was drawn of it, and its
/// random stream where the plan begins.
struct Draft {
    n: u32,
    rng: Pcg64Mcg,
    class: AisClass,
    identity: Identity,
    length_m: f64,
    beam_m: f64,
    draught_m: f64,
    speed_knots: f64,
}

/// The vessel a draft becomes once its plan is made.
fn vessel(
    spec: &TrafficSpec,
    area: &TrafficArea,
    start: Timestamp,
    end: Timestamp,
    places: &[Place],
    draft: Draft,
) -> Vessel {
    let Draft { n, mut rng, class, identity, length_m, beam_m, draught_m, speed_knots } = draft;
    let fishing = spec.kind == TrafficKind::Fishing;
    let dwell = || (spec.dwell_hours.low, spec.dwell_hours.high);
    let (plan, destination) = match area {
        TrafficArea::Lanes(lanes) => {
            let lane = lanes.choose(&mut rng).expect("checked non-empty");
            lane_plan(&mut rng, lane, speed_knots, dwell(), start, end, places)
        }
        TrafficArea::Box { south, west, north, east } => {
            let area = (*south, *west, *north, *east);
            let plan = if fishing {
                fishing_plan(&mut rng, area, speed_knots, start, end)
            } else if rng.random_bool(spec.anchored_share.0) {
                let mut plan = Plan::new();
                let at = random_point(&mut rng, area);
                let motion = Motion::Still { at, heading_deg: rng.random_range(0.0..360.0), anchored: true };
                plan.push(start, end, motion, Activity::Anchored { place: None });
                plan
            } else {
                wander_plan(&mut rng, area, speed_knots, dwell(), start, end)
            };
            (plan, String::new())
        }
    };
    Vessel {
        id: format!("{}-{}", spec.id, n + 1),
        background: true,
        illicit: false,
        class,
        length_m,
        beam_m,
        identity: Timeline::new(identity),
        draught_m: Timeline::new(draught_m),
        destination: Timeline::new(destination),
        plan,
        dark: Vec::new(),
        spoofs: Vec::new(),
        glitches: Vec::new(),
        cargo: Vec::new(),
    }
}

/// `items` mapped by `f` on every core, in their order.
fn map_on_every_core<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(items.len().max(1));
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let per_thread = items.len().div_ceil(threads);
    let mut chunks: Vec<Vec<T>> = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        chunks.push(items.by_ref().take(per_thread).collect());
    }
    std::thread::scope(|scope| {
        let f = &f;
        let workers: Vec<_> =
            chunks.into_iter().map(|chunk| scope.spawn(move || chunk.into_iter().map(f).collect::<Vec<U>>())).collect();
        workers.into_iter().flat_map(|w| w.join().expect("a plan maker panicked")).collect()
    })
}

fn uniform(rng: &mut Pcg64Mcg, low: f64, high: f64) -> f64 {
    if high > low { rng.random_range(low..high) } else { low }
}

const NAME_FIRST: &[&str] = &[
    "OCEAN", "GOLDEN", "BLUE", "GREAT", "NORTHERN", "EASTERN", "PACIFIC", "SILVER", "GRAND", "STAR", "SEA", "ORIENT",
    "HAPPY", "LUCKY", "NEW", "ROYAL", "BRIGHT", "GLORY", "WINNING", "JADE", "CRYSTAL", "PEARL", "MORNING", "HARMONY",
];
const NAME_SECOND: &[&str] = &[
    "PIONEER", "STAR", "WAVE", "SPIRIT", "DRAGON", "PHOENIX", "TRADER", "VOYAGER", "HORIZON", "BRIDGE", "FORTUNE",
    "EXPRESS", "CARRIER", "PRIDE", "WIND", "HOPE", "DAWN", "GRACE", "VICTORY", "ISLAND", "RIVER", "LINK",
];
const CALL_SIGN_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn identity(
    rng: &mut Pcg64Mcg,
    spec: &TrafficSpec,
    class: AisClass,
    ship_type: u8,
    taken: &mut TakenIdentities,
) -> Identity {
    let flag = spec.flags.choose(rng).expect("checked non-empty").to_ascii_uppercase();
    let mids = crate::flags::mids(&flag).expect("flags checked when compiling");
    let mmsi = loop {
        let mid = u32::from(*mids.choose(rng).expect("a flag with MIDs"));
        let candidate = mid * 1_000_000 + rng.random_range(0..1_000_000);
        if taken.mmsi.insert(candidate) {
            break candidate;
        }
    };
    let imo = (class == AisClass::A && ship_type != 30).then(|| {
        loop {
            let candidate = Imo::with_check_digit(rng.random_range(900_000..990_000)).expect("six digits").0;
            if taken.imo.insert(candidate) {
                break candidate;
            }
        }
    });
    let first = NAME_FIRST.choose(rng).expect("non-empty");
    let second = NAME_SECOND.choose(rng).expect("non-empty");
    let name = if rng.random_bool(0.4) {
        format!("{first} {second} {}", rng.random_range(1..30))
    } else {
        format!("{first} {second}")
    };
    let call_sign: String =
        (0..rng.random_range(4..=6)).map(|_| char::from(*CALL_SIGN_CHARS.choose(rng).expect("non-empty"))).collect();
    Identity { mmsi, imo, name, call_sign, flag: Some(flag), ship_type }
}

/// Shuttling along a lane: sail, stay at the end (moored if it is in a
/// place, else anchored), sail back, until `end`. Each vessel keeps its own
/// track, offset up to 1.5 km from the lane's waypoints, and starts at a
/// random point of its cycle.
fn lane_plan(
    rng: &mut Pcg64Mcg,
    lane: &[LatLon],
    speed_knots: f64,
    dwell_hours: (f64, f64),
    start: Timestamp,
    end: Timestamp,
    places: &[Place],
) -> (Plan, String) {
    let (north_m, east_m) = (rng.random_range(-1500.0..1500.0), rng.random_range(-1500.0..1500.0));
    let mut points: Vec<LatLon> = lane.to_vec();
    let interior = 1..points.len().saturating_sub(1);
    for p in &mut points[interior] {
        *p = p.destination(0.0, north_m).destination(90.0, east_m);
    }
    // The offsets can move a leg onto a cape the lane itself cleared.
    let mut points = crate::sea::route(&points);
    let forward = Arc::new(Path::new(&points));
    points.reverse();
    let backward = Arc::new(Path::new(&points));
    let place_at = |p: LatLon| places.iter().position(|place| place.contains(p));
    let mut plan = Plan::new();
    let mut t = start;
    let mut outbound = rng.random_bool(0.5);
    // Start somewhere in the cycle: in port with some of the stay left, or
    // part-way along the lane.
    let leg_ms = |path: &Path| (path.length_m() / knots_to_mps(speed_knots) * 1000.0) as i64;
    let mut first_leg_offset_ms = 0;
    if rng.random_bool(0.3) {
        let path = if outbound { &backward } else { &forward };
        let stay_ms = hours_ms(uniform(rng, dwell_hours.0, dwell_hours.1) * rng.random_range(0.0..1.0));
        let at = path.last();
        plan.push(t, t.plus_ms(stay_ms), still(at, place_at(at), rng), rest_activity(place_at(at)));
        t = t.plus_ms(stay_ms);
    } else {
        first_leg_offset_ms =
            (leg_ms(if outbound { &forward } else { &backward }) as f64 * rng.random_range(0.0..1.0)) as i64;
    }
    let mut destination = String::new();
    while t < end {
        let path = if outbound { &forward } else { &backward };
        let duration_ms = leg_ms(path) - first_leg_offset_ms;
        let travelled_m = knots_to_mps(speed_knots) * first_leg_offset_ms as f64 / 1000.0;
        let sub_path = if first_leg_offset_ms > 0 { Arc::new(tail(path, travelled_m)) } else { path.clone() };
        first_leg_offset_ms = 0;
        plan.push(t, t.plus_ms(duration_ms), Motion::Sail { path: sub_path, speed_knots }, Activity::Sailing);
        t = t.plus_ms(duration_ms);
        let at = path.last();
        let place = place_at(at);
        if destination.is_empty()
            && let Some(place) = place
        {
            destination = places[place]
                .name
                .to_ascii_uppercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
                .take(20)
                .collect();
        }
        let stay_ms = hours_ms(uniform(rng, dwell_hours.0, dwell_hours.1));
        plan.push(t, t.plus_ms(stay_ms), still(at, place, rng), rest_activity(place));
        t = t.plus_ms(stay_ms);
        outbound = !outbound;
    }
    (plan, destination)
}

/// The rest of a path after `from_m`, as its own path.
fn tail(path: &Path, from_m: f64) -> Path {
    // Sample the remaining path at its own resolution: waypoints every
    // 20 km reproduce great-circle legs to well under a metre.
    let remaining = (path.length_m() - from_m).max(0.0);
    let steps = (remaining / 20_000.0).ceil().max(1.0) as usize;
    let points: Vec<LatLon> = (0..=steps).map(|i| path.at(from_m + remaining * i as f64 / steps as f64).0).collect();
    Path::new(&points)
}

fn still(at: LatLon, place: Option<usize>, rng: &mut Pcg64Mcg) -> Motion {
    Motion::Still { at, heading_deg: rng.random_range(0.0..360.0), anchored: place.is_none() }
}

fn rest_activity(place: Option<usize>) -> Activity {
    match place {
        Some(place) => Activity::Moored { place: Some(place) },
        None => Activity::Anchored { place: None },
    }
}

/// A random point of the box, at sea.
fn random_point(rng: &mut Pcg64Mcg, (south, west, north, east): (f64, f64, f64, f64)) -> LatLon {
    let width = if east >= west { east - west } else { east + 360.0 - west };
    crate::sea::at_sea(|| LatLon {
        lat_deg: rng.random_range(south..=north),
        lon_deg: tumen_model::wrap_lon_deg(west + rng.random_range(0.0..=width)),
    })
}

/// Sailing between random points of the box, sometimes anchoring.
fn wander_plan(
    rng: &mut Pcg64Mcg,
    area: (f64, f64, f64, f64),
    speed_knots: f64,
    dwell_hours: (f64, f64),
    start: Timestamp,
    end: Timestamp,
) -> Plan {
    let mut plan = Plan::new();
    let mut here = random_point(rng, area);
    let mut t = start;
    while t < end {
        let next = random_point(rng, area);
        t = sail_leg(&mut plan, t, here, next, speed_knots);
        here = next;
        if rng.random_bool(0.25) {
            let stay_ms = hours_ms(uniform(rng, dwell_hours.0, dwell_hours.1));
            plan.push(t, t.plus_ms(stay_ms), still(here, None, rng), Activity::Anchored { place: None });
            t = t.plus_ms(stay_ms);
        }
    }
    plan
}

/// Trawling in slow circles for hours at a time, then steaming to another
/// ground in the box.
fn fishing_plan(
    rng: &mut Pcg64Mcg,
    area: (f64, f64, f64, f64),
    steam_knots: f64,
    start: Timestamp,
    end: Timestamp,
) -> Plan {
    let mut plan = Plan::new();
    let mut here = random_point(rng, area);
    let mut t = start;
    while t < end {
        let radius_m = rng.random_range(1500.0..5000.0);
        let center = here.destination(180.0, radius_m);
        let trawl_ms = hours_ms(rng.random_range(4.0..12.0));
        let motion = Motion::Circle {
            center,
            radius_m,
            speed_knots: rng.random_range(2.5..4.0),
            start_angle_deg: 0.0,
            nav_status: nav_status::ENGAGED_IN_FISHING,
        };
        plan.push(t, t.plus_ms(trawl_ms), motion, Activity::Fishing);
        t = t.plus_ms(trawl_ms);
        let from = plan.last_state().map_or(here, |k| k.position);
        let next = random_point(rng, area);
        t = sail_leg(&mut plan, t, from, next, steam_knots);
        here = next;
    }
    plan
}

/// Appends sailing from `from` to `to` at `t` (round any land between);
/// returns the arrival.
fn sail_leg(plan: &mut Plan, t: Timestamp, from: LatLon, to: LatLon, speed_knots: f64) -> Timestamp {
    let path = Arc::new(Path::new(&crate::sea::route(&[from, to])));
    let duration_ms = ((path.length_m() / knots_to_mps(speed_knots) * 1000.0) as i64).max(1);
    plan.push(t, t.plus_ms(duration_ms), Motion::Sail { path, speed_knots }, Activity::Sailing);
    t.plus_ms(duration_ms)
}

fn hours_ms(hours: f64) -> i64 {
    (hours * 3_600_000.0).round() as i64
}
