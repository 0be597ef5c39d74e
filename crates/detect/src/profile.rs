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

/// Positions on land the track cannot explain (`crate::on_land`): reports
/// at least `min_km_from_shore` inland (the coastline is accurate to about
/// a kilometre), outside ports, reached or left by a move faster than
/// `max_speed_knots`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OnLandProfile {
    pub name: String,
    pub min_km_from_shore: f64,
    /// No ship sails faster (fast ferries ~40 kn): a faster step is a jump.
    pub max_speed_knots: f64,
    /// Distance forgiven in every step (position noise, receivers' clocks).
    pub position_noise_m: f64,
    /// Fewer reports inland are a glitch for data quality, not spoofing…
    pub min_positions: u32,
    /// …and so is a shorter stay.
    pub min_minutes: f64,
}

impl Default for OnLandProfile {
    fn default() -> Self {
        OnLandProfile {
            name: "on-land-2km-jump-50kn".to_owned(),
            min_km_from_shore: 2.0,
            max_speed_knots: 50.0,
            position_noise_m: 500.0,
            min_positions: 3,
            min_minutes: 10.0,
        }
    }
}

/// Implied jumps: GFW's segmenter (gpsdio-segment) splits an MMSI's
/// positions into tracks a ship could sail at `max_speed_knots` (25 kn in
/// the segmenter, 30 in GFW's pipeline); a track silent for
/// `max_gap_hours` (8) closes.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentProfile {
    pub name: String,
    pub max_speed_knots: f64,
    pub max_gap_hours: f64,
    /// Distance any two reports may differ by whatever the time between
    /// them (position noise, receiver clocks a few seconds off).
    pub position_noise_m: f64,
    /// Second tracks with fewer positions are noise, not reported.
    pub min_positions: u32,
}

impl Default for SegmentProfile {
    fn default() -> Self {
        SegmentProfile {
            name: "gfw-segmenter-30kn".to_owned(),
            max_speed_knots: 30.0,
            max_gap_hours: 8.0,
            position_noise_m: 500.0,
            min_positions: 3,
        }
    }
}

/// Circle spoofing: no published thresholds; these ask for what honest
/// navigation almost never does.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CircleProfile {
    pub name: String,
    /// Full turns in one direction.
    pub min_turns: f64,
    pub min_speed_knots: f64,
    /// The circles stay within a box this wide (diagonal).
    pub max_diameter_km: f64,
    /// Steps shorter than this are joined with the next (noise cannot turn
    /// the track).
    pub min_step_m: f64,
    /// A longer silence ends a run.
    pub max_step_minutes: f64,
}

impl Default for CircleProfile {
    fn default() -> Self {
        CircleProfile {
            name: "circles-3-turns-8kn".to_owned(),
            min_turns: 3.0,
            min_speed_knots: 8.0,
            max_diameter_km: 20.0,
            min_step_m: 50.0,
            max_step_minutes: 30.0,
        }
    }
}

/// Loitering: GFW's definition (average implied speed < 2 kn, published at
/// an average of 20 nm or more from shore).
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoiteringProfile {
    pub name: String,
    pub max_speed_knots: f64,
    pub min_offshore_nm: f64,
    pub min_hours: f64,
    /// Implied speeds are measured over at least this long.
    pub step_minutes: f64,
    /// A longer silence ends a run.
    pub max_gap_hours: f64,
    /// Runs whose reports mostly give one of these navigational statuses
    /// are declared stops or activities (1 at anchor, 7 fishing). "Moored"
    /// is not skipped: 20 nm offshore a ship is moored to another ship (a
    /// ship-to-ship transfer) or a buoy, and that is worth a look.
    pub skip_nav_statuses: Vec<u8>,
    /// Loitering by confinement: a ship that stays within this radius of
    /// a centre at sea for `confined_min_hours`, at any speed (circling,
    /// drifting to and fro) — what analysts call loitering and GFW's
    /// average-speed rule misses. Reported only at or above
    /// `max_speed_knots` (slower, the slow rule speaks).
    pub confined_radius_m: f64,
    pub confined_min_hours: f64,
}

impl Default for LoiteringProfile {
    fn default() -> Self {
        LoiteringProfile {
            name: "gfw-loitering-2kn-20nm".to_owned(),
            max_speed_knots: 2.0,
            min_offshore_nm: 20.0,
            min_hours: 2.0,
            step_minutes: 10.0,
            max_gap_hours: 2.0,
            skip_nav_statuses: vec![1, 7],
            confined_radius_m: 1852.0,
            confined_min_hours: 4.0,
        }
    }
}

/// Encounters between two vessels on the 10-minute grid.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EncounterProfile {
    pub name: String,
    pub max_distance_m: f64,
    pub min_hours: f64,
    pub max_median_speed_knots: f64,
    pub merge_within_hours: f64,
    /// Encounters this close to a port or anchorage of the gazetteer are
    /// port traffic.
    pub min_port_distance_km: f64,
}

impl EncounterProfile {
    /// GFW: 0.5 km, over 2 h, median speed under 2 kn, 10 km from port,
    /// runs merged within 4 h.
    pub fn gfw() -> EncounterProfile {
        EncounterProfile {
            name: "gfw-encounter".to_owned(),
            max_distance_m: 500.0,
            min_hours: 2.0,
            max_median_speed_knots: 2.0,
            merge_within_hours: 4.0,
            min_port_distance_km: 10.0,
        }
    }

    /// Skylight's rendezvous: within 250 m for 30 min (no speed limit).
    pub fn skylight() -> EncounterProfile {
        EncounterProfile {
            name: "skylight-rendezvous".to_owned(),
            max_distance_m: 250.0,
            min_hours: 0.5,
            max_median_speed_knots: f64::INFINITY,
            merge_within_hours: 0.0,
            min_port_distance_km: 10.0,
        }
    }
}

impl Default for EncounterProfile {
    fn default() -> Self {
        EncounterProfile::gfw()
    }
}

/// Identity and draught changes, read from the registry.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IdentityProfile {
    pub name: String,
    /// Draught changes smaller than this are trim and rounding, not cargo.
    pub min_draught_change_m: f64,
    /// An IMO number seen on a new MMSI is the same ship re-registered
    /// when the old MMSI fell silent at most this long before.
    pub max_handover_hours: f64,
}

impl Default for IdentityProfile {
    fn default() -> Self {
        IdentityProfile { name: "identity".to_owned(), min_draught_change_m: 0.5, max_handover_hours: 72.0 }
    }
}

/// Every detector's profile, as a run uses them.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profiles {
    pub port_visit: PortVisitProfile,
    pub gap: GapProfile,
    pub on_land: OnLandProfile,
    pub segments: SegmentProfile,
    pub circle: CircleProfile,
    pub loitering: LoiteringProfile,
    /// Each profile finds its own encounters (GFW's and Skylight's by default).
    pub encounter: Vec<EncounterProfile>,
    pub identity: IdentityProfile,
}

impl Default for Profiles {
    fn default() -> Self {
        Profiles {
            port_visit: PortVisitProfile::default(),
            gap: GapProfile::default(),
            on_land: OnLandProfile::default(),
            segments: SegmentProfile::default(),
            circle: CircleProfile::default(),
            loitering: LoiteringProfile::default(),
            encounter: vec![EncounterProfile::gfw(), EncounterProfile::skylight()],
            identity: IdentityProfile::default(),
        }
    }
}
