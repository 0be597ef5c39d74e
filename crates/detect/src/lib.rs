//! Behaviour detectors. Each is an incremental state machine fed one
//! vessel's positions in time order and carrying its state between calls,
//! so the same code runs over the archive (day after day) and over a live
//! feed, and a detector is a pure function of a vessel's positions and its
//! carried state — the unit a distributed run partitions by.
//!
//! Thresholds are named profiles ([`profile`]), the defaults those of the
//! published definitions (Global Fishing Watch, Skylight); every event
//! records the profile it was found with and the records it rests on.

pub mod engine;
pub mod event;
pub mod gap;
pub mod on_land;
pub mod port_visit;
pub mod profile;

pub use engine::detect_archive;
pub use event::{Event, EventKind, Evidence};
pub use gap::GapDetector;
pub use on_land::OnLandDetector;
pub use port_visit::PortVisitDetector;
pub use profile::{GapProfile, OnLandProfile, PortVisitProfile, Profiles};

#[cfg(test)]
mod test_rows;
