//! Sorting a committed batch's rows into the order parts keep: by day, then
//! as the archive keeps rows (MMSI, time, origin).
//!
//! A bulk batch is ~2 million rows of ~100 bytes, 200 MB: far larger than
//! the caches. Sorting small keys and then moving each row to its place once
//! is cheap in comparisons, but the move reads rows in key order — one cache
//! and TLB miss a row, which measured about 130 ns a row on the global day
//! (17 of its 110 CPU-seconds). So rows are first dealt into buckets by
//! (day, MMSI range) in one streaming pass, which keeps about a thousand
//! write positions warm; each bucket (a few hundred kB) then fits in the
//! cache, where the key sort's moves are cheap.

use crate::archive::day_of;
use crate::rows::PositionRow;
use tumen_model::Timestamp;

/// Buckets per day: MMSI ranges of equal width between the batch's least
/// and greatest MMSI. With 2 million rows of ~50,000 vessels a bucket holds
/// ~2,000 rows (~200 kB): well within a core's 2 MB cache.
const MMSI_BUCKETS_PER_DAY: u64 = 1024;

/// Batches spanning more days than this take the one-level sort (a CSV
/// export of a month, out of order): buckets would outnumber rows.
const MAX_BUCKETED_DAYS: i64 = 4;

/// A bucket may keep this many rows' space for the next batch, used or not.
const MIN_KEPT_BUCKET_ROWS: usize = 4096;

/// Space [`sort_rows_by_day`] reuses from one batch to the next.
#[derive(Default)]
pub(crate) struct SortScratch {
    keys: Vec<(u128, u32)>,
    /// Keys of [`sort_bucket`]'s 64-bit form.
    short_keys: Vec<u64>,
    /// Rows by (day, MMSI range); see [`PackedRange::bucket`].
    buckets: Vec<Vec<PositionRow>>,
    /// Rows in key order, for batches that are not bucketed.
    gathered: Vec<PositionRow>,
}

/// Sorts by day first, then as the archive keeps rows.
pub(crate) fn sort_rows_by_day(rows: &mut Vec<PositionRow>, scratch: &mut SortScratch) {
    if rows.is_empty() {
        return;
    }
    match PackedRange::of(rows) {
        Some(range) if range.days() <= MAX_BUCKETED_DAYS => sort_in_buckets(rows, &range, scratch),
        Some(_) => {
            packed_sort_keys(rows, &mut scratch.keys);
            move_in_order(scratch.keys.iter().map(|&(_, i)| i as usize), rows, &mut scratch.gathered);
            std::mem::swap(rows, &mut scratch.gathered);
            scratch.gathered.clear();
        }
        None => rows.sort_unstable_by_key(|r| (day_of(r.time), r.mmsi, r.time, r.origin)),
    }
}

/// Deals the rows into (day, MMSI range) buckets, then sorts each bucket by
/// packed key and moves its rows back into `rows` in that order. Buckets
/// follow the key's order, so the result is the whole batch in key order.
fn sort_in_buckets(rows: &mut Vec<PositionRow>, range: &PackedRange, scratch: &mut SortScratch) {
    let buckets = range.days() as usize * MMSI_BUCKETS_PER_DAY as usize;
    if scratch.buckets.len() < buckets {
        scratch.buckets.resize_with(buckets, Vec::new);
    }
    // Pushed, not assigned into place: assigning would first read (to drop)
    // what the slot held, a cache miss a row.
    for row in rows.drain(..) {
        scratch.buckets[range.bucket(&row) as usize].push(row);
    }
    let mut buckets = std::mem::take(&mut scratch.buckets);
    for bucket in &mut buckets {
        let used = bucket.len();
        if used > 0 {
            sort_bucket(bucket, range.lines_ascending, scratch, rows);
            bucket.clear();
        }
        // A bucket keeps its space for the next batch, which likely fills
        // it alike — but not more than twice what this batch needed, so
        // batches that fill different buckets (a file sorted by vessel)
        // do not each leave their space behind.
        if bucket.capacity() > 2 * used + MIN_KEPT_BUCKET_ROWS {
            bucket.shrink_to(used);
        }
    }
    scratch.buckets = buckets;
}

/// Moves one bucket's rows onto the end of `to` in key order. A bucket's
/// rows share a day and lie within ~1/1000 of the batch's MMSIs, so its
/// key mostly fits 64 bits — MMSI from the bucket's least 20 bits, the
/// millisecond of the day 27, the row's place in the bucket 17 — which
/// sort faster than the full 128-bit key. The place stands for the line
/// when lines ascend (rows are dealt in the order they came).
fn sort_bucket(
    bucket: &mut [PositionRow],
    lines_ascending: bool,
    scratch: &mut SortScratch,
    to: &mut Vec<PositionRow>,
) {
    let least = bucket.iter().map(|r| r.mmsi.0).min().unwrap_or(0);
    let greatest = bucket.iter().map(|r| r.mmsi.0).max().unwrap_or(0);
    if !(lines_ascending && greatest - least < 1 << 20 && bucket.len() <= 1 << 17) {
        packed_sort_keys(bucket, &mut scratch.keys);
        move_in_order(scratch.keys.iter().map(|&(_, i)| i as usize), bucket, to);
        return;
    }
    scratch.short_keys.clear();
    scratch.short_keys.extend(
        bucket
            .iter()
            .zip(0u64..)
            .map(|(row, place)| u64::from(row.mmsi.0 - least) << 44 | (ms_of_day(row.time) as u64) << 17 | place),
    );
    scratch.short_keys.sort_unstable();
    move_in_order(scratch.short_keys.iter().map(|&key| (key & 0x1_ffff) as usize), bucket, to);
}

/// Moves `from`'s rows onto the end of `to`, the row at each index of
/// `order` in turn (each index once).
fn move_in_order(order: impl Iterator<Item = usize>, from: &mut [PositionRow], to: &mut Vec<PositionRow>) {
    to.reserve(from.len());
    to.extend(order.map(|i| std::mem::replace(&mut from[i], PositionRow::vacant())));
}

/// Milliseconds since the start of `time`'s UTC day.
fn ms_of_day(time: Timestamp) -> i64 {
    time.unix_ms() - day_of(time) * 86_400_000
}

/// What a batch spans, when every row fits a packed key (see
/// [`packed_sort_keys`]); `None` when one does not or the rows come from
/// more than one source.
struct PackedRange {
    first_day: i64,
    last_day: i64,
    least_mmsi: u32,
    greatest_mmsi: u32,
    /// Each row's line is at least the one before's (as a file's rows
    /// come): rows of equal MMSI and time are then in line order already.
    lines_ascending: bool,
    /// 2^32 · buckets per day / MMSI width: a bucket by a multiplication
    /// and a shift instead of a division.
    bucket_scale: u64,
}

impl PackedRange {
    fn of(rows: &[PositionRow]) -> Option<PackedRange> {
        let source = rows.first().map_or(0, |r| r.origin.source_id);
        if u32::try_from(rows.len()).is_err() {
            return None;
        }
        let mut range = PackedRange {
            first_day: i64::MAX,
            last_day: i64::MIN,
            least_mmsi: u32::MAX,
            greatest_mmsi: 0,
            lines_ascending: true,
            bucket_scale: 0,
        };
        let mut last_line = 0;
        for row in rows {
            let day = day_of(row.time);
            if row.origin.source_id != source
                || !(0..1 << 17).contains(&day)
                || row.mmsi.0 >= 1 << 30
                || row.origin.line >= 1 << 54
            {
                return None;
            }
            range.first_day = range.first_day.min(day);
            range.last_day = range.last_day.max(day);
            range.least_mmsi = range.least_mmsi.min(row.mmsi.0);
            range.greatest_mmsi = range.greatest_mmsi.max(row.mmsi.0);
            range.lines_ascending &= row.origin.line >= last_line;
            last_line = row.origin.line;
        }
        let width = u64::from(range.greatest_mmsi.saturating_sub(range.least_mmsi)) + 1;
        range.bucket_scale = (MMSI_BUCKETS_PER_DAY << 32) / width;
        Some(range)
    }

    fn days(&self) -> i64 {
        (self.last_day - self.first_day + 1).max(1)
    }

    /// Monotone in (day, MMSI), as the packed key is. The MMSI's bucket
    /// is below [`MMSI_BUCKETS_PER_DAY`] (at most (width − 1) · scale / 2^32),
    /// and the product below 2^42.
    fn bucket(&self, row: &PositionRow) -> u32 {
        let day = (day_of(row.time) - self.first_day) as u64;
        let mmsi_bucket = (u64::from(row.mmsi.0 - self.least_mmsi) * self.bucket_scale) >> 32;
        (day * MMSI_BUCKETS_PER_DAY + mmsi_bucket) as u32
    }
}

/// Fills `keys` with (day, mmsi, time, line) packed into a `u128` that
/// orders as the tuple does — day 17 bits, MMSI 30, millisecond of the day
/// 27, line 54 — with each row's index, sorted. The rows must fit
/// ([`PackedRange::of`] said so): one source, a day within 1970–2328, a
/// line below 2^54, fewer than 2^32 rows.
fn packed_sort_keys(rows: &[PositionRow], keys: &mut Vec<(u128, u32)>) {
    keys.clear();
    keys.extend(rows.iter().zip(0u32..).map(|(row, index)| {
        let key = (day_of(row.time) as u128) << 111
            | u128::from(row.mmsi.0) << 81
            | (ms_of_day(row.time) as u128) << 54
            | u128::from(row.origin.line);
        (key, index)
    }));
    keys.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::PositionRow;
    use crate::rows::test_rows::row;

    fn by_comparator(rows: &mut [PositionRow]) {
        rows.sort_by_key(|r| (day_of(r.time), r.mmsi, r.time, r.origin));
    }

    /// A deterministic scramble over `days`, MMSIs, times and lines,
    /// including equal times and the ends of each field's range.
    fn scrambled(days: &[i64], count: usize) -> Vec<PositionRow> {
        let mut state = 12_345u64;
        let mut next = |n: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (state >> 33) % n
        };
        (0..count)
            .map(|_| {
                let day = days[next(days.len() as u64) as usize];
                let ms = day * 86_400_000 + [0, 86_399_999, next(86_400_000) as i64][next(3) as usize];
                let mmsi = [0, 273_000_001, 273_000_002, 999_999_999, next(1 << 30) as u32][next(5) as usize];
                row(mmsi, ms, 7, [1, (1 << 54) - 1, next(1 << 40)][next(3) as usize])
            })
            .collect()
    }

    fn sorts_as_the_tuple_does(mut rows: Vec<PositionRow>) {
        let mut expected = rows.clone();
        by_comparator(&mut expected);
        // Twice with one scratch: what the first batch leaves must not
        // matter to the second.
        let mut scratch = SortScratch::default();
        for _ in 0..2 {
            let mut sorted = rows.clone();
            sort_rows_by_day(&mut sorted, &mut scratch);
            assert_eq!(sorted, expected);
        }
        rows.clear();
        sort_rows_by_day(&mut rows, &mut scratch);
        assert!(rows.is_empty());
    }

    #[test]
    fn the_bucketed_sort_orders_as_the_tuple_does() {
        // Across midnight: two days' buckets; lines in no order (128-bit
        // keys in each bucket).
        let rows = scrambled(&[19_600, 19_601], 20_000);
        let range = PackedRange::of(&rows).unwrap();
        assert!(range.days() <= MAX_BUCKETED_DAYS && !range.lines_ascending);
        sorts_as_the_tuple_does(rows.clone());
        // The same rows as a file gives them, lines ascending (64-bit keys
        // where a bucket's MMSIs are close; equal MMSI and time abound).
        let mut in_line_order = rows;
        in_line_order.sort_by_key(|r| r.origin.line);
        assert!(PackedRange::of(&in_line_order).unwrap().lines_ascending);
        sorts_as_the_tuple_does(in_line_order);
        // One vessel only: one MMSI, every row in one bucket, times repeating.
        sorts_as_the_tuple_does((0..3_000).map(|i| row(273_000_001, (i * 7_919) % 500, 3, i as u64)).collect());
        // A bucket too big for the 64-bit key's place.
        sorts_as_the_tuple_does((0..140_000).map(|i| row(273_000_001, (i * 7_919) % 90_000, 3, i as u64)).collect());
    }

    #[test]
    fn the_packed_key_sort_orders_as_the_tuple_does() {
        // Days far apart (and the ends of the packed day's range): the
        // one-level sort.
        let rows = scrambled(&[0, 19_600, 19_601, (1 << 17) - 1], 5_000);
        assert!(PackedRange::of(&rows).is_some_and(|r| r.days() > MAX_BUCKETED_DAYS));
        sorts_as_the_tuple_does(rows);
    }

    #[test]
    fn rows_that_do_not_pack_take_the_comparison_sort() {
        // Rows of two sources.
        let mixed = vec![row(5, 10, 2, 1), row(5, 10, 1, 9), row(4, 10, 2, 3)];
        assert!(PackedRange::of(&mixed).is_none());
        sorts_as_the_tuple_does(mixed);
        // A time before 1970.
        let early = vec![row(5, -10, 2, 1), row(4, 10, 2, 9)];
        assert!(PackedRange::of(&early).is_none());
        sorts_as_the_tuple_does(early);
    }
}
