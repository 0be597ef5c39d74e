//! Real AIS through `tumen ingest` and `tumen run`, with no places imported:
//! the tracks of `../shared/corpora/real/` (Global Fishing Watch's segmenter
//! test tracks, a DMA collision), where a person looking at the positions
//! knows what happened — ships calling at Zeebrugge, at Barranquilla and up
//! the Magdalena at Barrancabermeja, two ships on one MMSI, a collision —
//! and that none of it is a ship broadcasting positions on land. Prints the
//! events per vessel-day by kind. Skipped when `../shared` is absent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::support::{TUMEN, shared_dir, tumen_ok};
use serde_json::Value;
use tumen_model::LatLon;

/// The real tracks as NOAA CSV (the same positions as the originals).
const TRACKS: [&str; 3] = [
    "corpora/real/gfw-gpsdio-segment/converted/gpsdio-pointpair-noaa.csv",
    "corpora/real/gfw-gpsdio-segment/converted/gpsdio-tracks-noaa.csv",
    "corpora/real/dma-collision-2021/converted/collision-noaa.csv",
];

/// Distinct (MMSI, UTC day) of a NOAA CSV's rows.
fn vessel_days(path: &Path) -> BTreeSet<(u64, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut cells = line.split(',');
            let mmsi = cells.next()?.trim().parse::<f64>().ok()? as u64;
            let day = cells.next()?.get(..10)?.to_owned();
            Some((mmsi, day))
        })
        .collect()
}

fn place_centre(id: &str) -> LatLon {
    tumen_places::Gazetteer::embedded().get(id).unwrap_or_else(|| panic!("{id} is shipped")).centre()
}

#[test]
fn real_tracks_give_port_calls_and_no_positions_on_land() {
    let Some(shared) = shared_dir("real_tracks_give_port_calls_and_no_positions_on_land") else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    let files: Vec<String> = TRACKS.iter().map(|t| shared.join(t).display().to_string()).collect();
    let mut ingest = vec!["ingest", "--data", &data, "-q"];
    ingest.extend(files.iter().map(String::as_str));
    tumen_ok(&ingest);
    tumen_ok(&["run", "--data", &data]);
    let out = Command::new(TUMEN).args(["events", "--data", &data, "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let events: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();

    // Events per vessel-day by kind (and spoofing mode), printed.
    let days: BTreeSet<(u64, String)> = TRACKS.iter().flat_map(|t| vessel_days(&shared.join(t))).collect();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for e in &events {
        let kind = match e["attributes"]["mode"].as_str() {
            Some(mode) => format!("{} ({mode})", e["kind"].as_str().unwrap()),
            None => e["kind"].as_str().unwrap().to_owned(),
        };
        *by_kind.entry(kind).or_default() += 1;
    }
    println!("{} events over {} vessel-days of real AIS:", events.len(), days.len());
    for (kind, n) in &by_kind {
        println!("  {kind:<28} {n:>5}  {:.3} per vessel-day", *n as f64 / days.len() as f64);
    }

    // No ship here broadcast positions on land: ships in the canal port of
    // Zeebrugge, at Barranquilla and 400 km up the Magdalena are sailing.
    let on_land: Vec<&Value> =
        events.iter().filter(|e| e["kind"] == "spoofing" && e["attributes"]["mode"] == "on_land").collect();
    assert!(on_land.is_empty(), "{on_land:#?}");

    // Port calls where the tracks call, from the world's places alone.
    let visits = |mmsi: u64| -> Vec<&Value> {
        events.iter().filter(|e| e["kind"] == "port_visit" && e["mmsis"][0].as_u64() == Some(mmsi)).collect()
    };
    let called_near = |mmsi: u64, lat_deg: f64, lon_deg: f64, km: f64| {
        let at = LatLon { lat_deg, lon_deg };
        visits(mmsi).iter().any(|v| place_centre(v["place"].as_str().unwrap()).distance_m(at) <= km * 1000.0)
    };
    assert!(called_near(205_316_000, 51.33, 3.20, 5.0), "Zeebrugge: {:#?}", visits(205_316_000));
    assert!(called_near(240_000_000, 10.97, -74.77, 15.0), "Barranquilla: {:#?}", visits(240_000_000));
    assert!(called_near(240_000_000, 7.07, -73.86, 15.0), "Barrancabermeja: {:#?}", visits(240_000_000));
    assert!(called_near(230_942_350, 62.38, 21.22, 10.0), "Kaskinen: {:#?}", visits(230_942_350));

    // The collision south of Bornholm is no meeting at sea.
    let met = events.iter().any(|e| {
        e["kind"] == "encounter" && e["mmsis"].as_array().unwrap().iter().any(|m| m.as_u64() == Some(219_021_240))
    });
    assert!(!met, "the Scot Carrier / Karin Hoej collision is not an encounter");

    // None of these tracks holds deliberate spoofing: glitches, sign flips
    // and two ships on one MMSI are data quality and shared MMSIs.
    let spoofing: Vec<&Value> = events.iter().filter(|e| e["kind"] == "spoofing").collect();
    assert!(spoofing.is_empty(), "{spoofing:#?}");
    // One finding per MMSI two ships broadcast, with the names they sent
    // in turn, and no stream of identity changes.
    let shared = |mmsi: u64| -> Vec<&Value> {
        events.iter().filter(|e| e["kind"] == "shared_mmsi" && e["mmsis"][0].as_u64() == Some(mmsi)).collect()
    };
    assert_eq!(shared(416_000_000).len(), 1, "{:#?}", shared(416_000_000));
    assert_eq!(shared(240_000_000).len(), 1, "{:#?}", shared(240_000_000));
    let names = shared(240_000_000)[0]["attributes"]["names"].as_str().unwrap_or_default().to_owned();
    assert!(names.contains("WARSHIP M71") && names.contains("IMPALA MAGDALENA"), "{names}");
    let changes = events.iter().filter(|e| e["kind"] == "identity_change" && e["mmsis"][0] == 240_000_000).count();
    assert_eq!(changes, 0);
    // The sign-flipped longitudes of 431704490 are data quality.
    let flips: f64 = events
        .iter()
        .filter(|e| e["kind"] == "data_quality" && e["mmsis"][0] == 431_704_490)
        .map(|e| e["attributes"]["sign_flip"].as_f64().unwrap_or(0.0))
        .sum();
    assert!(flips >= 10.0, "{flips} sign flips");

    // No silence outlasts the extract it began in (the longest is a month):
    // a ship last heard in January 2014 is not dark until the 2017 track
    // beside it ends.
    let long: Vec<&Value> = events
        .iter()
        .filter(|e| ["gap", "ais_disabling"].contains(&e["kind"].as_str().unwrap()))
        .filter(|e| e["attributes"]["duration_hours"].as_f64().unwrap() > 31.0 * 24.0)
        .collect();
    assert!(long.is_empty(), "{long:#?}");

    // A silence that ends 7,500 km away (the shared 416000000) is another
    // transmitter taking over, not a ship switching its AIS off.
    let unreachable: Vec<&Value> = events
        .iter()
        .filter(|e| e["kind"] == "ais_disabling")
        .filter(|e| e["attributes"]["implied_speed_knots"].as_f64().is_some_and(|k| k > 50.0))
        .collect();
    assert!(unreachable.is_empty(), "{unreachable:#?}");

    // A report on real data says nothing of simulation, and lists the
    // files as supplied.
    let report = dir.path().join("vessel.html");
    tumen_ok(&["report", "431704490", "--data", &data, "--out", report.to_str().unwrap()]);
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(!html.contains(r#"id="simulated-data""#), "a real dataset's report is marked simulated");
    assert!(html.contains("as supplied") && html.contains("collision-noaa.csv"), "its sources are listed");
}
