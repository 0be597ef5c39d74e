//! The byte scans of sentence parsing, sixteen bytes at a time: `wide`'s
//! `u8x16` is SSE2 on x86-64, NEON on aarch64 and plain arrays elsewhere,
//! behind one safe interface.
//!
//! - [`scan_sentence`]: one pass over a sentence (or a tag block) computing
//!   its checksum and finding its commas and `*`.
//! - [`xor_all`], [`contains_comma_or_star`]: the checksum, and the check
//!   that a payload holds no field separator.
//!
//! Every line of a feed passes here twice (tag block and sentence): eight
//! bytes at a time in a `u64` took about a fifth of a global day's reading
//! thread; sixteen at a time with a compare-and-mask per separator takes
//! about a third of that.

use wide::u8x16;

const LANES: usize = 16;

/// `PREFIX_MASKS[16 - n..32 - n]` keeps the first `n` lanes of a vector.
const PREFIX_MASKS: [u8; 2 * LANES] = {
    let mut masks = [0u8; 2 * LANES];
    let mut i = 0;
    while i < LANES {
        masks[i] = 0xFF;
        i += 1;
    }
    masks
};

/// A vector whose first `n` lanes (at most 16) are all ones, the rest zero.
#[inline(always)]
fn first_lanes(n: usize) -> u8x16 {
    load(&PREFIX_MASKS, LANES - n)
}

/// The sixteen bytes at `at` (the caller checked the bounds).
#[inline(always)]
fn load(bytes: &[u8], at: usize) -> u8x16 {
    let lanes: [u8; LANES] = bytes[at..at + LANES].try_into().expect("16 bytes");
    u8x16::new(lanes)
}

/// Up to fifteen bytes, missing lanes zero (a zero byte matches no
/// separator and leaves a checksum as it is).
#[inline(always)]
fn load_short(bytes: &[u8]) -> u8x16 {
    let mut lanes = [0u8; LANES];
    lanes[..bytes.len()].copy_from_slice(bytes);
    u8x16::new(lanes)
}

/// One bit per lane equal to `byte`, lane 0 lowest.
#[inline(always)]
fn lanes_equal(v: u8x16, byte: u8) -> u32 {
    v.cmp_eq(u8x16::splat(byte)).move_mask() as u32 & 0xFFFF
}

#[inline(always)]
fn fold(acc: u8x16) -> u8 {
    let bytes = acc.to_array();
    let (low, high) = bytes.split_at(8);
    let word =
        u64::from_le_bytes(low.try_into().expect("8 bytes")) ^ u64::from_le_bytes(high.try_into().expect("8 bytes"));
    word.to_le_bytes().iter().fold(0, |a, b| a ^ b)
}

/// Where the structure of one `!…*hh` sentence is.
#[derive(Debug, Default)]
pub(crate) struct SentenceScan {
    /// Index of the `*` in the scanned bytes, if any.
    pub star: Option<usize>,
    /// XOR of the bytes before the `*` (the NMEA checksum of the body).
    pub xor: u8,
    /// Indexes of the first commas before the `*`.
    pub commas: [u16; 8],
    /// Number of commas before the `*` (may exceed `commas.len()`).
    pub comma_count: usize,
}

impl SentenceScan {
    /// Records the commas of `mask` (one bit a lane) of the vector at `base`.
    #[inline(always)]
    fn add_commas(&mut self, mut mask: u32, base: usize) {
        while mask != 0 {
            if let Some(slot) = self.commas.get_mut(self.comma_count) {
                // Callers refuse bodies longer than `u16::MAX` before scanning.
                *slot = (base + mask.trailing_zeros() as usize) as u16;
            }
            self.comma_count += 1;
            mask &= mask - 1;
        }
    }
}

/// Scans `body` (a sentence after its `!`, or a tag block) up to the first
/// `*`.
#[inline]
pub(crate) fn scan_sentence(body: &[u8]) -> SentenceScan {
    let mut scan = SentenceScan::default();
    let mut acc = u8x16::splat(0);
    // One vector starting at `base` whose lanes below `from` were seen
    // already; true once the `*` is found.
    let mut step = |scan: &mut SentenceScan, v: u8x16, base: usize, from: usize| -> bool {
        let unseen = 0xFFFF_u32 << from & 0xFFFF;
        let stars = lanes_equal(v, b'*') & unseen;
        let end = if stars == 0 { LANES } else { stars.trailing_zeros() as usize };
        // The lanes from `from` up to the star (or the end) count.
        let counted = unseen & ((1u32 << end) - 1);
        let keep = first_lanes(end) ^ first_lanes(from);
        acc ^= v & keep;
        scan.add_commas(lanes_equal(v, b',') & counted, base);
        if stars != 0 {
            scan.star = Some(base + end);
        }
        stars != 0
    };
    let mut at = 0;
    let mut found = false;
    while at + LANES <= body.len() && !found {
        found = step(&mut scan, load(body, at), at, 0);
        at += LANES;
    }
    if !found && at < body.len() {
        if body.len() >= LANES {
            // The last sixteen bytes, of which those before `at` were seen.
            let base = body.len() - LANES;
            step(&mut scan, load(body, base), base, at - base);
        } else {
            step(&mut scan, load_short(body), 0, 0);
        }
    }
    scan.xor = fold(acc);
    scan
}

/// True when `bytes` holds a `,` or a `*`.
#[inline]
pub(crate) fn contains_comma_or_star(bytes: &[u8]) -> bool {
    let hit = |v: u8x16| lanes_equal(v, b',') | lanes_equal(v, b'*') != 0;
    if bytes.len() < LANES {
        return hit(load_short(bytes));
    }
    let mut at = 0;
    while at + LANES <= bytes.len() {
        if hit(load(bytes, at)) {
            return true;
        }
        at += LANES;
    }
    // The last bytes: one more vector, overlapping the previous one.
    at != bytes.len() && hit(load(bytes, bytes.len() - LANES))
}

/// XOR of all bytes (the NMEA checksum), sixteen at a time.
#[inline]
pub(crate) fn xor_all(bytes: &[u8]) -> u8 {
    if bytes.len() < LANES {
        return fold(load_short(bytes));
    }
    let mut acc = u8x16::splat(0);
    let mut at = 0;
    while at + LANES <= bytes.len() {
        acc ^= load(bytes, at);
        at += LANES;
    }
    if at < bytes.len() {
        // The last sixteen bytes, without those seen already.
        let base = bytes.len() - LANES;
        acc ^= load(bytes, base) & (first_lanes(LANES) ^ first_lanes(at - base));
    }
    fold(acc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn scan_slowly(body: &[u8]) -> (Option<usize>, u8, Vec<usize>) {
        let star = body.iter().position(|&b| b == b'*');
        let end = star.unwrap_or(body.len());
        let xor = body[..end].iter().fold(0, |a, b| a ^ b);
        let commas = (0..end).filter(|&i| body[i] == b',').collect();
        (star, xor, commas)
    }

    proptest! {
        #[test]
        fn scan_matches_a_byte_loop(body in proptest::collection::vec(prop_oneof![Just(b','), Just(b'*'), any::<u8>()], 0..100)) {
            let scan = scan_sentence(&body);
            let (star, xor, commas) = scan_slowly(&body);
            prop_assert_eq!(scan.star, star);
            prop_assert_eq!(scan.xor, xor);
            prop_assert_eq!(scan.comma_count, commas.len());
            for (i, c) in commas.iter().take(8).enumerate() {
                prop_assert_eq!(usize::from(scan.commas[i]), *c);
            }
        }

        #[test]
        fn helpers_match_byte_loops(bytes in proptest::collection::vec(prop_oneof![Just(b','), Just(b'*'), any::<u8>()], 0..60)) {
            prop_assert_eq!(xor_all(&bytes), bytes.iter().fold(0, |a, b| a ^ b));
            prop_assert_eq!(contains_comma_or_star(&bytes), bytes.iter().any(|&b| b == b',' || b == b'*'));
        }
    }

    #[test]
    fn every_length_and_star_place_up_to_three_vectors() {
        // Each length 0..=48, the star (or none) at each place, a comma
        // before and after it: the vector seams and the overlapping tail.
        for len in 0..=48usize {
            for star in (0..len).map(Some).chain([None]) {
                let mut body: Vec<u8> = (0..len).map(|i| b'A' + (i % 26) as u8).collect();
                if let Some(s) = star {
                    body[s] = b'*';
                    if s > 0 {
                        body[s - 1] = b',';
                    }
                    if s + 1 < len {
                        body[s + 1] = b',';
                    }
                }
                let scan = scan_sentence(&body);
                let (expected_star, xor, commas) = scan_slowly(&body);
                assert_eq!(
                    (scan.star, scan.xor, scan.comma_count),
                    (expected_star, xor, commas.len()),
                    "{len} {star:?}"
                );
                assert_eq!(xor_all(&body), body.iter().fold(0, |a, b| a ^ b));
            }
        }
    }
}
