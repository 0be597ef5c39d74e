//! Eight bytes at a time in a `u64` ("SIMD within a register"), in safe,
//! portable Rust: the words the payload's 6-bit characters are read from
//! (`bits`). The separator scans of sentence parsing are in `scan`.

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn words_are_the_bytes(bytes in proptest::collection::vec(any::<u8>(), 8..40)) {
            prop_assert_eq!(word_at(&bytes, 0).to_le_bytes().to_vec(), bytes[..8].to_vec());
            let n = bytes.len().min(7);
            prop_assert_eq!(partial_word(&bytes[..n]).to_le_bytes()[..n].to_vec(), bytes[..n].to_vec());
        }
    }
}
