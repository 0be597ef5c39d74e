//! Writes a stand-in benchmark corpus — 100,000 lines of class A positions
//! and two-sentence static reports, tagged like a receiver network's feed —
//! for when the shared real-world corpus is absent.
//!
//! `cargo run --release -p tumen-ais --example bench_corpus > corpus.nmea`
//! (`benches/decode.rs` uses the same generator).

use tumen_ais::message::{PositionReport, StaticAndVoyageData};
use tumen_ais::{AisString, Message, SentenceOptions, TagBlockOptions, encode_sentences};
use tumen_model::{Mmsi, Timestamp};

pub fn generated_corpus() -> Vec<u8> {
    let mut out = String::new();
    for i in 0..90_000u32 {
        let m = Message::Position(PositionReport {
            msg_type: 1,
            mmsi: Mmsi(200_000_000 + i % 5000),
            sog_knots_e1: (i % 200) as u16,
            lon_min_e4: (i as i32 % 1000) * 6000,
            lat_min_e4: (i as i32 % 500) * 6000,
            cog_deg_e1: (i % 3600) as u16,
            heading_deg: (i % 360) as u16,
            utc_second: (i % 60) as u8,
            ..Default::default()
        });
        let options = SentenceOptions {
            tag_block: Some(TagBlockOptions {
                source: Some("gen"),
                receiver_time: Timestamp::from_unix_seconds(1_700_000_000 + i64::from(i)),
                group_id: None,
            }),
            ..SentenceOptions::default()
        };
        for line in encode_sentences(&m, &options).expect("fields fit") {
            out.push_str(&line);
            out.push('\n');
        }
        if i % 18 == 0 {
            let m = Message::StaticAndVoyage(StaticAndVoyageData {
                mmsi: Mmsi(200_000_000 + i % 5000),
                shipname: AisString::new("GENERATED").expect("six-bit text"),
                ..Default::default()
            });
            for line in
                encode_sentences(&m, &SentenceOptions { sequence_id: (i % 10) as u8, ..options }).expect("fields fit")
            {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out.into_bytes()
}

#[allow(dead_code)]
fn main() {
    use std::io::Write;
    std::io::stdout().write_all(&generated_corpus()).expect("stdout");
}
