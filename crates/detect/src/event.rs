//! The event vocabulary as the detectors use it (the types are the
//! model's: every finder shares them) and the detectors' small helpers.

use tumen_model::Timestamp;
pub(crate) use tumen_model::event::{Event, EventKind, Evidence, Value};

/// Hours from `earlier` to `later`.
pub(crate) fn hours_between(earlier: Timestamp, later: Timestamp) -> f64 {
    later.ms_since(earlier) as f64 / 3_600_000.0
}
