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

use std::collections::VecDeque;

use tumen_model::METRES_PER_NAUTICAL_MILE;
use tumen_places::Land;

use crate::bounds::{Bounds, DiagonalLimit};
use crate::event::{Event, hours_between};
use crate::fix::Fix;
use crate::loitering::{Loitered, mean_shore_nm};
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
    /// path when it was kept (a slid run's path is the difference, not
    /// measured again).
    kept: Kept,
    reports: u32,
    declared: u32,
    /// The report the next step of the path is measured from, and the
    /// path up to it since the run (or the run it slid from) began: steps
    /// of at least `step_minutes` (noise over seconds would add up to
    /// knots).
    step_from: Fix,
    path_m: f64,
    /// The path when the run's first report was kept.
    path_at_first_m: f64,
}

impl Run {
    fn new(first: &Fix) -> Run {
        Run {
            first: *first,
            last: *first,
            bounds: Bounds::around(first),
            kept: Kept::new(first),
            reports: 1,
            declared: 0,
            step_from: *first,
            path_m: 0.0,
            path_at_first_m: 0.0,
        }
    }

    /// The path from the first report on, metres.
    fn path_m(&self) -> f64 {
        self.path_m - self.path_at_first_m
    }

    /// Whether the box, were `row` in it, would fit `limit`.
    fn fits_with(&self, row: &Fix, limit: &DiagonalLimit) -> bool {
        let mut bounds = self.bounds;
        bounds.widen(row);
        limit.holds(&bounds)
    }

    /// The run slid on to its kept positions from `start` (which must hold
    /// one), `bounds` their box with the report that broke the run: a run
    /// of those alone (the report is added next).
    fn slide_to(&mut self, start: usize, bounds: Bounds) {
        self.kept.drop_first(start);
        let (first, path_at_first_m) = self.kept.first();
        let last = self.kept.last();
        (self.first, self.last, self.step_from) = (first, last, last);
        self.path_at_first_m = path_at_first_m;
        self.bounds = bounds;
        self.reports = self.kept.len() as u32;
        self.declared = 0;
    }

    /// Adds `row`, and to the path once a step is long enough.
    fn extend_with(&mut self, row: &Fix, profile: &LoiteringProfile) {
        self.extend(row, &profile.skip_nav_statuses);
        if hours_between(self.step_from.time, row.time) * 60.0 >= profile.step_minutes {
            self.path_m += self.step_from.position().near_distance_m(row.position());
            self.step_from = *row;
        }
    }

    /// Adds a report inside the box.
    fn extend(&mut self, row: &Fix, skip_nav_statuses: &[u8]) {
        self.last = *row;
        self.reports += 1;
        self.bounds.widen(row);
        if row.nav_status.is_some_and(|s| skip_nav_statuses.contains(&s)) {
            self.declared += 1;
        }
        self.kept.push(row, self.path_m);
    }
}

/// A run's kept positions, thinned by half when [`KEPT`] are held (the
/// first and the latest always kept), with the boxes that find where the
/// latest part that fits a box begins in constant time per report (a ship
/// under way breaks the box at nearly every report, and the part then
/// begins a report or two later: walking every kept position back, as
/// this once did, was a tenth of a run). A queue made of two stacks, each
/// with its boxes: positions `0..split` with the box of each one's part up
/// to the split, and the box of those after it.
struct Kept {
    /// Each with the run's path when it was kept.
    positions: VecDeque<(Fix, f64)>,
    /// `to_split[i]`: the box of positions `i..to_split.len()`.
    to_split: VecDeque<Bounds>,
    after_split: Option<Bounds>,
}

impl Kept {
    fn new(first: &Fix) -> Kept {
        let mut positions = VecDeque::with_capacity(KEPT);
        positions.push_back((*first, 0.0));
        Kept { positions, to_split: VecDeque::with_capacity(KEPT), after_split: Some(Bounds::around(first)) }
    }

    fn len(&self) -> usize {
        self.positions.len()
    }

    fn first(&self) -> (Fix, f64) {
        self.positions[0]
    }

    fn last(&self) -> Fix {
        self.positions.back().expect("one kept").0
    }

    fn iter(&self) -> impl Iterator<Item = &Fix> {
        self.positions.iter().map(|(fix, _)| fix)
    }

    fn push(&mut self, row: &Fix, path_m: f64) {
        if self.positions.len() == KEPT {
            let last = self.positions.len() - 1;
            let mut i = 0;
            self.positions.retain(|_| {
                let kept = i % 2 == 0 || i == last;
                i += 1;
                kept
            });
            self.split_at_end();
        }
        self.positions.push_back((*row, path_m));
        match &mut self.after_split {
            Some(bounds) => bounds.widen(row),
            None => self.after_split = Some(Bounds::around(row)),
        }
    }

    /// Every position before the split, with its box to the end.
    fn split_at_end(&mut self) {
        self.to_split.clear();
        let mut bounds: Option<Bounds> = None;
        for (fix, _) in self.positions.iter().rev() {
            let b = bounds.get_or_insert_with(|| Bounds::around(fix));
            b.widen(fix);
            self.to_split.push_front(*b);
        }
        self.after_split = None;
    }

    /// Where the latest part of the positions that `row` fits with begins
    /// (their number when none does), and the box of that part and `row`.
    /// The box of a later part is never larger.
    fn fitting_start(&mut self, row: &Fix, limit: &DiagonalLimit) -> (usize, Bounds) {
        let mut start = 0;
        while start < self.positions.len() {
            if start == self.to_split.len() {
                self.split_at_end();
            }
            let mut bounds = self.to_split[start];
            if let Some(after) = &self.after_split {
                bounds.join(after);
            }
            bounds.widen(row);
            if limit.holds(&bounds) {
                return (start, bounds);
            }
            start += 1;
        }
        (start, Bounds::around(row))
    }

    /// The first `n` positions dropped (`n` at most the split, as
    /// [`Kept::fitting_start`] leaves it).
    fn drop_first(&mut self, n: usize) {
        self.positions.drain(..n);
        self.to_split.drain(..n.min(self.to_split.len()));
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
        self.limit.follow(row.lat_deg);
        let limit = &self.limit;
        let silent = hours_between(run.last.time, row.time) > self.profile.max_gap_hours;
        if silent || !run.fits_with(row, limit) {
            // A run long enough ends here; a shorter one slides on. In
            // place: a ship under way comes here at nearly every report,
            // and moving the run out and back in was two copies of it.
            let start = (!silent).then(|| run.kept.fitting_start(row, limit));
            let ended = judge(&self.profile, self.land, run);
            match start {
                Some((start, bounds)) if ended.is_none() && start < run.kept.len() => run.slide_to(start, bounds),
                _ => *run = Run::new(row),
            }
            if run.last.time < row.time {
                run.extend_with(row, &self.profile);
            } else {
                // Not added (no later than the run's last): its box without it.
                run.bounds = Bounds::around(&run.first);
                run.kept.iter().for_each(|fix| run.bounds.widen(fix));
            }
            return ended;
        }
        run.extend_with(row, &self.profile);
        None
    }

    /// At the end of the data, the run still going, if it qualifies.
    pub fn finish(&mut self) -> Option<Event> {
        self.end_run()
    }

    fn end_run(&mut self) -> Option<Event> {
        let run = self.run.take()?;
        judge(&self.profile, self.land, &run)
    }
}

/// The event a run that ends makes, if it qualifies.
fn judge(profile: &LoiteringProfile, land: &Land, run: &Run) -> Option<Event> {
    let hours = hours_between(run.first.time, run.last.time);
    if hours < profile.confined_min_hours || f64::from(run.declared) > 0.5 * f64::from(run.reports) {
        return None;
    }
    let knots = run.path_m() / METRES_PER_NAUTICAL_MILE / hours;
    if knots < profile.max_speed_knots {
        return None;
    }
    // Shore distance last: the costliest test, for the fewest runs.
    let shore_nm = mean_shore_nm(land, &[run.bounds.south_west, run.bounds.north_east, run.bounds.centre()]);
    (shore_nm >= profile.min_offshore_nm).then(|| {
        Loitered {
            mode: "confined",
            first: &run.first,
            last: &run.last,
            centre: run.bounds.centre(),
            radius_m: run.bounds.diagonal_m() / 2.0,
            hours,
            knots,
            shore_nm,
            long_hours: 2.0 * profile.confined_min_hours,
            roles: ["confinement starts", "confinement ends"],
        }
        .event(&profile.name)
    })
}

/// Positions kept per run (thinned by half when full).
const KEPT: usize = 32;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventKind, Value};
    use crate::test_rows::position;
    use tumen_model::LatLon;

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
    fn the_kept_part_that_fits_is_the_one_a_walk_back_finds() {
        // A wandering track: steps of up to ~300 m, some runs of drift.
        let mut seed = 7_u64;
        let mut random = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let limit = DiagonalLimit::new(1852.0, 40.5);
        let (mut lat, mut lon) = (40.5, 134.5);
        let mut kept = Kept::new(&position(9, 0, lat, lon, 5.0));
        for i in 1..5_000_i64 {
            let step = if (i / 200) % 2 == 0 { 0.003 } else { 0.0004 };
            (lat, lon) = (lat + step * random(), lon + step * random());
            let row = position(9, i * MINUTE_MS, lat, lon, 5.0);
            // What walking back from the latest finds.
            let mut bounds = Bounds::around(&row);
            let mut expected = kept.len();
            for (j, fix) in kept.iter().enumerate().collect::<Vec<_>>().into_iter().rev() {
                let mut wider = bounds;
                wider.widen(fix);
                if !limit.holds(&wider) {
                    break;
                }
                (expected, bounds) = (j, wider);
            }
            let (start, found) = kept.fitting_start(&row, &limit);
            assert_eq!(start, expected, "report {i}");
            if start < kept.len() {
                assert_eq!((found.south_west, found.north_east), (bounds.south_west, bounds.north_east), "report {i}");
                if i % 3 == 0 {
                    kept.drop_first(start);
                }
            }
            kept.push(&row, 0.0);
        }
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
