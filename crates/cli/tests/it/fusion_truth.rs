//! Satellite fusion measured against the simulator's truth: the Najin →
//! Dunay scenario (dark port calls at Najin, Dunay and Vostochny, five
//! years of facility counts with the 2023 spikes) and the `imagery` (a
//! dark ship in port, a fixed platform, false alarms) and `facility`
//! (five years of rail cars, a small rail-borne rise in containers)
//! scenarios: simulated, ingested, detections, scenes and observations
//! imported, `tumen run`, and the events compared with `truth.json`. The
//! figures are printed (`cargo test -p tumen-cli --test fusion_truth --
//! --nocapture`).
//!
//! - Dark vessels, scored as xView3 does (a found one within 200 m of the
//!   vessel's true position): truth is every detection of a vessel whose
//!   AIS was off at the image time. Found: a `dark_detection` Tumen
//!   reports as a dark vessel (confidence ≥ 3: a silent vessel accounts
//!   for it), or a `detection_match` to that very vessel (identified
//!   outright). Precision is over those reported dark vessels. Unexplained
//!   detections (confidence 2: no silent vessel could be there — a vessel
//!   never on AIS, or a false alarm) are counted apart.
//! - Assignment: of the detections matched to AIS, the share matched to
//!   the vessel that really was there.
//! - Structures: no detection of a fixed structure is reported as a vessel.
//! - Facilities: every anomaly is a truth spike (no false alarm over the
//!   years of baseline); recall over the truth spikes that stand at least
//!   five noise deviations above their baseline (the noise measured from
//!   the truth's own ordinary counts) — smaller rises are not anomalies by
//!   any fair test.

use std::collections::HashMap;

use serde_json::Value;
use tumen_model::{LatLon, Timestamp};

use crate::support::{analysed, simulated, tumen_ok as tumen};

struct Case {
    truth: Value,
    events: Vec<Value>,
}

impl Case {
    fn run(name: &str) -> Case {
        let (case, data) = (simulated(name), analysed(name).display().to_string());
        let events = tumen(&["events", "--data", &data, "--format", "json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|e: &Value| {
                matches!(
                    e["kind"].as_str(),
                    Some("detection_match" | "dark_detection" | "not_detected" | "facility_anomaly")
                )
            })
            .collect();
        let truth = serde_json::from_str(&std::fs::read_to_string(case.join("truth.json")).unwrap()).unwrap();
        Case { truth, events }
    }

    fn of_kind(&self, kind: &str) -> impl Iterator<Item = &Value> {
        self.events.iter().filter(move |e| e["kind"] == kind)
    }
}

#[derive(Default, Debug)]
struct Tally {
    dark_truth: usize,
    dark_found: usize,
    reported_dark: usize,
    reported_dark_true: usize,
    unexplained: usize,
    unexplained_true: usize,
    matched: usize,
    matched_right: usize,
    structures_as_vessels: usize,
    spikes: usize,
    spikes_found: usize,
    anomalies: usize,
    false_anomalies: usize,
}

fn position(value: &Value) -> Option<LatLon> {
    LatLon::new(value[0].as_f64()?, value[1].as_f64()?)
}

fn secs(value: &Value) -> i64 {
    Timestamp::parse_lenient(value.as_str().expect("a time")).expect("a time").unix_seconds()
}

fn score_detections(case: &Case, tally: &mut Tally) {
    let truth: HashMap<&str, &Value> =
        case.truth["detections"].as_array().unwrap().iter().map(|d| (d["detect_id"].as_str().unwrap(), d)).collect();
    let is_dark_vessel = |d: &Value| d["truth"] == "vessel" && d["dark"] == true;
    // Within 200 m of the truth's position (xView3), for the same detection.
    let near_truth = |event: &Value, d: &Value| {
        let found = LatLon::new(event["lat"].as_f64().unwrap(), event["lon"].as_f64().unwrap()).unwrap();
        position(&d["true_position"]).is_some_and(|p| p.distance_m(found) <= 200.0)
    };
    let mut found_dark: Vec<&str> = Vec::new();
    for event in case.of_kind("detection_match") {
        let id = event["attributes"]["detection_id"].as_str().unwrap();
        let d = truth[id];
        tally.matched += 1;
        let right = d["truth"] == "vessel" && d["mmsi"] == event["mmsis"][0];
        tally.matched_right += usize::from(right);
        if right && is_dark_vessel(d) {
            found_dark.push(id);
        }
        tally.structures_as_vessels += usize::from(d["truth"] == "structure");
    }
    for event in case.of_kind("dark_detection") {
        let id = event["attributes"]["detection_id"].as_str().unwrap();
        let d = truth[id];
        tally.structures_as_vessels += usize::from(d["truth"] == "structure");
        let real = is_dark_vessel(d) && near_truth(event, d);
        if event["confidence"].as_u64().unwrap() >= 3 {
            tally.reported_dark += 1;
            tally.reported_dark_true += usize::from(real);
            if real {
                found_dark.push(id);
            }
        } else {
            tally.unexplained += 1;
            tally.unexplained_true += usize::from(real);
        }
    }
    let dark: Vec<&str> = truth.iter().filter(|(_, d)| is_dark_vessel(d)).map(|(id, _)| *id).collect();
    tally.dark_truth += dark.len();
    tally.dark_found += dark.iter().filter(|id| found_dark.contains(id)).count();
}

fn score_facilities(case: &Case, tally: &mut Tally) {
    // Each series' noise: the robust spread of its ordinary counts around
    // the truth's expected baseline.
    let mut residuals: HashMap<(String, String), Vec<f64>> = HashMap::new();
    for o in case.truth["observations"].as_array().unwrap() {
        if o["spike"].as_f64() == Some(0.0) && o["activity"].as_u64() == Some(0) {
            let key = (o["site"].as_str().unwrap().to_owned(), o["object"].as_str().unwrap().to_owned());
            residuals
                .entry(key)
                .or_default()
                .push(o["count"].as_f64().unwrap() - o["expected_baseline"].as_f64().unwrap());
        }
    }
    let noise = |site: &str, object: &str| {
        let mut r: Vec<f64> = residuals.get(&(site.to_owned(), object.to_owned())).cloned().unwrap_or_default();
        r.iter_mut().for_each(|x| *x = x.abs());
        r.sort_by(f64::total_cmp);
        (1.4826 * r.get(r.len() / 2).copied().unwrap_or(1.0)).max(1.0)
    };
    let spikes: Vec<&Value> =
        case.truth["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "facility_spike").collect();
    let overlaps = |a: &Value, b: &Value| secs(&a["start"]) <= secs(&b["end"]) && secs(&b["start"]) <= secs(&a["end"]);
    let same_series = |anomaly: &Value, spike: &Value| {
        anomaly["attributes"]["site"] == spike["site"] && anomaly["attributes"]["object_class"] == spike["object"]
    };
    for spike in &spikes {
        let (site, object) = (spike["site"].as_str().unwrap(), spike["object"].as_str().unwrap());
        let excess = spike["peak_count"].as_f64().unwrap() - spike["baseline"].as_f64().unwrap();
        if excess < 5.0 * noise(site, object) {
            continue;
        }
        tally.spikes += 1;
        let found = case.of_kind("facility_anomaly").any(|a| same_series(a, spike) && overlaps(a, spike));
        tally.spikes_found += usize::from(found);
        if !found {
            eprintln!("missed spike {}", spike["id"]);
        }
    }
    for anomaly in case.of_kind("facility_anomaly") {
        tally.anomalies += 1;
        let real = spikes.iter().any(|s| same_series(anomaly, s) && overlaps(anomaly, s));
        tally.false_anomalies += usize::from(!real);
    }
}

fn ratio(n: usize, d: usize) -> f64 {
    if d == 0 { 1.0 } else { n as f64 / d as f64 }
}

#[test]
fn fusion_against_the_simulated_truth() {
    let mut tally = Tally::default();
    for name in ["najin-dunay-2023", "imagery", "facility"] {
        let case = Case::run(name);
        score_detections(&case, &mut tally);
        score_facilities(&case, &mut tally);
    }
    let recall = ratio(tally.dark_found, tally.dark_truth);
    let precision = ratio(tally.reported_dark_true, tally.reported_dark);
    let assignment = ratio(tally.matched_right, tally.matched);
    let facility_recall = ratio(tally.spikes_found, tally.spikes);
    println!("dark vessels: {} in truth, {} found → recall {recall:.3}", tally.dark_truth, tally.dark_found);
    println!("reported dark: {} ({} real) → precision {precision:.3}", tally.reported_dark, tally.reported_dark_true);
    println!("unexplained detections: {} ({} real dark vessels)", tally.unexplained, tally.unexplained_true);
    println!("matched to AIS: {} ({} the right vessel) → {assignment:.3}", tally.matched, tally.matched_right);
    println!("structures reported as vessels: {}", tally.structures_as_vessels);
    println!(
        "facility spikes: {} detectable, {} found → recall {facility_recall:.3}; anomalies {} ({} false)",
        tally.spikes, tally.spikes_found, tally.anomalies, tally.false_anomalies
    );
    assert!(tally.dark_truth >= 30, "the scenarios have dark vessels to find: {tally:?}");
    assert!(recall >= 0.9, "{tally:?}");
    assert!(precision >= 0.9, "{tally:?}");
    assert!(assignment >= 0.95, "{tally:?}");
    assert_eq!(tally.structures_as_vessels, 0, "{tally:?}");
    assert!(tally.spikes >= 8 && facility_recall >= 0.9, "{tally:?}");
    assert_eq!(tally.false_anomalies, 0, "{tally:?}");
}
