//! The committed sample feed is exactly what its generator writes, and it
//! decodes to what the generator put in it.

#[path = "../examples/sample_feed.rs"]
mod sample_feed;

use tumen_ais::{Decoded, Decoder, DecoderConfig, FnSink, RejectReason, Rejected};

fn committed() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sample.nmea");
    std::fs::read_to_string(path).expect("data/sample.nmea")
}

#[test]
fn committed_sample_is_the_generators_output() {
    let generated: String = sample_feed::sample_lines().into_iter().map(|l| l + "\n").collect();
    assert!(
        committed() == generated,
        "data/sample.nmea is stale: cargo run -p tumen-ais --example sample_feed > data/sample.nmea"
    );
}

#[test]
fn sample_decodes_with_every_fault_reported() {
    let mut types = Vec::new();
    let mut rejects = Vec::new();
    let mut timed = 0;
    let mut sink = FnSink {
        on_message: |d: &Decoded<'_>| {
            types.push(d.message.msg_type());
            timed += usize::from(d.meta.receiver_time.is_some());
        },
        on_reject: |r: &Rejected<'_>| rejects.push((r.line_number, r.reason)),
    };
    let mut decoder = Decoder::new(DecoderConfig::default());
    for line in committed().lines() {
        decoder.feed_line(line.as_bytes(), &mut sink);
    }
    decoder.finish(&mut sink);
    assert_eq!(types, [5, 1, 1, 1, 1, 1, 1, 1, 1, 4, 18, 24, 24, 8, 1]);
    assert_eq!(timed, types.len(), "every message in the sample carries a receiver time");
    let reasons: Vec<RejectReason> = rejects.iter().map(|r| r.1).collect();
    assert_eq!(reasons, [RejectReason::BadChecksum, RejectReason::NotNmea, RejectReason::IncompleteMessage]);
    assert_eq!(decoder.stats().other_sentences, 2, "the GPS fix and the $PGHP line");
}
