//! `tumen places import` and `tumen places list` on a scratch dataset.

use std::path::Path;
use std::process::{Command, Output};

fn tumen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tumen")).args(args).output().expect("tumen runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(path: &Path, content: &str) -> String {
    std::fs::write(path, content).unwrap();
    path.display().to_string()
}

#[test]
fn places_are_imported_listed_and_a_bad_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    let good = write(
        &dir.path().join("mine.geojson"),
        r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [131.87, 43.09]},
             "properties": {"id": "my-berth", "name": "A berth I watch", "kind": "anchorage", "watched": true, "radius_km": 0.5}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [130.31, 42.24]},
             "properties": {"id": "najin", "name": "Najin, my outline", "kind": "port", "country": "kp", "radius_km": 5}}]}"#,
    );
    let out = tumen(&["places", "import", &good, "--data", &data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("2 place(s) imported (0 replacing earlier imports, 1 replacing shipped places)"),
        "{}",
        text(&out.stderr)
    );

    let out = tumen(&["places", "list", "--data", &data, "--format", "json"]);
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let by_id = |id: &str| lines.iter().find(|f| f["properties"]["id"] == id).cloned();
    assert_eq!(by_id("my-berth").unwrap()["properties"]["radius_km"], 0.5);
    let najin = by_id("najin").unwrap();
    assert_eq!(najin["properties"]["name"], "Najin, my outline");
    assert_eq!(najin["properties"]["country"], "KP");
    assert_eq!(lines.iter().filter(|f| f["properties"]["id"] == "najin").count(), 1, "replaced, not doubled");

    // A file with one bad feature is refused whole, the problem named.
    let bad = write(
        &dir.path().join("bad.geojson"),
        r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 1]},
             "properties": {"id": "fine", "kind": "port", "radius_km": 1}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 1]},
             "properties": {"id": "broken", "name": "Broken", "kind": "harbour", "radius_km": 1}}]}"#,
    );
    let out = tumen(&["places", "import", &bad, "--data", &data]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("feature 1 (id \"broken\", \"Broken\"): kind \"harbour\" is not one of"),
        "{}",
        text(&out.stderr)
    );
    let out = tumen(&["places", "list", "--data", &data, "--format", "geojson"]);
    let collection: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> =
        collection["features"].as_array().unwrap().iter().filter_map(|f| f["properties"]["id"].as_str()).collect();
    assert!(ids.contains(&"my-berth") && !ids.contains(&"fine"), "nothing of the bad file was imported");

    // Filters.
    let out = tumen(&["places", "list", "--data", &data, "--kind", "rail_facility"]);
    let table = text(&out.stdout);
    assert!(table.contains("tumangang") && !table.contains("najin"), "{table}");
}
