//! The fusion step's parameters: `[fusion]` in `tumen.toml`. Defaults
//! follow the published methods (`../shared/FACTS.md` §2) where they say,
//! and are documented choices where they do not (`docs/fusion.md`).

use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FusionProfile {
    /// AIS positions this close in time to an image are candidates
    /// (Paolo et al. 2024: 9 h).
    pub candidate_hours: f64,
    /// …and this close in space (100 nm).
    pub candidate_nm: f64,
    /// The position error of an estimate from a fix at the image time:
    /// the detection's and the AIS position's error together.
    pub position_sigma_m: f64,
    /// How fast an estimate's error grows with time from its fix, plus
    /// `speed_error_share` of the vessel's speed (dead reckoning drifts
    /// with speed and turns).
    pub drift_m_per_s: f64,
    pub speed_error_share: f64,
    /// The spread of detected against AIS length, as the standard deviation
    /// of their log ratio (SAR lengths are within about a third).
    pub length_log_sigma: f64,
    /// A detection and a vessel match when their score (position
    /// likelihood × length agreement) is at least this and each is the
    /// other's best (mutual-best assignment in rounds).
    pub min_match_score: f64,
    /// Unmatched detections below this provider confidence are not
    /// reported as dark vessels (GFW matches only detections above 0.7).
    pub min_dark_confidence: f64,
    /// A spot detected in at least this many scenes…
    pub structure_min_scenes: usize,
    /// …in at least this share of the scenes that cover it…
    pub structure_min_share: f64,
    /// …over at least this many hours, and rarely matched to AIS, is a
    /// fixed structure, not a vessel.
    pub structure_min_span_hours: f64,
    /// Detections within this distance of a spot's centre are that spot
    /// (a few times the position error of SAR detections).
    pub structure_radius_m: f64,
    /// The fastest a dark vessel is taken to sail when judging whether it
    /// could have been where a detection is.
    pub dark_max_speed_knots: f64,
    /// Candidate identities of a dark detection scoring below this are not
    /// listed.
    pub min_candidate_score: f64,
    /// Unmatched detections on land further than this from the shore are
    /// not vessels (the coastline is 1:10m: quays can fall on "land").
    pub land_margin_km: f64,
    /// Facility counts: an anomaly is at least this many robust standard
    /// deviations above the expected count…
    pub anomaly_min_z: f64,
    /// …and at least this many objects above it…
    pub anomaly_min_excess: f64,
    /// …judged against at least this many earlier observations over at
    /// least this many days.
    pub baseline_min_observations: usize,
    pub baseline_min_days: f64,
    /// How far back the baseline reaches.
    pub baseline_years: f64,
}

impl Default for FusionProfile {
    fn default() -> Self {
        FusionProfile {
            candidate_hours: 9.0,
            candidate_nm: 100.0,
            position_sigma_m: 150.0,
            drift_m_per_s: 0.25,
            speed_error_share: 0.1,
            length_log_sigma: 0.35,
            min_match_score: 0.01,
            min_dark_confidence: 0.7,
            structure_min_scenes: 3,
            structure_min_share: 0.75,
            structure_min_span_hours: 24.0,
            structure_radius_m: 200.0,
            dark_max_speed_knots: 15.0,
            min_candidate_score: 0.2,
            land_margin_km: 0.5,
            anomaly_min_z: 5.0,
            anomaly_min_excess: 5.0,
            baseline_min_observations: 12,
            baseline_min_days: 180.0,
            baseline_years: 5.0,
        }
    }
}
