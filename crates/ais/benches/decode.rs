//! In-process decoding speed: whole files of real sentences, already in
//! memory, through `Decoder::feed_line` to a sink that counts messages.
//!
//! Corpora: `../shared/corpora/ais/bench/bench_plain.nmea` and
//! `bench_tagged.nmea` (100,786 lines each, 11 public sources, all types,
//! ~170 awkward lines per copy). When `../shared` is absent the bench says
//! so and uses a corpus generated with this crate's encoder instead.
//!
//! `cargo bench -p tumen-ais --bench decode`; criterion reports
//! lines per second ("elements/s").

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tumen_ais::{Decoded, Decoder, DecoderConfig, Rejected, Sink};

#[path = "../examples/bench_corpus.rs"]
mod bench_corpus;

struct Count {
    messages: u64,
    rejects: u64,
}

impl Sink for Count {
    fn message(&mut self, d: &Decoded<'_>) {
        self.messages += u64::from(d.message.mmsi().0 != u32::MAX);
    }
    fn reject(&mut self, _: &Rejected<'_>) {
        self.rejects += 1;
    }
}

fn decode_all(lines: &[&[u8]]) -> Count {
    let mut decoder = Decoder::new(DecoderConfig::default());
    let mut count = Count { messages: 0, rejects: 0 };
    for line in lines {
        decoder.feed_line(line, &mut count);
    }
    decoder.finish(&mut count);
    count
}

fn shared_corpus(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var_os("TUMEN_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    std::fs::read(dir.join("corpora/ais/bench").join(name)).ok()
}

fn bench(c: &mut Criterion) {
    let mut corpora: Vec<(String, Vec<u8>)> = Vec::new();
    for name in ["bench_plain.nmea", "bench_tagged.nmea"] {
        match shared_corpus(name) {
            Some(bytes) => corpora.push((name.to_owned(), bytes)),
            None => eprintln!("{name}: ../shared absent; using the generated corpus instead"),
        }
    }
    if corpora.is_empty() {
        corpora.push(("generated.nmea".to_owned(), bench_corpus::generated_corpus()));
    }
    let mut group = c.benchmark_group("decode");
    for (name, bytes) in &corpora {
        let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
        let count = decode_all(&lines);
        eprintln!("{name}: {} lines, {} messages, {} rejected lines", lines.len(), count.messages, count.rejects);
        group.throughput(Throughput::Elements(lines.len() as u64));
        group.bench_function(name.as_str(), |b| b.iter(|| decode_all(&lines)));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
