//! Identity fields of a batch, aggregated per (MMSI, field, value, UTC day)
//! as they arrive: a feed repeats a vessel's static data every few minutes
//! (CSV exports on every row), the registry keeps one row per day.
//!
//! This sits on ingest's hot path (a global day has ~4·10^7 identity
//! fields, each one lookup in a table of ~10^6 entries — memory, not cache),
//! so an entry lives in the hash table itself with its value inline when
//! short (as AIS text fields are): a repeated value costs one hash, two
//! cache misses and no allocation. Longer values (CSV exports) go to one
//! string, end to end.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};
use tumen_model::{Mmsi, Timestamp};

use crate::archive::day_of;
use crate::rows::{Origin, StaticField, StaticRow};

#[derive(Debug, Default)]
pub struct StaticBatch {
    entries: HashTable<Entry>,
    /// Values too long to keep inline, end to end.
    long_text: String,
    hasher: DefaultHashBuilder,
    reports: u64,
}

/// Values up to this many bytes are kept in the entry (AIS names and
/// destinations are 20 characters, call signs 7).
const INLINE_TEXT_BYTES: usize = 24;

#[derive(Clone, Copy, Debug)]
struct Entry {
    hash: u64,
    mmsi: u32,
    field: StaticField,
    day: i64,
    text: Text,
    aggregate: StaticAggregate,
}

/// Where an entry's value is.
#[derive(Clone, Copy, Debug)]
enum Text {
    Inline { len: u8, bytes: [u8; INLINE_TEXT_BYTES] },
    Long { start: usize, len: usize },
}

impl Entry {
    fn text<'a>(&'a self, long_text: &'a str) -> &'a str {
        match &self.text {
            // Inline bytes were copied from a `&str` whole.
            Text::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Text::Long { start, len } => &long_text[*start..][..*len],
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
        let hash = self.hash_of(mmsi, field, day, value);
        let long_text = &self.long_text;
        let found = self.entries.find_mut(hash, |e| {
            e.hash == hash && e.mmsi == mmsi && e.field == field && e.day == day && e.text(long_text) == value
        });
        if let Some(e) = found {
            let a = &mut e.aggregate;
            a.first = a.first.min(aggregate.first);
            a.last = a.last.max(aggregate.last);
            a.reports += aggregate.reports;
            return;
        }
        let text = if value.len() <= INLINE_TEXT_BYTES {
            let mut bytes = [0u8; INLINE_TEXT_BYTES];
            bytes[..value.len()].copy_from_slice(value.as_bytes());
            Text::Inline { len: value.len() as u8, bytes }
        } else {
            let start = self.long_text.len();
            self.long_text.push_str(value);
            Text::Long { start, len: value.len() }
        };
        let entry = Entry { hash, mmsi, field, day, text, aggregate };
        self.entries.insert_unique(hash, entry, |e| e.hash);
    }

    fn hash_of(&self, mmsi: u32, field: StaticField, day: i64, value: &str) -> u64 {
        self.hasher.hash_one((mmsi, field, day, value))
    }

    /// Reports added.
    pub fn reports(&self) -> u64 {
        self.reports
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Distinct (MMSI, field, value, day) entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The entries in key order.
    pub(crate) fn sorted(&self) -> Vec<(StaticKey<'_>, StaticAggregate)> {
        let mut out: Vec<_> =
            self.entries.iter().map(|e| ((e.mmsi, e.field, e.text(&self.long_text), e.day), e.aggregate)).collect();
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
    fn an_overlong_value_is_cut_on_a_character_boundary() {
        let value = "é".repeat(40_000);
        let cut = truncate_to_u16_len(&value);
        assert!(cut.len() <= u16::MAX as usize && value.starts_with(cut));
    }
}
