//! `tumen places import` and `tumen places list` on a scratch dataset.

use std::path::Path;

use crate::support::tumen;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(path: &Path, content: &str) -> String {
    std::fs::write(path, content).unwrap();
    path.display().to_string()
}

#[test]
fn places_are_imported_listed_and_a_bad_feature_is_refused_alone() {
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

    // A file with one bad feature: that feature is refused, named, and the
    // others are imported (exit status 1 says something was refused).
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
    assert!(ids.contains(&"my-berth") && ids.contains(&"fine") && !ids.contains(&"broken"), "{ids:?}");
    assert!(text(&out.stderr).is_empty());

    // Filters: kind, country, name, box (the world's places are shipped).
    let out = tumen(&["places", "list", "--data", &data, "--kind", "rail_facility"]);
    let table = text(&out.stdout);
    assert!(table.contains("tumangang") && !table.contains("najin"), "{table}");
    let out = tumen(&["places", "list", "--data", &data, "--country", "be", "--name", "brug"]);
    let table = text(&out.stdout);
    assert!(table.contains("Bruges") && table.contains("Zeebrugge"), "{table}");
    assert_eq!(table.lines().count(), 1 + table.lines().filter(|l| l.contains(" BE ")).count(), "{table}");
    let out = tumen(&["places", "list", "--data", &data, "--bbox", "-75.0,10.8,-74.6,11.2", "--format", "json"]);
    let ids: Vec<String> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["properties"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.iter().any(|id| id.contains("barranquilla")), "{ids:?}");
    let out = tumen(&["places", "list", "--bbox", "1,2,3"]);
    assert_eq!(out.status.code(), Some(2), "a bad box is a usage error");
}

#[test]
fn a_qgis_layer_with_names_only_is_imported() {
    // What QGIS writes for a point layer with a NAME field: no id, no kind,
    // no radius, numbers as text, a crs member.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    let layer = write(
        &dir.path().join("berths.geojson"),
        r#"{"type": "FeatureCollection", "name": "berths",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": [
            {"type": "Feature", "properties": {"fid": 1, "NAME": "Berth 7", "RADIUS_KM": "0.8"},
             "geometry": {"type": "Point", "coordinates": [131.88, 43.10]}},
            {"type": "Feature", "properties": {"fid": 2, "NAME": "STS area", "KIND": "Zone"},
             "geometry": {"type": "Polygon", "coordinates": [[[132.0, 42.0], [132.5, 42.0], [132.5, 42.3], [132.0, 42.3], [132.0, 42.0]]]}}
        ]}"#,
    );
    let out = tumen(&["places", "import", &layer, "--data", &data]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = tumen(&["places", "list", "--data", &data, "--name", "berth 7", "--format", "json"]);
    let berth: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(berth["properties"]["id"], "berth-7");
    assert_eq!(berth["properties"]["kind"], "port");
    assert_eq!(berth["properties"]["radius_km"], 0.8);
    let out = tumen(&["places", "list", "--data", &data, "--kind", "ZONE"]);
    assert!(text(&out.stdout).contains("sts-area"), "{}", text(&out.stdout));
}

#[test]
fn a_corridor_names_places_of_the_world_and_a_misspelt_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data_arg = data.display().to_string();
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sample.nmea");
    let out = tumen(&["ingest", sample, "--data", &data_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let corridor = |destination: &str| {
        format!(
            "[[corridor]]\nid = \"rotterdam-barcelona\"\norigins = [\"gfw-nld-rotterdam\"]\n\
             destinations = [\"{destination}\"]\n"
        )
    };
    write(&data.join("tumen.toml"), &corridor("gfw-esp-barcelona"));
    let out = tumen(&["run", "--data", &data_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    write(&data.join("tumen.toml"), &corridor("gfw-esp-barcelonna"));
    let out = tumen(&["run", "--data", &data_arg]);
    assert!(!out.status.success());
    let said = text(&out.stderr);
    assert!(
        said.contains("corridor \"rotterdam-barcelona\" names places the gazetteer does not know: gfw-esp-barcelonna"),
        "{said}"
    );
}
