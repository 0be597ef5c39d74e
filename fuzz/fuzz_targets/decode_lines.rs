//! Arbitrary bytes as an input stream: the decoder must not panic, every
//! line must be accounted for, and both gpsd JSON writers must accept every
//! decoded message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tumen_ais::gpsd::GpsdJson;
use tumen_ais::{Decoded, Decoder, DecoderConfig, FnSink, Rejected};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, input)) = data.split_first() else { return };
    let mut config = DecoderConfig { lenient: flags & 1 == 1, ..DecoderConfig::default() };
    config.assembly.max_pending = usize::from(flags >> 1 & 7) + 1;
    config.assembly.max_line_gap = u64::from(flags >> 4) * 4;
    let mut decoder = Decoder::new(config);
    let mut scaled = GpsdJson::new(true, "stdin");
    let mut unscaled = GpsdJson::new(false, "stdin");
    let mut out = String::new();
    let mut message_lines = 0u64;
    let mut rejected = 0u64;
    let mut sink = FnSink {
        on_message: |d: &Decoded<'_>| {
            message_lines += u64::from(d.meta.fragments);
            out.clear();
            scaled.write(d.message, d.meta.channel, &mut out);
            unscaled.write(d.message, d.meta.channel, &mut out);
            let _ = d.message.encode();
        },
        on_reject: |_: &Rejected<'_>| rejected += 1,
    };
    for line in input.split(|&b| b == b'\n') {
        decoder.feed_line(line, &mut sink);
    }
    decoder.finish(&mut sink);
    let s = decoder.stats();
    assert_eq!(s.rejected_total(), rejected);
    assert_eq!(s.blank_or_comment + s.other_sentences + s.rejected_total() + message_lines, s.lines);
});
