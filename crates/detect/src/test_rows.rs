//! Positions for the detectors' tests.

use tumen_model::{Mmsi, Timestamp};
use tumen_store::{Origin, PositionRow, StationClass, TimeOrigin};

/// A class A position; its line is its time in ms, so evidence can be
/// checked against it.
pub fn position(mmsi: u32, ms: i64, lat_deg: f64, lon_deg: f64, sog_knots: f32) -> PositionRow {
    PositionRow {
        mmsi: Mmsi(mmsi),
        time: Timestamp::from_unix_ms(ms),
        lat_deg,
        lon_deg,
        sog_knots: Some(sog_knots),
        cog_deg: None,
        heading_deg: None,
        nav_status: None,
        msg_type: 1,
        class: StationClass::A,
        receiver: None,
        receivers_heard: 1,
        time_origin: TimeOrigin::TagBlock,
        origin: Origin { source_id: 1, line: ms as u64 },
    }
}
