//! Port visits, after Global Fishing Watch's definition: a vessel is in a
//! port from the first position inside the place until it is beyond the
//! place's edge by the profile's margin (hysteresis, so a vessel at the
//! edge does not enter and leave on every report); within a visit it is
//! stopped from a speed at or below `stop_max_knots` until one at or above
//! `move_min_knots`; a silence of `in_port_gap_hours` inside counts as a
//! stop would (a dark port call). Confidence as GFW grades it:
//!
//! | seen | confidence |
//! |---|---|
//! | entry or exit only | 1 |
//! | a stop or gap only | 2 |
//! | a stop or gap, and the entry or the exit | 3 |
//! | a stop or gap, the entry and the exit | 4 |
//!
//! Visits below the profile's `min_confidence` (GFW's products: 2) are not
//! reported.
//!
//! A visit is named by where the vessel stopped: a ship bound for a berth
//! crosses the outer anchorage cells of a port (or a neighbour's) first, so
//! at its first stop the visit takes the first place of the gazetteer that
//! contains the stop, if that is another.

use std::collections::BTreeMap;

use crate::fix::Fix;
use tumen_model::{LatLon, Timestamp};
use tumen_places::{Gazetteer, Place, Shape};

use crate::event::{Event, EventKind, Value, hours_between};
use crate::profile::PortVisitProfile;

/// One vessel's port-visit detector; feed its positions in time order.
pub struct PortVisitDetector<'g> {
    profile: PortVisitProfile,
    gazetteer: &'g Gazetteer,
    visit: Option<Visit<'g>>,
    /// Whether the vessel has been seen outside every port (so that a visit
    /// it starts has an observed entry).
    seen_outside: bool,
    /// The vessel's latest position, from which an entry is interpolated.
    previous: Option<Fix>,
}

struct Visit<'g> {
    place: &'g Place,
    entry: Fix,
    entry_observed: bool,
    /// When the track crossed into the place (interpolated), else the
    /// entry's time.
    entry_time: Timestamp,
    last_inside: Fix,
    /// The last position inside the place itself (not only within the exit
    /// margin), and the one after it: the exit is interpolated between them.
    last_within: Fix,
    after_within: Option<Fix>,
    stopped: bool,
    first_stop: Option<Fix>,
    last_stop: Option<Fix>,
    stop_ms: i64,
    longest_gap_hours: f64,
    /// Reports in the place (or its exit margin).
    positions: u32,
}

impl<'g> PortVisitDetector<'g> {
    pub fn new(profile: PortVisitProfile, gazetteer: &'g Gazetteer) -> PortVisitDetector<'g> {
        PortVisitDetector { profile, gazetteer, visit: None, seen_outside: false, previous: None }
    }

    /// The visit this position ends, if it ends one.
    pub fn feed(&mut self, row: &Fix) -> Option<Event> {
        let ended = self.step(row);
        self.previous = Some(*row);
        ended
    }

    fn step(&mut self, row: &Fix) -> Option<Event> {
        let here = LatLon { lat_deg: row.lat_deg, lon_deg: row.lon_deg };
        let mut ended = None;
        if let Some(visit) = &mut self.visit {
            if still_in(visit.place, here, self.profile.exit_margin_km) {
                let first_stop = visit.first_stop.is_none();
                visit.extend(row, here, &self.profile);
                if first_stop
                    && visit.first_stop.is_some()
                    && let Some(berth) = self.gazetteer.first_containing(here, |p| p.kind.is_maritime())
                {
                    visit.place = berth;
                }
                return None;
            }
            let visit = self.visit.take().expect("a visit is open");
            ended = self.event(visit, Some(row));
        }
        let port = self.gazetteer.first_containing(here, |p| p.kind.is_maritime());
        match port {
            Some(place) => {
                let stopped = speed_knots(row).is_some_and(|s| s <= self.profile.stop_max_knots);
                let entry_time = match &self.previous {
                    Some(before) if self.seen_outside => self.crossing(place, before, row, true),
                    _ => row.time,
                };
                self.visit = Some(Visit {
                    place,
                    entry: *row,
                    entry_observed: self.seen_outside,
                    entry_time,
                    last_inside: *row,
                    last_within: *row,
                    after_within: None,
                    stopped,
                    first_stop: stopped.then_some(*row),
                    last_stop: stopped.then_some(*row),
                    stop_ms: 0,
                    longest_gap_hours: 0.0,
                    positions: 1,
                });
            }
            None => self.seen_outside = true,
        }
        ended
    }

    /// At the end of the data, the visit still open, if it is strong enough
    /// (reported with `open = true`; its exit is not seen).
    pub fn finish(&mut self) -> Option<Event> {
        let visit = self.visit.take()?;
        self.event(visit, None)
    }

    fn event(&self, visit: Visit<'g>, exit: Option<&Fix>) -> Option<Event> {
        let stop_or_gap = visit.first_stop.is_some() || visit.longest_gap_hours >= self.profile.in_port_gap_hours;
        let ends_seen = u8::from(visit.entry_observed) + u8::from(exit.is_some());
        let confidence = match (stop_or_gap, ends_seen) {
            (true, 2) => 4,
            (true, 1) => 3,
            (true, _) => 2,
            (false, _) => 1,
        };
        // One report in port: there, but for how long nobody can say.
        let one_report = visit.positions == 1;
        let confidence = if one_report { confidence.min(2) } else { confidence };
        if confidence < self.profile.min_confidence {
            return None;
        }
        let mut attributes = BTreeMap::new();
        attributes.insert("entry_observed", Value::Flag(visit.entry_observed));
        attributes.insert("exit_observed", Value::Flag(exit.is_some()));
        attributes.insert("open", Value::Flag(exit.is_none()));
        attributes.insert("positions", Value::Number(f64::from(visit.positions)));
        if one_report {
            attributes.insert("duration_unknown", Value::Flag(true));
        } else {
            attributes.insert("stop_hours", Value::Number(visit.stop_ms as f64 / 3_600_000.0));
            attributes.insert("longest_in_port_gap_hours", Value::Number(visit.longest_gap_hours));
            let hours = hours_between(visit.entry.time, visit.last_inside.time);
            attributes.insert("duration_hours", Value::Number(hours));
        }
        let mut evidence =
            vec![visit.entry.evidence(if visit.entry_observed { "entry" } else { "first position in port" })];
        if let (Some(first), Some(last)) = (&visit.first_stop, &visit.last_stop) {
            attributes.insert("stop_start", Value::Time(first.time));
            attributes.insert("stop_end", Value::Time(last.time));
            evidence.push(first.evidence("stop start"));
            evidence.push(last.evidence("stop end"));
        }
        evidence.push(visit.last_inside.evidence("last position in port"));
        if let Some(exit) = exit {
            evidence.push(exit.evidence("exit"));
        }
        let end = match (exit, &visit.after_within) {
            (Some(exit), None) => self.crossing(visit.place, &visit.last_within, exit, false),
            (Some(_), Some(after)) => self.crossing(visit.place, &visit.last_within, after, false),
            (None, _) => visit.last_inside.time,
        };
        let mmsis = vec![visit.entry.mmsi];
        Some(Event {
            id: Event::make_id(EventKind::PortVisit, &mmsis, visit.entry.time, &self.profile.name),
            kind: EventKind::PortVisit,
            mmsis,
            start: visit.entry_time,
            end,
            position: Some(visit.place.centre()),
            place: Some(visit.place.id.clone()),
            attributes,
            confidence,
            profile: self.profile.name.clone(),
            evidence,
        })
    }
}

impl PortVisitDetector<'_> {
    /// When the straight track from `a` to `b` crossed the edge of `place`
    /// (into it when `entering`, else out of it), by bisection; `b`'s time
    /// (entering) or `a`'s (leaving) when the two are further apart in time
    /// than the profile interpolates over.
    fn crossing(&self, place: &Place, a: &Fix, b: &Fix, entering: bool) -> Timestamp {
        let span_ms = b.time.ms_since(a.time);
        if span_ms <= 0 || span_ms as f64 > self.profile.interpolate_max_minutes * 60_000.0 {
            return if entering { b.time } else { a.time };
        }
        let at = |f: f64| LatLon {
            lat_deg: a.lat_deg + f * (b.lat_deg - a.lat_deg),
            lon_deg: a.lon_deg + f * (b.lon_deg - a.lon_deg),
        };
        // Invariant: inside(at(low)) != entering, inside(at(high)) == entering.
        let (mut low, mut high) = (0.0f64, 1.0f64);
        for _ in 0..30 {
            let mid = (low + high) / 2.0;
            if place.contains(at(mid)) == entering {
                high = mid;
            } else {
                low = mid;
            }
        }
        Timestamp::from_unix_ms(a.time.unix_ms() + (high * span_ms as f64).round() as i64)
    }
}

impl Visit<'_> {
    fn extend(&mut self, row: &Fix, here: LatLon, profile: &PortVisitProfile) {
        self.positions += 1;
        if self.place.contains(here) {
            self.last_within = *row;
            self.after_within = None;
        } else if self.after_within.is_none() {
            self.after_within = Some(*row);
        }
        let gap_hours = hours_between(self.last_inside.time, row.time);
        self.longest_gap_hours = self.longest_gap_hours.max(gap_hours);
        if self.stopped {
            self.stop_ms += row.time.ms_since(self.last_inside.time);
        }
        match speed_knots(row) {
            Some(s) if s <= profile.stop_max_knots => {
                self.stopped = true;
                self.first_stop.get_or_insert(*row);
                self.last_stop = Some(*row);
            }
            Some(s) if s >= profile.move_min_knots => self.stopped = false,
            // Between the two thresholds, or no speed: unchanged.
            _ => {
                if self.stopped {
                    self.last_stop = Some(*row);
                }
            }
        }
        self.last_inside = *row;
    }
}

/// Whether a vessel in `place` is still in it: inside, or within the exit
/// margin of a circle's edge or of any of a set of circles (a polygon has
/// no margin: its outline is drawn as the user means it).
fn still_in(place: &Place, here: LatLon, exit_margin_km: f64) -> bool {
    match &place.shape {
        Shape::Circle { centre, radius_km } => centre.near_distance_m(here) <= (radius_km + exit_margin_km) * 1000.0,
        Shape::Circles { .. } => place.distance_outside_m(here) <= exit_margin_km * 1000.0,
        Shape::Polygons(_) => place.contains(here),
    }
}

/// Speed over ground at AIS's resolution, 0.1 kn: the archive keeps it as
/// an `f32`, whose 0.2 is a hair above the `f64` 0.2 a threshold is.
fn speed_knots(row: &Fix) -> Option<f64> {
    row.sog_knots.map(|s| (f64::from(s) * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    const MIN_MS: i64 = 60_000;

    /// Najin is at 42.2333 N, 130.3000 E with a 3 km radius: 0.01° of
    /// latitude is 1.11 km.
    fn najin_offset(km_north: f64) -> (f64, f64) {
        (42.2333 + km_north / 111.2, 130.3)
    }

    fn run(track: &[(i64, f64, f32)]) -> Vec<Event> {
        let gazetteer = Gazetteer::embedded();
        let mut d = PortVisitDetector::new(PortVisitProfile::default(), gazetteer);
        let mut events: Vec<Event> = track
            .iter()
            .filter_map(|&(minute, km_north, sog)| {
                let (lat, lon) = najin_offset(km_north);
                d.feed(&position(445_000_001, minute * MIN_MS, lat, lon, sog))
            })
            .collect();
        events.extend(d.finish());
        events
    }

    #[test]
    fn a_call_with_entry_stop_and_exit_has_confidence_four() {
        let events =
            run(&[(0, 10.0, 9.0), (60, 2.5, 4.0), (120, 0.5, 0.1), (600, 0.5, 0.0), (660, 3.5, 3.0), (720, 10.0, 9.0)]);
        assert_eq!(events.len(), 1, "{events:#?}");
        let visit = &events[0];
        assert_eq!((visit.kind, visit.confidence, visit.place.as_deref()), (EventKind::PortVisit, 4, Some("najin")));
        // In: the track crosses the 3 km edge 7/7.5 of the way from 10 km
        // (minute 0) to 2.5 km (minute 60): minute 56.
        assert!((visit.start.unix_ms() - 56 * MIN_MS).abs() < 1_000, "{}", visit.start);
        // Out: 3.5 km north (minute 660) is past the edge but inside the
        // 1 km exit margin, so the visit goes on until 10 km (minute 720);
        // its end is where the track crossed the edge, 2.5/3 of the way from
        // 0.5 km (minute 600) to 3.5 km: minute 650.
        assert!((visit.end.unix_ms() - 650 * MIN_MS).abs() < 1_000, "{}", visit.end);
        assert_eq!(visit.attributes["stop_hours"], Value::Number(9.0));
        let roles: Vec<&str> = visit.evidence.iter().map(|e| e.role).collect();
        assert_eq!(roles, ["entry", "stop start", "stop end", "last position in port", "exit"]);
    }

    #[test]
    fn a_visit_seen_from_one_report_has_unknown_duration() {
        // Heard once in port, stopped, between reports at sea 12 h apart.
        let events = run(&[(0, 10.0, 9.0), (360, 1.0, 0.0), (720, 10.0, 9.0)]);
        assert_eq!(events.len(), 1, "{events:#?}");
        let visit = &events[0];
        assert_eq!(visit.attributes["duration_unknown"], Value::Flag(true));
        assert_eq!(visit.attributes["positions"], Value::Number(1.0));
        assert!(!visit.attributes.contains_key("duration_hours"));
        assert_eq!(visit.confidence, 2);
    }

    #[test]
    fn the_exit_margin_and_speed_hysteresis_hold() {
        // At 3.9 km (inside 3 + 1) the vessel stays in; at 4.1 km it leaves.
        let stays = run(&[(0, 10.0, 9.0), (10, 1.0, 0.0), (20, 3.9, 0.3), (30, 1.0, 0.0)]);
        assert_eq!(stays.len(), 1);
        assert_eq!(stays[0].attributes["open"], Value::Flag(true));
        let leaves = run(&[(0, 10.0, 9.0), (10, 1.0, 0.0), (20, 4.1, 5.0)]);
        assert_eq!(leaves[0].attributes["exit_observed"], Value::Flag(true));
        // 0.3 kn (between 0.2 and 0.5) keeps a stopped vessel stopped until
        // 0.5 kn: stopped from minute 10 to minute 100.
        let slow = run(&[(0, 10.0, 9.0), (10, 1.0, 0.2), (70, 1.0, 0.3), (100, 1.0, 0.5), (130, 10.0, 9.0)]);
        assert_eq!(slow[0].attributes["stop_hours"], Value::Number(1.5));
    }

    #[test]
    fn passing_through_is_not_a_visit_and_a_silent_call_is() {
        // In and out at speed: confidence 1, below the default 2.
        assert!(run(&[(0, 10.0, 9.0), (20, 0.0, 9.0), (40, -10.0, 9.0)]).is_empty());
        // In, silent for 4 hours (AIS off inside), out: entry + gap + exit.
        let dark = run(&[(0, 10.0, 9.0), (20, 1.0, 3.0), (20 + 4 * 60, 1.0, 3.0), (20 + 4 * 60 + 30, 10.0, 9.0)]);
        assert_eq!((dark.len(), dark[0].confidence), (1, 4));
        // 4 hours less a minute is not a gap.
        assert!(
            run(&[(0, 10.0, 9.0), (20, 1.0, 3.0), (20 + 4 * 60 - 1, 1.0, 3.0), (20 + 4 * 60 + 30, 10.0, 9.0)])
                .is_empty()
        );
    }

    #[test]
    fn a_vessel_first_seen_in_port_has_no_observed_entry() {
        let events = run(&[(0, 1.0, 0.0), (120, 1.0, 0.0), (180, 10.0, 9.0)]);
        assert_eq!(events[0].confidence, 3);
        assert_eq!(events[0].evidence[0].role, "first position in port");
    }
}
