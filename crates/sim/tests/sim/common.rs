//! Helpers shared by the simulator's tests: run a scenario into a
//! temporary directory and read back what it wrote.

#![allow(dead_code)]

use std::path::Path;

use tumen_ais::{Decoded, Decoder, DecoderConfig, FnSink, Message, Rejected, Stats};
use tumen_model::Timestamp;
use tumen_sim::{FeedConfig, Summary, World};

pub struct Run {
    pub dir: tempfile::TempDir,
    pub world: World,
    pub summary: Summary,
}

impl Run {
    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    pub fn truth(&self) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(self.path("truth.json")).unwrap()).unwrap()
    }
}

/// Compiles and simulates a scenario text.
pub fn simulate(text: &str, seed: Option<u64>, threads: usize) -> Run {
    let world = tumen_sim::load(text, "test.toml", seed).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap();
    let summary = tumen_sim::simulate(&world, dir.path(), FeedConfig { threads }, &|_| {}).unwrap();
    Run { dir, world, summary }
}

pub fn shipped(name: &str) -> &'static str {
    tumen_sim::shipped_scenario(name).unwrap_or_else(|| panic!("no shipped scenario {name}"))
}

/// One decoded message with where and when it was heard.
#[derive(Clone, Debug)]
pub struct Heard {
    pub line: u64,
    pub time: Option<Timestamp>,
    /// Tag-block source or USCG station.
    pub receiver: Option<String>,
    pub message: Message,
}

/// Decodes an NMEA file strictly; returns the messages, the rejected
/// lines (reason, text) and the decoder's counts.
pub fn decode(path: &Path) -> (Vec<Heard>, Vec<(String, String)>, Stats) {
    let text = std::fs::read(path).unwrap();
    let mut heard = Vec::new();
    let mut rejected = Vec::new();
    let mut sink = FnSink {
        on_message: |d: &Decoded<'_>| {
            heard.push(Heard {
                line: d.meta.first_line,
                time: d.meta.receiver_time,
                receiver: d.meta.source.or(d.meta.station).map(str::to_owned),
                message: *d.message,
            })
        },
        on_reject: |r: &Rejected<'_>| {
            rejected.push((r.reason.to_string(), String::from_utf8_lossy(r.line).into_owned()))
        },
    };
    let mut decoder = Decoder::new(DecoderConfig::default());
    for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        decoder.feed_line(line, &mut sink);
    }
    decoder.finish(&mut sink);
    let stats = decoder.stats().clone();
    (heard, rejected, stats)
}

/// Rows of a CSV file as maps from column name to value.
pub fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    reader.records().map(|r| headers.iter().cloned().zip(r.unwrap().iter().map(str::to_owned)).collect()).collect()
}
