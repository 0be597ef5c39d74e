//! Circle spoofing: false tracks drawn as circles at a constant speed —
//! a real ship's identity made to sail round and round, fast, far from
//! where the ship is. No thresholds are published; the profile's defaults
//! ask for what honest navigation almost never does: at least three full
//! turns in one direction, at `min_speed_knots` or more, within a
//! `max_diameter_km` box.
//!
//! The turn is summed from the bearings between successive positions (at
//! least `min_step_m` apart, so position noise cannot turn the track): a
//! sum that telescopes, so noise does not accumulate — only real rotation
//! does. A step slower or faster than the profile's speeds, longer than
//! `max_step_minutes`, or turning more than 90° at once ends the run.

use std::collections::BTreeMap;

use crate::fix::Fix;
use tumen_model::METRES_PER_NAUTICAL_MILE;

use crate::bounds::{Bounds, DiagonalLimit};
use crate::event::{Event, EventKind, Value, hours_between};
use crate::profile::CircleProfile;

/// A turn sharper than this between two steps is not a circle being drawn.
const MAX_TURN_PER_STEP_DEG: f64 = 90.0;

/// A speed no ship makes: a step this fast is a jump, not a circle.
const MAX_SPEED_KNOTS: f64 = 60.0;

/// One vessel's circle detector; feed its positions in time order.
pub struct CircleDetector {
    profile: CircleProfile,
    /// The last position a step was measured from, and the bearing of the
    /// step that reached it.
    anchor: Option<(Fix, Option<f64>)>,
    run: Option<Run>,
    /// The profile's diameter as a box's diagonal.
    limit: DiagonalLimit,
}

struct Run {
    first: Fix,
    last: Fix,
    /// Signed: clockwise positive.
    turn_deg: f64,
    distance_m: f64,
    bounds: Bounds,
}

impl Run {
    fn new(from: &Fix) -> Run {
        Run { first: *from, last: *from, turn_deg: 0.0, distance_m: 0.0, bounds: Bounds::around(from) }
    }

    fn extend(&mut self, row: &Fix, turn_deg: f64, metres: f64) {
        self.last = *row;
        self.turn_deg += turn_deg;
        self.distance_m += metres;
        self.bounds.widen(row);
    }
}

impl CircleDetector {
    pub fn new(profile: CircleProfile) -> CircleDetector {
        let limit = DiagonalLimit::new(profile.max_diameter_km * 1000.0, 0.0);
        CircleDetector { profile, anchor: None, run: None, limit }
    }

    /// The circle run this position ends, if it ends one.
    pub fn feed(&mut self, row: &Fix) -> Option<Event> {
        let Some((from, bearing_before)) = &self.anchor else {
            self.anchor = Some((*row, None));
            return None;
        };
        let (from_at, here) = (from.position(), row.position());
        let metres = from_at.near_distance_m(here);
        // Multiplications, not divisions: every step of every track.
        let hours = row.time.ms_since(from.time) as f64 * (1.0 / 3_600_000.0);
        let too_long = hours * 60.0 > self.profile.max_step_minutes;
        if metres < self.profile.min_step_m && !too_long {
            return None;
        }
        let nautical_miles = metres * (1.0 / METRES_PER_NAUTICAL_MILE);
        let in_speed =
            nautical_miles >= self.profile.min_speed_knots * hours && nautical_miles <= MAX_SPEED_KNOTS * hours;
        if too_long || !in_speed {
            self.anchor = Some((*row, None));
            return self.end_run();
        }
        let bearing = from_at.near_bearing_deg_to(here);
        let mut ended = None;
        match bearing_before {
            Some(before) => {
                let turn = tumen_model::lon_difference_deg(*before, bearing);
                if turn.abs() > MAX_TURN_PER_STEP_DEG {
                    ended = self.end_run();
                } else {
                    let run = self.run.get_or_insert_with(|| Run::new(from));
                    run.extend(row, turn, metres);
                    self.limit.follow(row.lat_deg);
                    if !self.limit.holds(&run.bounds) {
                        ended = self.end_run();
                    }
                }
            }
            None => ended = self.end_run(),
        }
        self.anchor = Some((*row, Some(bearing)));
        ended
    }

    /// At the end of the data, the run still going, if it is a circle.
    pub fn finish(&mut self) -> Option<Event> {
        self.end_run()
    }

    /// Judged in place, then dropped: most steps of a slow ship come here
    /// with no run, and moving the run out to look at it was a copy each.
    fn end_run(&mut self) -> Option<Event> {
        let run = self.run.as_ref()?;
        let turns = run.turn_deg.abs() / 360.0;
        let event = (turns >= self.profile.min_turns).then(|| self.event(run, turns));
        self.run = None;
        event
    }

    fn event(&self, run: &Run, turns: f64) -> Event {
        let hours = hours_between(run.first.time, run.last.time);
        let mut attributes = BTreeMap::new();
        attributes.insert("mode", Value::Text("circle".to_owned()));
        attributes.insert("turns", Value::Number(turns));
        attributes.insert(
            "direction",
            Value::Text(if run.turn_deg > 0.0 { "clockwise" } else { "anticlockwise" }.to_owned()),
        );
        attributes.insert("diameter_km", Value::Number(run.bounds.diagonal_m() / 1000.0 / std::f64::consts::SQRT_2));
        attributes
            .insert("mean_speed_knots", Value::Number(run.distance_m / METRES_PER_NAUTICAL_MILE / hours.max(1e-9)));
        Event {
            id: Event::make_id(EventKind::Spoofing, &[run.first.mmsi], run.first.time, &self.profile.name),
            kind: EventKind::Spoofing,
            mmsis: vec![run.first.mmsi],
            start: run.first.time,
            end: run.last.time,
            position: Some(run.bounds.centre()),
            place: None,
            attributes,
            confidence: if turns >= 2.0 * self.profile.min_turns { 4 } else { 3 },
            profile: self.profile.name.clone(),
            evidence: vec![
                run.first.evidence("first position of the circles"),
                run.last.evidence("last position of the circles"),
            ],
        }
    }
}

/// Seconds of a circle at `knots` with `radius_m`: for tests and docs.
#[cfg(test)]
fn lap_seconds(radius_m: f64, knots: f64) -> f64 {
    2.0 * std::f64::consts::PI * radius_m / (knots * METRES_PER_NAUTICAL_MILE / 3600.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;
    use tumen_model::LatLon;

    /// Positions every 10 s on a circle of `radius_m` at `knots` for `laps`.
    fn circle(radius_m: f64, knots: f64, laps: f64) -> Vec<Fix> {
        let centre = LatLon { lat_deg: 42.3, lon_deg: 131.5 };
        let lap = lap_seconds(radius_m, knots);
        let steps = (laps * lap / 10.0) as i64;
        (0..steps)
            .map(|i| {
                let angle = 360.0 * (i as f64 * 10.0) / lap;
                let p = centre.destination(angle, radius_m);
                position(9, i * 10_000, p.lat_deg, p.lon_deg, knots as f32)
            })
            .collect()
    }

    fn run(rows: &[Fix]) -> Vec<Event> {
        let mut d = CircleDetector::new(CircleProfile::default());
        let mut events: Vec<Event> = rows.iter().filter_map(|r| d.feed(r)).collect();
        events.extend(d.finish());
        events
    }

    #[test]
    fn fast_circles_are_spoofing_and_slow_or_few_are_not() {
        let events = run(&circle(4000.0, 20.0, 8.0));
        assert_eq!(events.len(), 1, "{events:#?}");
        let e = &events[0];
        assert_eq!(e.attributes["mode"], Value::Text("circle".into()));
        assert_eq!(e.attributes["direction"], Value::Text("clockwise".into()));
        let Value::Number(turns) = e.attributes["turns"] else { panic!() };
        assert!((turns - 8.0).abs() < 0.1, "{turns}");
        assert!(e.position.unwrap().distance_m(LatLon { lat_deg: 42.3, lon_deg: 131.5 }) < 200.0);
        // Two and a half laps: a ship can do that.
        assert!(run(&circle(4000.0, 20.0, 2.5)).is_empty());
        // Loitering in circles at 1.5 kn is not this.
        assert!(run(&circle(1500.0, 1.5, 5.0)).is_empty());
    }

    #[test]
    fn a_straight_track_with_noise_does_not_turn() {
        let rows: Vec<Fix> = (0..3000)
            .map(|i| {
                let wobble = if i % 2 == 0 { 0.0003 } else { -0.0003 };
                position(9, i * 10_000, 42.0 + wobble, 131.0 + i as f64 * 0.0012, 12.0)
            })
            .collect();
        assert!(run(&rows).is_empty());
    }
}
