//! Loitering by confinement: a ship at sea that stays inside a small area
//! for hours at any speed — circling, or drifting to and fro — which GFW's
//! average-speed rule ([`crate::loitering`]) misses when the ship keeps
//! making way. A run lasts while every report stays within a box whose
//! diagonal is twice `confined_radius_m` (1 nm); it is published as
//! `loitering` with mode `confined` when it lasts `confined_min_hours`
//! (4 h), its mean implied speed is at least the slow rule's limit (below,
//! that rule reports it), its mean distance from shore is the slow rule's
//! (20 nm) and its reports do not mostly declare a skipped status
//! (fishing: a trawler works a ground).

use std::collections::{BTreeMap, VecDeque};

use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE};
use tumen_places::Land;

use crate::event::{Event, EventKind, Evidence, Value, hours_between};
use crate::fix::Fix;
use crate::profile::LoiteringProfile;

/// One vessel track's confinement detector; feed its positions in time
/// order.
pub struct ConfinedDetector<'g> {
    profile: LoiteringProfile,
    land: &'g Land,
    run: Option<Run>,
    /// The box limit at the latitude it was last made for.
    limit: DiagonalLimit,
}

struct Run {
    first: Fix,
    last: Fix,
    bounds: Bounds,
    /// The run's positions, thinned (at most [`KEPT`]), so that a run the
    /// next report breaks can slide on from its later part: a ship that
    /// sails in and starts circling is confined from the circle on, not
    /// from the report on the way in that fitted the box. With each, the
    /// run's path when it was kept (a slid run's path is the difference,
    /// not measured again).
    kept: VecDeque<(Fix, f64)>,
    reports: u32,
    declared: u32,
    /// The report the next step of the path is measured from, and the
    /// path so far (steps of at least `step_minutes`: noise over seconds
    /// would add up to knots).
    step_from: Fix,
    path_m: f64,
}

impl Run {
    fn new(first: &Fix) -> Run {
        Run {
            first: *first,
            last: *first,
            bounds: Bounds::around(first),
            kept: {
                let mut kept = VecDeque::with_capacity(KEPT);
                kept.push_back((*first, 0.0));
                kept
            },
            reports: 1,
            declared: 0,
            step_from: *first,
            path_m: 0.0,
        }
    }

    /// Whether the box, were `row` in it, would fit `limit`.
    fn fits_with(&self, row: &Fix, limit: &DiagonalLimit) -> bool {
        let mut bounds = self.bounds;
        bounds.widen(row);
        limit.holds(&bounds)
    }

    /// Keeps `row` among the run's positions, thinning them by half when
    /// full (the first and the latest always kept).
    fn keep(&mut self, row: &Fix) {
        if self.kept.len() == KEPT {
            let last = self.kept.len() - 1;
            let mut i = 0;
            self.kept.retain(|_| {
                let kept = i % 2 == 0 || i == last;
                i += 1;
                kept
            });
        }
        self.kept.push_back((*row, self.path_m));
    }

    /// Where the latest part of the kept positions that `row` fits with
    /// begins (their number when none does): the earliest dropped until
    /// the box is small enough. The box of a later part is never larger, so
    /// the part is found by growing it from the latest position back (a
    /// ship under way breaks the box at nearly every report: this is on the
    /// hot path).
    fn fitting_start(&self, row: &Fix, limit: &DiagonalLimit) -> usize {
        let mut bounds = Bounds::around(row);
        let mut start = self.kept.len();
        for (i, (fix, _)) in self.kept.iter().enumerate().rev() {
            bounds.widen(fix);
            if !limit.holds(&bounds) {
                break;
            }
            start = i;
        }
        start
    }

    /// The run slid on to its kept positions from `start` (which must hold
    /// one): a run of those alone.
    fn slide_to(&mut self, start: usize) {
        self.kept.drain(..start);
        let (first, path_before_m) = self.kept[0];
        let last = self.kept.back().expect("one kept").0;
        (self.first, self.last, self.step_from) = (first, last, last);
        self.path_m -= path_before_m;
        self.bounds = Bounds::around(&first);
        for (fix, path_m) in &mut self.kept {
            *path_m -= path_before_m;
            self.bounds.widen(fix);
        }
        self.reports = self.kept.len() as u32;
        self.declared = 0;
    }

    /// Adds a report inside the box.
    fn extend(&mut self, row: &Fix, skip_nav_statuses: &[u8]) {
        self.last = *row;
        self.reports += 1;
        self.bounds.widen(row);
        if row.nav_status.is_some_and(|s| skip_nav_statuses.contains(&s)) {
            self.declared += 1;
        }
        self.keep(row);
    }
}

/// A box of latitudes and longitudes round the positions it was widened by.
#[derive(Clone, Copy)]
struct Bounds {
    south_west: LatLon,
    north_east: LatLon,
}

impl Bounds {
    fn around(fix: &Fix) -> Bounds {
        Bounds { south_west: fix.position(), north_east: fix.position() }
    }

    fn widen(&mut self, fix: &Fix) {
        self.south_west.lat_deg = self.south_west.lat_deg.min(fix.lat_deg);
        self.south_west.lon_deg = self.south_west.lon_deg.min(fix.lon_deg);
        self.north_east.lat_deg = self.north_east.lat_deg.max(fix.lat_deg);
        self.north_east.lon_deg = self.north_east.lon_deg.max(fix.lon_deg);
    }

    fn centre(&self) -> LatLon {
        LatLon {
            lat_deg: (self.south_west.lat_deg + self.north_east.lat_deg) / 2.0,
            lon_deg: (self.south_west.lon_deg + self.north_east.lon_deg) / 2.0,
        }
    }
}

impl<'g> ConfinedDetector<'g> {
    pub fn new(profile: LoiteringProfile, land: &'g Land) -> ConfinedDetector<'g> {
        let limit = DiagonalLimit::new(2.0 * profile.confined_radius_m, 0.0);
        ConfinedDetector { profile, land, run: None, limit }
    }

    /// The confinement this position ends, if it ends one that qualifies.
    pub fn feed(&mut self, row: &Fix) -> Option<Event> {
        let Some(run) = &mut self.run else {
            self.run = Some(Run::new(row));
            return None;
        };
        if (row.lat_deg - self.limit.lat_deg).abs() > 0.1 {
            self.limit = DiagonalLimit::new(2.0 * self.profile.confined_radius_m, row.lat_deg);
        }
        let limit = &self.limit;
        let silent = hours_between(run.last.time, row.time) > self.profile.max_gap_hours;
        if silent || !run.fits_with(row, limit) {
            // A run long enough ends here; a shorter one slides on.
            let start = (!silent).then(|| run.fitting_start(row, limit));
            let mut run = self.run.take().expect("a run is open");
            let ended = self.judge(&run);
            let next = match start {
                Some(start) if ended.is_none() && start < run.kept.len() => {
                    run.slide_to(start);
                    run
                }
                _ => Run::new(row),
            };
            let run = self.run.insert(next);
            if run.last.time < row.time {
                self.extend(row);
            }
            return ended;
        }
        self.extend(row);
        None
    }

    /// Adds `row` to the open run, and to its path once a step is long
    /// enough.
    fn extend(&mut self, row: &Fix) {
        let run = self.run.as_mut().expect("a run is open");
        run.extend(row, &self.profile.skip_nav_statuses);
        if hours_between(run.step_from.time, row.time) * 60.0 >= self.profile.step_minutes {
            run.path_m += run.step_from.position().near_distance_m(row.position());
            run.step_from = *row;
        }
    }

    /// At the end of the data, the run still going, if it qualifies.
    pub fn finish(&mut self) -> Option<Event> {
        self.end_run()
    }

    fn end_run(&mut self) -> Option<Event> {
        let run = self.run.take()?;
        self.judge(&run)
    }

    /// The event a run that ends makes, if it qualifies.
    fn judge(&self, run: &Run) -> Option<Event> {
        let hours = hours_between(run.first.time, run.last.time);
        if hours < self.profile.confined_min_hours || f64::from(run.declared) > 0.5 * f64::from(run.reports) {
            return None;
        }
        let knots = run.path_m / METRES_PER_NAUTICAL_MILE / hours;
        if knots < self.profile.max_speed_knots {
            return None;
        }
        // Shore distance last: the costliest test, for the fewest runs.
        let corners = [run.bounds.south_west, run.bounds.north_east, run.bounds.centre()];
        let shore_nm = corners
            .iter()
            .map(|p| self.land.distance_to_shore_km(p.lat_deg, p.lon_deg) * 1000.0 / METRES_PER_NAUTICAL_MILE)
            .sum::<f64>()
            / corners.len() as f64;
        (shore_nm >= self.profile.min_offshore_nm).then(|| self.event(run, hours, knots, shore_nm))
    }

    fn event(&self, run: &Run, hours: f64, knots: f64, shore_nm: f64) -> Event {
        let centre = run.bounds.centre();
        let mut attributes = BTreeMap::new();
        attributes.insert("mode", Value::Text("confined".to_owned()));
        attributes.insert("duration_hours", Value::Number(hours));
        attributes.insert("mean_speed_knots", Value::Number(knots));
        attributes.insert("distance_to_shore_nm", Value::Number(shore_nm));
        let half_diagonal_m = run.bounds.south_west.near_distance_m(run.bounds.north_east) / 2.0;
        attributes.insert("radius_km", Value::Number(half_diagonal_m / 1000.0));
        Event {
            id: Event::make_id(EventKind::Loitering, &[run.first.mmsi], run.first.time, &self.profile.name),
            kind: EventKind::Loitering,
            mmsis: vec![run.first.mmsi],
            start: run.first.time,
            end: run.last.time,
            position: Some(centre),
            place: None,
            attributes,
            confidence: if hours >= 2.0 * self.profile.confined_min_hours { 3 } else { 2 },
            profile: self.profile.name.clone(),
            evidence: vec![Evidence::of(&run.first, "confinement starts"), Evidence::of(&run.last, "confinement ends")],
        }
    }
}

/// A box diagonal's limit, tested on the box's spans in degrees on a plane
/// tangent at one latitude (boxes are a few kilometres: no square root or
/// cosine per test — a ship under way tests tens of boxes per report).
struct DiagonalLimit {
    lat_deg: f64,
    cos_lat: f64,
    max_squared_deg: f64,
}

impl DiagonalLimit {
    fn new(max_diagonal_m: f64, lat_deg: f64) -> DiagonalLimit {
        let max_deg = (max_diagonal_m / tumen_model::EARTH_MEAN_RADIUS_M).to_degrees();
        DiagonalLimit { lat_deg, cos_lat: lat_deg.to_radians().cos(), max_squared_deg: max_deg * max_deg }
    }

    fn holds(&self, bounds: &Bounds) -> bool {
        let lat_span_deg = bounds.north_east.lat_deg - bounds.south_west.lat_deg;
        let x = (bounds.north_east.lon_deg - bounds.south_west.lon_deg) * self.cos_lat;
        lat_span_deg * lat_span_deg + x * x <= self.max_squared_deg
    }
}

/// Positions kept per run (thinned by half when full).
const KEPT: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    const MINUTE_MS: i64 = 60_000;

    fn run(rows: &[Fix]) -> Vec<Event> {
        let mut d = ConfinedDetector::new(LoiteringProfile::default(), Land::embedded());
        let mut events: Vec<Event> = rows.iter().filter_map(|r| d.feed(r)).collect();
        events.extend(d.finish());
        events
    }

    /// Circling a point in the mid Sea of Japan at `knots` on a circle of
    /// `radius_m`, a report a minute, for `hours`.
    fn circling(radius_m: f64, knots: f64, hours: i64, status: Option<u8>) -> Vec<Fix> {
        let centre = LatLon { lat_deg: 40.5, lon_deg: 134.5 };
        let turn_minutes = std::f64::consts::TAU * radius_m / (knots * METRES_PER_NAUTICAL_MILE / 60.0);
        (0..hours * 60)
            .map(|m| {
                let p = centre.destination((m as f64 / turn_minutes * 360.0).rem_euclid(360.0), radius_m);
                let mut row = position(9, m * MINUTE_MS, p.lat_deg, p.lon_deg, knots as f32);
                row.nav_status = status;
                row
            })
            .collect()
    }

    #[test]
    fn circling_in_a_small_area_for_hours_is_confined_loitering() {
        let events = run(&circling(1000.0, 4.5, 6, Some(0)));
        assert_eq!(events.len(), 1, "{events:#?}");
        let e = &events[0];
        assert_eq!((e.kind, &e.attributes["mode"]), (EventKind::Loitering, &Value::Text("confined".into())));
        let Value::Number(knots) = e.attributes["mean_speed_knots"] else { panic!() };
        assert!(knots > 2.0, "{knots}");
        // A wider circle, too short a time, fishing, or near shore: none.
        assert!(run(&circling(3000.0, 4.5, 6, Some(0))).is_empty());
        assert!(run(&circling(1000.0, 4.5, 3, Some(0))).is_empty());
        assert!(run(&circling(1000.0, 4.5, 6, Some(7))).is_empty());
        // Slow drift is the slow rule's.
        assert!(run(&circling(1000.0, 0.8, 6, Some(0))).is_empty());
    }
}
