//! Domain types every stage of Tumen shares.
//!
//! This crate is the vocabulary of the pipeline: the decoder produces these
//! types' raw material, the ingest stage fills them, detectors and reports read
//! them. It holds no I/O and no algorithms beyond what a type needs to be
//! correct (parsing, formatting, validation).
//!
//! Units are in names (`_ms`, `_knots`, `_m`). Time is always UTC, as
//! milliseconds since the Unix epoch, in [`Timestamp`]; RFC 3339 appears only
//! at the edges (parsing and printing).
//!
//! Types arrive here when the work that needs them arrives; today that is time,
//! positions, the two ship identities, MMSI and IMO number, kinds of place,
//! what imagery gives (scenes, detections, facility observations), and what
//! the pipeline finds: [`Event`]s with their [`Evidence`].

// Every public item documented: this crate is the vocabulary others read.
#![warn(missing_docs)]

pub mod event;
mod imagery;
mod imo;
mod latlon;
pub mod mid;
mod mmsi;
mod place;
mod timestamp;

pub use event::{Event, EventKind, Evidence, Value};
pub use imagery::{Detection, ObjectClass, Observation, Scene};
pub use imo::Imo;
pub use latlon::{
    EARTH_MEAN_RADIUS_M, LatLon, METRES_PER_DEGREE, METRES_PER_NAUTICAL_MILE, cos_lat, lon_difference_deg, wrap_lon_deg,
};
pub use mmsi::{Mmsi, MmsiKind};
pub use place::PlaceKind;
pub use timestamp::{Timestamp, TimestampError, UtcFields};
