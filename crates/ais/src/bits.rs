//! Bit-level access to AIS payloads: the de-armored bits of a message, read
//! and written MSB first at arbitrary offsets.

/// The most bits one AIS message may carry here. ITU-R M.1371 caps a message
/// at five slots; the longest types (6, 8, 12, 26) carry at most 1008 data
/// bits, so 1024 bits leaves room for the few over-long transmitters seen in
/// the wild while keeping [`Bits`] a fixed-size, allocation-free value.
pub const MAX_MESSAGE_BITS: usize = 1024;
const CAPACITY_BYTES: usize = MAX_MESSAGE_BITS / 8;
/// Zero bytes after the capacity, so that whole-word reads and writes near
/// the end never leave the buffer.
const SLACK_BYTES: usize = 16;

/// A fixed-capacity bit string: an AIS message payload, or a binary field
/// within one (the data of types 6, 8, 17, 25, 26).
///
/// Invariant: every bit at or past [`Bits::len`] is zero, so reading past the
/// end yields zeros, as the standard's "not present means zero" convention
/// and gpsd's reader both expect.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bits {
    bytes: [u8; CAPACITY_BYTES + SLACK_BYTES],
    len: u16,
}

impl Default for Bits {
    fn default() -> Bits {
        Bits { bytes: [0; CAPACITY_BYTES + SLACK_BYTES], len: 0 }
    }
}

impl std::fmt::Debug for Bits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bits({}:", self.len)?;
        for byte in self.as_bytes() {
            write!(f, "{byte:02x}")?;
        }
        write!(f, ")")
    }
}

/// Why an armored payload could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PayloadError {
    /// A character outside the armoring alphabet.
    BadCharacter,
    /// More bits than the largest message.
    TooLong,
    /// More fill bits than payload bits.
    BadFill,
}

/// Six-bit ASCII as AIS text fields use it: values 0–31 are `@`–`_`,
/// values 32–63 are space–`?`.
#[inline]
pub(crate) fn sixbit_to_ascii(value: u8) -> u8 {
    if value < 32 { value + 64 } else { value }
}

/// The six-bit value of an ASCII character, if it has one: `@`–`_` and
/// space–`?` only (AIS text has no lower case).
#[inline]
pub(crate) fn ascii_to_sixbit(ch: u8) -> Option<u8> {
    match ch {
        64..=95 => Some(ch - 64),
        32..=63 => Some(ch),
        _ => None,
    }
}

impl Bits {
    /// An empty bit string.
    pub fn new() -> Bits {
        Bits::default()
    }

    /// A bit string holding the first `bit_len` bits of `bytes` (MSB first);
    /// `None` if `bytes` is too short or `bit_len` exceeds the capacity.
    pub fn from_bytes(bytes: &[u8], bit_len: usize) -> Option<Bits> {
        if bit_len > MAX_MESSAGE_BITS || bytes.len() * 8 < bit_len {
            return None;
        }
        let mut bits = Bits::default();
        let byte_len = bit_len.div_ceil(8);
        bits.bytes[..byte_len].copy_from_slice(&bytes[..byte_len]);
        bits.len = bit_len as u16;
        bits.clear_tail();
        Some(bits)
    }

    /// Number of bits.
    #[inline]
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// True when there are no bits.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bits as bytes, MSB first; the last byte is zero-padded.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len().div_ceil(8)]
    }

    /// `len` bits (at most 57) starting at bit `start`, as an unsigned number.
    /// Bits past the end read as zero.
    #[inline]
    pub fn unsigned(&self, start: usize, len: usize) -> u64 {
        debug_assert!(len <= 57, "field of {len} bits is wider than one load");
        if len == 0 {
            return 0;
        }
        let byte = start / 8;
        let word = match self.bytes.get(byte..byte + 8) {
            Some(window) => u64::from_be_bytes(window.try_into().expect("8-byte window")),
            None => self.word_near_end(byte),
        };
        (word << (start % 8)) >> (64 - len)
    }

    /// `len` bits (at most 57) starting at `start`, as a two's-complement number.
    #[inline]
    pub fn signed(&self, start: usize, len: usize) -> i64 {
        if len == 0 {
            return 0;
        }
        let raw = self.unsigned(start, len);
        let shift = 64 - len;
        ((raw << shift) as i64) >> shift
    }

    /// The slow path of [`Bits::unsigned`] for the last bytes of the buffer.
    #[cold]
    fn word_near_end(&self, byte: usize) -> u64 {
        let mut window = [0u8; 8];
        for (i, slot) in window.iter_mut().enumerate() {
            *slot = self.bytes.get(byte + i).copied().unwrap_or(0);
        }
        u64::from_be_bytes(window)
    }

    /// Copies bits `start..start + len` into a new bit string (bits past the
    /// end are zero; `len` is capped at the capacity).
    pub fn slice(&self, start: usize, len: usize) -> Bits {
        let len = len.min(MAX_MESSAGE_BITS);
        let mut out = Bits::default();
        let first = start / 8;
        let shift = start % 8;
        let byte = |i: usize| self.bytes.get(i).copied().unwrap_or(0);
        for (i, slot) in out.bytes.iter_mut().take(len.div_ceil(8)).enumerate() {
            *slot = if shift == 0 {
                byte(first + i)
            } else {
                byte(first + i) << shift | byte(first + i + 1) >> (8 - shift)
            };
        }
        out.len = len as u16;
        out.clear_tail();
        out
    }

    /// Appends `len` bits (at most 57) holding the low bits of `value`.
    /// Returns false, changing nothing, if the capacity would be exceeded.
    #[inline]
    pub fn push(&mut self, len: usize, value: u64) -> bool {
        let start = self.len();
        if start + len > MAX_MESSAGE_BITS {
            return false;
        }
        self.write_unsigned_unchecked(start, len, value);
        self.len = (start + len) as u16;
        true
    }

    /// Appends all of `other`'s bits. Returns false, changing nothing, if the
    /// capacity would be exceeded.
    pub fn push_bits(&mut self, other: &Bits) -> bool {
        if self.len() + other.len() > MAX_MESSAGE_BITS {
            return false;
        }
        let mut done = 0;
        while done < other.len() {
            let chunk = (other.len() - done).min(56);
            self.push(chunk, other.unsigned(done, chunk));
            done += chunk;
        }
        true
    }

    /// Writes `value`'s low `len` bits at `start`, growing the length to cover
    /// them. Returns false, changing nothing, past the capacity.
    pub(crate) fn write(&mut self, start: usize, len: usize, value: u64) -> bool {
        if start + len > MAX_MESSAGE_BITS {
            return false;
        }
        self.write_unsigned_unchecked(start, len, value);
        self.len = self.len.max((start + len) as u16);
        true
    }

    /// Writes without touching the length; the caller checked the capacity
    /// (`start + len` ≤ 1024, `len` ≤ 57).
    fn write_unsigned_unchecked(&mut self, start: usize, len: usize, value: u64) {
        debug_assert!(len <= 57, "field of {len} bits is wider than one store");
        if len == 0 {
            return;
        }
        let byte = start / 8;
        let shift = 64 - len - start % 8;
        let mask = (u64::MAX >> (64 - len)) << shift;
        let value = (value << shift) & mask;
        match self.bytes.get_mut(byte..byte + 8) {
            Some(window) => {
                let word = u64::from_be_bytes(window.try_into().expect("8-byte window"));
                window.copy_from_slice(&((word & !mask) | value).to_be_bytes());
            }
            None => {
                // The last bytes of the buffer: the same, one byte at a time.
                for (i, (m, v)) in mask.to_be_bytes().into_iter().zip(value.to_be_bytes()).enumerate() {
                    if let Some(slot) = self.bytes.get_mut(byte + i) {
                        *slot = (*slot & !m) | v;
                    }
                }
            }
        }
    }

    /// Zeroes the bits past the length.
    fn clear_tail(&mut self) {
        let len = self.len();
        let full = len / 8;
        if !len.is_multiple_of(8) {
            self.bytes[full] &= 0xFFu8 << (8 - len % 8);
            self.bytes[full + 1..].fill(0);
        } else {
            self.bytes[full..].fill(0);
        }
    }

    /// Replaces the contents with the bits of an armored AIVDM payload, minus
    /// `fill_bits` trailing bits. Validates the characters in the same pass:
    /// four characters become three bytes per step.
    pub(crate) fn set_from_payload(&mut self, payload: &[u8], fill_bits: usize) -> Result<(), PayloadError> {
        let total_bits = payload.len() * 6;
        let previous_bytes = self.len().div_ceil(8);
        if total_bits > MAX_MESSAGE_BITS + 5 {
            self.clear_all(previous_bytes);
            return Err(PayloadError::TooLong);
        }
        // Eight characters → six bytes per step. The last, short step is
        // padded with '0' (value 0), which only writes zero bits past the
        // payload; with at most 172 characters every step stays inside the
        // buffer's slack.
        // Eight characters → six bytes per step: four lookups of character
        // pairs, each twelve bits. Each step stores eight bytes, the last two
        // zero (the next step overwrites them); at most 22 steps keep the
        // stores in the slack.
        use crate::armor::{PAIR_INVALID, SIXBIT_PAIR};
        let pair = |word: u64, lane: u32| SIXBIT_PAIR[((word >> (16 * lane)) & 0xFFFF) as usize];
        let mut invalid = 0u16;
        let mut out = 0;
        let mut at = 0;
        let mut step = |bits: &mut Bits, word: u64| {
            let (a, b, c, d) = (pair(word, 0), pair(word, 1), pair(word, 2), pair(word, 3));
            invalid |= a | b | c | d;
            let bits48 = u64::from(a) << 36 | u64::from(b) << 24 | u64::from(c) << 12 | u64::from(d);
            bits.bytes[out..out + 8].copy_from_slice(&(bits48 << 16).to_be_bytes());
            out += 6;
        };
        while at + 8 <= payload.len() {
            step(self, crate::swar::word_at(payload, at));
            at += 8;
        }
        let rest = &payload[at..];
        if !rest.is_empty() {
            // Missing characters are '0' (value 0): zero bits past the payload.
            let missing = u64::MAX << (8 * rest.len());
            step(self, crate::swar::partial_word(rest) | (0x3030_3030_3030_3030 & missing));
        }
        let invalid = invalid & PAIR_INVALID != 0;
        let written_bytes = out + 2;
        if previous_bytes > written_bytes {
            self.bytes[written_bytes..previous_bytes].fill(0);
        }
        if invalid {
            self.clear_all(written_bytes.max(previous_bytes));
            return Err(PayloadError::BadCharacter);
        }
        if fill_bits > total_bits || total_bits - fill_bits > MAX_MESSAGE_BITS {
            self.clear_all(written_bytes.max(previous_bytes));
            return Err(if fill_bits > total_bits { PayloadError::BadFill } else { PayloadError::TooLong });
        }
        let len = total_bits - fill_bits;
        self.len = len as u16;
        // Past the payload the steps wrote zeros, except the fill bits, which
        // lie in the byte holding the payload's last bit or the next one.
        let (full, partial) = (len / 8, len % 8);
        self.bytes[full] &= !(0xFFu8 >> partial);
        self.bytes[full + 1] = 0;
        Ok(())
    }

    /// Empties the bits, zeroing the first `dirty_bytes` bytes.
    fn clear_all(&mut self, dirty_bytes: usize) {
        self.len = 0;
        let end = dirty_bytes.min(self.bytes.len());
        self.bytes[..end].fill(0);
    }

    /// The six-bit values of the bits, padded with zero bits to a multiple of
    /// six, and the number of padding bits: the input of AIVDM armoring.
    pub(crate) fn sixbit_values(&self) -> (impl Iterator<Item = u8> + '_, usize) {
        let chars = self.len().div_ceil(6);
        let fill = chars * 6 - self.len();
        ((0..chars).map(move |i| self.unsigned(i * 6, 6) as u8), fill)
    }

    /// Armors the bits into `out` (which must hold `len().div_ceil(6)`
    /// characters): three bytes make four characters at a time. Returns the
    /// number of characters and of fill bits. The encoder's hot loop.
    pub(crate) fn armor_into(&self, out: &mut [u8]) -> (usize, usize) {
        let chars = self.len().div_ceil(6);
        let fill = chars * 6 - self.len();
        // Bits past `len` are zero (an invariant of `Bits`), so whole
        // three-byte groups can be read even when the last is partial.
        for (group, quad) in self.bytes.chunks_exact(3).zip(out[..chars].chunks_mut(4)) {
            let word = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
            let values = [(word >> 18) as u8, (word >> 12) as u8, (word >> 6) as u8, word as u8];
            for (slot, value) in quad.iter_mut().zip(values) {
                *slot = crate::armor::payload_char(value);
            }
        }
        (chars, fill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn armoring_four_at_a_time_matches_one_at_a_time(bytes in proptest::collection::vec(any::<u8>(), 128), len in 0usize..=1024) {
            let bits = Bits::from_bytes(&bytes, len).unwrap();
            let (values, fill) = bits.sixbit_values();
            let expected: Vec<u8> = values.map(crate::armor::payload_char).collect();
            let mut out = [0u8; 171];
            let (chars, armored_fill) = bits.armor_into(&mut out);
            prop_assert_eq!(&out[..chars], &expected[..]);
            prop_assert_eq!(armored_fill, fill);
        }
    }

    #[test]
    fn reads_fields_msb_first() {
        let bits = Bits::from_bytes(&[0b1010_1100, 0b0101_0011, 0xFF], 24).unwrap();
        assert_eq!(bits.unsigned(0, 4), 0b1010);
        assert_eq!(bits.unsigned(4, 8), 0b1100_0101);
        assert_eq!(bits.signed(0, 4), -6);
        assert_eq!(bits.unsigned(20, 10), 0b1111_000000, "past the end reads zero");
        assert_eq!(bits.unsigned(2000, 10), 0);
    }

    #[test]
    fn sixbit_text_mapping() {
        assert_eq!(sixbit_to_ascii(0), b'@');
        assert_eq!(sixbit_to_ascii(1), b'A');
        assert_eq!(sixbit_to_ascii(32), b' ');
        assert_eq!(sixbit_to_ascii(63), b'?');
        for v in 0..64 {
            assert_eq!(ascii_to_sixbit(sixbit_to_ascii(v)), Some(v));
        }
        assert_eq!(ascii_to_sixbit(b'a'), None);
    }

    proptest! {
        #[test]
        fn push_then_read(fields in proptest::collection::vec((1usize..=57, any::<u64>()), 0..30)) {
            let mut bits = Bits::new();
            let mut expected = Vec::new();
            for (len, value) in fields {
                let value = value & (u64::MAX >> (64 - len));
                if bits.push(len, value) {
                    expected.push((bits.len() - len, len, value));
                }
            }
            for (start, len, value) in expected {
                prop_assert_eq!(bits.unsigned(start, len), value);
            }
        }

        #[test]
        fn slice_matches_reads(bytes in proptest::collection::vec(any::<u8>(), 0..128), start in 0usize..1024, len in 0usize..1024) {
            let bits = Bits::from_bytes(&bytes, bytes.len() * 8).unwrap();
            let slice = bits.slice(start, len);
            prop_assert_eq!(slice.len(), len);
            for i in (0..len).step_by(7) {
                let n = (len - i).min(7);
                prop_assert_eq!(slice.unsigned(i, n), bits.unsigned(start + i, n));
            }
        }

        #[test]
        fn sixbit_round_trip(values in proptest::collection::vec(0u8..64, 1..175), fill in 0usize..6) {
            let mut bits = Bits::new();
            // Dirty the buffer first: de-armoring must clear what it does not write.
            bits.push(57, u64::MAX >> 7);
            let payload: Vec<u8> = values.iter().map(|&v| crate::armor::payload_char(v)).collect();
            let ok = bits.set_from_payload(&payload, fill).is_ok();
            prop_assert_eq!(ok, values.len() * 6 - fill <= MAX_MESSAGE_BITS);
            if !ok {
                prop_assert!(bits.is_empty() && bits.unsigned(0, 57) == 0);
            }
            if ok {
                prop_assert_eq!(bits.len(), values.len() * 6 - fill);
                let (again, again_fill) = bits.sixbit_values();
                prop_assert_eq!(again_fill, fill);
                // The fill bits come back as zeros.
                let mut expected = values.clone();
                *expected.last_mut().unwrap() &= 0x3F << fill;
                prop_assert_eq!(again.collect::<Vec<u8>>(), expected);
            }
        }
    }
}
