//! The archive's parts (every Parquet or run file a committed batch or a
//! compaction wrote, with its day, rows and time and MMSI ranges) and the
//! rejects files: what readers open and compaction replaces.

use rusqlite::params;
use tumen_model::Timestamp;

use super::{Catalog, CatalogError};
use crate::archive::PartInfo;

pub(super) const SCHEMA: &str = r#"
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
"#;

/// One part of the archive as the catalog lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartRecord {
    pub id: i64,
    /// Relative to the dataset directory.
    pub file: String,
    /// Written by compaction (one of a day's files in MMSI order), not yet
    /// by an ingest's batch.
    pub compacted: bool,
    pub rows: u64,
    /// The source whose batch wrote it; none once compacted.
    pub source_id: Option<u32>,
}

/// A day that holds reports: days since 1970-01-01 (UTC), and its earliest
/// and latest report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayExtent {
    pub day: i64,
    pub first: Timestamp,
    pub last: Timestamp,
}

/// Names `part` in the archive: written by `source_id`'s batch, or (none)
/// by compaction.
pub(super) fn insert_part(
    tx: &rusqlite::Transaction<'_>,
    source_id: Option<u32>,
    part: &PartInfo,
) -> rusqlite::Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO parts (source_id, day, file, rows, min_time, max_time, min_mmsi, max_mmsi, compacted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    insert.execute(params![
        source_id,
        part.day,
        part.file,
        part.rows,
        part.min_time.unix_ms(),
        part.max_time.unix_ms(),
        part.min_mmsi,
        part.max_mmsi,
        source_id.is_none()
    ])?;
    Ok(())
}

impl Catalog {
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

    /// Forgets a part whose file is gone ([`PartRecord`] says what went
    /// with it: its rows, the source that wrote it).
    pub fn forget_part(&mut self, id: i64) -> Result<(), CatalogError> {
        self.conn.execute("DELETE FROM parts WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Forgets a reject file that is gone (the counts of its reasons stay).
    pub fn forget_reject_file(&mut self, file: &str) -> Result<(), CatalogError> {
        self.conn.execute("DELETE FROM reject_files WHERE file = ?1", [file])?;
        Ok(())
    }

    /// The parts of a day: `(id, file, compacted)`.
    pub fn parts_of_day(&self, day: i64) -> Result<Vec<PartRecord>, CatalogError> {
        self.parts_where("day = ?1 ORDER BY id", day)
    }

    /// A day's parts in order of their least MMSI
    /// (compacted parts cover disjoint MMSI ranges, so read in this order
    /// they give the day in archive order).
    pub fn parts_of_day_by_mmsi(&self, day: i64) -> Result<Vec<PartRecord>, CatalogError> {
        self.parts_where("day = ?1 ORDER BY min_mmsi, id", day)
    }

    fn parts_where(&self, condition: &str, day: i64) -> Result<Vec<PartRecord>, CatalogError> {
        let mut statement =
            self.conn.prepare(&format!("SELECT id, file, compacted, rows, source_id FROM parts WHERE {condition}"))?;
        let rows = statement.query_map([day], |r| {
            Ok(PartRecord {
                id: r.get(0)?,
                file: r.get(1)?,
                compacted: r.get::<_, i64>(2)? != 0,
                rows: r.get::<_, i64>(3)?.max(0) as u64,
                source_id: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every part's MMSI range and row count (the rows spread over the
    /// range as far as anyone knows without opening the file).
    pub(crate) fn part_mmsi_spans(&self) -> Result<Vec<crate::archive::MmsiRowGroup>, CatalogError> {
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

    /// Each day that holds reports, with its earliest and latest report.
    pub fn day_extents(&self) -> Result<Vec<DayExtent>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT day, min(min_time), max(max_time) FROM parts GROUP BY day ORDER BY day")?;
        let rows = statement.query_map([], |r| {
            Ok(DayExtent {
                day: r.get(0)?,
                first: Timestamp::from_unix_ms(r.get(1)?),
                last: Timestamp::from_unix_ms(r.get(2)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The newest position time in the archive.
    pub fn latest_time(&self) -> Result<Option<Timestamp>, CatalogError> {
        let ms: Option<i64> = self.conn.query_row("SELECT max(max_time) FROM parts", [], |r| r.get(0))?;
        Ok(ms.map(Timestamp::from_unix_ms))
    }

    /// Days with a part not yet compacted.
    pub(crate) fn days_to_compact(&self) -> Result<Vec<i64>, CatalogError> {
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
    pub(crate) fn replace_parts(&mut self, old: &[i64], new: &[PartInfo]) -> Result<(), CatalogError> {
        let tx = self.conn.transaction()?;
        {
            let mut delete = tx.prepare_cached("DELETE FROM parts WHERE id = ?1")?;
            for id in old {
                delete.execute([id])?;
            }
            for part in new {
                insert_part(&tx, None, part)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Reject counts by reason for a source.
    pub fn reject_counts(&self, source_id: u32) -> Result<Vec<(String, u64)>, CatalogError> {
        let mut statement =
            self.conn.prepare("SELECT reason, count FROM reject_counts WHERE source_id = ?1 ORDER BY reason")?;
        let rows = statement.query_map([source_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
