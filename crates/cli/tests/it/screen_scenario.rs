//! Screening end to end: the `identity` scenario's chameleon — listed
//! under its old name, IMO number and MMSI — renames, re-flags to Palau
//! and takes a new MMSI mid-voyage, and is still found: by its IMO number
//! on the new MMSI, by everything on the old one, with conflicts noted (a
//! name and a flag the list does not give). A sister ship's name on the
//! list (`… 2`) is never a match.

use std::path::Path;

use serde_json::Value;

use crate::support::{simulated, tumen_ok as tumen};

#[test]
fn a_listed_ship_that_renames_and_reflags_is_still_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = |p: &Path| p.display().to_string();
    let (case, data) = (simulated("identity"), dir.path().join("data"));
    tumen(&["ingest", &path(&case.join("ais.nmea")), "--data", &path(&data), "-q"]);
    let list = dir.path().join("list.ftm.json");
    std::fs::write(
        &list,
        concat!(
            r#"{"id": "t-1", "schema": "Vessel", "properties": {"name": ["SIM CHAMELEON"], "imoNumber": ["IMO9310094"], "mmsi": ["273100011"], "flag": ["ru"]}}"#,
            "\n",
            r#"{"id": "t-2", "schema": "Vessel", "properties": {"name": ["SIM CHAMELEON 2"]}}"#,
            "\n"
        ),
    )
    .unwrap();
    tumen(&["lists", "import", &path(&list), "--data", &path(&data)]);
    tumen(&["run", "--data", &path(&data)]);
    let hits: Vec<Value> = tumen(&["events", "--data", &path(&data), "--kind", "watchlist_hit", "--format", "json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let on = |mmsi: u64| hits.iter().find(|h| h["mmsis"][0] == mmsi).unwrap_or_else(|| panic!("{mmsi}: {hits:#?}"));
    // The new identity: found by the IMO number alone.
    let renamed = on(511_100_012);
    assert_eq!(renamed["attributes"]["entry_id"], "t-1");
    assert_eq!(renamed["attributes"]["fields"], "imo");
    assert_eq!(renamed["attributes"]["mid_flag"], "PW");
    assert!(renamed["attributes"]["score"].as_f64().unwrap() >= 0.95);
    // Evidence: the AIS report of the listed IMO number, and the list's own
    // line as a record of its own (the list file is source 2, the AIS file 1).
    let evidence = renamed["evidence"].as_array().unwrap();
    let cites =
        |role: &str| evidence.iter().find(|e| e["role"] == role).unwrap_or_else(|| panic!("{role}: {evidence:#?}"));
    assert_eq!(cites("first report of the listed IMO number")["source_id"], 1);
    let listed = cites("the list's entry");
    assert_eq!((listed["source_id"].as_u64(), listed["line"].as_u64()), (Some(2), Some(1)));
    assert!(renamed["lat"].is_number(), "placed on the track");
    // The old one: IMO, MMSI and name.
    let old = on(273_100_011);
    for field in ["imo", "mmsi", "name"] {
        assert!(old["attributes"]["fields"].as_str().unwrap().contains(field), "{old:#?}");
    }
    // The sister's entry is at most shown (a weak hit), never a match; the
    // twin that broadcasts the listed IMO number is a hit too (it claims
    // the listed hull).
    let sister: Vec<&Value> = hits.iter().filter(|h| h["attributes"]["entry_id"] == "t-2").collect();
    assert!(sister.iter().all(|h| h["attributes"]["matched"] == false), "{sister:#?}");
    assert!(hits.iter().any(|h| h["mmsis"][0] == 273_100_014u64));
    assert!(hits.iter().all(|h| h["mmsis"][0] != 273_100_015u64), "the yacht is not listed");

    // Beside the hit on the new MMSI: broadcast under another name than the
    // list's, and under a flag (Palau, by the MID) the list does not give.
    let conflicts: Vec<Value> =
        tumen(&["events", "--data", &path(&data), "--kind", "identity_conflict", "--format", "json"])
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .filter(|e: &Value| e["mmsis"] == serde_json::json!([511_100_012u64]))
            .collect();
    let kinds: Vec<&str> = conflicts.iter().map(|c| c["attributes"]["conflict"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"listed_imo_other_name") && kinds.contains(&"flag_not_listed"), "{conflicts:#?}");
}
