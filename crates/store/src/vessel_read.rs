//! Reading one vessel's rows from a part without reading the part.
//!
//! A part is sorted by MMSI, and its MMSI column carries a page index
//! (each page's smallest and largest MMSI, and the row it starts at). A
//! track query reads the footer once — parts never change once written, so
//! the footer is kept ([`Footers`]) — picks the MMSI pages that can hold the
//! vessel, and asks the Parquet reader for those rows only: every column
//! then decompresses only the pages that overlap them, instead of the whole
//! row group (256 Ki rows) that row-group statistics alone would give.
//!
//! Parts written before the page index existed have none: their vessel's
//! row groups are read whole, as before.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions, RowSelection};
use parquet::file::metadata::ParquetMetaData;
use parquet::file::page_index::column_index::ColumnIndexMetaData;

/// Footers kept, by the memory they take (a global day's part with its page
/// index is a few MB; the demo's are a few KB).
const FOOTER_BUDGET_BYTES: usize = 256 << 20;

/// Parsed footers (with page indexes) of the parts read lately, process
/// wide: every reading handle of a server shares them. An entry is used only
/// while its file has the length and modification time it was read at.
pub struct Footers {
    entries: Mutex<FooterEntries>,
}

#[derive(Default)]
struct FooterEntries {
    by_path: HashMap<PathBuf, Footer>,
    bytes: usize,
    clock: u64,
}

struct Footer {
    length: u64,
    modified: Option<SystemTime>,
    metadata: ArrowReaderMetadata,
    bytes: usize,
    last_used: u64,
}

/// The process's footers.
pub fn footers() -> &'static Footers {
    static FOOTERS: OnceLock<Footers> = OnceLock::new();
    FOOTERS.get_or_init(|| Footers { entries: Mutex::new(FooterEntries::default()) })
}

impl Footers {
    /// The footer of `file` (opened at `path`), read with `options` on first
    /// use.
    pub fn get(&self, path: &Path, file: &File, options: ArrowReaderOptions) -> io::Result<ArrowReaderMetadata> {
        let stat = file.metadata()?;
        let (length, modified) = (stat.len(), stat.modified().ok());
        {
            let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            entries.clock += 1;
            let now = entries.clock;
            if let Some(footer) = entries.by_path.get_mut(path)
                && footer.length == length
                && footer.modified == modified
            {
                footer.last_used = now;
                return Ok(footer.metadata.clone());
            }
        }
        // Read outside the lock: two readers of a new part may both parse
        // it, but nobody waits on another's disk read.
        let metadata = ArrowReaderMetadata::load(file, options).map_err(io::Error::other)?;
        let bytes = metadata.metadata().memory_size();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let last_used = entries.clock;
        if let Some(old) = entries
            .by_path
            .insert(path.to_owned(), Footer { length, modified, metadata: metadata.clone(), bytes, last_used })
        {
            entries.bytes -= old.bytes;
        }
        entries.bytes += bytes;
        while entries.bytes > FOOTER_BUDGET_BYTES && entries.by_path.len() > 1 {
            let Some(oldest) = entries.by_path.iter().min_by_key(|(_, f)| f.last_used).map(|(p, _)| p.clone()) else {
                break;
            };
            if let Some(evicted) = entries.by_path.remove(&oldest) {
                entries.bytes -= evicted.bytes;
            }
        }
        Ok(metadata)
    }
}

/// Which row groups, and which rows of them, can hold `mmsi`: the groups
/// whose statistics span it and, where the MMSI column has a page index,
/// only its pages whose MMSI range holds it. `None` for the selection: the
/// whole of each group.
pub fn vessel_rows(metadata: &ParquetMetaData, mmsi: u32) -> (Vec<usize>, Option<RowSelection>) {
    let mut groups = Vec::new();
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut rows_before = 0usize;
    let mut any_page_index = false;
    for (g, group) in metadata.row_groups().iter().enumerate() {
        let (min, max) = crate::archive::mmsi_bounds(group);
        if mmsi < min || mmsi > max {
            continue;
        }
        let group_rows = usize::try_from(group.num_rows()).unwrap_or(0);
        groups.push(g);
        match mmsi_pages(metadata, g, group_rows, mmsi) {
            Some(pages) => {
                any_page_index = true;
                ranges.extend(pages.into_iter().map(|r| r.start + rows_before..r.end + rows_before));
            }
            None => ranges.push(rows_before..rows_before + group_rows),
        }
        rows_before += group_rows;
    }
    if !any_page_index {
        return (groups, None);
    }
    (groups, Some(RowSelection::from_consecutive_ranges(ranges.into_iter(), rows_before)))
}

/// The row ranges (within row group `g`) of the MMSI column's pages that can
/// hold `mmsi`, from the page index; `None` when there is none.
fn mmsi_pages(metadata: &ParquetMetaData, g: usize, group_rows: usize, mmsi: u32) -> Option<Vec<Range<usize>>> {
    let index = metadata.column_index()?.get(g)?.first()?;
    let pages = metadata.offset_index()?.get(g)?.first()?.page_locations();
    let ColumnIndexMetaData::INT32(index) = index else { return None };
    if index.num_pages() as usize != pages.len() {
        return None;
    }
    let mut ranges = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let start = usize::try_from(page.first_row_index).ok()?;
        let end = match pages.get(i + 1) {
            Some(next) => usize::try_from(next.first_row_index).ok()?,
            None => group_rows,
        };
        // Parquet keeps UInt32 as INT32: compare as unsigned. A page
        // without bounds (all null: cannot happen here) is read.
        let holds = match (index.min_value(i), index.max_value(i)) {
            (Some(&min), Some(&max)) => (min as u32) <= mmsi && mmsi <= (max as u32),
            _ => true,
        };
        if holds {
            ranges.push(start..end);
        }
    }
    Some(ranges)
}

#[cfg(test)]
mod tests {
    use tumen_model::Timestamp;

    use super::*;
    use crate::archive::{Codec, PartReader, day_of, sort_rows, test_row as row, write_part};
    use crate::rows::PositionRow;

    fn part(dir: &Path, name: &str, vessels: u32, rows: u64) -> (PathBuf, Vec<PositionRow>) {
        let day = day_of(Timestamp::from_unix_seconds(1_694_066_400).unwrap());
        let mut all: Vec<PositionRow> = (0..rows)
            .map(|i| row(200_000_000 + (i % vessels as u64) as u32, 1_694_066_400 + (i / 7) as i64, i))
            .collect();
        sort_rows(&mut all);
        let info = write_part(dir, day, name, &all, Codec::Zstd).unwrap();
        (dir.join(info.file), all)
    }

    fn vessel(path: &Path, mmsi: u32) -> Vec<PositionRow> {
        PartReader::open_vessel(path, mmsi).unwrap().map(|r| r.unwrap()).collect()
    }

    #[test]
    fn a_vessel_read_gives_exactly_its_rows_from_a_few_pages() {
        let dir = tempfile::tempdir().unwrap();
        // 300,000 rows of 5,000 vessels: two row groups, pages of 8 Ki rows;
        // each vessel has 60 rows, so some straddle a page or group boundary.
        let (path, all) = part(dir.path(), "p", 5_000, 300_000);
        let metadata = ArrowReaderMetadata::load(
            &File::open(&path).unwrap(),
            ArrowReaderOptions::new().with_page_index_policy(parquet::file::metadata::PageIndexPolicy::Optional),
        )
        .unwrap();
        let first_of_second_group = all[256 * 1024].mmsi.0;
        for mmsi in
            [200_000_000, 200_004_999, 200_002_345, first_of_second_group, first_of_second_group - 1, 100, 300_000_000]
        {
            let expected: Vec<&PositionRow> = all.iter().filter(|r| r.mmsi.0 == mmsi).collect();
            let got = vessel(&path, mmsi);
            assert_eq!(got.iter().collect::<Vec<_>>(), expected, "MMSI {mmsi}");
            let (groups, selection) = vessel_rows(metadata.metadata(), mmsi);
            // No selection: no group can hold it (the part has a page index).
            let selected = selection.map_or_else(|| if groups.is_empty() { 0 } else { usize::MAX }, |s| s.row_count());
            assert!(selected <= 2 * 8 * 1024, "MMSI {mmsi}: {selected} rows read");
        }
    }

    #[test]
    fn a_rewritten_part_is_not_read_with_its_old_footer() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = part(dir.path(), "same-name", 10, 1_000);
        assert_eq!(vessel(&path, 200_000_003).len(), 100);
        let (again, _) = part(dir.path(), "same-name", 20, 30_000);
        assert_eq!(again, path);
        assert_eq!(vessel(&path, 200_000_003).len(), 1_500);
    }
}
