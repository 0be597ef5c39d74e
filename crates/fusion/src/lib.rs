//! Satellite fusion: what imagery shows, set against what AIS says.
//!
//! - [`read`]: detection and scene files of the common providers, told
//!   apart by their columns; [`observation`]: facility observation counts.
//! - [`imagery`]: scene footprints as geometry.

pub mod imagery;
pub mod observation;
pub mod read;

pub use read::{DetectionFormat, DetectionReadError, DetectionsRead, read_detections};
