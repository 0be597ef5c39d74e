//! Detector thresholds as named profiles. The defaults are the published
//! definitions (`../shared/FACTS.md` §2); a user's `tumen.toml` names its
//! own, and every event records the profile that found it.

use serde::Deserialize;

/// Port visits: the Global Fishing Watch state machine (AT_SEA / IN_PORT /
/// STOPPED, with hysteresis).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PortVisitProfile {
    pub name: String,
    /// A vessel enters a port when inside the place (its radius or polygon;
    /// GFW: within 3 km of an anchorage)…
    /// …and leaves it this far beyond the place's edge (GFW: out at 4 km,
    /// 1 km past the 3 km entry).
    pub exit_margin_km: f64,
    /// Stopped at or below this speed…
    pub stop_max_knots: f64,
    /// …moving again at or above this one.
    pub move_min_knots: f64,
    /// A silence this long inside a port is evidence of a visit, as a stop is.
    pub in_port_gap_hours: f64,
    /// Visits below this confidence are not reported (GFW's products use 2).
    pub min_confidence: u8,
}

impl Default for PortVisitProfile {
    fn default() -> Self {
        PortVisitProfile {
            name: "gfw".to_owned(),
            exit_margin_km: 1.0,
            stop_max_knots: 0.2,
            move_min_knots: 0.5,
            in_port_gap_hours: 4.0,
            min_confidence: 2,
        }
    }
}

/// AIS gaps: no position from a vessel for at least this long.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GapProfile {
    pub name: String,
    /// GFW's pipeline uses 6 h (its class default is 12 h); Skylight 6 h.
    pub min_hours: f64,
}

impl Default for GapProfile {
    fn default() -> Self {
        GapProfile { name: "naive-6h".to_owned(), min_hours: 6.0 }
    }
}

/// Every detector's profile, as a run uses them.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profiles {
    pub port_visit: PortVisitProfile,
    pub gap: GapProfile,
}
