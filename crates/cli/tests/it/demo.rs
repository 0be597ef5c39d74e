//! `tumen demo` as a new user runs it: it finishes, says where its data
//! is, and leaves a dataset whose chains likelier than not (confidence ≥
//! 0.5, the level the demo lists) name the scenario's munitions ships on
//! Najin → Dunay / Vostochny legs, the loading period of September 2023
//! among them.

use serde_json::Value;

use crate::support::{demo, tumen};

#[test]
fn the_demo_finds_the_2023_shipments() {
    let demo = demo();
    let stderr = &demo.stderr;
    assert!(stderr.contains("$ tumen run --data") && stderr.contains("truth.json"), "{stderr}");
    assert!(stderr.contains("report.html"), "the demo names its report: {stderr}");
    let data = demo.out.join("data").display().to_string();
    let listed = tumen(&["chains", "--data", &data, "--min-confidence", "0.5", "--format", "json"]);
    let chains: Vec<Value> =
        String::from_utf8(listed.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // Angara and Maria (the scenario's MMSIs for them).
    let munitions_ships = [273_356_110u64, 273_214_860];
    assert!(chains.len() >= 4, "{chains:#?}");
    for chain in &chains {
        assert_eq!(chain["origin"], "najin");
        assert!(chain["destination"] == "dunay" || chain["destination"] == "vostochny");
        assert!(munitions_ships.contains(&chain["vessels"][0].as_u64().unwrap()), "{chain:#}");
    }
    assert!(chains.iter().any(|c| c["loading_from"].as_str().unwrap().starts_with("2023-09")));

    // The same chains for QGIS: lines from Najin, flat properties.
    let geojson = tumen(&["chains", "--data", &data, "--min-confidence", "0.5", "--format", "geojson"]);
    let collection: Value = serde_json::from_slice(&geojson.stdout).unwrap();
    let features = collection["features"].as_array().unwrap();
    assert_eq!((collection["type"].as_str(), features.len()), (Some("FeatureCollection"), chains.len()));
    for feature in features {
        assert_eq!(feature["geometry"]["type"], "LineString");
        assert_eq!(feature["geometry"]["coordinates"][0], serde_json::json!([130.3, 42.2333]), "from Najin");
        assert!(feature["properties"]["reasons"].is_string());
    }

    // Chains filtered as events are: by vessel, place (any case), time, count.
    let json_lines = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["chains", "--data", &data, "--format", "json"];
        all.extend(args);
        String::from_utf8(tumen(&all).stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let maria = json_lines(&["--mmsi", "273214860"]);
    assert!(
        !maria.is_empty() && maria.iter().all(|c| c["vessels"].as_array().unwrap().contains(&Value::from(273214860)))
    );
    let vostochny = json_lines(&["--place", "Vostochny"]);
    assert!(vostochny.iter().all(|c| c["destination"] == "vostochny" || c["origin"] == "vostochny"));
    assert_eq!(json_lines(&["--limit", "1"]).len(), 1);
    let september = json_lines(&["--from", "2023-09-01", "--to", "2023-09-30"]);
    assert!(september.iter().all(|c| c["start"].as_str().unwrap() <= "2023-09-30T23:59:59.999Z"));
}
