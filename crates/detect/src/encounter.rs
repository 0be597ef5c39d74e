//! Encounters (ship-to-ship), after Global Fishing Watch and Skylight: on
//! the shared 10-minute grid ([`crate::grid`]), two vessels within a
//! profile's `max_distance_m` in consecutive slots make a run; runs of the
//! same pair less than `merge_within_hours` apart are joined; a joined run
//! is published when it lasts at least `min_hours`, its median speed (both
//! vessels) is at most `max_median_speed_knots`, and it lies neither on
//! land nor within `min_port_distance_km` of a port or anchorage.
//!
//! GFW: 0.5 km, 2 h, 2 kn, 10 km, merged within 4 h. Skylight: 250 m for
//! 30 min. Navigational status plays no part: ships in a ship-to-ship
//! transfer are moored to each other, or one at anchor, 100 km offshore;
//! the world's ports and anchorages are what keep berths out.
//!
//! Pairs are found slot by slot with a sorted grid of cells the size of
//! the widest profile's distance: each vessel looks only at its own and
//! the neighbouring cells. (Pairs across the antimeridian are not found.)

use std::collections::{BTreeMap, HashMap};

use tumen_model::{LatLon, METRES_PER_DEGREE, Mmsi, Timestamp};
use tumen_places::{Gazetteer, Land};

use crate::event::{Event, EventKind, Evidence, Value};
use crate::grid::{Grid, GridPoint};
use crate::profile::EncounterProfile;

/// Two vessels' points in one slot within the search distance (the widest
/// profile's): `a` is the lower MMSI.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairHit {
    pub slot: i64,
    pub a: GridPoint,
    pub b: GridPoint,
    pub metres: f64,
}

impl PairHit {
    pub fn pair(&self) -> (u32, u32) {
        (self.a.mmsi, self.b.mmsi)
    }

    /// Orders the hits of one pair in one slot (a vessel with two
    /// transmitters has two points in it): the closer first, ties broken by
    /// the points, so which one counts does not depend on the order the
    /// points came in — or on which partition of a distributed run found it.
    fn closeness(&self) -> (u64, u64, u64, u32, u32, u32, u32) {
        (
            self.metres.to_bits(),
            self.a.record,
            self.b.record,
            self.a.lat_deg.to_bits(),
            self.a.lon_deg.to_bits(),
            self.b.lat_deg.to_bits(),
            self.b.lon_deg.to_bits(),
        )
    }
}

/// Sorts hits by pair, then slot, keeping one hit per pair and slot: the
/// closest (see `PairHit::closeness`).
pub fn closest_per_pair_and_slot(hits: &mut Vec<PairHit>) {
    hits.sort_unstable_by_key(|h| (h.pair(), h.slot, h.closeness()));
    hits.dedup_by_key(|h| (h.pair(), h.slot));
}

/// Finds the pairs of a slot's points within the search distance, with a
/// sorted grid of cells the size of that distance: each point looks only at
/// its own and the neighbouring cells.
#[derive(Clone)]
pub struct PairSearch {
    search_m: f64,
    keys: Vec<(u64, u32)>,
}

impl PairSearch {
    /// Searching as far as the widest of `profiles` asks.
    pub fn new(profiles: &[EncounterProfile]) -> PairSearch {
        PairSearch { search_m: search_distance_m(profiles), keys: Vec::new() }
    }

    /// The pairs among `points` (one slot's) within the search distance,
    /// of which the lower-MMSI point is one `finds` accepts (a partition of
    /// a distributed run finds the pairs of the points it owns, the others
    /// being its halo); at most one hit per pair, the closest.
    pub fn hits(&mut self, slot: i64, points: &[GridPoint], finds: impl Fn(usize) -> bool) -> Vec<PairHit> {
        let cell_m = self.search_m.max(1.0);
        self.keys.clear();
        self.keys.extend(points.iter().enumerate().map(|(i, p)| {
            let (row, column) = cell_of(p, cell_m);
            (key(row, column), i as u32)
        }));
        self.keys.sort_unstable();
        let mut hits = Vec::new();
        for (i, p) in points.iter().enumerate() {
            if !finds(i) {
                continue;
            }
            let (row, _) = cell_of(p, cell_m);
            let half_width_deg = self.search_m / (METRES_PER_DEGREE * cos_poleward(f64::from(p.lat_deg), cell_m));
            for r in row - 1..=row + 1 {
                let width = column_width_deg(r, cell_m);
                let west = ((f64::from(p.lon_deg) - half_width_deg) / width).floor() as i64;
                let east = ((f64::from(p.lon_deg) + half_width_deg) / width).floor() as i64;
                let start = self.keys.partition_point(|&(k, _)| k < key(r, west));
                for &(k, j) in &self.keys[start..] {
                    if k > key(r, east) {
                        break;
                    }
                    let q = &points[j as usize];
                    if q.mmsi <= p.mmsi {
                        continue;
                    }
                    let metres = p.position().near_distance_m(q.position());
                    if metres <= self.search_m {
                        hits.push(PairHit { slot, a: *p, b: *q, metres });
                    }
                }
            }
        }
        closest_per_pair_and_slot(&mut hits);
        hits
    }
}

/// The widest distance any profile asks for.
pub fn search_distance_m(profiles: &[EncounterProfile]) -> f64 {
    profiles.iter().map(|p| p.max_distance_m).fold(0.0, f64::max)
}

/// Encounters found from pair hits, for every encounter profile. Each pair
/// is followed on its own, so hits may come slot after slot for every pair
/// (one machine) or pair after pair, each pair's in slot order (a
/// distributed run partitioned by pair): the events are the same.
pub struct EncounterFinder<'g> {
    grid: Grid,
    profiles: Vec<ProfileRuns>,
    gazetteer: &'g Gazetteer,
    land: &'g Land,
    search: PairSearch,
}

struct ProfileRuns {
    profile: EncounterProfile,
    /// Slots a pair may be apart and still be one run.
    merge_slots: i64,
    /// Each pair's latest run, which a later hit may still continue.
    open: HashMap<(u32, u32), Run>,
}

impl ProfileRuns {
    /// A hit continues its pair's open run when at most `merge_slots`
    /// (and always the very next slot) after the run's last; else that run
    /// is over and a new one begins.
    fn hit(&mut self, hit: &PairHit, done: &mut Vec<Run>) {
        if hit.metres > self.profile.max_distance_m {
            return;
        }
        let key = hit.pair();
        match self.open.get_mut(&key) {
            Some(run) if hit.slot - run.last_slot <= self.merge_slots.max(1) => {
                run.add(hit.slot, hit.a, hit.b, hit.metres);
            }
            Some(run) => {
                done.push(std::mem::replace(run, Run::new(hit.slot, hit.a, hit.b, hit.metres)));
            }
            None => {
                self.open.insert(key, Run::new(hit.slot, hit.a, hit.b, hit.metres));
            }
        }
    }

    /// Runs no hit at `slot` or later can continue.
    fn expire(&mut self, slot: i64, done: &mut Vec<Run>) {
        let reach = self.merge_slots.max(1);
        let expired: Vec<(u32, u32)> =
            self.open.iter().filter(|(_, run)| slot - run.last_slot > reach).map(|(key, _)| *key).collect();
        done.extend(expired.iter().map(|key| self.open.remove(key).expect("an open run")));
    }
}

impl<'g> EncounterFinder<'g> {
    pub fn new(
        grid: Grid,
        profiles: Vec<EncounterProfile>,
        gazetteer: &'g Gazetteer,
        land: &'g Land,
    ) -> EncounterFinder<'g> {
        let search = PairSearch::new(&profiles);
        let profiles = profiles
            .into_iter()
            .map(|profile| {
                let merge_slots = (profile.merge_within_hours * 3_600_000.0 / grid.step_ms as f64) as i64;
                ProfileRuns { profile, merge_slots, open: HashMap::new() }
            })
            .collect();
        EncounterFinder { grid, profiles, gazetteer, land, search }
    }

    /// The encounters that slot `slot` (every vessel's point at that time)
    /// completes. Slots must come in time order.
    pub fn slot(&mut self, slot: i64, points: &[GridPoint]) -> Vec<Event> {
        let hits = self.search.hits(slot, points, |_| true);
        self.slot_hits(slot, &hits)
    }

    /// Feeds `slot`'s hits (all of them, found by [`PairSearch::hits`]);
    /// the encounters they and the slot's passing end.
    fn slot_hits(&mut self, slot: i64, hits: &[PairHit]) -> Vec<Event> {
        let mut events = self.hits(hits);
        events.extend(self.expire(slot));
        events
    }

    /// [`EncounterFinder::slot`] for many slots (in time order), the
    /// search of each slot's pairs on `threads` threads at once — a slot's
    /// search needs no other slot; the runs it extends do, so hits are fed
    /// to them in slot order, on this thread. Slots are searched a group
    /// at a time, so that the hits held stay a group's.
    pub fn slots(&mut self, slots: &[(i64, Vec<GridPoint>)], threads: usize) -> Vec<Event> {
        const SLOTS_PER_GROUP: usize = 64;
        let mut events = Vec::new();
        for group in slots.chunks(SLOTS_PER_GROUP) {
            let share = group.len().div_ceil(threads.max(1));
            let search = &self.search;
            let hits: Vec<Vec<PairHit>> = std::thread::scope(|scope| {
                let searches: Vec<_> = group
                    .chunks(share)
                    .map(|part| {
                        let mut search = search.clone();
                        scope.spawn(move || {
                            part.iter().map(|(slot, points)| search.hits(*slot, points, |_| true)).collect::<Vec<_>>()
                        })
                    })
                    .collect();
                searches.into_iter().flat_map(|s| s.join().expect("a pair search does not panic")).collect()
            });
            for ((slot, _), hits) in group.iter().zip(hits) {
                events.extend(self.slot_hits(*slot, &hits));
            }
        }
        events
    }

    /// Feeds hits: each pair's in slot order, at most one per pair and
    /// slot (as [`closest_per_pair_and_slot`] leaves them). Returns the
    /// encounters they end.
    pub fn hits(&mut self, hits: &[PairHit]) -> Vec<Event> {
        self.end_runs(|state, done| hits.iter().for_each(|hit| state.hit(hit, done)))
    }

    /// The encounters no hit at `slot` or later can extend (keeps memory to
    /// the runs under way).
    fn expire(&mut self, slot: i64) -> Vec<Event> {
        self.end_runs(|state, done| state.expire(slot, done))
    }

    /// At the end of the data, every run that qualifies.
    pub fn finish(&mut self) -> Vec<Event> {
        self.end_runs(|state, done| done.extend(state.open.drain().map(|(_, run)| run)))
    }

    /// The encounters among the runs `end` ends, for each profile.
    fn end_runs(&mut self, mut end: impl FnMut(&mut ProfileRuns, &mut Vec<Run>)) -> Vec<Event> {
        let mut events = Vec::new();
        for state in &mut self.profiles {
            let mut done = Vec::new();
            end(state, &mut done);
            events.extend(
                done.into_iter().filter_map(|run| publish(&state.profile, self.grid, self.gazetteer, self.land, run)),
            );
        }
        events
    }
}

#[derive(Clone)]
struct Run {
    /// The pair's MMSIs, lower first.
    pair: (u32, u32),
    first_slot: i64,
    last_slot: i64,
    /// Both vessels' speeds at every slot (for the median).
    speeds_centiknots: Vec<u16>,
    slots: u32,
    lat_sum: f64,
    lon_sum: f64,
    min_distance_m: f64,
    max_distance_m: f64,
    first: (GridPoint, GridPoint),
    closest: (GridPoint, GridPoint),
    closest_slot: i64,
    last: (GridPoint, GridPoint),
}

impl Run {
    fn new(slot: i64, a: GridPoint, b: GridPoint, metres: f64) -> Run {
        let mut run = Run {
            pair: (a.mmsi, b.mmsi),
            first_slot: slot,
            last_slot: slot,
            speeds_centiknots: Vec::new(),
            slots: 0,
            lat_sum: 0.0,
            lon_sum: 0.0,
            min_distance_m: metres,
            max_distance_m: metres,
            first: (a, b),
            closest: (a, b),
            closest_slot: slot,
            last: (a, b),
        };
        run.add(slot, a, b, metres);
        run
    }

    fn add(&mut self, slot: i64, a: GridPoint, b: GridPoint, metres: f64) {
        self.last_slot = slot;
        self.speeds_centiknots.extend([a.speed_centiknots, b.speed_centiknots]);
        self.slots += 1;
        self.lat_sum += f64::from(a.lat_deg) + f64::from(b.lat_deg);
        self.lon_sum += f64::from(a.lon_deg) + f64::from(b.lon_deg);
        if metres < self.min_distance_m {
            self.min_distance_m = metres;
            self.closest = (a, b);
            self.closest_slot = slot;
        }
        self.max_distance_m = self.max_distance_m.max(metres);
        self.last = (a, b);
    }

    fn centre(&self) -> LatLon {
        let n = 2.0 * f64::from(self.slots);
        LatLon { lat_deg: self.lat_sum / n, lon_deg: self.lon_sum / n }
    }

    fn median_speed_knots(&mut self) -> f64 {
        let middle = self.speeds_centiknots.len() / 2;
        let (_, median, _) = self.speeds_centiknots.select_nth_unstable(middle);
        f64::from(*median) / 100.0
    }
}

/// Grid cells: rows of `cell_m` in latitude; in each row, columns at
/// least `cell_m` wide at the row's poleward edge.
fn cell_of(p: &GridPoint, cell_m: f64) -> (i64, i64) {
    let row = (f64::from(p.lat_deg) * METRES_PER_DEGREE / cell_m).floor() as i64;
    (row, (f64::from(p.lon_deg) / column_width_deg(row, cell_m)).floor() as i64)
}

fn column_width_deg(row: i64, cell_m: f64) -> f64 {
    let (south, north) = (row as f64 * cell_m / METRES_PER_DEGREE, (row + 1) as f64 * cell_m / METRES_PER_DEGREE);
    let poleward = south.abs().max(north.abs()).min(89.0);
    cell_m / (METRES_PER_DEGREE * poleward.to_radians().cos())
}

fn cos_poleward(lat_deg: f64, cell_m: f64) -> f64 {
    (lat_deg.abs() + cell_m / METRES_PER_DEGREE).min(89.0).to_radians().cos()
}

/// Rows and columns packed so that one row's columns sort together.
fn key(row: i64, column: i64) -> u64 {
    (((row + (1 << 31)) as u64) << 32) | ((column + (1 << 31)) as u64 & 0xffff_ffff)
}

fn publish(profile: &EncounterProfile, grid: Grid, gazetteer: &Gazetteer, land: &Land, mut run: Run) -> Option<Event> {
    let (a, b) = run.pair;
    let hours = (run.last_slot - run.first_slot) as f64 * grid.step_ms as f64 / 3_600_000.0;
    if hours < profile.min_hours {
        return None;
    }
    let median_knots = run.median_speed_knots();
    if median_knots > profile.max_median_speed_knots {
        return None;
    }
    let centre = run.centre();
    if land.is_on_land(centre.lat_deg, centre.lon_deg) {
        return None;
    }
    let near_port = gazetteer.first_within(centre, profile.min_port_distance_km * 1000.0, |p| p.kind.is_maritime());
    if near_port.is_some() {
        return None;
    }
    let start = Timestamp::from_unix_ms(run.first_slot * grid.step_ms);
    let end = Timestamp::from_unix_ms(run.last_slot * grid.step_ms);
    let mut attributes = BTreeMap::new();
    attributes.insert("duration_hours", Value::Number(hours));
    attributes.insert("median_speed_knots", Value::Number(median_knots));
    attributes.insert("min_distance_m", Value::Number(run.min_distance_m));
    attributes.insert("max_distance_m", Value::Number(run.max_distance_m));
    attributes.insert("distance_to_shore_km", Value::Number(land.distance_to_shore_km(centre.lat_deg, centre.lon_deg)));
    let evidence_of = |point: &GridPoint, slot_ms: i64, role: &'static str| {
        let (source_id, line) = point.record();
        Evidence { source_id, line, time: Timestamp::from_unix_ms(slot_ms), position: Some(point.position()), role }
    };
    let step = grid.step_ms;
    let closest_slot_ms = run.closest_slot * step;
    let evidence = vec![
        evidence_of(&run.first.0, run.first_slot * step, "first vessel at the start (nearest report)"),
        evidence_of(&run.first.1, run.first_slot * step, "second vessel at the start (nearest report)"),
        evidence_of(&run.closest.0, closest_slot_ms, "first vessel at the closest approach (nearest report)"),
        evidence_of(&run.closest.1, closest_slot_ms, "second vessel at the closest approach (nearest report)"),
        evidence_of(&run.last.0, run.last_slot * step, "first vessel at the end (nearest report)"),
        evidence_of(&run.last.1, run.last_slot * step, "second vessel at the end (nearest report)"),
    ];
    let mmsis = vec![Mmsi(a), Mmsi(b)];
    Some(Event {
        id: Event::make_id(EventKind::Encounter, &mmsis, start, &profile.name),
        kind: EventKind::Encounter,
        mmsis,
        start,
        end,
        position: Some(centre),
        place: gazetteer.containing(centre).first().map(|p| p.id.clone()),
        attributes,
        confidence: if hours >= 2.0 * profile.min_hours.max(1.0) { 3 } else { 2 },
        profile: profile.name.clone(),
        evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{GridBuffer, GridSampler};
    use crate::test_rows::position;

    const SLOT_MS: i64 = 600_000;

    /// Two vessels side by side (`apart_m`) at `(lat, lon)` over `slots`
    /// (10-minute slots, each reporting every minute), `moored` or not.
    fn side_by_side(
        slots: std::ops::Range<i64>,
        lat: f64,
        lon: f64,
        apart_m: f64,
        moored: bool,
    ) -> Vec<(i64, Vec<GridPoint>)> {
        let (grid, mut buffer) = (Grid::default(), GridBuffer::default());
        for (mmsi, offset_m) in [(1, 0.0), (2, apart_m)] {
            let at = LatLon { lat_deg: lat, lon_deg: lon }.destination(90.0, offset_m);
            let mut sampler = GridSampler::default();
            for minute in slots.start * 10..=slots.end * 10 {
                let mut row = position(mmsi, minute * 60_000, at.lat_deg, at.lon_deg, 0.3);
                row.nav_status = Some(if moored { 5 } else { 0 });
                sampler.feed(&row, &grid, &mut buffer);
            }
        }
        buffer.take_all()
    }

    fn find(profile: EncounterProfile, slots: &[(i64, Vec<GridPoint>)]) -> Vec<Event> {
        let mut finder = EncounterFinder::new(Grid::default(), vec![profile], Gazetteer::embedded(), Land::embedded());
        let mut events: Vec<Event> = slots.iter().flat_map(|(slot, points)| finder.slot(*slot, points)).collect();
        events.extend(finder.finish());
        events
    }

    #[test]
    fn two_runs_four_hours_apart_are_one_encounter_and_short_or_far_ones_are_not() {
        // Mid Sea of Japan: 3 h together, 2 h apart (no reports), 1 h together.
        let mut slots = side_by_side(0..18, 40.5, 134.5, 100.0, false);
        slots.extend(side_by_side(30..36, 40.5, 134.5, 100.0, false));
        let events = find(EncounterProfile::gfw(), &slots);
        assert_eq!(events.len(), 1, "{events:#?}");
        let e = &events[0];
        assert_eq!(e.mmsis, [Mmsi(1), Mmsi(2)]);
        assert_eq!((e.start.unix_ms(), e.end.unix_ms()), (0, 36 * SLOT_MS));
        assert_eq!(e.evidence.len(), 6);
        // Under 2 hours, 600 m apart, or moored side by side near Najin: none.
        assert!(find(EncounterProfile::gfw(), &side_by_side(0..11, 40.5, 134.5, 100.0, false)).is_empty());
        assert!(find(EncounterProfile::gfw(), &side_by_side(0..18, 40.5, 134.5, 600.0, false)).is_empty());
        assert!(find(EncounterProfile::gfw(), &side_by_side(0..18, 42.20, 130.36, 100.0, true)).is_empty());
        // Moored to each other offshore: a ship-to-ship transfer.
        assert_eq!(find(EncounterProfile::gfw(), &side_by_side(0..18, 40.5, 134.5, 100.0, true)).len(), 1);
        // Skylight: 250 m for 30 minutes is enough.
        assert_eq!(find(EncounterProfile::skylight(), &side_by_side(0..5, 40.5, 134.5, 100.0, false)).len(), 1);
    }

    #[test]
    fn slots_searched_on_several_threads_find_what_one_slot_at_a_time_finds() {
        // Several encounters, one across a gap and groups of 64 slots.
        let mut slots = side_by_side(0..18, 40.5, 134.5, 100.0, false);
        slots.extend(side_by_side(30..36, 40.5, 134.5, 100.0, false));
        slots.extend(side_by_side(100..190, 40.5, 134.5, 150.0, false));
        for profile in [EncounterProfile::gfw(), EncounterProfile::skylight()] {
            let expected = find(profile.clone(), &slots);
            assert!(expected.len() >= 2, "{expected:#?}");
            for threads in [1, 2, 3, 200] {
                let mut finder = EncounterFinder::new(
                    Grid::default(),
                    vec![profile.clone()],
                    Gazetteer::embedded(),
                    Land::embedded(),
                );
                let mut events = finder.slots(&slots, threads);
                events.extend(finder.finish());
                assert_eq!(events, expected, "{threads} threads");
            }
        }
    }

    #[test]
    fn cells_find_pairs_across_their_edges_at_any_latitude() {
        for lat in [0.0, 42.0, 70.0, -60.0] {
            for offset_m in [10.0, 240.0, 490.0] {
                for bearing in [0.0, 45.0, 90.0, 135.0] {
                    let a = LatLon { lat_deg: lat, lon_deg: 131.0 };
                    let b = a.destination(bearing, offset_m);
                    let point = |mmsi, p: LatLon| GridPoint {
                        mmsi,
                        lat_deg: p.lat_deg as f32,
                        lon_deg: p.lon_deg as f32,
                        speed_centiknots: 0,
                        record: 0,
                    };
                    let mut finder = EncounterFinder::new(
                        Grid::default(),
                        vec![EncounterProfile::gfw()],
                        Gazetteer::embedded(),
                        Land::embedded(),
                    );
                    let pairs = finder.search.hits(0, &[point(1, a), point(2, b)], |_| true);
                    assert_eq!(pairs.len(), 1, "lat {lat} offset {offset_m} bearing {bearing}");
                }
            }
        }
    }
}
