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
    /// Entry and exit times are interpolated to where the track crosses the
    /// place's edge when the reports either side are at most this far apart
    /// (GFW does not interpolate across gaps of an hour or more).
    pub interpolate_max_minutes: f64,
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
            interpolate_max_minutes: 60.0,
        }
    }
}

/// AIS gaps: no position from a vessel for at least `min_hours` (the naive
/// tier); a gap is reported as AIS disabling when it also meets GFW's rule —
/// at least `disabling_min_hours`, after at least `min_positions_before`
/// positions in the `before_hours` before it, and more than `offshore_min_nm`
/// from shore at either end (GFW tests the start only) — or, in place of
/// the offshore condition,
/// when it starts or ends in a watched place or zone (the Rajin–Dunay route
/// is under 50 nm from shore: GFW's filter alone would drop it).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GapProfile {
    pub name: String,
    /// GFW's pipeline uses 6 h (its class default is 12 h); Skylight 6 h.
    pub min_hours: f64,
    pub disabling_min_hours: f64,
    pub before_hours: u8,
    pub min_positions_before: u32,
    pub offshore_min_nm: f64,
    /// Whether a gap in a watched place or zone counts as disabling
    /// whatever its distance from shore.
    pub watched_zones_exempt: bool,
}

impl Default for GapProfile {
    fn default() -> Self {
        GapProfile {
            name: "gfw-6h-12h".to_owned(),
            min_hours: 6.0,
            disabling_min_hours: 12.0,
            before_hours: 12,
            min_positions_before: 14,
            offshore_min_nm: 50.0,
            watched_zones_exempt: true,
        }
    }
}

/// Positions on land: reports more than this far inland are false (the
/// coastline is accurate to about a kilometre).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OnLandProfile {
    pub name: String,
    pub min_km_from_shore: f64,
}

impl Default for OnLandProfile {
    fn default() -> Self {
        OnLandProfile { name: "on-land-2km".to_owned(), min_km_from_shore: 2.0 }
    }
}

/// Every detector's profile, as a run uses them.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profiles {
    pub port_visit: PortVisitProfile,
    pub gap: GapProfile,
    pub on_land: OnLandProfile,
}
