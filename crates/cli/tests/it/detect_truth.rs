//! The detectors measured against the simulator's truth: the Najin → Dunay
//! scenario and every behaviour scenario simulated, ingested, their places
//! imported, `tumen run`, and the events compared with `truth.json` —
//! recall, precision and timing per kind, over all scenarios together.
//! The table is printed (`cargo test -p tumen-cli --test detect_truth --
//! --nocapture`).
//!
//! Matching: a found event matches a truth event when it names one of the
//! vessel's MMSIs (any it used) and their times overlap, within 10 minutes
//! (a change at an instant — identity, draught — must fall within 10
//! minutes of the found event's span; an identity change must also be of
//! the same field).
//!
//! Recall is over the truth events a detector can see by its definition:
//! those AIS shows (a port call made wholly dark, or an encounter while
//! both ships were dark, is for satellite fusion), long enough for the
//! definition's minimum duration, and in its geography (the GFW
//! encounter's 10 km from port, the disabling rule's offshore or watched
//! zone, after the vessel had been heard). Precision is over every event
//! found. Timing: of the recalled events, the share whose start and end
//! are within 10 minutes of the first and last reports AIS gives of the
//! truth event (what a detector can know).

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;
use tumen_detect::{EncounterProfile, GapProfile};
use tumen_model::{LatLon, Mmsi, Timestamp};
use tumen_places::{Gazetteer, Land, read_geojson};
use tumen_store::Dataset;

const TOLERANCE_S: i64 = 600;

const SCENARIOS: [&str; 9] = [
    "najin-dunay-2023",
    "ais-off",
    "encounter",
    "loitering",
    "spoofing",
    "identity",
    "port-calls",
    "waterways",
    "habits",
];

use crate::support::{analysed, simulated, tumen_ok as tumen};

fn secs(value: &Value) -> i64 {
    Timestamp::parse_lenient(value.as_str().expect("a time")).expect("an RFC 3339 time").unix_seconds()
}

/// One scenario simulated, ingested and run.
struct Case {
    name: &'static str,
    truth: Value,
    events: Vec<Value>,
    mmsis: HashMap<String, Vec<u64>>,
    dataset: Dataset,
    gazetteer: Gazetteer,
}

impl Case {
    fn run(name: &'static str) -> Case {
        // Simulated, ingested, the simulated world's places imported as a
        // user imports theirs, and run.
        let (case, data) = (simulated(name), analysed(name));
        let path = |p: &Path| p.display().to_string();
        let places = case.join("gazetteer.geojson");
        let events = tumen(&["events", "--data", &path(data), "--format", "json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let truth: Value = serde_json::from_str(&std::fs::read_to_string(case.join("truth.json")).unwrap()).unwrap();
        let mmsis = truth["vessels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let ids = v["identities"].as_array().unwrap().iter().filter_map(|i| i["mmsi"].as_u64()).collect();
                (v["id"].as_str().unwrap().to_owned(), ids)
            })
            .collect();
        let imported = read_geojson(&std::fs::read_to_string(&places).unwrap(), "scenario").unwrap().all().unwrap();
        let gazetteer = Gazetteer::embedded().with(imported);
        let dataset = Dataset::open_read_only(data).unwrap();
        Case { name, truth, events, mmsis, dataset, gazetteer }
    }

    fn truth_events(&self, kind: &str) -> Vec<&Value> {
        self.truth["events"].as_array().unwrap().iter().filter(|e| e["kind"] == kind).collect()
    }

    fn vessel_mmsis(&self, t: &Value) -> Vec<u64> {
        t["vessels"].as_array().unwrap().iter().flat_map(|v| self.mmsis[v.as_str().unwrap()].clone()).collect()
    }

    /// The first and last reports AIS gives during a truth event: of each
    /// vessel, then the span all of them were heard in (an encounter is
    /// seen while both are).
    fn observed(&self, t: &Value) -> Option<(i64, i64)> {
        let (start, end) = (secs(&t["start"]), secs(&t["end"]));
        let mut span: Option<(i64, i64)> = None;
        for vessel in t["vessels"].as_array().unwrap() {
            let mut heard: Option<(i64, i64)> = None;
            for &mmsi in &self.mmsis[vessel.as_str().unwrap()] {
                let track = self
                    .dataset
                    .track(
                        Mmsi(mmsi as u32),
                        Timestamp::from_unix_ms(start * 1000),
                        Timestamp::from_unix_ms(end * 1000),
                    )
                    .unwrap();
                if let (Some(first), Some(last)) = (track.first(), track.last()) {
                    let (a, b) = (first.time.unix_seconds(), last.time.unix_seconds());
                    heard = Some(heard.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
                }
            }
            let (a, b) = heard?;
            span = Some(span.map_or((a, b), |(x, y)| (x.max(a), y.min(b))));
        }
        span.filter(|(a, b)| a <= b)
    }

    fn observed_hours(&self, t: &Value) -> f64 {
        self.observed(t).map_or(0.0, |(a, b)| (b - a) as f64 / 3600.0)
    }

    /// Report times (s) of the truth event's vessels from `start` to `end`.
    fn report_times(&self, vessel: &str, start: i64, end: i64) -> Vec<i64> {
        let mut times: Vec<i64> = self.mmsis[vessel]
            .iter()
            .flat_map(|&mmsi| {
                self.dataset
                    .track(
                        Mmsi(mmsi as u32),
                        Timestamp::from_unix_ms(start * 1000),
                        Timestamp::from_unix_ms(end * 1000),
                    )
                    .unwrap()
            })
            .map(|row| row.time.unix_seconds())
            .collect();
        times.sort_unstable();
        times
    }

    /// The longest stretch of a truth event in which every vessel was
    /// heard with no silence of an hour or more (what a track resampled
    /// without interpolating across such silences shows continuously).
    fn continuous_hours(&self, t: &Value) -> f64 {
        let (start, end) = (secs(&t["start"]), secs(&t["end"]));
        let mut common: Vec<(i64, i64)> = vec![(start, end)];
        for vessel in t["vessels"].as_array().unwrap() {
            let times = self.report_times(vessel.as_str().unwrap(), start, end);
            let mut runs: Vec<(i64, i64)> = Vec::new();
            for &time in &times {
                match runs.last_mut() {
                    Some(run) if time - run.1 < 3600 => run.1 = time,
                    _ => runs.push((time, time)),
                }
            }
            common = common
                .iter()
                .flat_map(|&(a, b)| runs.iter().map(move |&(c, d)| (a.max(c), b.min(d))))
                .filter(|(a, b)| a < b)
                .collect();
        }
        common.iter().map(|(a, b)| (b - a) as f64 / 3600.0).fold(0.0, f64::max)
    }

    /// The last report at or before a truth event's start and the first at
    /// or after its end: the silence a gap detector can see.
    fn silence(&self, t: &Value) -> Option<(i64, i64)> {
        let vessel = t["vessels"][0].as_str().unwrap();
        let (start, end) = (secs(&t["start"]), secs(&t["end"]));
        let before = self.report_times(vessel, start - 86_400, start).last().copied()?;
        let after = self.report_times(vessel, end, end + 86_400).first().copied()?;
        Some((before, after))
    }

    /// Whether the vessel was heard within an hour of an instant.
    fn heard_near(&self, t: &Value) -> bool {
        let at = secs(&t["start"]);
        !self.report_times(t["vessels"][0].as_str().unwrap(), at - 3600, at + 3600).is_empty()
    }
}

/// How found events of one kind are scored.
struct Rule {
    name: &'static str,
    truth_kind: &'static str,
    /// Truth kinds a found event may match to be counted correct.
    accepted: &'static [&'static str],
    found: fn(&Value) -> bool,
    countable: fn(&Case, &Value) -> bool,
    /// Extra conditions of a match (same field of an identity change).
    same: fn(&Value, &Value) -> bool,
    /// How the found event's start and end are judged.
    timing: Timing,
}

#[derive(Clone, Copy, PartialEq)]
enum Timing {
    /// Against the first and last reports during the truth event.
    During,
    /// Against the last report before and the first after (a silence).
    Around,
    /// The truth event is an instant: matching within 10 minutes is all.
    Instant,
}

#[derive(Default)]
struct Score {
    truth: usize,
    recalled: usize,
    found: usize,
    correct: usize,
    timed: usize,
    /// Per scenario, what was missed and what was wrong (printed).
    notes: Vec<String>,
}

impl Score {
    fn recall(&self) -> f64 {
        self.recalled as f64 / self.truth.max(1) as f64
    }
    fn precision(&self) -> f64 {
        self.correct as f64 / self.found.max(1) as f64
    }
    fn timing(&self) -> f64 {
        self.timed as f64 / self.recalled.max(1) as f64
    }
}

fn matches(case: &Case, rule: &Rule, t: &Value, f: &Value) -> bool {
    let vessel = case.vessel_mmsis(t);
    let named = f["mmsis"].as_array().unwrap().iter().any(|m| vessel.contains(&m.as_u64().unwrap()));
    let (ts, te, fs, fe) = (secs(&t["start"]), secs(&t["end"]), secs(&f["start"]), secs(&f["end"]));
    let overlap = ts <= fe + TOLERANCE_S && fs - TOLERANCE_S <= te;
    named && overlap && (t["kind"] != rule.truth_kind || (rule.same)(t, f))
}

fn score(cases: &[Case], rule: &Rule) -> Score {
    let mut s = Score::default();
    for case in cases {
        let found: Vec<&Value> = case.events.iter().filter(|f| (rule.found)(f)).collect();
        for t in case.truth_events(rule.truth_kind) {
            if !(rule.countable)(case, t) {
                continue;
            }
            s.truth += 1;
            let Some(f) = found.iter().find(|f| matches(case, rule, t, f)) else {
                s.notes.push(format!(
                    "{}: missed {} {:?} {}–{}",
                    case.name, rule.truth_kind, t["vessels"], t["start"], t["end"]
                ));
                continue;
            };
            s.recalled += 1;
            let expected = match rule.timing {
                Timing::During => case.observed(t),
                Timing::Around => case.silence(t),
                Timing::Instant => Some((secs(&f["start"]), secs(&f["end"]))),
            };
            let on_time = expected.is_some_and(|(a, b)| {
                (secs(&f["start"]) - a).abs() <= TOLERANCE_S && (secs(&f["end"]) - b).abs() <= TOLERANCE_S
            });
            s.timed += usize::from(on_time);
        }
        let truth: Vec<&Value> = rule.accepted.iter().flat_map(|k| case.truth_events(k)).collect();
        for f in found {
            s.found += 1;
            if truth.iter().any(|t| matches(case, rule, t, f)) {
                s.correct += 1;
            } else {
                s.notes.push(format!(
                    "{}: wrong {} {} {}–{} {}",
                    case.name, f["kind"], f["mmsis"], f["start"], f["end"], f["attributes"]
                ));
            }
        }
    }
    s
}

fn kind(f: &Value, k: &str) -> bool {
    f["kind"] == k
}

fn always(_: &Case, _: &Value) -> bool {
    true
}

fn any_match(_: &Value, _: &Value) -> bool {
    true
}

/// Whether a truth event's MMSI is one a single station can have.
fn one_station(t: &Value) -> bool {
    t["mmsi"].as_u64().is_none_or(|m| Mmsi(m as u32).not_one_station().is_none())
}

fn near_port(case: &Case, t: &Value, km: f64) -> bool {
    let at = LatLon { lat_deg: t["position"][0].as_f64().unwrap(), lon_deg: t["position"][1].as_f64().unwrap() };
    case.gazetteer.first_within(at, km * 1000.0, |p| p.kind.is_maritime()).is_some()
}

fn rules() -> Vec<Rule> {
    vec![
        Rule {
            name: "port_visit",
            truth_kind: "port_visit",
            accepted: &["port_visit"],
            found: |f| kind(f, "port_visit"),
            countable: |_, t| t["ais_off_share"].as_f64() < Some(1.0),
            same: any_match,
            timing: Timing::During,
        },
        Rule {
            name: "ais_disabling",
            truth_kind: "dark_period",
            accepted: &["dark_period"],
            found: |f| kind(f, "ais_disabling"),
            countable: |case, t| {
                let heard_before = secs(&t["start"]) > secs(&case.truth["scenario"]["start"]);
                let profile = GapProfile::default();
                let long = (secs(&t["end"]) - secs(&t["start"])) as f64 / 3600.0 >= profile.disabling_min_hours;
                let (lat, lon) = (t["start_position"][0].as_f64().unwrap(), t["start_position"][1].as_f64().unwrap());
                let offshore_nm = Land::embedded().distance_to_shore_km(lat, lon) / 1.852;
                let watched =
                    case.gazetteer.containing(LatLon { lat_deg: lat, lon_deg: lon }).iter().any(|p| p.watched);
                heard_before && long && (offshore_nm > profile.offshore_min_nm || watched)
            },
            same: any_match,
            timing: Timing::Around,
        },
        Rule {
            name: "encounter (gfw)",
            truth_kind: "encounter",
            accepted: &["encounter"],
            found: |f| kind(f, "encounter") && f["profile"] == "gfw-encounter",
            countable: |case, t| {
                let p = EncounterProfile::gfw();
                t["max_distance_m"].as_f64().unwrap() <= p.max_distance_m
                    && case.observed_hours(t) >= p.min_hours + 1.0 / 6.0
                    && !near_port(case, t, p.min_port_distance_km)
            },
            same: any_match,
            timing: Timing::During,
        },
        Rule {
            name: "encounter (skylight)",
            truth_kind: "encounter",
            accepted: &["encounter"],
            found: |f| kind(f, "encounter") && f["profile"] == "skylight-rendezvous",
            countable: |case, t| {
                let p = EncounterProfile::skylight();
                // No runs are merged: the vessels must be seen together
                // without a long silence.
                t["max_distance_m"].as_f64().unwrap() <= p.max_distance_m
                    && case.continuous_hours(t) >= p.min_hours + 1.0 / 6.0
                    && !near_port(case, t, p.min_port_distance_km)
            },
            same: any_match,
            timing: Timing::During,
        },
        Rule {
            name: "loitering",
            truth_kind: "loitering",
            accepted: &["loitering"],
            found: |f| kind(f, "loitering"),
            countable: |case, t| case.observed_hours(t) >= 2.0 + 1.0 / 3.0,
            same: any_match,
            timing: Timing::During,
        },
        Rule {
            name: "spoofing",
            truth_kind: "spoofing",
            accepted: &["spoofing", "shared_mmsi"],
            found: |f| kind(f, "spoofing"),
            countable: always,
            same: any_match,
            timing: Timing::During,
        },
        Rule {
            name: "shared_mmsi",
            truth_kind: "shared_mmsi",
            accepted: &["shared_mmsi"],
            found: |f| kind(f, "shared_mmsi"),
            // A transponder's default MMSI (123456789) is no one station's:
            // data quality, below.
            countable: |_, t| one_station(t),
            same: any_match,
            timing: Timing::During,
        },
        Rule {
            name: "data_quality",
            truth_kind: "data_quality",
            // Outliers at the edges of a spoofed stretch, and a default
            // MMSI on several boats, are data quality too.
            accepted: &["data_quality", "spoofing", "shared_mmsi"],
            found: |f| kind(f, "data_quality"),
            countable: always,
            same: any_match,
            // One finding per vessel and day, spanning its outliers: found
            // is all that is scored.
            timing: Timing::Instant,
        },
        Rule {
            name: "shared_imo → identity_conflict",
            truth_kind: "shared_imo",
            // One MMSI with two IMO numbers is two ships on one MMSI.
            accepted: &["shared_imo", "shared_mmsi"],
            found: |f| kind(f, "identity_conflict"),
            countable: always,
            same: any_match,
            // A conflict is one event per pair of MMSIs: the truth's one
            // period splits where a ship changed MMSI, so its span is not
            // scored, only that it is found.
            timing: Timing::Instant,
        },
        Rule {
            name: "identity_change",
            truth_kind: "identity_change",
            accepted: &["identity_change"],
            found: |f| kind(f, "identity_change"),
            countable: |case, t| case.heard_near(t),
            same: |t, f| t["field"] == f["attributes"]["field"],
            timing: Timing::Instant,
        },
        Rule {
            name: "draught_change",
            truth_kind: "draught_change",
            accepted: &["draught_change"],
            found: |f| kind(f, "draught_change"),
            countable: |case, t| {
                (t["to_m"].as_f64().unwrap() - t["from_m"].as_f64().unwrap()).abs() >= 0.5 && case.heard_near(t)
            },
            same: any_match,
            timing: Timing::Instant,
        },
    ]
}

#[test]
fn detectors_find_what_the_scenarios_hold() {
    let cases: Vec<Case> = SCENARIOS.iter().map(|name| Case::run(name)).collect();
    println!(
        "{:<26} {:>6} {:>8} {:>7} {:>6} {:>9} {:>15}",
        "kind", "truth", "recalled", "recall", "found", "precision", "start/end ≤10min"
    );
    let mut failures = Vec::new();
    for rule in rules() {
        let s = score(&cases, &rule);
        println!(
            "{:<26} {:>6} {:>8} {:>7.3} {:>6} {:>9.3} {:>15.3}",
            rule.name,
            s.truth,
            s.recalled,
            s.recall(),
            s.found,
            s.precision(),
            s.timing()
        );
        for note in &s.notes {
            println!("    {note}");
        }
        if s.truth == 0 {
            failures.push(format!("{}: the scenarios hold nothing to find", rule.name));
        }
        if s.recall() < 0.95 || s.precision() < 0.95 {
            failures.push(format!("{}: recall {:.3}, precision {:.3}", rule.name, s.recall(), s.precision()));
        }
        if s.timing() < 0.95 {
            failures.push(format!("{}: {:.3} of starts and ends within 10 minutes", rule.name, s.timing()));
        }
    }
    // Canals, a river port and an anchorage the scenario does not name:
    // water the map calls land, and ships waiting metres apart in port —
    // none of it is spoofing, a meeting at sea or loitering.
    let waterways = cases.iter().find(|c| c.name == "waterways").expect("the waterways scenario runs");
    for e in &waterways.events {
        let kind = e["kind"].as_str().unwrap();
        if ["spoofing", "encounter", "loitering"].contains(&kind) {
            failures.push(format!("waterways: a false {kind}: {e}"));
        }
    }
    // Honest ships with real transponders' glitches: port calls and data
    // quality, nothing else — and the default MMSI's boats are data quality.
    let habits = cases.iter().find(|c| c.name == "habits").expect("the habits scenario runs");
    for e in &habits.events {
        let kind = e["kind"].as_str().unwrap();
        if !["port_visit", "data_quality"].contains(&kind) {
            failures.push(format!("habits: a false {kind}: {e}"));
        }
    }
    let default_mmsi = habits.events.iter().any(|e| {
        e["kind"] == "data_quality" && e["mmsis"][0] == 123_456_789 && e["attributes"]["invalid_mmsi"].is_number()
    });
    if !default_mmsi {
        failures.push("habits: the default MMSI's reports are not data quality".into());
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
