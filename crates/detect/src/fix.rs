//! What the detectors read of a position report: a small `Copy` value. The
//! archive's row also names its receiver (a shared string): copying rows
//! into detector state cost a reference count per copy, a fifth of a run.

use tumen_model::{LatLon, Mmsi, Timestamp};
use tumen_store::{Origin, PositionRow};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fix {
    pub mmsi: Mmsi,
    pub time: Timestamp,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub sog_knots: Option<f32>,
    /// Class A navigational status; `None` for reports without one.
    pub nav_status: Option<u8>,
    /// The source and line it was read from.
    pub origin: Origin,
}

impl Fix {
    pub fn position(&self) -> LatLon {
        LatLon { lat_deg: self.lat_deg, lon_deg: self.lon_deg }
    }
}

impl From<&PositionRow> for Fix {
    fn from(row: &PositionRow) -> Fix {
        Fix {
            mmsi: row.mmsi,
            time: row.time,
            lat_deg: row.lat_deg,
            lon_deg: row.lon_deg,
            sog_knots: row.sog_knots,
            nav_status: row.nav_status,
            origin: row.origin,
        }
    }
}
