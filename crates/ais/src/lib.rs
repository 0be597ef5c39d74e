//! AIS for Tumen: NMEA 0183 `!AIVDM` / `!AIVDO` lines in, typed messages out,
//! and back.
//!
//! This crate reads what AIS receivers and data vendors write: sentences with
//! any talker id (also the `$`-led form of old equipment), NMEA 4.10 tag blocks, USCG fields after the checksum and
//! Gatehouse `$PGHP` lines; it joins multi-sentence messages and decodes
//! every message type, 1 to 27, with every field. It also encodes the same
//! messages, which is how the simulator writes its feeds. It does no I/O:
//! callers hand it lines and receive [`Decoded`] messages and [`Rejected`]
//! lines through a [`Sink`].
//!
//! ```
//! use tumen_ais::{Decoder, DecoderConfig, FnSink, Message};
//!
//! let mut decoder = Decoder::new(DecoderConfig::default());
//! let mut mmsis = Vec::new();
//! let mut sink = FnSink {
//!     on_message: |d: &tumen_ais::Decoded<'_>| mmsis.push(d.message.mmsi().0),
//!     on_reject: |r: &tumen_ais::Rejected<'_>| panic!("{}", r.reason),
//! };
//! decoder.feed_line(b"!AIVDM,1,1,,B,15Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*63", &mut sink);
//! decoder.finish(&mut sink);
//! assert_eq!(mmsis, [356302000]);
//! ```
//!
//! # Conventions
//!
//! - **Raw values, sentinels kept.** Message structs hold each field as
//!   transmitted, including "not available" values (longitude 181°, speed
//!   1023, heading 511, …); accessor methods give scaled values in named
//!   units and `None` for the sentinels. A field name ending in `_e<k>`
//!   holds the quantity in its unit times 10^k (`sog_knots_e1`: 0.1 knot).
//! - **Text** ends at the first `@` and trailing spaces are not part of the
//!   value ([`AisString::as_str`]); the untrimmed form is kept for exact
//!   re-encoding ([`AisString::raw`]). gpsd does the same.
//! - **Type 24** parts A and B are separate messages; joining them by MMSI
//!   is the registry's job, not the decoder's.
//! - **Checksums.** A sentence whose NMEA checksum fails is rejected and
//!   counted; so is a tag block whose own checksum fails (most decoders
//!   ignore tag-block checksums). [`DecoderConfig::lenient`] accepts both,
//!   marking the message (`checksum_ok == false`).
//! - **Fragments** are joined on talker, channel, sequence id and fragment
//!   count, plus tag-block group (`g:`) and source (`s:`) when present, in a
//!   bounded table with a timeout ([`AssemblyConfig`]). Fragments may
//!   interleave with other messages' fragments and with other NMEA sentences;
//!   a message's first fragment must come first, the others in any order.
//!   Fill bits count only on the last fragment.
//! - **Lengths.** Each type accepts its standard length and, like gpsd, the
//!   lengths seen from real transmitters: anything longer than a fixed-size
//!   type (extra bits ignored), types 1–3 from 163 bits, type 5 from 420,
//!   type 24 part A at 160–168 and part B from 162, type 27 at 96 or 168
//!   ([`accepted_bits`]).
//!   Bits past the end of a message read as zero; fill bits are not data.
//! - **Receiver time** comes from the tag block `c:`, else a USCG trailing
//!   time, else a preceding `$PGHP` line, else a logger's time written in
//!   front of the sentence (`2023-09-07 06:10:00 !AIVDM…`, read as UTC);
//!   when none is present the message has none
//!   ([`MessageMeta::receiver_time`] is `None`): the decoder never invents
//!   one.
//! - **Rejects.** Every line that yields no message is reported once, with
//!   its line number and a [`RejectReason`], and counted in [`Stats`]. No
//!   input makes the decoder panic (fuzzed; see `fuzz/`).
//! - **Binary messages** 6 and 8 keep DAC, FI and the raw payload; the
//!   payloads listed in [`application`] are decoded on request.
//!
//! # Why by hand
//!
//! The decoder is the first stage of every Tumen job and runs over ~10^8
//! messages a day of global AIS, so its speed sets the speed of ingest. The
//! existing Rust crates (`ais`, `nmea-parser`) allocate per message, miss
//! types (22, 23, 25, 26) or panic on short real messages, and have been
//! inactive for over a year; a parser-combinator library (`nom`) would
//! still leave the bit-level work to us and add indirection on the hot
//! path. Measured side by side (`bench/peers.sh`, figures in
//! `bench/README.md`), this decoder is several times faster than the
//! fastest of them while decoding every type and field and checking more.
//!
//! How: a sentence in its usual shape is read by position, any other shape
//! by one scan that finds the `*`, the commas and the checksum eight bytes
//! at a time in a `u64` (safe code); the payload is de-armored and
//! validated eight characters to six bytes per step, by four lookups in a
//! table of character pairs, into a fixed buffer; each field is one
//! unaligned 64-bit load and two shifts;
//! messages are decoded in place. Message layouts are written once
//! ([`message`]) and read both ways, so the encoder cannot drift from the
//! decoder. Nothing on the single-sentence path allocates (a test counts
//! allocations); multi-sentence assembly reuses its buffers. The crate has
//! no `unsafe`.

#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

pub mod application;
mod armor;
mod assembler;
pub mod bits;
mod decoder;
mod encode;
pub mod gpsd;
pub mod message;
mod reject;
mod scan;
pub mod sentence;
mod swar;
mod text;
pub mod vocabulary;

pub use assembler::AssemblyConfig;
pub use bits::{Bits, MAX_MESSAGE_BITS};
pub use decoder::{Decoded, Decoder, DecoderConfig, FnSink, MessageMeta, Rejected, Sink};
pub use encode::{
    EncodeError, SentenceOptions, TagBlockOptions, UscgTrailer, append_sentences, armor_payload, encode_sentences,
    sentences_for_bits,
};
pub use message::{Message, accepted_bits};
pub use reject::{RejectReason, Stats};
pub use sentence::TimeSource;
pub use text::{AisString, TextError};
