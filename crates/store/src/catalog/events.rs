//! Events (`tumen run`, `tumen watch`'s re-runs): typed [`Event`]s, kept
//! with their attributes and evidence as the events' JSON.

use rusqlite::{Connection, OptionalExtension, params};
use tumen_model::{Event, EventKind, LatLon, Mmsi, Timestamp};

use super::{Catalog, CatalogError, unreadable};

pub(super) const SCHEMA: &str = r#"
-- What the detectors found (`tumen run`); attributes and evidence as JSON.
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    mmsis TEXT NOT NULL,            -- comma-separated
    start_time INTEGER NOT NULL,    -- ms since 1970 (UTC)
    end_time INTEGER NOT NULL,
    lat REAL,                       -- null: the vessel's position is not known
    lon REAL,
    place TEXT,
    confidence INTEGER NOT NULL,
    profile TEXT NOT NULL,
    attributes TEXT NOT NULL,
    evidence TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_by_kind ON events(kind, start_time);
"#;

const EVENT_COLUMNS: &str =
    "id, kind, mmsis, start_time, end_time, lat, lon, place, confidence, profile, attributes, evidence";

/// An `events` row read with [`EVENT_COLUMNS`].
fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    let kind: String = r.get(1)?;
    let mmsis: String = r.get(2)?;
    let attributes: String = r.get(10)?;
    let evidence: String = r.get(11)?;
    let lat: Option<f64> = r.get(5)?;
    let lon: Option<f64> = r.get(6)?;
    Ok(Event {
        id: r.get(0)?,
        kind: kind.parse().map_err(|e| unreadable(1, e))?,
        mmsis: mmsis.split(',').filter_map(|m| m.parse().ok()).map(Mmsi).collect(),
        start: Timestamp::from_unix_ms(r.get(3)?),
        end: Timestamp::from_unix_ms(r.get(4)?),
        position: lat.zip(lon).map(|(lat_deg, lon_deg)| LatLon { lat_deg, lon_deg }),
        place: r.get(7)?,
        confidence: r.get(8)?,
        profile: r.get(9)?,
        attributes: Event::attributes_from_json(&attributes).map_err(|e| unreadable(10, e))?,
        evidence: Event::evidence_from_json(&evidence).map_err(|e| unreadable(11, e))?,
    })
}

/// Which events to list.
#[derive(Clone, Debug, Default)]
pub struct EventQuery {
    pub kind: Option<EventKind>,
    pub mmsi: Option<Mmsi>,
    pub place: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub limit: u64,
}

/// Events are derived data (`tumen run` remakes them): a table from before
/// positions could be unknown is dropped, to be made again.
pub(super) fn drop_events_of_an_older_layout(conn: &Connection) -> Result<(), CatalogError> {
    let layout: Option<String> =
        conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'events'", [], |r| r.get(0)).optional()?;
    if layout.is_some_and(|sql| sql.contains("lat REAL NOT NULL")) {
        conn.execute_batch("DROP TABLE events")?;
    }
    Ok(())
}

impl Catalog {
    /// Replaces the stored events of `kinds` that start from `from` to `to`
    /// (either end open) with `events`, in one transaction (a run over a
    /// window re-detects that window).
    pub fn replace_events_between(
        &mut self,
        kinds: &[EventKind],
        from: Option<Timestamp>,
        to: Option<Timestamp>,
        events: &[Event],
    ) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        {
            let mut delete = tx.prepare_cached(
                "DELETE FROM events WHERE kind = ?1 AND (?2 IS NULL OR start_time >= ?2) AND (?3 IS NULL OR start_time <= ?3)",
            )?;
            for kind in kinds {
                delete.execute(params![kind.as_str(), from.map(Timestamp::unix_ms), to.map(Timestamp::unix_ms)])?;
            }
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO events (id, kind, mmsis, start_time, end_time, lat, lon, place, confidence, profile, attributes, evidence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            for e in events {
                let mmsis: Vec<String> = e.mmsis.iter().map(|m| m.0.to_string()).collect();
                insert.execute(params![
                    e.id,
                    e.kind.as_str(),
                    mmsis.join(","),
                    e.start.unix_ms(),
                    e.end.unix_ms(),
                    e.position.map(|p| p.lat_deg),
                    e.position.map(|p| p.lon_deg),
                    e.place,
                    e.confidence,
                    e.profile,
                    e.attributes_json(),
                    e.evidence_json()
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Stored events matching `query`, by start time then id.
    pub fn events(&self, query: &EventQuery) -> Result<Vec<Event>, CatalogError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM events
             WHERE (?1 IS NULL OR kind = ?1)
               AND (?2 IS NULL OR ',' || mmsis || ',' LIKE '%,' || ?2 || ',%')
               AND (?3 IS NULL OR place = ?3)
               AND (?4 IS NULL OR end_time >= ?4)
               AND (?5 IS NULL OR start_time <= ?5)
             ORDER BY start_time, id LIMIT ?6"
        ))?;
        let rows = statement.query_map(
            params![
                query.kind.map(EventKind::as_str),
                query.mmsi.map(|m| m.0),
                query.place,
                query.from.map(Timestamp::unix_ms),
                query.to.map(Timestamp::unix_ms),
                i64::try_from(query.limit).unwrap_or(i64::MAX)
            ],
            event_row,
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The stored events with these ids, by start time then id (ids not
    /// stored are passed over).
    pub fn events_by_id(&self, ids: &[String]) -> Result<Vec<Event>, CatalogError> {
        let mut statement = self.conn.prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"))?;
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(event) = statement.query_row([id], event_row).optional()? {
                found.push(event);
            }
        }
        found.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
        found.dedup_by(|a, b| a.id == b.id);
        Ok(found)
    }
}
