//! The partition worker: Tumen's detectors as stages a distributed engine
//! (Apache Spark, `spark/`) runs over partitions of the archive, each stage
//! one process reading Arrow IPC record batches on standard input and
//! writing them on standard output (`tumen worker STAGE`).
//!
//! The detectors are functions of one vessel's reports in time order plus
//! carried state, so the work splits as a one-machine run does it:
//!
//! 1. [`Stage::Vessels`], partitioned by vessel: reports sorted by (MMSI,
//!    time), with the registry's events to be placed on the tracks
//!    (identity changes, watch-list hits) as marker rows among them. Gives
//!    the events of single vessels and each vessel's track on the
//!    encounter grid, every grid point tagged with its space–time cell and
//!    copied to the neighbouring cells it is near ([`cells`]).
//! 2. [`Stage::Pairs`], partitioned by (slot, cell): the pairs of vessels
//!    close enough in one slot, found by the points the cell owns, its
//!    halo supplying their neighbours.
//! 3. [`Stage::Encounters`], partitioned by pair: each pair's hits in slot
//!    order become encounters.
//! 4. [`Stage::Relate`], partitioned by vessel (an event under each vessel
//!    it names): silences explained by MMSI handovers and draught changes
//!    named by where they happened.
//!
//! Each stage reads its columns by name, whatever integer or time type the
//! engine gives them; the events it writes are in the dataset's events
//! schema ([`tumen_store::event_table`]). The stages' events, put together,
//! are exactly those `tumen run` finds on one machine.

pub mod cells;
pub mod tables;
pub mod encounters;
pub mod ipc;
pub mod markers;
pub mod pairs;
pub mod relate;
pub mod vessels;

use std::io::{Read, Write};

pub use ipc::WorkerError;

/// A stage of a distributed run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Vessels,
    Pairs,
    Encounters,
    Relate,
}

/// What a stage read and wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageSummary {
    pub rows_in: u64,
    pub events_out: u64,
    pub rows_out: u64,
}

/// What the stages need besides their input.
pub struct Context<'a> {
    pub profiles: &'a tumen_detect::Profiles,
    pub gazetteer: &'a tumen_places::Gazetteer,
    /// The newest report of the whole run (ends the silences still open).
    pub data_end: Option<tumen_model::Timestamp>,
}

/// Runs `stage` over the Arrow IPC stream `input`, writing its output
/// stream to `output`.
pub fn run(stage: Stage, context: &Context<'_>, input: impl Read, output: impl Write) -> Result<StageSummary, WorkerError> {
    match stage {
        Stage::Vessels => vessels::run(context, input, output),
        Stage::Pairs => pairs::run(context, input, output),
        Stage::Encounters => encounters::run(context, input, output),
        Stage::Relate => relate::run(input, output),
    }
}
