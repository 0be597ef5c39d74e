//! AIVDM payload armoring: each payload character carries six bits.
//!
//! `'0'`–`'W'` are 0–39 and `` '`' ``–`'w'` are 40–63; every other byte is
//! invalid in a payload (IEC 61162-1). The decoder rejects payloads holding
//! invalid characters rather than guessing, as gpsd's arithmetic would.

/// Marks bytes that are not payload characters in [`SIXBIT_OF`].
pub(crate) const INVALID: u8 = 0x80;

/// The six-bit value of each byte, or [`INVALID`].
pub(crate) const SIXBIT_OF: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut ch = 48;
    while ch <= 87 {
        table[ch] = (ch - 48) as u8;
        ch += 1;
    }
    let mut ch = 96;
    while ch <= 119 {
        table[ch] = (ch - 56) as u8;
        ch += 1;
    }
    table
};

/// Marks pairs holding a byte that is not a payload character in
/// [`SIXBIT_PAIR`].
pub(crate) const PAIR_INVALID: u16 = 0x8000;

/// Two payload characters, the first in the low byte (as a little-endian
/// load puts them), to their twelve bits, the first character's highest; or
/// [`PAIR_INVALID`]. 128 KiB, of which AIS text touches about 12 KiB: the
/// de-armoring step reads eight characters with four lookups.
pub(crate) static SIXBIT_PAIR: [u16; 65536] = {
    let mut table = [PAIR_INVALID; 65536];
    let mut index = 0;
    while index < 65536 {
        let first = SIXBIT_OF[index & 0xFF];
        let second = SIXBIT_OF[index >> 8];
        if first & INVALID == 0 && second & INVALID == 0 {
            table[index] = (first as u16) << 6 | second as u16;
        }
        index += 1;
    }
    table
};

/// The payload character of each six-bit value.
const CHAR_OF: [u8; 64] = {
    let mut table = [0u8; 64];
    let mut value = 0;
    while value < 64 {
        table[value] = if value < 40 { value as u8 + 48 } else { value as u8 + 56 };
        value += 1;
    }
    table
};

/// True when every byte of `payload` is a valid payload character.
#[inline]
pub fn is_valid_payload(payload: &[u8]) -> bool {
    // OR-ing the table entries keeps the loop branch-free.
    payload.iter().fold(0u8, |acc, &ch| acc | SIXBIT_OF[usize::from(ch)]) & INVALID == 0
}

/// The payload character for a six-bit value (only the low six bits count).
#[inline]
pub fn payload_char(value: u8) -> u8 {
    CHAR_OF[usize::from(value & 0x3F)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_table_matches_the_single_table() {
        for first in 0u8..=255 {
            for second in 0u8..=255 {
                let pair = SIXBIT_PAIR[usize::from(u16::from_le_bytes([first, second]))];
                let (a, b) = (SIXBIT_OF[usize::from(first)], SIXBIT_OF[usize::from(second)]);
                if (a | b) & INVALID != 0 {
                    assert_eq!(pair, PAIR_INVALID);
                } else {
                    assert_eq!(pair, u16::from(a) << 6 | u16::from(b));
                }
            }
        }
    }

    #[test]
    fn table_matches_the_reference_arithmetic() {
        for ch in 0u8..=255 {
            let valid = (48..=87).contains(&ch) || (96..=119).contains(&ch);
            assert_eq!(is_valid_payload(&[ch]), valid, "{ch}");
            if valid {
                let mut value = ch - 48;
                if value > 40 {
                    value -= 8;
                }
                assert_eq!(SIXBIT_OF[usize::from(ch)], value);
                assert_eq!(payload_char(value), ch);
            }
        }
    }
}
