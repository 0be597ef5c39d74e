//! `catalog.sqlite`: the small, mutable, transactional part of the dataset —
//! the sources read (with their content hash and checkpoint), the archive's
//! parts, the vessel identity registry, reject counts, and what was derived
//! or imported: events, chains, alerts, places, watch lists, imagery. One
//! module per concern, each with its tables' schema.
//!
//! Every change a batch of input makes is one transaction: the parts it
//! wrote, the identity fields it saw, its rejects, and the checkpoint to
//! resume from. A part file that no committed transaction names is not part
//! of the archive (and is removed when the dataset is next opened).

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::archive::PartInfo;
use crate::static_batch::StaticBatch;

mod alerts;
mod chains;
mod events;
mod imagery;
mod lists;
mod parts;
mod places;
mod registry;
mod sources;

pub use alerts::AlertRecord;
pub use chains::ChainRecord;
pub use events::EventQuery;
pub use lists::{ListChanges, WatchEntryRecord, WatchListRecord};
pub use parts::{DayExtent, PartRecord};
pub use places::PlaceRecord;
pub use registry::{StaticSpan, VesselQuery};
pub use sources::{NewSource, ReceiverKind, SourceKind, SourceRecord, SourceStatus};

const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
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

/// A catalog error.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The catalog could not be opened or set up (not SQLite, unreadable,
    /// locked past the wait).
    #[error("{}: {source}", path.display())]
    Open {
        /// The catalog file.
        path: std::path::PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// A query or a write failed.
    #[error("catalog.sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Written by a Tumen that knows another schema.
    #[error("{}: catalog schema version {found}, this Tumen knows {SCHEMA_VERSION}", path.display())]
    Version {
        /// The catalog file.
        path: std::path::PathBuf,
        /// The version it has.
        found: i64,
    },
}

/// A column whose stored text does not read as what it holds, as the
/// error a row reader returns (it names the column and the problem).
fn unreadable(column: usize, problem: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, problem.to_string().into())
}

/// What one batch of input changes, committed together.
pub(crate) struct BatchCommit<'a> {
    pub source_id: u32,
    pub parts: &'a [PartInfo],
    pub statics: &'a StaticBatch,
    pub reject_file: Option<(&'a str, u64)>,
    pub reject_counts: &'a [(String, u64)],
    pub checkpoint: &'a [u8],
    pub lines: u64,
    pub positions: u64,
}

pub struct Catalog {
    conn: Connection,
}

impl Catalog {
    /// Opens (creating if needed) the catalog at `path`.
    pub fn open(path: &Path) -> Result<Catalog, CatalogError> {
        Catalog::set_up(path).map_err(|e| match e {
            CatalogError::Sqlite(source) => CatalogError::Open { path: path.to_owned(), source },
            other => other,
        })
    }

    fn set_up(path: &Path) -> Result<Catalog, CatalogError> {
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
        events::drop_events_of_an_older_layout(&conn)?;
        for schema in [
            SCHEMA,
            sources::SCHEMA,
            parts::SCHEMA,
            registry::SCHEMA,
            places::SCHEMA,
            lists::SCHEMA,
            events::SCHEMA,
            imagery::SCHEMA,
            chains::SCHEMA,
            alerts::SCHEMA,
        ] {
            conn.execute_batch(schema)?;
        }
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
            Some(found) => return Err(CatalogError::Version { path: path.to_owned(), found }),
        }
        Ok(Catalog { conn })
    }

    /// Commits one batch: parts, identity fields, rejects and the checkpoint,
    /// in one transaction.
    pub(crate) fn commit_batch(&mut self, batch: &BatchCommit<'_>) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        {
            for part in batch.parts {
                parts::insert_part(&tx, Some(batch.source_id), part)?;
            }
            registry::upsert_statics(&tx, batch.statics)?;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_that_does_not_open_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.sqlite");
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        let error = Catalog::open(&path).err().expect("not SQLite").to_string();
        assert!(error.starts_with(&path.display().to_string()), "{error}");
        assert!(error.contains("not a database"), "{error}");
    }
}
