//! AIS gaps: a vessel silent for at least the profile's threshold (the
//! naive tier: GFW's pipeline and Skylight use 6 h). Late messages that
//! fall inside a gap are handled upstream: the archive is in time order, so
//! a gap is only reported between positions that really are consecutive.

use std::collections::BTreeMap;

use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE, Timestamp};
use tumen_store::PositionRow;

use crate::event::{Event, EventKind, Evidence, Value};
use crate::profile::GapProfile;

const MS_PER_HOUR: f64 = 3_600_000.0;

/// One vessel's gap detector; feed its positions in time order.
pub struct GapDetector {
    profile: GapProfile,
    last: Option<PositionRow>,
}

impl GapDetector {
    pub fn new(profile: GapProfile) -> GapDetector {
        GapDetector { profile, last: None }
    }

    /// The gap this position closes, if it closes one.
    pub fn feed(&mut self, row: &PositionRow) -> Option<Event> {
        let gap = match &self.last {
            Some(before) if hours_between(before.time, row.time) >= self.profile.min_hours => {
                Some(self.event(before, Some(row), row.time))
            }
            _ => None,
        };
        self.last = Some(row.clone());
        gap
    }

    /// At the end of the data (`data_end`: the newest time the source
    /// covers), the gap still open, if the vessel has been silent long
    /// enough: reported with `open = true` and the end of the data as its end.
    pub fn finish(&self, data_end: Timestamp) -> Option<Event> {
        let before = self.last.as_ref()?;
        (hours_between(before.time, data_end) >= self.profile.min_hours).then(|| self.event(before, None, data_end))
    }

    fn event(&self, before: &PositionRow, after: Option<&PositionRow>, end: Timestamp) -> Event {
        let from = LatLon { lat_deg: before.lat_deg, lon_deg: before.lon_deg };
        let hours = hours_between(before.time, end);
        let mut attributes = BTreeMap::new();
        attributes.insert("duration_hours", Value::Number(hours));
        attributes.insert("open", Value::Flag(after.is_none()));
        let mut evidence = vec![Evidence::of(before, "last position before the gap")];
        if let Some(after) = after {
            let to = LatLon { lat_deg: after.lat_deg, lon_deg: after.lon_deg };
            let metres = from.distance_m(to);
            attributes.insert("distance_km", Value::Number(metres / 1000.0));
            attributes.insert("implied_speed_knots", Value::Number(metres / METRES_PER_NAUTICAL_MILE / hours));
            evidence.push(Evidence::of(after, "first position after the gap"));
        }
        Event {
            id: Event::make_id(EventKind::Gap, &[before.mmsi], before.time, &self.profile.name),
            kind: EventKind::Gap,
            mmsis: vec![before.mmsi],
            start: before.time,
            end,
            position: from,
            place: None,
            attributes,
            confidence: if after.is_some() { 2 } else { 1 },
            profile: self.profile.name.clone(),
            evidence,
        }
    }
}

fn hours_between(a: Timestamp, b: Timestamp) -> f64 {
    b.ms_since(a) as f64 / MS_PER_HOUR
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    const HOUR_MS: i64 = 3_600_000;

    #[test]
    fn six_hours_is_a_gap_and_a_millisecond_less_is_not() {
        let mut d = GapDetector::new(GapProfile::default());
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
            let mut d = GapDetector::new(GapProfile::default());
            d.feed(&position(7, 19_600 * day + 20 * HOUR_MS, 42.0, 131.0, 10.0));
            d.feed(&position(7, 19_601 * day + 5 * HOUR_MS, 42.3, 131.5, 10.0))
        };
        let (a, b) = (run().expect("9 h across midnight"), run().unwrap());
        assert_eq!(a.id, b.id);
        assert_eq!(a.attributes["duration_hours"], Value::Number(9.0));
    }

    #[test]
    fn a_vessel_silent_at_the_end_of_the_data_has_an_open_gap() {
        let mut d = GapDetector::new(GapProfile::default());
        d.feed(&position(3, 0, 42.0, 131.0, 10.0));
        assert!(d.finish(Timestamp::from_unix_ms(5 * HOUR_MS)).is_none());
        let open = d.finish(Timestamp::from_unix_ms(7 * HOUR_MS)).expect("open gap");
        assert_eq!(open.attributes["open"], Value::Flag(true));
        assert_eq!(open.confidence, 1);
        assert!(GapDetector::new(GapProfile::default()).finish(Timestamp::from_unix_ms(0)).is_none());
    }
}
