//! Runs the detectors over the archive: day after day in archive order
//! (vessel, then time), each vessel's detectors carrying their state from
//! one day to the next, so a gap or a port call across midnight is one
//! event. Encounters compare vessels: every vessel's track is resampled
//! onto the shared grid as it is read, and a day's grid slots are compared
//! once no later report can add to them. Identity and draught changes come
//! from the registry; the pass over positions places them.
//!
//! The vessels are shared between threads by MMSI range, each a
//! [`VesselPass`] over its vessels' rows; the calling thread compares grid
//! slots. The steps are those a distributed run takes in partitions
//! (`tumen_worker`), and give the same events.
//!
//! Memory: one set of detector states per vessel seen, the read buffers of
//! one day's files per thread, and about two days of grid points (24 bytes
//! per vessel per 10 minutes: a thread may read a day ahead).

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc;

use tumen_model::{Mmsi, Timestamp};
use tumen_places::{Gazetteer, Land};
use tumen_store::{Dataset, StoreError};

use crate::coverage::Coverage;
use crate::encounter::EncounterFinder;
use crate::event::{Event, EventKind, Value};
use crate::grid::{Grid, GridPoint};
use crate::identity::{self, identity_changes};
use crate::profile::Profiles;
use crate::vessels::{PassResult, VesselPass};

const DAY_MS: i64 = 86_400_000;

/// A silence starting this close to an MMSI handover is the handover.
const HANDOVER_NEAR_SILENCE_MS: i64 = 3_600_000;

/// A draught change this soon after a port visit's end was made there (the
/// new draught is often keyed in on leaving).
const DRAUGHT_AFTER_VISIT_MS: i64 = 3_600_000;

/// A time window to detect in: reports from `from` to `to` (inclusive),
/// either end open.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Window {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

impl Window {
    pub fn contains(&self, t: Timestamp) -> bool {
        self.from.is_none_or(|from| t >= from) && self.to.is_none_or(|to| t <= to)
    }
}

/// Every event the detectors find in the dataset's archive, ordered by
/// start time, then id.
pub fn detect_archive(dataset: &Dataset, gazetteer: &Gazetteer, profiles: &Profiles) -> Result<Vec<Event>, StoreError> {
    detect_window(dataset, gazetteer, profiles, Window::default(), Vec::new())
}

/// The events the detectors find in the reports of `window` (identity and
/// draught changes: those made in it). Events are cut by the window as
/// the data would be: a port call under way when it opens starts at its
/// first report. `to_place`: events found elsewhere from what vessels
/// broadcast (watch-list hits) that the pass over positions places, as it
/// places identity changes; they are returned with the rest.
///
/// The vessels are shared between threads by MMSI range (one per core),
/// each reading its vessels' rows day after day; this thread compares the
/// vessels' grid slots for encounters as the days are done.
pub fn detect_window(
    dataset: &Dataset,
    gazetteer: &Gazetteer,
    profiles: &Profiles,
    window: Window,
    to_place: Vec<Event>,
) -> Result<Vec<Event>, StoreError> {
    let land = Land::embedded();
    let mut placing = identity_events(dataset, profiles)?;
    placing.retain(|e| window.contains(e.end));
    placing.extend(to_place);
    placing.sort_by_key(|e| e.end);

    let days = match (window.from, window.to) {
        (None, None) => dataset.catalog().days()?,
        (from, to) => dataset.catalog().days_between(
            from.unwrap_or(Timestamp::from_unix_ms(i64::MIN / 2)),
            to.unwrap_or(Timestamp::from_unix_ms(i64::MAX / 2)),
        )?,
    };
    let coverage = &Coverage::from_days(dataset.catalog().day_extents()?, window.to);
    let day_parts = days.iter().map(|&day| dataset.day_parts(day)).collect::<Result<Vec<_>, _>>()?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let ranges = dataset.vessel_ranges(cores)?;
    let mut placing_by_range: Vec<Vec<Event>> = vec![Vec::new(); ranges.len()];
    for event in placing {
        let mmsi = event.mmsis.last().expect("an event names a vessel").0;
        let range = ranges.iter().position(|r| r.contains(&mmsi)).expect("the ranges cover every MMSI");
        placing_by_range[range].push(event);
    }

    let grid = Grid::default();
    let mut encounters = EncounterFinder::new(grid, profiles.encounter.clone(), gazetteer, land);
    let mut events = Vec::new();
    // Each slot's points from every pass; a day's slots are compared once
    // every pass has read the day.
    let mut slots: BTreeMap<i64, Vec<GridPoint>> = BTreeMap::new();
    std::thread::scope(|scope| -> Result<(), StoreError> {
        let mut passes = Vec::new();
        let mut receivers = Vec::new();
        for (range, placing) in ranges.iter().cloned().zip(placing_by_range) {
            // One day ahead at most: a pass that reads faster waits, so
            // the slots held here stay about a day's.
            let (sender, receiver) = mpsc::sync_channel::<FromPass>(1);
            receivers.push(receiver);
            let (days, day_parts) = (&days, &day_parts);
            passes.push(scope.spawn(move || {
                let mut pass = VesselPass::new(profiles, gazetteer, land);
                if let Some(&first_day) = days.first() {
                    pass.start_grid_at((first_day * DAY_MS).div_euclid(grid.step_ms));
                }
                for event in placing {
                    pass.place(event);
                }
                for (parts, &day) in day_parts.iter().zip(days) {
                    parts.for_each_fix_in(range.clone(), |fix| {
                        if window.contains(fix.time) {
                            pass.feed(&fix);
                        }
                    })?;
                    let slots = pass.take_slots_before(settled_slot(day, grid));
                    let found = pass.take_events();
                    if sender.send(FromPass::Day { slots, events: found }).is_err() {
                        return Ok(());
                    }
                }
                let _ = sender.send(FromPass::Finished(pass.finish(coverage)));
                Ok::<(), StoreError>(())
            }));
        }
        // Day by day, each pass's slots; compared once every pass has read
        // the day. A pass that failed stops the reading (its error below).
        'days: for &day in days.iter() {
            for receiver in &receivers {
                let Ok(FromPass::Day { slots: day_slots, events: found }) = receiver.recv() else { break 'days };
                events.extend(found);
                merge_slots(&mut slots, day_slots);
            }
            let later = slots.split_off(&settled_slot(day, grid));
            let settled: Vec<_> = std::mem::replace(&mut slots, later).into_iter().collect();
            events.extend(encounters.slots(&settled, cores));
        }
        for receiver in &receivers {
            if let Ok(FromPass::Finished(result)) = receiver.recv() {
                events.extend(result.events);
                merge_slots(&mut slots, result.slots);
            }
        }
        drop(receivers);
        for pass in passes {
            pass.join().expect("a vessel pass does not panic")?;
        }
        Ok(())
    })?;
    let slots: Vec<_> = slots.into_iter().collect();
    events.extend(encounters.slots(&slots, cores));
    events.extend(encounters.finish());
    Ok(relate(events))
}

/// The identity and draught changes in the registry (positions unset:
/// the pass over positions places them).
pub fn identity_events(dataset: &Dataset, profiles: &Profiles) -> Result<Vec<Event>, StoreError> {
    let histories = dataset.catalog().static_histories(&identity::FIELDS)?;
    Ok(identity_changes(&histories, &profiles.identity))
}

/// What a vessel pass sends the thread comparing vessels.
enum FromPass {
    /// The next day is read: its settled grid slots and the events found
    /// so far.
    Day {
        slots: Vec<(i64, Vec<GridPoint>)>,
        events: Vec<Event>,
    },
    Finished(PassResult),
}

/// The first slot a report of a day after `day` can still reach (no
/// report reaches back past the interpolation limit).
fn settled_slot(day: i64, grid: Grid) -> i64 {
    ((day + 1) * DAY_MS - grid.max_interpolation_ms).div_euclid(grid.step_ms)
}

fn merge_slots(into: &mut BTreeMap<i64, Vec<GridPoint>>, slots: Vec<(i64, Vec<GridPoint>)>) {
    for (slot, points) in slots {
        if !points.is_empty() {
            into.entry(slot).or_default().extend(points);
        }
    }
}

/// The steps that relate events of different vessels and detectors, once
/// all are found: silences explained by MMSI handovers, draught changes
/// named by the visit, silence or encounter they were made in. Returns the
/// events ordered by start, then id. Each step looks only at the events of
/// one vessel (an encounter counting for both), so a distributed run can
/// apply it to the events partitioned by vessel.
pub fn relate(mut events: Vec<Event>) -> Vec<Event> {
    // Names heard in turn on an MMSI no one station can have are many
    // boats', not changes of one.
    events.retain(|e| {
        !(e.kind == EventKind::IdentityChange && e.mmsis.len() == 1 && e.mmsis[0].not_one_station().is_some())
    });
    fold_identities_into_shared_mmsis(&mut events);
    explain_silences_by_handovers(&mut events);
    events.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    place_draught_changes(&mut events);
    events
}

/// Identity changes within this long of a shared MMSI's period are the
/// other ship's broadcasts (a day: static reports come every 6 minutes,
/// but satellites hear a ship a few times a day).
const SHARED_IDENTITY_MARGIN_MS: i64 = 86_400_000;

/// The registry fields whose values ships sharing an MMSI broadcast in turn.
const IDENTITY_FIELDS: [&str; 3] = ["name", "call_sign", "imo"];

/// Ships sharing an MMSI broadcast their own names, call signs and IMO
/// numbers in turn: the changes between them, during the sharing (a day
/// either side), are the finding's, listed in it (`names`, `call_signs`,
/// `imos`), not changes of identity.
fn fold_identities_into_shared_mmsis(events: &mut Vec<Event>) {
    let shared: Vec<(Mmsi, Timestamp, Timestamp, String)> = events
        .iter()
        .filter(|e| e.kind == EventKind::SharedMmsi)
        .map(|e| {
            let margin = SHARED_IDENTITY_MARGIN_MS;
            (e.mmsis[0], e.start.plus_ms(-margin), e.end.plus_ms(margin), e.id.clone())
        })
        .collect();
    if shared.is_empty() {
        return;
    }
    // Changes on the one MMSI only: a ship that moves to a new MMSI (two
    // MMSIs named) changes its identity for real.
    let identity_field = |e: &Event| match e.attributes.get("field") {
        Some(Value::Text(field))
            if e.kind == EventKind::IdentityChange
                && e.mmsis.len() == 1
                && IDENTITY_FIELDS.contains(&field.as_str()) =>
        {
            Some(field.clone())
        }
        _ => None,
    };
    // Per finding, per field, the values heard, in the order first heard.
    let mut heard: HashMap<String, BTreeMap<String, Vec<String>>> = HashMap::new();
    events.retain(|e| {
        let Some(field) = identity_field(e) else { return true };
        let Some((_, _, _, id)) =
            shared.iter().find(|(m, from, to, _)| *m == e.mmsis[0] && e.start >= *from && e.start <= *to)
        else {
            return true;
        };
        let values = heard.entry(id.clone()).or_default().entry(field).or_default();
        for side in ["from", "to"] {
            if let Some(Value::Text(v)) = e.attributes.get(side)
                && !values.contains(v)
            {
                values.push(v.clone());
            }
        }
        false
    });
    for finding in events.iter_mut().filter(|e| e.kind == EventKind::SharedMmsi) {
        for (field, values) in heard.remove(&finding.id).unwrap_or_default() {
            let name = match field.as_str() {
                "name" => "names",
                "call_sign" => "call_signs",
                _ => "imos",
            };
            finding.attributes.insert(name, Value::Text(values.join("; ")));
        }
    }
}

/// An MMSI that falls silent because its ship took a new MMSI (the IMO
/// number moved over) has not gone dark: its silence stays a gap, noting
/// the MMSI it continued as, and is not reported as AIS disabling.
fn explain_silences_by_handovers(events: &mut [Event]) {
    let handovers: HashMap<Mmsi, (Mmsi, Timestamp)> = events
        .iter()
        .filter(|e| {
            e.kind == EventKind::IdentityChange && e.attributes.get("field") == Some(&Value::Text("mmsi".into()))
        })
        .map(|e| (e.mmsis[0], (e.mmsis[1], e.start)))
        .collect();
    for gap in events.iter_mut().filter(|e| matches!(e.kind, EventKind::Gap | EventKind::AisDisabling)) {
        let Some(&(new_mmsi, at)) = handovers.get(&gap.mmsis[0]) else { continue };
        if at.ms_since(gap.start).abs() > HANDOVER_NEAR_SILENCE_MS {
            continue;
        }
        gap.attributes.insert("continued_as", Value::Text(new_mmsi.0.to_string()));
        if gap.kind == EventKind::AisDisabling {
            gap.kind = EventKind::Gap;
            gap.id = Event::make_id(gap.kind, &gap.mmsis, gap.start, &gap.profile);
            gap.confidence = 1;
        }
    }
}

/// Names where each draught change was made: the port visit it falls in
/// (or that ended just before it), else the dark period or encounter it
/// overlaps — cargo moves in port, while dark, and ship to ship.
///
/// `events` in order of start, then id: the first that fits is taken.
fn place_draught_changes(events: &mut [Event]) {
    let mut by_vessel: HashMap<Mmsi, Vec<usize>> = HashMap::new();
    for (i, e) in events.iter().enumerate() {
        if matches!(e.kind, EventKind::PortVisit | EventKind::Gap | EventKind::AisDisabling | EventKind::Encounter) {
            for m in &e.mmsis {
                by_vessel.entry(*m).or_default().push(i);
            }
        }
    }
    let mut named = Vec::new();
    for (i, change) in events.iter().enumerate().filter(|(_, e)| e.kind == EventKind::DraughtChange) {
        let Some(indices) = by_vessel.get(&change.mmsis[0]) else { continue };
        let candidates: Vec<&Event> = indices.iter().map(|&j| &events[j]).collect();
        let visit = candidates.iter().find(|e| {
            e.kind == EventKind::PortVisit
                && e.start <= change.end
                && change.end.ms_since(e.end) <= DRAUGHT_AFTER_VISIT_MS
        });
        let other = || {
            candidates.iter().find(|e| {
                e.kind != EventKind::PortVisit
                    && e.start <= change.end
                    && change.start.ms_since(e.end) <= DRAUGHT_AFTER_VISIT_MS
            })
        };
        if let Some(during) = visit.or_else(other) {
            named.push((i, during.id.clone(), during.kind, during.place.clone()));
        }
    }
    for (i, id, kind, place) in named {
        let change = &mut events[i];
        change.attributes.insert("during", Value::Text(id));
        change.attributes.insert("during_kind", Value::Text(kind.as_str().to_owned()));
        change.place = place;
        change.confidence = 3;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: i64 = 3_600_000;

    fn event(kind: EventKind, hour: i64, attributes: &[(&'static str, &str)]) -> Event {
        Event {
            id: format!("{}-{hour}", kind.as_str()),
            kind,
            mmsis: vec![Mmsi(240_000_000)],
            start: Timestamp::from_unix_ms(hour * HOUR_MS),
            end: Timestamp::from_unix_ms((hour + 10) * HOUR_MS),
            position: None,
            place: None,
            attributes: attributes.iter().map(|&(k, v)| (k, Value::Text(v.to_owned()))).collect(),
            confidence: 3,
            profile: "p".into(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn names_heard_in_turn_on_a_shared_mmsi_are_the_findings_not_changes() {
        let change =
            |hour, from, to| event(EventKind::IdentityChange, hour, &[("field", "name"), ("from", from), ("to", to)]);
        let events = vec![
            event(EventKind::SharedMmsi, 100, &[]),
            change(90, "ANNA", "BRUNO"),
            change(105, "BRUNO", "ANNA"),
            change(109, "ANNA", "BRUNO"),
            // Weeks later, a real change of name.
            change(1_000, "BRUNO", "CARLA"),
        ];
        let related = relate(events);
        let kinds: Vec<EventKind> = related.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [EventKind::SharedMmsi, EventKind::IdentityChange]);
        assert_eq!(related[0].attributes["names"], Value::Text("ANNA; BRUNO".into()));
    }
}
