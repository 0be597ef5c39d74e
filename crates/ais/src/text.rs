//! Six-bit text fields: ship names, call signs, destinations, free text.

use std::fmt;

use crate::bits::{Bits, ascii_to_sixbit, sixbit_to_ascii};

/// A six-bit text field of at most `N` characters, stored inline.
///
/// Decoding follows the convention gpsd documents and most decoders share:
/// the text ends at the first `@` (the padding character), and trailing
/// spaces are not part of the value. Both forms are kept: [`AisString::as_str`]
/// is the trimmed value, [`AisString::raw`] the characters before the first
/// `@` with trailing spaces intact, so that encoding reproduces the bits and
/// gpsd-compatible output can rebuild fields that gpsd reads differently.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AisString<const N: usize> {
    chars: [u8; N],
    raw_len: u8,
    trimmed_len: u8,
}

impl<const N: usize> Default for AisString<N> {
    fn default() -> Self {
        AisString { chars: [0; N], raw_len: 0, trimmed_len: 0 }
    }
}

/// A character that six-bit text cannot carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextError {
    /// The offending character.
    pub ch: char,
    /// The text is longer than the field.
    pub too_long: bool,
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.too_long {
            write!(f, "text is longer than the field")
        } else {
            write!(f, "{:?} cannot be written in AIS six-bit text", self.ch)
        }
    }
}

impl std::error::Error for TextError {}

impl<const N: usize> AisString<N> {
    /// The capacity in characters.
    pub const CAPACITY: usize = N;

    /// Text for encoding. Allowed: upper-case letters, digits, space and
    /// ``!"#$%&'()*+,-./:;<=>?[\]^_`` — not `@`, which ends a field.
    pub fn new(text: &str) -> Result<Self, TextError> {
        let mut out = AisString::default();
        for (i, ch) in text.chars().enumerate() {
            if i >= N {
                return Err(TextError { ch, too_long: true });
            }
            let valid = u8::try_from(ch).ok().filter(|&b| b != b'@' && ascii_to_sixbit(b).is_some());
            match valid {
                Some(b) => out.chars[i] = b,
                None => return Err(TextError { ch, too_long: false }),
            }
            out.raw_len = (i + 1) as u8;
        }
        out.trimmed_len = trimmed_len(&out.chars[..usize::from(out.raw_len)]);
        Ok(out)
    }

    /// Text for encoding from anything: lower case is raised, characters six-bit
    /// text cannot carry become `?`, and the text is cut to the field.
    pub fn new_lossy(text: &str) -> Self {
        let mut out = AisString::default();
        for (i, ch) in text.chars().take(N).enumerate() {
            let upper = ch.to_ascii_uppercase();
            out.chars[i] =
                u8::try_from(upper).ok().filter(|&b| b != b'@' && ascii_to_sixbit(b).is_some()).unwrap_or(b'?');
            out.raw_len = (i + 1) as u8;
        }
        out.trimmed_len = trimmed_len(&out.chars[..usize::from(out.raw_len)]);
        out
    }

    /// Reads `count` six-bit characters at bit `start` (`count` ≤ `N`).
    #[inline]
    pub(crate) fn decode(bits: &Bits, start: usize, count: usize) -> Self {
        let mut out = AisString::default();
        let count = count.min(N);
        let mut len = 0;
        while len < count {
            let ch = sixbit_to_ascii(bits.unsigned(start + 6 * len, 6) as u8);
            if ch == b'@' {
                break;
            }
            out.chars[len] = ch;
            len += 1;
        }
        out.raw_len = len as u8;
        out.trimmed_len = trimmed_len(&out.chars[..len]);
        out
    }

    /// Writes the raw characters at bit `start`, padding with `@` to `count`
    /// characters. Returns false past the bit capacity.
    pub(crate) fn encode(&self, bits: &mut Bits, start: usize, count: usize) -> bool {
        (0..count).all(|i| {
            let ch = self.raw().as_bytes().get(i).copied().unwrap_or(b'@');
            let value = ascii_to_sixbit(ch).unwrap_or(0);
            bits.write(start + 6 * i, 6, u64::from(value))
        })
    }

    /// The value: characters before the first `@`, trailing spaces removed.
    pub fn as_str(&self) -> &str {
        ascii_str(&self.chars[..usize::from(self.trimmed_len)])
    }

    /// The characters before the first `@`, trailing spaces kept.
    pub fn raw(&self) -> &str {
        ascii_str(&self.chars[..usize::from(self.raw_len)])
    }

    /// True when the value is empty.
    pub fn is_empty(&self) -> bool {
        self.trimmed_len == 0
    }
}

fn trimmed_len(chars: &[u8]) -> u8 {
    chars.iter().rposition(|&c| c != b' ').map_or(0, |i| i + 1) as u8
}

/// Six-bit characters are ASCII, hence valid UTF-8.
fn ascii_str(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap_or_default()
}

impl<const N: usize> fmt::Debug for AisString<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.raw(), f)
    }
}

impl<const N: usize> fmt::Display for AisString<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<const N: usize> PartialEq<str> for AisString<N> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl<const N: usize> PartialEq<&str> for AisString<N> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded<const N: usize>(s: &AisString<N>, count: usize) -> Bits {
        let mut bits = Bits::new();
        assert!(s.encode(&mut bits, 0, count));
        bits
    }

    #[test]
    fn ends_at_at_sign_and_trims_spaces() {
        let name = AisString::<20>::new("EVER DIADEM  ").unwrap();
        assert_eq!(name.as_str(), "EVER DIADEM");
        assert_eq!(name.raw(), "EVER DIADEM  ");
        let back = AisString::<20>::decode(&encoded(&name, 20), 0, 20);
        assert_eq!(back, name);
        assert_eq!(back.as_str(), "EVER DIADEM");
    }

    #[test]
    fn refuses_what_sixbit_cannot_carry() {
        assert!(AisString::<7>::new("abc").is_err());
        assert!(AisString::<7>::new("A@B").is_err());
        assert!(AisString::<3>::new("ABCD").unwrap_err().too_long);
        assert_eq!(AisString::<5>::new_lossy("maïa-1").raw(), "MA?A-");
    }
}
