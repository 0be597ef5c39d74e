//! The NMEA layer: one input line → an AIS sentence (fragment) with its
//! metadata, or a reason it is not one.
//!
//! Handled here: `!xxVDM` / `!xxVDO` (and `$xxVDM`) with any talker and
//! their checksum;
//! NMEA 4.10 / IEC 62320-1 tag blocks (`\s:…,c:…,g:…*hh\`) with their own
//! checksum; USCG-style fields after the checksum (`,r<station>,<unix time>`);
//! Gatehouse `$PGHP` lines, alone or in front of a sentence. Nothing here
//! allocates.

use tumen_model::Timestamp;

use crate::reject::RejectReason;

/// What one line is.
#[derive(Clone, Debug, PartialEq)]
pub enum Line<'a> {
    /// An AIS sentence: one fragment of a message.
    Sentence(Sentence<'a>),
    /// Metadata that applies to the next sentence: a `$PGHP` line or a line
    /// holding only a tag block.
    Prefix(Prefix<'a>),
    /// A valid NMEA sentence that is not AIS.
    OtherSentence,
    /// Empty, or a `#` comment.
    Blank,
}

/// One `!..VDM` / `!..VDO` sentence and what came with it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sentence<'a> {
    /// Two-letter talker id (`AI`, `AB`, `BS`, `SA`, …).
    pub talker: [u8; 2],
    /// `VDO`: the receiver's own ship.
    pub own_ship: bool,
    /// Number of fragments in the message, 1–9.
    pub fragment_count: u8,
    /// This fragment's number, 1-based.
    pub fragment_number: u8,
    /// Sequential message id 0–9, for multi-fragment messages.
    pub sequence_id: Option<u8>,
    /// Radio channel as sent (`A`, `B`, `1`, `2`, …).
    pub channel: Option<u8>,
    /// The armored payload characters (validated later).
    pub payload: &'a [u8],
    /// Fill bits 0–5.
    pub fill_bits: u8,
    /// False when the NMEA checksum failed and lenient mode accepted it.
    pub checksum_ok: bool,
    /// Tag block fields, if a tag block preceded the sentence.
    pub tag_block: TagBlock<'a>,
    /// Fields after the checksum (USCG) or from a `$PGHP` wrapper.
    pub trailer: Trailer<'a>,
}

/// Fields of one or more tag blocks (NMEA 4.10 keys; IEC 62320-1 aliases
/// `x` → line count, `i` → text, `nGm:id` → group).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TagBlock<'a> {
    /// `s:` source / station.
    pub source: Option<&'a str>,
    /// `c:` receiver time (seconds or milliseconds, see
    /// [`Timestamp::from_unix_seconds_or_ms`]).
    pub receiver_time: Option<Timestamp>,
    /// `g:` sentence grouping.
    pub group: Option<Group>,
    /// `n:` line count.
    pub line_count: Option<u32>,
    /// `r:` relative time.
    pub relative_time: Option<i64>,
    /// `d:` destination.
    pub destination: Option<&'a str>,
    /// `t:` text.
    pub text: Option<&'a str>,
    /// False when a tag block checksum failed and lenient mode accepted it.
    pub checksum_ok: bool,
    /// True when any tag block was present.
    pub present: bool,
}

/// A `g:` (or IEC `nGm`) group: sentence `number` of `total` in group `id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    pub number: u8,
    pub total: u8,
    pub id: u32,
}

/// Reception metadata carried outside the tag block: USCG fields after the
/// checksum, or a Gatehouse `$PGHP` wrapper.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Trailer<'a> {
    /// Receiving station (`r…`/`b…` USCG field, or the `$PGHP` PSS MMSI).
    pub station: Option<&'a str>,
    /// Receiver time (the USCG last field, or the `$PGHP` date and time).
    pub receiver_time: Option<Timestamp>,
    /// Where the time came from.
    pub time_source: Option<TimeSource>,
}

/// Which part of the input a receiver time was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeSource {
    /// Tag block `c:`.
    TagBlock,
    /// The last field after the checksum, USCG style.
    UscgTrailer,
    /// A Gatehouse `$PGHP` line.
    Gatehouse,
    /// A time a logger wrote in front of the sentence.
    LinePrefix,
}

/// Metadata lines that apply to the following sentence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Prefix<'a> {
    Gatehouse(Trailer<'a>),
    TagBlock(TagBlock<'a>),
}

/// Reads one line (without its line ending; trailing `\r` and whitespace are
/// ignored). `lenient` accepts failed checksums, marked, instead of
/// rejecting them.
pub fn parse_line(line: &[u8], lenient: bool) -> Result<Line<'_>, RejectReason> {
    let mut sentence = Sentence::default();
    Ok(match parse_line_into(line, lenient, &mut sentence)? {
        LineKind::Sentence => Line::Sentence(sentence),
        LineKind::GatehousePrefix => Line::Prefix(Prefix::Gatehouse(sentence.trailer)),
        LineKind::TagBlockPrefix => Line::Prefix(Prefix::TagBlock(sentence.tag_block)),
        LineKind::OtherSentence => Line::OtherSentence,
        LineKind::Blank => Line::Blank,
    })
}

/// What [`parse_line_into`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// An AIS sentence, now in the `Sentence`.
    Sentence,
    /// A `$PGHP` line; its fields are in the `Sentence`'s trailer.
    GatehousePrefix,
    /// A line holding only a tag block, now in the `Sentence`'s tag block.
    TagBlockPrefix,
    /// A valid NMEA sentence that is not AIS.
    OtherSentence,
    /// Empty, or a `#` comment.
    Blank,
}

/// [`parse_line`] writing into `out` (which should start as
/// `Sentence::default()`), so the hot path moves no large values.
pub fn parse_line_into<'a>(line: &'a [u8], lenient: bool, out: &mut Sentence<'a>) -> Result<LineKind, RejectReason> {
    let line = trim(line);
    if line.is_empty() || line[0] == b'#' {
        return Ok(LineKind::Blank);
    }
    let mut rest = line;
    out.tag_block.checksum_ok = true;
    loop {
        match rest.first() {
            Some(b'\\') => {
                rest = parse_tag_block(rest, &mut out.tag_block, lenient)?;
            }
            Some(b'$') if rest.starts_with(b"$PGHP") => {
                let (gatehouse, after) = parse_gatehouse(rest, lenient)?;
                out.trailer = gatehouse;
                rest = after;
            }
            _ => break,
        }
        if rest.is_empty() {
            let gatehouse = out.trailer.time_source.is_some() || out.trailer.station.is_some();
            return Ok(if gatehouse { LineKind::GatehousePrefix } else { LineKind::TagBlockPrefix });
        }
    }
    match rest.first() {
        Some(b'!') => parse_sentence(rest, lenient, out),
        // Some old equipment writes AIS with the `$` of ordinary sentences;
        // decode it rather than pass it by as some other talker.
        Some(b'$') if matches!(rest.get(3..6), Some(b"VDM" | b"VDO")) => parse_sentence(rest, lenient, out),
        Some(b'$') => {
            // Some other NMEA talker (GPS, compass …); interleaving is normal.
            checked_body(rest, lenient)?;
            Ok(LineKind::OtherSentence)
        }
        _ => parse_prefixed(rest, lenient, out),
    }
}

/// A sentence after a logger's prefix: `2023-09-07 06:10:00.123 !AIVDM…`,
/// `1694067000;\\s:…\\!AIVDM…`, `COM1: !AIVDM…`. The prefix must end with a
/// space, tab, `,`, `;`, `|` or `:` right before the `!` or `\\`. When it
/// reads as a time ([`Timestamp::parse_lenient`]) it is the receiver time,
/// unless the tag block or USCG fields give one; otherwise it is ignored,
/// as the sentence checks itself.
fn parse_prefixed<'a>(line: &'a [u8], lenient: bool, out: &mut Sentence<'a>) -> Result<LineKind, RejectReason> {
    let start = memchr::memchr2(b'!', b'\\', line).ok_or(RejectReason::NotNmea)?;
    if start == 0 || !matches!(line[start - 1], b' ' | b'\t' | b',' | b';' | b'|' | b':') {
        return Err(RejectReason::NotNmea);
    }
    let prefix = &line[..start - 1];
    if let Some(time) = std::str::from_utf8(prefix).ok().and_then(Timestamp::parse_lenient) {
        out.trailer.receiver_time = Some(time);
        out.trailer.time_source = Some(TimeSource::LinePrefix);
    }
    let kind = parse_line_into(&line[start..], lenient, out)?;
    // A prefix alone does not make a line metadata for the next one.
    if kind == LineKind::GatehousePrefix && out.trailer.time_source == Some(TimeSource::LinePrefix) {
        return Ok(LineKind::TagBlockPrefix);
    }
    Ok(kind)
}

fn trim(mut line: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = line {
        if first.is_ascii_whitespace() || *first == 0 {
            line = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = line {
        if last.is_ascii_whitespace() || *last == 0 {
            line = rest;
        } else {
            break;
        }
    }
    line
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

use crate::scan::xor_all;

/// Splits `$…*hh rest` / `!…*hh rest` into the checksummed body (without the
/// leading `$`/`!`), whether the checksum matched, and what follows it.
fn checked_body(sentence: &[u8], lenient: bool) -> Result<(&[u8], bool, &[u8]), RejectReason> {
    let star = memchr::memchr(b'*', sentence).ok_or(RejectReason::MissingChecksum)?;
    let body = &sentence[1..star];
    let (hi, lo) = match sentence.get(star + 1..star + 3) {
        Some([hi, lo]) => (hex_digit(*hi), hex_digit(*lo)),
        _ => (None, None),
    };
    let (Some(hi), Some(lo)) = (hi, lo) else {
        return Err(RejectReason::MissingChecksum);
    };
    let ok = xor_all(body) == (hi << 4 | lo);
    if !ok && !lenient {
        return Err(RejectReason::BadChecksum);
    }
    Ok((body, ok, &sentence[star + 3..]))
}

fn parse_sentence<'a>(sentence: &'a [u8], lenient: bool, out: &mut Sentence<'a>) -> Result<LineKind, RejectReason> {
    parse_sentence_with(sentence, lenient, out, true)
}

/// `by_position` off forces the general scan (the tests compare the two).
fn parse_sentence_with<'a>(
    sentence: &'a [u8],
    lenient: bool,
    out: &mut Sentence<'a>,
    by_position: bool,
) -> Result<LineKind, RejectReason> {
    let body_and_rest = &sentence[1..];
    let n = body_and_rest.len();
    // The common shape — nothing after the checksum, one-character fields —
    // is read by position; anything else takes the general scan.
    let common = if by_position && n >= 3 && body_and_rest[n - 3] == b'*' {
        let body = &body_and_rest[..n - 3];
        common_fields(body).map(|fields| (body, fields, xor_all(body)))
    } else {
        None
    };
    let (body, fields, xor) = match common {
        Some(found) => found,
        None => {
            if n > usize::from(u16::MAX) {
                // No sentence is this long; the scan records positions as u16.
                return Err(RejectReason::BadFieldCount);
            }
            let scan = crate::scan::scan_sentence(body_and_rest);
            let star = scan.star.ok_or(RejectReason::MissingChecksum)?;
            let body = &body_and_rest[..star];
            if body.len() < 6 || body[5] != b',' || !matches!(&body[2..5], b"VDM" | b"VDO") {
                // Not AIS; only its checksum matters.
                checksum(body_and_rest, star, scan.xor, lenient)?;
                return Ok(LineKind::OtherSentence);
            }
            if scan.comma_count != 6 {
                checksum(body_and_rest, star, scan.xor, lenient)?;
                return Err(RejectReason::BadFieldCount);
            }
            let c = &scan.commas;
            let end = |i: usize| if i + 1 < 6 { usize::from(c[i + 1]) } else { body.len() };
            let field = |i: usize| &body[usize::from(c[i]) + 1..end(i)];
            (body, [field(0), field(1), field(2), field(3), field(4), field(5)], scan.xor)
        }
    };
    let star = body.len();
    let checksum_ok = checksum(body_and_rest, star, xor, lenient)?;
    let after = &body_and_rest[star + 3..];
    let own_ship = match &body[2..5] {
        b"VDM" => false,
        b"VDO" => true,
        _ => return Ok(LineKind::OtherSentence),
    };
    let [count, number, seq, channel, payload, fill] = fields;
    let talker = [body[0], body[1]];
    let fragment_count = single_digit(count).filter(|n| (1..=9).contains(n)).ok_or(RejectReason::BadFragmentNumbers)?;
    let fragment_number =
        single_digit(number).filter(|n| (1..=fragment_count).contains(n)).ok_or(RejectReason::BadFragmentNumbers)?;
    let sequence_id = match seq {
        [] => None,
        _ => Some(single_digit(seq).ok_or(RejectReason::BadSequenceId)?),
    };
    let channel = match channel {
        [] => None,
        [c] => Some(*c),
        // Some receivers write the channel twice or add junk; keep the first.
        [c, ..] if lenient => Some(*c),
        _ => return Err(RejectReason::BadFieldCount),
    };
    let fill_bits = match fill {
        // An empty fill field is common on single-sentence messages that
        // need no fill; read it as 0.
        [] => 0,
        _ => single_digit(fill).filter(|n| *n <= 5).ok_or(RejectReason::BadFillBits)?,
    };
    // USCG fields after the checksum; their time, the receiver's, wins over
    // a logger's prefix.
    if !after.is_empty() && matches!(out.trailer.time_source, None | Some(TimeSource::LinePrefix)) {
        let uscg = parse_uscg_trailer(after);
        out.trailer.station = uscg.station;
        if uscg.receiver_time.is_some() {
            out.trailer.receiver_time = uscg.receiver_time;
            out.trailer.time_source = uscg.time_source;
        }
    }
    out.talker = talker;
    out.own_ship = own_ship;
    out.fragment_count = fragment_count;
    out.fragment_number = fragment_number;
    out.sequence_id = sequence_id;
    out.channel = channel;
    out.payload = payload;
    out.fill_bits = fill_bits;
    out.checksum_ok = checksum_ok;
    Ok(LineKind::Sentence)
}

/// Checks the two hex digits after the `*` at `star` against `xor`: true
/// when they match, false when lenient mode accepts a mismatch.
fn checksum(body_and_rest: &[u8], star: usize, xor: u8, lenient: bool) -> Result<bool, RejectReason> {
    let (hi, lo) = match body_and_rest.get(star + 1..star + 3) {
        Some([hi, lo]) => (hex_digit(*hi), hex_digit(*lo)),
        _ => (None, None),
    };
    let (Some(hi), Some(lo)) = (hi, lo) else {
        return Err(RejectReason::MissingChecksum);
    };
    let ok = xor == (hi << 4 | lo);
    if !ok && !lenient {
        return Err(RejectReason::BadChecksum);
    }
    Ok(ok)
}

/// The six fields of a VDM/VDO body in its usual shape —
/// `xxVDM,c,n,[s],[ch],payload,[f]` with one-character fields and no `*`
/// — found by position. `None` for any other shape: the general scan then
/// decides, so both paths accept and reject the same lines.
fn common_fields(body: &[u8]) -> Option<[&[u8]; 6]> {
    let n = body.len();
    let special = |b: u8| b == b',' || b == b'*';
    if n < 12 || body[5] != b',' || body[7] != b',' || body[9] != b',' || !matches!(&body[2..5], b"VDM" | b"VDO") {
        return None;
    }
    if special(body[0]) || special(body[1]) || special(body[6]) || special(body[8]) {
        return None;
    }
    // A field of zero or one character starting at `at`; returns it and
    // where the next field starts.
    let short = |at: usize| -> Option<(&[u8], usize)> {
        match (body.get(at)?, body.get(at + 1)) {
            (b',', _) => Some((&body[at..at], at + 1)),
            (&c, Some(b',')) if !special(c) => Some((&body[at..at + 1], at + 2)),
            _ => None,
        }
    };
    let (seq, at) = short(10)?;
    let (channel, payload_start) = short(at)?;
    let (payload_end, fill) = match (body[n - 2], body[n - 1]) {
        (_, b',') => (n - 1, &body[n..n]),
        (b',', f) if !special(f) => (n - 2, &body[n - 1..n]),
        _ => return None,
    };
    let payload = body.get(payload_start..payload_end)?;
    if crate::scan::contains_comma_or_star(payload) {
        return None;
    }
    Some([&body[6..7], &body[8..9], seq, channel, payload, fill])
}

fn single_digit(field: &[u8]) -> Option<u8> {
    match field {
        [d @ b'0'..=b'9'] => Some(d - b'0'),
        _ => None,
    }
}

/// A decimal integer (optionally signed) of at most 18 digits, read without
/// going through `str`: tag blocks carry several per line.
fn parse_int<T: TryFrom<i64>>(field: &[u8]) -> Option<T> {
    let (negative, digits) = match field {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, field),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut value: i64 = 0;
    let mut rest = digits;
    // Eight digits at a time (SWAR): Unix times have ten or thirteen.
    while let Some((eight, tail)) = rest.split_first_chunk::<8>() {
        value = value * 100_000_000 + i64::from(eight_digits(*eight)?);
        rest = tail;
    }
    for &d in rest {
        if !d.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(d - b'0');
    }
    T::try_from(if negative { -value } else { value }).ok()
}

/// The value of eight ASCII digits, or `None` if any byte is not a digit.
fn eight_digits(chunk: [u8; 8]) -> Option<u32> {
    let word = u64::from_le_bytes(chunk);
    let digits = word.wrapping_sub(0x3030_3030_3030_3030);
    // A byte is a digit when it is ≥ '0' and, plus 6, still below 0x40.
    let not_digit = (digits | digits.wrapping_add(0x0606_0606_0606_0606)) & 0xF0F0_F0F0_F0F0_F0F0;
    if not_digit != 0 {
        return None;
    }
    // Combine pairs, then quads, then the two halves (first digit is the
    // lowest byte in little-endian order).
    let pairs = (digits.wrapping_mul(10) + (digits >> 8)) & 0x00FF_00FF_00FF_00FF;
    let quads = (pairs.wrapping_mul(100) + (pairs >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some((quads.wrapping_mul(10_000) + (quads >> 32)) as u32)
}

/// Unix time in seconds, with an optional fraction.
fn parse_unix_time(field: &[u8]) -> Option<Timestamp> {
    if let Some(seconds) = parse_int::<i64>(field) {
        return Timestamp::from_unix_seconds_or_ms(seconds);
    }
    let text = std::str::from_utf8(field).ok()?;
    if !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    Timestamp::from_unix_seconds_f64(text.parse().ok()?)
}

/// Reads one `\…*hh\` tag block at the start of `line` into `out`; returns
/// the rest of the line.
fn parse_tag_block<'a>(line: &'a [u8], out: &mut TagBlock<'a>, lenient: bool) -> Result<&'a [u8], RejectReason> {
    let close = memchr::memchr(b'\\', &line[1..]).ok_or(RejectReason::BadTagBlock)? + 1;
    if close > usize::from(u16::MAX) {
        return Err(RejectReason::BadTagBlock);
    }
    let block = &line[1..close];
    let rest = &line[close + 1..];
    // One pass finds the checksum, the `*` and the commas; fields follow.
    let scan = crate::scan::scan_sentence(block);
    let star = scan.star;
    let xor = scan.xor;
    let fields_end = star.unwrap_or(block.len());
    if scan.comma_count <= scan.commas.len() {
        let mut start = 0;
        for &comma in &scan.commas[..scan.comma_count] {
            tag_field(&block[start..usize::from(comma)], out)?;
            start = usize::from(comma) + 1;
        }
        tag_field(&block[start..fields_end], out)?;
    } else {
        for field in block[..fields_end].split(|&b| b == b',') {
            tag_field(field, out)?;
        }
    }
    match star {
        Some(star) => {
            let ok = match block.get(star + 1..) {
                Some([hi, lo]) => match (hex_digit(*hi), hex_digit(*lo)) {
                    (Some(hi), Some(lo)) => xor == (hi << 4 | lo),
                    _ => return Err(RejectReason::BadTagBlock),
                },
                _ => return Err(RejectReason::BadTagBlock),
            };
            if !ok {
                if !lenient {
                    return Err(RejectReason::BadTagBlockChecksum);
                }
                out.checksum_ok = false;
            }
        }
        None if lenient => out.checksum_ok = false,
        None => return Err(RejectReason::MissingChecksum),
    }
    out.present = true;
    Ok(rest)
}

/// One `key:value` field of a tag block.
fn tag_field<'a>(field: &'a [u8], out: &mut TagBlock<'a>) -> Result<(), RejectReason> {
    if field.is_empty() {
        return Ok(());
    }
    // Keys are one letter, except IEC groups (`1G2:`): look there first.
    let colon =
        if field.get(1) == Some(&b':') { 1 } else { memchr::memchr(b':', field).ok_or(RejectReason::BadTagBlock)? };
    let (key, value) = (&field[..colon], &field[colon + 1..]);
    let text = || std::str::from_utf8(value).map_err(|_| RejectReason::BadTagBlock);
    match key {
        b"c" => out.receiver_time = Some(parse_unix_time(value).ok_or(RejectReason::BadTagBlock)?),
        b"s" => out.source = Some(text()?),
        b"g" => out.group = Some(parse_group(value).ok_or(RejectReason::BadTagBlock)?),
        b"n" | b"x" => out.line_count = Some(parse_int(value).ok_or(RejectReason::BadTagBlock)?),
        b"r" => out.relative_time = Some(parse_int(value).ok_or(RejectReason::BadTagBlock)?),
        b"d" => out.destination = Some(text()?),
        b"t" | b"i" => out.text = Some(text()?),
        _ => {
            // IEC 62320-1 grouping: `1G2:1234`.
            if let Some(g) = memchr::memchr(b'G', key) {
                let number = parse_int(&key[..g]).ok_or(RejectReason::BadTagBlock)?;
                let total = parse_int(&key[g + 1..]).ok_or(RejectReason::BadTagBlock)?;
                let id = parse_int(value).ok_or(RejectReason::BadTagBlock)?;
                out.group = Some(Group { number, total, id });
            }
            // Other keys (vendor extensions) are ignored.
        }
    }
    Ok(())
}

fn parse_group(value: &[u8]) -> Option<Group> {
    let mut parts = value.split(|&b| b == b'-');
    let number = parse_int(parts.next()?)?;
    let total = parse_int(parts.next()?)?;
    let id = parse_int(parts.next()?)?;
    if parts.next().is_some() || number == 0 || number > total {
        return None;
    }
    Some(Group { number, total, id })
}

/// USCG fields after the checksum: `,s1234,d-119,T12.3,r003669958,1085889680`.
/// The station is the field starting with `r` (or `b` for base stations), or
/// with exactly two fields the first; the time is the last field when it is
/// a number. Unrecognised fields are ignored.
fn parse_uscg_trailer(after: &[u8]) -> Trailer<'_> {
    let mut trailer = Trailer::default();
    let Some(after) = after.strip_prefix(b",") else {
        return trailer;
    };
    let mut count = 0;
    let mut first = None;
    let mut last = None;
    let mut station = None;
    for field in after.split(|&b| b == b',') {
        count += 1;
        first.get_or_insert(field);
        last = Some(field);
        if station.is_none() && matches!(field.first(), Some(b'r' | b'b')) {
            station = Some(field);
        }
    }
    if let Some(time) = last.and_then(parse_unix_time) {
        trailer.receiver_time = Some(time);
        trailer.time_source = Some(TimeSource::UscgTrailer);
    }
    let station = station.or(if count == 2 { first } else { None });
    trailer.station = station.and_then(|s| std::str::from_utf8(s).ok()).filter(|s| !s.is_empty());
    trailer
}

/// `$PGHP,1,yyyy,mm,dd,hh,mm,ss,ms,country,region,pss_mmsi,online,cc*hh`:
/// a Gatehouse wrapper giving the receiver time of the following sentence.
fn parse_gatehouse(line: &[u8], lenient: bool) -> Result<(Trailer<'_>, &[u8]), RejectReason> {
    let (body, _ok, rest) = checked_body(line, lenient).map_err(|r| match r {
        RejectReason::BadChecksum => r,
        _ => RejectReason::BadGatehouse,
    })?;
    let mut fields = body.split(|&b| b == b',');
    let mut next = || fields.next().ok_or(RejectReason::BadGatehouse);
    let _tag = next()?;
    let kind = next()?;
    if kind != b"1" {
        // Other $PGHP kinds carry no time; treat the line as metadata-free.
        return Ok((Trailer::default(), rest));
    }
    let number = |field: &[u8]| parse_int::<u32>(field).ok_or(RejectReason::BadGatehouse);
    let year = number(next()?)?;
    let month = number(next()?)?;
    let day = number(next()?)?;
    let hour = number(next()?)?;
    let minute = number(next()?)?;
    let second = number(next()?)?;
    let millisecond = number(next()?)?;
    let _country = next()?;
    let _region = next()?;
    let pss = next()?;
    let time = Timestamp::from_utc_fields(year as i32, month, day, hour, minute, second, millisecond)
        .ok_or(RejectReason::BadGatehouse)?;
    let station = std::str::from_utf8(pss).ok().filter(|s| !s.is_empty());
    Ok((Trailer { station, receiver_time: Some(time), time_source: Some(TimeSource::Gatehouse) }, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(line: &str) -> Sentence<'_> {
        match parse_line(line.as_bytes(), false) {
            Ok(Line::Sentence(s)) => s,
            other => panic!("{line}: {other:?}"),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Reading by position and the general scan accept and reject the
        /// same sentences, with the same fields.
        #[test]
        fn both_sentence_paths_agree(
            seed in proptest::sample::select(vec![
                "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
                "!AIVDM,2,1,9,B,55R3Vn82=ILTQ3KKS>1<D60Dq@E918U<F222221J1`?164vc03S1CCAD,0*2A",
                "!AIVDM,2,2,9,B,`88888888888880,2*76",
                "!BSVDO,1,1,,,15RTgt0PAso;90TKcjM8h6g208CQ,*4A",
                "!AIVDM,1,1,,2,D02E34iFTg6D000000000000002gjG2,0*75",
            ]),
            edits in proptest::collection::vec((0usize..80, proptest::prop_oneof![
                proptest::strategy::Just(b','), proptest::strategy::Just(b'*'), proptest::strategy::Just(b'1'),
                proptest::strategy::Just(b'A'), proptest::arbitrary::any::<u8>()
            ], 0u8..3), 0..3),
            lenient in proptest::arbitrary::any::<bool>(),
        ) {
            let mut line = seed.as_bytes().to_vec();
            for (at, byte, op) in edits {
                let at = at % (line.len() + 1);
                match op {
                    0 => if at < line.len() { line[at] = byte },
                    1 => line.insert(at, byte),
                    _ => if at < line.len() { line.remove(at); },
                }
            }
            if line.first() == Some(&b'!') {
                let mut fast = Sentence::default();
                let mut general = Sentence::default();
                let a = parse_sentence_with(&line, lenient, &mut fast, true);
                let b = parse_sentence_with(&line, lenient, &mut general, false);
                proptest::prop_assert_eq!(a, b);
                proptest::prop_assert_eq!(fast, general);
            }
        }
    }

    #[test]
    fn integers() {
        assert_eq!(parse_int::<i64>(b"1700000001"), Some(1_700_000_001));
        assert_eq!(parse_int::<i64>(b"1241544035123"), Some(1_241_544_035_123));
        assert_eq!(parse_int::<i64>(b"-42"), Some(-42));
        assert_eq!(parse_int::<i64>(b"12345678"), Some(12_345_678));
        assert_eq!(parse_int::<i64>(b"1234567:"), None);
        assert_eq!(parse_int::<i64>(b"12345/78"), None);
        assert_eq!(parse_int::<i64>(b"1234567890123456789"), None);
        assert_eq!(parse_int::<u8>(b"256"), None);
        assert_eq!(parse_int::<i64>(b""), None);
        for n in [0u64, 9, 10, 99_999_999, 100_000_000, 987_654_321_012] {
            assert_eq!(parse_int::<i64>(n.to_string().as_bytes()), Some(n as i64));
        }
    }

    #[test]
    fn plain_sentence() {
        let s = sentence("!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C\r\n");
        assert_eq!(&s.talker, b"AI");
        assert!(!s.own_ship);
        assert_eq!((s.fragment_count, s.fragment_number, s.sequence_id), (1, 1, None));
        assert_eq!(s.channel, Some(b'B'));
        assert_eq!(s.payload, b"177KQJ5000G?tO`K>RA1wUbN0TKH");
        assert!(s.checksum_ok && !s.tag_block.present);
    }

    #[test]
    fn any_talker_and_vdo() {
        let body = "ABVDO,2,1,5,A,53ss<Q000001U3;C?J1@U8MF0t<p63J22222221610@344ae060kkTm0CU0H,0";
        let line = format!("!{body}*{:02x}", body.bytes().fold(0, |a, b| a ^ b));
        let s = sentence(&line);
        assert_eq!(&s.talker, b"AB");
        assert!(s.own_ship);
        assert_eq!(s.sequence_id, Some(5));
    }

    #[test]
    fn checksum_is_checked_and_leniency_marks_it() {
        let bad = "!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5D";
        assert_eq!(parse_line(bad.as_bytes(), false), Err(RejectReason::BadChecksum));
        match parse_line(bad.as_bytes(), true) {
            Ok(Line::Sentence(s)) => assert!(!s.checksum_ok),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_line(b"!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0", false),
            Err(RejectReason::MissingChecksum)
        );
    }

    #[test]
    fn tag_block_fields_and_checksum() {
        let s = sentence(
            "\\g:1-2-73874,n:157036,s:r003669945,c:1241544035*4A\\!AIVDM,1,1,,B,15N4cJ`005Jrek0H@9n`DW5608EP,0*13",
        );
        let t = s.tag_block;
        assert!(t.present && t.checksum_ok);
        assert_eq!(t.source, Some("r003669945"));
        assert_eq!(t.receiver_time, Some(Timestamp::from_unix_ms(1_241_544_035_000)));
        assert_eq!(t.group, Some(Group { number: 1, total: 2, id: 73874 }));
        assert_eq!(t.line_count, Some(157036));
        let broken =
            "\\g:1-2-73874,n:157036,s:r003669945,c:1241544035*4B\\!AIVDM,1,1,,B,15N4cJ`005Jrek0H@9n`DW5608EP,0*13";
        assert_eq!(parse_line(broken.as_bytes(), false), Err(RejectReason::BadTagBlockChecksum));
    }

    #[test]
    fn uscg_trailer() {
        let s =
            sentence("!AIVDM,1,1,,B,15Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*63,s1234,d-119,T12.34567123,r003669958,1085889680");
        assert_eq!(s.trailer.station, Some("r003669958"));
        assert_eq!(s.trailer.receiver_time, Some(Timestamp::from_unix_ms(1_085_889_680_000)));
        assert_eq!(s.trailer.time_source, Some(TimeSource::UscgTrailer));
        let s = sentence("!AIVDM,1,1,,B,15Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*63,station7,1085889680");
        assert_eq!(s.trailer.station, Some("station7"));
        // More fields than usual: the time is still the last one.
        let s = sentence("!AIVDM,1,1,,B,15Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*63,s1,d2,T3,S4,x5,y6,z7,w8,r9,1085889680");
        assert_eq!(s.trailer.station, Some("r9"));
        assert_eq!(s.trailer.receiver_time, Some(Timestamp::from_unix_ms(1_085_889_680_000)));
    }

    #[test]
    fn gatehouse_alone_and_wrapped() {
        match parse_line(b"$PGHP,1,2014,4,10,13,30,29,165,219,,2190067,1,28*22", false) {
            Ok(Line::Prefix(Prefix::Gatehouse(t))) => {
                assert_eq!(t.receiver_time.unwrap().to_string(), "2014-04-10T13:30:29.165Z");
                assert_eq!(t.station, Some("2190067"));
            }
            other => panic!("{other:?}"),
        }
        let s = sentence(
            "$PGHP,1,2014,4,10,13,30,29,165,219,,2190067,1,28*22!BSVDM,1,1,,B,155C1v0vif0r:s`OjGpM0b@F0<6R,0*48",
        );
        assert_eq!(s.trailer.time_source, Some(TimeSource::Gatehouse));
    }

    #[test]
    fn logger_prefixes() {
        let s = sentence("2023-09-07 06:10:00.123 !AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C");
        assert_eq!(s.trailer.receiver_time.unwrap().to_string(), "2023-09-07T06:10:00.123Z");
        assert_eq!(s.trailer.time_source, Some(TimeSource::LinePrefix));
        let s = sentence("1694067000;\\s:r1,c:1694067001*75\\!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C");
        assert_eq!(s.tag_block.source, Some("r1"));
        let s = sentence("COM1: !AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C");
        assert_eq!(s.trailer.receiver_time, None);
        let s = sentence("1694067000 !AIVDM,1,1,,B,15Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*63,r003669958,1085889680");
        assert_eq!(s.trailer.time_source, Some(TimeSource::UscgTrailer), "the receiver's time wins");
        assert_eq!(s.trailer.station, Some("r003669958"));
        assert_eq!(
            parse_line(b"garbage!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C", false),
            Err(RejectReason::NotNmea)
        );
        assert_eq!(parse_line(b"2023-09-07 06:10:00 hello", false), Err(RejectReason::NotNmea));
    }

    #[test]
    fn dollar_led_ais_is_still_ais() {
        let s = sentence("$AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C");
        assert_eq!(s.payload, b"177KQJ5000G?tO`K>RA1wUbN0TKH");
    }

    #[test]
    fn other_talkers_and_junk() {
        assert_eq!(
            parse_line(b"$GPGSA,A,3,11,32,14,28,22,03,10,08,17,,,,2.02,1.03,1.74*00", false),
            Ok(Line::OtherSentence)
        );
        assert_eq!(parse_line(b"# comment", false), Ok(Line::Blank));
        assert_eq!(parse_line(b"   ", false), Ok(Line::Blank));
        assert_eq!(parse_line(b"hello", false), Err(RejectReason::NotNmea));
        assert_eq!(parse_line(b"!AIVDM,1,1,,B*00", false).unwrap_err(), RejectReason::BadChecksum);
    }

    #[test]
    fn field_errors_have_reasons() {
        let with = |fields: &str| {
            let body = format!("AIVDM,{fields}");
            let x = body.bytes().fold(0, |a, b| a ^ b);
            parse_line(format!("!{body}*{x:02X}").as_bytes(), false).map(|_| ())
        };
        assert_eq!(with("1,1,,B,15N4,0,9").unwrap_err(), RejectReason::BadFieldCount);
        assert_eq!(with("0,1,,B,15N4,0").unwrap_err(), RejectReason::BadFragmentNumbers);
        assert_eq!(with("2,3,,B,15N4,0").unwrap_err(), RejectReason::BadFragmentNumbers);
        assert_eq!(with("2,1,x,B,15N4,0").unwrap_err(), RejectReason::BadSequenceId);
        assert_eq!(with("1,1,,B,15N4,6").unwrap_err(), RejectReason::BadFillBits);
        assert!(with("1,1,,,15N4,").is_ok());
    }
}
