//! Positions on land that the vessel's own track cannot explain: spoofed,
//! or a broken GPS.
//!
//! "On land" is judged twice. First against the map: a report is *inland*
//! when it is on land (Natural Earth's 1:10m land less its lakes), outside
//! every port and anchorage of the gazetteer, and at least the profile's
//! `min_km_from_shore` from the shore — the coastline is within about a
//! kilometre of the truth, and harbours, basins and fjords are where it is
//! least true. Then against the track: canals, rivers and docks are not in
//! a 1:10m map, and a ship sailing the Kiel Canal or up the Magdalena is
//! inland by the map while its track is plain navigation. A run of inland
//! reports is spoofing only when the track cannot have got there: it is
//! entered or left by a jump (a move faster than `max_speed_knots`, beyond
//! the position noise), or jumps within itself. A run entered at a
//! plausible speed and left the same way is navigation on water the map
//! does not have, however far inland; a run with neither end seen says
//! nothing either way.
//!
//! Runs follow the segmenter's tracks ([`crate::segments`]): one MMSI used
//! by two ships gives two tracks, and one ship's run up a river is not cut
//! into pieces "entered by a jump" from the other ship's reports. A run
//! whose track was interleaved with another track's reports is one of
//! several transmitters at once (the segmenter's `two_tracks`), not a ship
//! that jumped: its ends are not judged. Runs shorter than `min_positions`
//! reports or `min_minutes` are left to data quality (a single report off
//! the track is a glitch). One event per run; a run is split where it
//! passes through a port, and each part carries its own figures.

use std::collections::BTreeMap;

use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE};
use tumen_places::{Gazetteer, Land};

use crate::event::{Event, EventKind, Value, hours_between};
use crate::fix::Fix;
use crate::profile::OnLandProfile;

/// One vessel's on-land detector; feed its positions in time order, each
/// with the segmenter's track.
pub struct OnLandDetector<'g> {
    profile: OnLandProfile,
    land: &'g Land,
    gazetteer: &'g Gazetteer,
    /// The open tracks: their last report and inland run.
    tracks: Vec<Track>,
    /// The vessel's last report, whatever its track.
    previous: Option<Fix>,
    /// The last point whose distance to shore was measured, and that
    /// distance (km): a point δ km from it is within δ of the same
    /// distance, so a ship moving slowly inland is measured only when the
    /// answer could change.
    measured: Option<(LatLon, f64)>,
    /// The last position found at sea: a ship at a berth or at anchor
    /// reports the same position again and again, and is not tested again.
    at_sea: Option<LatLon>,
}

struct Track {
    segment: u32,
    last: Fix,
    run: Option<Run>,
}

struct Run {
    before: Option<Fix>,
    first: Fix,
    last: Fix,
    deepest: Fix,
    deepest_km: f64,
    positions: u32,
    entry_knots: Option<f64>,
    /// The fastest step between two of the run's own reports.
    fastest_inside_knots: f64,
    /// The vessel's first report on another track after the run's last:
    /// where the run was left, if it is not taken up again.
    elsewhere: Option<Fix>,
    /// Whether another track reported between two of the run's reports.
    interleaved: bool,
}

impl Run {
    /// The run's track reported again: if another track reported since the
    /// run's last report, the two are interleaved.
    fn taken_up(&mut self) {
        if self.elsewhere.take().is_some() {
            self.interleaved = true;
        }
    }
}

impl<'g> OnLandDetector<'g> {
    pub fn new(profile: OnLandProfile, land: &'g Land, gazetteer: &'g Gazetteer) -> OnLandDetector<'g> {
        OnLandDetector { profile, land, gazetteer, tracks: Vec::new(), previous: None, measured: None, at_sea: None }
    }

    /// The report, on the segmenter's track `segment`; the run it ends, if
    /// it ends one the track cannot explain.
    pub fn feed(&mut self, row: &Fix, segment: u32) -> Option<Event> {
        let inland_km = self.inland_km(row, segment);
        for track in self.tracks.iter_mut().filter(|t| t.segment != segment) {
            if let Some(run) = &mut track.run {
                run.elsewhere.get_or_insert(*row);
            }
        }
        let noise_m = self.profile.position_noise_m;
        let (index, own_last) = match self.tracks.iter().position(|t| t.segment == segment) {
            Some(index) => (index, Some(self.tracks[index].last)),
            None => {
                self.tracks.push(Track { segment, last: *row, run: None });
                (self.tracks.len() - 1, None)
            }
        };
        let mut event = None;
        let track = &mut self.tracks[index];
        match (inland_km, &mut track.run) {
            (Some(km), Some(run)) => {
                run.taken_up();
                run.fastest_inside_knots = run.fastest_inside_knots.max(implied_knots(&run.last, row, noise_m));
                run.last = *row;
                run.positions += 1;
                if km > run.deepest_km {
                    run.deepest = *row;
                    run.deepest_km = km;
                }
            }
            (Some(km), None) => {
                // Entered from the track's own last report, or, when the
                // run opens the track, from wherever the vessel was.
                let before = own_last.or(self.previous);
                track.run = Some(Run {
                    entry_knots: before.map(|b| implied_knots(&b, row, noise_m)),
                    before,
                    first: *row,
                    last: *row,
                    deepest: *row,
                    deepest_km: km,
                    positions: 1,
                    fastest_inside_knots: 0.0,
                    elsewhere: None,
                    interleaved: false,
                });
            }
            (None, run) => {
                if let Some(mut run) = run.take() {
                    run.taken_up();
                    event = Some(run);
                }
            }
        }
        track.last = *row;
        self.previous = Some(*row);
        // Left on its own track: this report is the exit.
        event.and_then(|run| self.judge(run, Some(row)))
    }

    /// The segmenter closed a track: its run, left for another track or
    /// for silence.
    pub fn close(&mut self, segment: u32) -> Option<Event> {
        let index = self.tracks.iter().position(|t| t.segment == segment)?;
        let track = self.tracks.swap_remove(index);
        self.judge_left(track.run?)
    }

    /// At the end of the data, the runs still going.
    pub fn finish(&mut self) -> Vec<Event> {
        let runs: Vec<Run> = self.tracks.drain(..).filter_map(|t| t.run).collect();
        runs.into_iter().filter_map(|run| self.judge_left(run)).collect()
    }

    /// How far inland the report is (km), if it is inland.
    fn inland_km(&mut self, row: &Fix, segment: u32) -> Option<f64> {
        let here = row.position();
        if self.at_sea == Some(here) {
            return None;
        }
        if !self.land.is_on_land(here.lat_deg, here.lon_deg)
            || self.gazetteer.first_containing(here, |p| p.kind.is_maritime()).is_some()
        {
            self.at_sea = Some(here);
            return None;
        }
        let threshold = self.profile.min_km_from_shore;
        let deepest = self
            .tracks
            .iter()
            .find(|t| t.segment == segment)
            .and_then(|t| t.run.as_ref())
            .map_or(f64::INFINITY, |run| run.deepest_km);
        if let Some((there, km)) = self.measured {
            let moved_km = there.near_distance_m(here) / 1000.0;
            if km + moved_km < threshold {
                return None;
            }
            // Inland for sure, and not deeper than the run's deepest: the
            // bound is enough.
            if km - moved_km >= threshold && km + moved_km <= deepest {
                return Some(km - moved_km);
            }
        }
        let km = self.land.distance_to_shore_km(here.lat_deg, here.lon_deg);
        self.measured = Some((here, km));
        (km >= threshold).then_some(km)
    }

    /// A run its track did not take up again: left for wherever the vessel
    /// was heard next, if anywhere.
    fn judge_left(&self, run: Run) -> Option<Event> {
        let exit = run.elsewhere;
        self.judge(run, exit.as_ref())
    }

    /// The event of a run the track cannot explain; `after` is where the
    /// vessel was next, if it was heard again.
    fn judge(&self, run: Run, after: Option<&Fix>) -> Option<Event> {
        let profile = &self.profile;
        let exit_knots = after.map(|a| implied_knots(&run.last, a, profile.position_noise_m));
        // A track interleaved with another is one of two transmitters: its
        // ends say nothing of a jump.
        let ends_count = !run.interleaved;
        let entered_by_jump = ends_count && run.entry_knots.is_some_and(|k| k > profile.max_speed_knots);
        let left_by_jump = ends_count && exit_knots.is_some_and(|k| k > profile.max_speed_knots);
        let jumps_inside = run.fastest_inside_knots > profile.max_speed_knots;
        let minutes = run.last.time.ms_since(run.first.time) as f64 / 60_000.0;
        if !(entered_by_jump || left_by_jump || jumps_inside)
            || run.positions < profile.min_positions
            || minutes < profile.min_minutes
        {
            return None;
        }
        let mut attributes = BTreeMap::new();
        attributes.insert("mode", Value::Text("on_land".to_owned()));
        attributes.insert("positions", Value::Number(f64::from(run.positions)));
        attributes.insert("max_km_inland", Value::Number(run.deepest_km));
        attributes.insert("duration_hours", Value::Number(hours_between(run.first.time, run.last.time)));
        attributes.insert("entered_by_jump", Value::Flag(entered_by_jump));
        attributes.insert("left_by_jump", Value::Flag(left_by_jump));
        attributes.insert("jumps_inside", Value::Flag(jumps_inside));
        if let Some(knots) = run.entry_knots {
            attributes.insert("entry_speed_knots", Value::Number(knots));
        }
        if let Some(knots) = exit_knots {
            attributes.insert("exit_speed_knots", Value::Number(knots));
        }
        let mut evidence = Vec::new();
        if let Some(before) = run.before.as_ref().filter(|_| entered_by_jump) {
            evidence.push(before.evidence("last position before the jump inland"));
        }
        evidence.push(run.first.evidence("first position inland"));
        if run.positions > 1 {
            evidence.push(run.deepest.evidence("furthest inland"));
            evidence.push(run.last.evidence("last position inland"));
        }
        if let Some(after) = after.filter(|_| left_by_jump) {
            evidence.push(after.evidence("first position after the jump back"));
        }
        // Both ends jumping, over many reports, is a false track; one end
        // or a jump within is weaker.
        let confidence = match (entered_by_jump && left_by_jump, run.positions) {
            (true, 10..) => 3,
            (true, _) | (false, 10..) => 2,
            _ => 1,
        };
        Some(Event {
            id: Event::make_id(EventKind::Spoofing, &[run.first.mmsi], run.first.time, &profile.name),
            kind: EventKind::Spoofing,
            mmsis: vec![run.first.mmsi],
            start: run.first.time,
            end: run.last.time,
            position: Some(run.deepest.position()),
            place: None,
            attributes,
            confidence,
            profile: profile.name.clone(),
            evidence,
        })
    }
}

/// The speed a vessel would have needed from `a` to `b` (knots), the
/// position noise forgiven; two reports at one time are a second apart.
fn implied_knots(a: &Fix, b: &Fix, noise_m: f64) -> f64 {
    let metres = (a.position().distance_m(b.position()) - noise_m).max(0.0);
    let hours = (b.time.ms_since(a.time).abs() as f64 / 3_600_000.0).max(1.0 / 3_600.0);
    metres / METRES_PER_NAUTICAL_MILE / hours
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::SegmentProfile;
    use crate::segments::{Placed, Placement, SegmentDetector};
    use crate::test_rows::position;

    fn run(points: &[(f64, f64)]) -> Vec<Event> {
        run_every(points, 60_000)
    }

    fn run_every(points: &[(f64, f64)], step_ms: i64) -> Vec<Event> {
        let fixes: Vec<Fix> =
            points.iter().enumerate().map(|(i, &(lat, lon))| position(5, i as i64 * step_ms, lat, lon, 12.0)).collect();
        run_fixes(&fixes)
    }

    /// The detector fed as the vessel pass feeds it: what the segmenter
    /// placed, in its order.
    fn run_fixes(fixes: &[Fix]) -> Vec<Event> {
        let mut d = OnLandDetector::new(OnLandProfile::default(), Land::embedded(), Gazetteer::embedded());
        let mut segmenter = SegmentDetector::new(SegmentProfile::default());
        let (mut ignored, mut placed, mut events) = (Vec::new(), Vec::new(), Vec::new());
        let apply = |placed: &mut Vec<Placed>, d: &mut OnLandDetector, events: &mut Vec<Event>| {
            for p in placed.drain(..) {
                match p.what {
                    Placement::OnTrack(id) => events.extend(d.feed(&p.fix, id)),
                    Placement::Closed { id, .. } => events.extend(d.close(id)),
                    Placement::Outlier(..) | Placement::TimeShifted { .. } => {}
                }
            }
        };
        for fix in fixes {
            segmenter.feed(fix, &mut ignored, &mut placed);
            apply(&mut placed, &mut d, &mut events);
        }
        segmenter.finish(&mut ignored, &mut placed);
        apply(&mut placed, &mut d, &mut events);
        events.extend(d.finish());
        events
    }

    #[test]
    fn a_jump_inland_and_back_is_one_event_with_both_ends_cited() {
        // At sea off Rason, then 12 reports ~50-60 km inland in Primorye a
        // minute apart (at the 12 kn they report), then back at sea.
        let mut track = vec![(42.0, 131.0), (42.2333, 130.3)];
        track.extend((0..12).map(|i| (43.5 + f64::from(i) * 0.0033, 132.5)));
        track.push((42.0, 131.0));
        let events = run(&track);
        assert_eq!(events.len(), 1, "{events:#?}");
        let e = &events[0];
        assert_eq!((e.kind, e.confidence), (EventKind::Spoofing, 3));
        assert_eq!(e.attributes["positions"], Value::Number(12.0));
        assert_eq!(e.attributes["entered_by_jump"], Value::Flag(true));
        assert_eq!(e.attributes["left_by_jump"], Value::Flag(true));
        assert_eq!((e.start.unix_ms(), e.end.unix_ms()), (2 * 60_000, 13 * 60_000));
        let roles: Vec<&str> = e.evidence.iter().map(|x| x.role).collect();
        assert_eq!(
            roles,
            [
                "last position before the jump inland",
                "first position inland",
                "furthest inland",
                "last position inland",
                "first position after the jump back"
            ]
        );
    }

    #[test]
    fn a_track_along_water_the_map_lacks_is_navigation() {
        // The Suez Canal, Port Said to Suez, at ~10 kn: reports every 6
        // minutes along the canal, which the 1:10m land calls land (the
        // Great Bitter Lake is water now, the canal north of it is not).
        let (from, to) = ((31.25, 32.31), (29.95, 32.56));
        let steps = 150;
        let track: Vec<(f64, f64)> = (0..=steps)
            .map(|i| {
                let f = f64::from(i) / f64::from(steps);
                (from.0 + f * (to.0 - from.0), from.1 + f * (to.1 - from.1))
            })
            .collect();
        assert!(run_every(&track, 6 * 60_000).is_empty());
        // The Kiel Canal, Brunsbüttel to Kiel, at ~8 kn.
        let canal = [(53.89, 9.14), (54.0, 9.3), (54.1, 9.45), (54.2, 9.6), (54.3, 9.75), (54.33, 9.9), (54.36, 10.1)];
        let mut track = Vec::new();
        for w in canal.windows(2) {
            for i in 0..10 {
                let f = f64::from(i) / 10.0;
                track.push((w[0].0 + f * (w[1].0 - w[0].0), w[0].1 + f * (w[1].1 - w[0].1)));
            }
        }
        assert!(run_every(&track, 90_000).is_empty());
    }

    #[test]
    fn ports_lakes_and_a_lone_glitch_are_not_spoofing() {
        // Najin, Dunay's port point (on land by the 1:10m coastline, but a
        // port), the sea, one report inland and back (a glitch: too few
        // reports), Lake Ladoga (a lake, not land).
        let events = run(&[(42.2333, 130.3), (42.8788, 132.3352), (42.0, 131.0), (45.8547, 40.1253), (42.0, 131.0)]);
        assert!(events.is_empty(), "{events:#?}");
        assert!(!Land::embedded().is_on_land(61.0, 31.5), "Lake Ladoga is water");
        assert!(!Land::embedded().is_on_land(30.35, 32.37), "the Great Bitter Lake is water");
        assert!(Land::embedded().is_on_land(60.5, 30.0), "the land by Lake Ladoga is land");
    }

    #[test]
    fn a_run_split_by_a_port_has_its_own_figures() {
        // Jump inland near Nakhodka, stop in a port on the way, go on: two
        // runs, each with its own deepest point (reports 5 minutes apart,
        // a mile each: the 12 kn reported).
        let step_deg = 1.0 / 60.0;
        let mut track = vec![(42.0, 132.0)];
        track.extend((0..5).map(|i| (43.50 + f64::from(i) * step_deg, 132.5)));
        track.push((42.2333, 130.3)); // Najin: a port, ends the first run by a jump
        track.extend((0..5).map(|i| (43.0 + f64::from(i) * step_deg, 133.3)));
        track.push((42.0, 132.0));
        let events = run_every(&track, 5 * 60_000);
        assert_eq!(events.len(), 2, "{events:#?}");
        let km = |e: &Event| match e.attributes["max_km_inland"] {
            Value::Number(km) => km,
            _ => unreachable!(),
        };
        let truth = |lat: f64, lon: f64| Land::embedded().distance_to_shore_km(lat, lon);
        assert!(
            (km(&events[0]) - (0..5).map(|i| truth(43.50 + f64::from(i) * step_deg, 132.5)).fold(0.0, f64::max)).abs()
                < 0.01
        );
        assert!(
            (km(&events[1]) - (0..5).map(|i| truth(43.0 + f64::from(i) * step_deg, 133.3)).fold(0.0, f64::max)).abs()
                < 0.01
        );
        assert_ne!(km(&events[0]), km(&events[1]));
    }

    #[test]
    fn one_mmsi_on_two_ships_is_not_a_jump_inland() {
        // One ship sails up a river 40-60 km inland (north of Nakhodka by
        // the map) at 8 kn, reporting every 10 minutes; another ship with
        // the same MMSI reports from the open sea off Japan in between.
        let mut fixes = Vec::new();
        for i in 0..60 {
            let t = i64::from(i) * 10 * 60_000;
            fixes.push(position(5, t, 43.35 + f64::from(i) * 0.002, 132.95, 8.0));
            fixes.push(position(5, t + 5 * 60_000, 40.0 + f64::from(i) * 0.002, 136.0, 12.0));
        }
        // Seen from the map alone, every river report is "inland" and
        // reached at thousands of knots from the other ship's last report.
        assert!(run_fixes(&fixes).is_empty(), "{:#?}", run_fixes(&fixes));
    }
}
