//! Detections matched to AIS, the way Global Fishing Watch's published
//! method does it (Kroodsma et al. 2022, Paolo et al. 2024):
//!
//! 1. Candidates: vessels with an AIS position within 9 h and 100 nm.
//! 2. Each candidate's position at the image time: interpolated between
//!    the fixes before and after when the image falls 25–75 % of the way
//!    between them, otherwise dead-reckoned from the nearer fix by its
//!    speed and course. The estimate's error grows with the time from the
//!    fix and with the vessel's speed.
//! 3. A score per pair: the position likelihood (a normal in the distance,
//!    with the estimate's error) × length agreement (a normal in the log of
//!    detected over AIS length).
//! 4. Mutual-best assignment in rounds: a pair is matched when each is the
//!    other's best and the score reaches the threshold; matched pairs leave
//!    and the next round runs on the rest.

use std::collections::HashMap;

use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use tumen_model::{Detection, LatLon, METRES_PER_DEGREE, Mmsi, Timestamp};

use crate::profile::FusionProfile;
use crate::tracks::TrackFix;

const KNOT_M_PER_S: f64 = 1852.0 / 3600.0;

/// How an estimate was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Interpolated,
    DeadReckoned,
    /// The nearer fix as it was (no speed or course to reckon with).
    Held,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Interpolated => "interpolated",
            Method::DeadReckoned => "dead_reckoned",
            Method::Held => "held",
        }
    }
}

/// Where a vessel was at an image's time, by its AIS.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub position: LatLon,
    pub sigma_m: f64,
    pub method: Method,
    pub before: Option<TrackFix>,
    pub after: Option<TrackFix>,
    /// Seconds from the image to the nearest fix.
    pub nearest_s: f64,
}

/// A vessel's position at `time` from its fixes (time-ordered), if a fix
/// lies within the candidate hours.
pub fn estimate(fixes: &[TrackFix], time: Timestamp, profile: &FusionProfile) -> Option<Estimate> {
    let window_ms = (profile.candidate_hours * 3_600_000.0) as i64;
    let index = fixes.partition_point(|f| f.time <= time);
    let before = index.checked_sub(1).map(|i| fixes[i]).filter(|f| time.ms_since(f.time) <= window_ms);
    let after = fixes.get(index).copied().filter(|f| f.time.ms_since(time) <= window_ms);
    let seconds = |a: Timestamp, b: Timestamp| (a.ms_since(b) as f64 / 1000.0).abs();
    let grow = |fix: &TrackFix, dt_s: f64| {
        let speed = f64::from(fix.sog_knots.unwrap_or(0.0)) * KNOT_M_PER_S;
        profile.position_sigma_m + (profile.drift_m_per_s + profile.speed_error_share * speed) * dt_s
    };
    match (before, after) {
        (Some(b), Some(a)) if a.time > b.time => {
            let span = seconds(a.time, b.time);
            let share = seconds(time, b.time) / span;
            if (0.25..=0.75).contains(&share) {
                let distance = b.position.distance_m(a.position);
                let position = b.position.destination(b.position.bearing_deg_to(a.position), distance * share);
                let nearest_s = seconds(time, b.time).min(seconds(a.time, time));
                // Between two fixes the vessel cannot stray as far as it
                // could sailing on from one.
                let sigma_m = profile.position_sigma_m + profile.drift_m_per_s * nearest_s;
                return Some(Estimate { position, sigma_m, method: Method::Interpolated, before, after, nearest_s });
            }
            let nearer = if share < 0.5 { b } else { a };
            Some(reckoned(nearer, time, before, after, grow))
        }
        (Some(fix), _) | (None, Some(fix)) => Some(reckoned(fix, time, before, after, grow)),
        (None, None) => None,
    }
}

fn reckoned(
    fix: TrackFix,
    time: Timestamp,
    before: Option<TrackFix>,
    after: Option<TrackFix>,
    grow: impl Fn(&TrackFix, f64) -> f64,
) -> Estimate {
    let dt_s = time.ms_since(fix.time) as f64 / 1000.0;
    let (position, method) = match (fix.sog_knots, fix.cog_deg) {
        (Some(sog), Some(cog)) if sog > 0.0 => {
            // Backwards in time from a fix after the image: the reverse course.
            let metres = f64::from(sog) * KNOT_M_PER_S * dt_s;
            let bearing = if metres >= 0.0 { f64::from(cog) } else { f64::from(cog) + 180.0 };
            (fix.position.destination(bearing.rem_euclid(360.0), metres.abs()), Method::DeadReckoned)
        }
        _ => (fix.position, Method::Held),
    };
    Estimate { position, sigma_m: grow(&fix, dt_s.abs()), method, before, after, nearest_s: dt_s.abs() }
}

/// A vessel that could be in a scene.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub mmsi: Mmsi,
    pub estimate: Estimate,
    /// Length by the vessel's AIS (type 5 / 24 dimensions), if sent.
    pub length_m: Option<f64>,
}

/// A detection and a vessel, scored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    pub detection: usize,
    pub candidate: usize,
    pub score: f64,
    pub distance_m: f64,
}

/// The score of detection `d` against candidate `c`.
pub fn score(d: &Detection, c: &Candidate, profile: &FusionProfile) -> Pair {
    let distance_m = d.position.distance_m(c.estimate.position);
    let z = distance_m / c.estimate.sigma_m;
    let position = (-0.5 * z * z).exp();
    let length = match (d.length_m, c.length_m) {
        (Some(detected), Some(ais)) if detected > 0.0 && ais > 0.0 => {
            let r = (detected / ais).ln() / profile.length_log_sigma;
            (-0.5 * r * r).exp()
        }
        _ => 1.0,
    };
    Pair { detection: 0, candidate: 0, score: position * length, distance_m }
}

/// What assignment gave for one scene.
#[derive(Debug, Default)]
pub struct Assignment {
    pub matched: Vec<Pair>,
    /// Every pair scored above zero, for the nearest candidates of a
    /// detection left unmatched.
    pub scored: Vec<Pair>,
}

/// Mutual-best assignment in rounds of `detections` to `candidates`.
pub fn assign(detections: &[&Detection], candidates: &[Candidate], profile: &FusionProfile) -> Assignment {
    // Pairs within five standard deviations; the rest score nothing. An
    // R-tree of each candidate's five-sigma box finds them.
    let reach = |c: &Candidate| 5.0 * c.estimate.sigma_m;
    let boxes: Vec<GeomWithData<Rectangle<[f64; 2]>, usize>> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let p = c.estimate.position;
            let dlat = reach(c) / METRES_PER_DEGREE;
            let dlon = dlat / p.lat_deg.to_radians().cos().max(0.01);
            let rect =
                Rectangle::from_corners([p.lon_deg - dlon, p.lat_deg - dlat], [p.lon_deg + dlon, p.lat_deg + dlat]);
            GeomWithData::new(rect, i)
        })
        .collect();
    let tree = RTree::bulk_load(boxes);
    let mut scored = Vec::new();
    for (di, d) in detections.iter().enumerate() {
        let at = [d.position.lon_deg, d.position.lat_deg];
        let mut near: Vec<usize> = tree.locate_all_at_point(&at).map(|b| b.data).collect();
        near.sort_unstable();
        for ci in near {
            let c = &candidates[ci];
            let pair = score(d, c, profile);
            if pair.distance_m <= reach(c) {
                scored.push(Pair { detection: di, candidate: ci, ..pair });
            }
        }
    }
    let mut taken_detection = vec![false; detections.len()];
    let mut taken_candidate = vec![false; candidates.len()];
    let mut matched = Vec::new();
    loop {
        let mut best_of_detection: HashMap<usize, Pair> = HashMap::new();
        let mut best_of_candidate: HashMap<usize, Pair> = HashMap::new();
        for pair in scored.iter().filter(|p| {
            p.score >= profile.min_match_score && !taken_detection[p.detection] && !taken_candidate[p.candidate]
        }) {
            let better = |old: &Pair| pair.score > old.score;
            if best_of_detection.get(&pair.detection).is_none_or(better) {
                best_of_detection.insert(pair.detection, *pair);
            }
            if best_of_candidate.get(&pair.candidate).is_none_or(better) {
                best_of_candidate.insert(pair.candidate, *pair);
            }
        }
        let mut round: Vec<Pair> = best_of_detection
            .values()
            .filter(|p| best_of_candidate.get(&p.candidate).is_some_and(|q| q.detection == p.detection))
            .copied()
            .collect();
        if round.is_empty() {
            break;
        }
        round.sort_by_key(|p| (p.detection, p.candidate));
        for pair in round {
            taken_detection[pair.detection] = true;
            taken_candidate[pair.candidate] = true;
            matched.push(pair);
        }
    }
    Assignment { matched, scored }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(minutes: i64, lat: f64, lon: f64, sog: f32, cog: f32) -> TrackFix {
        TrackFix {
            time: Timestamp::from_unix_ms(minutes * 60_000),
            position: LatLon { lat_deg: lat, lon_deg: lon },
            sog_knots: Some(sog),
            cog_deg: Some(cog),
            source_id: 1,
            line: minutes as u64,
        }
    }

    fn detection(lat: f64, lon: f64, length_m: f64) -> Detection {
        Detection {
            id: "d".into(),
            scene_id: None,
            time: Timestamp::from_unix_ms(0),
            position: LatLon { lat_deg: lat, lon_deg: lon },
            length_m: Some(length_m),
            width_m: None,
            heading_deg: None,
            confidence: Some(0.9),
            provider_mmsi: None,
            source_id: 2,
            line: 1,
        }
    }

    #[test]
    fn estimates_interpolate_in_the_middle_and_reckon_near_a_fix() {
        let profile = FusionProfile::default();
        // Due east at 10 kn: one fix at 0 min, one at 60 min.
        let east = fix(0, 42.0, 132.0, 10.0, 90.0).position.destination(90.0, 18_520.0);
        let fixes = [fix(0, 42.0, 132.0, 10.0, 90.0), fix(60, east.lat_deg, east.lon_deg, 10.0, 90.0)];
        let middle = estimate(&fixes, Timestamp::from_unix_ms(30 * 60_000), &profile).unwrap();
        assert_eq!(middle.method, Method::Interpolated);
        assert!((fixes[0].position.distance_m(middle.position) - 9_260.0).abs() < 5.0);
        let early = estimate(&fixes, Timestamp::from_unix_ms(6 * 60_000), &profile).unwrap();
        assert_eq!(early.method, Method::DeadReckoned);
        assert!((fixes[0].position.distance_m(early.position) - 1_852.0).abs() < 5.0, "6 min at 10 kn");
        // Before the first fix: reckoned backwards along the reverse course.
        let before = estimate(&fixes, Timestamp::from_unix_ms(-12 * 60_000), &profile).unwrap();
        assert!(before.position.lon_deg < 132.0);
        assert!(early.sigma_m < before.sigma_m, "the error grows with time from the fix");
        // Past the candidate window: nothing.
        assert!(estimate(&fixes, Timestamp::from_unix_ms(11 * 3_600_000), &profile).is_none());
    }

    #[test]
    fn mutual_best_pairs_each_detection_with_its_own_vessel() {
        let profile = FusionProfile::default();
        let vessel = |mmsi: u32, lat: f64, lon: f64, length_m: f64| Candidate {
            mmsi: Mmsi(mmsi),
            estimate: estimate(&[fix(0, lat, lon, 0.0, 0.0)], Timestamp::from_unix_ms(0), &profile).unwrap(),
            length_m: Some(length_m),
        };
        // Two ships 400 m apart, one long and one short; a third far off.
        let candidates =
            [vessel(1, 42.0, 132.0, 180.0), vessel(2, 42.0036, 132.0, 40.0), vessel(3, 42.5, 132.5, 100.0)];
        let detections =
            [detection(42.0034, 132.0003, 45.0), detection(42.0002, 132.0, 170.0), detection(41.5, 131.5, 90.0)];
        let refs: Vec<&Detection> = detections.iter().collect();
        let result = assign(&refs, &candidates, &profile);
        let pairs: Vec<(usize, usize)> = result.matched.iter().map(|p| (p.detection, p.candidate)).collect();
        assert_eq!(pairs.len(), 2, "{:?}", result.matched);
        assert!(pairs.contains(&(0, 1)) && pairs.contains(&(1, 0)), "{pairs:?}");
    }
}
