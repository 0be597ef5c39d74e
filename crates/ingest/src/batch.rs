//! A batch being filled from one source, and the running counts that go
//! into its checkpoint and the final summary.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tumen_model::{Mmsi, Timestamp};
use tumen_store::{Batch, BatchParts, Origin, PositionRow, RejectRow, StaticBatch, StaticField, TimeOrigin};

/// What a source has given so far. Cumulative: a resumed ingest restores
/// them from the checkpoint, so the final summary of a killed and resumed
/// run is the summary of a clean one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub lines: u64,
    pub bytes: u64,
    /// Messages decoded (NMEA) or rows read (CSV).
    pub messages: u64,
    /// Positions kept.
    pub positions: u64,
    /// Identity and voyage fields kept.
    pub static_fields: u64,
    /// Decoded messages that are neither positions nor identity reports
    /// (base stations, binary, safety, …): decoded, counted, not archived.
    pub other_messages: u64,
    /// Rejected lines by reason.
    pub rejects: BTreeMap<String, u64>,
    /// NMEA messages by type (index = type, 1–27).
    pub messages_by_type: [u64; 28],
    /// Positions by where their time came from (in the order of
    /// [`TimeOrigin::ALL`]).
    pub positions_by_time_origin: [u64; 6],
}

impl Counts {
    pub fn rejected_lines(&self) -> u64 {
        self.rejects.values().sum()
    }
}

/// Collects the rows of one batch.
pub struct BatchBuilder {
    pub source_id: u32,
    pub positions: Vec<PositionRow>,
    /// An emptied buffer handed back by the committing side, to become
    /// `positions` at the next [`BatchBuilder::take`].
    spare_positions: Vec<PositionRow>,
    /// The same for deferred identity fields.
    spare_statics: DeferredStatics,
    pub statics: StaticBatch,
    /// Identity fields as they came, when another thread aggregates them
    /// (see [`BatchBuilder::defer_statics`]).
    deferred_statics: Option<DeferredStatics>,
    pub rejects: Vec<RejectRow>,
    pub reject_counts: BTreeMap<String, u64>,
    pub counts: Counts,
    /// Looked up on every line: hashbrown's default hasher is several times
    /// faster than std's on these short names.
    receivers: hashbrown::HashMap<Box<str>, Arc<str>>,
    /// Receiver times outside this range are not believed.
    pub plausible_ms: (i64, i64),
}

/// Identity fields not yet aggregated, in the order they came.
#[derive(Default)]
pub struct DeferredStatics {
    fields: Vec<DeferredStatic>,
    /// The values, end to end.
    text: String,
}

struct DeferredStatic {
    mmsi: Mmsi,
    time: Timestamp,
    field: StaticField,
    text_end: usize,
    line: u64,
}

impl DeferredStatics {
    /// Fields held.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Adds every field, read from source `source_id`, to `statics`.
    pub fn aggregate_into(&self, source_id: u32, statics: &mut StaticBatch) {
        let mut text_start = 0;
        for field in &self.fields {
            let value = &self.text[text_start..field.text_end];
            text_start = field.text_end;
            let origin = Origin { source_id, line: field.line };
            statics.add_parts(field.mmsi, field.time, field.field, value, origin);
        }
    }
}

/// Times before this are not AIS (the first AIS standard is of 1998; a
/// little slack for archives).
const EARLIEST_PLAUSIBLE_MS: i64 = 788_918_400_000; // 1995-01-01

impl BatchBuilder {
    pub fn new(source_id: u32, counts: Counts) -> BatchBuilder {
        let latest = Timestamp::now().unix_ms() + 86_400_000;
        BatchBuilder {
            source_id,
            positions: Vec::new(),
            spare_positions: Vec::new(),
            spare_statics: DeferredStatics::default(),
            statics: StaticBatch::default(),
            deferred_statics: None,
            rejects: Vec::new(),
            reject_counts: BTreeMap::new(),
            counts,
            receivers: hashbrown::HashMap::new(),
            plausible_ms: (EARLIEST_PLAUSIBLE_MS, latest),
        }
    }

    pub fn origin(&self, line: u64) -> Origin {
        Origin { source_id: self.source_id, line }
    }

    /// A receiver name, shared by every row that names it.
    pub fn receiver(&mut self, name: &str) -> Arc<str> {
        if let Some(shared) = self.receivers.get(name) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(name);
        self.receivers.insert(Box::from(name), shared.clone());
        shared
    }

    pub fn is_plausible(&self, time: Timestamp) -> bool {
        (self.plausible_ms.0..=self.plausible_ms.1).contains(&time.unix_ms())
    }

    pub fn reject(&mut self, line: u64, reason: &str, text: &[u8]) {
        self.rejects.push(RejectRow {
            origin: self.origin(line),
            reason: reason.to_owned(),
            text: String::from_utf8_lossy(text).into_owned(),
        });
        self.count_reject(reason);
    }

    fn count_reject(&mut self, reason: &str) {
        for counts in [&mut self.reject_counts, &mut self.counts.rejects] {
            match counts.get_mut(reason) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(reason.to_owned(), 1);
                }
            }
        }
    }

    pub fn position(&mut self, row: PositionRow) {
        self.counts.positions += 1;
        let origin_index = TimeOrigin::ALL.iter().position(|&t| t == row.time_origin).unwrap_or(0);
        self.counts.positions_by_time_origin[origin_index] += 1;
        self.positions.push(row);
    }

    pub fn static_field(&mut self, mmsi: Mmsi, time: Timestamp, field: StaticField, value: &str, line: u64) {
        self.counts.static_fields += 1;
        match &mut self.deferred_statics {
            Some(deferred) => {
                deferred.text.push_str(value);
                let text_end = deferred.text.len();
                deferred.fields.push(DeferredStatic { mmsi, time, field, text_end, line });
            }
            None => {
                let origin = self.origin(line);
                self.statics.add_parts(mmsi, time, field, value, origin);
            }
        }
    }

    /// Keeps identity fields as they come, to be taken by
    /// [`BatchBuilder::take_deferred_statics`] and aggregated elsewhere: a
    /// file ingest's reading thread is its bottleneck, its committing
    /// thread is not.
    pub fn defer_statics(&mut self) {
        self.deferred_statics = Some(DeferredStatics::default());
    }

    /// Fields kept and not yet taken (see [`BatchBuilder::defer_statics`]).
    pub fn deferred_statics_len(&self) -> usize {
        self.deferred_statics.as_ref().map_or(0, DeferredStatics::len)
    }

    /// The fields kept since the last call (see
    /// [`BatchBuilder::defer_statics`]); none when not deferring.
    pub fn take_deferred_statics(&mut self) -> DeferredStatics {
        let Some(deferred) = &mut self.deferred_statics else { return DeferredStatics::default() };
        let DeferredStatics { fields, mut text } = std::mem::take(&mut self.spare_statics);
        text.clear();
        text.reserve(room_for(deferred.text.len()));
        let next = DeferredStatics { fields: with_room_for(fields, deferred.fields.len()), text };
        std::mem::replace(deferred, next)
    }

    /// Takes back a committed batch's position buffer for reuse.
    pub fn give_back(&mut self, mut buffer: Vec<PositionRow>) {
        buffer.clear();
        if buffer.capacity() > self.spare_positions.capacity() {
            self.spare_positions = buffer;
        }
    }

    /// Takes back a committed batch's identity-field buffers for reuse.
    pub fn give_back_statics(&mut self, mut statics: DeferredStatics) {
        statics.fields.clear();
        statics.text.clear();
        if statics.fields.capacity() > self.spare_statics.fields.capacity() {
            self.spare_statics = statics;
        }
    }

    /// Hands the rows over as a batch, with the identity fields when
    /// `with_statics` (else they stay, to be committed later: the registry
    /// is updated per (MMSI, field, value, day), so committing once every
    /// many batches saves most of its writes).
    pub fn take(&mut self, checkpoint: Vec<u8>, with_statics: bool) -> Batch {
        let next = with_room_for(std::mem::take(&mut self.spare_positions), self.positions.len());
        Batch {
            source_id: self.source_id,
            positions: std::mem::replace(&mut self.positions, next),
            statics: if with_statics { std::mem::take(&mut self.statics) } else { StaticBatch::default() },
            rejects: std::mem::take(&mut self.rejects),
            reject_counts: std::mem::take(&mut self.reject_counts),
            checkpoint,
            lines: self.counts.lines,
            parts: BatchParts::default(),
        }
    }
}

/// `buffer`, emptied, with room for a batch like the last (`last_len`
/// items) and a quarter more. A buffer that outgrows itself mid-batch is
/// copied whole into one twice its size, every page of it new to the
/// process — the kernel's time (faults, zeroing) and the copy's.
fn with_room_for<T>(mut buffer: Vec<T>, last_len: usize) -> Vec<T> {
    buffer.clear();
    buffer.reserve(room_for(last_len));
    buffer
}

/// Room for a batch like the last, of `last_len` items: a quarter more.
fn room_for(last_len: usize) -> usize {
    last_len + last_len / 4
}
