//! The decoder: lines in, messages and rejects out.

use tumen_model::Timestamp;

use crate::armor;
use crate::assembler::{self, Added, Assembled, Assembler, AssemblyConfig, Inherited, LostLine};
use crate::bits::{Bits, PayloadError};
use crate::message::Message;
use crate::reject::{RejectReason, Stats};
use crate::sentence::{self, LineKind, Prefix, Sentence, TimeSource};

/// How the decoder treats doubtful input.
#[derive(Clone, Copy, Debug, Default)]
pub struct DecoderConfig {
    /// Accept sentences and tag blocks whose checksum fails (and tag blocks
    /// without one), marking the messages (`checksum_ok == false`) instead
    /// of rejecting the lines.
    pub lenient: bool,
    /// Bounds on pending multi-sentence messages.
    pub assembly: AssemblyConfig,
}

/// A decoded message with where it came from.
#[derive(Clone, Copy, Debug)]
pub struct Decoded<'a> {
    pub message: &'a Message,
    /// The message's payload bits.
    pub bits: &'a Bits,
    pub meta: MessageMeta<'a>,
}

/// Where and when a message was received.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MessageMeta<'a> {
    /// Line number (1-based) of the first and last fragment.
    pub first_line: u64,
    pub last_line: u64,
    /// Number of sentences the message came in.
    pub fragments: u8,
    /// Talker id of the (first) sentence.
    pub talker: [u8; 2],
    /// `VDO`: the receiver's own ship.
    pub own_ship: bool,
    /// Radio channel as sent.
    pub channel: Option<u8>,
    /// Tag block `s:` source.
    pub source: Option<&'a str>,
    /// Receiving station from USCG fields or a `$PGHP` line.
    pub station: Option<&'a str>,
    /// Receiver time, if the input carried one; never invented.
    pub receiver_time: Option<Timestamp>,
    /// Where `receiver_time` came from.
    pub time_source: Option<TimeSource>,
    /// False when a checksum failed and lenient mode accepted it.
    pub checksum_ok: bool,
}

impl<'a> MessageMeta<'a> {
    /// The metadata of a one-sentence message.
    fn single(sentence: &Sentence<'a>, inherited: &Inherited<'a>, line_number: u64) -> MessageMeta<'a> {
        let (receiver_time, time_source) = assembler::receiver_time(sentence, inherited);
        MessageMeta {
            first_line: line_number,
            last_line: line_number,
            fragments: 1,
            talker: sentence.talker,
            own_ship: sentence.own_ship,
            channel: sentence.channel,
            source: sentence.tag_block.source.or(inherited.source),
            station: sentence.trailer.station.or(inherited.station),
            receiver_time,
            time_source,
            checksum_ok: sentence.checksum_ok && sentence.tag_block.checksum_ok,
        }
    }

    /// The metadata of a message assembled from several sentences: its
    /// first sentence's, with the line range of all of them.
    fn assembled(done: &'a Assembled<'a>, last_line: u64) -> MessageMeta<'a> {
        MessageMeta {
            first_line: done.first_line,
            last_line,
            fragments: done.fragments,
            talker: done.meta.talker,
            own_ship: done.meta.own_ship,
            channel: done.meta.channel,
            source: done.meta.source(),
            station: done.meta.station(),
            receiver_time: done.meta.receiver_time,
            time_source: done.meta.time_source,
            checksum_ok: done.checksums_ok,
        }
    }
}

/// A line that produced no message, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rejected<'a> {
    /// 1-based line number.
    pub line_number: u64,
    /// The line as given (without its line ending).
    pub line: &'a [u8],
    pub reason: RejectReason,
}

/// Receives what the decoder produces. Messages and rejects arrive in input
/// order, except that lines of a multi-sentence message that is given up
/// are reported when the decoder gives up on it.
pub trait Sink {
    fn message(&mut self, decoded: &Decoded<'_>);
    fn reject(&mut self, rejected: &Rejected<'_>);
}

/// A [`Sink`] made of two closures.
pub struct FnSink<M, R> {
    pub on_message: M,
    pub on_reject: R,
}

impl<M, R> std::fmt::Debug for FnSink<M, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FnSink")
    }
}

impl<M: FnMut(&Decoded<'_>), R: FnMut(&Rejected<'_>)> Sink for FnSink<M, R> {
    fn message(&mut self, decoded: &Decoded<'_>) {
        (self.on_message)(decoded)
    }
    fn reject(&mut self, rejected: &Rejected<'_>) {
        (self.on_reject)(rejected)
    }
}

/// Metadata from `$PGHP` and tag-block-only lines, waiting for the next
/// sentence. Strings are kept in reused buffers.
#[derive(Default)]
struct Pending {
    active: bool,
    receiver_time: Option<Timestamp>,
    time_source: Option<TimeSource>,
    source: String,
    has_source: bool,
    station: String,
    has_station: bool,
}

impl Pending {
    fn absorb(&mut self, prefix: &Prefix<'_>) {
        self.active = true;
        match prefix {
            Prefix::Gatehouse(t) => {
                if t.receiver_time.is_some() {
                    self.receiver_time = t.receiver_time;
                    self.time_source = t.time_source;
                }
                if let Some(station) = t.station {
                    self.station.clear();
                    self.station.push_str(station);
                    self.has_station = true;
                }
            }
            Prefix::TagBlock(t) => {
                if t.receiver_time.is_some() {
                    self.receiver_time = t.receiver_time;
                    self.time_source = Some(TimeSource::TagBlock);
                }
                if let Some(source) = t.source {
                    self.source.clear();
                    self.source.push_str(source);
                    self.has_source = true;
                }
            }
        }
    }

    fn inherited(&self) -> Inherited<'_> {
        if !self.active {
            return Inherited { receiver_time: None, time_source: None, source: None, station: None };
        }
        Inherited {
            receiver_time: self.receiver_time,
            time_source: self.time_source,
            source: self.has_source.then_some(self.source.as_str()),
            station: self.has_station.then_some(self.station.as_str()),
        }
    }

    fn clear(&mut self) {
        self.active = false;
        self.receiver_time = None;
        self.time_source = None;
        self.has_source = false;
        self.has_station = false;
    }
}

/// Decodes one input stream. Feed it lines in order; it keeps the state that
/// spans lines (pending fragments, `$PGHP` metadata, counts). Use one
/// decoder per stream: fragments of different streams must not meet.
pub struct Decoder {
    config: DecoderConfig,
    assembler: Assembler,
    bits: Bits,
    message: Message,
    stats: Stats,
    line_number: u64,
    pending: Pending,
}

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoder")
            .field("config", &self.config)
            .field("line_number", &self.line_number)
            .finish_non_exhaustive()
    }
}

impl Decoder {
    pub fn new(config: DecoderConfig) -> Decoder {
        Decoder {
            config,
            assembler: Assembler::new(config.assembly),
            bits: Bits::new(),
            message: Message::UtcInquiry(Default::default()),
            stats: Stats::default(),
            line_number: 0,
            pending: Pending::default(),
        }
    }

    /// Counts so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Number of lines fed so far.
    pub fn line_number(&self) -> u64 {
        self.line_number
    }

    /// True when no state spans lines: no fragments wait for the rest of
    /// their message and no `$PGHP` or tag-block line waits for its
    /// sentence. A stream cut here and decoded on by a fresh decoder
    /// (with [`Decoder::resume_at_line`]) gives exactly what one decoder
    /// would — the points where ingest can checkpoint.
    pub fn is_idle(&self) -> bool {
        !self.pending.active && self.assembler.is_empty()
    }

    /// Starts numbering after `lines_already_read` lines, for a stream
    /// resumed at a checkpoint.
    pub fn resume_at_line(&mut self, lines_already_read: u64) {
        self.line_number = lines_already_read;
    }

    /// Decodes one line (its line ending may be present or not).
    pub fn feed_line<S: Sink + ?Sized>(&mut self, line: &[u8], sink: &mut S) {
        self.line_number += 1;
        self.stats.lines += 1;
        let line_number = self.line_number;
        let reject = |stats: &mut Stats, sink: &mut S, reason: RejectReason| {
            stats.count_reject(reason);
            sink.reject(&Rejected { line_number, line: trim_line_end(line), reason });
        };
        let mut sentence = Sentence::default();
        match sentence::parse_line_into(line, self.config.lenient, &mut sentence) {
            Ok(LineKind::Sentence) => {}
            Ok(LineKind::Blank) => {
                self.stats.blank_or_comment += 1;
                return;
            }
            Ok(LineKind::OtherSentence) => {
                self.stats.other_sentences += 1;
                return;
            }
            Ok(LineKind::GatehousePrefix) => {
                self.stats.other_sentences += 1;
                self.pending.absorb(&Prefix::Gatehouse(sentence.trailer));
                return;
            }
            Ok(LineKind::TagBlockPrefix) => {
                self.stats.other_sentences += 1;
                self.pending.absorb(&Prefix::TagBlock(sentence.tag_block));
                return;
            }
            Err(reason) => return reject(&mut self.stats, sink, reason),
        }
        self.stats.fragments += 1;

        let Decoder { assembler, bits, message, stats, pending, .. } = self;
        let inherited = pending.inherited();
        let outcome = if sentence.fragment_count == 1 {
            // The common case: no copy, no assembly.
            dearmor(bits, sentence.payload, sentence.fill_bits)
                .and_then(|()| Message::decode_into(bits, message))
                .map(|()| emit(stats, sink, message, bits, MessageMeta::single(&sentence, &inherited, line_number)))
        } else {
            let mut on_lost = |lost: LostLine<'_>| {
                stats.count_reject(lost.reason);
                sink.reject(&Rejected { line_number: lost.line_number, line: lost.line, reason: lost.reason });
            };
            let raw = trim_line_end(line);
            // Check each fragment's characters as it arrives, so the bad line
            // is the one reported.
            if !armor::is_valid_payload(sentence.payload) {
                Err(RejectReason::BadPayloadCharacter)
            } else {
                match assembler.add(&sentence, &inherited, raw, line_number, &mut on_lost) {
                    Added::Pending => Ok(()),
                    Added::Rejected(reason) => Err(reason),
                    Added::Complete(done) => {
                        let decoded = dearmor(bits, done.payload, done.fill_bits)
                            .and_then(|()| Message::decode_into(bits, message));
                        match decoded {
                            Ok(()) => emit(stats, sink, message, bits, MessageMeta::assembled(&done, line_number)),
                            Err(reason) => {
                                // Every line of the message is unusable.
                                for (number, raw) in assembler.completed_lines() {
                                    stats.count_reject(reason);
                                    sink.reject(&Rejected { line_number: number, line: raw, reason });
                                }
                            }
                        }
                        Ok(())
                    }
                }
            }
        };
        pending.clear();
        if let Err(reason) = outcome {
            reject(stats, sink, reason);
        }
    }

    /// Ends the input: messages still missing fragments are given up and
    /// their lines reported.
    pub fn finish<S: Sink + ?Sized>(&mut self, sink: &mut S) {
        let Decoder { assembler, stats, .. } = self;
        assembler.flush(&mut |lost: LostLine<'_>| {
            stats.count_reject(lost.reason);
            sink.reject(&Rejected { line_number: lost.line_number, line: lost.line, reason: lost.reason });
        });
    }
}

fn emit<S: Sink + ?Sized>(stats: &mut Stats, sink: &mut S, message: &Message, bits: &Bits, meta: MessageMeta<'_>) {
    stats.messages_by_type[usize::from(message.msg_type())] += 1;
    if !meta.checksum_ok {
        stats.messages_with_bad_checksum += 1;
    }
    sink.message(&Decoded { message, bits, meta });
}

/// De-armors a payload into `bits`, checking its characters.
fn dearmor(bits: &mut Bits, payload: &[u8], fill_bits: u8) -> Result<(), RejectReason> {
    if payload.is_empty() {
        return Err(RejectReason::EmptyPayload);
    }
    bits.set_from_payload(payload, usize::from(fill_bits)).map_err(|e| match e {
        PayloadError::BadCharacter => RejectReason::BadPayloadCharacter,
        PayloadError::TooLong => RejectReason::PayloadTooLong,
        PayloadError::BadFill => RejectReason::BadFillBits,
    })
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let end = line.iter().rposition(|b| !matches!(b, b'\r' | b'\n')).map_or(0, |i| i + 1);
    &line[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::{SentenceOptions, TagBlockOptions, encode_sentences};
    use crate::message::StaticAndVoyageData;
    use crate::text::AisString;
    use tumen_model::Mmsi;

    /// MMSI, first line, last line, source, receiver time.
    type Seen = (u32, u64, u64, Option<String>, Option<Timestamp>);

    #[derive(Default)]
    struct Collect {
        messages: Vec<Seen>,
        rejects: Vec<(u64, RejectReason)>,
    }

    impl Sink for Collect {
        fn message(&mut self, d: &Decoded<'_>) {
            let m = &d.meta;
            self.messages.push((
                d.message.mmsi().0,
                m.first_line,
                m.last_line,
                m.source.map(str::to_owned),
                m.receiver_time,
            ));
        }
        fn reject(&mut self, r: &Rejected<'_>) {
            self.rejects.push((r.line_number, r.reason));
        }
    }

    /// The two sentences of a type 5 for `mmsi`.
    fn type5(mmsi: u32, options: SentenceOptions<'_>) -> (String, String) {
        let m = Message::StaticAndVoyage(StaticAndVoyageData {
            mmsi: Mmsi(mmsi),
            shipname: AisString::new("TEST").unwrap(),
            ..Default::default()
        });
        let mut lines = encode_sentences(&m, &options).unwrap();
        assert_eq!(lines.len(), 2);
        let second = lines.pop().unwrap();
        (lines.pop().unwrap(), second)
    }

    fn decode(lines: &[&str], config: DecoderConfig) -> Collect {
        let mut decoder = Decoder::new(config);
        let mut sink = Collect::default();
        for line in lines {
            decoder.feed_line(line.as_bytes(), &mut sink);
        }
        decoder.finish(&mut sink);
        sink
    }

    fn seq(id: u8) -> SentenceOptions<'static> {
        SentenceOptions { sequence_id: id, ..SentenceOptions::default() }
    }

    #[test]
    fn interleaved_messages_and_other_talkers() {
        let (a1, a2) = type5(111_111_111, seq(1));
        let (b1, b2) = type5(222_222_222, seq(2));
        let gps = "$GPGLL,5250.53669,N,00542.34920,E,213950.00,A,A*67";
        let out = decode(&[&a1, &b1, gps, &a2, &b2], DecoderConfig::default());
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        let got: Vec<(u32, u64, u64)> = out.messages.iter().map(|m| (m.0, m.1, m.2)).collect();
        assert_eq!(got, [(111_111_111, 1, 4), (222_222_222, 2, 5)]);
    }

    #[test]
    fn idle_only_between_whole_messages() {
        let (a1, a2) = type5(111_111_111, seq(1));
        let mut decoder = Decoder::new(DecoderConfig::default());
        let mut sink = Collect::default();
        assert!(decoder.is_idle());
        decoder.feed_line(a1.as_bytes(), &mut sink);
        assert!(!decoder.is_idle());
        decoder.feed_line(a2.as_bytes(), &mut sink);
        assert!(decoder.is_idle());
        decoder.feed_line(b"$PGHP,1,2014,4,10,13,30,29,165,219,,2190067,1,28*22", &mut sink);
        assert!(!decoder.is_idle(), "a $PGHP line waits for its sentence");

        // A resumed decoder numbers lines on from the checkpoint.
        let mut resumed = Decoder::new(DecoderConfig::default());
        resumed.resume_at_line(41);
        let mut sink = Collect::default();
        resumed.feed_line(a1.as_bytes(), &mut sink);
        resumed.feed_line(a2.as_bytes(), &mut sink);
        assert_eq!((sink.messages[0].1, sink.messages[0].2), (42, 43));
    }

    #[test]
    fn tag_block_groups_tell_apart_messages_with_the_same_sequence_id() {
        let tagged = |group: u32, source: &'static str, t: i64| SentenceOptions {
            sequence_id: 3,
            tag_block: Some(TagBlockOptions {
                source: Some(source),
                receiver_time: Timestamp::from_unix_seconds(t),
                group_id: Some(group),
            }),
            ..SentenceOptions::default()
        };
        let (a1, a2) = type5(111_111_111, tagged(10, "north", 1_700_000_000));
        let (b1, b2) = type5(222_222_222, tagged(11, "south", 1_700_000_005));
        // Only the first sentence of each group carries s: and c:.
        assert!(a2.starts_with("\\g:2-2-10*") && !a2.contains("s:"));
        let out = decode(&[&a1, &b1, &b2, &a2], DecoderConfig::default());
        assert!(out.rejects.is_empty(), "{:?}", out.rejects);
        assert_eq!(out.messages.len(), 2);
        assert_eq!(out.messages[0].0, 222_222_222);
        assert_eq!(out.messages[0].3.as_deref(), Some("south"));
        assert_eq!(out.messages[1].0, 111_111_111);
        assert_eq!(out.messages[1].3.as_deref(), Some("north"));
        assert_eq!(out.messages[1].4, Timestamp::from_unix_seconds(1_700_000_000));
    }

    #[test]
    fn orphans_duplicates_and_restarts() {
        let (a1, a2) = type5(111_111_111, seq(1));
        let out = decode(&[&a2, &a1, &a1, &a2], DecoderConfig::default());
        // Line 1: a second fragment with nothing before it. Line 3: a new
        // first fragment for the same key gives up on line 2's message.
        assert_eq!(out.rejects, [(1, RejectReason::OrphanFragment), (2, RejectReason::IncompleteMessage)]);
        assert_eq!(out.messages.iter().map(|m| (m.1, m.2)).collect::<Vec<_>>(), [(3, 4)]);

        let dup = decode(&[&a1, &a2, &a2], DecoderConfig::default());
        assert_eq!(
            dup.rejects,
            [(3, RejectReason::OrphanFragment)],
            "a repeated last fragment arrives after completion"
        );
    }

    #[test]
    fn duplicate_fragment_within_a_pending_message() {
        let m = Message::StaticAndVoyage(StaticAndVoyageData { mmsi: Mmsi(123_456_789), ..Default::default() });
        let lines = encode_sentences(
            &m,
            &SentenceOptions { max_payload_chars: 24, sequence_id: 4, ..SentenceOptions::default() },
        )
        .unwrap();
        assert_eq!(lines.len(), 3);
        let out = decode(&[&lines[0], &lines[1], &lines[1], &lines[2]], DecoderConfig::default());
        assert_eq!(out.rejects, [(3, RejectReason::DuplicateFragment)]);
        assert_eq!(out.messages.len(), 1);
    }

    #[test]
    fn messages_given_up_by_line_gap_time_and_capacity() {
        let (a1, a2) = type5(111_111_111, seq(1));
        let filler = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";
        let mut config = DecoderConfig::default();
        config.assembly.max_line_gap = 3;
        let lines = [a1.as_str(), filler, filler, filler, filler, a2.as_str()];
        let out = decode(&lines, config);
        assert_eq!(out.rejects, [(1, RejectReason::IncompleteMessage), (6, RejectReason::OrphanFragment)]);

        let timed = |t: i64| SentenceOptions {
            sequence_id: 1,
            tag_block: Some(TagBlockOptions {
                source: None,
                receiver_time: Timestamp::from_unix_seconds(t),
                group_id: None,
            }),
            ..SentenceOptions::default()
        };
        let (t1, _) = type5(111_111_111, timed(1_000));
        let (_, late) = type5(111_111_111, timed(1_100));
        // The second fragment carries no c: of its own; give it one.
        let stamped_late = format!("\\c:1100*{:02X}\\{}", "c:1100".bytes().fold(0, |a, b| a ^ b), late);
        let out = decode(&[&t1, &stamped_late], DecoderConfig::default());
        assert_eq!(
            out.rejects,
            [(1, RejectReason::IncompleteMessage), (2, RejectReason::OrphanFragment)],
            "100 s > 60 s timeout"
        );

        let mut config = DecoderConfig::default();
        config.assembly.max_pending = 2;
        let (x1, x2) = type5(1, seq(1));
        let (y1, y2) = type5(2, seq(2));
        let (z1, z2) = type5(3, seq(3));
        let out = decode(&[&x1, &y1, &z1, &x2, &y2, &z2], config);
        assert_eq!(out.rejects, [(1, RejectReason::IncompleteMessage), (4, RejectReason::OrphanFragment)]);
        assert_eq!(out.messages.iter().map(|m| m.0).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn gatehouse_time_applies_to_the_next_message_only() {
        let (a1, a2) = type5(111_111_111, seq(1));
        let pghp = "$PGHP,1,2014,4,10,13,30,29,165,219,,2190067,1,28*22";
        let plain = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";
        let out = decode(&[pghp, &a1, &a2, plain], DecoderConfig::default());
        assert!(out.rejects.is_empty());
        assert_eq!(out.messages[0].4.map(|t| t.to_string()), Some("2014-04-10T13:30:29.165Z".to_owned()));
        assert_eq!(out.messages[1].4, None, "no time is invented for the next line");
    }
}
