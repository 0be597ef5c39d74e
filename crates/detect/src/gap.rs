//! AIS gaps, in two tiers. Every silence of at least the profile's
//! `min_hours` is a `gap` (GFW's pipeline and Skylight use 6 h; it includes
//! reception gaps). One that also looks intentional is `ais_disabling`
//! instead: long (GFW: ≥ 12 h), after good reception (GFW: ≥ 14 positions
//! in the 12 h before), and offshore (GFW: > 50 nm) or in a watched place
//! or zone (see [`GapProfile`]). Late messages that fall inside a gap are
//! handled upstream: the archive is in time order, so a gap is only
//! reported between positions that really are consecutive.

use std::collections::BTreeMap;

use crate::fix::Fix;
use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE, Timestamp};
use tumen_places::{Gazetteer, Land};

use crate::coverage::Coverage;
use crate::event::{Event, EventKind, Value, hours_between};
use crate::profile::GapProfile;

/// Hourly position counts kept per vessel (the longest `before_hours`).
const HOURS_KEPT: usize = 24;

/// One vessel's gap detector; feed its positions in time order.
pub struct GapDetector<'g> {
    profile: GapProfile,
    gazetteer: &'g Gazetteer,
    land: &'g Land,
    last: Option<Fix>,
    /// Positions per clock hour, for the hours before the latest position:
    /// a few bytes per vessel, where a list of times would be thousands.
    hourly: HourlyCounts,
}

#[derive(Clone, Copy, Default)]
struct HourlyCounts {
    /// The hour (since 1970) `counts[0]` is for.
    latest_hour: i64,
    /// `counts[k]`: positions in hour `latest_hour - k`.
    counts: [u16; HOURS_KEPT],
}

impl HourlyCounts {
    fn add(&mut self, t: Timestamp) {
        let hour = t.unix_ms().div_euclid(3_600_000);
        if hour > self.latest_hour {
            let shift = usize::try_from(hour - self.latest_hour).unwrap_or(HOURS_KEPT).min(HOURS_KEPT);
            self.counts.rotate_right(shift);
            self.counts[..shift].fill(0);
            self.latest_hour = hour;
        }
        if let Some(c) = usize::try_from(self.latest_hour - hour).ok().and_then(|k| self.counts.get_mut(k)) {
            *c = c.saturating_add(1);
        }
    }

    /// Positions in the `hours` clock hours up to and including the latest.
    fn last_hours(&self, hours: u8) -> u32 {
        self.counts.iter().take(usize::from(hours)).map(|&c| u32::from(c)).sum()
    }
}

/// Faster than this between the two ends of a silence, the vessel heard
/// after it is not the one heard before (the segmenter's reach).
const REACHABLE_MAX_KNOTS: f64 = 50.0;

impl<'g> GapDetector<'g> {
    pub fn new(profile: GapProfile, gazetteer: &'g Gazetteer, land: &'g Land) -> GapDetector<'g> {
        GapDetector { profile, gazetteer, land, last: None, hourly: HourlyCounts::default() }
    }

    /// The gap this position closes, if it closes one.
    pub fn feed(&mut self, row: &Fix) -> Option<Event> {
        let gap = match &self.last {
            Some(before) if hours_between(before.time, row.time) >= self.profile.min_hours => {
                Some(self.event(before, Some(row), row.time))
            }
            _ => None,
        };
        self.hourly.add(row.time);
        self.last = Some(*row);
        gap
    }

    /// At the end of the data, the gap still open, if the vessel has been
    /// silent long enough by the end of the data that could have heard it
    /// (see [`Coverage`]): reported with `open = true` and that end as its end.
    pub fn finish(&self, coverage: &Coverage) -> Option<Event> {
        let before = self.last.as_ref()?;
        let data_end = coverage.end_after(before.time)?;
        (hours_between(before.time, data_end) >= self.profile.min_hours).then(|| self.event(before, None, data_end))
    }

    fn event(&self, before: &Fix, after: Option<&Fix>, end: Timestamp) -> Event {
        let from = LatLon { lat_deg: before.lat_deg, lon_deg: before.lon_deg };
        let hours = hours_between(before.time, end);
        let positions_before = self.hourly.last_hours(self.profile.before_hours);
        // Either end: where the vessel went silent and where it reappeared
        // are both where it was while dark (GFW tests the first only; a gap
        // that begins with a spell of poor reception near the line would
        // then be missed).
        let to = after.map(|a| LatLon { lat_deg: a.lat_deg, lon_deg: a.lon_deg });
        let shore_nm_at =
            |p: LatLon| self.land.distance_to_shore_km(p.lat_deg, p.lon_deg) * 1000.0 / METRES_PER_NAUTICAL_MILE;
        let shore_nm = to.map_or(shore_nm_at(from), |to| shore_nm_at(from).max(shore_nm_at(to)));
        let watched = [Some(from), to]
            .into_iter()
            .flatten()
            .find_map(|p| self.gazetteer.first_containing(p, |place| place.watched));
        let placed =
            shore_nm > self.profile.offshore_min_nm || (self.profile.watched_zones_exempt && watched.is_some());
        // Heard again where no ship could have sailed meanwhile: another
        // transmitter on the MMSI took over (a shared MMSI), not one ship
        // that went dark.
        let moved_m = to.map(|to| from.distance_m(to));
        let implied_knots = moved_m.map(|metres| metres / METRES_PER_NAUTICAL_MILE / hours);
        let out_of_reach = implied_knots.is_some_and(|knots| knots > REACHABLE_MAX_KNOTS);
        let disabling = hours >= self.profile.disabling_min_hours
            && positions_before >= self.profile.min_positions_before
            && placed
            && !out_of_reach;
        let kind = if disabling { EventKind::AisDisabling } else { EventKind::Gap };
        let mut attributes = BTreeMap::new();
        attributes.insert("duration_hours", Value::Number(hours));
        attributes.insert("open", Value::Flag(after.is_none()));
        attributes.insert("positions_before", Value::Number(f64::from(positions_before)));
        attributes.insert("distance_to_shore_nm", Value::Number(shore_nm));
        if out_of_reach {
            attributes.insert("reappeared_out_of_reach", Value::Flag(true));
        }
        let mut evidence = vec![before.evidence("last position before the gap")];
        if let (Some(after), Some(metres), Some(knots)) = (after, moved_m, implied_knots) {
            attributes.insert("distance_km", Value::Number(metres / 1000.0));
            attributes.insert("implied_speed_knots", Value::Number(knots));
            evidence.push(after.evidence("first position after the gap"));
        }
        let confidence = match (disabling, watched.is_some(), after.is_some()) {
            (true, true, _) => 4,
            (true, false, _) => 3,
            (false, _, true) => 2,
            (false, _, false) => 1,
        };
        Event {
            id: Event::make_id(kind, &[before.mmsi], before.time, &self.profile.name),
            kind,
            mmsis: vec![before.mmsi],
            start: before.time,
            end,
            position: Some(from),
            place: watched.map(|p| p.id.clone()),
            attributes,
            confidence,
            profile: self.profile.name.clone(),
            evidence,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    const HOUR_MS: i64 = 3_600_000;

    fn detector() -> GapDetector<'static> {
        GapDetector::new(GapProfile::default(), Gazetteer::embedded(), Land::embedded())
    }

    #[test]
    fn six_hours_is_a_gap_and_a_millisecond_less_is_not() {
        let mut d = detector();
        assert!(d.feed(&position(1, 0, 42.0, 131.0, 10.0)).is_none());
        assert!(d.feed(&position(1, 6 * HOUR_MS - 1, 42.0, 131.0, 10.0)).is_none());
        let gap = d.feed(&position(1, 12 * HOUR_MS - 1, 42.5, 131.0, 10.0)).expect("exactly 6 h");
        assert_eq!(gap.kind, EventKind::Gap);
        assert_eq!((gap.start.unix_ms(), gap.end.unix_ms()), (6 * HOUR_MS - 1, 12 * HOUR_MS - 1));
        assert_eq!(gap.attributes["duration_hours"], Value::Number(6.0));
        let Value::Number(km) = gap.attributes["distance_km"] else { panic!() };
        assert!((km - 55.6).abs() < 0.2, "{km}");
        assert_eq!(gap.evidence.len(), 2);
        assert_eq!(gap.evidence[1].line, (12 * HOUR_MS - 1) as u64);
    }

    #[test]
    fn a_gap_across_midnight_is_one_gap_and_its_id_is_stable() {
        let day = 24 * HOUR_MS;
        let run = || {
            let mut d = detector();
            d.feed(&position(7, 19_600 * day + 20 * HOUR_MS, 40.0, 135.0, 10.0));
            d.feed(&position(7, 19_601 * day + 5 * HOUR_MS, 40.3, 135.5, 10.0))
        };
        let (a, b) = (run().expect("9 h across midnight"), run().unwrap());
        assert_eq!(a.id, b.id);
        assert_eq!(a.attributes["duration_hours"], Value::Number(9.0));
    }

    #[test]
    fn a_vessel_silent_at_the_end_of_the_data_has_an_open_gap() {
        let mut d = detector();
        d.feed(&position(3, 0, 42.0, 131.0, 10.0));
        let until = |hours: i64| Coverage::until(Some(Timestamp::from_unix_ms(hours * HOUR_MS)));
        assert!(d.finish(&until(5)).is_none());
        let open = d.finish(&until(7)).expect("open gap");
        assert_eq!(open.attributes["open"], Value::Flag(true));
        assert_eq!(open.confidence, 1);
        assert!(detector().finish(&until(0)).is_none());
        // The extract it was heard in ends an hour later; a later one, a
        // year on, does not make it dark.
        let days = [
            (0, Timestamp::from_unix_ms(0), Timestamp::from_unix_ms(HOUR_MS)),
            (365, Timestamp::from_unix_ms(365 * 24 * HOUR_MS), Timestamp::from_unix_ms(366 * 24 * HOUR_MS)),
        ];
        assert!(
            d.finish(&Coverage::from_days(
                days.map(|(day, first, last)| tumen_store::DayExtent { day, first, last }),
                None
            ))
            .is_none()
        );
    }

    /// A vessel reporting every `every_min` minutes for 12 hours at (lat,
    /// lon), then silent for `silent_h` hours.
    fn well_received_then_silent(lat: f64, lon: f64, every_min: i64, silent_h: i64) -> Option<Event> {
        let mut d = detector();
        let mut t = 0;
        while t <= 12 * HOUR_MS {
            assert!(d.feed(&position(9, t, lat, lon, 10.0)).is_none());
            t += every_min * 60_000;
        }
        let last = t - every_min * 60_000;
        d.feed(&position(9, last + silent_h * HOUR_MS, lat + 0.2, lon, 10.0))
    }

    #[test]
    fn a_long_gap_after_good_reception_is_disabling_offshore_or_in_a_watched_zone() {
        // Mid Sea of Japan (~140 nm from shore), reporting every 10 min.
        let offshore = well_received_then_silent(40.5, 134.5, 10, 12).unwrap();
        assert_eq!((offshore.kind, offshore.confidence), (EventKind::AisDisabling, 3));
        // 12 hours less a little: still only a gap.
        assert_eq!(well_received_then_silent(40.5, 134.5, 10, 11).unwrap().kind, EventKind::Gap);
        // Poor reception before (every 60 min: 13 positions < 14): a gap.
        assert_eq!(well_received_then_silent(40.5, 134.5, 60, 20).unwrap().kind, EventKind::Gap);
        // On the Rason–Dunay route, ~10 nm from shore: disabling because the
        // corridor is watched, and named.
        let corridor = well_received_then_silent(42.60, 132.36, 10, 24).unwrap();
        assert_eq!((corridor.kind, corridor.confidence), (EventKind::AisDisabling, 4));
        assert_eq!(corridor.place.as_deref(), Some("rason-peter-the-great-gulf"));
        // Near shore elsewhere (Korea Strait off Busan): only a gap.
        assert_eq!(well_received_then_silent(35.0, 129.2, 10, 24).unwrap().kind, EventKind::Gap);
    }

    #[test]
    fn heard_again_out_of_reach_is_another_transmitter_not_disabling() {
        // Mid Sea of Japan, then after 20 hours the MMSI is heard 7,500 km
        // away (200 kn): a ship that shares it, not this one gone dark.
        let mut d = detector();
        for minute in (0..600).step_by(10) {
            assert!(d.feed(&position(9, minute * 60_000, 40.5, 134.5, 10.0)).is_none());
        }
        let later = position(9, 590 * 60_000 + 20 * HOUR_MS, -20.0, 100.0, 10.0);
        let e = d.feed(&later).unwrap();
        assert_eq!(e.kind, EventKind::Gap);
        assert_eq!(e.attributes["reappeared_out_of_reach"], Value::Flag(true));
    }

    #[test]
    fn hourly_counts_roll_forward() {
        let mut h = HourlyCounts::default();
        for minute in 0..180 {
            h.add(Timestamp::from_unix_ms(minute * 60_000));
        }
        assert_eq!((h.last_hours(1), h.last_hours(3), h.last_hours(12)), (60, 180, 180));
        h.add(Timestamp::from_unix_ms(30 * HOUR_MS));
        assert_eq!((h.last_hours(1), h.last_hours(24)), (1, 1));
    }
}
