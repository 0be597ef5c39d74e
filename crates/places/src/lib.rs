//! Places: where things are. The land and its coastline ([`land`]) answer
//! "is this on land?" and "how far is the shore?" for the detectors (a
//! position on land is spoofed or wrong; loitering and encounters near
//! shore are treated differently).

pub mod land;

pub use land::{Land, LandError};
