//! The truth agrees with the data: for every behaviour scenario and random
//! seeds, the simulator's NMEA is decoded (by `tumen-ais`) and every
//! message checked against the world that made it — a sender that had the
//! MMSI and was not dark, a position where that sender really was (or
//! where its stated spoofing put it), static data as its identity and
//! draught were, thinning honoured — and every truth event checked against
//! the vessels' true motion. Counts in the truth's feed statistics must
//! match what the decoder finds.

use std::collections::HashMap;

use crate::common::{Heard, Run, decode, shipped, simulate};
use proptest::prelude::*;
use tumen_ais::message::{StaticDataReport, Type24Dimensions};
use tumen_ais::{Message, RejectReason};
use tumen_model::{LatLon, Timestamp};
use tumen_sim::StopPlace;
use tumen_sim::world::{Coverage, GlitchMode, SpoofKind, Vessel, World};

/// GNSS noise (3 m σ, five sigma), half a second of movement at up to
/// 30 kn (receiver times are whole seconds), interpolation and rounding.
const POSITION_TOLERANCE_M: f64 = 40.0;

fn senders(world: &World, mmsi: u32, t: Timestamp) -> Vec<&Vessel> {
    // A transmission at t is stamped with t's whole second; a type 24 part B
    // goes one second after its part A.
    let instants = [t, t.plus_ms(999), t.plus_ms(-1000)];
    world
        .vessels
        .iter()
        .filter(|v| instants.iter().any(|&i| v.identity.at(i).mmsi == mmsi && v.plan.state_at(i).is_some()))
        .collect()
}

fn position_of(message: &Message) -> Option<LatLon> {
    let (lat, lon) = match message {
        Message::Position(m) => (m.lat_deg()?, m.lon_deg()?),
        Message::ClassBPosition(m) => (m.lat_deg()?, m.lon_deg()?),
        _ => return None,
    };
    Some(LatLon { lat_deg: lat, lon_deg: lon })
}

/// Whether `vessel` could have reported `reported` in the second from `t`:
/// a plan can change within it — arriving at an anchorage moves the vessel
/// from the end of its approach to its swinging position.
fn plausible_position(vessel: &Vessel, t: Timestamp, reported: LatLon) -> bool {
    within_the_second(t).any(|t| plausible_position_at(vessel, t, reported))
}

/// The start, middle and end of the second a receiver stamped `t` (whole
/// seconds): a message was sent somewhere in it, and what it reports (a
/// position, a draught, a destination) can change within it.
fn within_the_second(t: Timestamp) -> impl Iterator<Item = Timestamp> {
    [0, 500, 999].into_iter().map(move |ms| t.plus_ms(ms))
}

fn plausible_position_at(vessel: &Vessel, mid: Timestamp, reported: LatLon) -> bool {
    let Some(truth) = vessel.plan.state_at(mid) else { return false };
    if vessel.spoof_at(mid).is_none()
        && vessel.glitch_at(mid).is_some_and(|g| spoiled(g.mode, truth.position, reported))
    {
        return true;
    }
    match vessel.spoof_at(mid).map(|s| s.kind) {
        None => truth.position.distance_m(reported) <= POSITION_TOLERANCE_M,
        Some(SpoofKind::Jump { north_m, east_m }) => {
            let displaced = truth.position.destination(0.0, north_m).destination(90.0, east_m);
            displaced.distance_m(reported) <= POSITION_TOLERANCE_M + 100.0
        }
        Some(SpoofKind::Circle { center, radius_m, .. }) => (center.distance_m(reported) - radius_m).abs() <= 5.0,
        Some(SpoofKind::Fixed { at }) => at.distance_m(reported) <= 1.0,
    }
}

/// Whether `reported` is what the transponder habit `mode` makes of a
/// report at `truth`.
fn spoiled(mode: GlitchMode, truth: LatLon, reported: LatLon) -> bool {
    let off_m = truth.distance_m(reported);
    if let Some((from, to)) = mode.offset_m() {
        return (from - POSITION_TOLERANCE_M..=to + POSITION_TOLERANCE_M).contains(&off_m);
    }
    match mode {
        GlitchMode::SignFlip => {
            LatLon { lat_deg: truth.lat_deg, lon_deg: -truth.lon_deg }.distance_m(reported) <= POSITION_TOLERANCE_M
        }
        GlitchMode::NullIsland => reported.lat_deg == 0.0 && reported.lon_deg == 0.0,
        GlitchMode::OffTrack | GlitchMode::SameTime | GlitchMode::StaleStatus => false,
    }
}

fn check_messages(run: &Run, heard: &[Heard]) {
    let world = &run.world;
    let mut last_forwarded: HashMap<(String, u32), Timestamp> = HashMap::new();
    for h in heard {
        // Bare lines carry no receiver time: nothing to place them by.
        let Some(t) = h.time else { continue };
        let mmsi = h.message.mmsi().0;
        let candidates = senders(world, mmsi, t);
        assert!(!candidates.is_empty(), "line {}: no vessel had MMSI {mmsi} at {t}", h.line);
        let awake: Vec<&Vessel> =
            candidates.iter().copied().filter(|v| !v.is_dark_at(t) || !v.is_dark_at(t.plus_ms(999))).collect();
        assert!(!awake.is_empty(), "line {}: MMSI {mmsi} heard at {t} while its AIS was off", h.line);

        let receiver = h.receiver.as_deref().and_then(|id| world.receivers.iter().find(|r| r.id == id));
        if let Some(reported) = position_of(&h.message) {
            assert!(
                awake.iter().any(|v| plausible_position(v, t, reported)),
                "line {}: MMSI {mmsi} reported {reported:?} at {t}, where none of its senders was",
                h.line
            );
            if let Some(receiver) = receiver {
                if let Coverage::Terrestrial { at, range_m } = receiver.coverage {
                    // Coverage is looked up once a minute: allow a minute's sailing.
                    let in_range = awake
                        .iter()
                        .any(|v| v.plan.state_at(t).is_some_and(|k| at.distance_m(k.position) <= range_m + 1_000.0));
                    assert!(in_range, "line {}: heard by {} out of its range", h.line, receiver.id);
                }
                if receiver.min_interval_ms > 0 {
                    let key = (receiver.id.clone(), mmsi);
                    if let Some(previous) = last_forwarded.get(&key) {
                        // Lines may arrive out of order; thinning is by transmission time.
                        let gap = t.ms_since(*previous).abs();
                        assert!(
                            gap + 1000 >= receiver.min_interval_ms || senders(world, mmsi, t).len() > 1,
                            "line {}: {} passed two positions of {mmsi} {gap} ms apart",
                            h.line,
                            receiver.id
                        );
                    }
                    last_forwarded.insert(key, t);
                }
            }
        }
        match &h.message {
            Message::StaticAndVoyage(m) => {
                let matches = awake.iter().any(|v| {
                    within_the_second(t).any(|t| {
                        let identity = v.identity.at(t);
                        identity.name == m.shipname.as_str()
                            && identity.call_sign == m.callsign.as_str()
                            && identity.imo.unwrap_or(0) == m.imo
                            && identity.ship_type == m.ship_type
                            && (v.draught_m.at(t) * 10.0).round() as u8 == m.draught_m_e1
                            && v.destination.at(t) == m.destination.as_str()
                    })
                });
                assert!(matches, "line {}: type 5 of {mmsi} at {t} does not match its sender: {m:?}", h.line);
            }
            Message::StaticData(StaticDataReport::PartA(m)) => {
                let names: Vec<String> =
                    awake.iter().flat_map(|v| within_the_second(t).map(|t| v.identity.at(t).name.clone())).collect();
                assert!(names.iter().any(|n| n == m.shipname.as_str()), "line {}: 24A name {m:?} vs {names:?}", h.line);
            }
            Message::StaticData(StaticDataReport::PartB(m)) => {
                let matches = awake.iter().any(|v| {
                    within_the_second(t).any(|t| {
                        let identity = v.identity.at(t);
                        let Type24Dimensions::Ship { to_bow_m, to_stern_m, .. } = m.dimensions else { return false };
                        identity.call_sign == m.callsign.as_str()
                            && identity.ship_type == m.ship_type
                            && f64::from(to_bow_m + to_stern_m) == v.length_m.round()
                    })
                });
                assert!(matches, "line {}: 24B of {mmsi} at {t} does not match its sender: {m:?}", h.line);
            }
            _ => {}
        }
    }
}

fn check_accounting(run: &Run, stats: &tumen_ais::Stats) {
    let feed = &run.summary.feed;
    assert_eq!(stats.lines, feed.lines, "lines written");
    assert_eq!(stats.messages(), feed.receptions - feed.damaged_messages, "messages decodable");
    assert_eq!(stats.rejected(RejectReason::BadChecksum), feed.corrupted_lines, "corrupted lines");
    let per_receiver: u64 = feed.per_receiver.iter().map(|r| r.lines).sum();
    assert_eq!(per_receiver, feed.lines);
    assert_eq!(feed.transmissions, feed.position_reports + feed.static_reports);
}

fn ts(value: &serde_json::Value) -> Timestamp {
    value.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a time: {value}"))
}

fn vessel<'w>(world: &'w World, id: &serde_json::Value) -> &'w Vessel {
    world.vessels.iter().find(|v| v.id == id.as_str().unwrap()).unwrap()
}

/// Every 10 minutes from `start` to just before `end` (at `end` itself the
/// next segment has begun).
fn samples(start: Timestamp, end: Timestamp) -> impl Iterator<Item = Timestamp> {
    let last = end.plus_ms(-1000).max(start);
    let steps = last.ms_since(start) / 600_000;
    (0..=steps).map(move |i| start.plus_ms(i * 600_000)).chain(std::iter::once(last))
}

fn check_events(run: &Run, heard: &[Heard]) {
    let world = &run.world;
    let truth = run.truth();
    for event in truth["events"].as_array().unwrap() {
        let (start, end) = (ts(&event["start"]), ts(&event["end"]));
        assert!(start <= end, "{event}");
        let id = event["id"].as_str().unwrap();
        match event["kind"].as_str().unwrap() {
            "encounter" => {
                let pair: Vec<&Vessel> =
                    event["vessels"].as_array().unwrap().iter().map(|v| vessel(world, v)).collect();
                let spec = world.encounters.iter().find(|e| format!("encounter:{}", e.id) == id).unwrap();
                for t in samples(start, end) {
                    let (a, b) = (pair[0].plan.state_at(t).unwrap(), pair[1].plan.state_at(t).unwrap());
                    let apart = a.position.distance_m(b.position);
                    assert!(apart <= spec.distance_m + 1.0, "{id}: {apart} m apart at {t}");
                    assert!(a.sog_knots < 2.0 && b.sog_knots < 2.0, "{id}: moving at {t}");
                }
            }
            "port_visit" => {
                let v = vessel(world, &event["vessels"][0]);
                // A place of the scenario, or a port of the world Tumen ships
                // (a stop the scenario did not place).
                let place_id = event["place"].as_str().unwrap();
                let place = StopPlace::by_id(world, place_id).unwrap_or_else(|| panic!("{id}: no place {place_id}"));
                for t in samples(start, end) {
                    let k = v.plan.state_at(t).unwrap();
                    assert!(place.contains(k.position), "{id}: outside {} at {t}", place.id());
                }
                let (stop_start, stop_end) = (ts(&event["stop_start"]), ts(&event["stop_end"]));
                for t in samples(stop_start, stop_end) {
                    let k = v.plan.state_at(t).unwrap();
                    assert!(k.sog_knots < 0.2, "{id}: moving at {t} during the stop");
                }
                // Arrival and departure are the crossings, to the second.
                let plan_start = v.plan.start().unwrap();
                if start.plus_ms(-2000) >= plan_start {
                    let before = v.plan.state_at(start.plus_ms(-2000)).unwrap();
                    assert!(!place.contains(before.position), "{id}: already inside before arriving");
                }
                if end < v.plan.end().unwrap().plus_ms(-2000) {
                    let after = v.plan.state_at(end.plus_ms(2000)).unwrap();
                    assert!(!place.contains(after.position), "{id}: still inside after leaving");
                }
            }
            "dark_period" => {
                let v = vessel(world, &event["vessels"][0]);
                let mmsis: Vec<u32> = v.identity.values().map(|i| i.mmsi).collect();
                let shared =
                    world.vessels.iter().any(|o| o.id != v.id && o.identity.values().any(|i| mmsis.contains(&i.mmsi)));
                if !shared {
                    let inside = heard.iter().filter(|h| {
                        h.time.is_some_and(|t| t > start.plus_ms(1000) && t < end.plus_ms(-1000))
                            && mmsis.contains(&h.message.mmsi().0)
                    });
                    assert_eq!(inside.count(), 0, "{id}: messages heard while dark");
                }
            }
            "loitering" => {
                // Slow (GFW's rule), or confined within its radius at any
                // speed (Tumen's second rule: within a nautical mile).
                let v = vessel(world, &event["vessels"][0]);
                let center = LatLon {
                    lat_deg: event["center"][0].as_f64().unwrap(),
                    lon_deg: event["center"][1].as_f64().unwrap(),
                };
                let radius_m = event["radius_m"].as_f64().unwrap();
                for t in samples(start, end) {
                    let k = v.plan.state_at(t).unwrap();
                    let confined = radius_m <= 1852.0 && k.position.distance_m(center) <= radius_m + 50.0;
                    assert!(k.sog_knots < 2.0 || confined, "{id}: fast and unconfined at {t}");
                }
            }
            "spoofing" => {
                let v = vessel(world, &event["vessels"][0]);
                let mmsi = v.identity.at(start).mmsi;
                for h in heard.iter().filter(|h| h.message.mmsi().0 == mmsi) {
                    let (Some(t), Some(p)) = (h.time, position_of(&h.message)) else { continue };
                    if t > start.plus_ms(1000) && t < end.plus_ms(-1000) {
                        let truth = v.plan.state_at(t).unwrap().position;
                        assert!(truth.distance_m(p) > 1000.0, "{id}: line {} reports the true position", h.line);
                    }
                }
            }
            "draught_change" => {
                let v = vessel(world, &event["vessels"][0]);
                let to = event["to_m"].as_f64().unwrap();
                assert_eq!(*v.draught_m.at(start), to, "{id}");
            }
            "data_quality" => {
                // The habit spoiled reports that were heard.
                let v = vessel(world, &event["vessels"][0]);
                let mmsi = v.identity.at(start).mmsi;
                let glitch = v.glitch_at(start).expect("a data_quality truth event is a glitch");
                let spoiled_heard = heard.iter().filter(|h| h.message.mmsi().0 == mmsi).any(|h| {
                    let (Some(t), Some(p)) = (h.time, position_of(&h.message)) else { return false };
                    t >= start
                        && t <= end
                        && within_the_second(t).filter_map(|t| v.plan.state_at(t)).any(|k| {
                            spoiled(glitch.mode, k.position, p) && k.position.distance_m(p) > POSITION_TOLERANCE_M
                        })
                });
                assert!(spoiled_heard, "{id}: no spoiled report heard");
            }
            "shared_mmsi" => {
                let mmsi = event["mmsi"].as_u64().unwrap() as u32;
                let middle = start.plus_ms(end.ms_since(start) / 2);
                let holders = world.vessels.iter().filter(|v| v.identity.at(middle).mmsi == mmsi).count();
                assert!(holders >= 2, "{id}: {holders} holders at {middle}");
            }
            _ => {}
        }
    }
    for d in truth["detections"].as_array().unwrap() {
        if d["truth"] == "vessel" {
            let v = vessel(world, &d["vessel"]);
            let scene = world
                .scenes
                .iter()
                .find(|s| d["detect_id"].as_str().unwrap().starts_with(&format!("{}-d", s.id)))
                .unwrap();
            assert_eq!(d["dark"].as_bool().unwrap(), v.is_dark_at(scene.time), "{d}");
            assert!(d["error_m"].as_f64().unwrap() <= 6.0 * scene.position_error_m * 1.5 + 1.0, "{d}");
            assert!(scene.covers(v.plan.state_at(scene.time).unwrap().position));
        }
    }
    // Every vessel inside a scene is either detected or listed as missed.
    let detected: usize = truth["detections"].as_array().unwrap().iter().filter(|d| d["truth"] == "vessel").count();
    let missed = truth["missed_detections"].as_array().unwrap().len();
    let inside: usize = world
        .scenes
        .iter()
        .map(|s| world.vessels.iter().filter(|v| v.plan.state_at(s.time).is_some_and(|k| s.covers(k.position))).count())
        .sum();
    assert_eq!(detected + missed, inside);
    for o in truth["observations"].as_array().unwrap() {
        let floor = o["activity"].as_f64().unwrap() + o["spike"].as_f64().unwrap();
        assert!(o["count"].as_f64().unwrap() + 0.5 >= floor, "{o}");
    }
}

/// The NOAA export holds exactly the positions that were passed on: every
/// decoded position is a row, and rows beyond them are only those whose
/// every copy was damaged on the way.
fn check_csv(run: &Run, heard: &[Heard]) {
    if !run.world.outputs.noaa_csv {
        return;
    }
    let rows = crate::common::csv_rows(&run.path("positions_noaa.csv"));
    let key =
        |mmsi: u32, lat: f64, lon: f64| (mmsi, (lat * 600_000.0).round() as i64, (lon * 600_000.0).round() as i64);
    let noaa: std::collections::HashSet<_> = rows
        .iter()
        .map(|r| key(r["MMSI"].parse().unwrap(), r["LAT"].parse().unwrap(), r["LON"].parse().unwrap()))
        .collect();
    let mut decoded = std::collections::HashSet::new();
    for h in heard {
        if let Some(p) = position_of(&h.message) {
            let k = key(h.message.mmsi().0, p.lat_deg, p.lon_deg);
            assert!(noaa.contains(&k), "line {}: decoded position not in the NOAA export", h.line);
            decoded.insert(k);
        }
    }
    let feed = &run.summary.feed;
    assert!(
        noaa.len() as u64 <= decoded.len() as u64 + feed.damaged_messages,
        "{} rows, {} decoded",
        noaa.len(),
        decoded.len()
    );
    assert_eq!(rows.len(), crate::common::csv_rows(&run.path("positions_dma.csv")).len());
}

fn check(name: &str, seed: u64) {
    let run = simulate(shipped(name), Some(seed), 1);
    let (heard, _rejected, stats) = decode(&run.path("ais.nmea"));
    check_accounting(&run, &stats);
    check_messages(&run, &heard);
    check_events(&run, &heard);
    check_csv(&run, &heard);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn ais_off(seed in any::<u64>()) { check("ais-off", seed) }

    #[test]
    fn encounter(seed in any::<u64>()) { check("encounter", seed) }

    #[test]
    fn loitering(seed in any::<u64>()) { check("loitering", seed) }

    #[test]
    fn spoofing(seed in any::<u64>()) { check("spoofing", seed) }

    #[test]
    fn identity(seed in any::<u64>()) { check("identity", seed) }

    #[test]
    fn port_calls(seed in any::<u64>()) { check("port-calls", seed) }

    #[test]
    fn imagery(seed in any::<u64>()) { check("imagery", seed) }

    #[test]
    fn facility(seed in any::<u64>()) { check("facility", seed) }

    #[test]
    fn receivers(seed in any::<u64>()) { check("receivers", seed) }

    #[test]
    fn habits(seed in any::<u64>()) { check("habits", seed) }
}

/// Seeds that once failed: a ship dropped anchor (receivers), and one's
/// draught and destination changed (ais-off), within the second a message
/// was stamped with.
#[test]
fn seeds_that_once_failed() {
    check("receivers", 10_979_421_526_863_777_639);
    check("ais-off", 8_202_833_595_458_022_508);
}
