//! One MMSI, several ships: the segmenter's second tracks of one vessel
//! ([`crate::segments`]), gathered per period. Where at least one of them
//! is `two_tracks` — two transmitters reporting in turn — the MMSI is
//! shared, and every second track of the period (the other ship's stretches
//! alone, reported as `jump`, included) is part of one `shared_mmsi`
//! finding, not a spoofing event each. A period without one keeps its
//! jumps as `spoofing`.
//!
//! The names, call signs and IMO numbers the ships broadcast in turn are
//! folded into the finding by [`crate::engine::relate`], not reported as a
//! stream of identity changes.

use std::collections::BTreeMap;

use crate::event::{Event, EventKind, Evidence, Value};

/// Second tracks less than this apart are one period of sharing (ships
/// sharing an MMSI go weeks without being heard in turn, one of them
/// silent or out of reach, and then are again).
const SAME_PERIOD_MS: i64 = 30 * 86_400_000;

/// Evidence kept per finding: the first and last tracks' records.
const EVIDENCE_KEPT: usize = 8;

/// One vessel's second tracks, held until the end of the data.
#[derive(Default)]
pub struct SharedMmsiLog {
    tracks: Vec<Event>,
}

impl SharedMmsiLog {
    /// A second track's event (`spoofing`, mode `jump` or `two_tracks`).
    pub fn add(&mut self, event: Event) {
        self.tracks.push(event);
    }

    /// Per period: one `shared_mmsi` finding, or the jumps as they were.
    pub fn finish(&mut self) -> Vec<Event> {
        let mut tracks = std::mem::take(&mut self.tracks);
        tracks.sort_by_key(|e| e.start);
        let mut periods: Vec<Vec<Event>> = Vec::new();
        for track in tracks {
            match periods.last_mut() {
                Some(period)
                    if track.start.ms_since(period.iter().map(|e| e.end).max().expect("not empty"))
                        <= SAME_PERIOD_MS =>
                {
                    period.push(track)
                }
                _ => periods.push(vec![track]),
            }
        }
        periods
            .into_iter()
            .flat_map(
                |period| {
                    if period.iter().any(|e| mode(e) == Some("two_tracks")) { vec![finding(period)] } else { period }
                },
            )
            .collect()
    }
}

fn mode(e: &Event) -> Option<&str> {
    match e.attributes.get("mode") {
        Some(Value::Text(mode)) => Some(mode),
        _ => None,
    }
}

fn number(e: &Event, name: &str) -> f64 {
    match e.attributes.get(name) {
        Some(Value::Number(n)) => *n,
        _ => 0.0,
    }
}

/// The period's second tracks as one finding.
fn finding(period: Vec<Event>) -> Event {
    let first = &period[0];
    let start = first.start;
    let end = period.iter().map(|e| e.end).max().expect("not empty");
    let mut attributes = BTreeMap::new();
    attributes.insert("second_tracks", Value::Number(period.len() as f64));
    attributes.insert("positions", Value::Number(period.iter().map(|e| number(e, "positions")).sum()));
    attributes
        .insert("max_offset_km", Value::Number(period.iter().map(|e| number(e, "offset_km")).fold(0.0, f64::max)));
    attributes.insert("alternations", Value::Number(period.iter().map(|e| number(e, "alternations")).sum()));
    let mut evidence: Vec<Evidence> = first.evidence.clone();
    if let Some(last) = period.last().filter(|_| period.len() > 1) {
        evidence.extend(last.evidence.iter().copied());
    }
    evidence.truncate(EVIDENCE_KEPT);
    let profile = first.profile.clone();
    Event {
        id: Event::make_id(EventKind::SharedMmsi, &first.mmsis, start, &profile),
        kind: EventKind::SharedMmsi,
        mmsis: first.mmsis.clone(),
        start,
        end,
        position: first.position,
        place: None,
        attributes,
        confidence: if period.len() >= 2 { 4 } else { 3 },
        profile,
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tumen_model::{Mmsi, Timestamp};

    const DAY_MS: i64 = 86_400_000;

    fn track(mode: &str, day: i64) -> Event {
        let mut attributes = BTreeMap::new();
        attributes.insert("mode", Value::Text(mode.into()));
        attributes.insert("positions", Value::Number(10.0));
        attributes.insert("offset_km", Value::Number(day as f64));
        Event {
            id: format!("{mode}-{day}"),
            kind: EventKind::Spoofing,
            mmsis: vec![Mmsi(240_000_000)],
            start: Timestamp::from_unix_ms(day * DAY_MS),
            end: Timestamp::from_unix_ms(day * DAY_MS + 3_600_000),
            position: None,
            place: None,
            attributes,
            confidence: 2,
            profile: "p".into(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn second_tracks_of_a_shared_period_are_one_finding_and_lone_jumps_stay() {
        let mut log = SharedMmsiLog::default();
        // Days 1–9: two transmitters (with the other ship alone at times);
        // day 45: one jump, over a month later.
        for (mode, day) in [("jump", 1), ("two_tracks", 3), ("jump", 6), ("two_tracks", 9), ("jump", 45)] {
            log.add(track(mode, day));
        }
        let found = log.finish();
        assert_eq!(found.len(), 2, "{found:#?}");
        let shared = &found[0];
        assert_eq!(shared.kind, EventKind::SharedMmsi);
        assert_eq!(shared.attributes["second_tracks"], Value::Number(4.0));
        assert_eq!(shared.attributes["positions"], Value::Number(40.0));
        assert_eq!(shared.attributes["max_offset_km"], Value::Number(9.0));
        assert_eq!((shared.start.unix_ms(), shared.end.unix_ms()), (DAY_MS, 9 * DAY_MS + 3_600_000));
        assert_eq!((found[1].kind, mode(&found[1])), (EventKind::Spoofing, Some("jump")));
    }
}
