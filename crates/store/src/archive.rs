//! The position archive: Parquet files under `positions/day=YYYY-MM-DD/`,
//! one UTC day per directory (Hive partitioning, so DuckDB, Polars, pandas
//! and Spark read the day as a column), rows sorted by (mmsi, time) in
//! every file.
//!
//! A part file is written under a temporary name, synced, and renamed;
//! the directory is synced too. It becomes part of the archive only when
//! the catalog records it (see `dataset`).

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int32Type, TimestampMillisecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use tumen_model::{Mmsi, Timestamp};

use crate::early_sync::{EarlySync, SYNC_EVERY_BYTES};
use crate::row_batch::RowBatch;
use crate::rows::{Origin, PositionRow, StationClass, TimeOrigin};
use crate::run_file::{self, RunReader};

/// Rows per row group: statistics per row group let a reader skip the
/// groups whose MMSI range misses what it wants.
const ROW_GROUP_ROWS: usize = 256 * 1024;
/// Rows per data page, at most: what a track query reads of each column
/// around one vessel's rows.
const DATA_PAGE_ROWS: usize = 8 * 1024;
/// Rows per record batch when writing and reading.
pub(crate) const BATCH_ROWS: usize = 64 * 1024;
const DAY_MS: i64 = 86_400_000;

/// The archive's columns, in order.
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("mmsi", DataType::UInt32, false),
        Field::new("time", DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())), false),
        Field::new("lat", DataType::Float64, false),
        Field::new("lon", DataType::Float64, false),
        Field::new("sog_knots", DataType::Float32, true),
        Field::new("cog_deg", DataType::Float32, true),
        Field::new("heading_deg", DataType::UInt16, true),
        Field::new("nav_status", DataType::UInt8, true),
        Field::new("msg_type", DataType::UInt8, false),
        Field::new("class", DataType::Utf8, false),
        Field::new("receiver", DataType::Utf8, true),
        Field::new("receivers_heard", DataType::UInt16, false),
        Field::new("time_origin", DataType::Utf8, false),
        Field::new("source_id", DataType::UInt32, false),
        Field::new("line", DataType::UInt64, false),
    ]))
}

/// [`schema`] with the text columns read as dictionaries: they hold a few
/// distinct values, so a reader maps each value once per batch rather than
/// once per row.
pub(crate) fn reading_schema() -> SchemaRef {
    let fields: Vec<Field> = schema()
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Utf8 => Field::new(
                f.name(),
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                f.is_nullable(),
            ),
            _ => f.as_ref().clone(),
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// The UTC day of an instant, as days since 1970-01-01.
pub fn day_of(t: Timestamp) -> i64 {
    t.unix_ms().div_euclid(DAY_MS)
}

/// `YYYY-MM-DD` of a day number.
pub fn day_name(day: i64) -> String {
    match Timestamp::from_unix_ms(day * DAY_MS).utc_fields() {
        Some(f) => format!("{:04}-{:02}-{:02}", f.year, f.month, f.day),
        None => format!("day{day}"),
    }
}

/// Orders rows as the archive keeps them: MMSI, time, then where they came
/// from, so equal keys still have one order.
pub fn sort_rows(rows: &mut [PositionRow]) {
    rows.sort_unstable_by_key(|a| (a.mmsi, a.time, a.origin));
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartInfo {
    pub day: i64,
    /// Path relative to the dataset directory.
    pub file: String,
    pub rows: u64,
    pub min_time: Timestamp,
    pub max_time: Timestamp,
    pub min_mmsi: u32,
    pub max_mmsi: u32,
}

/// Writes one part: `rows`, all of `day`, sorted, to
/// `positions/day=…/<name>.parquet` under `root`, atomically.
pub fn write_part(root: &Path, day: i64, name: &str, rows: &[PositionRow], codec: Codec) -> io::Result<PartInfo> {
    let mut writer = PartWriter::create(root, day, name, codec)?;
    writer.write(rows)?;
    writer.finish()
}

/// How a part is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codec {
    /// For the parts a batch writes, which compaction soon rewrites:
    /// compressing them would cost more than their bytes do.
    None,
    /// For the archive as kept: zstd level 1, ~4× smaller at little cost.
    Zstd,
}

impl PartInfo {
    pub(crate) fn extend(&mut self, row: &PositionRow) {
        self.rows += 1;
        self.min_time = self.min_time.min(row.time);
        self.max_time = self.max_time.max(row.time);
        self.min_mmsi = self.min_mmsi.min(row.mmsi.0);
        self.max_mmsi = self.max_mmsi.max(row.mmsi.0);
    }
}

/// A part file being written, in any form: under a temporary name beside
/// its final one in its day's directory, with what it holds so far; it
/// appears under its name only on [`PartFile::finish`].
pub(crate) struct PartFile {
    dir: PathBuf,
    temp_path: PathBuf,
    final_path: PathBuf,
    pub(crate) info: PartInfo,
}

impl PartFile {
    /// `positions/day=…/<name>.<extension>` under `root`, and the temporary
    /// file to write it in.
    pub(crate) fn create(root: &Path, day: i64, name: &str, extension: &str) -> io::Result<(PartFile, File)> {
        let relative_dir = format!("positions/day={}", day_name(day));
        let dir = root.join(&relative_dir);
        fs::create_dir_all(&dir)?;
        let file_name = format!("{name}.{extension}");
        let final_path = dir.join(&file_name);
        let temp_path = dir.join(format!(".{file_name}.tmp"));
        let file = File::create(&temp_path)?;
        let info = PartInfo {
            day,
            file: format!("{relative_dir}/{file_name}"),
            rows: 0,
            min_time: Timestamp::from_unix_ms(i64::MAX),
            max_time: Timestamp::from_unix_ms(i64::MIN),
            min_mmsi: u32::MAX,
            max_mmsi: 0,
        };
        Ok((PartFile { dir, temp_path, final_path, info }, file))
    }

    /// Renames the written `file` into place — synced before and after
    /// (its bytes, then its name in the directory) when `synced`.
    pub(crate) fn finish(self, file: File, synced: bool) -> io::Result<PartInfo> {
        if synced {
            file.sync_all()?;
        }
        drop(file);
        fs::rename(&self.temp_path, &self.final_path)?;
        if synced {
            sync_dir(&self.dir)?;
        }
        let mut info = self.info;
        if info.rows == 0 {
            info.min_time = Timestamp::default();
            info.max_time = Timestamp::default();
            info.min_mmsi = 0;
        }
        Ok(info)
    }
}

/// Writes a part from rows given in order, batch by batch, so a day larger
/// than memory can be written; the file appears only on [`PartWriter::finish`].
pub struct PartWriter {
    writer: ArrowWriter<File>,
    part: PartFile,
    buffer: RowBatch,
    /// A large part is put on disk as it is written (see `early_sync`).
    early_sync: EarlySync,
}

impl PartWriter {
    pub fn create(root: &Path, day: i64, name: &str, codec: Codec) -> io::Result<PartWriter> {
        let (part, file) = PartFile::create(root, day, name, "parquet")?;
        let compression = match codec {
            Codec::None => Compression::UNCOMPRESSED,
            Codec::Zstd => Compression::ZSTD(ZstdLevel::try_new(1).map_err(io::Error::other)?),
        };
        let props = WriterProperties::builder()
            .set_compression(compression)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            // Dictionaries pay only for the few-valued text columns (there
            // they shrink an uncompressed part by half: less to write and
            // read back); trying them on every number costs more than the
            // encoding saves.
            .set_dictionary_enabled(false)
            .set_column_dictionary_enabled("class".into(), true)
            .set_column_dictionary_enabled("receiver".into(), true)
            .set_column_dictionary_enabled("time_origin".into(), true)
            // Sorted by MMSI: a dictionary turns each vessel's rows into one
            // run. Time and line rise within a vessel: deltas are small.
            // Both shrink the part and what zstd has to chew.
            .set_column_dictionary_enabled("mmsi".into(), true)
            .set_column_dictionary_enabled("source_id".into(), true)
            .set_column_encoding("time".into(), Encoding::DELTA_BINARY_PACKED)
            .set_column_encoding("line".into(), Encoding::DELTA_BINARY_PACKED)
            // Row-group statistics (what readers prune by) are enough,
            // but for the MMSI: its page index lets a track query read one
            // vessel's pages only (`vessel_read`). Pages of 8 Ki rows keep
            // that read small.
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_column_statistics_enabled("mmsi".into(), EnabledStatistics::Page)
            // Nothing prunes by the text columns, and their minimum and
            // maximum cost a string comparison per row (a twentieth of
            // compaction).
            .set_column_statistics_enabled("class".into(), EnabledStatistics::None)
            .set_column_statistics_enabled("receiver".into(), EnabledStatistics::None)
            .set_column_statistics_enabled("time_origin".into(), EnabledStatistics::None)
            .set_data_page_row_count_limit(DATA_PAGE_ROWS)
            // Coordinates are nearly incompressible (zstd took them to 0.89
            // of their size on the global day) and line numbers are
            // delta-packed already (1.00): compressing them costs
            // compaction and every reader CPU for nothing much.
            .set_column_compression("lat".into(), Compression::UNCOMPRESSED)
            .set_column_compression("lon".into(), Compression::UNCOMPRESSED)
            .set_column_compression("line".into(), Compression::UNCOMPRESSED)
            .build();
        let early_sync = EarlySync::new(&file, SYNC_EVERY_BYTES)?;
        let writer = ArrowWriter::try_new(file, schema(), Some(props)).map_err(io::Error::other)?;
        Ok(PartWriter { writer, part, buffer: RowBatch::with_capacity(BATCH_ROWS), early_sync })
    }

    /// Appends rows (in archive order, after those already written).
    pub fn write(&mut self, rows: &[PositionRow]) -> io::Result<()> {
        rows.iter().try_for_each(|row| self.push(row))
    }

    pub fn push(&mut self, row: &PositionRow) -> io::Result<()> {
        self.part.info.extend(row);
        self.buffer.push(row);
        if self.buffer.len() >= BATCH_ROWS {
            self.flush_buffer()?;
        }
        Ok(())
    }

    fn flush_buffer(&mut self) -> io::Result<()> {
        if !self.buffer.is_empty() {
            self.writer.write(&self.buffer.take()).map_err(io::Error::other)?;
            self.early_sync.written(self.writer.bytes_written() as u64)?;
        }
        Ok(())
    }

    /// Closes, syncs and renames the file into place.
    pub fn finish(mut self) -> io::Result<PartInfo> {
        self.flush_buffer()?;
        let file = self.writer.into_inner().map_err(io::Error::other)?;
        self.early_sync.wait()?;
        self.part.finish(file, true)
    }
}

/// Makes a rename in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Reads a part back — the archive's Parquet or a bulk ingest's run (see
/// `run_file`), told apart by the file's extension — in archive order.
pub struct PartReader(PartRows);

enum PartRows {
    Parquet(ParquetRows),
    Run(RunReader),
}

/// A Parquet part's rows, batch by batch.
struct ParquetRows {
    batches: ParquetRecordBatchReader,
    pending: std::vec::IntoIter<PositionRow>,
    receivers: Vec<Arc<str>>,
    /// Only rows whose MMSI is in this range.
    mmsis: std::ops::RangeInclusive<u32>,
}

/// A row group's MMSIs: from `min` to `max`, `rows` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MmsiRowGroup {
    pub min: u32,
    pub max: u32,
    pub rows: u64,
}

/// The MMSI range a row group's statistics give (all MMSIs when it has
/// none).
pub(crate) fn mmsi_bounds(group: &parquet::file::metadata::RowGroupMetaData) -> (u32, u32) {
    match group.column(0).statistics() {
        Some(parquet::file::statistics::Statistics::Int32(s)) => {
            // Parquet keeps UInt32 as INT32; read back as unsigned.
            (s.min_opt().map_or(0, |v| *v as u32), s.max_opt().map_or(u32::MAX, |v| *v as u32))
        }
        _ => (0, u32::MAX),
    }
}

impl PartReader {
    /// Opens a part for the rows whose MMSI is in `mmsis`, reading only the
    /// row groups (or blocks) that can hold them.
    pub fn open_mmsi_range(path: &Path, mmsis: std::ops::RangeInclusive<u32>) -> io::Result<PartReader> {
        if run_file::is_run(path) {
            return Ok(PartReader(PartRows::Run(RunReader::open(path, mmsis)?)));
        }
        let file = File::open(path)?;
        let options = ArrowReaderOptions::new().with_schema(reading_schema());
        let builder = ParquetRecordBatchReaderBuilder::try_new_with_options(file, options).map_err(io::Error::other)?;
        let groups = groups_in(builder.metadata(), &mmsis);
        let batches = builder.with_row_groups(groups).with_batch_size(BATCH_ROWS).build().map_err(io::Error::other)?;
        Ok(PartReader(PartRows::Parquet(ParquetRows::new(batches, mmsis))))
    }

    /// Opens a part for one vessel's rows, reading only the pages (or
    /// blocks) that can hold them (see `vessel_read`).
    pub fn open_vessel(path: &Path, mmsi: u32) -> io::Result<PartReader> {
        if run_file::is_run(path) {
            return Ok(PartReader(PartRows::Run(RunReader::open(path, mmsi..=mmsi)?)));
        }
        let file = File::open(path)?;
        let options = ArrowReaderOptions::new()
            .with_schema(reading_schema())
            .with_page_index_policy(parquet::file::metadata::PageIndexPolicy::Optional);
        let metadata = crate::vessel_read::footers().get(path, &file, options)?;
        let (groups, selection) = crate::vessel_read::vessel_rows(metadata.metadata(), mmsi);
        let mut builder = ParquetRecordBatchReaderBuilder::new_with_metadata(file, metadata).with_row_groups(groups);
        if let Some(selection) = selection {
            builder = builder.with_row_selection(selection);
        }
        let batches = builder.with_batch_size(BATCH_ROWS).build().map_err(io::Error::other)?;
        Ok(PartReader(PartRows::Parquet(ParquetRows::new(batches, mmsi..=mmsi))))
    }

    /// Each row group's (or block's) MMSI range and row count, from the
    /// footer alone.
    pub fn mmsi_row_groups(path: &Path) -> io::Result<Vec<MmsiRowGroup>> {
        if run_file::is_run(path) {
            return RunReader::blocks(path);
        }
        let metadata = parquet::file::metadata::ParquetMetaDataReader::new()
            .parse_and_finish(&File::open(path)?)
            .map_err(io::Error::other)?;
        Ok(metadata
            .row_groups()
            .iter()
            .map(|group| {
                let (min, max) = mmsi_bounds(group);
                MmsiRowGroup { min, max, rows: group.num_rows().max(0) as u64 }
            })
            .collect())
    }

    /// All rows of a part.
    pub fn read_all(path: &Path) -> io::Result<Vec<PositionRow>> {
        PartReader::open_mmsi_range(path, 0..=u32::MAX)?.collect()
    }
}

impl Iterator for PartReader {
    type Item = io::Result<PositionRow>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            PartRows::Parquet(rows) => rows.next(),
            PartRows::Run(rows) => rows.next(),
        }
    }
}

impl ParquetRows {
    fn new(batches: ParquetRecordBatchReader, mmsis: std::ops::RangeInclusive<u32>) -> ParquetRows {
        ParquetRows { batches, pending: Vec::new().into_iter(), receivers: Vec::new(), mmsis }
    }

    /// Shares receiver names between rows, as the writer's callers do.
    fn receiver(&mut self, name: &str) -> Arc<str> {
        if let Some(r) = self.receivers.iter().find(|r| &***r == name) {
            return r.clone();
        }
        let r: Arc<str> = Arc::from(name);
        if self.receivers.len() < 4096 {
            self.receivers.push(r.clone());
        }
        r
    }

    fn rows_of(&mut self, batch: &RecordBatch) -> io::Result<Vec<PositionRow>> {
        let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("archive column {what} unreadable"));
        let column = |i: usize| batch.column(i);
        let mmsi = column(0).as_primitive_opt::<UInt32Type>().ok_or_else(|| bad("mmsi"))?;
        let time = column(1).as_primitive_opt::<TimestampMillisecondType>().ok_or_else(|| bad("time"))?;
        let lat = column(2).as_primitive_opt::<Float64Type>().ok_or_else(|| bad("lat"))?;
        let lon = column(3).as_primitive_opt::<Float64Type>().ok_or_else(|| bad("lon"))?;
        let sog = column(4).as_primitive_opt::<Float32Type>().ok_or_else(|| bad("sog_knots"))?;
        let cog = column(5).as_primitive_opt::<Float32Type>().ok_or_else(|| bad("cog_deg"))?;
        let heading = column(6).as_primitive_opt::<UInt16Type>().ok_or_else(|| bad("heading_deg"))?;
        let status = column(7).as_primitive_opt::<UInt8Type>().ok_or_else(|| bad("nav_status"))?;
        let msg_type = column(8).as_primitive_opt::<UInt8Type>().ok_or_else(|| bad("msg_type"))?;
        let class = column(9).as_dictionary_opt::<Int32Type>().ok_or_else(|| bad("class"))?;
        let receiver = column(10).as_dictionary_opt::<Int32Type>().ok_or_else(|| bad("receiver"))?;
        let heard = column(11).as_primitive_opt::<UInt16Type>().ok_or_else(|| bad("receivers_heard"))?;
        let time_origin = column(12).as_dictionary_opt::<Int32Type>().ok_or_else(|| bad("time_origin"))?;
        let source = column(13).as_primitive_opt::<UInt32Type>().ok_or_else(|| bad("source_id"))?;
        let line = column(14).as_primitive_opt::<UInt64Type>().ok_or_else(|| bad("line"))?;
        // Each dictionary value decoded once.
        let class_of = dictionary_values(class, "class", StationClass::parse)?;
        let time_origin_of = dictionary_values(time_origin, "time_origin", TimeOrigin::parse)?;
        let receiver_names = receiver.values().as_string_opt::<i32>().ok_or_else(|| bad("receiver"))?;
        let receiver_of: Vec<Arc<str>> = receiver_names.iter().map(|name| self.receiver(name.unwrap_or(""))).collect();
        let code = |keys: &arrow_array::Int32Array, i: usize, n: usize, what: &str| {
            usize::try_from(keys.value(i)).ok().filter(|&k| k < n).ok_or_else(|| bad(what))
        };
        let opt = |a: &dyn Array, i: usize| !a.is_null(i);
        let mut rows = Vec::with_capacity(batch.num_rows());
        for i in 0..batch.num_rows() {
            let receiver = if receiver.is_null(i) {
                None
            } else {
                Some(receiver_of[code(receiver.keys(), i, receiver_of.len(), "receiver")?].clone())
            };
            rows.push(PositionRow {
                mmsi: Mmsi(mmsi.value(i)),
                time: Timestamp::from_unix_ms(time.value(i)),
                lat_deg: lat.value(i),
                lon_deg: lon.value(i),
                sog_knots: opt(sog, i).then(|| sog.value(i)),
                cog_deg: opt(cog, i).then(|| cog.value(i)),
                heading_deg: opt(heading, i).then(|| heading.value(i)),
                nav_status: opt(status, i).then(|| status.value(i)),
                msg_type: msg_type.value(i),
                class: class_of[code(class.keys(), i, class_of.len(), "class")?],
                receiver,
                receivers_heard: heard.value(i),
                time_origin: time_origin_of[code(time_origin.keys(), i, time_origin_of.len(), "time_origin")?],
                origin: Origin { source_id: source.value(i), line: line.value(i) },
            });
        }
        Ok(rows)
    }
}

/// A dictionary column's values, each parsed; an error names the column if
/// one is not a known value.
fn dictionary_values<T>(
    column: &arrow_array::DictionaryArray<Int32Type>,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> io::Result<Vec<T>> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, format!("archive column {what} unreadable"));
    let values = column.values().as_string_opt::<i32>().ok_or_else(bad)?;
    values.iter().map(|v| v.and_then(&parse).ok_or_else(bad)).collect()
}

impl Iterator for ParquetRows {
    type Item = io::Result<PositionRow>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            for row in self.pending.by_ref() {
                if self.mmsis.contains(&row.mmsi.0) {
                    return Some(Ok(row));
                }
            }
            let batch = match self.batches.next()? {
                Ok(batch) => batch,
                Err(e) => return Some(Err(io::Error::other(e))),
            };
            match self.rows_of(&batch) {
                Ok(rows) => self.pending = rows.into_iter(),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

/// The row groups of a part that can hold rows of `mmsis`.
pub(crate) fn groups_in(
    metadata: &parquet::file::metadata::ParquetMetaData,
    mmsis: &std::ops::RangeInclusive<u32>,
) -> Vec<usize> {
    metadata
        .row_groups()
        .iter()
        .enumerate()
        .filter(|(_, group)| {
            let (min, max) = mmsi_bounds(group);
            min <= *mmsis.end() && max >= *mmsis.start()
        })
        .map(|(i, _)| i)
        .collect()
}

/// The directory of a day under `root`.
pub fn day_dir(root: &Path, day: i64) -> PathBuf {
    root.join(format!("positions/day={}", day_name(day)))
}

/// A position row for tests: `mmsi` at `t_s`, read from line `line`, its
/// optional fields set or not by the line number.
#[cfg(test)]
pub(crate) fn test_row(mmsi: u32, t_s: i64, line: u64) -> PositionRow {
    PositionRow {
        mmsi: Mmsi(mmsi),
        time: Timestamp::from_unix_seconds(t_s).unwrap(),
        lat_deg: 42.2333,
        lon_deg: 130.3,
        sog_knots: Some(10.5),
        cog_deg: None,
        heading_deg: Some(511).filter(|_| line.is_multiple_of(2)),
        nav_status: Some(0),
        msg_type: 1,
        class: StationClass::A,
        receiver: line.is_multiple_of(3).then(|| Arc::from("rx-1")),
        receivers_heard: 2,
        time_origin: TimeOrigin::TagBlock,
        origin: Origin { source_id: 7, line },
    }
}

#[cfg(test)]
mod tests {
    use super::test_row as row;
    use super::*;

    #[test]
    fn parts_round_trip_and_prune_by_mmsi() {
        let dir = tempfile::tempdir().unwrap();
        let day = day_of(Timestamp::from_unix_seconds(1_694_066_400).unwrap());
        let mut rows: Vec<PositionRow> =
            (0..300_000u64).map(|i| row(200_000_000 + (i % 5000) as u32, 1_694_066_400 + (i / 7) as i64, i)).collect();
        sort_rows(&mut rows);
        let info = write_part(dir.path(), day, "part-1", &rows, Codec::Zstd).unwrap();
        assert_eq!(info.file, "positions/day=2023-09-07/part-1.parquet");
        assert_eq!(info.rows, 300_000);
        assert_eq!(info.min_mmsi, 200_000_000);
        let back = PartReader::read_all(&dir.path().join(&info.file)).unwrap();
        assert_eq!(back, rows);
        // Only the row group holding this MMSI is read.
        let wanted = 200_004_999;
        let groups = PartReader::mmsi_row_groups(&dir.path().join(&info.file)).unwrap();
        assert!(groups.iter().filter(|g| g.min <= wanted && wanted <= g.max).count() < groups.len());
        let some: Vec<PositionRow> = PartReader::open_mmsi_range(&dir.path().join(&info.file), wanted..=wanted)
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(some, rows.iter().filter(|r| r.mmsi.0 == wanted).cloned().collect::<Vec<_>>());
        assert!(!dir.path().join("positions/day=2023-09-07/.part-1.parquet.tmp").exists());
    }

    #[test]
    fn days_are_utc() {
        assert_eq!(day_name(day_of(Timestamp::parse_lenient("2023-09-07T23:59:59.999Z").unwrap())), "2023-09-07");
        assert_eq!(day_name(day_of(Timestamp::parse_lenient("2023-09-08T00:00:00Z").unwrap())), "2023-09-08");
        assert_eq!(day_name(day_of(Timestamp::parse_lenient("1969-12-31T12:00:00Z").unwrap())), "1969-12-31");
    }
}
