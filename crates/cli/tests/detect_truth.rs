//! The detectors measured against the simulator's truth: the Najin → Dunay
//! scenario simulated, ingested, its places imported, `tumen run`, and the
//! events compared with `truth.json` — precision and recall per kind,
//! matching on vessel (any MMSI it used), kind and overlapping time. The
//! table is printed (`cargo test -p tumen-cli --test detect_truth -- --nocapture`).
//!
//! Asserted: port visits (recall over the visits AIS can see — a call made
//! wholly with AIS off is for satellite fusion to find —, precision over all
//! true visits) and AIS disabling against the true dark periods (recall over
//! those within the rule's geography — more than 50 nm from shore or in a
//! watched zone where the vessel went dark — of vessels heard before going dark: a vessel never
//! heard cannot go silent; all dark periods are printed too). Printed: the naive gap tier (it includes reception gaps, which
//! the truth does not list) and the median start offset.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use tumen_detect::GapProfile;
use tumen_model::{LatLon, Timestamp};
use tumen_places::{Gazetteer, Land};

const TUMEN: &str = env!("CARGO_BIN_EXE_tumen");

fn tumen(args: &[&str]) -> String {
    let out = Command::new(TUMEN).args(args).output().expect("tumen runs");
    assert!(out.status.success(), "tumen {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn time(value: &Value) -> i64 {
    Timestamp::parse_lenient(value.as_str().expect("a time")).expect("an RFC 3339 time").unix_ms()
}

struct Score {
    truth: usize,
    found: usize,
    recall: f64,
    precision: f64,
    median_start_offset_s: f64,
    /// Of the recalled events, the share whose start is within 10 minutes
    /// of the truth's.
    start_within_10_min: f64,
}

/// Scores events of `found_kind` against truth events of `truth_kind`;
/// `countable` picks the truth events recall is measured over.
fn score(
    truth: &[Value],
    events: &[Value],
    mmsis: &HashMap<String, Vec<u64>>,
    truth_kind: &str,
    found_kind: &str,
    countable: impl Fn(&Value) -> bool,
) -> Score {
    let truth: Vec<&Value> = truth.iter().filter(|e| e["kind"] == truth_kind).collect();
    let found: Vec<&Value> = events.iter().filter(|e| e["kind"] == found_kind).collect();
    let matches = |t: &Value, f: &Value| {
        let vessel_mmsis: Vec<u64> =
            t["vessels"].as_array().unwrap().iter().flat_map(|v| mmsis[v.as_str().unwrap()].clone()).collect();
        f["mmsis"].as_array().unwrap().iter().any(|m| vessel_mmsis.contains(&m.as_u64().unwrap()))
            && time(&t["start"]) <= time(&f["end"])
            && time(&f["start"]) <= time(&t["end"])
    };
    let countable: Vec<&Value> = truth.iter().copied().filter(|t| countable(t)).collect();
    let mut offsets: Vec<f64> = Vec::new();
    let mut recalled = 0;
    for t in &countable {
        if let Some(f) = found.iter().find(|f| matches(t, f)) {
            recalled += 1;
            offsets.push((time(&f["start"]) - time(&t["start"])) as f64 / 1000.0);
        }
    }
    offsets.sort_by(f64::total_cmp);
    let precise = found.iter().filter(|f| truth.iter().any(|t| matches(t, f))).count();
    Score {
        truth: countable.len(),
        found: found.len(),
        recall: recalled as f64 / countable.len().max(1) as f64,
        precision: precise as f64 / found.len().max(1) as f64,
        median_start_offset_s: offsets.get(offsets.len() / 2).copied().unwrap_or(f64::NAN),
        start_within_10_min: offsets.iter().filter(|d| d.abs() <= 600.0).count() as f64 / offsets.len().max(1) as f64,
    }
}

#[test]
fn port_visits_of_the_najin_scenario_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let (case, data) = (dir.path().join("case"), dir.path().join("data"));
    let path = |p: &Path| p.display().to_string();
    tumen(&["simulate", "najin-dunay-2023", "--out", &path(&case), "-q"]);
    tumen(&["ingest", &path(&case.join("ais.nmea")), "--data", &path(&data), "-q"]);
    // The simulated world's places, as a user imports theirs.
    tumen(&["places", "import", &path(&case.join("gazetteer.geojson")), "--data", &path(&data)]);
    tumen(&["run", "--data", &path(&data)]);
    let events: Vec<Value> = tumen(&["events", "--data", &path(&data), "--format", "json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let truth: Value = serde_json::from_str(&std::fs::read_to_string(case.join("truth.json")).unwrap()).unwrap();
    let mmsis: HashMap<String, Vec<u64>> = truth["vessels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let ids = v["identities"].as_array().unwrap().iter().filter_map(|i| i["mmsi"].as_u64()).collect();
            (v["id"].as_str().unwrap().to_owned(), ids)
        })
        .collect();
    let truth_events = truth["events"].as_array().unwrap();

    let visits =
        score(truth_events, &events, &mmsis, "port_visit", "port_visit", |t| t["ais_off_share"].as_f64() < Some(1.0));
    let window_start = time(&truth["scenario"]["start"]);
    let heard_before = |t: &Value| time(&t["start"]) > window_start;
    let (land, gazetteer) = (Land::embedded(), Gazetteer::embedded());
    let in_rule_geography = |t: &Value| {
        let (lat, lon) = (t["start_position"][0].as_f64().unwrap(), t["start_position"][1].as_f64().unwrap());
        let offshore_nm = land.distance_to_shore_km(lat, lon) / 1.852;
        let watched = gazetteer.containing(LatLon { lat_deg: lat, lon_deg: lon }).iter().any(|p| p.watched);
        offshore_nm > GapProfile::default().offshore_min_nm || watched
    };
    let disabling = score(truth_events, &events, &mmsis, "dark_period", "ais_disabling", |t| {
        heard_before(t) && in_rule_geography(t)
    });
    let disabling_all = score(truth_events, &events, &mmsis, "dark_period", "ais_disabling", heard_before);
    let gaps = score(truth_events, &events, &mmsis, "dark_period", "gap", heard_before);
    println!(
        "{:<28} {:>6} {:>6} {:>7} {:>9} {:>16} {:>14}",
        "kind (truth → found)", "truth", "found", "recall", "precision", "median start Δ s", "start ≤ 10 min"
    );
    for (name, s) in [
        ("port_visit → port_visit", &visits),
        ("dark_period → ais_disabling", &disabling),
        ("(all dark periods)", &disabling_all),
        ("dark_period → gap", &gaps),
    ] {
        println!(
            "{name:<28} {:>6} {:>6} {:>7.3} {:>9.3} {:>16.0} {:>14.3}",
            s.truth, s.found, s.recall, s.precision, s.median_start_offset_s, s.start_within_10_min
        );
    }
    assert!(visits.truth >= 100, "the scenario has many visible port calls");
    assert!(visits.recall >= 0.95, "port visit recall {:.3}", visits.recall);
    assert!(visits.precision >= 0.95, "port visit precision {:.3}", visits.precision);
    assert!(disabling.truth >= 3, "the scenario's ships go dark on the route");
    assert!(disabling.recall >= 0.95, "AIS disabling recall {:.3}", disabling.recall);
    assert!(disabling.precision >= 0.95, "AIS disabling precision {:.3}", disabling.precision);
}
