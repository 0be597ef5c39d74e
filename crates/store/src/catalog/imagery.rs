//! Scenes, vessel detections and facility observations in the catalog:
//! imported once, read by the fusion step of `tumen run`. A row imported
//! again (same id; for observations the same site, class, time and
//! provider) replaces the earlier one.

use rusqlite::params;
use tumen_model::{Detection, LatLon, ObjectClass, Observation, Scene, Timestamp};

use super::{Catalog, CatalogError};

pub(super) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS scenes (
    id TEXT PRIMARY KEY,
    satellite TEXT,
    time INTEGER NOT NULL,          -- ms since 1970 (UTC)
    footprint TEXT NOT NULL,        -- outer ring `lon lat,lon lat,…`; empty: none given
    source_id INTEGER NOT NULL,
    line INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS detections (
    id TEXT PRIMARY KEY,
    scene_id TEXT,
    time INTEGER NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    length_m REAL,
    width_m REAL,
    heading_deg REAL,
    confidence REAL,
    provider_mmsi INTEGER,
    source_id INTEGER NOT NULL,
    line INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS detections_by_time ON detections(time);
CREATE TABLE IF NOT EXISTS observations (
    site TEXT NOT NULL,
    object_class TEXT NOT NULL,
    time INTEGER NOT NULL,
    provider TEXT NOT NULL,         -- empty: not given
    site_name TEXT,
    lat REAL,
    lon REAL,
    count INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    line INTEGER NOT NULL,
    PRIMARY KEY (site, object_class, time, provider)
) WITHOUT ROWID;
"#;

impl Catalog {
    pub fn put_scenes(&mut self, scenes: &[Scene]) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO scenes (id, satellite, time, footprint, source_id, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for s in scenes {
                let ring: Vec<String> = s.footprint.iter().map(|p| format!("{} {}", p.lon_deg, p.lat_deg)).collect();
                insert.execute(params![s.id, s.satellite, s.time.unix_ms(), ring.join(","), s.source_id, s.line])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn put_detections(&mut self, detections: &[Detection]) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO detections (id, scene_id, time, lat, lon, length_m, width_m, heading_deg,
                 confidence, provider_mmsi, source_id, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            for d in detections {
                insert.execute(params![
                    d.id,
                    d.scene_id,
                    d.time.unix_ms(),
                    d.position.lat_deg,
                    d.position.lon_deg,
                    d.length_m,
                    d.width_m,
                    d.heading_deg,
                    d.confidence,
                    d.provider_mmsi,
                    d.source_id,
                    d.line
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    pub fn put_observations(&mut self, observations: &[Observation]) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO observations (site, object_class, time, provider, site_name, lat, lon, count,
                 source_id, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for o in observations {
                insert.execute(params![
                    o.site,
                    o.object.as_str(),
                    o.time.unix_ms(),
                    o.provider.as_deref().unwrap_or(""),
                    o.site_name,
                    o.position.map(|p| p.lat_deg),
                    o.position.map(|p| p.lon_deg),
                    o.count,
                    o.source_id,
                    o.line
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every scene, by time.
    pub fn scenes(&self) -> Result<Vec<Scene>, CatalogError> {
        let mut statement = self
            .conn
            .prepare("SELECT id, satellite, time, footprint, source_id, line FROM scenes ORDER BY time, id")?;
        let rows = statement.query_map([], |r| {
            let footprint: String = r.get(3)?;
            Ok(Scene {
                id: r.get(0)?,
                satellite: r.get(1)?,
                time: Timestamp::from_unix_ms(r.get(2)?),
                footprint: parse_ring(&footprint),
                source_id: r.get(4)?,
                line: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every detection (with `from`/`to`, those taken between), by time.
    pub fn detections(&self, from: Option<Timestamp>, to: Option<Timestamp>) -> Result<Vec<Detection>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT id, scene_id, time, lat, lon, length_m, width_m, heading_deg, confidence, provider_mmsi, source_id, line
             FROM detections WHERE time >= ?1 AND time <= ?2 ORDER BY time, id",
        )?;
        let (from, to) = (from.map_or(i64::MIN, Timestamp::unix_ms), to.map_or(i64::MAX, Timestamp::unix_ms));
        let rows = statement.query_map(params![from, to], |r| {
            let (lat, lon): (f64, f64) = (r.get(3)?, r.get(4)?);
            Ok(Detection {
                id: r.get(0)?,
                scene_id: r.get(1)?,
                time: Timestamp::from_unix_ms(r.get(2)?),
                position: LatLon::new(lat, lon).unwrap_or(LatLon { lat_deg: lat, lon_deg: lon }),
                length_m: r.get(5)?,
                width_m: r.get(6)?,
                heading_deg: r.get(7)?,
                confidence: r.get(8)?,
                provider_mmsi: r.get(9)?,
                source_id: r.get(10)?,
                line: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every observation, by site, class and time.
    pub fn observations(&self) -> Result<Vec<Observation>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT site, object_class, time, provider, site_name, lat, lon, count, source_id, line
             FROM observations ORDER BY site, object_class, time, provider",
        )?;
        let rows = statement.query_map([], |r| {
            let class: String = r.get(1)?;
            let provider: String = r.get(3)?;
            let (lat, lon): (Option<f64>, Option<f64>) = (r.get(5)?, r.get(6)?);
            Ok(Observation {
                site: r.get(0)?,
                object: ObjectClass::parse(&class).unwrap_or(ObjectClass::Vehicle),
                time: Timestamp::from_unix_ms(r.get(2)?),
                provider: (!provider.is_empty()).then_some(provider),
                site_name: r.get(4)?,
                position: lat.zip(lon).and_then(|(lat, lon)| LatLon::new(lat, lon)),
                count: r.get(7)?,
                source_id: r.get(8)?,
                line: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn parse_ring(text: &str) -> Vec<LatLon> {
    text.split(',')
        .filter_map(|pair| {
            let mut numbers = pair.split_whitespace().map(|n| n.parse::<f64>().ok());
            let (lon, lat) = (numbers.next()??, numbers.next()??);
            LatLon::new(lat, lon)
        })
        .collect()
}
