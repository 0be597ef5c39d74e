//! The encoder: messages to `!AIVDM` sentences, with optional tag blocks.
//! The simulator writes its feeds through this; decoding what it writes
//! gives back the same messages (property-tested).

use std::fmt::Write as _;

use tumen_model::Timestamp;

use crate::armor;
use crate::bits::Bits;
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

/// Wraps payload bits (of any message, valid or not) into sentences.
pub fn sentences_for_bits(bits: &Bits, options: &SentenceOptions<'_>) -> Result<Vec<String>, EncodeError> {
    let (payload, fill) = armor_payload(bits);
    let chunk = options.max_payload_chars.max(1);
    let count = payload.len().div_ceil(chunk).max(1);
    if count > 9 {
        return Err(EncodeError::TooManySentences);
    }
    let formatter = if options.own_ship { "VDO" } else { "VDM" };
    let talker = String::from_utf8_lossy(&options.talker).into_owned();
    let channel = options.channel.map(char::from).map(String::from).unwrap_or_default();
    let mut sentences = Vec::with_capacity(count);
    for number in 1..=count {
        let part = payload.get((number - 1) * chunk..(number * chunk).min(payload.len())).unwrap_or("");
        let part_fill = if number == count { fill } else { 0 };
        let sequence = if count > 1 { (options.sequence_id % 10).to_string() } else { String::new() };
        let body = format!("{talker}{formatter},{count},{number},{sequence},{channel},{part},{part_fill}");
        let mut line = String::with_capacity(body.len() + 40);
        if let Some(tags) = &options.tag_block {
            if let Some(block) = tag_block(tags, number, count) {
                line.push_str(&block);
            }
        }
        let _ = write!(line, "!{body}*{:02X}", checksum(&body));
        sentences.push(line);
    }
    Ok(sentences)
}

fn tag_block(tags: &TagBlockOptions<'_>, number: usize, count: usize) -> Option<String> {
    let mut fields = Vec::new();
    if count > 1 {
        if let Some(id) = tags.group_id {
            fields.push(format!("g:{number}-{count}-{id}"));
        }
    }
    if number == 1 {
        if let Some(source) = tags.source {
            fields.push(format!("s:{source}"));
        }
        if let Some(time) = tags.receiver_time {
            let ms = time.unix_ms();
            fields.push(if ms % 1000 == 0 { format!("c:{}", ms / 1000) } else { format!("c:{ms}") });
        }
    }
    if fields.is_empty() {
        return None;
    }
    let body = fields.join(",");
    Some(format!("\\{body}*{:02X}\\", checksum(&body)))
}

fn checksum(body: &str) -> u8 {
    body.bytes().fold(0, |a, b| a ^ b)
}
