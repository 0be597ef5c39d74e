//! Facility observations: how many objects of a class (rail cars,
//! containers, vessels, vehicles) an image showed at a site on a date.
//!
//! CSV with a header: `site, time, object_class, count` required;
//! `site_name, lat, lon, source` optional (the provider or analyst who
//! counted). Classes are read loosely (`rail car`, `Rail_Cars`,
//! `railcar` are one).

use tumen_model::{LatLon, ObjectClass, Observation, Timestamp};
use tumen_table::{Csv, Lines, Skipped, cell};

#[derive(Debug, Default)]
pub struct ObservationsRead {
    pub observations: Vec<Observation>,
    pub skipped: Vec<Skipped>,
}

/// Reads an observations CSV; a file without the required columns is not
/// one (an error naming the file and what is missing).
pub fn read_observations(file: &str, text: &str) -> Result<ObservationsRead, String> {
    let mut read = ObservationsRead::default();
    let lines = Lines::new(text);
    let mut csv = Csv::new(text, true);
    let Some(columns) = csv.header(1, file, &mut read.skipped) else { return Ok(read) };
    let site = columns.any(&["site", "site_id", "facility"]);
    let time = columns.any(&["time", "date", "timestamp", "image_time", "acquired"]);
    let object = columns.any(&["object_class", "object", "class"]);
    let count = columns.any(&["count", "objects", "n"]);
    let missing: Vec<&str> = [("site", site), ("time", time), ("object_class", object), ("count", count)]
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "{file}: not an observations file (no {} column; needs site, time, object_class, count)",
            missing.join(", ")
        ));
    }
    let (site_name, lat, lon) =
        (columns.any(&["site_name", "name"]), columns.any(&["lat", "latitude"]), columns.any(&["lon", "longitude"]));
    let provider = columns.any(&["source", "provider"]);
    for (line, record) in csv.rows(&lines, 0, file, &mut read.skipped) {
        let skip = |reason: String| Skipped::new(file, line, reason);
        let Some(site_id) = cell(&record, site) else {
            read.skipped.push(skip("no site".into()));
            continue;
        };
        let when = match cell(&record, time).map(|t| (t, Timestamp::parse_lenient(t).or_else(|| date_only(t)))) {
            Some((_, Some(t))) => t,
            Some((t, None)) => {
                read.skipped.push(skip(format!("time {t:?} is not a time")));
                continue;
            }
            None => {
                read.skipped.push(skip("no time".into()));
                continue;
            }
        };
        let class = match cell(&record, object) {
            Some(text) => match ObjectClass::parse(text) {
                Some(class) => class,
                None => {
                    read.skipped
                        .push(skip(format!("object class {text:?} is none of rail_car, container, vessel, vehicle")));
                    continue;
                }
            },
            None => {
                read.skipped.push(skip("no object class".into()));
                continue;
            }
        };
        let number = match cell(&record, count).map(|c| (c, c.parse::<f64>())) {
            Some((_, Ok(n))) if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX) => n as u32,
            Some((c, _)) => {
                read.skipped.push(skip(format!("count {c:?} is not a whole number of objects")));
                continue;
            }
            None => {
                read.skipped.push(skip("no count".into()));
                continue;
            }
        };
        let position =
            match (cell(&record, lat).and_then(|v| v.parse().ok()), cell(&record, lon).and_then(|v| v.parse().ok())) {
                (Some(lat), Some(lon)) => LatLon::new(lat, lon),
                _ => None,
            };
        read.observations.push(Observation {
            site: site_id.to_owned(),
            site_name: cell(&record, site_name).map(str::to_owned),
            position,
            time: when,
            object: class,
            count: number,
            provider: cell(&record, provider).map(str::to_owned),
            source_id: 0,
            line,
        });
    }
    Ok(read)
}

/// `2023-10-05` as midnight UTC.
fn date_only(text: &str) -> Option<Timestamp> {
    Timestamp::parse_lenient(&format!("{}T00:00:00Z", text.trim()))
}
