//! Decodes a file in memory `REPEAT` times and prints lines/s: a target for
//! profilers (`perf record`, `valgrind --tool=callgrind`).
//!
//! `cargo run --release -p tumen-ais --example decode_file -- FILE [REPEAT]`

use tumen_ais::{Decoded, Decoder, DecoderConfig, Rejected, Sink};

struct Count(u64);

impl Sink for Count {
    fn message(&mut self, _: &Decoded<'_>) {
        self.0 += 1;
    }
    fn reject(&mut self, _: &Rejected<'_>) {}
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: decode_file FILE [REPEAT]");
    let repeat: usize = args.next().map_or(10, |r| r.parse().expect("REPEAT is a number"));
    let bytes = std::fs::read(&path).expect("readable file");
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let started = std::time::Instant::now();
    let mut messages = 0;
    for _ in 0..repeat {
        let mut decoder = Decoder::new(DecoderConfig::default());
        let mut count = Count(0);
        for line in &lines {
            decoder.feed_line(line, &mut count);
        }
        decoder.finish(&mut count);
        messages += count.0;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} lines, {} messages in {seconds:.3} s: {:.2} M lines/s",
        lines.len() * repeat,
        messages,
        (lines.len() * repeat) as f64 / seconds / 1e6
    );
}
