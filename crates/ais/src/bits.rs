//! Bit-level access to AIS payloads: the de-armored bits of a message, read
//! and written MSB first at arbitrary offsets.

/// The most bits one AIS message may carry here. ITU-R M.1371 caps a message
/// at five slots; the longest types (6, 8, 12, 26) carry at most 1008 data
/// bits, so 1024 bits leaves room for the few over-long transmitters seen in
/// the wild while keeping [`Bits`] a fixed-size, allocation-free value.
pub const MAX_MESSAGE_BITS: usize = 1024;
const CAPACITY_BYTES: usize = MAX_MESSAGE_BITS / 8;

/// A fixed-capacity bit string: an AIS message payload, or a binary field
/// within one (the data of types 6, 8, 17, 25, 26).
///
/// Invariant: every bit at or past [`Bits::len`] is zero, so reading past the
/// end yields zeros, as the standard's "not present means zero" convention
/// and gpsd's reader both expect.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bits {
    bytes: [u8; CAPACITY_BYTES],
    len: u16,
}

impl Default for Bits {
    fn default() -> Bits {
        Bits { bytes: [0; CAPACITY_BYTES], len: 0 }
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
        let mut done = 0;
        while done < len {
            let chunk = (len - done).min(56);
            out.write_unsigned_unchecked(done, chunk, self.unsigned(start + done, chunk));
            done += chunk;
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

    /// Writes without touching the length; the caller checked the capacity.
    fn write_unsigned_unchecked(&mut self, start: usize, len: usize, value: u64) {
        for i in 0..len {
            let bit = (value >> (len - 1 - i)) & 1;
            let at = start + i;
            let mask = 0x80u8 >> (at % 8);
            if bit == 1 {
                self.bytes[at / 8] |= mask;
            } else {
                self.bytes[at / 8] &= !mask;
            }
        }
    }

    /// Zeroes the bits past the length.
    fn clear_tail(&mut self) {
        let len = self.len();
        let full = len / 8;
        if len % 8 != 0 {
            self.bytes[full] &= 0xFFu8 << (8 - len % 8);
            self.bytes[full + 1..].fill(0);
        } else {
            self.bytes[full..].fill(0);
        }
    }

    /// Replaces the contents with the de-armored six-bit characters of an
    /// AIVDM payload, minus `fill_bits` trailing bits.
    ///
    /// `values` are the characters' six-bit values (see [`crate::armor`]).
    /// Returns false, leaving the bits empty, if the payload exceeds the
    /// capacity or the fill exceeds the payload.
    pub(crate) fn set_from_sixbit_values(&mut self, values: impl ExactSizeIterator<Item = u8>, fill_bits: usize) -> bool {
        let total_bits = values.len() * 6;
        let previous_bytes = self.len().div_ceil(8);
        if total_bits > MAX_MESSAGE_BITS + 5 || fill_bits > total_bits {
            self.len = 0;
            self.bytes[..previous_bytes].fill(0);
            return false;
        }
        // Four characters make three bytes; accumulate 24 bits at a time.
        let mut acc: u32 = 0;
        let mut acc_bits = 0;
        let mut out = 0;
        for value in values {
            acc = (acc << 6) | u32::from(value);
            acc_bits += 6;
            if acc_bits == 24 {
                // `total_bits` ≤ 1029 keeps `out + 3` within 129 bytes; the
                // last partial group is handled below.
                if out + 3 <= CAPACITY_BYTES {
                    self.bytes[out..out + 3].copy_from_slice(&acc.to_be_bytes()[1..]);
                }
                out += 3;
                acc = 0;
                acc_bits = 0;
            }
        }
        let payload_bits = total_bits - fill_bits;
        if payload_bits > MAX_MESSAGE_BITS {
            self.len = 0;
            self.bytes.fill(0);
            return false;
        }
        if acc_bits > 0 {
            let aligned = acc << (24 - acc_bits);
            for (i, byte) in aligned.to_be_bytes()[1..].iter().enumerate() {
                if out + i < CAPACITY_BYTES {
                    self.bytes[out + i] = *byte;
                }
            }
        }
        let written_bytes = (total_bits.div_ceil(8)).min(CAPACITY_BYTES);
        if previous_bytes > written_bytes {
            self.bytes[written_bytes..previous_bytes].fill(0);
        }
        self.len = payload_bits as u16;
        self.clear_tail_within(written_bytes);
        true
    }

    /// Like [`Bits::clear_tail`] but only up to `dirty_bytes`: the de-armorer
    /// knows nothing after them was ever written.
    fn clear_tail_within(&mut self, dirty_bytes: usize) {
        let len = self.len();
        let full = len / 8;
        if len % 8 != 0 {
            self.bytes[full] &= 0xFFu8 << (8 - len % 8);
            if full + 1 < dirty_bytes {
                self.bytes[full + 1..dirty_bytes].fill(0);
            }
        } else if full < dirty_bytes {
            self.bytes[full..dirty_bytes].fill(0);
        }
    }

    /// The six-bit values of the bits, padded with zero bits to a multiple of
    /// six, and the number of padding bits: the input of AIVDM armoring.
    pub(crate) fn sixbit_values(&self) -> (impl Iterator<Item = u8> + '_, usize) {
        let chars = self.len().div_ceil(6);
        let fill = chars * 6 - self.len();
        ((0..chars).map(move |i| self.unsigned(i * 6, 6) as u8), fill)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        fn sixbit_round_trip(values in proptest::collection::vec(0u8..64, 1..170), fill in 0usize..6) {
            let mut bits = Bits::new();
            let ok = bits.set_from_sixbit_values(values.iter().copied(), fill);
            prop_assert_eq!(ok, values.len() * 6 - fill <= MAX_MESSAGE_BITS);
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
