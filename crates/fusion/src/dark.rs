//! Who a dark detection could be: the vessels whose AIS was silent at the
//! image time (a `gap` or `ais_disabling` event spans it) and that could
//! have been there — from where they went silent, and to where they
//! reappeared, at no more than the fastest speed allowed. This is how a
//! dark port call is seen: a ship goes silent leaving one port, an image
//! shows an unidentified ship of its length at another, it reappears
//! where it could have come from there.
//!
//! The score is length agreement × reachability, where reachability is
//! `1 − ρ²` and ρ is the share of the silent spell the detour through the
//! detection would take at the fastest speed (inside the ellipse whose
//! foci are the two ends, ρ < 1; near its edge only a flat-out passage
//! fits). An open spell (no reappearance yet) uses the first leg only.

use tumen_model::{Detection, LatLon, METRES_PER_NAUTICAL_MILE, Mmsi, Timestamp};
use tumen_model::{Event, EventKind};

use crate::profile::FusionProfile;

/// A vessel's silent spell, from a gap event's evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Silence {
    pub mmsi: Mmsi,
    pub event_id: String,
    pub from: (Timestamp, LatLon),
    pub to: Option<(Timestamp, LatLon)>,
    /// When the spell ends (the reappearance or the end of the data).
    pub end: Timestamp,
}

/// The silent spells among `events`.
pub fn silences(events: &[Event]) -> Vec<Silence> {
    events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Gap | EventKind::AisDisabling))
        .filter_map(|e| {
            let at =
                |role: &str| e.evidence.iter().find(|ev| ev.role == role).and_then(|ev| Some((ev.time, ev.position?)));
            Some(Silence {
                mmsi: *e.mmsis.first()?,
                event_id: e.id.clone(),
                from: at("last position before the gap")?,
                to: at("first position after the gap"),
                end: e.end,
            })
        })
        .collect()
}

/// A vessel that could have been a dark detection.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    pub mmsi: Mmsi,
    pub score: f64,
    pub silence_event: String,
    /// Hours from going silent to the image.
    pub silent_hours: f64,
    pub distance_from_silence_nm: f64,
}

/// The vessels that could have been `detection`, best first, at least
/// `min_candidate_score`.
pub fn identities(
    detection: &Detection,
    silences: &[Silence],
    length_of: impl Fn(Mmsi) -> Option<f64>,
    profile: &FusionProfile,
) -> Vec<Identity> {
    let speed_m_per_s = profile.dark_max_speed_knots * METRES_PER_NAUTICAL_MILE / 3600.0;
    let t = detection.time;
    let mut found: Vec<Identity> = Vec::new();
    for silence in silences.iter().filter(|s| s.from.0 <= t && t <= s.end) {
        let first_leg_m = silence.from.1.distance_m(detection.position);
        let first_s = t.ms_since(silence.from.0) as f64 / 1000.0;
        let rho = match silence.to {
            Some((back, at)) => {
                let whole_s = back.ms_since(silence.from.0) as f64 / 1000.0;
                (first_leg_m + detection.position.distance_m(at)) / (speed_m_per_s * whole_s).max(1.0)
            }
            None => first_leg_m / (speed_m_per_s * first_s).max(1.0),
        };
        if rho >= 1.0 {
            continue;
        }
        let length = match (detection.length_m, length_of(silence.mmsi)) {
            (Some(detected), Some(ais)) if detected > 0.0 && ais > 0.0 => {
                let r = (detected / ais).ln() / profile.length_log_sigma;
                (-0.5 * r * r).exp()
            }
            // Unknown on either side: neither for nor against.
            _ => 0.5,
        };
        let score = length * (1.0 - rho * rho);
        if score < profile.min_candidate_score {
            continue;
        }
        match found.iter_mut().find(|f| f.mmsi == silence.mmsi) {
            Some(old) if old.score >= score => {}
            Some(old) => *old = identity(silence, score, first_s, first_leg_m),
            None => found.push(identity(silence, score, first_s, first_leg_m)),
        }
    }
    found.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.mmsi.0.cmp(&b.mmsi.0)));
    found
}

fn identity(silence: &Silence, score: f64, first_s: f64, first_leg_m: f64) -> Identity {
    Identity {
        mmsi: silence.mmsi,
        score,
        silence_event: silence.event_id.clone(),
        silent_hours: first_s / 3600.0,
        distance_from_silence_nm: first_leg_m / METRES_PER_NAUTICAL_MILE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: i64 = 3_600_000;

    fn at(hours: i64, lat: f64, lon: f64) -> (Timestamp, LatLon) {
        (Timestamp::from_unix_ms(hours * HOUR_MS), LatLon { lat_deg: lat, lon_deg: lon })
    }

    #[test]
    fn a_dark_port_call_names_the_ship_that_could_have_made_it() {
        let dunay = (42.8788, 132.3352);
        let najin = LatLon { lat_deg: 42.2333, lon_deg: 130.3 };
        // Silent from Dunay for three days, back at Dunay: Najin (~100 nm) is in reach.
        let angara = Silence {
            mmsi: Mmsi(273_100_001),
            event_id: "gap-1".into(),
            from: at(0, dunay.0, dunay.1),
            to: Some(at(72, dunay.0, dunay.1)),
            end: Timestamp::from_unix_ms(72 * HOUR_MS),
        };
        // Silent for two hours off Vladivostok: nowhere near Najin in time.
        let other = Silence {
            mmsi: Mmsi(273_100_002),
            event_id: "gap-2".into(),
            from: at(30, 43.0, 131.9),
            to: Some(at(32, 43.0, 131.9)),
            end: Timestamp::from_unix_ms(32 * HOUR_MS),
        };
        let detection = Detection {
            id: "d".into(),
            scene_id: None,
            time: Timestamp::from_unix_ms(31 * HOUR_MS),
            position: najin,
            length_m: Some(120.0),
            width_m: None,
            heading_deg: None,
            confidence: Some(0.9),
            provider_mmsi: None,
            source_id: 1,
            line: 1,
        };
        let length = |m: Mmsi| (m.0 == 273_100_001).then_some(118.0);
        let found = identities(&detection, &[angara, other], length, &FusionProfile::default());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].mmsi, Mmsi(273_100_001));
        assert!(found[0].score > 0.5, "{found:?}");
        assert!((found[0].silent_hours - 31.0).abs() < 1e-9);
    }
}
