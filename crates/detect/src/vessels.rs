//! The per-vessel pass: every vessel's detectors fed its reports in time
//! order, carrying their state from one call to the next, so the pass can
//! be fed day after day, or one partition of vessels at a time. What it
//! gives: the events of single vessels, each vessel's track resampled on
//! the encounter grid ([`crate::grid`]), and the events found elsewhere
//! (identity changes, watch-list hits) given the vessel's position at the
//! time they happened.
//!
//! A pass holds one set of detector states per vessel it has seen, and the
//! grid slots not yet taken.

use std::collections::HashMap;

use tumen_model::{LatLon, Mmsi, Timestamp};
use tumen_places::{Gazetteer, Land};

use crate::circle::CircleDetector;
use crate::confined::ConfinedDetector;
use crate::coverage::Coverage;
use crate::event::Event;
use crate::fix::Fix;
use crate::gap::GapDetector;
use crate::grid::{Grid, GridBuffer, GridPoint, GridSampler};
use crate::loitering::LoiteringDetector;
use crate::on_land::OnLandDetector;
use crate::port_visit::PortVisitDetector;
use crate::profile::Profiles;
use crate::quality::QualityLog;
use crate::segments::{OutlierKind, Placed, Placement, SegmentDetector};
use crate::shared_mmsi::SharedMmsiLog;

/// Every vessel's detectors over the reports fed to it.
pub struct VesselPass<'g> {
    shared: Shared<'g>,
    /// Boxed: a vessel's detectors are a few kilobytes, moved in and out
    /// of the map at every change of vessel.
    vessels: HashMap<Mmsi, Box<VesselDetectors<'g>>>,
    /// The vessel whose reports are coming: taken out of the map when its
    /// reports begin and put back when they end, not looked up every report.
    current: Option<(Mmsi, Box<VesselDetectors<'g>>)>,
    events: Vec<Event>,
    grid_buffer: GridBuffer,
    /// Events to be placed on the tracks, in the order given.
    to_place: Vec<Event>,
}

/// What a finished pass found.
pub struct PassResult {
    /// Events of single vessels, in no particular order, then the events
    /// given to [`VesselPass::place`], with positions.
    pub events: Vec<Event>,
    /// Grid slots not taken before the end, oldest first.
    pub slots: Vec<(i64, Vec<GridPoint>)>,
}

impl<'g> VesselPass<'g> {
    pub fn new(profiles: &'g Profiles, gazetteer: &'g Gazetteer, land: &'g Land) -> VesselPass<'g> {
        VesselPass {
            shared: Shared { profiles, gazetteer, land, grid: Grid::default() },
            vessels: HashMap::new(),
            current: None,
            events: Vec::new(),
            grid_buffer: GridBuffer::default(),
            to_place: Vec::new(),
        }
    }

    /// An event found elsewhere to be given the position of its vessel (the
    /// last MMSI it names) when it ended: the first report at or after its
    /// end, else the last report before. A vessel's events must come in
    /// order of their ends, each before the vessel's reports at or after
    /// its end.
    pub fn place(&mut self, event: Event) {
        let mmsi = *event.mmsis.last().expect("an event names a vessel");
        let index = self.to_place.len();
        self.to_place.push(event);
        match &mut self.current {
            Some((current, detectors)) if *current == mmsi => detectors.to_place.push(index),
            _ => {
                let detectors =
                    self.vessels.entry(mmsi).or_insert_with(|| Box::new(VesselDetectors::new(&self.shared)));
                detectors.to_place.push(index);
            }
        }
    }

    /// The next report; a vessel's reports in time order.
    pub fn feed(&mut self, fix: &Fix) {
        if self.current.as_ref().is_none_or(|(mmsi, _)| *mmsi != fix.mmsi) {
            if let Some((mmsi, detectors)) = self.current.take() {
                self.vessels.insert(mmsi, detectors);
            }
            let detectors =
                self.vessels.remove(&fix.mmsi).unwrap_or_else(|| Box::new(VesselDetectors::new(&self.shared)));
            self.current = Some((fix.mmsi, detectors));
        }
        let (_, detectors) = self.current.as_mut().expect("the report's vessel");
        detectors.feed(fix, &self.shared, &mut self.events, &mut self.grid_buffer, &mut self.to_place);
    }

    /// Starts the grid afresh at `first_slot` (every slot taken before): no
    /// report at or after the slot's time is then late, whatever the order
    /// of the vessels.
    pub fn start_grid_at(&mut self, first_slot: i64) -> Vec<(i64, Vec<GridPoint>)> {
        std::mem::replace(&mut self.grid_buffer, GridBuffer::starting_at(first_slot)).take_all()
    }

    /// The grid slots before `until_slot`, oldest first; reports fed later
    /// cannot add to them (they count as late).
    pub fn take_slots_before(&mut self, until_slot: i64) -> Vec<(i64, Vec<GridPoint>)> {
        self.grid_buffer.take_before(until_slot)
    }

    /// The events found so far (not those to be placed: the last report of
    /// their vessel may yet place them).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// Ends every vessel's detectors at the end of the data; a silence
    /// still open ends where the data that covers it ends (`coverage`).
    pub fn finish(mut self, coverage: &Coverage) -> PassResult {
        if let Some((mmsi, detectors)) = self.current.take() {
            self.vessels.insert(mmsi, detectors);
        }
        for detectors in self.vessels.values_mut() {
            detectors.finish(coverage, &self.shared, &mut self.events, &mut self.grid_buffer, &mut self.to_place);
        }
        self.events.append(&mut self.to_place);
        PassResult { events: self.events, slots: self.grid_buffer.take_all() }
    }
}

/// A report that gives no speed over ground (many CSV exports carry none)
/// given the speed its track implies: the distance from the track's
/// previous report over the time between, when that is a minute or more
/// (over seconds, metres of noise are knots), else the previous report's.
/// Stops, port visits and loitering then work on such data as on AIS.
/// `None` when the report gives its own speed or there is nothing to
/// derive one from (the report is used as it is).
fn derived_speed(row: &Fix, previous: Option<&Fix>) -> Option<Fix> {
    if row.sog_knots.is_some() {
        return None;
    }
    let previous = previous?;
    let seconds = row.time.ms_since(previous.time) as f64 / 1000.0;
    let sog_knots = if seconds >= 60.0 {
        let knots = previous.position().near_distance_m(row.position())
            / tumen_model::METRES_PER_NAUTICAL_MILE
            / (seconds / 3600.0);
        Some(knots.min(MAX_DERIVED_KNOTS) as f32)
    } else {
        previous.sog_knots
    };
    Some(Fix { sog_knots, ..*row })
}

/// The highest speed AIS can report; derived speeds are capped there.
const MAX_DERIVED_KNOTS: f64 = 102.2;

/// What every vessel's detectors share.
#[derive(Clone, Copy)]
struct Shared<'g> {
    profiles: &'g Profiles,
    gazetteer: &'g Gazetteer,
    land: &'g Land,
    grid: Grid,
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
    /// What the segmenter placed, taken in order.
    placed: Vec<Placed>,
    /// The reports that are data quality, per day.
    quality: QualityLog,
    /// The segmenter's second tracks, held to be told apart: a shared MMSI
    /// or jumps.
    second_tracks: SharedMmsiLog,
    /// Events the segmenter gives (second tracks), taken at once.
    segment_events: Vec<Event>,
    /// The newest report the detectors that judge the MMSI's broadcast
    /// (gaps, circles) were given: a candidate track's reports, given when
    /// it is established, are older and skip them.
    broadcast_until: Option<Timestamp>,
    /// Identity events (indices, by time) still to be given a position.
    to_place: Vec<usize>,
    placed_changes: usize,
    last_position: Option<LatLon>,
}

struct TrackDetectors<'g> {
    port_visit: PortVisitDetector<'g>,
    loitering: LoiteringDetector<'g>,
    confined: ConfinedDetector<'g>,
    grid: GridSampler,
    /// The track's latest report, with the speed it was given.
    last: Option<Fix>,
}

impl<'g> TrackDetectors<'g> {
    fn new(profiles: &Profiles, gazetteer: &'g Gazetteer, land: &'g Land) -> TrackDetectors<'g> {
        TrackDetectors {
            port_visit: PortVisitDetector::new(profiles.port_visit.clone(), gazetteer),
            loitering: LoiteringDetector::new(profiles.loitering.clone(), land),
            confined: ConfinedDetector::new(profiles.loitering.clone(), land),
            grid: GridSampler::default(),
            last: None,
        }
    }

    fn finish(mut self, events: &mut Vec<Event>) {
        events.extend(self.port_visit.finish());
        events.extend(self.loitering.finish());
        events.extend(self.confined.finish());
    }
}

impl<'g> VesselDetectors<'g> {
    fn new(shared: &Shared<'g>) -> VesselDetectors<'g> {
        let Shared { profiles, gazetteer, land, .. } = *shared;
        VesselDetectors {
            gap: GapDetector::new(profiles.gap.clone(), gazetteer, land),
            on_land: OnLandDetector::new(profiles.on_land.clone(), land, gazetteer),
            segments: SegmentDetector::new(profiles.segments.clone()),
            circle: CircleDetector::new(profiles.circle.clone()),
            tracks: Vec::new(),
            resting: None,
            placed: Vec::new(),
            quality: QualityLog::new(profiles.segments.name.clone()),
            second_tracks: SharedMmsiLog::default(),
            segment_events: Vec::new(),
            broadcast_until: None,
            to_place: Vec::new(),
            placed_changes: 0,
            last_position: None,
        }
    }

    fn feed(
        &mut self,
        row: &Fix,
        shared: &Shared<'g>,
        events: &mut Vec<Event>,
        grid_buffer: &mut GridBuffer,
        placing: &mut [Event],
    ) {
        if row.mmsi.not_one_station().is_some() {
            events.extend(self.quality.add(row, OutlierKind::InvalidMmsi));
            return;
        }
        self.segments.feed(row, &mut self.segment_events, &mut self.placed);
        self.take_placed(shared, events, grid_buffer);
        self.segment_events.drain(..).for_each(|e| self.second_tracks.add(e));
        // The first report at or after a change places it.
        while let Some(&i) = self.to_place.get(self.placed_changes) {
            if placing[i].end > row.time {
                break;
            }
            placing[i].position = Some(row.position());
            self.placed_changes += 1;
        }
        self.last_position = Some(row.position());
    }

    /// What the segmenter placed, in its order: reports to the detectors,
    /// outliers to the quality log, closed tracks retired.
    fn take_placed(&mut self, shared: &Shared<'g>, events: &mut Vec<Event>, grid_buffer: &mut GridBuffer) {
        // By reference: a report is not copied on its way to the detectors.
        let mut placed = std::mem::take(&mut self.placed);
        for Placed { fix, what } in &placed {
            match *what {
                Placement::OnTrack(segment) => self.feed_track(fix, segment, shared, events, grid_buffer),
                Placement::Outlier(kind) => events.extend(self.quality.add(fix, kind)),
                Placement::Closed { id, second } => self.retire_track(id, second, events),
                Placement::TimeShifted { positions, .. } => {
                    events.extend(self.quality.add_many(fix, OutlierKind::TimeShifted, positions))
                }
            }
        }
        placed.clear();
        self.placed = placed;
    }

    /// A report on one of the segmenter's tracks.
    fn feed_track(
        &mut self,
        row: &Fix,
        segment: u32,
        shared: &Shared<'g>,
        events: &mut Vec<Event>,
        grid_buffer: &mut GridBuffer,
    ) {
        if self.broadcast_until.is_none_or(|until| row.time >= until) {
            events.extend(self.gap.feed(row));
            events.extend(self.circle.feed(row));
            self.broadcast_until = Some(row.time);
        }
        events.extend(self.on_land.feed(row, segment));
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
        let derived = derived_speed(row, track.last.as_ref());
        let row = derived.as_ref().unwrap_or(row);
        track.last = Some(*row);
        events.extend(track.port_visit.feed(row));
        events.extend(track.loitering.feed(row));
        events.extend(track.confined.feed(row));
        track.grid.feed(row, &shared.grid, grid_buffer);
    }

    /// A second track that closed is finished; a main track that closed
    /// rests until the vessel is heard again; the on-land runs of both are
    /// judged.
    fn retire_track(&mut self, id: u32, second: bool, events: &mut Vec<Event>) {
        events.extend(self.on_land.close(id));
        let Some(index) = self.tracks.iter().position(|(t, _)| *t == id) else { return };
        let (_, track) = self.tracks.swap_remove(index);
        if second {
            track.finish(events);
        } else if let Some(earlier) = self.resting.replace(track) {
            earlier.finish(events);
        }
    }

    fn finish(
        &mut self,
        coverage: &Coverage,
        shared: &Shared<'g>,
        events: &mut Vec<Event>,
        grid_buffer: &mut GridBuffer,
        placing: &mut [Event],
    ) {
        self.segments.finish(&mut self.segment_events, &mut self.placed);
        self.take_placed(shared, events, grid_buffer);
        self.segment_events.drain(..).for_each(|e| self.second_tracks.add(e));
        events.extend(self.second_tracks.finish());
        events.extend(self.gap.finish(coverage));
        events.extend(self.circle.finish());
        events.extend(self.quality.finish());
        events.extend(self.on_land.finish());
        for (_, track) in self.tracks.drain(..) {
            track.finish(events);
        }
        if let Some(track) = self.resting.take() {
            track.finish(events);
        }
        // Changes after the vessel's last report: where it was last seen.
        for &i in &self.to_place[self.placed_changes..] {
            placing[i].position = self.last_position;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rows::position;

    #[test]
    fn a_report_without_speed_is_given_the_speed_its_track_implies() {
        let mut first = position(1, 0, 42.0, 131.0, 0.0);
        first.sog_knots = None;
        assert_eq!(derived_speed(&first, None), None, "nothing to measure from");
        // 10 minutes later, 1 nm north: 6 kn.
        let mut second = position(1, 600_000, 42.0 + 1.0 / 60.0, 131.0, 0.0);
        second.sog_knots = None;
        let derived = derived_speed(&second, Some(&first)).unwrap().sog_knots.unwrap();
        assert!((derived - 6.0).abs() < 0.05, "{derived}");
        // Seconds later: the previous speed, not the noise's.
        let mut third = position(1, 605_000, 42.0 + 1.0 / 60.0 + 0.0001, 131.0, 0.0);
        third.sog_knots = None;
        let given = derived_speed(&second, Some(&first)).unwrap();
        assert_eq!(derived_speed(&third, Some(&given)).unwrap().sog_knots, given.sog_knots);
        // A reported speed is kept as it is.
        assert_eq!(derived_speed(&position(1, 0, 42.0, 131.0, 3.5), Some(&first)), None);
    }
}
