//! Eight bytes at a time in a `u64` ("SIMD within a register"): the byte
//! scans of sentence parsing, in safe, portable Rust.
//!
//! - [`scan_sentence`]: one pass over a sentence computing its checksum and
//!   finding its commas and `*`.
//! - [`xor_all`], [`contains_comma_or_star`]: the checksum, and the check
//!   that a payload holds no field separator.

const ONES: u64 = 0x0101_0101_0101_0101;
const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// High bit set in each byte of `word` equal to `byte` (exact: no false
/// positives next to a match).
#[inline(always)]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let t = word ^ (ONES * u64::from(byte));
    !(((t & LOWS) + LOWS) | t | LOWS)
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

/// Scans `body` (a sentence after its `!`) up to the first `*`.
#[inline]
pub(crate) fn scan_sentence(body: &[u8]) -> SentenceScan {
    let mut scan = SentenceScan::default();
    let mut acc = 0u64;
    // One word of up to eight bytes starting at `base` (missing lanes are
    // zero bytes, which match nothing); true once the `*` is found.
    let mut word_step = |scan: &mut SentenceScan, word: u64, base: usize| -> bool {
        let stars = bytes_equal(word, b'*');
        let mut commas = bytes_equal(word, b',');
        let keep = if stars == 0 {
            u64::MAX
        } else {
            // Only bytes before the star count.
            let star_lane = stars.trailing_zeros() / 8;
            scan.star = Some(base + star_lane as usize);
            if star_lane == 0 { 0 } else { u64::MAX >> (64 - 8 * star_lane) }
        };
        acc ^= word & keep;
        commas &= keep;
        while commas != 0 {
            if let Some(slot) = scan.commas.get_mut(scan.comma_count) {
                // Callers refuse bodies longer than `u16::MAX` before scanning.
                *slot = (base + (commas.trailing_zeros() / 8) as usize) as u16;
            }
            scan.comma_count += 1;
            commas &= commas - 1;
        }
        stars != 0
    };
    let mut at = 0;
    let mut found = false;
    while at + 8 <= body.len() && !found {
        found = word_step(&mut scan, word_at(body, at), at);
        at += 8;
    }
    let rest = body.len().saturating_sub(at);
    if !found && rest > 0 {
        // The last bytes: the final eight, shifted so the ones already seen
        // fall off, or the short body itself.
        let word = if body.len() >= 8 { word_at(body, body.len() - 8) >> (8 * (8 - rest)) } else { partial_word(body) };
        word_step(&mut scan, word, at);
    }
    scan.xor = fold(acc);
    scan
}

/// The eight bytes at `at`, little-endian (the caller checked the bounds).
#[inline(always)]
pub(crate) fn word_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// Up to seven bytes packed little-endian, missing lanes zero.
#[inline(always)]
pub(crate) fn partial_word(bytes: &[u8]) -> u64 {
    bytes.iter().enumerate().fold(0, |word, (i, &b)| word | u64::from(b) << (8 * i))
}

/// True when `bytes` holds a `,` or a `*`.
#[inline]
pub(crate) fn contains_comma_or_star(bytes: &[u8]) -> bool {
    let hit = |word: u64| bytes_equal(word, b',') | bytes_equal(word, b'*') != 0;
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| b == b',' || b == b'*');
    }
    let mut at = 0;
    while at + 8 <= bytes.len() {
        if hit(word_at(bytes, at)) {
            return true;
        }
        at += 8;
    }
    // The last bytes: one more word, overlapping the previous one.
    at != bytes.len() && hit(word_at(bytes, bytes.len() - 8))
}

/// XOR of all bytes (the NMEA checksum), eight at a time.
#[inline]
pub(crate) fn xor_all(bytes: &[u8]) -> u8 {
    if bytes.len() < 8 {
        return bytes.iter().fold(0, |a, b| a ^ b);
    }
    let mut acc = 0u64;
    let mut at = 0;
    while at + 8 <= bytes.len() {
        acc ^= word_at(bytes, at);
        at += 8;
    }
    let rest = bytes.len() - at;
    if rest > 0 {
        // The last `rest` bytes are the high lanes of the final word.
        acc ^= word_at(bytes, bytes.len() - 8) >> (8 * (8 - rest));
    }
    fold(acc)
}

#[inline(always)]
fn fold(acc: u64) -> u8 {
    acc.to_le_bytes().iter().fold(0, |a, b| a ^ b)
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
        fn word_helpers_match_byte_loops(bytes in proptest::collection::vec(prop_oneof![Just(b','), Just(b'*'), any::<u8>()], 0..40)) {
            prop_assert_eq!(xor_all(&bytes), bytes.iter().fold(0, |a, b| a ^ b));
            prop_assert_eq!(contains_comma_or_star(&bytes), bytes.iter().any(|&b| b == b',' || b == b'*'));
            let n = bytes.len().min(7);
            prop_assert_eq!(partial_word(&bytes[..n]).to_le_bytes()[..n].to_vec(), bytes[..n].to_vec());
        }

    }
}
