//! `catalog.sqlite`: the small, mutable, transactional part of the dataset —
//! the sources ingested (with their content hash and checkpoint), the
//! archive's parts, the vessel identity registry, and reject counts.
//!
//! Every change a batch of input makes is one transaction: the parts it
//! wrote, the identity fields it saw, its rejects, and the checkpoint to
//! resume from. A part file that no committed transaction names is not part
//! of the archive (and is removed when the dataset is next opened).

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use tumen_model::{Event, EventKind, Evidence, LatLon, Mmsi, Timestamp};

use crate::archive::PartInfo;
use crate::rows::StaticField;
use crate::static_batch::StaticBatch;

mod alerts;
mod chains;
mod imagery;

pub use alerts::AlertRecord;
pub use chains::ChainRecord;

const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,             -- file, stdin, tcp, udp; list (a watch-list file)
    location TEXT NOT NULL,         -- path or address
    content_hash TEXT,              -- files: xxh3-128 of the bytes as stored
    size_bytes INTEGER,
    format TEXT NOT NULL,           -- nmea, noaa_csv, dma_csv
    receiver_kind TEXT NOT NULL,    -- terrestrial, satellite, mixed, unknown
    status TEXT NOT NULL,           -- ingesting, done, failed
    started TEXT NOT NULL,
    finished TEXT,
    checkpoint BLOB,                -- opaque to the store: where ingest resumes
    lines INTEGER NOT NULL DEFAULT 0,
    positions INTEGER NOT NULL DEFAULT 0,
    statics INTEGER NOT NULL DEFAULT 0,
    rejects INTEGER NOT NULL DEFAULT 0,
    summary TEXT                    -- JSON counts, written when done
);
CREATE UNIQUE INDEX IF NOT EXISTS sources_by_hash ON sources(content_hash) WHERE content_hash IS NOT NULL;
CREATE TABLE IF NOT EXISTS parts (
    id INTEGER PRIMARY KEY,
    source_id INTEGER,              -- NULL for a part made by compaction
    day INTEGER NOT NULL,           -- days since 1970-01-01 (UTC)
    file TEXT NOT NULL UNIQUE,      -- relative to the dataset directory
    rows INTEGER NOT NULL,
    min_time INTEGER NOT NULL,
    max_time INTEGER NOT NULL,
    min_mmsi INTEGER NOT NULL,
    max_mmsi INTEGER NOT NULL,
    compacted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS parts_by_day ON parts(day);
-- The identity registry: each value a vessel broadcast for a field, per UTC
-- day, with when it was first and last heard that day.
CREATE TABLE IF NOT EXISTS static_values (
    mmsi INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    day INTEGER NOT NULL,
    first_time INTEGER NOT NULL,
    last_time INTEGER NOT NULL,
    reports INTEGER NOT NULL,
    source_id INTEGER NOT NULL,     -- evidence: where it was first heard that day
    first_line INTEGER NOT NULL,
    PRIMARY KEY (mmsi, field, value, day)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS static_values_by_value ON static_values(field, value);
-- Places users imported (`tumen places import`): each a GeoJSON feature,
-- kept as text (the store does not read geometry); by id, a later import
-- replacing an earlier one.
CREATE TABLE IF NOT EXISTS places (
    id TEXT PRIMARY KEY,
    feature TEXT NOT NULL,
    source TEXT NOT NULL,           -- the file it was imported from
    imported TEXT NOT NULL
) WITHOUT ROWID;
-- Watch lists (`tumen lists import`): one row per list, its entries as
-- JSON (the screen crate's WatchEntry), keyed by the list's own ids.
CREATE TABLE IF NOT EXISTS watch_lists (
    name TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    files TEXT NOT NULL,            -- the files of the last import, comma-separated
    imported TEXT NOT NULL,
    entries INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watch_entries (
    list TEXT NOT NULL,
    id TEXT NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (list, id)
) WITHOUT ROWID;
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
CREATE TABLE IF NOT EXISTS reject_counts (
    source_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (source_id, reason)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reject_files (
    file TEXT PRIMARY KEY,          -- relative to the dataset directory
    source_id INTEGER NOT NULL,
    lines INTEGER NOT NULL
);
"#;

/// What `tumen vessels` looks for.
#[derive(Clone, Debug)]
pub struct VesselQuery {
    pub mmsi: Option<Mmsi>,
    pub imo: Option<u32>,
    pub name_contains: Option<String>,
    pub limit: u64,
}

/// A catalog error.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("catalog schema version {found}, this Tumen knows {SCHEMA_VERSION}")]
    Version { found: i64 },
}

/// A source as the catalog knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceRecord {
    pub id: u32,
    pub kind: String,
    pub location: String,
    pub content_hash: Option<String>,
    pub format: String,
    pub receiver_kind: String,
    pub status: String,
    pub checkpoint: Option<Vec<u8>>,
    pub lines: u64,
    pub positions: u64,
    pub rejects: u64,
    /// When it was registered (RFC 3339, UTC).
    pub started: String,
}

/// What one batch of input changes, committed together.
pub struct BatchCommit<'a> {
    pub source_id: u32,
    pub parts: &'a [PartInfo],
    pub statics: &'a StaticBatch,
    pub reject_file: Option<(&'a str, u64)>,
    pub reject_counts: &'a [(String, u64)],
    pub checkpoint: &'a [u8],
    pub lines: u64,
    pub positions: u64,
}

const EVENT_COLUMNS: &str =
    "id, kind, mmsis, start_time, end_time, lat, lon, place, confidence, profile, attributes, evidence";

/// An `events` row read with [`EVENT_COLUMNS`].
fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    /// A column whose text does not read as what it holds.
    fn unreadable(column: usize, problem: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, Box::new(problem))
    }
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

/// A stored watch list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchListRecord {
    pub name: String,
    pub format: String,
    pub files: String,
    pub imported: String,
    pub entries: u64,
}

/// SQLite's `json_remove` of the keys of a stored watch-list entry that
/// say where it was read (the source, the import's time, the line), not
/// what it says: an entry read again from another file is not "changed"
/// by them.
const ENTRY_CONTENT: &str = "json_remove(?1, '$.source_id', '$.imported_unix_ms', '$.line')";

/// What replacing list `name`'s entries with `entries` changes.
fn list_changes(
    conn: &rusqlite::Connection,
    name: &str,
    entries: &[(String, String)],
) -> Result<ListChanges, CatalogError> {
    let mut changes = ListChanges::default();
    let mut old: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut select = conn.prepare_cached(&format!(
        "SELECT id, {} FROM watch_entries WHERE list = ?1",
        ENTRY_CONTENT.replace("?1", "entry")
    ))?;
    for row in select.query_map([name], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (id, content) = row?;
        old.insert(id, content);
    }
    let mut content_of = conn.prepare_cached(&format!("SELECT {ENTRY_CONTENT}"))?;
    for (id, entry) in entries {
        match old.remove(id) {
            None => changes.added.push(id.clone()),
            Some(before) => {
                let now: String = content_of.query_row([entry], |r| r.get(0))?;
                if before != now {
                    changes.changed.push(id.clone());
                }
            }
        }
    }
    changes.removed = old.into_keys().collect();
    changes.removed.sort();
    Ok(changes)
}

/// What a re-import changed, by entry id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
}

/// One field's value over a span of time, from the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticSpan {
    pub field: StaticField,
    pub value: String,
    pub first_time: Timestamp,
    pub last_time: Timestamp,
    pub reports: u64,
    pub source_id: u32,
    pub first_line: u64,
}

impl StaticSpan {
    /// The span's first report as evidence (identity reports carry no
    /// position).
    pub fn first_report(&self, role: &'static str) -> Evidence {
        Evidence { source_id: self.source_id, line: self.first_line, time: self.first_time, position: None, role }
    }
}

pub struct Catalog {
    conn: Connection,
}

impl Catalog {
    /// Opens (creating if needed) the catalog at `path`.
    pub fn open(path: &Path) -> Result<Catalog, CatalogError> {
        let conn = Connection::open(path)?;
        // WAL: readers do not block the ingest; FULL: a commit is durable
        // when it returns.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Up to 256 MiB of pages in memory (SQLite's default is 2 MiB): a
        // registry commit touches pages all over its tables and index, and
        // with the default a global day's commits spilled and rewrote the
        // same pages to the WAL again and again — 0.6 GB written (and read
        // back) per 25M lines for a 30 MB catalog. Pages are taken as used.
        conn.pragma_update(None, "cache_size", -262_144)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        drop_events_of_an_older_layout(&conn)?;
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch(imagery::SCHEMA)?;
        conn.execute_batch(chains::SCHEMA)?;
        conn.execute_batch(alerts::SCHEMA)?;
        let version: Option<String> =
            conn.query_row("SELECT value FROM meta WHERE key = 'schema_version'", [], |r| r.get(0)).optional()?;
        match version.and_then(|v| v.parse::<i64>().ok()) {
            None => {
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?1)",
                    [SCHEMA_VERSION.to_string()],
                )?;
            }
            Some(SCHEMA_VERSION) => {}
            Some(found) => return Err(CatalogError::Version { found }),
        }
        Ok(Catalog { conn })
    }

    /// Stores users' places, `(id, GeoJSON feature)`, replacing those of the
    /// same ids, in one transaction. Returns how many replaced a stored one.
    pub fn put_places(&mut self, places: &[(String, String)], source: &str) -> Result<usize, CatalogError> {
        let tx = self.conn.transaction()?;
        let mut replaced = 0;
        {
            let mut exists = tx.prepare_cached("SELECT 1 FROM places WHERE id = ?1")?;
            let mut upsert = tx.prepare_cached(
                "INSERT INTO places (id, feature, source, imported) VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
                 ON CONFLICT (id) DO UPDATE SET feature = excluded.feature, source = excluded.source, imported = excluded.imported",
            )?;
            for (id, feature) in places {
                replaced += usize::from(exists.exists([id])?);
                upsert.execute(params![id, feature, source])?;
            }
        }
        tx.commit()?;
        Ok(replaced)
    }

    /// What storing `entries` (`(id, JSON)`) under `name` would change,
    /// without storing them: for an import to weigh before it replaces.
    pub fn watch_list_changes(&self, name: &str, entries: &[(String, String)]) -> Result<ListChanges, CatalogError> {
        list_changes(&self.conn, name, entries)
    }

    /// Stores a watch list's entries, `(id, JSON)`, replacing the version
    /// stored under `name`, in one transaction; returns what changed.
    pub fn put_watch_list(
        &mut self,
        name: &str,
        format: &str,
        files: &str,
        entries: &[(String, String)],
    ) -> Result<ListChanges, CatalogError> {
        let tx = self.conn.transaction()?;
        let changes = list_changes(&tx, name, entries)?;
        {
            tx.execute("DELETE FROM watch_entries WHERE list = ?1", [name])?;
            let mut insert = tx.prepare_cached("INSERT INTO watch_entries (list, id, entry) VALUES (?1, ?2, ?3)")?;
            for (id, entry) in entries {
                insert.execute(params![name, id, entry])?;
            }
            tx.execute(
                "INSERT INTO watch_lists (name, format, files, imported, entries)
                 VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?4)
                 ON CONFLICT (name) DO UPDATE SET format = excluded.format, files = excluded.files,
                     imported = excluded.imported, entries = excluded.entries",
                params![name, format, files, entries.len() as u64],
            )?;
        }
        tx.commit()?;
        Ok(changes)
    }

    /// The stored watch lists, by name.
    pub fn watch_lists(&self) -> Result<Vec<WatchListRecord>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT name, format, files, imported, entries FROM watch_lists ORDER BY name")?;
        let rows = statement.query_map([], |r| {
            Ok(WatchListRecord {
                name: r.get(0)?,
                format: r.get(1)?,
                files: r.get(2)?,
                imported: r.get(3)?,
                entries: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every stored watch-list entry as `(list, id, JSON)`, by list and id.
    pub fn watch_entries(&self) -> Result<Vec<(String, String, String)>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT list, id, entry FROM watch_entries ORDER BY list, id")?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Replaces every stored event of `kinds` with `events`, in one
    /// transaction (a run re-detects a kind over the whole archive).
    pub fn replace_events(&mut self, kinds: &[EventKind], events: &[Event]) -> Result<(), CatalogError> {
        self.replace_events_between(kinds, None, None, events)
    }

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

    /// Users' places as stored: `(id, GeoJSON feature, source)`, by id.
    pub fn places(&self) -> Result<Vec<(String, String, String)>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT id, feature, source FROM places ORDER BY id")?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn source_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SourceRecord> {
        Ok(SourceRecord {
            id: row.get(0)?,
            kind: row.get(1)?,
            location: row.get(2)?,
            content_hash: row.get(3)?,
            format: row.get(4)?,
            receiver_kind: row.get(5)?,
            status: row.get(6)?,
            checkpoint: row.get(7)?,
            lines: row.get(8)?,
            positions: row.get(9)?,
            rejects: row.get(10)?,
            started: row.get(11)?,
        })
    }

    const SOURCE_COLUMNS: &'static str = "id, kind, location, content_hash, format, receiver_kind, status, checkpoint, lines, positions, rejects, started";

    /// The source whose content has this hash, if any.
    pub fn source_by_hash(&self, hash: &str) -> Result<Option<SourceRecord>, CatalogError> {
        let sql = format!("SELECT {} FROM sources WHERE content_hash = ?1", Self::SOURCE_COLUMNS);
        Ok(self.conn.query_row(&sql, [hash], Self::source_from_row).optional()?)
    }

    pub fn source(&self, id: u32) -> Result<Option<SourceRecord>, CatalogError> {
        let sql = format!("SELECT {} FROM sources WHERE id = ?1", Self::SOURCE_COLUMNS);
        Ok(self.conn.query_row(&sql, [id], Self::source_from_row).optional()?)
    }

    /// The sources of exactly `size_bytes` — files ingested or begun, and
    /// lists, detections, observations and places imported: only they can
    /// have a file's content.
    pub fn sources_of_size(&self, size_bytes: u64) -> Result<Vec<SourceRecord>, CatalogError> {
        let sql = format!("SELECT {} FROM sources WHERE size_bytes = ?1 ORDER BY id", Self::SOURCE_COLUMNS);
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map([size_bytes], Self::source_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The files whose ingest stopped before it was done (killed, or the
    /// file failed midway: a truncated or corrupt gzip) and whose content
    /// is not known whole: a longer file that begins with what they read
    /// takes them up.
    pub fn interrupted_file_sources(&self) -> Result<Vec<SourceRecord>, CatalogError> {
        let sql = format!(
            "SELECT {} FROM sources WHERE kind = 'file' AND status != 'done' AND content_hash IS NULL ORDER BY id",
            Self::SOURCE_COLUMNS
        );
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map([], Self::source_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The files read whole from `location` before, with their sizes,
    /// longest first: a log there that has grown since begins with one.
    pub fn done_file_sources_at(&self, location: &str) -> Result<Vec<(SourceRecord, u64)>, CatalogError> {
        let sql = format!(
            "SELECT {}, size_bytes FROM sources WHERE kind = 'file' AND status = 'done' AND location = ?1
             AND content_hash IS NOT NULL AND size_bytes IS NOT NULL ORDER BY size_bytes DESC",
            Self::SOURCE_COLUMNS
        );
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map([location], |r| Ok((Self::source_from_row(r)?, r.get::<_, u64>(12)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Points a source at the file that continues it (the complete file of
    /// a truncated one): its location, size and content hash.
    pub fn continue_source_in(
        &self,
        id: u32,
        location: &str,
        size_bytes: u64,
        content_hash: &str,
    ) -> Result<(), CatalogError> {
        self.conn.execute(
            "UPDATE sources SET location = ?2, size_bytes = ?3, content_hash = ?4 WHERE id = ?1",
            params![id, location, size_bytes, content_hash],
        )?;
        Ok(())
    }

    /// Records a source's content hash, learnt as it was read (or when an
    /// ingest stopped before it knew it resumes).
    pub fn set_content_hash(&self, id: u32, content_hash: &str) -> Result<(), CatalogError> {
        self.conn.execute("UPDATE sources SET content_hash = ?2 WHERE id = ?1", params![id, content_hash])?;
        Ok(())
    }

    pub fn sources(&self) -> Result<Vec<SourceRecord>, CatalogError> {
        let sql = format!("SELECT {} FROM sources ORDER BY id", Self::SOURCE_COLUMNS);
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map([], Self::source_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Registers a source about to be ingested.
    pub fn begin_source(
        &self,
        kind: &str,
        location: &str,
        content_hash: Option<&str>,
        size_bytes: Option<u64>,
        format: &str,
        receiver_kind: &str,
    ) -> Result<SourceRecord, CatalogError> {
        self.conn.execute(
            "INSERT INTO sources (kind, location, content_hash, size_bytes, format, receiver_kind, status, started)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'ingesting', ?7)",
            params![kind, location, content_hash, size_bytes, format, receiver_kind, Timestamp::now().to_string()],
        )?;
        let id = self.conn.last_insert_rowid() as u32;
        Ok(self.source(id)?.expect("just inserted"))
    }

    /// Commits one batch: parts, identity fields, rejects and the checkpoint,
    /// in one transaction.
    pub fn commit_batch(&mut self, batch: &BatchCommit<'_>) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        {
            let mut insert_part = tx.prepare_cached(
                "INSERT INTO parts (source_id, day, file, rows, min_time, max_time, min_mmsi, max_mmsi)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for part in batch.parts {
                insert_part.execute(params![
                    batch.source_id,
                    part.day,
                    part.file,
                    part.rows,
                    part.min_time.unix_ms(),
                    part.max_time.unix_ms(),
                    part.min_mmsi,
                    part.max_mmsi
                ])?;
            }
            upsert_statics(&tx, batch.statics)?;
            if let Some((file, lines)) = batch.reject_file {
                tx.execute(
                    "INSERT INTO reject_files (file, source_id, lines) VALUES (?1, ?2, ?3)",
                    params![file, batch.source_id, lines],
                )?;
            }
            let mut count_reject = tx.prepare_cached(
                "INSERT INTO reject_counts (source_id, reason, count) VALUES (?1, ?2, ?3)
                 ON CONFLICT (source_id, reason) DO UPDATE SET count = count + excluded.count",
            )?;
            let mut rejects = 0;
            for (reason, count) in batch.reject_counts {
                count_reject.execute(params![batch.source_id, reason, count])?;
                rejects += count;
            }
            tx.execute(
                "UPDATE sources SET checkpoint = ?2, lines = ?3, positions = positions + ?4,
                 statics = statics + ?5, rejects = rejects + ?6 WHERE id = ?1",
                params![
                    batch.source_id,
                    batch.checkpoint,
                    batch.lines,
                    batch.positions,
                    batch.statics.reports(),
                    rejects
                ],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks a source finished (`done` or `failed`) with a JSON summary.
    pub fn finish_source(&self, id: u32, status: &str, summary: &str) -> Result<(), CatalogError> {
        self.conn.execute(
            "UPDATE sources SET status = ?2, finished = ?3, summary = ?4 WHERE id = ?1",
            params![id, status, Timestamp::now().to_string(), summary],
        )?;
        Ok(())
    }

    /// Every part file, as relative paths.
    pub fn part_files(&self) -> Result<Vec<String>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT file FROM parts")?;
        let rows = statement.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn reject_files(&self) -> Result<Vec<String>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT file FROM reject_files ORDER BY file")?;
        let rows = statement.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets a part whose file is gone: its rows (as the catalog counted
    /// them) and the source that wrote it (none once compacted), to say
    /// what was lost.
    pub fn forget_part(&mut self, id: i64) -> Result<(u64, Option<u32>), CatalogError> {
        let tx = self.conn.transaction()?;
        let (rows, source_id): (i64, Option<u32>) =
            tx.query_row("SELECT rows, source_id FROM parts WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        tx.execute("DELETE FROM parts WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok((rows.max(0) as u64, source_id))
    }

    /// Forgets a reject file that is gone (the counts of its reasons stay).
    pub fn forget_reject_file(&mut self, file: &str) -> Result<(), CatalogError> {
        self.conn.execute("DELETE FROM reject_files WHERE file = ?1", [file])?;
        Ok(())
    }

    /// The parts of a day: `(id, file, compacted)`.
    pub fn parts_of_day(&self, day: i64) -> Result<Vec<(i64, String, bool)>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT id, file, compacted FROM parts WHERE day = ?1 ORDER BY id")?;
        let rows = statement.query_map([day], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Days with a part not yet compacted.
    /// A day's parts as `(file, compacted)`, in order of their least MMSI
    /// (compacted parts cover disjoint MMSI ranges, so read in this order
    /// they give the day in archive order).
    pub fn parts_of_day_by_mmsi(&self, day: i64) -> Result<Vec<(String, bool)>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT file, compacted FROM parts WHERE day = ?1 ORDER BY min_mmsi, id")?;
        let rows = statement.query_map([day], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every part's MMSI range and row count (the rows spread over the
    /// range as far as anyone knows without opening the file).
    pub fn part_mmsi_spans(&self) -> Result<Vec<crate::archive::MmsiRowGroup>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT min_mmsi, max_mmsi, rows FROM parts")?;
        let rows = statement
            .query_map([], |r| Ok(crate::archive::MmsiRowGroup { min: r.get(0)?, max: r.get(1)?, rows: r.get(2)? }))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// All days with positions, in order.
    pub fn days(&self) -> Result<Vec<i64>, CatalogError> {
        let mut statement = self.conn.prepare("SELECT DISTINCT day FROM parts ORDER BY day")?;
        let rows = statement.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The newest position time in the archive.
    /// Each day that holds reports, with its earliest and latest report.
    pub fn day_extents(&self) -> Result<Vec<(i64, Timestamp, Timestamp)>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT day, min(min_time), max(max_time) FROM parts GROUP BY day ORDER BY day")?;
        let rows = statement.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, Timestamp::from_unix_ms(r.get(1)?), Timestamp::from_unix_ms(r.get(2)?)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn latest_time(&self) -> Result<Option<Timestamp>, CatalogError> {
        let ms: Option<i64> = self.conn.query_row("SELECT max(max_time) FROM parts", [], |r| r.get(0))?;
        Ok(ms.map(Timestamp::from_unix_ms))
    }

    pub fn days_to_compact(&self) -> Result<Vec<i64>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT day FROM parts GROUP BY day HAVING min(compacted) = 0 ORDER BY day")?;
        let rows = statement.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Days whose parts overlap `[from, to]`.
    pub fn days_between(&self, from: Timestamp, to: Timestamp) -> Result<Vec<i64>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT DISTINCT day FROM parts WHERE max_time >= ?1 AND min_time <= ?2 ORDER BY day")?;
        let rows = statement.query_map([from.unix_ms(), to.unix_ms()], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Replaces the parts `old` of a day by the compacted part `new`.
    pub fn replace_parts(&mut self, old: &[i64], new: &[PartInfo]) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        {
            let mut delete = tx.prepare_cached("DELETE FROM parts WHERE id = ?1")?;
            for id in old {
                delete.execute([id])?;
            }
            for new in new {
                tx.execute(
                    "INSERT INTO parts (source_id, day, file, rows, min_time, max_time, min_mmsi, max_mmsi, compacted)
                 VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)",
                    params![
                        new.day,
                        new.file,
                        new.rows,
                        new.min_time.unix_ms(),
                        new.max_time.unix_ms(),
                        new.min_mmsi,
                        new.max_mmsi
                    ],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Everything the registry holds for one MMSI, per field, in time order,
    /// with consecutive days of the same value joined into one span.
    pub fn static_history(&self, mmsi: Mmsi) -> Result<Vec<StaticSpan>, CatalogError> {
        let mut statement = self.conn.prepare(
            "SELECT mmsi, field, value, first_time, last_time, reports, source_id, first_line
             FROM static_values WHERE mmsi = ?1 ORDER BY field, first_time",
        )?;
        let mut histories = joined_spans(statement.query([mmsi.0])?)?;
        Ok(histories.pop().map(|(_, spans)| spans).unwrap_or_default())
    }

    /// The history of the given fields for every MMSI in the registry, in
    /// MMSI order, each as [`Catalog::static_history`] gives it.
    pub fn static_histories(&self, fields: &[StaticField]) -> Result<Vec<(Mmsi, Vec<StaticSpan>)>, CatalogError> {
        let names: Vec<String> = fields.iter().map(|f| format!("'{}'", f.as_str())).collect();
        let mut statement = self.conn.prepare(&format!(
            "SELECT mmsi, field, value, first_time, last_time, reports, source_id, first_line
             FROM static_values WHERE field IN ({}) ORDER BY mmsi, field, first_time",
            names.join(", ")
        ))?;
        joined_spans(statement.query([])?)
    }

    /// MMSIs in the registry that match every condition given: the MMSI,
    /// an IMO number ever broadcast, a name ever broadcast containing
    /// `name_contains` (case-insensitive). At most `limit`, in MMSI order.
    pub fn find_vessels(&self, query: &VesselQuery) -> Result<Vec<Mmsi>, CatalogError> {
        let mut sql = String::from("SELECT DISTINCT mmsi FROM static_values s WHERE 1 = 1");
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(mmsi) = query.mmsi {
            sql.push_str(" AND mmsi = ?");
            values.push(i64::from(mmsi.0).into());
        }
        if let Some(imo) = query.imo {
            sql.push_str(" AND mmsi IN (SELECT mmsi FROM static_values WHERE field = 'imo' AND value = ?)");
            values.push(imo.to_string().into());
        }
        if let Some(name) = &query.name_contains {
            sql.push_str(" AND mmsi IN (SELECT mmsi FROM static_values WHERE field = 'name' AND instr(upper(value), upper(?)) > 0)");
            values.push(name.clone().into());
        }
        sql.push_str(" ORDER BY mmsi LIMIT ?");
        values.push((query.limit.min(i64::MAX as u64) as i64).into());
        let mut statement = self.conn.prepare(&sql)?;
        let rows = statement.query_map(rusqlite::params_from_iter(values), |r| r.get::<_, u32>(0))?;
        Ok(rows.map(|r| r.map(Mmsi)).collect::<Result<_, _>>()?)
    }

    /// MMSIs that ever broadcast `value` for `field` (exactly), or whose
    /// value contains `value` when `contains`.
    pub fn mmsis_with(&self, field: StaticField, value: &str, contains: bool) -> Result<Vec<Mmsi>, CatalogError> {
        let sql = if contains {
            "SELECT DISTINCT mmsi FROM static_values WHERE field = ?1 AND instr(value, ?2) > 0 ORDER BY mmsi"
        } else {
            "SELECT DISTINCT mmsi FROM static_values WHERE field = ?1 AND value = ?2 ORDER BY mmsi"
        };
        let mut statement = self.conn.prepare(sql)?;
        let rows = statement.query_map(params![field.as_str(), value], |r| r.get::<_, u32>(0))?;
        Ok(rows.map(|r| r.map(Mmsi)).collect::<Result<_, _>>()?)
    }

    /// Reject counts by reason for a source.
    pub fn reject_counts(&self, source_id: u32) -> Result<Vec<(String, u64)>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT reason, count FROM reject_counts WHERE source_id = ?1 ORDER BY reason")?;
        let rows = statement.query_map([source_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A stable text dump of the registry and counts, for comparing two
    /// datasets (tests, audits).
    pub fn registry_dump(&self) -> Result<String, CatalogError> {
        let mut out = String::new();
        let mut statement = self.conn.prepare(
            "SELECT mmsi, field, value, day, first_time, last_time, reports, source_id, first_line
             FROM static_values ORDER BY mmsi, field, value, day",
        )?;
        let mut rows = statement.query([])?;
        while let Some(r) = rows.next()? {
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, u64>(6)?,
                r.get::<_, u32>(7)?,
                r.get::<_, u64>(8)?
            ));
        }
        let mut statement = self.conn.prepare("SELECT source_id, reason, count FROM reject_counts ORDER BY 1, 2")?;
        let mut rows = statement.query([])?;
        while let Some(r) = rows.next()? {
            out.push_str(&format!(
                "reject\t{}\t{}\t{}\n",
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u64>(2)?
            ));
        }
        Ok(out)
    }
}

/// Adds a batch's identity fields to the registry, merging each with the
/// same (MMSI, field, value, day) already there.
fn upsert_statics(tx: &rusqlite::Transaction<'_>, statics: &StaticBatch) -> Result<(), rusqlite::Error> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO static_values (mmsi, field, value, day, first_time, last_time, reports, source_id, first_line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (mmsi, field, value, day) DO UPDATE SET
           source_id = CASE WHEN (excluded.first_time, excluded.source_id, excluded.first_line)
                                 < (first_time, source_id, first_line)
                            THEN excluded.source_id ELSE source_id END,
           first_line = CASE WHEN (excluded.first_time, excluded.source_id, excluded.first_line)
                                 < (first_time, source_id, first_line)
                            THEN excluded.first_line ELSE first_line END,
           first_time = min(first_time, excluded.first_time),
           last_time = max(last_time, excluded.last_time),
           reports = reports + excluded.reports",
    )?;
    for ((mmsi, field, value, day), a) in statics.sorted() {
        upsert.execute(params![
            mmsi,
            field.as_str(),
            value,
            day,
            a.first.0,
            a.last,
            a.reports,
            a.first.1,
            a.first.2
        ])?;
    }
    Ok(())
}

/// Registry rows (mmsi, field, value, first, last, reports, source, line)
/// ordered by MMSI, field and first time, as spans per MMSI: consecutive
/// days of one value joined, each MMSI's spans ordered by field and time.
fn joined_spans(mut rows: rusqlite::Rows<'_>) -> Result<Vec<(Mmsi, Vec<StaticSpan>)>, CatalogError> {
    let mut histories: Vec<(Mmsi, Vec<StaticSpan>)> = Vec::new();
    while let Some(r) = rows.next()? {
        let mmsi = Mmsi(r.get::<_, u32>(0)?);
        let Some(field) = StaticField::parse(&r.get::<_, String>(1)?) else { continue };
        let (value, first, last) = (r.get::<_, String>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?);
        let (reports, source_id, first_line) = (r.get::<_, u64>(5)?, r.get::<_, u32>(6)?, r.get::<_, u64>(7)?);
        if histories.last().is_none_or(|(m, _)| *m != mmsi) {
            histories.push((mmsi, Vec::new()));
        }
        let spans = &mut histories.last_mut().expect("an MMSI's history").1;
        match spans.last_mut() {
            Some(span) if span.field == field && span.value == value && span.last_time.unix_ms() <= first => {
                span.last_time = Timestamp::from_unix_ms(last.max(span.last_time.unix_ms()));
                span.reports += reports;
            }
            _ => spans.push(StaticSpan {
                field,
                value,
                first_time: Timestamp::from_unix_ms(first),
                last_time: Timestamp::from_unix_ms(last),
                reports,
                source_id,
                first_line,
            }),
        }
    }
    for (_, spans) in &mut histories {
        spans.sort_by_key(|a| (a.field, a.first_time));
    }
    Ok(histories)
}

/// Events are derived data (`tumen run` remakes them): a table from before
/// positions could be unknown is dropped, to be made again.
fn drop_events_of_an_older_layout(conn: &Connection) -> Result<(), CatalogError> {
    let layout: Option<String> =
        conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'events'", [], |r| r.get(0)).optional()?;
    if layout.is_some_and(|sql| sql.contains("lat REAL NOT NULL")) {
        conn.execute_batch("DROP TABLE events")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Origin;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_ms(ms)
    }

    #[test]
    fn registry_spans_join_days_and_keep_the_earliest_evidence() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalog = Catalog::open(&dir.path().join("c.sqlite")).unwrap();
        let source = catalog.begin_source("file", "a", Some("h"), Some(1), "nmea", "unknown").unwrap();
        let commit = |catalog: &mut Catalog, rows: &[(i64, &str, u64)]| {
            let mut statics = StaticBatch::default();
            for &(ms, value, line) in rows {
                statics.add_parts(Mmsi(1), at(ms), StaticField::Name, value, Origin { source_id: source.id, line });
            }
            catalog
                .commit_batch(&BatchCommit {
                    source_id: source.id,
                    parts: &[],
                    statics: &statics,
                    reject_file: None,
                    reject_counts: &[],
                    checkpoint: b"",
                    lines: 0,
                    positions: 0,
                })
                .unwrap();
        };
        let day = 86_400_000;
        commit(&mut catalog, &[(10, "A", 5), (day + 10, "A", 50)]);
        // A later batch with an earlier report of day 0 (a late satellite
        // downlink): it becomes the evidence.
        commit(&mut catalog, &[(5, "A", 900), (2 * day + 10, "B", 60), (3 * day, "A", 70)]);
        let spans = catalog.static_history(Mmsi(1)).unwrap();
        let got: Vec<(&str, i64, i64, u64, u64)> = spans
            .iter()
            .map(|s| (s.value.as_str(), s.first_time.unix_ms(), s.last_time.unix_ms(), s.reports, s.first_line))
            .collect();
        // A on days 0–1 (one span), B on day 2, A again on day 3: in time order.
        assert_eq!(
            got,
            [("A", 5, day + 10, 3, 900), ("B", 2 * day + 10, 2 * day + 10, 1, 60), ("A", 3 * day, 3 * day, 1, 70)]
        );
        let found = catalog
            .find_vessels(&VesselQuery { mmsi: None, imo: None, name_contains: Some("b".into()), limit: 10 })
            .unwrap();
        assert_eq!(found, [Mmsi(1)]);
    }
}
