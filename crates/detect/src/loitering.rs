//! Loitering, after Global Fishing Watch: consecutive time at an average
//! implied speed below `max_speed_knots`, published when the average
//! distance from shore is at least `min_offshore_nm` (ports and coastal
//! anchorages are then out of it by construction).
//!
//! Implied speeds are measured between positions at least `step_minutes`
//! apart: over a few seconds, 3 m of position noise is a knot. A step
//! whose two reports give a mean speed over ground at or above the limit
//! is not slow either: a ship trawling in circles, heard once an hour,
//! has a small implied speed and is not loitering. A silence
//! longer than `max_gap_hours` ends a run. Tumen computes loitering for
//! every vessel, where GFW computes it for carriers only, so a run whose
//! reports mostly declare a stop or an activity (`skip_nav_statuses`: at
//! anchor, fishing by default) is not reported. "Moored" 20 nm offshore is
//! reported: moored to what? To another ship, in a transfer, or a buoy.

use std::collections::BTreeMap;

use crate::fix::Fix;
use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE};
use tumen_places::Land;

use crate::event::{Event, EventKind, Value, hours_between};
use crate::profile::LoiteringProfile;

/// Positions kept per run to measure its distance from shore: one per
/// step, thinned by half whenever full (a week-long run keeps 16).
const SAMPLES_KEPT: usize = 16;

/// One vessel's loitering detector; feed its positions in time order.
pub struct LoiteringDetector<'g> {
    profile: LoiteringProfile,
    land: &'g Land,
    /// The position the next step is measured from.
    anchor: Option<Fix>,
    run: Option<Run>,
}

struct Run {
    first: Fix,
    last: Fix,
    distance_m: f64,
    reports: u32,
    declared: u32,
    samples: Vec<LatLon>,
    /// Steps between kept samples (doubles at each thinning).
    sample_every: u32,
    steps: u32,
}

impl Run {
    fn new(first: &Fix) -> Run {
        Run {
            first: *first,
            last: *first,
            distance_m: 0.0,
            reports: 0,
            declared: 0,
            samples: vec![first.position()],
            sample_every: 1,
            steps: 0,
        }
    }

    fn step(&mut self, to: &Fix, metres: f64) {
        self.last = *to;
        self.distance_m += metres;
        self.steps += 1;
        if self.steps.is_multiple_of(self.sample_every) {
            if self.samples.len() == SAMPLES_KEPT {
                self.samples = self.samples.iter().step_by(2).copied().collect();
                self.sample_every *= 2;
            }
            self.samples.push(to.position());
        }
    }

    fn centre(&self) -> LatLon {
        let n = self.samples.len() as f64;
        LatLon {
            lat_deg: self.samples.iter().map(|p| p.lat_deg).sum::<f64>() / n,
            lon_deg: self.samples.iter().map(|p| p.lon_deg).sum::<f64>() / n,
        }
    }
}

impl<'g> LoiteringDetector<'g> {
    pub fn new(profile: LoiteringProfile, land: &'g Land) -> LoiteringDetector<'g> {
        LoiteringDetector { profile, land, anchor: None, run: None }
    }

    /// The loitering this position ends, if it ends one.
    pub fn feed(&mut self, row: &Fix) -> Option<Event> {
        if let Some(run) = &mut self.run {
            run.reports += 1;
            if row.nav_status.is_some_and(|s| self.profile.skip_nav_statuses.contains(&s)) {
                run.declared += 1;
            }
        }
        let Some(anchor) = &self.anchor else {
            self.anchor = Some(*row);
            return None;
        };
        let hours = hours_between(anchor.time, row.time);
        if hours * 60.0 < self.profile.step_minutes {
            return None;
        }
        let mut ended = None;
        if hours > self.profile.max_gap_hours {
            ended = self.end_run();
        } else {
            let metres = anchor.position().near_distance_m(row.position());
            // Reports that say the ship is making way contradict a slow
            // implied speed that sparse reports of a circling ship give.
            let reported_knots = match (anchor.sog_knots, row.sog_knots) {
                (Some(a), Some(b)) => (f64::from(a) + f64::from(b)) / 2.0,
                _ => 0.0,
            };
            let slow = metres / METRES_PER_NAUTICAL_MILE / hours < self.profile.max_speed_knots
                && reported_knots < self.profile.max_speed_knots;
            if slow {
                self.run.get_or_insert_with(|| Run::new(anchor)).step(row, metres);
            } else {
                ended = self.end_run();
            }
        }
        self.anchor = Some(*row);
        ended
    }

    /// At the end of the data, the run still going, if it qualifies.
    pub fn finish(&mut self) -> Option<Event> {
        self.end_run()
    }

    fn end_run(&mut self) -> Option<Event> {
        let run = self.run.take()?;
        let hours = hours_between(run.first.time, run.last.time);
        if hours < self.profile.min_hours || f64::from(run.declared) > 0.5 * f64::from(run.reports) {
            return None;
        }
        // One position repeated to the last digit for hours is not a ship
        // afloat (GNSS noise alone moves a moored one by metres): it is a
        // transponder told where to say it is, spoofing's business.
        if run.distance_m == 0.0 {
            return None;
        }
        // Shore distance last: the costliest test, for the fewest runs.
        let shore_nm = mean_shore_nm(self.land, &run.samples);
        (shore_nm >= self.profile.min_offshore_nm).then(|| self.event(&run, hours, shore_nm))
    }

    fn event(&self, run: &Run, hours: f64, shore_nm: f64) -> Event {
        let centre = run.centre();
        Loitered {
            mode: "slow",
            first: &run.first,
            last: &run.last,
            centre,
            radius_m: run.samples.iter().map(|p| p.distance_m(centre)).fold(0.0, f64::max),
            hours,
            knots: run.distance_m / METRES_PER_NAUTICAL_MILE / hours,
            shore_nm,
            long_hours: 2.0 * self.profile.min_hours,
            roles: ["loitering starts", "loitering ends"],
        }
        .event(&self.profile.name)
    }
}

/// The mean distance from shore of `points`, nautical miles.
pub(crate) fn mean_shore_nm(land: &Land, points: &[LatLon]) -> f64 {
    points
        .iter()
        .map(|p| land.distance_to_shore_km(p.lat_deg, p.lon_deg) * 1000.0 / METRES_PER_NAUTICAL_MILE)
        .sum::<f64>()
        / points.len() as f64
}

/// A loitering run as either mode publishes it.
pub(crate) struct Loitered<'a> {
    pub(crate) mode: &'static str,
    pub(crate) first: &'a Fix,
    pub(crate) last: &'a Fix,
    pub(crate) centre: LatLon,
    pub(crate) radius_m: f64,
    pub(crate) hours: f64,
    pub(crate) knots: f64,
    pub(crate) shore_nm: f64,
    /// From this long on, the finding is surer (confidence 3, else 2).
    pub(crate) long_hours: f64,
    /// The evidence's roles of the first and last reports.
    pub(crate) roles: [&'static str; 2],
}

impl Loitered<'_> {
    pub(crate) fn event(&self, profile_name: &str) -> Event {
        let mut attributes = BTreeMap::new();
        attributes.insert("mode", Value::Text(self.mode.to_owned()));
        attributes.insert("duration_hours", Value::Number(self.hours));
        attributes.insert("mean_speed_knots", Value::Number(self.knots));
        attributes.insert("distance_to_shore_nm", Value::Number(self.shore_nm));
        attributes.insert("radius_km", Value::Number(self.radius_m / 1000.0));
        Event {
            id: Event::make_id(EventKind::Loitering, &[self.first.mmsi], self.first.time, profile_name),
            kind: EventKind::Loitering,
            mmsis: vec![self.first.mmsi],
            start: self.first.time,
            end: self.last.time,
            position: Some(self.centre),
            place: None,
            attributes,
            confidence: if self.hours >= self.long_hours { 3 } else { 2 },
            profile: profile_name.to_owned(),
            evidence: vec![self.first.evidence(self.roles[0]), self.last.evidence(self.roles[1])],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    const MINUTE_MS: i64 = 60_000;

    /// One position a minute for `hours`, drifting north at `knots` from (lat, lon).
    fn drifting(lat: f64, lon: f64, knots: f64, hours: i64, status: Option<u8>) -> Vec<Fix> {
        (0..hours * 60)
            .map(|m| {
                let mut row = position(4, m * MINUTE_MS, lat + knots * m as f64 / 60.0 / 60.0, lon, knots as f32);
                row.nav_status = status;
                row
            })
            .collect()
    }

    fn run(rows: &[Fix]) -> Vec<Event> {
        let mut d = LoiteringDetector::new(LoiteringProfile::default(), Land::embedded());
        let mut events: Vec<Event> = rows.iter().filter_map(|r| d.feed(r)).collect();
        events.extend(d.finish());
        events
    }

    #[test]
    fn slow_offshore_is_loitering_and_near_shore_fast_or_declared_is_not() {
        // Mid Sea of Japan, 1.5 kn for 6 hours.
        let events = run(&drifting(40.5, 134.5, 1.5, 6, Some(0)));
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(e.kind, EventKind::Loitering);
        let Value::Number(knots) = e.attributes["mean_speed_knots"] else { panic!() };
        assert!((knots - 1.5).abs() < 0.05, "{knots}");
        assert!((e.end.unix_ms() - e.start.unix_ms()) >= 5 * 60 * MINUTE_MS);
        // 2.5 kn is under way; off Busan is near shore; "at anchor" is declared.
        assert!(run(&drifting(40.5, 134.5, 2.5, 6, Some(0))).is_empty());
        assert!(run(&drifting(35.05, 129.1, 0.5, 6, Some(0))).is_empty());
        assert!(run(&drifting(40.5, 134.5, 0.5, 6, Some(1))).is_empty());
        // "Moored" out there is moored to another ship: loitering; one
        // position repeated exactly is a transponder's, not a ship's.
        assert_eq!(run(&drifting(40.5, 134.5, 0.5, 6, Some(5))).len(), 1);
        assert!(run(&drifting(40.5, 134.5, 0.0, 6, Some(5))).is_empty());
        // Circling at 3.5 kn heard every 90 minutes: implied speed small,
        // reported speed not.
        let circling: Vec<Fix> = (0..8)
            .map(|k| {
                let p = LatLon { lat_deg: 40.5, lon_deg: 134.5 }.destination(k as f64 * 170.0, 2000.0);
                position(4, k * 90 * MINUTE_MS, p.lat_deg, p.lon_deg, 3.5)
            })
            .collect();
        assert!(run(&circling).is_empty());
        // Under the minimum duration.
        assert!(run(&drifting(40.5, 134.5, 1.0, 1, None)).is_empty());
    }

    #[test]
    fn a_long_silence_splits_a_run() {
        let mut rows = drifting(40.5, 134.5, 1.0, 3, None);
        let later: Vec<Fix> = drifting(40.6, 134.5, 1.0, 3, None)
            .into_iter()
            .map(|mut r| {
                r.time = r.time.plus_ms(10 * 60 * MINUTE_MS);
                r
            })
            .collect();
        rows.extend(later);
        assert_eq!(run(&rows).len(), 2);
    }
}
