//! Ingesting one byte stream (a file or standard input) into the dataset,
//! exactly once.
//!
//! A file is known by the hash of its content: one already ingested is
//! skipped, one whose ingest was interrupted resumes at its checkpoint.
//! The stream is read and decoded on one thread while the batches are
//! written and committed on the caller's: each batch ends at a line where
//! the decoder holds no state, and its rows, its rejects and the
//! checkpoint after it are committed together, so a run killed at any
//! moment and run again gives exactly the dataset of a clean run.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use tumen_ais::DecoderConfig;
use tumen_store::{
    Batch, BatchParts, Dataset, NewSource, PositionRow, ReceiverKind, SourceKind, SourceRecord, SourceStatus,
    StaticBatch, StoreError,
};

use crate::batch::{BatchBuilder, Counts, DeferredStatics};
use crate::checkpoint::{Checkpoint, HashedPrefix};
use crate::csv_formats::CsvReader;
use crate::format::Format;
use crate::lines::for_each_line;
use crate::nmea::NmeaReader;

/// How to ingest.
#[derive(Clone, Debug)]
pub struct IngestConfig {
    /// The format, when not detected from the content.
    pub format: Option<Format>,
    /// What received the data (recorded per source).
    pub receivers: ReceiverKind,
    /// Lines per batch (a batch is a part file per day and one catalog
    /// transaction). Bigger is faster; memory grows with it.
    pub batch_lines: u64,
    /// Accept lines whose checksums fail (marked), as `tumen decode
    /// --lenient`.
    pub lenient: bool,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig { format: None, receivers: ReceiverKind::Unknown, batch_lines: 2_000_000, lenient: false }
    }
}

/// Told how far a stream has got (from the reading thread).
pub trait Progress: Sync {
    /// `bytes` of the stream as stored (compressed, for gzip) read so far.
    fn update(&self, bytes: u64, counts: &Counts);
}

/// A progress that shows nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _: u64, _: &Counts) {}
}

/// What happened to a source.
#[derive(Debug)]
pub enum Outcome {
    /// The same content was ingested before: nothing done.
    AlreadyIngested(Box<SourceRecord>),
    Ingested(Box<SourceSummary>),
}

#[derive(Debug, Clone)]
pub struct SourceSummary {
    pub source_id: u32,
    pub location: String,
    pub format: Format,
    /// Cumulative over every run of this source.
    pub counts: Counts,
    /// The line a resumed run started after.
    pub resumed_after_line: Option<u64>,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Content { path: PathBuf, line: u64, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: the checkpoint of source {source_id} was written by another version of Tumen; remove the source to ingest it again", path.display())]
    Checkpoint { path: PathBuf, source_id: u32 },
    /// Refused before anything was recorded.
    #[error("{}: {reason}", path.display())]
    NotAis { path: PathBuf, reason: String },
}

/// Ingests the file at `path` (plain or gzip).
///
/// A file of a size never seen before cannot be one already ingested: it
/// is hashed as it is read (its hash recorded when it is done), not in a
/// pass of its own before — which read every file twice, from disk when it
/// is larger than memory. A file the size of an earlier source is hashed
/// first, to be skipped or resumed.
pub fn ingest_file(
    dataset: &mut Dataset,
    path: &Path,
    config: &IngestConfig,
    progress: &dyn Progress,
) -> Result<Outcome, IngestError> {
    let io_error = |source| IngestError::Io { path: path.to_path_buf(), source };
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    let location = path.display().to_string();
    let same_size = dataset.catalog().sources_of_size(size).map_err(StoreError::from)?;
    let mut hash = if same_size.is_empty() { None } else { Some(content_hash(path).map_err(io_error)?) };
    let mut earlier = match &hash {
        Some(hash) => earlier_source(dataset, path, hash, &same_size)?,
        None => None,
    };
    // A file longer than an interrupted source that begins with the bytes
    // it read (the whole file of a truncated gzip, a log that grew) takes
    // it up where it stopped: its lines are not read twice.
    if earlier.is_none()
        && let Some(continued) = continued_source(dataset, path, size)?
    {
        let whole = content_hash(path).map_err(io_error)?;
        dataset.catalog().continue_source_in(continued.id, &location, size, &whole).map_err(StoreError::from)?;
        hash = Some(whole);
        earlier = Some(continued);
    }
    // A log read whole before from this path that has grown since: read on
    // from where that read ended, as a source of its own.
    let grown = if earlier.is_none() { grown_from(dataset, path, &location, size)? } else { None };
    let (source, checkpoint, tap) = match earlier {
        Some(done) if done.status == SourceStatus::Done => return Ok(Outcome::AlreadyIngested(Box::new(done))),
        Some(interrupted) => {
            let checkpoint = match &interrupted.checkpoint {
                None => Checkpoint::default(),
                Some(blob) => Checkpoint::decode(blob)
                    .ok_or(IngestError::Checkpoint { path: path.to_path_buf(), source_id: interrupted.id })?,
            };
            if let Some(hash) = &hash {
                dataset.catalog().set_content_hash(interrupted.id, hash).map_err(StoreError::from)?;
            }
            (interrupted, checkpoint, None)
        }
        None if grown.is_some() => {
            let (before, checkpoint) = grown.expect("matched");
            let whole = content_hash(path).map_err(io_error)?;
            let record = dataset
                .catalog()
                .begin_source(&NewSource {
                    kind: SourceKind::File,
                    location: &location,
                    content_hash: Some(&whole),
                    size_bytes: Some(size),
                    format: &before.format,
                    receivers: Some(config.receivers),
                })
                .map_err(StoreError::from)?;
            (record, checkpoint, None)
        }
        None => {
            let head = peek(&mut open_decompressed(path, 0).map_err(io_error)?).map_err(io_error)?;
            if let Some(reason) = crate::format::not_ais(&head, config.format.is_some()) {
                return Err(IngestError::NotAis { path: path.to_path_buf(), reason });
            }
            let format = config.format.unwrap_or_else(|| Format::detect(&head));
            let record = dataset
                .catalog()
                .begin_source(&NewSource {
                    kind: SourceKind::File,
                    location: &location,
                    content_hash: hash.as_deref(),
                    size_bytes: Some(size),
                    format: format.as_str(),
                    receivers: Some(config.receivers),
                })
                .map_err(StoreError::from)?;
            let tap = hash.is_none().then(HashTap::default);
            (record, Checkpoint::default(), tap)
        }
    };
    let format = Format::parse(&source.format).unwrap_or(Format::Nmea);
    let reader = match &tap {
        Some(tap) => open_tapped(path, tap.clone()).map_err(io_error)?,
        None => open_decompressed(path, checkpoint.statics_offset).map_err(io_error)?,
    };
    run(dataset, path, &source, reader, checkpoint, format, config, progress, tap.as_ref())
        .map(|summary| Outcome::Ingested(Box::new(summary)))
}

/// The source that has the content of the file at `path` (whose hash is
/// `hash`), among `same_size`, the sources of its size: the one with that
/// hash, or one whose ingest stopped before it knew its hash and whose
/// checkpoint vouches for bytes this file begins with.
fn earlier_source(
    dataset: &Dataset,
    path: &Path,
    hash: &str,
    same_size: &[SourceRecord],
) -> Result<Option<SourceRecord>, IngestError> {
    if let Some(source) = dataset.catalog().source_by_hash(hash).map_err(StoreError::from)? {
        return Ok(Some(source));
    }
    let location = path.display().to_string();
    for candidate in same_size.iter().filter(|s| s.kind == SourceKind::File && s.content_hash.is_none()) {
        let checkpoint = candidate.checkpoint.as_deref().and_then(Checkpoint::decode);
        let same = match checkpoint.and_then(|c| c.hashed) {
            Some(prefix) => {
                let io_error = |source| IngestError::Io { path: path.to_path_buf(), source };
                prefix_hash(path, prefix.bytes).map_err(io_error)?.as_deref() == Some(prefix.xxh3_128.as_str())
            }
            // Stopped before its first commit: nothing of it is kept, so
            // the same file again may take it up.
            None => candidate.checkpoint.is_none() && candidate.location == location,
        };
        if same {
            return Ok(Some(candidate.clone()));
        }
    }
    Ok(None)
}

/// The source read whole from `location` that this file, `size` bytes,
/// begins with (a log that has grown), and the checkpoint to read on from:
/// where that source's read ended.
fn grown_from(
    dataset: &Dataset,
    path: &Path,
    location: &str,
    size: u64,
) -> Result<Option<(SourceRecord, Checkpoint)>, IngestError> {
    let io_error = |source| IngestError::Io { path: path.to_path_buf(), source };
    for before in dataset.catalog().done_file_sources_at(location).map_err(StoreError::from)? {
        let before_size = before.size_bytes.unwrap_or(0);
        if before_size == 0 || before_size >= size {
            continue;
        }
        let Some(end) = before.checkpoint.as_deref().and_then(Checkpoint::decode).filter(|c| c.done) else { continue };
        if prefix_hash(path, before_size).map_err(io_error)? == before.content_hash {
            return Ok(Some((before, Checkpoint { done: false, hashed: None, ..end })));
        }
    }
    Ok(None)
}

/// The interrupted source, of fewer bytes than this file's `size`, whose
/// checkpoint vouches for bytes this file begins with.
fn continued_source(dataset: &Dataset, path: &Path, size: u64) -> Result<Option<SourceRecord>, IngestError> {
    let io_error = |source| IngestError::Io { path: path.to_path_buf(), source };
    for candidate in dataset.catalog().interrupted_file_sources().map_err(StoreError::from)? {
        let Some(prefix) = candidate.checkpoint.as_deref().and_then(Checkpoint::decode).and_then(|c| c.hashed) else {
            continue;
        };
        if prefix.bytes == 0 || prefix.bytes >= size {
            continue;
        }
        if prefix_hash(path, prefix.bytes).map_err(io_error)?.as_deref() == Some(prefix.xxh3_128.as_str()) {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

/// Identity fields are committed to the registry every this many batches,
/// or sooner when this many have been read since the last commit (they
/// are aggregated per (MMSI, field, value, day) until then: at most this
/// many entries, ~70 bytes each), and at the end (see [`Checkpoint`]). A
/// global day has ~9 million in 16 batches.
const BATCHES_PER_STATICS_COMMIT: u32 = 16;
const STATIC_FIELDS_PER_COMMIT: usize = 12 << 20;

/// Ingests standard input (not resumable: it cannot be read again).
pub fn ingest_reader(
    dataset: &mut Dataset,
    name: &str,
    reader: Box<dyn Read + Send>,
    config: &IngestConfig,
    progress: &dyn Progress,
) -> Result<Outcome, IngestError> {
    let path = PathBuf::from(name);
    let mut reader = BufReader::with_capacity(
        1 << 20,
        decompress_if_gzip(reader).map_err(|source| IngestError::Io { path: path.clone(), source })?,
    );
    let head = reader.fill_buf().map_err(|source| IngestError::Io { path: path.clone(), source })?;
    // A pipe's first read may hold a few lines only: standard input is
    // refused for binary content, not for text without AIS in it yet.
    if let Some(reason) = crate::format::not_ais(head, true) {
        return Err(IngestError::NotAis { path, reason });
    }
    let format = config.format.unwrap_or_else(|| Format::detect(head));
    let source = dataset
        .catalog()
        .begin_source(&NewSource {
            kind: SourceKind::Stdin,
            location: name,
            content_hash: None,
            size_bytes: None,
            format: format.as_str(),
            receivers: Some(config.receivers),
        })
        .map_err(StoreError::from)?;
    run(dataset, &path, &source, Box::new(reader), Checkpoint::default(), format, config, progress, None)
        .map(|summary| Outcome::Ingested(Box::new(summary)))
}

#[allow(clippy::too_many_arguments)]
fn run(
    dataset: &mut Dataset,
    path: &Path,
    source: &SourceRecord,
    mut reader: Box<dyn Read + Send>,
    resume: Checkpoint,
    format: Format,
    config: &IngestConfig,
    progress: &dyn Progress,
    tap: Option<&HashTap>,
) -> Result<SourceSummary, IngestError> {
    let started = Instant::now();
    let resumed_after_line = (resume.counts.lines > 0).then_some(resume.counts.lines);
    let source_id = source.id;
    let (sender, receiver) = mpsc::sync_channel::<ReadBatch>(1);
    // Emptied buffers (positions, identity fields) go back to the reading
    // thread.
    let (recycle, recycled) = mpsc::channel::<(Vec<PositionRow>, DeferredStatics)>();
    let final_counts = std::thread::scope(|scope| -> Result<Counts, IngestError> {
        let channels = BatchChannels { sender, recycled };
        let reading =
            scope.spawn(move || read_batches(&mut *reader, source_id, resume, format, config, progress, channels, tap));
        let mut committed = Ok(());
        // Identity fields read and not yet committed.
        let mut statics = StaticBatch::default();
        for ReadBatch { mut batch, statics: fields, with_statics } in receiver.iter() {
            fields.aggregate_into(source_id, &mut statics);
            if with_statics {
                batch.statics = std::mem::take(&mut statics);
            }
            // A file or stream is ingested in bulk: its days are compacted
            // when it has been read (see `BatchParts::Runs`).
            batch.parts = BatchParts::Runs;
            if let Err(e) = dataset.commit(&mut batch) {
                committed = Err(e);
                break;
            }
            // Emptied buffers go back to be filled again.
            let _ = recycle.send((batch.positions, fields));
        }
        drop(receiver);
        let read = reading.join().expect("the reading thread does not panic");
        committed?;
        // The last bulk batch is recorded once it is on disk.
        dataset.finish_commits()?;
        read.map_err(|e| e.at(path))
    })?;
    if let Some(tap) = tap {
        // Before the source is marked done: a done source is known by its hash.
        let hash = tap.finish(path).map_err(|source| IngestError::Io { path: path.to_path_buf(), source })?;
        dataset.catalog().set_content_hash(source_id, &hash).map_err(StoreError::from)?;
    }
    let summary = serde_json::to_string(&final_counts).expect("counts serialize");
    dataset.catalog().finish_source(source_id, &summary).map_err(StoreError::from)?;
    Ok(SourceSummary {
        source_id,
        location: source.location.clone(),
        format,
        counts: final_counts,
        resumed_after_line,
        elapsed: started.elapsed(),
    })
}

/// Why reading stopped early.
enum ReadError {
    Io(io::Error),
    Content {
        line: u64,
        message: String,
    },
    /// The committing side stopped (its error is reported).
    Stopped,
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl ReadError {
    fn at(self, path: &Path) -> IngestError {
        match self {
            ReadError::Io(source) => IngestError::Io { path: path.to_path_buf(), source },
            ReadError::Content { line, message } => IngestError::Content { path: path.to_path_buf(), line, message },
            ReadError::Stopped => IngestError::Io {
                path: path.to_path_buf(),
                source: io::Error::other("ingest stopped after a failed commit"),
            },
        }
    }
}

/// The format's reader.
enum LineReader {
    Nmea(NmeaReader),
    Csv(CsvReader, Option<String>),
}

impl LineReader {
    /// A reader for a stream of which `lines_before` lines were read
    /// before.
    fn new(format: Format, config: &IngestConfig, lines_before: u64) -> Result<LineReader, ReadError> {
        Ok(match format.csv_dialect() {
            None => LineReader::Nmea(NmeaReader::new(
                DecoderConfig { lenient: config.lenient, ..DecoderConfig::default() },
                lines_before,
            )),
            Some(dialect) => LineReader::Csv(CsvReader::new(dialect), None),
        })
    }

    /// A resumed CSV stream's header, from its checkpoint.
    fn set_csv_header(&mut self, header: &str) -> Result<(), String> {
        if let LineReader::Csv(reader, kept) = self {
            reader.header(header.as_bytes())?;
            *kept = Some(header.to_owned());
        }
        Ok(())
    }

    fn line(&mut self, line: &[u8], number: u64, batch: &mut BatchBuilder) -> Result<(), ReadError> {
        match self {
            LineReader::Nmea(reader) => reader.line(line, None, batch),
            LineReader::Csv(reader, header) => {
                if !reader.has_header() && !line.iter().all(u8::is_ascii_whitespace) {
                    let text = String::from_utf8_lossy(line).trim_end().to_owned();
                    reader.header(text.as_bytes()).map_err(|message| ReadError::Content { line: number, message })?;
                    *header = Some(text);
                } else {
                    reader.line(line, number, batch);
                }
            }
        }
        Ok(())
    }

    fn is_idle(&self) -> bool {
        match self {
            LineReader::Nmea(reader) => reader.is_idle(),
            LineReader::Csv(..) => true,
        }
    }

    fn finish(&mut self, batch: &mut BatchBuilder) {
        if let LineReader::Nmea(reader) = self {
            reader.finish(batch);
        }
    }

    fn csv_header(&self) -> Option<String> {
        match self {
            LineReader::Csv(_, header) => header.clone(),
            LineReader::Nmea(_) => None,
        }
    }
}

/// A batch as the reading thread hands it over: its identity fields are
/// aggregated by the committing thread, which keeps them until a batch
/// `with_statics` takes them into the registry.
struct ReadBatch {
    batch: Batch,
    statics: DeferredStatics,
    with_statics: bool,
}

/// The reading thread's ends of the channels to the committing thread.
struct BatchChannels {
    sender: mpsc::SyncSender<ReadBatch>,
    recycled: mpsc::Receiver<(Vec<PositionRow>, DeferredStatics)>,
}

impl BatchChannels {
    fn send(&self, batch: &mut BatchBuilder, checkpoint: &Checkpoint, with_statics: bool) -> Result<(), ReadError> {
        if let Ok((positions, statics)) = self.recycled.try_recv() {
            batch.give_back(positions);
            batch.give_back_statics(statics);
        }
        let statics = batch.take_deferred_statics();
        let batch = batch.take(checkpoint.encode(), false);
        self.sender.send(ReadBatch { batch, statics, with_statics }).map_err(|_| ReadError::Stopped)
    }
}

/// Reads the stream from the checkpoint on, sending a batch every
/// `batch_lines` lines (at the next line where the reader is idle) and a
/// last one at the end. Returns the final counts.
#[allow(clippy::too_many_arguments)]
fn read_batches(
    reader: &mut dyn Read,
    source_id: u32,
    checkpoint: Checkpoint,
    format: Format,
    config: &IngestConfig,
    progress: &dyn Progress,
    channels: BatchChannels,
    tap: Option<&HashTap>,
) -> Result<Counts, ReadError> {
    let mut lines = LineReader::new(format, config, checkpoint.statics_lines)?;
    if let Some(header) = &checkpoint.csv_header {
        lines.set_csv_header(header).map_err(|message| ReadError::Content { line: 1, message })?;
    }
    // From `statics_offset` to `offset`, only identity fields are kept
    // (positions there are committed already).
    let mut replaying = checkpoint.statics_offset < checkpoint.offset;
    let mut batch = BatchBuilder::new(source_id, checkpoint.counts.clone());
    batch.counts.lines = checkpoint.statics_lines;
    batch.defer_statics();
    let mut fields_since_statics = 0;
    let mut statics_cursor = (checkpoint.statics_offset, checkpoint.statics_lines);
    let mut batches_since_statics = 0u32;
    let mut lines_in_batch = 0u64;
    let batch_lines = config.batch_lines.max(1);
    let mut last_progress = Instant::now();
    for_each_line::<ReadError>(
        reader,
        checkpoint.statics_offset,
        |line, end_offset| {
            batch.counts.lines += 1;
            batch.counts.bytes = end_offset;
            let number = batch.counts.lines;
            lines.line(line, number, &mut batch)?;
            if replaying {
                if end_offset >= checkpoint.offset {
                    // Caught up: what was counted and kept while replaying
                    // is committed already.
                    // Drop the rows, keep the identity fields.
                    replaying = false;
                    batch.take(Vec::new(), false);
                    batch.counts = checkpoint.counts.clone();
                }
                return Ok(());
            }
            lines_in_batch += 1;
            if lines_in_batch >= batch_lines && lines.is_idle() {
                batches_since_statics += 1;
                fields_since_statics += batch.deferred_statics_len();
                let with_statics = batches_since_statics >= BATCHES_PER_STATICS_COMMIT
                    || fields_since_statics >= STATIC_FIELDS_PER_COMMIT;
                if with_statics {
                    statics_cursor = (end_offset, number);
                    batches_since_statics = 0;
                    fields_since_statics = 0;
                }
                let checkpoint = Checkpoint {
                    version: crate::checkpoint::VERSION,
                    offset: end_offset,
                    counts: batch.counts.clone(),
                    statics_offset: statics_cursor.0,
                    statics_lines: statics_cursor.1,
                    csv_header: lines.csv_header(),
                    done: false,
                    hashed: tap.map(HashTap::prefix),
                };
                channels.send(&mut batch, &checkpoint, with_statics)?;
                lines_in_batch = 0;
            }
            if number.is_multiple_of(65_536) && last_progress.elapsed() >= Duration::from_millis(100) {
                last_progress = Instant::now();
                progress.update(end_offset, &batch.counts);
            }
            Ok(())
        },
        |_| {},
    )?;
    lines.finish(&mut batch);
    let counts = batch.counts.clone();
    let checkpoint = Checkpoint {
        version: crate::checkpoint::VERSION,
        offset: counts.bytes,
        counts: counts.clone(),
        statics_offset: counts.bytes,
        statics_lines: counts.lines,
        csv_header: lines.csv_header(),
        done: true,
        hashed: tap.map(HashTap::prefix),
    };
    channels.send(&mut batch, &checkpoint, true)?;
    progress.update(counts.bytes, &counts);
    Ok(counts)
}

/// xxh3-128 of a file's bytes, as 32 hex digits.
pub fn content_hash(path: &Path) -> io::Result<String> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hash_from(&mut File::open(path)?, &mut hasher, u64::MAX)?;
    Ok(hex(&hasher))
}

/// The hash of a file's first `bytes` bytes; `None` if it is shorter.
fn prefix_hash(path: &Path, bytes: u64) -> io::Result<Option<String>> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let read = hash_from(&mut File::open(path)?, &mut hasher, bytes)?;
    Ok((read == bytes).then(|| hex(&hasher)))
}

/// Feeds `hasher` with what `file` gives, up to `limit` bytes; how many.
fn hash_from(file: &mut File, hasher: &mut xxhash_rust::xxh3::Xxh3, limit: u64) -> io::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    while total < limit {
        let want = usize::try_from(limit - total).unwrap_or(usize::MAX).min(buf.len());
        let n = match file.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok(total)
}

fn hex(hasher: &xxhash_rust::xxh3::Xxh3) -> String {
    format!("{:032x}", hasher.digest128())
}

/// A file's content hash taken as the reading thread reads it (through
/// [`TappedFile`]), shared with whoever writes checkpoints and ends the
/// source.
#[derive(Clone, Default)]
struct HashTap(Arc<Mutex<TapState>>);

#[derive(Default)]
struct TapState {
    bytes: u64,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl HashTap {
    fn state(&self) -> std::sync::MutexGuard<'_, TapState> {
        // A panic elsewhere while holding the lock leaves the state whole.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The bytes read so far and their hash, for a checkpoint.
    fn prefix(&self) -> HashedPrefix {
        let state = self.state();
        HashedPrefix { bytes: state.bytes, xxh3_128: hex(&state.hasher) }
    }

    /// The whole file's hash: the bytes read, then any the reader left
    /// (a gzip decoder may stop before trailing bytes).
    fn finish(&self, path: &Path) -> io::Result<String> {
        let mut state = self.state();
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(state.bytes))?;
        let TapState { bytes, hasher } = &mut *state;
        *bytes += hash_from(&mut file, hasher, u64::MAX)?;
        Ok(hex(hasher))
    }
}

/// A file that feeds what is read from it to a [`HashTap`].
struct TappedFile {
    file: File,
    tap: HashTap,
}

impl Read for TappedFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        let mut state = self.tap.state();
        state.hasher.update(&buf[..n]);
        state.bytes += n as u64;
        Ok(n)
    }
}

/// Opens a file from its start, decompressing gzip, hashing its bytes as
/// they are read.
fn open_tapped(path: &Path, tap: HashTap) -> io::Result<Box<dyn Read + Send>> {
    decompress_if_gzip(TappedFile { file: File::open(path)?, tap })
}

/// Opens a file, decompressing gzip (detected from its first bytes), and
/// positions it at `offset` of the decompressed stream.
fn open_decompressed(path: &Path, offset: u64) -> io::Result<Box<dyn Read + Send>> {
    let mut file = File::open(path)?;
    let mut magic = [0u8; 2];
    let n = read_fully(&mut file, &mut magic)?;
    file.seek(SeekFrom::Start(0))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        let mut reader: Box<dyn Read + Send> =
            Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 20, file)));
        // A gzip stream cannot seek: decompress up to the offset.
        io::copy(&mut (&mut reader).take(offset), &mut io::sink())?;
        Ok(reader)
    } else {
        file.seek(SeekFrom::Start(offset))?;
        Ok(Box::new(file))
    }
}

/// `reader`, decompressed when its first bytes are gzip's magic number.
pub fn decompress_if_gzip<R: Read + Send + 'static>(reader: R) -> io::Result<Box<dyn Read + Send>> {
    let mut buffered = BufReader::with_capacity(1 << 16, reader);
    let is_gzip = buffered.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if is_gzip { Box::new(flate2::read::MultiGzDecoder::new(buffered)) } else { Box::new(buffered) })
}

fn read_fully(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The first 64 KiB of a stream (for format detection).
fn peek(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = vec![0u8; 1 << 16];
    let n = read_fully(reader, &mut head)?;
    head.truncate(n);
    Ok(head)
}
