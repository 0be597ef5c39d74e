//! Data quality, not behaviour: the reports the segmenter found no ship
//! behind ([`OutlierKind`]: impossible positions, sign-flipped coordinates,
//! a second position at the same second, reports off the track that the
//! track ignored), kept out of every detector and summed up as at most one
//! `data_quality` event per vessel and UTC day, with its counts by kind and
//! a few of the reports as evidence.

use std::collections::BTreeMap;

use crate::event::{Event, EventKind, Value};
use crate::fix::Fix;
use crate::segments::OutlierKind;

const DAY_MS: i64 = 86_400_000;

/// Reports cited per day: the first of each kind, then the earliest others.
const EXAMPLES_PER_DAY: usize = 4;

/// One vessel's outliers, by day. Outliers come in time order but for a
/// candidate track's, settled up to the segmenter's `max_gap_hours` later:
/// a day is summed up once a report two days on is seen.
pub struct QualityLog {
    profile: String,
    days: BTreeMap<i64, Day>,
}

#[derive(Default)]
struct Day {
    first: Option<Fix>,
    last: Option<Fix>,
    counts: BTreeMap<OutlierKind, u32>,
    examples: Vec<(Fix, OutlierKind)>,
}

impl QualityLog {
    /// The log of a vessel; its events carry `profile` (the segmenter's).
    pub fn new(profile: String) -> QualityLog {
        QualityLog { profile, days: BTreeMap::new() }
    }

    /// Adds an outlier; the days it settles, summed up.
    pub fn add(&mut self, row: &Fix, kind: OutlierKind) -> Vec<Event> {
        self.add_many(row, kind, 1)
    }

    /// Adds `n` outliers of one kind, `row` the first of them.
    pub fn add_many(&mut self, row: &Fix, kind: OutlierKind, n: u32) -> Vec<Event> {
        let today = row.time.unix_ms().div_euclid(DAY_MS);
        let day = self.days.entry(today).or_default();
        day.first = Some(day.first.map_or(*row, |f| if row.time < f.time { *row } else { f }));
        day.last = Some(day.last.map_or(*row, |l| if row.time > l.time { *row } else { l }));
        *day.counts.entry(kind).or_default() += n;
        let new_kind = !day.examples.iter().any(|(_, k)| *k == kind);
        if day.examples.len() < EXAMPLES_PER_DAY || new_kind {
            day.examples.push((*row, kind));
            day.examples.sort_by_key(|(fix, _)| fix.time);
            if day.examples.len() > EXAMPLES_PER_DAY {
                // Drop the latest example of a kind cited twice.
                if let Some(i) = (0..day.examples.len())
                    .rev()
                    .find(|&i| day.examples.iter().filter(|(_, k)| *k == day.examples[i].1).count() > 1)
                {
                    day.examples.remove(i);
                }
            }
        }
        let later = self.days.split_off(&(today - 1));
        let settled = std::mem::replace(&mut self.days, later);
        settled.into_values().filter_map(|d| self.event(d)).collect()
    }

    /// Every day still open, summed up.
    pub fn finish(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.days).into_values().filter_map(|d| self.event(d)).collect()
    }

    fn event(&self, day: Day) -> Option<Event> {
        let (first, last) = (day.first?, day.last?);
        let mut attributes = BTreeMap::new();
        let total: u32 = day.counts.values().sum();
        attributes.insert("reports", Value::Number(f64::from(total)));
        for (kind, n) in &day.counts {
            attributes.insert(kind.as_str(), Value::Number(f64::from(*n)));
        }
        let evidence = day.examples.iter().map(|(fix, kind)| fix.evidence(role(*kind))).collect();
        Some(Event {
            id: Event::make_id(EventKind::DataQuality, &[first.mmsi], first.time, &self.profile),
            kind: EventKind::DataQuality,
            mmsis: vec![first.mmsi],
            start: first.time,
            end: last.time,
            position: None,
            place: None,
            attributes,
            confidence: 1,
            profile: self.profile.clone(),
            evidence,
        })
    }
}

fn role(kind: OutlierKind) -> &'static str {
    match kind {
        OutlierKind::Impossible => "impossible position",
        OutlierKind::SignFlip => "sign-flipped position",
        OutlierKind::SameTime => "second position at the same second",
        OutlierKind::OffTrack => "position off the track",
        OutlierKind::TimeShifted => "first report of a track stamped hours off",
        OutlierKind::InvalidMmsi => "report on an MMSI no one station can have",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    #[test]
    fn one_finding_per_vessel_and_day_with_its_counts_and_examples() {
        let mut log = QualityLog::new("p".into());
        let hour = 3_600_000;
        let mut events = Vec::new();
        for h in 0..6 {
            events.extend(log.add(&position(7, h * hour, 10.0, 20.0, 1.0), OutlierKind::OffTrack));
        }
        events.extend(log.add(&position(7, 7 * hour, 10.0, -20.0, 1.0), OutlierKind::SignFlip));
        assert!(events.is_empty(), "the day is not settled yet");
        // Two days on: day 0 is summed up.
        events.extend(log.add(&position(7, 49 * hour, 0.0, 0.0, 1.0), OutlierKind::Impossible));
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(e.kind, EventKind::DataQuality);
        assert_eq!(e.attributes["reports"], Value::Number(7.0));
        assert_eq!(e.attributes["off_track"], Value::Number(6.0));
        assert_eq!(e.attributes["sign_flip"], Value::Number(1.0));
        assert_eq!(e.evidence.len(), EXAMPLES_PER_DAY);
        assert!(e.evidence.iter().any(|x| x.role == "sign-flipped position"), "every kind is cited");
        assert_eq!((e.start.unix_ms(), e.end.unix_ms()), (0, 7 * hour));
        let rest = log.finish();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].attributes["impossible_position"], Value::Number(1.0));
    }
}
