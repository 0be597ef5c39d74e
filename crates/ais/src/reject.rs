//! Why a line was not used, and the counts the decoder keeps.

use std::fmt;

/// Why an input line produced no message. Every rejected line is counted
/// under exactly one reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RejectReason {
    /// Not an NMEA sentence, tag block or known wrapper.
    NotNmea,
    /// No `*hh` checksum where one is required.
    MissingChecksum,
    /// The NMEA checksum does not match (accepted, marked, in lenient mode).
    BadChecksum,
    /// A tag block that cannot be read (no closing `\`, bad field).
    BadTagBlock,
    /// The tag block checksum does not match (accepted, marked, in lenient mode).
    BadTagBlockChecksum,
    /// A `$PGHP` Gatehouse line that cannot be read.
    BadGatehouse,
    /// An `!..VDM`/`!..VDO` sentence without its seven fields.
    BadFieldCount,
    /// Fragment count or number missing, zero, above 9, or number > count.
    BadFragmentNumbers,
    /// A sequence id that is not a single digit.
    BadSequenceId,
    /// A fill-bit field that is not 0–5.
    BadFillBits,
    /// A payload character outside the AIVDM armoring alphabet.
    BadPayloadCharacter,
    /// The assembled payload exceeds the largest AIS message.
    PayloadTooLong,
    /// A later fragment whose first fragment was never seen.
    OrphanFragment,
    /// A fragment number already received for the same message (a repeat).
    DuplicateFragment,
    /// Fragments of a message whose other fragments never arrived (evicted by
    /// timeout, by capacity, by a repeated fragment, or at end of input).
    IncompleteMessage,
    /// A message without payload bits.
    EmptyPayload,
    /// Message type 0 or above 27.
    UnknownMessageType,
    /// A bit length outside what the message type allows.
    BadLength,
    /// A type 24 with part number 2 or 3.
    BadType24Part,
}

impl RejectReason {
    /// Every reason, in a stable order (for reports).
    pub const ALL: [RejectReason; 19] = [
        RejectReason::NotNmea,
        RejectReason::MissingChecksum,
        RejectReason::BadChecksum,
        RejectReason::BadTagBlock,
        RejectReason::BadTagBlockChecksum,
        RejectReason::BadGatehouse,
        RejectReason::BadFieldCount,
        RejectReason::BadFragmentNumbers,
        RejectReason::BadSequenceId,
        RejectReason::BadFillBits,
        RejectReason::BadPayloadCharacter,
        RejectReason::PayloadTooLong,
        RejectReason::OrphanFragment,
        RejectReason::DuplicateFragment,
        RejectReason::IncompleteMessage,
        RejectReason::EmptyPayload,
        RejectReason::UnknownMessageType,
        RejectReason::BadLength,
        RejectReason::BadType24Part,
    ];

    /// A short stable name (snake case), for reports and reject files.
    pub fn name(self) -> &'static str {
        match self {
            RejectReason::NotNmea => "not_nmea",
            RejectReason::MissingChecksum => "missing_checksum",
            RejectReason::BadChecksum => "bad_checksum",
            RejectReason::BadTagBlock => "bad_tag_block",
            RejectReason::BadTagBlockChecksum => "bad_tag_block_checksum",
            RejectReason::BadGatehouse => "bad_gatehouse",
            RejectReason::BadFieldCount => "bad_field_count",
            RejectReason::BadFragmentNumbers => "bad_fragment_numbers",
            RejectReason::BadSequenceId => "bad_sequence_id",
            RejectReason::BadFillBits => "bad_fill_bits",
            RejectReason::BadPayloadCharacter => "bad_payload_character",
            RejectReason::PayloadTooLong => "payload_too_long",
            RejectReason::OrphanFragment => "orphan_fragment",
            RejectReason::DuplicateFragment => "duplicate_fragment",
            RejectReason::IncompleteMessage => "incomplete_message",
            RejectReason::EmptyPayload => "empty_payload",
            RejectReason::UnknownMessageType => "unknown_message_type",
            RejectReason::BadLength => "bad_length",
            RejectReason::BadType24Part => "bad_type24_part",
        }
    }

    fn index(self) -> usize {
        RejectReason::ALL.iter().position(|r| *r == self).unwrap_or(0)
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            RejectReason::NotNmea => "not an NMEA sentence",
            RejectReason::MissingChecksum => "no checksum",
            RejectReason::BadChecksum => "NMEA checksum mismatch",
            RejectReason::BadTagBlock => "unreadable tag block",
            RejectReason::BadTagBlockChecksum => "tag block checksum mismatch",
            RejectReason::BadGatehouse => "unreadable $PGHP line",
            RejectReason::BadFieldCount => "VDM/VDO sentence without seven fields",
            RejectReason::BadFragmentNumbers => "bad fragment count or number",
            RejectReason::BadSequenceId => "bad sequence id",
            RejectReason::BadFillBits => "fill bits not 0-5",
            RejectReason::BadPayloadCharacter => "character outside the payload alphabet",
            RejectReason::PayloadTooLong => "payload longer than any AIS message",
            RejectReason::OrphanFragment => "fragment without its first fragment",
            RejectReason::DuplicateFragment => "fragment received twice",
            RejectReason::IncompleteMessage => "message with missing fragments",
            RejectReason::EmptyPayload => "empty payload",
            RejectReason::UnknownMessageType => "unknown message type",
            RejectReason::BadLength => "bit length not allowed for the message type",
            RejectReason::BadType24Part => "type 24 part number not 0 or 1",
        };
        f.write_str(text)
    }
}

/// Counts of what the decoder saw: lines by outcome, messages by type,
/// rejected lines by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Every line fed.
    pub lines: u64,
    /// Empty lines and `#` comments.
    pub blank_or_comment: u64,
    /// Valid NMEA sentences that are not AIS (`$GPGGA`, …), and `$PGHP` /
    /// tag-block-only lines whose metadata applies to the next sentence.
    pub other_sentences: u64,
    /// AIS sentences (fragments) accepted, including those that later
    /// completed a message.
    pub fragments: u64,
    /// Messages decoded, by type (index = type; 0 unused).
    pub messages_by_type: [u64; 28],
    /// Messages decoded from sentences whose checksum failed (lenient mode).
    pub messages_with_bad_checksum: u64,
    rejected_by_reason: [u64; RejectReason::ALL.len()],
}

impl Stats {
    /// Messages decoded, all types.
    pub fn messages(&self) -> u64 {
        self.messages_by_type.iter().sum()
    }

    /// Lines rejected for `reason`.
    pub fn rejected(&self, reason: RejectReason) -> u64 {
        self.rejected_by_reason[reason.index()]
    }

    /// Lines rejected, all reasons.
    pub fn rejected_total(&self) -> u64 {
        self.rejected_by_reason.iter().sum()
    }

    /// (reason, count) for every reason with a non-zero count.
    pub fn rejections(&self) -> impl Iterator<Item = (RejectReason, u64)> + '_ {
        RejectReason::ALL.iter().map(|r| (*r, self.rejected(*r))).filter(|(_, n)| *n > 0)
    }

    pub(crate) fn count_reject(&mut self, reason: RejectReason) {
        self.rejected_by_reason[reason.index()] += 1;
    }

    /// Adds another decoder's counts (for parallel decoding).
    pub fn merge(&mut self, other: &Stats) {
        self.lines += other.lines;
        self.blank_or_comment += other.blank_or_comment;
        self.other_sentences += other.other_sentences;
        self.fragments += other.fragments;
        self.messages_with_bad_checksum += other.messages_with_bad_checksum;
        for (a, b) in self.messages_by_type.iter_mut().zip(other.messages_by_type) {
            *a += b;
        }
        for (a, b) in self.rejected_by_reason.iter_mut().zip(other.rejected_by_reason) {
            *a += b;
        }
    }
}
