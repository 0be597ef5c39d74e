//! The dataset directory: `positions/`, `catalog.sqlite`, `rejects/`, and
//! the protocol that keeps them consistent.
//!
//! A batch is committed by writing its part files and its rejects file
//! (each under a temporary name, synced, renamed), then recording them,
//! the registry fields and the source's checkpoint in one catalog
//! transaction. Opening a dataset removes every file the catalog does not
//! name, so a crash at any moment leaves either the batch or nothing.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::fs;
use std::io::{self, Write};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use tumen_model::{Mmsi, Timestamp};

use crate::archive::{self, Codec, PartReader, PartWriter, day_of, sort_rows};
use crate::batch_sort::{SortScratch, sort_rows_by_day};
use crate::catalog::{BatchCommit, Catalog, CatalogError, PartRecord};
use crate::rows::{Fix, PositionRow, RejectRow};
use crate::run_file::{self, Durability, RunWriter};
use crate::static_batch::StaticBatch;

/// A dataset error, with the file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("{}: the dataset is being written by another tumen process; wait for it to end", path.display())]
    InUse { path: PathBuf },
    #[error("{}: not a Tumen dataset (no catalog.sqlite); `tumen ingest` makes one", path.display())]
    NotADataset { path: PathBuf },
}

fn io_at(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

pub const CATALOG_FILE: &str = "catalog.sqlite";
pub const POSITIONS_DIR: &str = "positions";
pub const REJECTS_DIR: &str = "rejects";

/// Within this many milliseconds, two reports of one vessel with the same
/// content are one transmission heard twice (receiver clocks differ by a
/// second or two; a vessel's reports are seconds apart and differ).
pub const DUPLICATE_WINDOW_MS: i64 = 2_000;

/// Gives part and reject files names no earlier run used.
static NAME_COUNTER: AtomicU64 = AtomicU64::new(0);

pub struct Dataset {
    root: PathBuf,
    catalog: Catalog,
    /// Held while a writer has the dataset open (`None` for readers).
    _lock: Option<fs::File>,
    /// Reused by every commit's sort.
    sort_scratch: SortScratch,
    /// [`MERGE_FAN_IN_ALL_THREADS`]; tests make it small.
    merge_fan_in_all_threads: usize,
    /// A bulk batch written, being synced, not yet recorded (see
    /// [`Dataset::commit`]).
    pending: Option<PendingCommit>,
}

/// A batch whose parts are written and being synced by a thread of their
/// own, to be recorded in the catalog once they are on disk.
struct PendingCommit {
    record: RecordedBatch,
    synced: std::thread::JoinHandle<Result<(), StoreError>>,
}

/// What the catalog records of a batch.
struct RecordedBatch {
    source_id: u32,
    parts: Vec<archive::PartInfo>,
    statics: StaticBatch,
    reject_file: Option<(String, u64)>,
    reject_counts: Vec<(String, u64)>,
    checkpoint: Vec<u8>,
    lines: u64,
    positions: u64,
}

/// Where the writer's lock is taken where a directory cannot be locked
/// (elsewhere than Unix): a file a user could delete.
#[cfg_attr(unix, allow(dead_code))]
const LOCK_FILE: &str = ".lock";

/// What the one writer locks: on Unix the dataset directory itself (an
/// advisory `flock` on it, released when the process dies), which no user
/// can delete while it holds files — a lock file could be deleted during
/// an ingest and let a second writer in; elsewhere the lock file.
fn writer_lock(root: &Path) -> Result<(fs::File, PathBuf), StoreError> {
    #[cfg(unix)]
    {
        let file = fs::File::open(root).map_err(io_at(root))?;
        Ok((file, root.to_path_buf()))
    }
    #[cfg(not(unix))]
    {
        let lock_path = root.join(LOCK_FILE);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_at(&lock_path))?;
        Ok((file, lock_path))
    }
}

/// What one batch of a source adds to the dataset.
#[derive(Debug, Default)]
pub struct Batch {
    pub source_id: u32,
    /// Any days, any order.
    pub positions: Vec<PositionRow>,
    pub statics: StaticBatch,
    /// The rejected lines themselves…
    pub rejects: Vec<RejectRow>,
    /// …and their counts by reason (a reason may be counted without its
    /// lines being kept, e.g. blank lines).
    pub reject_counts: BTreeMap<String, u64>,
    /// Opaque to the store: where the source resumes after this batch.
    pub checkpoint: Vec<u8>,
    /// Lines of the source read up to the end of this batch.
    pub lines: u64,
    /// How the batch's positions are written until compaction.
    pub parts: BatchParts,
}

/// How a batch's positions are kept until compaction rewrites them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BatchParts {
    /// Uncompressed Parquet: a live feed's day is read (by Tumen and by
    /// other tools) while still being filled.
    #[default]
    Parquet,
    /// Sorted runs (`run_file`): a bulk ingest compacts its days as soon
    /// as it has read its sources, so its batches are read back only by
    /// compaction — and by Tumen, should the ingest be stopped first.
    Runs,
}

/// What a commit wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommitSummary {
    pub parts: usize,
    pub positions: u64,
    pub statics: u64,
    pub rejects: u64,
}

impl Dataset {
    /// Opens the dataset in `root` to write, creating it if needed, and
    /// removes any file a crashed run left that the catalog does not name.
    /// One writer at a time: a second fails with [`StoreError::InUse`]
    /// (the lock is the operating system's, so a killed writer holds it no
    /// more).
    pub fn open(root: &Path) -> Result<Dataset, StoreError> {
        for dir in [root.to_path_buf(), root.join(POSITIONS_DIR), root.join(REJECTS_DIR)] {
            fs::create_dir_all(&dir).map_err(io_at(&dir))?;
        }
        let (lock, lock_path) = writer_lock(root)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(StoreError::InUse { path: root.to_path_buf() }),
            Err(fs::TryLockError::Error(e)) => return Err(StoreError::Io { path: lock_path, source: e }),
        }
        let catalog = Catalog::open(&root.join(CATALOG_FILE))?;
        let dataset = Dataset {
            root: root.to_path_buf(),
            catalog,
            _lock: Some(lock),
            sort_scratch: SortScratch::default(),
            merge_fan_in_all_threads: MERGE_FAN_IN_ALL_THREADS,
            pending: None,
        };
        dataset.remove_orphans()?;
        Ok(dataset)
    }

    /// Opens an existing dataset to read, beside a writer if one is
    /// running (it sees what the writer has committed).
    pub fn open_read_only(root: &Path) -> Result<Dataset, StoreError> {
        let catalog_path = root.join(CATALOG_FILE);
        if !catalog_path.is_file() {
            return Err(StoreError::NotADataset { path: root.to_path_buf() });
        }
        let catalog = Catalog::open(&catalog_path)?;
        Ok(Dataset {
            root: root.to_path_buf(),
            catalog,
            _lock: None,
            sort_scratch: SortScratch::default(),
            merge_fan_in_all_threads: MERGE_FAN_IN_ALL_THREADS,
            pending: None,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn catalog_mut(&mut self) -> &mut Catalog {
        &mut self.catalog
    }

    fn remove_orphans(&self) -> Result<(), StoreError> {
        let mut known: std::collections::HashSet<String> = self.catalog.part_files()?.into_iter().collect();
        known.extend(self.catalog.reject_files()?);
        for top in [POSITIONS_DIR, REJECTS_DIR] {
            let dir = self.root.join(top);
            for entry in walk(&dir).map_err(io_at(&dir))? {
                let relative = entry.strip_prefix(&self.root).unwrap_or(&entry).to_string_lossy().replace('\\', "/");
                if !known.contains(&relative) {
                    fs::remove_file(&entry).map_err(io_at(&entry))?;
                }
            }
        }
        Ok(())
    }

    /// Commits a batch of one source: its part files and rejects file,
    /// then everything in one catalog transaction. The batch is emptied,
    /// its position buffer kept for the caller to fill again (a batch is
    /// hundreds of megabytes: allocating it afresh each time costs the
    /// kernel more than the rest of the commit's memory work).
    ///
    /// A bulk batch ([`BatchParts::Runs`]) is recorded later: its parts are
    /// synced by a thread of their own while the next batch is sorted and
    /// written, and recorded by the next commit or by
    /// [`Dataset::finish_commits`] — a commit does not wait for the disk
    /// (a global day's batches are gigabytes). Until then it is not part of
    /// the dataset: a crash leaves it out whole, and the source resumes from
    /// the checkpoint before it.
    pub fn commit(&mut self, batch: &mut Batch) -> Result<CommitSummary, StoreError> {
        let Batch { source_id, positions, statics, rejects, reject_counts, checkpoint, lines, parts: form } = batch;
        let (source_id, lines, form) = (*source_id, *lines, *form);
        let statics = std::mem::take(statics);
        let rejects = std::mem::take(rejects);
        let reject_counts = std::mem::take(reject_counts);
        let checkpoint = std::mem::take(checkpoint);
        let batch_name = unique_name(source_id);
        sort_rows_by_day(positions, &mut self.sort_scratch);
        let mut parts = Vec::new();
        for day_rows in positions.chunk_by(|a, b| day_of(a.time) == day_of(b.time)) {
            parts.extend(write_day_parts(&self.root, day_rows, &batch_name, form)?);
        }
        let reject_file = if rejects.is_empty() {
            None
        } else {
            let relative = format!("{REJECTS_DIR}/{batch_name}.tsv");
            write_rejects(&self.root.join(&relative), &rejects)?;
            Some((relative, rejects.len() as u64))
        };
        let summary = CommitSummary {
            parts: parts.len(),
            positions: positions.len() as u64,
            statics: statics.reports(),
            rejects: reject_counts.values().sum(),
        };
        let record = RecordedBatch {
            source_id,
            parts,
            statics,
            reject_file,
            reject_counts: reject_counts.into_iter().collect(),
            checkpoint,
            lines,
            positions: positions.len() as u64,
        };
        positions.clear();
        // Batches are recorded in the order they came.
        self.finish_commits()?;
        match form {
            BatchParts::Parquet => self.record(&record)?,
            BatchParts::Runs => {
                let paths: Vec<PathBuf> = record.parts.iter().map(|p| self.root.join(&p.file)).collect();
                let synced = std::thread::spawn(move || {
                    paths.iter().try_for_each(|path| run_file::sync_part(path).map_err(io_at(path)))
                });
                self.pending = Some(PendingCommit { record, synced });
            }
        }
        Ok(summary)
    }

    /// Records the bulk batch [`Dataset::commit`] left, once its parts are
    /// on disk. A bulk ingest calls it when it has committed its last batch.
    pub fn finish_commits(&mut self) -> Result<(), StoreError> {
        let Some(PendingCommit { record, synced }) = self.pending.take() else { return Ok(()) };
        synced.join().expect("a part syncer does not panic")?;
        self.record(&record)
    }

    fn record(&mut self, record: &RecordedBatch) -> Result<(), StoreError> {
        self.catalog.commit_batch(&BatchCommit {
            source_id: record.source_id,
            parts: &record.parts,
            statics: &record.statics,
            reject_file: record.reject_file.as_ref().map(|(f, n)| (f.as_str(), *n)),
            reject_counts: &record.reject_counts,
            checkpoint: &record.checkpoint,
            lines: record.lines,
            positions: record.positions,
        })?;
        Ok(())
    }

    /// Merges the parts of every day with a part not yet compacted into
    /// files sorted by (mmsi, time), one per MMSI range, joining reports of
    /// one transmission heard by several receivers.
    pub fn compact(&mut self) -> Result<usize, StoreError> {
        self.finish_commits()?;
        let days = self.catalog.days_to_compact()?;
        for &day in &days {
            self.compact_day(day)?;
        }
        Ok(days.len())
    }

    fn compact_day(&mut self, day: i64) -> Result<(), StoreError> {
        let parts = self.catalog.parts_of_day(day)?;
        let files: Vec<PathBuf> = parts.iter().map(|part| self.root.join(&part.file)).collect();
        let name = format!("compacted-{}", unique_name(0));
        // One thread per MMSI range, each writing its own file.
        let ranges = compaction_ranges(&files)?;
        let fan_in = self.merge_fan_in_all_threads / ranges.len();
        let results: Vec<Result<Option<archive::PartInfo>, StoreError>> = std::thread::scope(|scope| {
            let workers: Vec<_> = ranges
                .iter()
                .enumerate()
                .map(|(k, range)| {
                    let (files, root, name) = (&files, &self.root, format!("{name}-{k}"));
                    scope.spawn(move || merge_range(root, day, files, range.clone(), &name, fan_in))
                })
                .collect();
            workers.into_iter().map(|w| w.join().expect("a compaction worker does not panic")).collect()
        });
        let mut new = Vec::new();
        for result in results {
            new.extend(result?);
        }
        let old: Vec<i64> = parts.iter().map(|part| part.id).collect();
        self.catalog.replace_parts(&old, &new)?;
        for path in &files {
            fs::remove_file(path).map_err(io_at(path))?;
        }
        Ok(())
    }

    /// A vessel's positions in `[from, to]`, in time order, each
    /// transmission once.
    pub fn track(&self, mmsi: Mmsi, from: Timestamp, to: Timestamp) -> Result<Vec<PositionRow>, StoreError> {
        let mut rows = Vec::new();
        for day in self.catalog.days_between(from, to)? {
            for PartRecord { file, .. } in self.catalog.parts_of_day(day)? {
                let path = self.root.join(&file);
                for row in PartReader::open_vessel(&path, mmsi.0).map_err(io_at(&path))? {
                    let row = row.map_err(io_at(&path))?;
                    if row.mmsi == mmsi && row.time >= from && row.time <= to {
                        rows.push(row);
                    }
                }
            }
        }
        // A day still being filled (a live feed) has parts that overlap:
        // join what compaction would.
        let mut joined = Vec::with_capacity(rows.len());
        sort_and_join(rows, |row| joined.push(row));
        Ok(joined)
    }

    /// Every position of a day in archive order — by MMSI, then time — each
    /// transmission once. A compacted day streams (memory bounded by the
    /// read buffers); a day still being filled by a live feed is read whole,
    /// sorted and joined as compaction would.
    pub fn for_each_position_of_day(&self, day: i64, f: impl FnMut(PositionRow)) -> Result<(), StoreError> {
        self.day_parts(day)?.for_each_position_in(0..=u32::MAX, f)
    }

    /// The part files of `day`, to be read without the catalog: threads
    /// each taking a range of vessels read a day together.
    pub fn day_parts(&self, day: i64) -> Result<DayParts, StoreError> {
        let parts = self.catalog.parts_of_day_by_mmsi(day)?;
        Ok(DayParts {
            compacted: parts.iter().all(|part| part.compacted),
            paths: parts.into_iter().map(|part| self.root.join(part.file)).collect(),
        })
    }

    /// `ranges` MMSI ranges covering every MMSI, each holding about as many
    /// of the archive's rows as the others (from the catalog's part
    /// statistics; fewer ranges for a small archive): how threads share a
    /// pass over the archive, each its vessels on every day.
    pub fn vessel_ranges(&self, ranges: usize) -> Result<Vec<RangeInclusive<u32>>, StoreError> {
        let spans = self.catalog.part_mmsi_spans()?;
        let rows: u64 = spans.iter().map(|s| s.rows).sum();
        Ok(cut_at_row_quantiles(&spans, (ranges as u64).min(rows / MIN_ROWS_PER_THREAD).max(1)))
    }

    /// Every position of the archive, sorted — for tests and audits of small
    /// datasets.
    pub fn all_positions(&self) -> Result<Vec<PositionRow>, StoreError> {
        let mut rows = Vec::new();
        for file in self.catalog.part_files()? {
            let path = self.root.join(&file);
            rows.extend(PartReader::read_all(&path).map_err(io_at(&path))?);
        }
        sort_rows(&mut rows);
        Ok(rows)
    }
}

/// A batch's day with at least this many rows is written as two parts, by
/// two threads: encoding is most of a commit, and the thread that reads the
/// source has time to spare.
const ROWS_TO_WRITE_IN_TWO: usize = 200_000;

/// Writes one day's sorted rows of a batch as batch parts (uncompressed;
/// compaction rewrites them).
fn write_day_parts(
    root: &Path,
    rows: &[PositionRow],
    batch_name: &str,
    form: BatchParts,
) -> Result<Vec<archive::PartInfo>, StoreError> {
    let day = day_of(rows[0].time);
    let day_dir = archive::day_dir(root, day);
    let write = |name: &str, rows: &[PositionRow]| match form {
        BatchParts::Parquet => archive::write_part(root, day, name, rows, Codec::None),
        // Synced apart (see `Dataset::commit`).
        BatchParts::Runs => run_file::write_run(root, day, name, rows, Durability::Unsynced),
    };
    if rows.len() < ROWS_TO_WRITE_IN_TWO {
        return Ok(vec![write(batch_name, rows).map_err(io_at(&day_dir))?]);
    }
    // Each half is sorted: compaction merges parts anyway.
    let (first, second) = rows.split_at(rows.len() / 2);
    let (a, b) = std::thread::scope(|scope| {
        let other = scope.spawn(|| write(&format!("{batch_name}-1"), second));
        let here = write(&format!("{batch_name}-0"), first);
        (here, other.join().expect("a part writer does not panic"))
    });
    Ok(vec![a.map_err(io_at(&day_dir))?, b.map_err(io_at(&day_dir))?])
}

/// One day's part files (see [`Dataset::day_parts`]).
#[derive(Clone, Debug)]
pub struct DayParts {
    paths: Vec<PathBuf>,
    /// Every part compacted: the rows are in archive order across the
    /// files, each transmission once.
    compacted: bool,
}

impl DayParts {
    /// The day's rows of the vessels whose MMSIs are in `mmsis`, in archive
    /// order, each transmission once. A compacted day streams, reading only
    /// the row groups that can hold those vessels; a day still being filled
    /// by a live feed is read whole, sorted and joined as compaction would.
    pub fn for_each_position_in(
        &self,
        mmsis: RangeInclusive<u32>,
        mut f: impl FnMut(PositionRow),
    ) -> Result<(), StoreError> {
        let mut unsorted = Vec::new();
        for path in &self.paths {
            for row in PartReader::open_mmsi_range(path, mmsis.clone()).map_err(io_at(path))? {
                let row = row.map_err(io_at(path))?;
                if self.compacted { f(row) } else { unsorted.push(row) }
            }
        }
        sort_and_join(unsorted, f);
        Ok(())
    }

    /// As [`DayParts::for_each_position_in`], what the detectors read of
    /// each report: a compacted day reads only those columns.
    pub fn for_each_fix_in(&self, mmsis: RangeInclusive<u32>, mut f: impl FnMut(Fix)) -> Result<(), StoreError> {
        if !self.compacted {
            return self.for_each_position_in(mmsis, |row| f(Fix::from(&row)));
        }
        for path in &self.paths {
            crate::fix_read::for_each_fix(path, &mmsis, &mut f).map_err(io_at(path))?;
        }
        Ok(())
    }
}

/// A pass over the archive is shared between threads when each has at
/// least this many rows.
const MIN_ROWS_PER_THREAD: u64 = 100_000;

/// A day is compacted in one MMSI range per thread, each its own file, when
/// it has at least this many rows per range.
const MIN_ROWS_PER_COMPACTION_RANGE: u64 = 1_000_000;

/// Cuts the MMSIs of a day into ranges holding about equal numbers of rows,
/// estimated from the parts' row-group statistics (rows spread evenly over
/// each group's MMSI range): one range per available core, fewer for a
/// small day. The rows and their order do not depend on the cut; only how
/// they are split between files does.
fn compaction_ranges(files: &[PathBuf]) -> Result<Vec<std::ops::RangeInclusive<u32>>, StoreError> {
    let mut groups = Vec::new();
    for path in files {
        groups.extend(PartReader::mmsi_row_groups(path).map_err(io_at(path))?);
    }
    let total: u64 = groups.iter().map(|g| g.rows).sum();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    Ok(cut_at_row_quantiles(&groups, cores.min(total / MIN_ROWS_PER_COMPACTION_RANGE).max(1)))
}

/// `ranges` MMSI ranges covering every MMSI, each holding about the same
/// number of the groups' rows (fewer ranges when cuts coincide).
fn cut_at_row_quantiles(groups: &[archive::MmsiRowGroup], ranges: u64) -> Vec<std::ops::RangeInclusive<u32>> {
    let total: u64 = groups.iter().map(|g| g.rows).sum();
    if total == 0 {
        return vec![0..=u32::MAX];
    }
    // Rows estimated to have an MMSI at most `mmsi`.
    let rows_up_to = |mmsi: u32| -> f64 {
        groups
            .iter()
            .map(|g| {
                if mmsi >= g.max {
                    g.rows as f64
                } else if mmsi < g.min {
                    0.0
                } else {
                    g.rows as f64 * f64::from(mmsi - g.min + 1) / (f64::from(g.max - g.min) + 1.0)
                }
            })
            .sum()
    };
    let mut cuts = Vec::new();
    for k in 1..ranges {
        let target = total as f64 * k as f64 / ranges as f64;
        // The least MMSI with `target` rows at or below it.
        let (mut low, mut high) = (0u32, u32::MAX);
        while low < high {
            let mid = low + (high - low) / 2;
            if rows_up_to(mid) >= target { high = mid } else { low = mid + 1 }
        }
        if cuts.last().is_none_or(|&c| low > c) && low < u32::MAX {
            cuts.push(low);
        }
    }
    let mut out = Vec::new();
    let mut start = 0u32;
    for cut in cuts {
        out.push(start..=cut);
        start = cut + 1;
    }
    out.push(start..=u32::MAX);
    out
}

/// A merge reads at most this many parts at once, over all its threads:
/// each open part holds a batch of rows and a page per column (a few
/// megabytes), so more parts — a day fed by many sources — are merged in
/// stages to keep memory bounded whatever the input. The global day of the
/// benchmark has 134 parts: one stage.
const MERGE_FAN_IN_ALL_THREADS: usize = 320;

/// Merges the rows of `files` whose MMSI is in `mmsis` into one new part
/// (none when there are no such rows), joining reports of one transmission
/// heard several times — through intermediate parts (merged, not joined)
/// when there are more than `fan_in` files. The result does not depend on
/// the stages: merging is in a total order and only the last stage joins.
fn merge_range(
    root: &Path,
    day: i64,
    files: &[PathBuf],
    mmsis: std::ops::RangeInclusive<u32>,
    name: &str,
    fan_in: usize,
) -> Result<Option<archive::PartInfo>, StoreError> {
    let fan_in = fan_in.max(2);
    let mut inputs = files.to_vec();
    let mut intermediates = Vec::new();
    let mut stage = 0;
    let merged = loop {
        if inputs.len() <= fan_in {
            break merge_files(root, day, &inputs, mmsis.clone(), name, Merge::Final);
        }
        let mut next = Vec::new();
        for (group_index, group) in inputs.chunks(fan_in).enumerate() {
            let group_name = format!("{name}-stage{stage}-{group_index}");
            match merge_files(root, day, group, mmsis.clone(), &group_name, Merge::Intermediate) {
                Ok(Some(info)) => {
                    let path = root.join(&info.file);
                    intermediates.push(path.clone());
                    next.push(path);
                }
                Ok(None) => {}
                Err(e) => {
                    remove_files(&intermediates);
                    return Err(e);
                }
            }
        }
        inputs = next;
        stage += 1;
    };
    // Not in the catalog: a crash before this leaves them to be removed
    // as orphans when the dataset is next opened.
    remove_files(&intermediates);
    merged
}

fn remove_files(paths: &[PathBuf]) {
    for path in paths {
        let _ = fs::remove_file(path);
    }
}

/// What a merge writes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    /// An archive part: compressed, duplicates joined.
    Final,
    /// A stage towards one: a run (`run_file`), every row kept.
    Intermediate,
}

/// Where a merge writes.
enum MergeOutput {
    // Boxed, both writers being large and unequal: there is one output
    // per merge, so the boxes cost nothing.
    Part(Box<PartWriter>),
    Run(Box<RunWriter>),
}

impl MergeOutput {
    fn create(root: &Path, day: i64, name: &str, merge: Merge) -> io::Result<MergeOutput> {
        Ok(match merge {
            Merge::Final => MergeOutput::Part(Box::new(PartWriter::create(root, day, name, Codec::Zstd)?)),
            Merge::Intermediate => MergeOutput::Run(Box::new(RunWriter::create(root, day, name)?)),
        })
    }

    fn push(&mut self, row: PositionRow) -> io::Result<()> {
        match self {
            MergeOutput::Part(writer) => writer.push(&row),
            MergeOutput::Run(writer) => writer.push(&row),
        }
    }

    fn finish(self) -> io::Result<archive::PartInfo> {
        match self {
            MergeOutput::Part(writer) => writer.finish(),
            // Removed when the merge ends; no record names it.
            MergeOutput::Run(writer) => writer.finish(Durability::Unsynced),
        }
    }
}

/// A k-way merge of `files` on (mmsi, time, origin) — a total order, so the
/// result does not depend on how the rows were batched. Streams: memory is
/// bounded by the number of files, not the size of the day.
fn merge_files(
    root: &Path,
    day: i64,
    files: &[PathBuf],
    mmsis: std::ops::RangeInclusive<u32>,
    name: &str,
    merge: Merge,
) -> Result<Option<archive::PartInfo>, StoreError> {
    let mut readers = Vec::new();
    let mut heads = Vec::new();
    for path in files {
        let mut reader = PartReader::open_mmsi_range(path, mmsis.clone()).map_err(io_at(path))?;
        heads.push(reader.next().transpose().map_err(io_at(path))?);
        readers.push(reader);
    }
    if heads.iter().all(Option::is_none) {
        return Ok(None);
    }
    let day_dir = archive::day_dir(root, day);
    let mut writer = MergeOutput::create(root, day, name, merge).map_err(io_at(&day_dir))?;
    let mut recent: Vec<PositionRow> = Vec::new();
    let key = |r: &PositionRow| (r.mmsi, r.time, r.origin);
    let mut heap: BinaryHeap<Reverse<(_, usize)>> =
        heads.iter().enumerate().filter_map(|(i, h)| h.as_ref().map(|r| Reverse((key(r), i)))).collect();
    while let Some(Reverse((_, best))) = heap.pop() {
        // Take a run from this part while it stays ahead of every other:
        // batches follow the source's time, so a vessel's rows in one part
        // all come before its rows in the next, and runs are long. One
        // comparison per row instead of a heap pop and push.
        loop {
            let row = heads[best].take().expect("the heap holds present heads");
            heads[best] = readers[best].next().transpose().map_err(io_at(&files[best]))?;
            if merge == Merge::Final {
                let mut written = Ok(());
                join_duplicate(&mut recent, row, |done| {
                    if written.is_ok() {
                        written = writer.push(done);
                    }
                });
                written.map_err(io_at(&day_dir))?;
            } else {
                writer.push(row).map_err(io_at(&day_dir))?;
            }
            let Some(next) = &heads[best] else { break };
            let next = (key(next), best);
            if heap.peek().is_some_and(|Reverse(top)| *top < next) {
                heap.push(Reverse(next));
                break;
            }
        }
    }
    for done in recent.drain(..) {
        writer.push(done).map_err(io_at(&day_dir))?;
    }
    Ok(Some(writer.finish().map_err(io_at(&day_dir))?))
}

/// Sorts rows that may overlap (parts not yet compacted) into archive order
/// and gives each transmission once, as compaction would.
fn sort_and_join(mut rows: Vec<PositionRow>, mut f: impl FnMut(PositionRow)) {
    sort_rows(&mut rows);
    let mut recent = Vec::new();
    for row in rows {
        join_duplicate(&mut recent, row, &mut f);
    }
    recent.into_iter().for_each(f);
}

/// Takes the next row of a merge in archive order. A row that repeats a
/// recent row of the same vessel (the same report heard by another
/// receiver) is folded into it, counting its receivers; rows that can no
/// longer meet a later one are given to `done`, in order. `recent` holds the
/// current vessel's rows within the duplicate window, in order.
fn join_duplicate(recent: &mut Vec<PositionRow>, row: PositionRow, mut done: impl FnMut(PositionRow)) {
    let stale =
        recent.iter().take_while(|r| r.mmsi != row.mmsi || row.time.ms_since(r.time) > DUPLICATE_WINDOW_MS).count();
    if stale > 0 {
        recent.drain(..stale).for_each(&mut done);
    }
    if let Some(original) = recent.iter_mut().find(|r| same_report(r, &row)) {
        original.receivers_heard = original.receivers_heard.saturating_add(row.receivers_heard);
    } else {
        recent.push(row);
    }
}

/// The same transmission: every decoded field equal (the time within the
/// duplicate window, checked by the caller). Positions read from CSV are
/// rounded to AIS's resolution by ingest, so they compare equal to the
/// decoded message.
pub fn same_report(a: &PositionRow, b: &PositionRow) -> bool {
    a.mmsi == b.mmsi
        && a.lat_deg == b.lat_deg
        && a.lon_deg == b.lon_deg
        && a.sog_knots == b.sog_knots
        && a.cog_deg == b.cog_deg
        && a.heading_deg == b.heading_deg
        && a.nav_status == b.nav_status
        // CSV exports do not say the message type (0).
        && (a.msg_type == b.msg_type || a.msg_type == 0 || b.msg_type == 0)
}

fn unique_name(source_id: u32) -> String {
    let n = NAME_COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("s{source_id}-{}-{}-{n}", Timestamp::now().unix_ms(), std::process::id())
}

/// `source_id \t line \t reason \t text` per line, atomically.
fn write_rejects(path: &Path, rejects: &[RejectRow]) -> Result<(), StoreError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io_at(dir))?;
    let temp = path.with_extension("tsv.tmp");
    let mut out = io::BufWriter::new(fs::File::create(&temp).map_err(io_at(&temp))?);
    for r in rejects {
        let text: String = r.text.chars().map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c }).collect();
        writeln!(out, "{}\t{}\t{}\t{}", r.origin.source_id, r.origin.line, r.reason, text).map_err(io_at(&temp))?;
    }
    let file = out.into_inner().map_err(|e| StoreError::Io { path: temp.clone(), source: e.into_error() })?;
    file.sync_all().map_err(io_at(&temp))?;
    fs::rename(&temp, path).map_err(io_at(path))?;
    archive::sync_dir(dir).map_err(io_at(dir))?;
    Ok(())
}

/// Every file below `dir` (recursively).
fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::test_rows::row;

    #[test]
    fn one_writer_at_a_time_whatever_files_are_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let writer = Dataset::open(dir.path()).unwrap();
        assert!(matches!(Dataset::open(dir.path()), Err(StoreError::InUse { .. })));
        // A lock file deleted by hand (as earlier versions used) lets no
        // second writer in.
        let _ = fs::remove_file(dir.path().join(LOCK_FILE));
        assert!(matches!(Dataset::open(dir.path()), Err(StoreError::InUse { .. })));
        // Readers open beside the writer; the next writer once it is gone.
        assert!(Dataset::open_read_only(dir.path()).is_ok());
        drop(writer);
        assert!(Dataset::open(dir.path()).is_ok());
    }

    /// Twelve batches from two sources of one day, with transmissions heard
    /// by both, into a fresh dataset compacted with `fan_in_all_threads`.
    fn compacted_dataset(dir: &Path, fan_in_all_threads: usize) -> Dataset {
        let mut dataset = filled_dataset(dir, fan_in_all_threads, BatchParts::Runs);
        dataset.compact().unwrap();
        dataset
    }

    /// Twelve batches of two sources that often hear the same transmission,
    /// not compacted.
    fn filled_dataset(dir: &Path, fan_in_all_threads: usize, parts: BatchParts) -> Dataset {
        let mut dataset = Dataset::open(dir).unwrap();
        dataset.merge_fan_in_all_threads = fan_in_all_threads;
        let sources: Vec<u32> = (0..2)
            .map(|k| {
                dataset
                    .catalog()
                    .begin_source(&crate::NewSource {
                        kind: crate::SourceKind::File,
                        location: &format!("s{k}"),
                        content_hash: Some(&format!("h{k}")),
                        size_bytes: Some(1),
                        format: "nmea",
                        receivers: Some(crate::ReceiverKind::Unknown),
                    })
                    .unwrap()
                    .id
            })
            .collect();
        let mut state = 99u64;
        let mut next = |n: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (state >> 33) % n
        };
        for b in 0..12u64 {
            let source_id = sources[(b % 2) as usize];
            let positions = (0..300)
                .map(|i| {
                    // Times on a coarse grid so that the two sources often
                    // report the same second.
                    let ms = (next(2_000) * 1_000 + next(3) * 700) as i64;
                    let mut r = row(1 + next(40) as u32, ms, source_id, b * 1_000 + i);
                    r.sog_knots = Some((ms / 10_000 % 3) as f32);
                    r
                })
                .collect();
            let mut batch = Batch { source_id, positions, lines: (b + 1) * 1_000, parts, ..Batch::default() };
            dataset.commit(&mut batch).unwrap();
        }
        dataset.finish_commits().unwrap();
        dataset
    }

    #[test]
    fn batches_as_runs_or_parquet_read_and_compact_alike() {
        let (runs, parquet) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut runs = filled_dataset(runs.path(), MERGE_FAN_IN_ALL_THREADS, BatchParts::Runs);
        let mut parquet = filled_dataset(parquet.path(), MERGE_FAN_IN_ALL_THREADS, BatchParts::Parquet);
        let extensions = |d: &Dataset| -> Vec<String> {
            let files = d.catalog().part_files().unwrap();
            files.iter().map(|f| f.rsplit('.').next().unwrap().to_owned()).collect()
        };
        assert!(extensions(&runs).iter().all(|e| e == "run"));
        assert!(extensions(&parquet).iter().all(|e| e == "parquet"));
        // Before compaction: a day, a track and a range of vessels read the same.
        let day = runs.catalog().days().unwrap()[0];
        let of_day = |d: &Dataset| {
            let mut rows = Vec::new();
            d.for_each_position_of_day(day, |r| rows.push(r)).unwrap();
            rows
        };
        let before = of_day(&parquet);
        assert_eq!(of_day(&runs), before);
        let (from, to) = (Timestamp::from_unix_ms(0), Timestamp::from_unix_ms(i64::MAX / 2));
        assert_eq!(runs.track(Mmsi(7), from, to).unwrap(), parquet.track(Mmsi(7), from, to).unwrap());
        let fixes = |d: &Dataset| {
            let mut fixes = Vec::new();
            d.day_parts(day).unwrap().for_each_fix_in(5..=9, |f| fixes.push(f)).unwrap();
            fixes
        };
        assert_eq!(fixes(&runs), fixes(&parquet));
        // After: the same archive, which reads as the day did before.
        runs.compact().unwrap();
        parquet.compact().unwrap();
        assert_eq!(runs.all_positions().unwrap(), parquet.all_positions().unwrap());
        assert_eq!(of_day(&runs), before);
        assert!(extensions(&runs).iter().all(|e| e == "parquet"));
    }

    #[test]
    fn a_merge_in_stages_gives_the_rows_of_a_merge_in_one() {
        let (one, staged) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let expected = compacted_dataset(one.path(), MERGE_FAN_IN_ALL_THREADS).all_positions().unwrap();
        // Two or three parts at a time: several stages for twelve parts.
        let dataset = compacted_dataset(staged.path(), 5);
        assert_eq!(dataset.all_positions().unwrap(), expected);
        assert!(expected.len() < 3_600, "some transmissions were joined");
        assert!(expected.iter().any(|r| r.receivers_heard > 1));
        // No intermediate part is left behind.
        let named = dataset.catalog().part_files().unwrap().len();
        assert_eq!(walk(&staged.path().join(POSITIONS_DIR)).unwrap().len(), named);
    }

    #[test]
    fn compaction_ranges_hold_equal_rows() {
        use archive::MmsiRowGroup;
        let group = |min, max, rows| MmsiRowGroup { min, max, rows };
        // Russian ships (273…) are most of the rows: the cut falls inside
        // their MMSIs, not at a round number.
        let groups = [
            group(200_000_000, 272_999_999, 100),
            group(273_000_000, 273_999_999, 800),
            group(400_000_000, 700_000_000, 100),
        ];
        let ranges = cut_at_row_quantiles(&groups, 2);
        assert_eq!(ranges.len(), 2);
        assert_eq!(*ranges[0].start(), 0);
        assert_eq!(*ranges[1].end(), u32::MAX);
        assert_eq!(ranges[0].end() + 1, *ranges[1].start());
        assert!((273_400_000..273_600_000).contains(ranges[0].end()), "{ranges:?}");
        // One range, and no rows at all, still cover every MMSI.
        assert_eq!(cut_at_row_quantiles(&groups, 1), [0..=u32::MAX]);
        assert_eq!(cut_at_row_quantiles(&[], 2), [0..=u32::MAX]);
        // Every row on one MMSI: the cuts coincide, one range.
        assert_eq!(cut_at_row_quantiles(&[group(5, 5, 1_000)], 4), [0..=5, 6..=u32::MAX]);
    }
}
