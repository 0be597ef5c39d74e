//! Fragment assembly: joins the sentences of multi-sentence messages.
//!
//! Fragments are matched on talker, VDM/VDO, channel, sequence id and
//! fragment count, plus the tag-block group id and source when both
//! fragments carry them (feeds often tag only the first fragment). Pending
//! messages live in a bounded table; a message is given up, and its lines
//! reported as incomplete, when its first fragment is older than the
//! timeout (receiver time when both fragments have one), when more than
//! `max_line_gap` lines passed, when the table is full and a newer message
//! needs the slot, or at the end of input. Memory is allocated as slots are
//! first used and then reused, so steady-state assembly does not allocate.

use tumen_model::Timestamp;

use crate::reject::RejectReason;
use crate::sentence::{Sentence, TimeSource};

/// Bounds on pending multi-sentence messages.
#[derive(Clone, Copy, Debug)]
pub struct AssemblyConfig {
    /// Most messages waiting for fragments at once.
    pub max_pending: usize,
    /// Give up on a message whose first fragment is this much older (by
    /// receiver time) than a newly arrived fragment.
    pub timeout_ms: i64,
    /// Give up on a message after this many further input lines.
    pub max_line_gap: u64,
}

impl Default for AssemblyConfig {
    fn default() -> Self {
        AssemblyConfig { max_pending: 64, timeout_ms: 60_000, max_line_gap: 1_000 }
    }
}

/// Metadata taken from the first fragment of a message, owned.
#[derive(Clone, Debug, Default)]
pub(crate) struct FirstFragmentMeta {
    pub talker: [u8; 2],
    pub own_ship: bool,
    pub channel: Option<u8>,
    pub receiver_time: Option<Timestamp>,
    pub time_source: Option<TimeSource>,
    /// Tag block `s:`; meaningful when `has_source`. Buffers are kept
    /// between messages so that assembly does not allocate.
    pub source: String,
    pub has_source: bool,
    /// USCG or `$PGHP` station; meaningful when `has_station`.
    pub station: String,
    pub has_station: bool,
}

impl FirstFragmentMeta {
    pub fn source(&self) -> Option<&str> {
        self.has_source.then_some(self.source.as_str())
    }

    pub fn station(&self) -> Option<&str> {
        self.has_station.then_some(self.station.as_str())
    }
}

/// Where one received fragment is kept: its line number, and its payload
/// and raw line as (start, length) in the slot's buffers.
#[derive(Clone, Copy, Default)]
struct Part {
    line_number: u64,
    payload: (u32, u32),
    raw: (u32, u32),
}

#[derive(Default)]
struct Slot {
    active: bool,
    // Key.
    talker: [u8; 2],
    own_ship: bool,
    channel: Option<u8>,
    sequence_id: Option<u8>,
    fragment_count: u8,
    group_id: Option<u32>,
    source: Vec<u8>,
    has_source: bool,
    // Progress.
    first_line: u64,
    first_time: Option<Timestamp>,
    received_mask: u16,
    fill_bits: u8,
    checksums_ok: bool,
    meta: FirstFragmentMeta,
    /// Per fragment number (index = number − 1).
    parts: [Part; 9],
    payload: Vec<u8>,
    raw_lines: Vec<u8>,
}

impl Slot {
    fn matches(&self, s: &Sentence<'_>, source: Option<&[u8]>) -> bool {
        self.active
            && self.talker == s.talker
            && self.own_ship == s.own_ship
            && self.channel == s.channel
            && self.sequence_id == s.sequence_id
            && self.fragment_count == s.fragment_count
            && match (self.group_id, s.tag_block.group) {
                (Some(a), Some(b)) => a == b.id,
                _ => true,
            }
            && match (self.has_source, source) {
                (true, Some(b)) => self.source == b,
                _ => true,
            }
    }

    fn complete(&self) -> bool {
        self.received_mask.count_ones() == u32::from(self.fragment_count)
    }
}

/// A line given up on, reported to the caller.
pub(crate) struct LostLine<'a> {
    pub line_number: u64,
    pub line: &'a [u8],
    pub reason: RejectReason,
}

/// A completed message: its payload characters in order, and its metadata.
pub(crate) struct Assembled<'a> {
    pub payload: &'a [u8],
    pub fill_bits: u8,
    pub first_line: u64,
    pub fragments: u8,
    pub checksums_ok: bool,
    pub meta: &'a FirstFragmentMeta,
}

pub(crate) struct Assembler {
    config: AssemblyConfig,
    slots: Vec<Slot>,
    /// Payload of the last completed message, in fragment order.
    joined: Vec<u8>,
    /// Index of the slot completed by the last `add`, freed on the next call.
    completed: Option<usize>,
}

/// What `add` did with a fragment.
pub(crate) enum Added<'a> {
    /// Stored; the message waits for more fragments.
    Pending,
    /// The message is complete.
    Complete(Assembled<'a>),
    /// The fragment cannot be used.
    Rejected(RejectReason),
}

/// Metadata of the sentence being added that does not come from the sentence
/// itself (a preceding `$PGHP` or tag-block line).
pub(crate) struct Inherited<'a> {
    pub receiver_time: Option<Timestamp>,
    pub time_source: Option<TimeSource>,
    pub source: Option<&'a str>,
    pub station: Option<&'a str>,
}

impl Assembler {
    pub(crate) fn new(config: AssemblyConfig) -> Assembler {
        Assembler { config, slots: Vec::new(), joined: Vec::new(), completed: None }
    }

    /// True when no message waits for fragments.
    pub(crate) fn is_empty(&self) -> bool {
        // The slot of the message completed last stays active until the
        // next call only so that its lines can be reported.
        self.slots.iter().enumerate().all(|(index, slot)| !slot.active || self.completed == Some(index))
    }

    /// Adds one fragment of a multi-sentence message. Messages given up on
    /// along the way are reported through `lost`, one call per line.
    pub(crate) fn add(
        &mut self,
        sentence: &Sentence<'_>,
        inherited: &Inherited<'_>,
        raw_line: &[u8],
        line_number: u64,
        lost: &mut dyn FnMut(LostLine<'_>),
    ) -> Added<'_> {
        if let Some(done) = self.completed.take() {
            self.slots[done].active = false;
        }
        let now = sentence.tag_block.receiver_time.or(sentence.trailer.receiver_time).or(inherited.receiver_time);
        self.expire(line_number, now, lost);
        let source = sentence.tag_block.source.or(inherited.source).map(str::as_bytes);

        let found = self.slots.iter().position(|slot| slot.matches(sentence, source));
        let index = if sentence.fragment_number == 1 {
            if let Some(stale) = found {
                // A new first fragment for a key still waiting: the old
                // message lost its remaining fragments.
                self.evict(stale, lost);
            }
            let index = self.free_slot(lost);
            self.start(index, sentence, inherited, source, line_number, now);
            index
        } else {
            match found {
                Some(index) => index,
                None => return Added::Rejected(RejectReason::OrphanFragment),
            }
        };

        let bit = 1u16 << sentence.fragment_number;
        if self.slots[index].received_mask & bit != 0 {
            return Added::Rejected(RejectReason::DuplicateFragment);
        }
        if self.slots[index].payload.len() + sentence.payload.len() > crate::bits::MAX_MESSAGE_BITS / 6 + 1 {
            self.evict(index, lost);
            return Added::Rejected(RejectReason::PayloadTooLong);
        }
        let slot = &mut self.slots[index];
        let payload_start = slot.payload.len() as u32;
        slot.payload.extend_from_slice(sentence.payload);
        let raw_start = slot.raw_lines.len() as u32;
        slot.raw_lines.extend_from_slice(raw_line);
        slot.parts[usize::from(sentence.fragment_number - 1)] = Part {
            line_number,
            payload: (payload_start, sentence.payload.len() as u32),
            raw: (raw_start, raw_line.len() as u32),
        };
        slot.received_mask |= bit;
        slot.checksums_ok &= sentence.checksum_ok && sentence.tag_block.checksum_ok;
        if sentence.fragment_number == slot.fragment_count {
            slot.fill_bits = sentence.fill_bits;
        }
        if !slot.complete() {
            return Added::Pending;
        }

        self.joined.clear();
        for &Part { payload: (start, len), .. } in &slot.parts[..usize::from(slot.fragment_count)] {
            self.joined.extend_from_slice(&slot.payload[start as usize..(start + len) as usize]);
        }
        self.completed = Some(index);
        Added::Complete(Assembled {
            payload: &self.joined,
            fill_bits: slot.fill_bits,
            first_line: slot.first_line,
            fragments: slot.fragment_count,
            checksums_ok: slot.checksums_ok,
            meta: &slot.meta,
        })
    }

    /// The raw lines of the message completed by the last `add` (to report
    /// them when the assembled payload turns out unusable).
    pub(crate) fn completed_lines(&self) -> impl Iterator<Item = (u64, &[u8])> {
        self.completed.into_iter().flat_map(move |index| {
            let slot = &self.slots[index];
            slot.parts[..usize::from(slot.fragment_count)].iter().map(move |part| {
                (part.line_number, &slot.raw_lines[part.raw.0 as usize..(part.raw.0 + part.raw.1) as usize])
            })
        })
    }

    /// Gives up on every pending message (end of input).
    pub(crate) fn flush(&mut self, lost: &mut dyn FnMut(LostLine<'_>)) {
        if let Some(done) = self.completed.take() {
            self.slots[done].active = false;
        }
        for index in 0..self.slots.len() {
            if self.slots[index].active {
                self.evict(index, lost);
            }
        }
    }

    fn start(
        &mut self,
        index: usize,
        s: &Sentence<'_>,
        inherited: &Inherited<'_>,
        source: Option<&[u8]>,
        line_number: u64,
        now: Option<Timestamp>,
    ) {
        let slot = &mut self.slots[index];
        slot.active = true;
        slot.talker = s.talker;
        slot.own_ship = s.own_ship;
        slot.channel = s.channel;
        slot.sequence_id = s.sequence_id;
        slot.fragment_count = s.fragment_count;
        slot.group_id = s.tag_block.group.map(|g| g.id);
        slot.source.clear();
        slot.has_source = source.is_some();
        slot.source.extend_from_slice(source.unwrap_or_default());
        slot.first_line = line_number;
        slot.first_time = now;
        slot.received_mask = 0;
        slot.fill_bits = 0;
        slot.checksums_ok = true;
        slot.payload.clear();
        slot.raw_lines.clear();
        let meta = &mut slot.meta;
        meta.talker = s.talker;
        meta.own_ship = s.own_ship;
        meta.channel = s.channel;
        (meta.receiver_time, meta.time_source) = receiver_time(s, inherited);
        meta.has_source = set_owned(&mut meta.source, s.tag_block.source.or(inherited.source));
        meta.has_station = set_owned(&mut meta.station, s.trailer.station.or(inherited.station));
    }

    /// An inactive slot, growing the table up to its bound, else the oldest
    /// pending message's slot after giving that message up.
    fn free_slot(&mut self, lost: &mut dyn FnMut(LostLine<'_>)) -> usize {
        if let Some(index) = self.slots.iter().position(|s| !s.active) {
            return index;
        }
        if self.slots.len() < self.config.max_pending.max(1) {
            self.slots.push(Slot::default());
            return self.slots.len() - 1;
        }
        let oldest = (0..self.slots.len()).min_by_key(|&i| self.slots[i].first_line).unwrap_or(0);
        self.evict(oldest, lost);
        oldest
    }

    fn expire(&mut self, line_number: u64, now: Option<Timestamp>, lost: &mut dyn FnMut(LostLine<'_>)) {
        for index in 0..self.slots.len() {
            let slot = &self.slots[index];
            if !slot.active {
                continue;
            }
            let too_many_lines = line_number.saturating_sub(slot.first_line) > self.config.max_line_gap;
            let too_old = match (slot.first_time, now) {
                (Some(first), Some(now)) => now.ms_since(first) > self.config.timeout_ms,
                _ => false,
            };
            if too_many_lines || too_old {
                self.evict(index, lost);
            }
        }
    }

    fn evict(&mut self, index: usize, lost: &mut dyn FnMut(LostLine<'_>)) {
        let slot = &mut self.slots[index];
        slot.active = false;
        let mut parts: Vec<(u64, (u32, u32))> = Vec::new();
        for n in 1..=slot.fragment_count {
            if slot.received_mask & (1 << n) != 0 {
                let part = slot.parts[usize::from(n - 1)];
                parts.push((part.line_number, part.raw));
            }
        }
        // Report in input order.
        parts.sort_unstable_by_key(|p| p.0);
        for (line_number, (start, len)) in parts {
            lost(LostLine {
                line_number,
                line: &slot.raw_lines[start as usize..(start + len) as usize],
                reason: RejectReason::IncompleteMessage,
            });
        }
    }
}

/// The receiver time of a sentence: its tag block `c:`, else a time after
/// its checksum, else one inherited from a preceding line.
pub(crate) fn receiver_time(s: &Sentence<'_>, inherited: &Inherited<'_>) -> (Option<Timestamp>, Option<TimeSource>) {
    if let Some(t) = s.tag_block.receiver_time {
        (Some(t), Some(TimeSource::TagBlock))
    } else if let Some(t) = s.trailer.receiver_time {
        (Some(t), s.trailer.time_source)
    } else {
        (inherited.receiver_time, inherited.time_source)
    }
}

/// Copies `value` into the reused buffer; returns whether there was one.
fn set_owned(target: &mut String, value: Option<&str>) -> bool {
    target.clear();
    if let Some(v) = value {
        target.push_str(v);
    }
    value.is_some()
}
