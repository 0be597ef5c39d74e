//! `tumen run` at the edges of its definitions, end to end: a gap across
//! midnight is one gap; late messages that arrive in a later file and fall
//! inside a gap close it on the next run; a `tumen.toml` profile changes
//! the threshold and is recorded on the events; a re-run makes the same ids;
//! a run over a window replaces the events that start in it.

use std::path::Path;

use serde_json::Value;

const HEADER: &str = "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass";

use crate::support::tumen_ok as tumen;

/// A NOAA CSV file of one vessel sailing slowly east in the open Sea of
/// Japan, one report every `every_min` minutes at each of `minutes` (from
/// 2023-09-07T00:00Z).
fn csv(path: &Path, minutes: impl Iterator<Item = i64>) -> String {
    let mut lines = vec![HEADER.to_owned()];
    for m in minutes {
        let (day, hour, minute) = (7 + m / 1440, (m % 1440) / 60, m % 60);
        let lon = 134.0 + m as f64 * 0.0005;
        lines.push(format!(
            "440000001,2023-09-{day:02}T{hour:02}:{minute:02}:00,40.5,{lon:.5},8.0,90.0,90,,,,70,0,100,15,,,A"
        ));
    }
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
    path.display().to_string()
}

fn gaps(data: &str) -> Vec<Value> {
    tumen(&["events", "--data", data, "--format", "json"])
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["kind"] == "gap" || e["kind"] == "ais_disabling")
        .collect()
}

#[test]
fn a_gap_across_midnight_is_one_and_late_messages_close_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    // Every 10 min from 12:00 to 20:00 on the 7th, then from 06:00 on the
    // 8th: silent for 10 hours across midnight.
    let early = csv(&dir.path().join("a.csv"), (720..=1200).step_by(10).chain((1800..=2000).step_by(10)));
    tumen(&["ingest", &early, "--data", &data, "-q"]);
    tumen(&["run", "--data", &data]);
    let found = gaps(&data);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0]["start"].as_str(), found[0]["end"].as_str()),
        (Some("2023-09-07T20:00:00Z"), Some("2023-09-08T06:00:00Z"))
    );
    let id = found[0]["id"].clone();

    // A re-run names it the same.
    tumen(&["run", "--data", &data]);
    assert_eq!(gaps(&data)[0]["id"], id);

    // Reports from 23:00 to 01:00 arrive late, in another file: the
    // silence is now two shorter ones, under the 6-hour threshold.
    let late = csv(&dir.path().join("b.csv"), (1380..=1500).step_by(10));
    tumen(&["ingest", &late, "--data", &data, "-q"]);
    tumen(&["run", "--data", &data]);
    assert!(gaps(&data).is_empty(), "{:#?}", gaps(&data));

    // A stricter profile from tumen.toml in the dataset: 2-hour gaps.
    std::fs::write(dir.path().join("data/tumen.toml"), "[detect.gap]\nname = \"two-hours\"\nmin_hours = 2\n").unwrap();
    tumen(&["run", "--data", &data]);
    let strict = gaps(&data);
    assert_eq!(strict.len(), 2, "{strict:#?}");
    assert!(strict.iter().all(|e| e["profile"] == "two-hours"));

    // A run over the 8th alone re-detects the gap that starts then and
    // keeps the one that started the day before.
    tumen(&["run", "--data", &data, "--from", "2023-09-08", "--to", "2023-09-08"]);
    let ids = |events: &[Value]| events.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(&gaps(&data)), ids(&strict));
}
