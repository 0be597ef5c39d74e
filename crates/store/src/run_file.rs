//! Sorted runs: a batch's rows as a bulk ingest writes them before
//! compaction, in a plain binary form of Tumen's own.
//!
//! Only compaction reads most of them back, soon after, and then rewrites
//! them as the archive's Parquet; encoding them as Parquet first cost more
//! than a fifth of a global day's ingest (Arrow builders, column encoders,
//! and more bytes through the page cache than this form's). A run is rows
//! sorted by (MMSI, time), in blocks of `BLOCK_ROWS`, each row a few
//! variable-length integers (deltas from the row before in its block;
//! coordinates in AIS's units, speed and course in its tenths; the bits of
//! any value off those grids) — under 25 bytes a row on the global day,
//! written and read at memory speed. Every block starts afresh (no delta
//! crosses a block), so a reader of a range of vessels decodes only the
//! blocks that can hold them, found through the block index in the footer.
//!
//! Layout: `MAGIC`; blocks; the footer — the receivers' names (rows refer
//! to them by number), the block index (offset, byte length, rows, smallest
//! and largest MMSI per block); the footer's length (u64); `MAGIC` again.
//! Integers are little-endian. A damaged or foreign file is an
//! `InvalidData` error naming what is wrong, never a panic.
//!
//! A live feed's batches stay Parquet: readers (and other tools) read a day
//! still being filled, and a run is Tumen's alone.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::RangeInclusive;
use std::path::Path;
use std::sync::Arc;

use hashbrown::HashMap;
use tumen_model::{Mmsi, Timestamp};

use crate::archive::{MmsiRowGroup, PartFile, PartInfo, sync_dir};
use crate::rows::{Origin, PositionRow, StationClass, TimeOrigin};

const MAGIC: &[u8; 8] = b"TMNRUN02";
/// The first layout, still read: it is this one without speeds and courses
/// in tenths (a run left by an interrupted ingest of an older Tumen).
const MAGIC_V1: &[u8; 8] = b"TMNRUN01";

/// Rows per block (~650 KB): large enough that the index is small, small
/// enough that a reader of a few vessels decodes little more than theirs
/// and that the hundreds of readers of a compaction hold little.
const BLOCK_ROWS: usize = 16 * 1024;

/// A run's file name ends so.
pub const EXTENSION: &str = "run";

/// And begins so: readers of the archive as a Parquet dataset (pyarrow's
/// `dataset`, Spark, DuckDB's Hive globs) pass over files whose names begin
/// with `_` or `.`, and a run — a bulk ingest's batch until compaction, or
/// a compaction's stage — is no Parquet they could read.
pub const HIDDEN_PREFIX: &str = "_";

/// Whether `path` names a run (else a Parquet part).
pub fn is_run(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == EXTENSION)
}

// Which optional fields a row has.
const HAS_SOG: u8 = 1;
const HAS_COG: u8 = 2;
const HAS_HEADING: u8 = 4;
const HAS_STATUS: u8 = 8;
const HAS_RECEIVER: u8 = 16;
/// Both coordinates whole 1/600 000ths of a degree, as every position an
/// AIS message gives is: kept as deltas of those units from the previous
/// such row (two or three bytes each, against eight).
const ON_GRID: u8 = 32;

/// Speed and course as AIS gives them, whole tenths (of a knot, of a
/// degree): kept as that number of tenths (one or two bytes, against four).
const SOG_IN_TENTHS: u8 = 64;
const COG_IN_TENTHS: u8 = 128;

/// `value` as a whole number of tenths, when it reads back bit for bit
/// (through [`from_tenths`]), as every speed and course decoded from AIS
/// does.
fn tenths(value: f32) -> Option<u16> {
    let scaled = f64::from(value) * 10.0;
    if !(0.0..65_535.0).contains(&scaled) {
        return None;
    }
    // Any rounding will do (`f64::round` is a library call): the check
    // below keeps only exact tenths.
    let k = (scaled + 0.5) as u16;
    (from_tenths(k).to_bits() == value.to_bits()).then_some(k)
}

/// A number of tenths as the decoder makes a speed or course of it.
fn from_tenths(k: u16) -> f32 {
    (f64::from(k) / 10.0) as f32
}

/// AIS's position resolution: 1/10 000 minute.
const GRID_UNITS_PER_DEGREE: f64 = 600_000.0;

/// `deg` in grid units, if it is exactly a whole number of them (read back
/// bit for bit by [`grid_degrees`]).
fn grid_units(deg: f64) -> Option<i64> {
    // Rounded by adding and taking away 1.5·2^52 (exact below 2^51):
    // `f64::round` is a library call on the baseline x86-64 target, and
    // this is done twice for every row ingested. Any rounding will do:
    // the check below keeps only exact units.
    const ROUNDING: f64 = 6_755_399_441_055_744.0;
    let units = deg * GRID_UNITS_PER_DEGREE;
    if units.is_nan() || units.abs() >= 2_251_799_813_685_248.0 {
        return None;
    }
    let units = ((units + ROUNDING) - ROUNDING) as i64;
    (grid_degrees(units).to_bits() == deg.to_bits()).then_some(units)
}

fn grid_degrees(units: i64) -> f64 {
    units as f64 / GRID_UNITS_PER_DEGREE
}

/// What a row's deltas are from: the row before it in its block (zeros at
/// a block's start); the coordinates, from the last row on the grid.
#[derive(Clone, Copy, Debug, Default)]
struct Previous {
    mmsi: i64,
    time_ms: i64,
    line: u64,
    lat_units: i64,
    lon_units: i64,
}

/// One block in the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct BlockEntry {
    offset: u64,
    bytes: u32,
    rows: u32,
    min_mmsi: u32,
    max_mmsi: u32,
}

const BLOCK_ENTRY_BYTES: usize = 8 + 4 * 4;

/// Writes a run from rows given in archive order; the file appears only
/// on [`RunWriter::finish`] (synced, renamed into place).
pub struct RunWriter {
    file: BufWriter<File>,
    part: PartFile,
    offset: u64,
    block: Vec<u8>,
    block_entry: BlockEntry,
    previous: Previous,
    index: Vec<BlockEntry>,
    receivers: Vec<Arc<str>>,
    /// Receiver numbers by the address of their shared name (rows of one
    /// feed share few), then by the name itself.
    receiver_by_address: HashMap<usize, (u32, Arc<str>)>,
    receiver_by_name: HashMap<Arc<str>, u32>,
}

/// Shared names remembered by address, at most: rows read back from many
/// parts may each carry a name of their own.
const ADDRESSES_KEPT: usize = 1 << 16;

impl RunWriter {
    pub fn create(root: &Path, day: i64, name: &str) -> io::Result<RunWriter> {
        let (part, file) = PartFile::create(root, day, &format!("{HIDDEN_PREFIX}{name}"), EXTENSION)?;
        let mut file = BufWriter::with_capacity(1 << 20, file);
        file.write_all(MAGIC)?;
        Ok(RunWriter {
            file,
            part,
            offset: MAGIC.len() as u64,
            block: Vec::with_capacity(BLOCK_ROWS * 48),
            block_entry: empty_entry(),
            previous: Previous::default(),
            index: Vec::new(),
            receivers: Vec::new(),
            receiver_by_address: HashMap::new(),
            receiver_by_name: HashMap::new(),
        })
    }

    /// Appends a row (in archive order, after those already written).
    pub fn push(&mut self, row: &PositionRow) -> io::Result<()> {
        let receiver = row.receiver.as_ref().map(|r| self.receiver_number(r));
        let out = &mut self.block;
        let previous = &mut self.previous;
        let mmsi = row.mmsi.0;
        // Sorted by MMSI, so the delta is never negative — but a caller's
        // mistake must not make a run that reads back wrong: zigzag.
        put_signed(out, i64::from(mmsi) - previous.mmsi);
        put_signed(out, row.time.unix_ms().wrapping_sub(previous.time_ms));
        let on_grid = grid_units(row.lat_deg).zip(grid_units(row.lon_deg));
        let mut flags = 0;
        flags |= if row.sog_knots.is_some() { HAS_SOG } else { 0 };
        flags |= if row.cog_deg.is_some() { HAS_COG } else { 0 };
        flags |= if row.heading_deg.is_some() { HAS_HEADING } else { 0 };
        flags |= if row.nav_status.is_some() { HAS_STATUS } else { 0 };
        flags |= if receiver.is_some() { HAS_RECEIVER } else { 0 };
        flags |= if on_grid.is_some() { ON_GRID } else { 0 };
        let sog_tenths = row.sog_knots.and_then(tenths);
        let cog_tenths = row.cog_deg.and_then(tenths);
        flags |= if sog_tenths.is_some() { SOG_IN_TENTHS } else { 0 };
        flags |= if cog_tenths.is_some() { COG_IN_TENTHS } else { 0 };
        out.push(flags);
        match on_grid {
            Some((lat_units, lon_units)) => {
                put_signed(out, lat_units - previous.lat_units);
                put_signed(out, lon_units - previous.lon_units);
                (previous.lat_units, previous.lon_units) = (lat_units, lon_units);
            }
            None => {
                out.extend_from_slice(&row.lat_deg.to_bits().to_le_bytes());
                out.extend_from_slice(&row.lon_deg.to_bits().to_le_bytes());
            }
        }
        put_tenths_or_bits(out, sog_tenths, row.sog_knots);
        put_tenths_or_bits(out, cog_tenths, row.cog_deg);
        if let Some(heading) = row.heading_deg {
            out.extend_from_slice(&heading.to_le_bytes());
        }
        if let Some(status) = row.nav_status {
            out.push(status);
        }
        out.push(row.msg_type);
        out.push(class_code(row.class) | time_origin_code(row.time_origin) << 2);
        if let Some(receiver) = receiver {
            put_unsigned(out, u64::from(receiver));
        }
        put_unsigned(out, u64::from(row.receivers_heard));
        put_unsigned(out, u64::from(row.origin.source_id));
        put_signed(out, row.origin.line.wrapping_sub(previous.line) as i64);
        (previous.mmsi, previous.time_ms, previous.line) = (i64::from(mmsi), row.time.unix_ms(), row.origin.line);

        let entry = &mut self.block_entry;
        entry.rows += 1;
        entry.min_mmsi = entry.min_mmsi.min(mmsi);
        entry.max_mmsi = entry.max_mmsi.max(mmsi);
        self.part.info.extend(row);
        if entry.rows as usize >= BLOCK_ROWS {
            self.end_block()?;
        }
        Ok(())
    }

    /// Appends rows in archive order.
    pub fn write(&mut self, rows: &[PositionRow]) -> io::Result<()> {
        rows.iter().try_for_each(|row| self.push(row))
    }

    fn receiver_number(&mut self, name: &Arc<str>) -> u32 {
        let address = Arc::as_ptr(name) as *const u8 as usize;
        if let Some(&(n, _)) = self.receiver_by_address.get(&address) {
            return n;
        }
        let next = self.receivers.len() as u32;
        let n = *self.receiver_by_name.entry(name.clone()).or_insert(next);
        if n == next {
            self.receivers.push(name.clone());
        }
        if self.receiver_by_address.len() < ADDRESSES_KEPT {
            // The map holds a clone: a name cannot be freed, and its
            // address given to another, while the address is a key.
            self.receiver_by_address.insert(address, (n, name.clone()));
        }
        n
    }

    fn end_block(&mut self) -> io::Result<()> {
        if self.block_entry.rows == 0 {
            return Ok(());
        }
        let bytes = u32::try_from(self.block.len()).map_err(|_| io::Error::other("a run block over 4 GiB"))?;
        self.file.write_all(&self.block)?;
        self.index.push(BlockEntry { offset: self.offset, bytes, ..self.block_entry });
        self.offset += u64::from(bytes);
        self.block.clear();
        self.block_entry = empty_entry();
        self.previous = Previous::default();
        Ok(())
    }

    /// Writes the footer, and renames the file into place — synced first
    /// and after, or not: see [`Durability`].
    pub fn finish(mut self, durability: Durability) -> io::Result<PartInfo> {
        self.end_block()?;
        let mut footer = Vec::new();
        footer.extend_from_slice(&(self.receivers.len() as u32).to_le_bytes());
        for name in &self.receivers {
            let bytes = name.as_bytes();
            put_unsigned(&mut footer, bytes.len() as u64);
            footer.extend_from_slice(bytes);
        }
        footer.extend_from_slice(&(self.index.len() as u32).to_le_bytes());
        for entry in &self.index {
            footer.extend_from_slice(&entry.offset.to_le_bytes());
            for n in [entry.bytes, entry.rows, entry.min_mmsi, entry.max_mmsi] {
                footer.extend_from_slice(&n.to_le_bytes());
            }
        }
        footer.extend_from_slice(&(footer.len() as u64).to_le_bytes());
        footer.extend_from_slice(MAGIC);
        self.file.write_all(&footer)?;
        let file = self.file.into_inner().map_err(|e| e.into_error())?;
        self.part.finish(file, durability == Durability::Synced)
    }
}

fn empty_entry() -> BlockEntry {
    BlockEntry { offset: 0, bytes: 0, rows: 0, min_mmsi: u32::MAX, max_mmsi: 0 }
}

/// Writes `rows`, all of `day` and sorted, as a run named `name`.
pub fn write_run(
    root: &Path,
    day: i64,
    name: &str,
    rows: &[PositionRow],
    durability: Durability,
) -> io::Result<PartInfo> {
    let mut writer = RunWriter::create(root, day, name)?;
    writer.write(rows)?;
    writer.finish(durability)
}

/// Whether a run is on disk when [`RunWriter::finish`] returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// Synced, then renamed, then its directory synced.
    Synced,
    /// Left to the caller, who syncs it before any record names it (see
    /// [`sync_part`]) — or never, for a file that no record will name (a
    /// compaction's intermediate stage, removed when the merge ends).
    Unsynced,
}

/// Makes a part written [`Durability::Unsynced`] durable: its bytes, then
/// its name in its directory.
pub fn sync_part(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()?;
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// Reads the rows of a run whose MMSI is in a range, block by block.
pub struct RunReader {
    file: File,
    receivers: Vec<Arc<str>>,
    /// The blocks that can hold the range, in file order.
    blocks: std::vec::IntoIter<BlockEntry>,
    mmsis: RangeInclusive<u32>,
    /// The block being read, decoded a row at a time: compaction holds a
    /// reader per part and thread (hundreds), so each holds one block's
    /// bytes, not its rows.
    block: BlockDecoder,
}

/// Where a reader is in its block.
#[derive(Default)]
struct BlockDecoder {
    bytes: Vec<u8>,
    at: usize,
    rows_left: u32,
    previous: Previous,
}

impl RunReader {
    pub fn open(path: &Path, mmsis: RangeInclusive<u32>) -> io::Result<RunReader> {
        let mut file = File::open(path)?;
        let (receivers, index) = read_footer(&mut file)?;
        let blocks: Vec<BlockEntry> =
            index.into_iter().filter(|b| b.min_mmsi <= *mmsis.end() && b.max_mmsi >= *mmsis.start()).collect();
        Ok(RunReader { file, receivers, blocks: blocks.into_iter(), mmsis, block: BlockDecoder::default() })
    }

    /// Each block's MMSI range and row count, from the footer alone.
    pub fn blocks(path: &Path) -> io::Result<Vec<MmsiRowGroup>> {
        let (_, index) = read_footer(&mut File::open(path)?)?;
        Ok(index.iter().map(|b| MmsiRowGroup { min: b.min_mmsi, max: b.max_mmsi, rows: u64::from(b.rows) }).collect())
    }

    /// The next row of the blocks, in or out of the range; `None` at the end.
    fn next_row(&mut self) -> io::Result<Option<PositionRow>> {
        while self.block.rows_left == 0 {
            if self.block.at != self.block.bytes.len() {
                return Err(damaged("bytes after a block's rows"));
            }
            let Some(entry) = self.blocks.next() else { return Ok(None) };
            self.file.seek(SeekFrom::Start(entry.offset))?;
            self.block.bytes.resize(entry.bytes as usize, 0);
            self.file.read_exact(&mut self.block.bytes)?;
            self.block.at = 0;
            self.block.rows_left = entry.rows;
            self.block.previous = Previous::default();
        }
        self.block.rows_left -= 1;
        let BlockDecoder { bytes, at, previous, .. } = &mut self.block;
        let mut cursor = Cursor { bytes: &bytes[*at..] };
        let row = decode_row(&mut cursor, previous, &self.receivers)?;
        *at = bytes.len() - cursor.bytes.len();
        Ok(Some(row))
    }
}

impl Iterator for RunReader {
    type Item = io::Result<PositionRow>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.next_row() {
                Ok(Some(row)) if self.mmsis.contains(&row.mmsi.0) => return Some(Ok(row)),
                Ok(Some(_)) => {}
                Ok(None) => return None,
                Err(e) => {
                    // A damaged block ends the read: report it once.
                    self.blocks = Vec::new().into_iter();
                    self.block = BlockDecoder::default();
                    return Some(Err(e));
                }
            }
        }
    }
}

fn damaged(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("run file damaged: {what}"))
}

fn read_footer(file: &mut File) -> io::Result<(Vec<Arc<str>>, Vec<BlockEntry>)> {
    let length = file.metadata()?.len();
    let tail_bytes = 8 + MAGIC.len() as u64;
    if length < MAGIC.len() as u64 + tail_bytes {
        return Err(damaged("shorter than its frame"));
    }
    let mut head = [0u8; 8];
    file.read_exact(&mut head)?;
    file.seek(SeekFrom::Start(length - tail_bytes))?;
    let mut tail = [0u8; 16];
    file.read_exact(&mut tail)?;
    if !(head == *MAGIC || head == *MAGIC_V1) || tail[8..] != head {
        return Err(damaged("not a run of this version"));
    }
    let footer_bytes = u64::from_le_bytes(tail[..8].try_into().expect("8 bytes"));
    if footer_bytes > length - tail_bytes - MAGIC.len() as u64 {
        return Err(damaged("footer longer than the file"));
    }
    let footer_start = length - tail_bytes - footer_bytes;
    file.seek(SeekFrom::Start(footer_start))?;
    let mut footer = vec![0u8; footer_bytes as usize];
    file.read_exact(&mut footer)?;
    let mut cursor = Cursor { bytes: &footer };
    let receiver_count = cursor.u32()?;
    let mut receivers = Vec::new();
    for _ in 0..receiver_count {
        let len = usize::try_from(cursor.unsigned()?).map_err(|_| damaged("receiver name length"))?;
        let name = std::str::from_utf8(cursor.take(len)?).map_err(|_| damaged("receiver name not UTF-8"))?;
        receivers.push(Arc::from(name));
    }
    let block_count = cursor.u32()? as usize;
    if cursor.bytes.len() != block_count * BLOCK_ENTRY_BYTES {
        return Err(damaged("block index"));
    }
    let mut index = Vec::with_capacity(block_count);
    for _ in 0..block_count {
        let offset = cursor.u64()?;
        let [bytes, rows, min_mmsi, max_mmsi] = [cursor.u32()?, cursor.u32()?, cursor.u32()?, cursor.u32()?];
        if offset.checked_add(u64::from(bytes)).is_none_or(|end| end > footer_start) {
            return Err(damaged("a block past the blocks"));
        }
        index.push(BlockEntry { offset, bytes, rows, min_mmsi, max_mmsi });
    }
    Ok((receivers, index))
}

/// One row, its deltas from `previous` (which it then becomes).
fn decode_row(cursor: &mut Cursor, previous: &mut Previous, receivers: &[Arc<str>]) -> io::Result<PositionRow> {
    previous.mmsi = previous.mmsi.wrapping_add(cursor.signed()?);
    previous.time_ms = previous.time_ms.wrapping_add(cursor.signed()?);
    let flags = cursor.u8()?;
    let (lat_deg, lon_deg) = if flags & ON_GRID != 0 {
        previous.lat_units = previous.lat_units.wrapping_add(cursor.signed()?);
        previous.lon_units = previous.lon_units.wrapping_add(cursor.signed()?);
        (grid_degrees(previous.lat_units), grid_degrees(previous.lon_units))
    } else {
        (f64::from_bits(cursor.u64()?), f64::from_bits(cursor.u64()?))
    };
    let sog_knots = read_tenths_or_bits(cursor, flags, HAS_SOG, SOG_IN_TENTHS)?;
    let cog_deg = read_tenths_or_bits(cursor, flags, HAS_COG, COG_IN_TENTHS)?;
    let heading_deg = if flags & HAS_HEADING != 0 { Some(cursor.u16()?) } else { None };
    let nav_status = if flags & HAS_STATUS != 0 { Some(cursor.u8()?) } else { None };
    let msg_type = cursor.u8()?;
    let codes = cursor.u8()?;
    let class = class_of(codes & 3).ok_or_else(|| damaged("station class"))?;
    let time_origin = time_origin_of(codes >> 2).ok_or_else(|| damaged("time origin"))?;
    let receiver = if flags & HAS_RECEIVER != 0 {
        let n = usize::try_from(cursor.unsigned()?).unwrap_or(usize::MAX);
        Some(receivers.get(n).ok_or_else(|| damaged("receiver number"))?.clone())
    } else {
        None
    };
    let receivers_heard = u16::try_from(cursor.unsigned()?).map_err(|_| damaged("receivers heard"))?;
    let source_id = u32::try_from(cursor.unsigned()?).map_err(|_| damaged("source id"))?;
    previous.line = previous.line.wrapping_add(cursor.signed()? as u64);
    Ok(PositionRow {
        mmsi: Mmsi(u32::try_from(previous.mmsi).map_err(|_| damaged("MMSI"))?),
        time: Timestamp::from_unix_ms(previous.time_ms),
        lat_deg,
        lon_deg,
        sog_knots,
        cog_deg,
        heading_deg,
        nav_status,
        msg_type,
        class,
        receiver,
        receivers_heard,
        time_origin,
        origin: Origin { source_id, line: previous.line },
    })
}

/// A speed or course (`value`, `tenths` of it when whole): nothing when
/// absent, else its tenths or its bits — read by [`read_tenths_or_bits`].
fn put_tenths_or_bits(out: &mut Vec<u8>, tenths: Option<u16>, value: Option<f32>) {
    match (tenths, value) {
        (Some(k), _) => put_unsigned(out, u64::from(k)),
        (None, Some(value)) => out.extend_from_slice(&value.to_bits().to_le_bytes()),
        (None, None) => {}
    }
}

/// A speed or course: absent, in tenths, or its bits.
fn read_tenths_or_bits(cursor: &mut Cursor, flags: u8, present: u8, in_tenths: u8) -> io::Result<Option<f32>> {
    if flags & present == 0 {
        return Ok(None);
    }
    if flags & in_tenths != 0 {
        let k = u16::try_from(cursor.unsigned()?).map_err(|_| damaged("tenths out of range"))?;
        return Ok(Some(from_tenths(k)));
    }
    Ok(Some(f32::from_bits(cursor.u32()?)))
}

const CLASSES: [StationClass; 3] = [StationClass::A, StationClass::B, StationClass::SarAircraft];

fn class_code(class: StationClass) -> u8 {
    CLASSES.iter().position(|c| *c == class).unwrap_or(0) as u8
}

fn class_of(code: u8) -> Option<StationClass> {
    CLASSES.get(usize::from(code)).copied()
}

fn time_origin_code(origin: TimeOrigin) -> u8 {
    TimeOrigin::ALL.iter().position(|o| *o == origin).unwrap_or(0) as u8
}

fn time_origin_of(code: u8) -> Option<TimeOrigin> {
    TimeOrigin::ALL.get(usize::from(code)).copied()
}

/// LEB128.
fn put_unsigned(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Zigzag, then LEB128: small magnitudes of either sign are short.
fn put_signed(out: &mut Vec<u8>, value: i64) {
    put_unsigned(out, ((value << 1) ^ (value >> 63)) as u64);
}

/// Reads a block or the footer, every read bounds-checked.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n).ok_or_else(|| damaged("ends early"))?;
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        Ok(self.take(N)?.try_into().expect("took N bytes"))
    }

    fn u8(&mut self) -> io::Result<u8> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> io::Result<u16> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> io::Result<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn unsigned(&mut self) -> io::Result<u64> {
        // Most numbers are small deltas: one or two bytes, read without a
        // check per byte.
        match *self.bytes {
            [first, ..] if first < 0x80 => {
                self.bytes = &self.bytes[1..];
                return Ok(u64::from(first));
            }
            [first, second, ..] if second < 0x80 => {
                self.bytes = &self.bytes[2..];
                return Ok(u64::from(first & 0x7f) | u64::from(second) << 7);
            }
            _ => {}
        }
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(value);
            }
        }
        Err(damaged("an overlong number"))
    }

    fn signed(&mut self) -> io::Result<i64> {
        let value = self.unsigned()?;
        Ok((value >> 1) as i64 ^ -((value & 1) as i64))
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::archive::{day_of, sort_rows};

    /// Rows with every optional field present and absent, several
    /// receivers, all classes and time origins, extreme values.
    fn varied_rows(n: u64) -> Vec<PositionRow> {
        let receivers: Vec<Arc<str>> = ["rx-1", "a receiver with a long name", "ß-station"].map(Arc::from).to_vec();
        let mut rows: Vec<PositionRow> = (0..n)
            .map(|i| PositionRow {
                mmsi: Mmsi(if i % 1000 == 999 { u32::MAX } else { 200_000_000 + (i % 3_000) as u32 }),
                time: Timestamp::from_unix_ms(1_694_044_800_000 + (i as i64 * 7_919) % 86_400_000),
                // Most on AIS's grid (as decoded), some off it (a CSV
                // export's), NaN, -0.0 and the extremes.
                lat_deg: match i % 4 {
                    0 => -90.0 + (i as f64) * 1e-4,
                    1 => -0.0,
                    _ => f64::from((i % 108_000_000) as i32 - 54_000_000) / 600_000.0,
                },
                lon_deg: match i % 5 {
                    0 => f64::NAN,
                    1 => 180.0,
                    2 => 179.999_999 - (i as f64) * 1e-3,
                    _ => f64::from(i as i32 % 216_000_000 - 108_000_000) / 600_000.0,
                },
                // As the decoder makes them (whole tenths), by f32
                // arithmetic (not always the same bits), and odd ones.
                sog_knots: match i % 7 {
                    0 => None,
                    1 => Some(i as f32 / 10.0),
                    2 | 3 => Some((f64::from((i % 1023) as u32) / 10.0) as f32),
                    4 => Some(-0.0),
                    5 => Some(f32::NAN),
                    _ => Some(1e9),
                },
                cog_deg: match i % 5 {
                    0 => None,
                    1 => Some(359.9),
                    2 | 3 => Some((f64::from((i % 3600) as u32) / 10.0) as f32),
                    _ => Some(f32::INFINITY),
                },
                heading_deg: (i % 4 == 0).then_some(511),
                nav_status: (i % 5 != 0).then_some((i % 16) as u8),
                msg_type: [1, 2, 3, 18, 19, 27, 9, 0][(i % 8) as usize],
                class: [StationClass::A, StationClass::B, StationClass::SarAircraft][(i % 3) as usize],
                receiver: (i % 7 != 0).then(|| receivers[(i % 3) as usize].clone()),
                receivers_heard: (i % 40_000) as u16,
                time_origin: TimeOrigin::ALL[(i % 6) as usize],
                origin: Origin { source_id: (i % 4) as u32 * 1_000_000, line: if i == 5 { u64::MAX } else { i * 13 } },
            })
            .collect();
        sort_rows(&mut rows);
        rows
    }

    fn same(a: &[PositionRow], b: &[PositionRow]) -> bool {
        // NaNs compare by bits: a run keeps every value exactly.
        let bits = |r: &PositionRow| {
            (r.lat_deg.to_bits(), r.lon_deg.to_bits(), r.sog_knots.map(f32::to_bits), r.cog_deg.map(f32::to_bits))
        };
        let rest =
            |r: &PositionRow| PositionRow { lat_deg: 0.0, lon_deg: 0.0, sog_knots: None, cog_deg: None, ..r.clone() };
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| bits(x) == bits(y) && rest(x) == rest(y))
    }

    #[test]
    fn every_decoded_speed_and_course_is_kept_in_tenths() {
        for raw in 0..=3600u16 {
            let value = (f64::from(raw) / 10.0) as f32;
            assert_eq!(tenths(value), Some(raw));
        }
        for odd in [-0.0, -0.1, f32::NAN, f32::INFINITY, 1e9, 0.05, 102.35] {
            assert_eq!(tenths(odd), None, "{odd}");
        }
    }

    #[test]
    fn a_run_of_the_first_layout_is_still_read() {
        // The first layout is this one without tenths: rows with no speed
        // or course in tenths, framed by the old magic, read the same.
        let dir = tempfile::tempdir().unwrap();
        let rows: Vec<PositionRow> = varied_rows(20_000)
            .into_iter()
            .map(|r| PositionRow { sog_knots: r.sog_knots.map(|_| 0.05), cog_deg: None, ..r })
            .collect();
        let info = write_run(dir.path(), day_of(rows[0].time), "old", &rows, Durability::Synced).unwrap();
        let path = dir.path().join(&info.file);
        let mut bytes = fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[..8].copy_from_slice(MAGIC_V1);
        bytes[n - 8..].copy_from_slice(MAGIC_V1);
        fs::write(&path, &bytes).unwrap();
        let back: Vec<PositionRow> = RunReader::open(&path, 0..=u32::MAX).unwrap().map(Result::unwrap).collect();
        assert!(same(&back, &rows));
        // Mismatched frames are damage.
        bytes[..8].copy_from_slice(MAGIC);
        fs::write(&path, &bytes).unwrap();
        assert!(RunReader::open(&path, 0..=u32::MAX).is_err());
    }

    #[test]
    fn a_run_gives_back_exactly_its_rows() {
        let dir = tempfile::tempdir().unwrap();
        let rows = varied_rows(200_000);
        let day = day_of(rows[0].time);
        let info = write_run(dir.path(), day, "batch-1", &rows, Durability::Synced).unwrap();
        assert_eq!(info.file, "positions/day=2023-09-07/_batch-1.run");
        assert_eq!((info.rows, info.min_mmsi, info.max_mmsi), (200_000, 200_000_000, u32::MAX));
        let path = dir.path().join(&info.file);
        let back: Vec<PositionRow> = RunReader::open(&path, 0..=u32::MAX).unwrap().map(Result::unwrap).collect();
        assert!(same(&back, &rows));
        // Rows share their receivers' names, as the writer's did.
        let names: std::collections::HashSet<usize> =
            back.iter().filter_map(|r| r.receiver.as_ref().map(|n| Arc::as_ptr(n) as *const u8 as usize)).collect();
        assert_eq!(names.len(), 3);
        assert!(!dir.path().join("positions/day=2023-09-07/._batch-1.run.tmp").exists());
        // Fewer bytes a row than the 60 of fixed-width rows.
        let bytes = fs::metadata(&path).unwrap().len();
        assert!(bytes < 45 * 200_000, "{bytes}");
    }

    #[test]
    fn a_range_of_vessels_reads_only_the_blocks_that_hold_them() {
        let dir = tempfile::tempdir().unwrap();
        let rows = varied_rows(300_000);
        let info = write_run(dir.path(), day_of(rows[0].time), "batch-1", &rows, Durability::Synced).unwrap();
        let path = dir.path().join(&info.file);
        let blocks = RunReader::blocks(&path).unwrap();
        assert_eq!(blocks.iter().map(|b| b.rows).sum::<u64>(), 300_000);
        assert!(blocks.len() >= 4);
        let wanted = 200_001_234..=200_001_240;
        let reader = RunReader::open(&path, wanted.clone()).unwrap();
        assert!(reader.blocks.len() < blocks.len() / 2);
        let some: Vec<PositionRow> = reader.map(Result::unwrap).collect();
        let expected: Vec<PositionRow> = rows.iter().filter(|r| wanted.contains(&r.mmsi.0)).cloned().collect();
        assert!(!expected.is_empty() && same(&some, &expected));
    }

    #[test]
    fn numbers_read_back_at_every_length_and_cut_ones_are_damage() {
        let values = [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 21, (1 << 35) + 7, u64::MAX];
        let mut bytes = Vec::new();
        values.iter().for_each(|&v| put_unsigned(&mut bytes, v));
        let mut cursor = Cursor { bytes: &bytes };
        for &v in &values {
            assert_eq!(cursor.unsigned().unwrap(), v);
        }
        assert!(cursor.bytes.is_empty());
        // A number cut after its first or second byte.
        for cut in [vec![0x80], vec![0x80, 0x80]] {
            assert!(Cursor { bytes: &cut }.unsigned().is_err());
        }
    }

    #[test]
    fn an_empty_run_reads_as_no_rows() {
        let dir = tempfile::tempdir().unwrap();
        let info = write_run(dir.path(), 19_607, "empty", &[], Durability::Synced).unwrap();
        assert_eq!(info.rows, 0);
        assert_eq!(RunReader::open(&dir.path().join(&info.file), 0..=u32::MAX).unwrap().count(), 0);
    }

    #[test]
    fn a_damaged_run_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let rows = varied_rows(70_000);
        let info = write_run(dir.path(), day_of(rows[0].time), "batch-1", &rows, Durability::Synced).unwrap();
        let path = dir.path().join(&info.file);
        let good = fs::read(&path).unwrap();
        let read_all = |bytes: &[u8]| -> io::Result<usize> {
            fs::write(&path, bytes)?;
            RunReader::open(&path, 0..=u32::MAX)?.try_fold(0, |n, row| row.map(|_| n + 1))
        };
        assert_eq!(read_all(&good).unwrap(), 70_000);
        // Cut anywhere, or a byte changed anywhere: an error or (a changed
        // coordinate bit) rows — never a panic.
        for cut in [0, 7, 8, 100, good.len() / 2, good.len() - 17, good.len() - 1] {
            let error = read_all(&good[..cut]).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidData, "cut at {cut}: {error}");
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..300 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut bytes = good.clone();
            let at = (state % bytes.len() as u64) as usize;
            bytes[at] ^= 1 << (state >> 61);
            let _ = read_all(&bytes);
        }
        let foreign = b"PAR1 not a run at all, but long enough to have a frame".to_vec();
        assert!(read_all(&foreign).unwrap_err().to_string().contains("run file damaged"));
    }
}
