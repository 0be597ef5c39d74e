//! `tumen detections import`, `tumen observations import` and fusion in
//! `tumen run`, as a user meets them: counts printed, bad rows named by
//! file and line, files that are neither refused with nothing stored, a
//! re-import that changes nothing, `[fusion]` in `tumen.toml` obeyed, and a
//! windowed run that re-fuses its window only.

use std::path::Path;

use serde_json::Value;

use crate::support::{simulated, tumen};

fn ok(args: &[&str]) -> (String, String) {
    let out = tumen(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "tumen {args:?}: {stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

fn events(data: &str, kind: &str) -> Vec<Value> {
    ok(&["events", "--data", data, "--kind", kind, "--format", "json"])
        .0
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn detections_and_observations_from_import_to_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = |p: &Path| p.display().to_string();
    let (case, data) = (simulated("imagery"), path(&dir.path().join("data")));
    ok(&["ingest", &path(&case.join("ais.nmea")), "--data", &data, "-q"]);
    ok(&["places", "import", &path(&case.join("gazetteer.geojson")), "--data", &data]);
    let (scenes, detections) = (path(&case.join("scenes.csv")), path(&case.join("detections.csv")));

    // A file that is no detection file stops the import before anything is stored.
    let notes = dir.path().join("notes.csv");
    std::fs::write(&notes, "a,b\n1,2\n").unwrap();
    let out = tumen(&["detections", "import", &detections, &path(&notes), "--data", &data]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("notes.csv: not a detection file"), "{stderr}");
    ok(&["run", "--data", &data]);
    assert!(events(&data, "detection_match").is_empty(), "nothing was stored");

    // Detections (with a bad row) and their scenes, in either order.
    let text = std::fs::read_to_string(&detections).unwrap();
    let broken = dir.path().join("detections.csv");
    std::fs::write(&broken, format!("{text}x-1,s1-dunay-1,2023-09-20T08:40:00Z,91.5,132.3,50,0.9\n")).unwrap();
    let (_, said) = ok(&["detections", "import", &path(&broken), &scenes, "--data", &data]);
    let rows = text.lines().count() - 1;
    assert!(said.contains(&format!("(csv): {rows} detections, 0 scenes")), "{said}");
    assert!(said.contains("(scenes): 0 detections, 4 scenes"), "{said}");
    assert!(said.contains(&format!("detections.csv:{}: position 91.5, 132.3 is off the globe", rows + 2)), "{said}");

    // Observations: a file without the columns is refused, naming it.
    let out = tumen(&["observations", "import", &path(&notes), "--data", &data]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("notes.csv: not an observations file (no site"), "{stderr}");

    ok(&["run", "--data", &data]);
    let matched = events(&data, "detection_match");
    let dark = events(&data, "dark_detection");
    assert!(matched.len() >= 6 && !dark.is_empty(), "{matched:#?} {dark:#?}");
    let evidence = &matched[0]["evidence"][0];
    assert_eq!(evidence["role"], "satellite detection");
    assert!(evidence["source_id"].as_u64().unwrap() >= 2, "the detections file is a source of its own");

    // The matched vessel's track carries where imagery saw it.
    let vessel = matched[0]["mmsis"][0].as_u64().unwrap().to_string();
    let track: Value =
        serde_json::from_str(&ok(&["track", &vessel, "--data", &data, "--format", "geojson"]).0).unwrap();
    let seen =
        track["features"].as_array().unwrap().iter().filter(|f| f["properties"]["kind"] == "detection_match").count();
    let expected = matched.iter().filter(|e| e["mmsis"][0].as_u64().unwrap().to_string() == vessel).count();
    assert_eq!(seen, expected);

    // The same files again: the same detections, the same events.
    ok(&["detections", "import", &path(&broken), &scenes, "--data", &data]);
    ok(&["run", "--data", &data]);
    let ids = |list: &[Value]| list.iter().map(|e| e["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(ids(&events(&data, "detection_match")), ids(&matched));

    // `[fusion]` in tumen.toml: no detection is confident enough to be dark.
    std::fs::write(Path::new(&data).join("tumen.toml"), "[fusion]\nmin_dark_confidence = 1.0\n").unwrap();
    ok(&["run", "--data", &data]);
    assert!(events(&data, "dark_detection").is_empty());
    std::fs::write(Path::new(&data).join("tumen.toml"), "[fusion]\nmin_dark_confidnce = 1.0\n").unwrap();
    let out = tumen(&["run", "--data", &data]);
    assert!(!out.status.success(), "a misspelt key is an error");
    std::fs::remove_file(Path::new(&data).join("tumen.toml")).unwrap();

    // A window re-fuses its own scenes only: the first day's.
    ok(&["run", "--data", &data, "--from", "2023-09-20", "--to", "2023-09-20"]);
    let windowed = events(&data, "detection_match");
    assert_eq!(ids(&windowed), ids(&matched), "the other day's events are kept as they were");
}
