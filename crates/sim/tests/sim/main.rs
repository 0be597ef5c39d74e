//! The simulator's integration tests, one binary (one link, and the tests
//! of every file share the machine's cores).

mod common;

mod determinism;
mod najin_dunay;
mod peer_decoders;
mod scenario_errors;
mod truth_consistency;
