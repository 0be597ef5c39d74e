//! One description of each message's bit layout, read two ways.
//!
//! Every message type writes its layout once, as a method generic over
//! [`Layout`]. [`Reader`] runs it to decode, [`Writer`] to encode; the offsets
//! and widths therefore exist in one place only, and encode → decode is the
//! identity by construction (the property tests check it).

use tumen_model::Mmsi;

use crate::bits::Bits;
use crate::text::AisString;

/// A numeric field type and its conversion to and from raw bits.
pub(crate) trait Field: Copy {
    const SIGNED: bool;
    fn from_raw(raw: u64, len: usize) -> Self;
    fn to_raw(self) -> i128;
}

macro_rules! unsigned_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            const SIGNED: bool = false;
            #[inline]
            fn from_raw(raw: u64, _len: usize) -> Self { raw as $t }
            #[inline]
            fn to_raw(self) -> i128 { self as i128 }
        }
    )*};
}
macro_rules! signed_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            const SIGNED: bool = true;
            #[inline]
            fn from_raw(raw: u64, len: usize) -> Self {
                let shift = 64 - len;
                (((raw << shift) as i64) >> shift) as $t
            }
            #[inline]
            fn to_raw(self) -> i128 { self as i128 }
        }
    )*};
}
unsigned_field!(u8, u16, u32, u64);
signed_field!(i8, i16, i32);

impl Field for bool {
    const SIGNED: bool = false;
    #[inline]
    fn from_raw(raw: u64, _len: usize) -> Self {
        raw != 0
    }
    #[inline]
    fn to_raw(self) -> i128 {
        i128::from(self)
    }
}

impl Field for Mmsi {
    const SIGNED: bool = false;
    #[inline]
    fn from_raw(raw: u64, _len: usize) -> Self {
        Mmsi(raw as u32)
    }
    #[inline]
    fn to_raw(self) -> i128 {
        i128::from(self.0)
    }
}

/// A visitor over a message's fields: decoding reads each into the struct,
/// encoding writes each from it.
pub(crate) trait Layout {
    /// True when reading bits into the struct.
    const DECODING: bool;

    /// Decoding: the message's length in bits. Encoding: the bits written so far.
    fn bit_len(&self) -> usize;

    /// A numeric field of `len` bits (at most 57) at bit `start`.
    fn field<T: Field>(&mut self, value: &mut T, start: usize, len: usize);

    /// A six-bit text field of `chars` characters at bit `start`.
    fn text<const N: usize>(&mut self, value: &mut AisString<N>, start: usize, chars: usize);

    /// A binary field of `len` bits at bit `start`.
    fn data(&mut self, value: &mut Bits, start: usize, len: usize);

    /// Unused bits, written as zeros; decoding skips them.
    fn spare(&mut self, start: usize, len: usize);

    /// A field at the very end of a message that transmitters sometimes cut
    /// short: decoding reads the `len` bits or as many as the message has, the
    /// way gpsd does; encoding writes all `len` bits.
    fn trailing_field<T: Field>(&mut self, value: &mut T, start: usize, len: usize) {
        if Self::DECODING && start + len > self.bit_len() {
            let available = self.bit_len().saturating_sub(start);
            self.field(value, start, available);
        } else {
            self.field(value, start, len);
        }
    }

    /// Decoding: bits from `start` to the end of the message, less
    /// `reserved_after` bits at the end; encoding: `value`'s length.
    fn data_to_end(&mut self, value: &mut Bits, start: usize, reserved_after: usize) {
        let len = if Self::DECODING { self.bit_len().saturating_sub(start + reserved_after) } else { value.len() };
        self.data(value, start, len);
    }
}

/// Decodes: reads each field from the message bits.
pub(crate) struct Reader<'a> {
    bits: &'a Bits,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bits: &'a Bits) -> Reader<'a> {
        Reader { bits }
    }
}

impl Layout for Reader<'_> {
    const DECODING: bool = true;

    #[inline]
    fn bit_len(&self) -> usize {
        self.bits.len()
    }

    #[inline]
    fn field<T: Field>(&mut self, value: &mut T, start: usize, len: usize) {
        *value = T::from_raw(self.bits.unsigned(start, len), len);
    }

    #[inline]
    fn text<const N: usize>(&mut self, value: &mut AisString<N>, start: usize, chars: usize) {
        *value = AisString::decode(self.bits, start, chars);
    }

    #[inline]
    fn data(&mut self, value: &mut Bits, start: usize, len: usize) {
        *value = self.bits.slice(start, len);
    }

    #[inline]
    fn spare(&mut self, _start: usize, _len: usize) {}
}

/// Encodes: writes each field into a bit string, noting the first field whose
/// value does not fit its width.
pub(crate) struct Writer {
    pub(crate) bits: Bits,
    pub(crate) overflow: Option<FieldOverflow>,
}

/// A value too wide for its field, found while encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldOverflow {
    /// First bit of the field.
    pub start: usize,
    /// Width of the field in bits.
    pub len: usize,
}

impl Writer {
    pub(crate) fn new() -> Writer {
        Writer { bits: Bits::new(), overflow: None }
    }

    fn note_overflow(&mut self, start: usize, len: usize) {
        self.overflow.get_or_insert(FieldOverflow { start, len });
    }
}

impl Layout for Writer {
    const DECODING: bool = false;

    fn bit_len(&self) -> usize {
        self.bits.len()
    }

    fn field<T: Field>(&mut self, value: &mut T, start: usize, len: usize) {
        let raw = value.to_raw();
        let fits = if len == 0 {
            raw == 0
        } else if T::SIGNED {
            let half = 1i128 << (len - 1);
            (-half..half).contains(&raw)
        } else {
            (0..(1i128 << len)).contains(&raw)
        };
        if !fits {
            self.note_overflow(start, len);
        }
        let masked = (raw as u64) & (u64::MAX >> (64 - len.max(1)));
        if !self.bits.write(start, len, masked) {
            self.note_overflow(start, len);
        }
    }

    fn text<const N: usize>(&mut self, value: &mut AisString<N>, start: usize, chars: usize) {
        if value.raw().len() > chars || !value.encode(&mut self.bits, start, chars) {
            self.note_overflow(start, chars * 6);
        }
    }

    fn data(&mut self, value: &mut Bits, start: usize, len: usize) {
        let mut done = 0;
        while done < len {
            let chunk = (len - done).min(56);
            if !self.bits.write(start + done, chunk, value.unsigned(done, chunk)) {
                self.note_overflow(start, len);
                return;
            }
            done += chunk;
        }
    }

    fn spare(&mut self, start: usize, len: usize) {
        let mut done = 0;
        while done < len {
            let chunk = (len - done).min(56);
            if !self.bits.write(start + done, chunk, 0) {
                self.note_overflow(start, len);
                return;
            }
            done += chunk;
        }
    }
}
