//! Runs the detectors over the archive: day after day in archive order
//! (vessel, then time), each vessel's detectors carrying their state from
//! one day to the next, so a gap or a port call across midnight is one
//! event. Encounters compare vessels: every vessel's track is resampled
//! onto the shared grid as it is read, and a day's grid slots are compared
//! once no later report can add to them. Identity and draught changes come
//! from the registry; the pass over positions places them.
//!
//! Memory: one set of detector states per vessel seen, the read buffers of
//! one day's files, and a day of grid points (24 bytes per vessel per 10
//! minutes).

use std::collections::HashMap;

use tumen_model::{LatLon, Mmsi, Timestamp};
use tumen_places::{Gazetteer, Land};
use tumen_store::{Dataset, StoreError};

use crate::circle::CircleDetector;
use crate::encounter::EncounterFinder;
use crate::event::{Event, EventKind, Value};
use crate::fix::Fix;
use crate::gap::GapDetector;
use crate::grid::{Grid, GridBuffer, GridSampler};
use crate::identity::{self, identity_changes};
use crate::loitering::LoiteringDetector;
use crate::on_land::OnLandDetector;
use crate::port_visit::PortVisitDetector;
use crate::profile::Profiles;
use crate::segments::SegmentDetector;

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
pub fn detect_window(
    dataset: &Dataset,
    gazetteer: &Gazetteer,
    profiles: &Profiles,
    window: Window,
    to_place: Vec<Event>,
) -> Result<Vec<Event>, StoreError> {
    let land = Land::embedded();
    let histories = dataset.catalog().static_histories(&identity::FIELDS)?;
    let mut identity_events = identity_changes(&histories, &profiles.identity);
    drop(histories);
    identity_events.retain(|e| window.contains(e.end));
    identity_events.extend(to_place);
    identity_events.sort_by_key(|e| e.end);

    let grid = Grid::default();
    let shared = Shared { profiles, gazetteer, land, grid };
    let mut vessels: HashMap<Mmsi, VesselDetectors<'_>> = HashMap::new();
    let new_vessel = || VesselDetectors::new(profiles, gazetteer, land);
    // Identity events take the position of the vessel (its new MMSI) at
    // the change.
    for (i, event) in identity_events.iter().enumerate() {
        let mmsi = *event.mmsis.last().expect("an event names a vessel");
        vessels.entry(mmsi).or_insert_with(new_vessel).to_place.push(i);
    }

    let mut grid_buffer = GridBuffer::default();
    let mut encounters = EncounterFinder::new(grid, profiles.encounter.clone(), gazetteer, land);
    let mut events = Vec::new();
    let days = match (window.from, window.to) {
        (None, None) => dataset.catalog().days()?,
        (from, to) => dataset.catalog().days_between(
            from.unwrap_or(Timestamp::from_unix_ms(i64::MIN / 2)),
            to.unwrap_or(Timestamp::from_unix_ms(i64::MAX / 2)),
        )?,
    };
    for day in days {
        // Rows come vessel by vessel: the vessel's detectors are taken out
        // of the map when its rows begin and put back when they end, not
        // looked up for every row.
        let mut current: Option<(Mmsi, VesselDetectors<'_>)> = None;
        dataset.for_each_position_of_day(day, |row| {
            if !window.contains(row.time) {
                return;
            }
            let fix = Fix::from(&row);
            if current.as_ref().is_none_or(|(mmsi, _)| *mmsi != fix.mmsi) {
                if let Some((mmsi, detectors)) = current.take() {
                    vessels.insert(mmsi, detectors);
                }
                let detectors = vessels.remove(&fix.mmsi).unwrap_or_else(new_vessel);
                current = Some((fix.mmsi, detectors));
            }
            let (_, detectors) = current.as_mut().expect("the row's vessel");
            detectors.feed(&fix, &shared, &mut events, &mut grid_buffer, &mut identity_events);
        })?;
        if let Some((mmsi, detectors)) = current.take() {
            vessels.insert(mmsi, detectors);
        }
        // No report of a later day can reach back past the interpolation limit.
        let settled_ms = (day + 1) * DAY_MS - grid.max_interpolation_ms;
        for (slot, points) in grid_buffer.take_before(settled_ms.div_euclid(grid.step_ms)) {
            events.extend(encounters.slot(slot, &points));
        }
    }
    for (slot, points) in grid_buffer.take_all() {
        events.extend(encounters.slot(slot, &points));
    }
    events.extend(encounters.finish());
    let data_end = match (dataset.catalog().latest_time()?, window.to) {
        (Some(latest), Some(to)) => Some(latest.min(to)),
        (latest, _) => latest,
    };
    for detectors in vessels.values_mut() {
        detectors.finish(data_end, &mut events, &mut identity_events);
    }
    place_draught_changes(&mut identity_events, &events);
    explain_silences_by_handovers(&mut events, &identity_events);
    events.extend(identity_events);
    events.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    Ok(events)
}

/// One vessel's detectors, fed its positions in time order. Those that
/// follow a ship's movements (port visits, loitering, the encounter grid)
/// run per track of the segmenter, so two transmitters on one MMSI do not
/// make one ship jump in and out of port; those that judge the broadcast
/// itself (gaps, positions on land, jumps, circles) run on the MMSI.
struct VesselDetectors<'g> {
    gap: GapDetector<'g>,
    on_land: OnLandDetector<'g>,
    segments: SegmentDetector,
    circle: CircleDetector,
    /// Per open segment.
    tracks: Vec<(u32, TrackDetectors<'g>)>,
    /// The main track's detectors while the vessel is silent (its segment
    /// closed): the next main track takes them up, so a port call with a
    /// long silence inside is one visit.
    resting: Option<TrackDetectors<'g>>,
    closed: Vec<(u32, bool)>,
    /// Identity events (indices, by time) still to be given a position.
    to_place: Vec<usize>,
    placed: usize,
    last_position: Option<LatLon>,
}

struct TrackDetectors<'g> {
    port_visit: PortVisitDetector<'g>,
    loitering: LoiteringDetector<'g>,
    grid: GridSampler,
}

impl<'g> TrackDetectors<'g> {
    fn new(profiles: &Profiles, gazetteer: &'g Gazetteer, land: &'g Land) -> TrackDetectors<'g> {
        TrackDetectors {
            port_visit: PortVisitDetector::new(profiles.port_visit.clone(), gazetteer),
            loitering: LoiteringDetector::new(profiles.loitering.clone(), land),
            grid: GridSampler::default(),
        }
    }

    fn finish(mut self, events: &mut Vec<Event>) {
        events.extend(self.port_visit.finish());
        events.extend(self.loitering.finish());
    }
}

/// What every vessel's detectors share.
struct Shared<'a, 'g> {
    profiles: &'a Profiles,
    gazetteer: &'g Gazetteer,
    land: &'g Land,
    grid: Grid,
}

impl<'g> VesselDetectors<'g> {
    fn new(profiles: &Profiles, gazetteer: &'g Gazetteer, land: &'g Land) -> VesselDetectors<'g> {
        VesselDetectors {
            gap: GapDetector::new(profiles.gap.clone(), gazetteer, land),
            on_land: OnLandDetector::new(profiles.on_land.clone(), land, gazetteer),
            segments: SegmentDetector::new(profiles.segments.clone()),
            circle: CircleDetector::new(profiles.circle.clone()),
            tracks: Vec::new(),
            resting: None,
            closed: Vec::new(),
            to_place: Vec::new(),
            placed: 0,
            last_position: None,
        }
    }

    fn feed(
        &mut self,
        row: &Fix,
        shared: &Shared<'_, 'g>,
        events: &mut Vec<Event>,
        grid_buffer: &mut GridBuffer,
        identity_events: &mut [Event],
    ) {
        events.extend(self.gap.feed(row));
        events.extend(self.on_land.feed(row));
        events.extend(self.circle.feed(row));
        let segment = self.segments.feed(row, events, &mut self.closed);
        self.retire_closed_tracks(events);
        let index = match self.tracks.iter().position(|(id, _)| *id == segment) {
            Some(index) => index,
            None => {
                let resumed = if self.segments.is_second_track(segment) { None } else { self.resting.take() };
                let track =
                    resumed.unwrap_or_else(|| TrackDetectors::new(shared.profiles, shared.gazetteer, shared.land));
                self.tracks.push((segment, track));
                self.tracks.len() - 1
            }
        };
        let track = &mut self.tracks[index].1;
        events.extend(track.port_visit.feed(row));
        events.extend(track.loitering.feed(row));
        track.grid.feed(row, &shared.grid, grid_buffer);
        // The first report at or after a change places it.
        while let Some(&i) = self.to_place.get(self.placed) {
            if identity_events[i].end > row.time {
                break;
            }
            identity_events[i].position = Some(row.position());
            self.placed += 1;
        }
        if self.placed < self.to_place.len() {
            self.last_position = Some(row.position());
        }
    }

    /// Second tracks that closed are finished; a main track that closed
    /// rests until the vessel is heard again.
    fn retire_closed_tracks(&mut self, events: &mut Vec<Event>) {
        for (id, second) in self.closed.drain(..) {
            let Some(index) = self.tracks.iter().position(|(t, _)| *t == id) else { continue };
            let (_, track) = self.tracks.swap_remove(index);
            if second {
                track.finish(events);
            } else if let Some(earlier) = self.resting.replace(track) {
                earlier.finish(events);
            }
        }
    }

    fn finish(&mut self, data_end: Option<Timestamp>, events: &mut Vec<Event>, identity_events: &mut [Event]) {
        events.extend(data_end.and_then(|end| self.gap.finish(end)));
        events.extend(self.on_land.finish());
        events.extend(self.circle.finish());
        self.segments.finish(events, &mut self.closed);
        for (_, track) in self.tracks.drain(..) {
            track.finish(events);
        }
        if let Some(track) = self.resting.take() {
            track.finish(events);
        }
        // Changes after the vessel's last report: where it was last seen.
        for &i in &self.to_place[self.placed..] {
            identity_events[i].position = self.last_position;
        }
    }
}

/// An MMSI that falls silent because its ship took a new MMSI (the IMO
/// number moved over) has not gone dark: its silence stays a gap, noting
/// the MMSI it continued as, and is not reported as AIS disabling.
fn explain_silences_by_handovers(events: &mut [Event], identity_events: &[Event]) {
    let handovers: HashMap<Mmsi, (Mmsi, Timestamp)> = identity_events
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
fn place_draught_changes(changes: &mut [Event], events: &[Event]) {
    let mut by_vessel: HashMap<Mmsi, Vec<&Event>> = HashMap::new();
    for e in events {
        if matches!(e.kind, EventKind::PortVisit | EventKind::Gap | EventKind::AisDisabling | EventKind::Encounter) {
            for m in &e.mmsis {
                by_vessel.entry(*m).or_default().push(e);
            }
        }
    }
    for change in changes.iter_mut().filter(|e| e.kind == EventKind::DraughtChange) {
        let Some(candidates) = by_vessel.get(&change.mmsis[0]) else { continue };
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
            change.attributes.insert("during", Value::Text(during.id.clone()));
            change.attributes.insert("during_kind", Value::Text(during.kind.as_str().to_owned()));
            change.place = during.place.clone();
            change.confidence = 3;
        }
    }
}
