//! The encoder: messages to `!AIVDM` sentences, with optional tag blocks.
//! The simulator writes its feeds through this; decoding what it writes
//! gives back the same messages (property-tested).

use tumen_model::Timestamp;

use crate::armor;
use crate::bits::{Bits, MAX_MESSAGE_BITS};
use crate::message::{FieldOverflow, Message};

/// How to wrap a message into sentences.
#[derive(Clone, Copy, Debug)]
pub struct SentenceOptions<'a> {
    /// Talker id, `AI` by default.
    pub talker: [u8; 2],
    /// Write `VDO` (own ship) instead of `VDM`.
    pub own_ship: bool,
    /// Radio channel, `A` or `B` usually.
    pub channel: Option<u8>,
    /// Sequential message id 0–9 for multi-sentence messages.
    pub sequence_id: u8,
    /// Payload characters per sentence; 60 keeps sentences within NMEA's
    /// 82 characters.
    pub max_payload_chars: usize,
    /// Tag block to put in front of the sentences, if any.
    pub tag_block: Option<TagBlockOptions<'a>>,
    /// Receiver identity and time after the checksum, USCG style, if any.
    pub uscg_trailer: Option<UscgTrailer<'a>>,
}

impl Default for SentenceOptions<'_> {
    fn default() -> Self {
        SentenceOptions {
            talker: *b"AI",
            own_ship: false,
            channel: Some(b'A'),
            sequence_id: 0,
            max_payload_chars: 60,
            tag_block: None,
            uscg_trailer: None,
        }
    }
}

/// Tag block fields to write: `s:` and `c:` on the first sentence, `g:` on
/// every sentence of a multi-sentence message.
#[derive(Clone, Copy, Debug, Default)]
pub struct TagBlockOptions<'a> {
    pub source: Option<&'a str>,
    /// Written as whole seconds, or as milliseconds when it has a fraction.
    pub receiver_time: Option<Timestamp>,
    /// Group id for `g:`; groups are written only for multi-sentence messages.
    pub group_id: Option<u32>,
}

/// The fields USCG-style feeds append after the checksum:
/// `,<station>,<unix seconds>`. The decoder reads the station token back
/// whole, so give it as feeds write it: `r` (receiver) or `b` (base
/// station) and a name, e.g. `r003669945`.
#[derive(Clone, Copy, Debug)]
pub struct UscgTrailer<'a> {
    pub station: &'a str,
    /// Written as whole seconds (the fraction is dropped, as those feeds do).
    pub receiver_time: Timestamp,
}

/// Why a message could not be encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncodeError {
    /// A field value does not fit its width.
    FieldOverflow(FieldOverflow),
    /// The message needs more than nine sentences at this sentence size.
    TooManySentences,
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EncodeError::FieldOverflow(o) => write!(f, "value does not fit the {}-bit field at bit {}", o.len, o.start),
            EncodeError::TooManySentences => write!(f, "message needs more than nine sentences"),
        }
    }
}

impl std::error::Error for EncodeError {}

/// Armors payload bits: the payload characters and the fill-bit count.
pub fn armor_payload(bits: &Bits) -> (String, u8) {
    let (values, fill) = bits.sixbit_values();
    (values.map(|v| char::from(armor::payload_char(v))).collect(), fill as u8)
}

/// Encodes a message into one or more sentences (without line endings).
pub fn encode_sentences(message: &Message, options: &SentenceOptions<'_>) -> Result<Vec<String>, EncodeError> {
    let bits = message.encode().map_err(EncodeError::FieldOverflow)?;
    sentences_for_bits(&bits, options)
}

/// Wraps payload bits (of any message, valid or not) into sentences
/// (without line endings).
pub fn sentences_for_bits(bits: &Bits, options: &SentenceOptions<'_>) -> Result<Vec<String>, EncodeError> {
    let mut text = Vec::with_capacity(100);
    append_sentences(bits, options, &mut text)?;
    // Everything written is ASCII: the payload alphabet, digits, the
    // caller's talker, source and station (made ASCII below).
    let text = String::from_utf8_lossy(&text);
    Ok(text.lines().map(str::to_owned).collect())
}

/// Appends the sentences for payload bits to `out`, each ended by `\n`,
/// and returns how many were written. This is the writer behind the other
/// functions, and the one to use in a loop: it does not allocate beyond
/// growing `out`. Bytes of a tag-block source or USCG station that could
/// break the line structure (`\`, `,`, `*`, control and non-ASCII bytes)
/// are written as `_`.
pub fn append_sentences(bits: &Bits, options: &SentenceOptions<'_>, out: &mut Vec<u8>) -> Result<usize, EncodeError> {
    let mut payload = [0u8; MAX_MESSAGE_BITS.div_ceil(6) + 1];
    let (payload_len, fill) = bits.armor_into(&mut payload);
    let payload = &payload[..payload_len];
    let chunk = options.max_payload_chars.max(1);
    let count = payload.len().div_ceil(chunk).max(1);
    if count > 9 {
        return Err(EncodeError::TooManySentences);
    }
    for number in 1..=count {
        let part = &payload[((number - 1) * chunk).min(payload.len())..(number * chunk).min(payload.len())];
        if let Some(tags) = &options.tag_block {
            push_tag_block(tags, number, count, out);
        }
        out.push(b'!');
        let body_start = out.len();
        out.extend_from_slice(&options.talker);
        out.extend_from_slice(if options.own_ship { b"VDO," } else { b"VDM," });
        out.extend_from_slice(&[b'0' + count as u8, b',', b'0' + number as u8, b',']);
        if count > 1 {
            out.push(b'0' + options.sequence_id % 10);
        }
        out.push(b',');
        if let Some(channel) = options.channel {
            out.push(channel);
        }
        out.push(b',');
        out.extend_from_slice(part);
        let part_fill = if number == count { fill as u8 } else { 0 };
        out.extend_from_slice(&[b',', b'0' + part_fill]);
        let sum = checksum(&out[body_start..]);
        push_checksum(sum, out);
        if let Some(trailer) = &options.uscg_trailer {
            out.push(b',');
            push_field_text(trailer.station, out);
            out.push(b',');
            out.extend_from_slice(
                itoa::Buffer::new().format(trailer.receiver_time.unix_ms().div_euclid(1000)).as_bytes(),
            );
        }
        out.push(b'\n');
    }
    Ok(count)
}

/// Writes `\g:…,s:…,c:…*hh\`, or nothing when this sentence gets no field.
fn push_tag_block(tags: &TagBlockOptions<'_>, number: usize, count: usize, out: &mut Vec<u8>) {
    let start = out.len();
    out.push(b'\\');
    let body_start = out.len();
    let separator = |out: &mut Vec<u8>| {
        if out.len() > body_start {
            out.push(b',');
        }
    };
    if count > 1
        && let Some(id) = tags.group_id
    {
        separator(out);
        out.extend_from_slice(&[b'g', b':', b'0' + number as u8, b'-', b'0' + count as u8, b'-']);
        out.extend_from_slice(itoa::Buffer::new().format(id).as_bytes());
    }
    if number == 1 {
        if let Some(source) = tags.source {
            separator(out);
            out.extend_from_slice(b"s:");
            push_field_text(source, out);
        }
        if let Some(time) = tags.receiver_time {
            separator(out);
            out.extend_from_slice(b"c:");
            let ms = time.unix_ms();
            let value = if ms % 1000 == 0 { ms / 1000 } else { ms };
            out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
        }
    }
    if out.len() == body_start {
        out.truncate(start);
        return;
    }
    let sum = checksum(&out[body_start..]);
    push_checksum(sum, out);
    out.push(b'\\');
}

fn push_field_text(text: &str, out: &mut Vec<u8>) {
    out.extend(
        text.bytes()
            .map(|b| if b.is_ascii_graphic() && !matches!(b, b'\\' | b',' | b'*' | b'!' | b'$') { b } else { b'_' }),
    );
}

fn push_checksum(sum: u8, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(&[b'*', HEX[usize::from(sum >> 4)], HEX[usize::from(sum & 15)]]);
}

fn checksum(body: &[u8]) -> u8 {
    crate::scan::xor_all(body)
}
