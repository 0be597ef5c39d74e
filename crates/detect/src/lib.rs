//! Behaviour detectors. Each is an incremental state machine fed one
//! vessel's positions in time order and carrying its state between calls,
//! so the same code runs over the archive (day after day) and over a live
//! feed, and a detector is a pure function of a vessel's positions and its
//! carried state — the unit a distributed run partitions by. Encounters
//! compare vessels on a shared time grid ([`Grid`], [`EncounterFinder`]);
//! identity and draught changes read the registry ([`identity_events`]).
//!
//! Thresholds are named profiles ([`Profiles`]), the defaults those of the
//! published definitions (Global Fishing Watch, Skylight); every event
//! records the profile it was found with and the records it rests on.

mod bounds;
mod circle;
mod confined;
mod coverage;
mod encounter;
mod engine;
mod event;
mod fix;
mod gap;
mod grid;
mod identity;
mod loitering;
mod on_land;
mod port_visit;
mod profile;
mod quality;
mod segments;
mod shared_mmsi;
mod track_path;
mod vessels;

pub use circle::CircleDetector;
pub use coverage::Coverage;
pub use encounter::{EncounterFinder, PairHit, PairSearch, closest_per_pair_and_slot, search_distance_m};
pub use engine::{Window, detect_archive, detect_window, identity_events, relate};
pub use gap::GapDetector;
pub use grid::{Grid, GridPoint};
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
