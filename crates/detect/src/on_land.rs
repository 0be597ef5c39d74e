//! Positions on land: a vessel's report placed well inland is a false
//! position — spoofed, or a broken GPS. One event per run of consecutive
//! reports on land more than the profile's distance from the shore (the
//! coastline is accurate to about a kilometre) and outside every port and
//! anchorage of the gazetteer (harbours, basins and piers are where a
//! 1:10m coastline is least true).

use std::collections::BTreeMap;

use crate::fix::Fix;
use tumen_model::LatLon;
use tumen_places::{Gazetteer, Land};

use crate::event::{Event, EventKind, Evidence, Value};
use crate::profile::OnLandProfile;

/// One vessel's on-land detector; feed its positions in time order.
pub struct OnLandDetector<'g> {
    profile: OnLandProfile,
    land: &'g Land,
    gazetteer: &'g Gazetteer,
    run: Option<Run>,
    /// The last point whose distance to shore was measured, and that
    /// distance (km): a point δ km from it is within δ of the same distance,
    /// so a ship lying in a harbour the coastline puts on land is measured
    /// once, not at every report.
    measured: Option<(LatLon, f64)>,
}

struct Run {
    first: Fix,
    last: Fix,
    deepest: Fix,
    deepest_km: f64,
    positions: u32,
}

impl<'g> OnLandDetector<'g> {
    pub fn new(profile: OnLandProfile, land: &'g Land, gazetteer: &'g Gazetteer) -> OnLandDetector<'g> {
        OnLandDetector { profile, land, gazetteer, run: None, measured: None }
    }

    fn in_a_port(&self, row: &Fix) -> bool {
        let here = LatLon { lat_deg: row.lat_deg, lon_deg: row.lon_deg };
        self.gazetteer.first_containing(here, |p| p.kind.is_maritime()).is_some()
    }

    /// Distance to shore, km: measured, or bounded from the last measure
    /// well enough to compare with the threshold.
    fn distance_to_shore_km(&mut self, here: LatLon) -> f64 {
        if let Some((there, km)) = self.measured {
            let moved_km = there.near_distance_m(here) / 1000.0;
            let threshold = self.profile.min_km_from_shore;
            if km - moved_km >= threshold || km + moved_km < threshold {
                return km;
            }
        }
        let km = self.land.distance_to_shore_km(here.lat_deg, here.lon_deg);
        self.measured = Some((here, km));
        km
    }

    /// The run of positions on land this position ends, if it ends one.
    pub fn feed(&mut self, row: &Fix) -> Option<Event> {
        let inland_km = if self.land.is_on_land(row.lat_deg, row.lon_deg) && !self.in_a_port(row) {
            Some(self.distance_to_shore_km(row.position())).filter(|&km| km >= self.profile.min_km_from_shore)
        } else {
            None
        };
        match (inland_km, &mut self.run) {
            (Some(km), Some(run)) => {
                run.last = *row;
                run.positions += 1;
                if km > run.deepest_km {
                    run.deepest = *row;
                    run.deepest_km = km;
                }
                None
            }
            (Some(km), None) => {
                self.run = Some(Run { first: *row, last: *row, deepest: *row, deepest_km: km, positions: 1 });
                None
            }
            (None, _) => self.run.take().map(|run| self.event(run)),
        }
    }

    /// At the end of the data, the run still going, if any.
    pub fn finish(&mut self) -> Option<Event> {
        self.run.take().map(|run| self.event(run))
    }

    fn event(&self, run: Run) -> Event {
        let mut attributes = BTreeMap::new();
        attributes.insert("mode", Value::Text("on_land".to_owned()));
        attributes.insert("positions", Value::Number(f64::from(run.positions)));
        attributes.insert("max_km_inland", Value::Number(run.deepest_km));
        let mut evidence = vec![Evidence::of(&run.first, "first position on land")];
        if run.positions > 1 {
            evidence.push(Evidence::of(&run.deepest, "furthest inland"));
            evidence.push(Evidence::of(&run.last, "last position on land"));
        }
        Event {
            id: Event::make_id(EventKind::Spoofing, &[run.first.mmsi], run.first.time, &self.profile.name),
            kind: EventKind::Spoofing,
            mmsis: vec![run.first.mmsi],
            start: run.first.time,
            end: run.last.time,
            position: Some(run.deepest.position()),
            place: None,
            attributes,
            // One report can be a glitch; a track inland is a false track.
            confidence: match run.positions {
                1 => 1,
                2..=9 => 2,
                _ => 3,
            },
            profile: self.profile.name.clone(),
            evidence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    fn run(points: &[(f64, f64)]) -> Vec<Event> {
        let mut d = OnLandDetector::new(OnLandProfile::default(), Land::embedded(), Gazetteer::embedded());
        let mut events: Vec<Event> = points
            .iter()
            .enumerate()
            .filter_map(|(i, &(lat, lon))| d.feed(&position(5, i as i64 * 60_000, lat, lon, 12.0)))
            .collect();
        events.extend(d.finish());
        events
    }

    #[test]
    fn a_track_inland_is_one_event_and_ports_and_sea_are_not() {
        // At sea off Rason, then 12 reports ~50-60 km inland in Primorye,
        // then back at sea.
        let mut track = vec![(42.0, 131.0), (42.2333, 130.3)];
        track.extend((0..12).map(|i| (43.5 + f64::from(i) * 0.01, 132.5)));
        track.push((42.0, 131.0));
        let events = run(&track);
        assert_eq!(events.len(), 1, "{events:#?}");
        let e = &events[0];
        assert_eq!((e.kind, e.confidence), (EventKind::Spoofing, 3));
        assert_eq!(e.attributes["positions"], Value::Number(12.0));
        assert_eq!((e.start.unix_ms(), e.end.unix_ms()), (2 * 60_000, 13 * 60_000));
        // A port on the shore (Najin), Dunay's port point (on land by the
        // 1:10m coastline, but a port), the sea, and one report inland at
        // the end of the data.
        let single = run(&[(42.2333, 130.3), (42.8788, 132.3352), (42.0, 131.0), (45.8547, 40.1253)]);
        assert_eq!(single.len(), 1);
        assert_eq!(single[0].confidence, 1);
    }
}
