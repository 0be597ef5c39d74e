//! Behaviour detectors. Each is an incremental state machine fed one
//! vessel's positions in time order and carrying its state between calls,
//! so the same code runs over the archive (day after day) and over a live
//! feed, and a detector is a pure function of a vessel's positions and its
//! carried state — the unit a distributed run partitions by. Encounters
//! compare vessels on a shared time grid ([`grid`], [`encounter`]);
//! identity and draught changes read the registry ([`identity`]).
//!
//! Thresholds are named profiles ([`profile`]), the defaults those of the
//! published definitions (Global Fishing Watch, Skylight); every event
//! records the profile it was found with and the records it rests on.

mod bounds;
pub mod circle;
pub mod confined;
pub mod coverage;
pub mod encounter;
pub mod engine;
mod event;
pub mod fix;
pub mod gap;
pub mod grid;
pub mod identity;
pub mod loitering;
pub mod on_land;
pub mod port_visit;
pub mod profile;
pub mod quality;
pub mod segments;
pub mod shared_mmsi;
pub mod track_path;
pub mod vessels;

pub use circle::CircleDetector;
pub use coverage::Coverage;
pub use encounter::EncounterFinder;
pub use engine::{Window, detect_archive, detect_window, identity_events, relate};
pub use fix::Fix;
pub use gap::GapDetector;
pub use loitering::LoiteringDetector;
pub use on_land::OnLandDetector;
pub use port_visit::PortVisitDetector;
pub use profile::{
    CircleProfile, EncounterProfile, GapProfile, IdentityProfile, LoiteringProfile, OnLandProfile, PortVisitProfile,
    Profiles, SegmentProfile,
};
pub use segments::{OutlierKind, Placed, Placement, SegmentDetector};
pub use vessels::{PassResult, VesselPass};

#[cfg(test)]
mod test_rows;
