//! The command line's integration tests: `tumen` run as a user runs it,
//! over the shipped scenarios, the demo, real tracks and hostile input.
//!
//! One test binary, so that the scenarios and the demo several tests read
//! are simulated, ingested and run once per test run (`support`), and the
//! tests of every module share the machine's cores.

mod support;

// The binary's modules that have unit tests, compiled here (the binary
// itself is not built as a test harness: see `Cargo.toml`). Only their
// tests are used.
#[allow(dead_code)]
#[path = "../../src/config.rs"]
mod config;
#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../../src/output.rs"]
mod output;

mod alerts;
mod archive_readers;
mod chain_truth;
mod cluster;
mod dashboard;
mod decode;
mod demo;
mod detect_edges;
mod detect_truth;
mod fusion_cli;
mod fusion_truth;
mod ingest_crash;
mod ingest_live;
mod lists;
mod places;
mod real_tracks;
mod report_export;
mod screen_scenario;
mod serve;
mod simulate;
mod worker_partitions;
