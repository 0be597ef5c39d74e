//! Reading detection files: the columns of Skylight, Global Fishing Watch
//! SAR, xView3 and KSAT exports (`../shared/FACTS.md` §2), a documented
//! generic CSV, a scenes CSV, and GeoJSON — the format told from the header.
//!
//! A detection needs an id, a position and a time. Files that carry no time
//! per detection (Skylight, xView3) take the scene's: from a scenes file of
//! the same import, scenes already in the dataset, or the acquisition time
//! in the scene id (Sentinel-1 product names carry it, `…_20230920T084012_…`).
//! Rows that cannot be read are skipped with file, line and reason.

use std::collections::HashMap;

use tumen_model::{Detection, LatLon, Scene, Timestamp};
use tumen_table::{Csv, Lines, Skipped, cell};

use crate::imagery::{parse_polygon_wkt, rectangle, ring};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DetectionFormat {
    /// Skylight: `lon, lat, score, vessel_length_m, vessel_width_m, heading_bucket_0..15, vessel_speed_k, detect_id, scene_id`.
    Skylight,
    /// Global Fishing Watch SAR: `scene_id, detect_id, detect_lon, detect_lat, detect_timestamp, ssvid, score, confidence, presence, length_m`.
    GfwSar,
    /// xView3: `detect_lat, detect_lon, vessel_length_m, is_vessel, is_fishing, distance_from_shore_km, scene_id, confidence`.
    Xview3,
    /// KSAT RADARSAT-2: `lon, lat, Probability, DetectionId, ProductStartTime, Length, Heading, scene_id, footprint`.
    Ksat,
    /// Tumen's generic CSV: `detect_id, scene_id, time, lat, lon, length_m, width_m, heading_deg, confidence`.
    GenericCsv,
    /// Scenes: `scene_id, satellite, time, footprint_wkt` (or `center_lat, center_lon, width_km, height_km`).
    ScenesCsv,
    /// A GeoJSON FeatureCollection: points are detections, polygons scenes.
    GeoJson,
}

impl DetectionFormat {
    pub const ALL: [DetectionFormat; 7] = [
        DetectionFormat::Skylight,
        DetectionFormat::GfwSar,
        DetectionFormat::Xview3,
        DetectionFormat::Ksat,
        DetectionFormat::GenericCsv,
        DetectionFormat::ScenesCsv,
        DetectionFormat::GeoJson,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DetectionFormat::Skylight => "skylight",
            DetectionFormat::GfwSar => "gfw-sar",
            DetectionFormat::Xview3 => "xview3",
            DetectionFormat::Ksat => "ksat",
            DetectionFormat::GenericCsv => "csv",
            DetectionFormat::ScenesCsv => "scenes",
            DetectionFormat::GeoJson => "geojson",
        }
    }

    pub fn parse(name: &str) -> Option<DetectionFormat> {
        DetectionFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format of a file, from its first line.
    pub fn detect(text: &str) -> Option<DetectionFormat> {
        let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
        if first.starts_with('{') {
            return Some(DetectionFormat::GeoJson);
        }
        let columns: Vec<String> = tumen_table::csv_fields(first)
            .iter()
            .map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        let has = |name: &str| columns.iter().any(|c| c == name);
        if has("detect_lat") && has("detect_timestamp") {
            Some(DetectionFormat::GfwSar)
        } else if has("detect_lat") && (has("is_vessel") || has("vessel_length_m")) {
            Some(DetectionFormat::Xview3)
        } else if has("vessel_length_m") && (has("heading_bucket_0") || has("vessel_speed_k") || has("score")) {
            Some(DetectionFormat::Skylight)
        } else if has("detectionid") || has("productstarttime") {
            Some(DetectionFormat::Ksat)
        } else if has("scene_id")
            && !has("lat")
            && !has("latitude")
            && (has("footprint_wkt") || has("footprint") || has("center_lat"))
        {
            Some(DetectionFormat::ScenesCsv)
        } else if (has("lat") || has("latitude")) && (has("lon") || has("longitude")) {
            Some(DetectionFormat::GenericCsv)
        } else {
            None
        }
    }
}

/// What one file gave.
#[derive(Debug, Default)]
pub struct DetectionsRead {
    pub scenes: Vec<Scene>,
    pub detections: Vec<Detection>,
    pub skipped: Vec<Skipped>,
    /// Rows the provider says are not vessels (xView3 `is_vessel` false).
    pub not_vessels: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum DetectionReadError {
    #[error(
        "{file}: not a detection file Tumen reads (Skylight, GFW SAR, xView3, KSAT, generic CSV, scenes CSV, GeoJSON); name the format with --format"
    )]
    Unrecognized { file: String },
    #[error("{file}: {reason}")]
    Malformed { file: String, reason: String },
}

/// Reads one detection or scenes file. `scene_times` are the times of
/// scenes known already (this import's scenes files, the dataset's), for
/// detections that carry none.
pub fn read_detections(
    file: &str,
    text: &str,
    format: Option<DetectionFormat>,
    scene_times: &HashMap<String, Timestamp>,
) -> Result<(DetectionFormat, DetectionsRead), DetectionReadError> {
    let format = match format {
        Some(format) => format,
        None => {
            DetectionFormat::detect(text).ok_or_else(|| DetectionReadError::Unrecognized { file: file.to_owned() })?
        }
    };
    let read = match format {
        DetectionFormat::GeoJson => read_geojson(file, text, scene_times)?,
        DetectionFormat::ScenesCsv => read_scenes_csv(file, text),
        _ => read_detections_csv(file, text, format, scene_times),
    };
    Ok((format, read))
}

/// The column names each CSV format uses for each field, first found wins.
struct Layout {
    id: &'static [&'static str],
    scene: &'static [&'static str],
    time: &'static [&'static str],
    lat: &'static [&'static str],
    lon: &'static [&'static str],
    length: &'static [&'static str],
    width: &'static [&'static str],
    heading: &'static [&'static str],
    confidence: &'static [&'static str],
}

const TIME_COLUMNS: &[&str] =
    &["time", "timestamp", "detect_timestamp", "productstarttime", "datetime", "acquisition_time", "scene_time"];

fn layout(format: DetectionFormat) -> Layout {
    let generic = Layout {
        id: &["detect_id", "detection_id", "detectionid", "id"],
        scene: &["scene_id", "scene", "product_id"],
        time: TIME_COLUMNS,
        lat: &["lat", "latitude", "detect_lat"],
        lon: &["lon", "longitude", "lng", "detect_lon"],
        length: &["length_m", "vessel_length_m", "length"],
        width: &["width_m", "vessel_width_m", "width"],
        heading: &["heading_deg", "heading"],
        confidence: &["confidence", "score", "probability", "presence"],
    };
    match format {
        // GFW's `score` is its AIS match score, `presence` the detection's.
        DetectionFormat::GfwSar => Layout { confidence: &["presence", "confidence"], ..generic },
        DetectionFormat::Skylight => Layout { confidence: &["score", "confidence"], ..generic },
        DetectionFormat::Ksat => Layout { confidence: &["probability", "confidence"], ..generic },
        _ => generic,
    }
}

fn read_detections_csv(
    file: &str,
    text: &str,
    format: DetectionFormat,
    scene_times: &HashMap<String, Timestamp>,
) -> DetectionsRead {
    let mut read = DetectionsRead::default();
    let lines = Lines::new(text);
    let mut csv = Csv::new(text, true);
    let Some(columns) = csv.header(1, file, &mut read.skipped) else { return read };
    let layout = layout(format);
    let column = |names: &[&str]| columns.any(names);
    let (id, scene, time, lat, lon) =
        (column(layout.id), column(layout.scene), column(layout.time), column(layout.lat), column(layout.lon));
    let (length, width, heading, confidence) =
        (column(layout.length), column(layout.width), column(layout.heading), column(layout.confidence));
    let (is_vessel, ssvid, footprint) =
        (columns.index("is_vessel"), columns.index("ssvid"), columns.index("footprint"));
    if lat.is_none() || lon.is_none() {
        read.skipped.push(Skipped::new(file, 1, "no latitude/longitude columns"));
        return read;
    }
    let mut footprints: HashMap<String, Scene> = HashMap::new();
    for (line, record) in csv.rows(&lines, 0, file, &mut read.skipped) {
        if cell(&record, is_vessel).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "false" | "0" | "no")) {
            read.not_vessels += 1;
            continue;
        }
        let skip = |reason: String| Skipped::new(file, line, reason);
        let position = match (number(&record, lat), number(&record, lon)) {
            (Some(lat), Some(lon)) => match LatLon::new(lat, lon) {
                Some(p) => p,
                None => {
                    read.skipped.push(skip(format!("position {lat}, {lon} is off the globe")));
                    continue;
                }
            },
            _ => {
                read.skipped.push(skip("no latitude/longitude".into()));
                continue;
            }
        };
        let scene_id = cell(&record, scene).map(str::to_owned);
        let when = match detection_time(cell(&record, time), scene_id.as_deref(), scene_times) {
            Ok(t) => t,
            Err(reason) => {
                read.skipped.push(skip(reason));
                continue;
            }
        };
        let id = match cell(&record, id) {
            Some(id) => id.to_owned(),
            // No id: one made of the file's scene and line, stable on re-import.
            None => format!("{}:{line}", scene_id.as_deref().unwrap_or(file)),
        };
        if let (Some(wkt), Some(scene_id)) = (cell(&record, footprint), &scene_id)
            && !footprints.contains_key(scene_id)
        {
            match parse_polygon_wkt(wkt) {
                Ok(polygon) => {
                    footprints.insert(
                        scene_id.clone(),
                        Scene {
                            id: scene_id.clone(),
                            satellite: None,
                            time: when,
                            footprint: ring(&polygon),
                            source_id: 0,
                            line,
                        },
                    );
                }
                Err(reason) => read.skipped.push(skip(reason)),
            }
        }
        let measures = Measures::read(
            cell(&record, length),
            cell(&record, width),
            cell(&record, heading),
            cell(&record, confidence),
            when,
        );
        let measures = match measures {
            Ok(m) => m,
            Err(reason) => {
                read.skipped.push(skip(reason));
                continue;
            }
        };
        read.detections.push(Detection {
            id,
            scene_id,
            time: when,
            position,
            length_m: measures.length_m,
            width_m: measures.width_m,
            heading_deg: measures.heading_deg,
            confidence: measures.confidence,
            provider_mmsi: cell(&record, ssvid).and_then(|s| s.parse::<u32>().ok()).filter(|m| *m > 0),
            source_id: 0,
            line,
        });
    }
    let mut scenes: Vec<Scene> = footprints.into_values().collect();
    scenes.sort_by_key(|s| s.line);
    read.scenes = scenes;
    read
}

fn read_scenes_csv(file: &str, text: &str) -> DetectionsRead {
    let mut read = DetectionsRead::default();
    let lines = Lines::new(text);
    let mut csv = Csv::new(text, true);
    let Some(columns) = csv.header(1, file, &mut read.skipped) else { return read };
    let (id, satellite, time) = (
        columns.any(&["scene_id", "id"]),
        columns.any(&["satellite", "platform", "mission"]),
        columns.any(TIME_COLUMNS),
    );
    let footprint = columns.any(&["footprint_wkt", "footprint", "wkt"]);
    let (center_lat, center_lon) = (columns.index("center_lat"), columns.index("center_lon"));
    let (width_km, height_km) = (columns.index("width_km"), columns.index("height_km"));
    for (line, record) in csv.rows(&lines, 0, file, &mut read.skipped) {
        let skip = |reason: &str| Skipped::new(file, line, reason);
        let Some(scene_id) = cell(&record, id) else {
            read.skipped.push(skip("a scene without an id"));
            continue;
        };
        let when = match detection_time(cell(&record, time), Some(scene_id), &HashMap::new()) {
            Ok(t) => t,
            Err(reason) => {
                read.skipped.push(skip(&reason));
                continue;
            }
        };
        let polygon = match cell(&record, footprint) {
            Some(wkt) => match parse_polygon_wkt(wkt) {
                Ok(p) => Some(p),
                Err(reason) => {
                    read.skipped.push(skip(&reason));
                    continue;
                }
            },
            None => match (
                number(&record, center_lat),
                number(&record, center_lon),
                number(&record, width_km),
                number(&record, height_km),
            ) {
                (Some(lat), Some(lon), Some(w), Some(h)) => {
                    LatLon::new(lat, lon).map(|c| rectangle(c, w * 1000.0, h * 1000.0))
                }
                _ => None,
            },
        };
        read.scenes.push(Scene {
            id: scene_id.to_owned(),
            satellite: cell(&record, satellite).map(str::to_owned),
            time: when,
            footprint: polygon.as_ref().map(ring).unwrap_or_default(),
            source_id: 0,
            line,
        });
    }
    read
}

/// GeoJSON: a FeatureCollection (or one Feature per line); Point features
/// are detections (properties named as in the generic CSV), Polygon
/// features with a `scene_id` are scenes.
fn read_geojson(
    file: &str,
    text: &str,
    scene_times: &HashMap<String, Timestamp>,
) -> Result<DetectionsRead, DetectionReadError> {
    let mut read = DetectionsRead::default();
    let malformed = |reason: String| DetectionReadError::Malformed { file: file.to_owned(), reason };
    let root: serde_json::Value =
        serde_json::from_str(text).map_err(|e| malformed(format!("line {}: {e}", e.line())))?;
    let features = tumen_places::geojson::features(&root)
        .ok_or_else(|| malformed("not a GeoJSON FeatureCollection or Feature".into()))?;
    let mut scenes = scene_times.clone();
    let mut pending: Vec<(usize, &serde_json::Value)> = Vec::new();
    // Scenes first, so points can take their times.
    for (index, feature) in features.iter().enumerate() {
        let geometry_type = feature.pointer("/geometry/type").and_then(|t| t.as_str()).unwrap_or("");
        let properties = feature.get("properties").cloned().unwrap_or_default();
        let text_of = |names: &[&str]| property_text(&properties, names);
        // GeoJSON has no lines; the feature's index stands in, counted from 1.
        let line = (index + 1) as u64;
        match geometry_type {
            "Polygon" | "MultiPolygon" => {
                let Some(scene_id) = text_of(&["scene_id", "id"]) else {
                    read.skipped.push(Skipped::new(file, line, "a polygon without a scene_id"));
                    continue;
                };
                let when = match detection_time(text_of(TIME_COLUMNS).as_deref(), Some(&scene_id), &HashMap::new()) {
                    Ok(t) => t,
                    Err(reason) => {
                        read.skipped.push(Skipped::new(file, line, reason));
                        continue;
                    }
                };
                // A footprint that does not read is no footprint: the scene
                // still dates its detections.
                let polygon = feature.get("geometry").and_then(|g| tumen_places::geojson::polygons(g).ok()).and_then(
                    |polygons| {
                        let exterior = polygons.into_iter().next()?.into_iter().next()?;
                        let ring = exterior.into_iter().map(|[x, y]| geo::Coord { x, y });
                        Some(geo::Polygon::new(geo::LineString::from_iter(ring), Vec::new()))
                    },
                );
                scenes.insert(scene_id.clone(), when);
                read.scenes.push(Scene {
                    id: scene_id,
                    satellite: text_of(&["satellite", "platform"]),
                    time: when,
                    footprint: polygon.as_ref().map(ring).unwrap_or_default(),
                    source_id: 0,
                    line,
                });
            }
            "Point" => pending.push((index, feature)),
            other => read.skipped.push(Skipped::new(
                file,
                line,
                format!("a {other:?} feature is neither a detection nor a scene"),
            )),
        }
    }
    for (index, feature) in pending {
        let line = (index + 1) as u64;
        let properties = feature.get("properties").cloned().unwrap_or_default();
        let text_of = |names: &[&str]| property_text(&properties, names);
        let position = feature.pointer("/geometry/coordinates").and_then(|c| tumen_places::geojson::lat_lon(c).ok());
        let Some(position) = position else {
            read.skipped.push(Skipped::new(file, line, "a point without valid coordinates"));
            continue;
        };
        let scene_id = text_of(&["scene_id", "scene"]);
        let when = match detection_time(text_of(TIME_COLUMNS).as_deref(), scene_id.as_deref(), &scenes) {
            Ok(t) => t,
            Err(reason) => {
                read.skipped.push(Skipped::new(file, line, reason));
                continue;
            }
        };
        let id = text_of(&["detect_id", "detection_id", "id"])
            .or_else(|| feature.get("id").and_then(|i| i.as_str().map(str::to_owned)))
            .unwrap_or_else(|| format!("{file}:{line}"));
        let measures = Measures::read(
            text_of(&["length_m", "vessel_length_m", "length"]).as_deref(),
            text_of(&["width_m", "vessel_width_m", "width"]).as_deref(),
            text_of(&["heading_deg", "heading"]).as_deref(),
            text_of(&["confidence", "score", "probability"]).as_deref(),
            when,
        );
        let measures = match measures {
            Ok(m) => m,
            Err(reason) => {
                read.skipped.push(Skipped::new(file, line, reason));
                continue;
            }
        };
        read.detections.push(Detection {
            id,
            scene_id,
            time: when,
            position,
            length_m: measures.length_m,
            width_m: measures.width_m,
            heading_deg: measures.heading_deg,
            confidence: measures.confidence,
            provider_mmsi: None,
            source_id: 0,
            line,
        });
    }
    Ok(read)
}

/// The first of `names` a feature's properties have, as text (a number
/// written as it reads), trimmed.
fn property_text(properties: &serde_json::Value, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| properties.get(*n)).and_then(|v| match v {
        serde_json::Value::String(s) => Some(s.trim().to_owned()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// A detection's time: its own, else its scene's, else the one in the
/// scene id.
fn detection_time(
    own: Option<&str>,
    scene_id: Option<&str>,
    scene_times: &HashMap<String, Timestamp>,
) -> Result<Timestamp, String> {
    if let Some(text) = own {
        return Timestamp::parse_lenient(text).ok_or_else(|| format!("time {text:?} is not a time"));
    }
    if let Some(scene_id) = scene_id {
        if let Some(t) = scene_times.get(scene_id) {
            return Ok(*t);
        }
        if let Some(t) = time_in_scene_id(scene_id) {
            return Ok(t);
        }
    }
    Err("no time: none given, no scene time known, none in the scene id (import the scenes file with it)".into())
}

/// The first `YYYYMMDDThhmmss` in a scene id (Sentinel-1 and most product
/// names carry the acquisition start so).
pub fn time_in_scene_id(scene_id: &str) -> Option<Timestamp> {
    let bytes = scene_id.as_bytes();
    (0..bytes.len().saturating_sub(14)).find_map(|i| {
        let window = &bytes[i..i + 15];
        let digits = |r: std::ops::Range<usize>| window[r].iter().all(u8::is_ascii_digit);
        let boundary = i == 0 || !bytes[i - 1].is_ascii_digit();
        if !(boundary && digits(0..8) && window[8] == b'T' && digits(9..15)) {
            return None;
        }
        let s = std::str::from_utf8(window).ok()?;
        let text = format!("{}-{}-{}T{}:{}:{}Z", &s[0..4], &s[4..6], &s[6..8], &s[9..11], &s[11..13], &s[13..15]);
        Timestamp::parse_lenient(&text)
    })
}

/// The first acquisition this reads could come from: ERS-1's SAR, 1991.
/// A detection dated before is a date field gone wrong (a zero epoch).
const FIRST_IMAGERY_YEAR: i32 = 1991;

/// What a detection measured, each value checked: a cell that is there
/// must be a finite number in its range — the row is refused otherwise,
/// naming the value, rather than read as if the value were absent (a NaN
/// confidence must not pass for "unknown" and make a dark vessel).
struct Measures {
    length_m: Option<f64>,
    width_m: Option<f64>,
    heading_deg: Option<f64>,
    confidence: Option<f64>,
}

impl Measures {
    fn read(
        length: Option<&str>,
        width: Option<&str>,
        heading: Option<&str>,
        confidence: Option<&str>,
        when: Timestamp,
    ) -> Result<Measures, String> {
        let year = when.utc_fields().map_or(0, |f| f.year);
        if year < FIRST_IMAGERY_YEAR || when > Timestamp::now().plus_ms(86_400_000) {
            return Err(format!("time {when} is outside any satellite imagery (from {FIRST_IMAGERY_YEAR} to now)"));
        }
        let measure = |text: Option<&str>, what: &str, valid: &dyn Fn(f64) -> bool, range: &str| {
            text.map(|t| match t.parse::<f64>() {
                Ok(v) if v.is_finite() && valid(v) => Ok(v),
                _ => Err(format!("{what} {t:?} is not {range}")),
            })
            .transpose()
        };
        let length_m = measure(length, "length", &|v| v > 0.0 && v < 1_000.0, "a length in metres (0–1000)")?;
        let width_m = measure(width, "width", &|v| v > 0.0 && v < 200.0, "a width in metres (0–200)")?;
        let heading_deg = measure(heading, "heading", &|v| (0.0..360.0).contains(&v), "a heading in degrees (0–360)")?;
        let confidence = match confidence {
            None => None,
            Some(text) => Some(confidence_value(text).ok_or_else(|| {
                format!("confidence {text:?} is not a probability (0–1, a percentage, or HIGH/MEDIUM/LOW)")
            })?),
        };
        Ok(Measures { length_m, width_m, heading_deg, confidence })
    }
}

/// A confidence as 0–1: a fraction, a percentage, or xView3's words.
fn confidence_value(text: &str) -> Option<f64> {
    match text.to_ascii_uppercase().as_str() {
        "HIGH" => return Some(0.9),
        "MEDIUM" => return Some(0.7),
        "LOW" => return Some(0.5),
        _ => {}
    }
    let value: f64 = text.parse().ok()?;
    match value {
        v if (0.0..=1.0).contains(&v) => Some(v),
        v if (1.0..=100.0).contains(&v) => Some(v / 100.0),
        _ => None,
    }
}

fn number(record: &csv::StringRecord, column: Option<usize>) -> Option<f64> {
    cell(record, column)?.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Scene times of `scenes` by id.
pub fn scene_times(scenes: &[Scene]) -> HashMap<String, Timestamp> {
    scenes.iter().map(|s| (s.id.clone(), s.time)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geojson_gives_scenes_with_footprints_and_detections_dated_by_them() {
        let text = r#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"scene_id": "S1A_20230915T090000", "satellite": "Sentinel-1A"},
           "geometry": {"type": "Polygon", "coordinates": [[[130.2, 42.1], [130.5, 42.1], [130.5, 42.4], [130.2, 42.4]]]}},
          {"type": "Feature", "properties": {"scene_id": "S1A_20230915T090000", "length_m": 120},
           "geometry": {"type": "Point", "coordinates": [130.3, 42.25]}},
          {"type": "Feature", "properties": {"scene_id": "S1A_20230915T090000"},
           "geometry": {"type": "Point", "coordinates": [42.25, 130.3]}},
          {"type": "Feature", "properties": {"name": "a pier"},
           "geometry": {"type": "LineString", "coordinates": [[130.3, 42.2], [130.31, 42.2]]}}
        ]}"#;
        let (format, read) = read_detections("s1.geojson", text, None, &HashMap::new()).unwrap();
        assert_eq!(format, DetectionFormat::GeoJson);
        assert_eq!(read.scenes.len(), 1);
        let scene = &read.scenes[0];
        assert_eq!(scene.time.to_string(), "2023-09-15T09:00:00Z");
        assert_eq!(scene.footprint.len(), 5, "the open ring is closed");
        assert_eq!(read.detections.len(), 1);
        let detection = &read.detections[0];
        assert_eq!((detection.time, detection.length_m, detection.line), (scene.time, Some(120.0), 2));
        // Latitude and longitude swapped, and a line: skipped, each by its feature's number.
        let skipped: Vec<(u64, &str)> = read.skipped.iter().map(|s| (s.line, s.reason.as_str())).collect();
        assert_eq!(skipped.len(), 2, "{skipped:?}");
        assert_eq!(skipped[0].0, 4);
        assert!(skipped[1].0 == 3 && skipped[1].1.contains("coordinates"), "{skipped:?}");
        assert!(
            read_detections(
                "x.geojson",
                r#"{"type": "Point", "coordinates": [0, 0]}"#,
                Some(DetectionFormat::GeoJson),
                &HashMap::new()
            )
            .is_err()
        );
    }
}
