//! What the simulator writes is read by other decoders exactly as intended:
//! gpsd's `gpsdecode` (Debian `gpsd-clients`) and pyais (PyPI) decode the
//! NMEA of a scenario with tag blocks, USCG trailers and bare lines, class
//! A and B, identity changes and multi-sentence messages; their positions
//! must be exactly the rows of the NOAA export (which the simulator writes
//! from its own state, not through a decoder), and their static reports
//! exactly the identities, draughts and destinations of the scenario.
//!
//! `.ci/run` installs both tools; where one is missing the test says
//! SKIPPED and passes.

use std::collections::{BTreeSet, HashMap};
use std::process::{Command, Stdio};

use crate::common::{Run, csv_rows, simulate};
use serde_json::Value;
use tumen_sim::world::AisClass;

const SCENARIO: &str = r#"
[scenario]
name = "peers"
start = 2023-09-05T00:00:00Z
end = 2023-09-05T08:00:00Z
seed = 31

[[place]]
id = "vladivostok"
kind = "port"
at = [43.1167, 131.9000]
radius_km = 3

[[place]]
id = "nakhodka"
kind = "port"
at = [42.8000, 132.8833]
radius_km = 3

[[route]]
id = "vn"
waypoints = [[43.07, 131.93], [42.95, 132.05], [42.72, 132.40], [42.70, 132.75]]

[[receiver]]
id = "shore-tag"
kind = "terrestrial"
at = [43.00, 132.00]
range_nm = 60
reliability = 0.9

[[receiver]]
id = "r-shore-uscg"
kind = "terrestrial"
at = [42.80, 132.60]
range_nm = 50
reliability = 0.9
format = "uscg"

[[receiver]]
id = "shore-bare"
kind = "terrestrial"
at = [42.80, 132.85]
range_nm = 30
reliability = 0.9
format = "bare"

[[receiver]]
id = "sat"
kind = "satellite"
revisit_minutes = 30
pass_minutes = 10
reliability = 0.5
delay_s = [60, 900]

[[vessel]]
id = "renamer"
mmsi = 273200001
imo = 9310018
name = "FIRST NAME"
call_sign = "UBFN1"
ship_type = 70
length_m = 110
beam_m = 16
draught_m = 5.2
destination = "NAKHODKA"
at = "vladivostok"
itinerary = [
    { stop = "nakhodka", route = "vn", hours = 1, draught_m = 6.4, destination = "VLADIVOSTOK" },
    { stop = "vladivostok", route = "vn", hours = 2 },
]

[[vessel.identity]]
at = 2023-09-05T03:00:00Z
name = "SECOND, NAME"
call_sign = "T8SN2"
mmsi = 511200002

[[vessel]]
id = "yacht"
mmsi = 273200003
name = "B CLASS"
call_sign = "UBBC3"
ship_type = 37
class = "B"
length_m = 15
beam_m = 4
at = "vladivostok"
itinerary = [
    { sail_to = [43.0, 131.95], via = [[43.07, 131.93]] },
    { anchor = [43.0, 131.95], hours = 3 },
    { stop = "vladivostok", via = [[43.07, 131.93]], hours = 3 },
]

[[traffic]]
id = "bg"
count = 15
kind = "area"
area = [42.60, 131.90, 43.00, 132.80]
class_b_share = 0.3
"#;

fn available(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success())
}

/// `(mmsi, lat, lon, speed, course, heading)` in AIS units.
type PositionKey = (u32, i64, i64, i64, i64, i64);

/// The positions the simulator meant, from its NOAA export.
fn expected_positions(run: &Run) -> BTreeSet<PositionKey> {
    csv_rows(&run.path("positions_noaa.csv"))
        .iter()
        .map(|r| {
            let raw = |column: &str, scale: f64| (r[column].parse::<f64>().unwrap() * scale).round() as i64;
            (
                r["MMSI"].parse().unwrap(),
                raw("LAT", 600_000.0),
                raw("LON", 600_000.0),
                raw("SOG", 10.0),
                raw("COG", 10.0),
                raw("Heading", 1.0),
            )
        })
        .collect()
}

/// `(mmsi, name, call sign, imo, ship type, draught ×10, destination,
/// length)` of a static report.
type StaticKey = (u32, String, String, u32, u8, u8, String, u32);

/// Every static report the scenario's vessels could have broadcast.
fn expected_statics(run: &Run) -> BTreeSet<StaticKey> {
    let mut out = BTreeSet::new();
    for vessel in &run.world.vessels {
        for identity in vessel.identity.values() {
            for draught in vessel.draught_m.values() {
                for destination in vessel.destination.values() {
                    let draught_e1 = if vessel.class == AisClass::A { (draught * 10.0).round() as u8 } else { 0 };
                    let destination = if vessel.class == AisClass::A { destination.clone() } else { String::new() };
                    out.insert((
                        identity.mmsi,
                        identity.name.clone(),
                        identity.call_sign.clone(),
                        identity.imo.unwrap_or(0),
                        identity.ship_type,
                        draught_e1,
                        destination,
                        vessel.length_m.round() as u32,
                    ));
                }
            }
        }
    }
    out
}

/// `(mmsi, name)` of every identity the named vessels broadcast.
fn named_identities(run: &Run) -> BTreeSet<(u32, String)> {
    run.world
        .vessels
        .iter()
        .filter(|v| !v.background)
        .flat_map(|v| v.identity.values().map(|i| (i.mmsi, i.name.clone())))
        .collect()
}

fn str_of(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or("").trim_end_matches(['@', ' ']).to_owned()
}

fn int_of(v: &Value, key: &str) -> i64 {
    v[key].as_i64().or_else(|| v[key].as_f64().map(|f| f.round() as i64)).unwrap_or(0)
}

#[test]
fn gpsdecode_reads_what_was_meant() {
    if !available("gpsdecode", &["-V"]) {
        eprintln!("SKIPPED: gpsdecode not installed (Debian package gpsd-clients)");
        return;
    }
    let run = simulate(SCENARIO, None, 1);
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("gpsdecode -u -j < '{}'", run.path("ais.nmea").display()))
        .output()
        .unwrap();
    assert!(output.status.success());
    let objects: Vec<Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let feed = &run.summary.feed;
    assert!(
        objects.len() as u64 >= feed.receptions * 9 / 10,
        "{} objects of {} receptions",
        objects.len(),
        feed.receptions
    );

    let mut positions = BTreeSet::new();
    let mut statics = BTreeSet::new();
    let mut names = BTreeSet::new();
    let expected_statics = expected_statics(&run);
    for o in &objects {
        let mmsi = o["mmsi"].as_u64().unwrap() as u32;
        match o["type"].as_u64().unwrap() {
            1..=3 | 18 => {
                positions.insert((
                    mmsi,
                    int_of(o, "lat"),
                    int_of(o, "lon"),
                    int_of(o, "speed"),
                    int_of(o, "course"),
                    int_of(o, "heading"),
                ));
            }
            5 => {
                let key = (
                    mmsi,
                    str_of(o, "shipname"),
                    str_of(o, "callsign"),
                    o["imo"].as_u64().unwrap() as u32,
                    o["shiptype"].as_u64().unwrap() as u8,
                    o["draught"].as_u64().unwrap() as u8,
                    str_of(o, "destination"),
                    (int_of(o, "to_bow") + int_of(o, "to_stern")) as u32,
                );
                assert!(expected_statics.contains(&key), "type 5 not meant: {o}");
                names.insert((mmsi, key.1.clone()));
                statics.insert(key);
            }
            24 => {
                // gpsd prints a part B merged with its part A's name.
                let key = (
                    mmsi,
                    str_of(o, "shipname"),
                    str_of(o, "callsign"),
                    0,
                    o["shiptype"].as_u64().unwrap() as u8,
                    0,
                    String::new(),
                    (int_of(o, "to_bow") + int_of(o, "to_stern")) as u32,
                );
                assert!(expected_statics.contains(&key), "type 24 not meant: {o}");
                names.insert((mmsi, key.1.clone()));
            }
            other => panic!("the simulator sent no type {other}: {o}"),
        }
    }
    assert_eq!(positions, expected_positions(&run), "positions differ from the NOAA export");
    assert!(named_identities(&run).is_subset(&names), "every identity of the scenario's vessels is heard");
    assert!(statics.iter().any(|s| s.5 == 64 && s.6 == "VLADIVOSTOK"), "loaded draught and new destination are heard");
}

const PYAIS_SCRIPT: &str = r#"
import json, sys
from pyais.stream import FileReaderStream
for message in FileReaderStream(sys.argv[1]):
    d = message.decode().asdict()
    print(json.dumps({k: (int(v) if hasattr(v, "__int__") and not isinstance(v, (bool, float)) else v) for k, v in d.items() if not isinstance(v, bytes)}))
"#;

#[test]
fn pyais_reads_what_was_meant() {
    if !available("python3", &["-c", "import pyais"]) {
        eprintln!("SKIPPED: pyais not installed (pip install pyais)");
        return;
    }
    let run = simulate(SCENARIO, None, 1);
    let output = Command::new("python3").arg("-c").arg(PYAIS_SCRIPT).arg(run.path("ais.nmea")).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let objects: Vec<Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(objects.len() as u64, run.summary.feed.receptions, "one message per reception");

    let mut positions = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut type24_b: HashMap<u32, (String, u8, u32)> = HashMap::new();
    let expected_statics = expected_statics(&run);
    let scaled = |v: &Value, key: &str, scale: f64| (v[key].as_f64().unwrap() * scale).round() as i64;
    for o in &objects {
        let mmsi = o["mmsi"].as_u64().unwrap() as u32;
        match o["msg_type"].as_u64().unwrap() {
            1..=3 | 18 => {
                positions.insert((
                    mmsi,
                    scaled(o, "lat", 600_000.0),
                    scaled(o, "lon", 600_000.0),
                    scaled(o, "speed", 10.0),
                    scaled(o, "course", 10.0),
                    int_of(o, "heading"),
                ));
            }
            5 => {
                let key = (
                    mmsi,
                    str_of(o, "shipname"),
                    str_of(o, "callsign"),
                    o["imo"].as_u64().unwrap() as u32,
                    o["ship_type"].as_u64().unwrap() as u8,
                    scaled(o, "draught", 10.0) as u8,
                    str_of(o, "destination"),
                    (int_of(o, "to_bow") + int_of(o, "to_stern")) as u32,
                );
                assert!(expected_statics.contains(&key), "type 5 not meant: {o}");
                names.insert((mmsi, key.1));
            }
            24 if o["partno"] == 0 => {
                let name = str_of(o, "shipname");
                assert!(expected_statics.iter().any(|s| s.0 == mmsi && s.1 == name), "24A not meant: {o}");
                names.insert((mmsi, name));
            }
            24 => {
                let part_b = (
                    str_of(o, "callsign"),
                    o["ship_type"].as_u64().unwrap() as u8,
                    (int_of(o, "to_bow") + int_of(o, "to_stern")) as u32,
                );
                assert!(
                    expected_statics
                        .iter()
                        .any(|s| s.0 == mmsi && s.2 == part_b.0 && s.4 == part_b.1 && s.7 == part_b.2),
                    "24B not meant: {o}"
                );
                type24_b.insert(mmsi, part_b);
            }
            other => panic!("the simulator sent no type {other}: {o}"),
        }
    }
    assert_eq!(positions, expected_positions(&run), "positions differ from the NOAA export");
    assert!(named_identities(&run).is_subset(&names), "every identity of the scenario's vessels is heard");
    assert!(type24_b.contains_key(&273_200_003), "the class B vessel's part B is heard");
}
