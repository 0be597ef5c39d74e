//! The detection readers over fixtures made from the documented columns
//! (`../shared/FACTS.md` §2): each provider's names for the fields, times
//! from the scene id when a file has none, xView3's words for confidence
//! and its non-vessels, KSAT's percentages and footprints, GFW's own AIS
//! match, GeoJSON scenes and points, and bad rows skipped with their line.

use std::collections::HashMap;
use std::path::Path;

use tumen_fusion::{DetectionFormat, read_detections};

fn read(name: &str) -> (DetectionFormat, tumen_fusion::DetectionsRead) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let text = std::fs::read_to_string(path).unwrap();
    read_detections(name, &text, None, &HashMap::new()).unwrap()
}

#[test]
fn skylight_times_from_the_sentinel_scene_id() {
    let (format, read) = read("skylight.csv");
    assert_eq!(format, DetectionFormat::Skylight);
    assert_eq!(read.detections.len(), 2);
    let first = &read.detections[0];
    assert_eq!((first.id.as_str(), first.time.to_string().as_str()), ("sky-1", "2023-09-07T09:15:12Z"));
    assert_eq!((first.length_m, first.width_m, first.confidence), (Some(118.5), Some(17.2), Some(0.91)));
    assert_eq!(
        (read.skipped.len(), read.skipped[0].line),
        (1, 4),
        "longitude 200 is off the globe: {:?}",
        read.skipped
    );
}

#[test]
fn gfw_presence_is_the_confidence_and_ssvid_its_own_match() {
    let (format, read) = read("gfw-sar.csv");
    assert_eq!(format, DetectionFormat::GfwSar);
    let d = &read.detections[0];
    assert_eq!((d.confidence, d.provider_mmsi), (Some(0.97), Some(273_100_018)));
    assert_eq!(d.time.to_string(), "2023-09-10T09:40:12Z");
    assert_eq!((read.skipped.len(), read.skipped[0].line), (1, 3), "CRLF lines: {:?}", read.skipped);
}

#[test]
fn xview3_words_and_non_vessels() {
    let (format, read) = read("xview3.csv");
    assert_eq!(format, DetectionFormat::Xview3);
    assert_eq!((read.detections.len(), read.not_vessels), (1, 1));
    assert_eq!(read.detections[0].confidence, Some(0.9));
    assert!(read.detections[0].id.ends_with(":2"), "no id: one made of scene and line");
    assert_eq!(read.skipped.len(), 1, "no time for an unknown scene: {:?}", read.skipped);
    assert!(read.skipped[0].reason.contains("no time"));
}

#[test]
fn ksat_percentages_and_footprints() {
    let (format, read) = read("ksat.csv");
    assert_eq!(format, DetectionFormat::Ksat);
    assert_eq!(read.detections[0].confidence, Some(0.87));
    assert_eq!(read.detections[0].heading_deg, Some(45.0));
    assert_eq!(read.scenes.len(), 1);
    assert_eq!((read.scenes[0].id.as_str(), read.scenes[0].footprint.len()), ("rs2-1", 5));
}

#[test]
fn geojson_scenes_give_their_times_to_points() {
    let (format, read) = read("detections.geojson");
    assert_eq!(format, DetectionFormat::GeoJson);
    assert_eq!(read.scenes.len(), 1);
    assert_eq!(read.scenes[0].satellite.as_deref(), Some("OPTICAL-1"));
    assert_eq!(read.detections.len(), 1);
    assert_eq!(read.detections[0].time.to_string(), "2023-09-21T02:10:00Z");
    assert_eq!((read.detections[0].length_m, read.detections[0].confidence), (Some(118.0), Some(0.93)));
    assert_eq!((read.skipped.len(), read.skipped[0].line), (1, 3), "feature 3 has one coordinate");
}

#[test]
fn values_that_are_no_measure_refuse_their_row_with_its_line() {
    // Tumen's generic columns; every row but the first has one bad value.
    let text = "detect_id,time,lat,lon,length_m,confidence\n\
                ok,2023-09-10T09:40:00Z,42.9,132.4,120,0.9\n\
                nan-length,2023-09-10T09:40:00Z,42.9,132.4,NaN,0.9\n\
                negative-length,2023-09-10T09:40:00Z,42.9,132.4,-5,0.9\n\
                infinite-confidence,2023-09-10T09:40:00Z,42.9,132.4,120,inf\n\
                nan-confidence,2023-09-10T09:40:00Z,42.9,132.4,120,NaN\n\
                epoch,1970-01-01T00:00:00Z,42.9,132.4,120,0.9\n\
                unknown,2023-09-10T09:40:00Z,42.9,132.4,,\n";
    let (_, read) = read_detections("d.csv", text, None, &HashMap::new()).unwrap();
    let ids: Vec<&str> = read.detections.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["ok", "unknown"], "empty cells are unknown values, bad ones refuse the row");
    let refused: Vec<(u64, &str)> = read.skipped.iter().map(|s| (s.line, s.reason.as_str())).collect();
    assert_eq!(refused.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 4, 5, 6, 7], "{refused:?}");
    assert!(refused[0].1.contains("length \"NaN\""), "{refused:?}");
    assert!(refused[2].1.contains("confidence \"inf\""), "{refused:?}");
    assert!(refused[4].1.contains("1970"), "{refused:?}");
}
