//! Positions for the detectors' tests.

use tumen_model::{Mmsi, Timestamp};
use tumen_store::Origin;

use crate::fix::Fix;

/// A class A position; its line is its time in ms, so evidence can be
/// checked against it.
pub fn position(mmsi: u32, ms: i64, lat_deg: f64, lon_deg: f64, sog_knots: f32) -> Fix {
    Fix {
        mmsi: Mmsi(mmsi),
        time: Timestamp::from_unix_ms(ms),
        lat_deg,
        lon_deg,
        sog_knots: Some(sog_knots),
        nav_status: None,
        origin: Origin { source_id: 1, line: ms as u64 },
    }
}
