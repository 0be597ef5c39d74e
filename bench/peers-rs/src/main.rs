//! `tumen-peers DECODER FILE [REPEAT]`: decodes FILE (in memory) REPEAT
//! times with one decoder and prints, tab-separated: decoder, lines,
//! messages decoded, lines that errored (or panicked), best seconds,
//! messages/s, lines/s. Every decoder sees the same lines; a multi-sentence
//! message counts once.

use std::time::Instant;

struct Outcome {
    messages: u64,
    errors: u64,
}

fn tumen(lines: &[&[u8]]) -> Outcome {
    use tumen_ais::{Decoded, Decoder, DecoderConfig, Rejected, Sink};
    struct Count(Outcome);
    impl Sink for Count {
        fn message(&mut self, d: &Decoded<'_>) {
            // Touch the message so the work cannot be skipped.
            self.0.messages += u64::from(d.message.mmsi().0 != u32::MAX);
        }
        fn reject(&mut self, _: &Rejected<'_>) {
            self.0.errors += 1;
        }
    }
    let mut decoder = Decoder::new(DecoderConfig::default());
    let mut count = Count(Outcome { messages: 0, errors: 0 });
    for line in lines {
        decoder.feed_line(line, &mut count);
    }
    decoder.finish(&mut count);
    count.0
}

fn ais_crate(lines: &[&[u8]]) -> Outcome {
    use ais::{AisFragments, AisParser};
    let mut parser = AisParser::new();
    let mut out = Outcome { messages: 0, errors: 0 };
    for line in lines {
        match parser.parse(line, true) {
            Ok(AisFragments::Complete(sentence)) => {
                if sentence.message.is_some() {
                    out.messages += 1;
                } else {
                    out.errors += 1;
                }
            }
            Ok(AisFragments::Incomplete(_)) => {}
            Err(_) => out.errors += 1,
        }
    }
    out
}

fn nmea_parser_crate(lines: &[&[u8]]) -> Outcome {
    use nmea_parser::{NmeaParser, ParsedMessage};
    let mut parser = NmeaParser::new();
    let mut out = Outcome { messages: 0, errors: 0 };
    for line in lines {
        let Ok(text) = std::str::from_utf8(line) else {
            out.errors += 1;
            continue;
        };
        // nmea-parser panics on some real sentences; a panic counts as an error.
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse_sentence(text))) {
            Ok(Ok(ParsedMessage::Incomplete)) => {}
            Ok(Ok(_)) => out.messages += 1,
            Ok(Err(_)) | Err(_) => {
                out.errors += 1;
                parser = NmeaParser::new();
            }
        }
    }
    out
}

/// `tumen-peers compare FILE`: single-sentence lines the `ais` crate decodes
/// and Tumen rejects, with Tumen's reason (to review Tumen's strictness).
fn compare(lines: &[&[u8]]) {
    use tumen_ais::{Decoded, Decoder, DecoderConfig, FnSink, Rejected};
    let mut parser = ais::AisParser::new();
    for line in lines {
        let theirs = matches!(parser.parse(line, true), Ok(ais::AisFragments::Complete(s)) if s.message.is_some() && s.num_fragments == 1);
        let mut reason = None;
        let mut decoder = Decoder::new(DecoderConfig::default());
        let mut sink =
            FnSink { on_message: |_: &Decoded<'_>| {}, on_reject: |r: &Rejected<'_>| reason = Some(r.reason) };
        decoder.feed_line(line, &mut sink);
        if let (true, Some(reason)) = (theirs, reason) {
            println!("{reason}\t{}", String::from_utf8_lossy(line));
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(decoder), Some(path)) = (args.next(), args.next()) else {
        eprintln!("usage: tumen-peers tumen|ais|nmea-parser FILE [REPEAT]");
        std::process::exit(2);
    };
    let repeat: usize = args.next().map_or(5, |r| r.parse().expect("REPEAT"));
    let bytes = std::fs::read(&path).expect("readable FILE");
    let lines: Vec<&[u8]> =
        bytes.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).filter(|l| !l.is_empty()).collect();
    if decoder == "compare" {
        return compare(&lines);
    }
    let run: fn(&[&[u8]]) -> Outcome = match decoder.as_str() {
        "tumen" => tumen,
        "ais" => ais_crate,
        "nmea-parser" => nmea_parser_crate,
        other => {
            eprintln!("unknown decoder {other}");
            std::process::exit(2);
        }
    };
    if decoder == "nmea-parser" {
        // Its panics are counted, not printed.
        std::panic::set_hook(Box::new(|_| {}));
    }
    let mut best = f64::INFINITY;
    let mut outcome = Outcome { messages: 0, errors: 0 };
    for _ in 0..repeat {
        let started = Instant::now();
        outcome = run(&lines);
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{decoder}\t{}\t{}\t{}\t{best:.4}\t{:.0}\t{:.0}",
        lines.len(),
        outcome.messages,
        outcome.errors,
        outcome.messages as f64 / best,
        lines.len() as f64 / best
    );
}
