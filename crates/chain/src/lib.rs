//! Shipment chains: the detectors' and fusion's events linked along a
//! corridor into suspected shipments — loading at an origin port, the
//! voyage, the landing, onward rail and depot activity — each with an
//! explained confidence and every event it rests on.
//!
//! - [`corridor`]: corridors as configuration; the 2023 one by default.
//! - [`identify`]: who each dark sighting was, weighed across sightings.
//! - [`link`](mod@link): calls, sea legs, indicators and the noisy-OR confidence.

pub mod corridor;
pub mod identify;
pub mod link;

pub use corridor::{Corridor, corridors_or_default};
pub use link::{Chain, Reason, Weights, link};
