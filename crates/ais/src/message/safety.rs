//! Safety-related text: addressed (12) and broadcast (14).

use tumen_model::Mmsi;

use super::header;
use super::layout::Layout;
use crate::text::AisString;

/// Longest safety text: (1008 − 40) / 6 characters.
pub const MAX_SAFETY_TEXT_CHARS: usize = 161;

/// Type 12: addressed safety-related message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddressedSafety {
    pub repeat: u8,
    pub mmsi: Mmsi,
    pub seqno: u8,
    pub dest_mmsi: Mmsi,
    pub retransmit: bool,
    pub text: AisString<MAX_SAFETY_TEXT_CHARS>,
}

impl AddressedSafety {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 12, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.seqno, 38, 2);
        l.field(&mut self.dest_mmsi, 40, 30);
        l.field(&mut self.retransmit, 70, 1);
        l.spare(71, 1);
        trailing_text(l, &mut self.text, 72);
    }
}

/// Type 14: safety-related broadcast message.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BroadcastSafety {
    pub repeat: u8,
    pub mmsi: Mmsi,
    pub text: AisString<MAX_SAFETY_TEXT_CHARS>,
}

impl BroadcastSafety {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 14, &mut self.repeat, &mut self.mmsi);
        l.spare(38, 2);
        trailing_text(l, &mut self.text, 40);
    }
}

/// Text filling the rest of the message: as many whole characters as the
/// message holds; encoding pads to a byte boundary as the radio layer does.
pub(crate) fn trailing_text<L: Layout, const N: usize>(l: &mut L, text: &mut AisString<N>, start: usize) {
    let chars = if L::DECODING { l.bit_len().saturating_sub(start) / 6 } else { text.raw().len() };
    l.text(text, start, chars);
    if !L::DECODING {
        let end = start + chars * 6;
        l.spare(end, end.next_multiple_of(8) - end);
    }
}
