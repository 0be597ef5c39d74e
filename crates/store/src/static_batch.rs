//! Identity fields of a batch, aggregated per (MMSI, field, value, UTC day)
//! as they arrive: a feed repeats a vessel's static data every few minutes
//! (CSV exports on every row), the registry keeps one row per day.
//!
//! This sits on ingest's hot path (a global day has ~4·10^7 identity
//! fields in ~6·10^6 messages, against ~10^6 entries — memory, not cache),
//! so the table is keyed by (MMSI, day) and holds each vessel-day's entries
//! together, values inline when short (as AIS text fields are): the fields
//! of one message (a type 5 has eight) cost one hash of two numbers and one
//! cache miss between them, then a short scan of memory already at hand —
//! where a table keyed by the whole (MMSI, field, value, day) missed the
//! cache once per field. Longer values (CSV exports) go to one string, end
//! to end.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};
use tumen_model::{Mmsi, Timestamp};

use crate::archive::day_of;
use crate::rows::{Origin, StaticField, StaticRow};

#[derive(Debug, Default)]
pub struct StaticBatch {
    /// Indexes into `vessel_days`, by (MMSI, day).
    index: HashTable<usize>,
    vessel_days: Vec<VesselDay>,
    /// The vessel-day of the last field added: the next field is most
    /// often of the same message.
    last: Option<usize>,
    /// Values too long to keep inline, end to end.
    long_text: String,
    hasher: DefaultHashBuilder,
    reports: u64,
    entries: usize,
}

/// Values up to this many bytes are kept in the entry (AIS names and
/// destinations are 20 characters, call signs 7).
const INLINE_TEXT_BYTES: usize = 24;

/// One vessel's entries of one day.
#[derive(Debug)]
struct VesselDay {
    mmsi: u32,
    day: i64,
    entries: Vec<Entry>,
    /// Indexes into `entries` by (field, value), once there are more than
    /// [`SCANNED_ENTRIES`]: a vessel sending ever new values (a spoofer, a
    /// noisy export) must not make each lookup a long scan.
    by_value: Option<HashTable<usize>>,
}

/// A vessel-day with at most this many entries is searched by a scan.
const SCANNED_ENTRIES: usize = 32;

#[derive(Clone, Copy, Debug)]
struct Entry {
    field: StaticField,
    text: Text,
    aggregate: StaticAggregate,
}

/// Where an entry's value is.
#[derive(Clone, Copy, Debug)]
enum Text {
    Inline { len: u8, bytes: [u8; INLINE_TEXT_BYTES] },
    Long { start: usize, len: usize },
}

impl Text {
    fn as_str<'a>(&'a self, long_text: &'a str) -> &'a str {
        match self {
            // Inline bytes were copied from a `&str` whole.
            Text::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Text::Long { start, len } => &long_text[*start..][..*len],
        }
    }

    fn is(&self, value: &str, long_text: &str) -> bool {
        match self {
            Text::Inline { len, bytes } => &bytes[..usize::from(*len)] == value.as_bytes(),
            Text::Long { start, len } => *len == value.len() && &long_text[*start..][..*len] == value,
        }
    }
}

/// What the reports of one (MMSI, field, value, day) add up to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StaticAggregate {
    /// Earliest report: (time ms, source id, line) — the evidence.
    pub first: (i64, u32, u64),
    pub last: i64,
    pub reports: u64,
}

impl StaticAggregate {
    fn add(&mut self, other: StaticAggregate) {
        self.first = self.first.min(other.first);
        self.last = self.last.max(other.last);
        self.reports += other.reports;
    }
}

/// An entry's key, as [`StaticBatch::sorted`] gives it.
pub(crate) type StaticKey<'a> = (u32, StaticField, &'a str, i64);

impl StaticBatch {
    pub fn add(&mut self, row: &StaticRow) {
        self.add_parts(row.mmsi, row.time, row.field, &row.value, row.origin);
    }

    /// [`StaticBatch::add`] without building a row.
    pub fn add_parts(&mut self, mmsi: Mmsi, time: Timestamp, field: StaticField, value: &str, origin: Origin) {
        self.reports += 1;
        let t = time.unix_ms();
        let aggregate = StaticAggregate { first: (t, origin.source_id, origin.line), last: t, reports: 1 };
        self.merge(mmsi.0, field, day_of(time), value, aggregate);
    }

    /// Adds `aggregate` to the entry of (mmsi, field, day, value), making
    /// it if new.
    fn merge(&mut self, mmsi: u32, field: StaticField, day: i64, value: &str, aggregate: StaticAggregate) {
        let at = self.vessel_day(mmsi, day);
        let (hasher, long_text) = (&self.hasher, &mut self.long_text);
        let VesselDay { entries, by_value, .. } = &mut self.vessel_days[at];
        let is_it = |e: &Entry, long_text: &str| e.field == field && e.text.is(value, long_text);
        let found = match by_value {
            None => entries.iter().position(|e| is_it(e, long_text)),
            Some(index) => {
                let hash = hasher.hash_one((field, value));
                index.find(hash, |&i| is_it(&entries[i], long_text)).copied()
            }
        };
        if let Some(i) = found {
            entries[i].aggregate.add(aggregate);
            return;
        }
        let text = if value.len() <= INLINE_TEXT_BYTES {
            let mut bytes = [0u8; INLINE_TEXT_BYTES];
            bytes[..value.len()].copy_from_slice(value.as_bytes());
            Text::Inline { len: value.len() as u8, bytes }
        } else {
            let start = long_text.len();
            long_text.push_str(value);
            Text::Long { start, len: value.len() }
        };
        entries.push(Entry { field, text, aggregate });
        self.entries += 1;
        let key_hash = |e: &Entry| hasher.hash_one((e.field, e.text.as_str(long_text)));
        match by_value {
            Some(index) => {
                let last = entries.len() - 1;
                index.insert_unique(key_hash(&entries[last]), last, |&i| key_hash(&entries[i]));
            }
            None if entries.len() > SCANNED_ENTRIES => {
                let mut index = HashTable::with_capacity(entries.len() * 2);
                for (i, e) in entries.iter().enumerate() {
                    index.insert_unique(key_hash(e), i, |&j| key_hash(&entries[j]));
                }
                *by_value = Some(index);
            }
            None => {}
        }
    }

    /// The index of (mmsi, day)'s vessel-day, made if new.
    fn vessel_day(&mut self, mmsi: u32, day: i64) -> usize {
        if let Some(last) = self.last {
            let v = &self.vessel_days[last];
            if v.mmsi == mmsi && v.day == day {
                return last;
            }
        }
        let hash = self.hasher.hash_one((mmsi, day));
        let vessel_days = &self.vessel_days;
        let at = match self.index.find(hash, |&i| vessel_days[i].mmsi == mmsi && vessel_days[i].day == day) {
            Some(&i) => i,
            None => {
                let i = self.vessel_days.len();
                self.vessel_days.push(VesselDay { mmsi, day, entries: Vec::new(), by_value: None });
                let (hasher, vessel_days) = (&self.hasher, &self.vessel_days);
                self.index.insert_unique(hash, i, |&j| hasher.hash_one((vessel_days[j].mmsi, vessel_days[j].day)));
                i
            }
        };
        self.last = Some(at);
        at
    }

    /// Reports added.
    pub fn reports(&self) -> u64 {
        self.reports
    }

    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Distinct (MMSI, field, value, day) entries held.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// The entries in key order.
    pub(crate) fn sorted(&self) -> Vec<(StaticKey<'_>, StaticAggregate)> {
        let mut out: Vec<_> = self
            .vessel_days
            .iter()
            .flat_map(|v| {
                v.entries.iter().map(|e| ((v.mmsi, e.field, e.text.as_str(&self.long_text), v.day), e.aggregate))
            })
            .collect();
        out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// A compact binary form, for a checkpoint to carry entries not yet
    /// committed: per entry MMSI, field, day, value, first, last, reports.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.reports).to_le_bytes());
        for ((mmsi, field, value, day), a) in self.sorted() {
            out.extend_from_slice(&mmsi.to_le_bytes());
            out.push(StaticField::ALL.iter().position(|f| *f == field).unwrap_or(0) as u8);
            out.extend_from_slice(&day.to_le_bytes());
            let value = truncate_to_u16_len(value);
            out.extend_from_slice(&(value.len() as u16).to_le_bytes());
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(&a.first.0.to_le_bytes());
            out.extend_from_slice(&a.first.1.to_le_bytes());
            out.extend_from_slice(&a.first.2.to_le_bytes());
            out.extend_from_slice(&a.last.to_le_bytes());
            out.extend_from_slice(&a.reports.to_le_bytes());
        }
    }

    /// Reads [`StaticBatch::encode`]'s form; `None` if it is damaged.
    pub fn decode(mut bytes: &[u8]) -> Option<StaticBatch> {
        fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
            let (head, rest) = bytes.split_at_checked(n)?;
            *bytes = rest;
            Some(head)
        }
        fn u64_of(bytes: &mut &[u8]) -> Option<u64> {
            Some(u64::from_le_bytes(take(bytes, 8)?.try_into().ok()?))
        }
        let mut batch = StaticBatch { reports: u64_of(&mut bytes)?, ..StaticBatch::default() };
        while !bytes.is_empty() {
            let mmsi = u32::from_le_bytes(take(&mut bytes, 4)?.try_into().ok()?);
            let field = *StaticField::ALL.get(usize::from(take(&mut bytes, 1)?[0]))?;
            let day = u64_of(&mut bytes)? as i64;
            let len = usize::from(u16::from_le_bytes(take(&mut bytes, 2)?.try_into().ok()?));
            let value = std::str::from_utf8(take(&mut bytes, len)?).ok()?;
            let first_time = u64_of(&mut bytes)? as i64;
            let source = u32::from_le_bytes(take(&mut bytes, 4)?.try_into().ok()?);
            let line = u64_of(&mut bytes)?;
            let last = u64_of(&mut bytes)? as i64;
            let reports = u64_of(&mut bytes)?;
            batch.merge(mmsi, field, day, value, StaticAggregate { first: (first_time, source, line), last, reports });
        }
        Some(batch)
    }
}

/// The longest prefix of `value` whose length fits a `u16`, cut on a
/// character boundary (identity fields are short; this only guards the
/// binary form).
fn truncate_to_u16_len(value: &str) -> &str {
    let mut end = value.len().min(u16::MAX as usize);
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    &value[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_unix_ms(ms)
    }

    #[test]
    fn static_batch_aggregates_per_day_and_survives_its_binary_form() {
        let mut batch = StaticBatch::default();
        let origin = |line| Origin { source_id: 3, line };
        batch.add_parts(Mmsi(273_000_001), at(1_000), StaticField::Name, "ANGARA", origin(7));
        batch.add_parts(Mmsi(273_000_001), at(500), StaticField::Name, "ANGARA", origin(9));
        batch.add_parts(Mmsi(273_000_001), at(86_400_500), StaticField::Name, "ANGARA", origin(11));
        batch.add_parts(Mmsi(273_000_001), at(2_000), StaticField::Name, "LADY R", origin(12));
        // Same value, another field or vessel: entries of their own.
        batch.add_parts(Mmsi(273_000_001), at(2_000), StaticField::Destination, "LADY R", origin(13));
        batch.add_parts(Mmsi(273_000_002), at(2_000), StaticField::Name, "LADY R", origin(14));
        assert_eq!((batch.len(), batch.reports()), (5, 6));
        let first = batch.sorted()[0];
        assert_eq!(first.0, (273_000_001, StaticField::Name, "ANGARA", 0));
        assert_eq!((first.1.first, first.1.last, first.1.reports), ((500, 3, 9), 1_000, 2));

        let mut bytes = Vec::new();
        batch.encode(&mut bytes);
        let back = StaticBatch::decode(&bytes).unwrap();
        assert_eq!(back.reports(), 6);
        assert_eq!(back.sorted(), batch.sorted());
        assert!(StaticBatch::decode(&bytes[..bytes.len() - 3]).is_none(), "a damaged form is refused");
    }

    #[test]
    fn many_entries_are_all_found_again() {
        let mut batch = StaticBatch::default();
        let origin = Origin { source_id: 1, line: 1 };
        for round in 0..2 {
            for mmsi in 0..20_000u32 {
                // Short values are kept inline, long ones apart: both found.
                let value = if mmsi % 2 == 0 {
                    format!("SHIP {}", mmsi % 977)
                } else {
                    format!("A VALUE LONGER THAN AN AIS FIELD {}", mmsi % 977)
                };
                batch.add_parts(Mmsi(mmsi), at(i64::from(round) * 1_000), StaticField::Name, &value, origin);
            }
        }
        assert_eq!((batch.len(), batch.reports()), (20_000, 40_000));
        assert!(batch.sorted().iter().all(|(_, a)| a.reports == 2 && a.last == 1_000));
    }

    #[test]
    fn a_vessel_with_many_values_in_a_day_keeps_each_once() {
        let mut batch = StaticBatch::default();
        let origin = Origin { source_id: 1, line: 1 };
        // Past the scanned entries the vessel-day is indexed: every value
        // is still found again, short and long, and fields stay apart.
        for round in 0..3 {
            for k in 0..500 {
                let value = if k % 3 == 0 { format!("PORT {k}") } else { format!("A DESTINATION LONGER THAN AIS {k}") };
                batch.add_parts(Mmsi(7), at(round * 10 + k), StaticField::Destination, &value, origin);
                batch.add_parts(Mmsi(7), at(round * 10 + k), StaticField::Name, &value, origin);
            }
        }
        assert_eq!((batch.len(), batch.reports()), (1_000, 3_000));
        assert!(batch.sorted().iter().all(|(_, a)| a.reports == 3));
    }

    #[test]
    fn an_overlong_value_is_cut_on_a_character_boundary() {
        let value = "é".repeat(40_000);
        let cut = truncate_to_u16_len(&value);
        assert!(cut.len() <= u16::MAX as usize && value.starts_with(cut));
    }
}
