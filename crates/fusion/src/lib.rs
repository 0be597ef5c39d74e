//! Satellite fusion: what imagery shows, set against what AIS says, and
//! facility counts against their own history.
//!
//! - [`read`]: detection and scene files of the common providers, told
//!   apart by their columns; [`observation`]: facility observation counts.
//! - [`tracks`]: the AIS positions near the scenes, in one pass.
//! - [`matching`]: each vessel's position at the image time; detections
//!   and vessels scored and assigned mutual-best in rounds.
//! - [`structures`]: spots detected scene after scene are fixed structures.
//! - [`dark`]: who an unmatched detection could be, from silent spells.
//! - [`facility`]: counts against a robust seasonal baseline.
//! - [`fuse`](mod@fuse): the step of `tumen run` that makes events of all this.
//!
//! Methods and their sources: `docs/fusion.md`, `../shared/FACTS.md` §2.

pub mod dark;
pub mod facility;
pub mod fuse;
pub mod imagery;
pub mod matching;
pub mod observation;
pub mod profile;
pub mod read;
pub mod structures;
pub mod tracks;

pub use fuse::{FusionSummary, fuse};
pub use profile::FusionProfile;
pub use read::{DetectionFormat, DetectionReadError, DetectionsRead, read_detections};
