//! Who each dark sighting was, weighed across sightings.
//!
//! A dark detection names the silent vessels that could have been it, each
//! with a score (length agreement × reachability, `tumen_fusion::dark`).
//! Read one at a time, two ships of similar length that shuttle between the
//! same ports are each named at every sighting of either — and a chain
//! built on "any candidate" joins a sighting of one ship at the origin to a
//! sighting of the other at the destination. Here the sightings are
//! explained together, as accounts of where each ship was:
//!
//! - one sighting is one ship (a sighting explained by one ship is not
//!   evidence for another), and two sightings in one image are two ships;
//! - a ship cannot be at two places closer in time than it can sail between
//!   them (great-circle distance at [`MAX_SPEED_KNOTS`], less
//!   [`POSITION_SLACK_M`]: the sea route is longer, so this only rules out
//!   the impossible);
//! - a ship's AIS port visits are where it was;
//! - a ship that stayed at a port between two of its sightings there was
//!   in every image of the port taken meanwhile, and an image misses a
//!   ship with probability `1 −` [`SIGHTING_PROBABILITY`]: an account that
//!   keeps a ship in port through images that did not see it pays for each
//!   (or for a trip away and back, [`ROUND_TRIP_LIKELIHOOD`], whichever is
//!   likelier). This is what tells two shuttling ships apart when their
//!   lengths cannot: which of them was *not* seen.
//!
//! The accounts are summed, not just the likeliest taken: a forward pass
//! over the observations in time order keeps [`BEAM_WIDTH`] states (each
//! ship's last observation), accounts reaching one state added together.
//! A probability is the mass of the accounts that satisfy a condition
//! against the mass of all: a sighting's identity (`P(i = s)`), or a sea
//! leg — the ship at a stay at the origin, next at a stay at the
//! destination, and at none of the corridor's sightings between
//! ([`Identities::leg_probability`]).

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use geo::{Contains, Coord, LineString, Point, Polygon};
use tumen_model::event::DARK_CANDIDATE_SCORE_KEYS;
use tumen_model::{Event, EventKind};
use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE, Mmsi, Scene, Timestamp};

use crate::link::number;

/// The fastest a ship is taken to sail between two sightings: above any
/// cargo ship's service speed, so only the impossible is ruled out.
pub const MAX_SPEED_KNOTS: f64 = 20.0;
/// Distance two sightings of one ship may be apart at no time apart: the
/// detection's position error and moves within a port.
pub const POSITION_SLACK_M: f64 = 2_000.0;
/// Two sightings this close are at one place (one port or anchorage).
pub const SAME_PLACE_M: f64 = 5_000.0;
/// The likelihood that a sighting was none of its candidates, against a
/// candidate's score (which is at most 1).
pub const NONE_LIKELIHOOD: f64 = 0.1;
/// The probability that an image of a port shows a ship there as a dark
/// detection: a SAR or optical scene finds a ship over 100 m with
/// probability ~0.9, and some detections fall below the confidence a dark
/// detection needs.
pub const SIGHTING_PROBABILITY: f64 = 0.75;
/// The likelihood that a ship seen twice at one port left and came back
/// between, unseen (against staying, seen or missed by each image).
pub const ROUND_TRIP_LIKELIHOOD: f64 = 0.1;
/// The least time a trip away and back takes.
const ROUND_TRIP_MIN_MS: i64 = 24 * 3_600_000;
/// Accounts kept at each step of the search.
pub const BEAM_WIDTH: usize = 512;
/// An account an AIS visit contradicts: this much less likely.
const IMPOSSIBLE_LOG: f64 = -50.0;

/// Where a vessel was: an AIS port visit (its vessel known) or a dark
/// sighting (its candidates, each with its score).
#[derive(Clone, Debug)]
struct Observation<'e> {
    event: &'e Event,
    position: LatLon,
    /// Candidate ship and likelihood; one with likelihood 1 for AIS.
    candidates: Vec<(Mmsi, f64)>,
    known: bool,
}

/// An image: when, and what it covered.
struct Look {
    time: Timestamp,
    footprint: Polygon<f64>,
}

impl Look {
    fn of(scene: &Scene) -> Option<Look> {
        (scene.footprint.len() >= 4).then(|| {
            let ring: Vec<Coord<f64>> = scene.footprint.iter().map(|p| Coord { x: p.lon_deg, y: p.lat_deg }).collect();
            Look { time: scene.time, footprint: Polygon::new(LineString::from(ring), Vec::new()) }
        })
    }

    fn covers(&self, position: LatLon) -> bool {
        self.footprint.contains(&Point::new(position.lon_deg, position.lat_deg))
    }
}

/// Who each sighting was, and the searches that can answer more.
#[derive(Default)]
pub struct Identities<'e> {
    /// By dark detection id: each candidate's probability, likeliest first.
    by_event: BTreeMap<String, Identity>,
    searches: Vec<Search<'e>>,
    /// Each ship's search.
    search_of: BTreeMap<Mmsi, usize>,
}

/// One sighting's identity.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    /// Each candidate and the probability that the sighting was it,
    /// likeliest first; what they leave short of 1 is the probability that
    /// it was none of them.
    pub probabilities: Vec<(Mmsi, f64)>,
}

impl Identity {
    /// The probability that the sighting was `ship`.
    pub fn probability_of(&self, ship: Mmsi) -> f64 {
        self.probabilities.iter().find(|(m, _)| *m == ship).map_or(0.0, |(_, p)| *p)
    }
}

impl<'e> Identities<'e> {
    /// The identity of the dark detection `event_id`, if it was weighed.
    pub fn of(&self, event_id: &str) -> Option<&Identity> {
        self.by_event.get(event_id)
    }

    /// The probability that `ship` sailed a sea leg: it was at (at least
    /// one of) the `origin` sightings, then at the `destination` ones, and
    /// at none of the sightings `between` that name it. A side with one of
    /// the ship's AIS visits is certain; a ship no sighting names is 1 (its
    /// calls are all AIS).
    pub fn leg_probability(&self, ship: Mmsi, origin: &[&Event], destination: &[&Event], between: &[&Event]) -> f64 {
        let Some(search) = self.search_of.get(&ship).map(|&s| &self.searches[s]) else { return 1.0 };
        let Some(slot) = search.slot(ship) else { return 1.0 };
        let mut constraints = Vec::new();
        for side in [origin, destination] {
            if side.iter().any(|e| e.kind == EventKind::PortVisit && e.mmsis.contains(&ship)) {
                continue;
            }
            let at: Vec<usize> =
                side.iter().filter_map(|e| search.index(&e.id)).filter(|&i| search.names(i, slot)).collect();
            if at.is_empty() {
                return 0.0;
            }
            constraints.push(Constraint::AtLeastOne(at, slot));
        }
        if constraints.is_empty() {
            return 1.0;
        }
        let not: Vec<usize> =
            between.iter().filter_map(|e| search.index(&e.id)).filter(|&i| search.names(i, slot)).collect();
        if !not.is_empty() {
            constraints.push(Constraint::NoneOf(not, slot));
        }
        search.probability(&constraints)
    }
}

/// Weighs who each dark detection in `events` was, together with the
/// candidates' AIS port visits and the images of `scenes`; the identities
/// of those `wanted` are kept (every sighting still weighs on them: a ship
/// seen at sea between two ports is a ship not in port).
pub fn identify<'e>(events: &'e [Event], scenes: &[Scene], wanted: impl Fn(&Event) -> bool) -> Identities<'e> {
    let mut looks: Vec<Look> = scenes.iter().filter_map(Look::of).collect();
    looks.sort_by_key(|l| l.time);
    let looks = Rc::new(looks);
    let mut identities = Identities::default();
    for group in groups(observations(events)) {
        let search = Search::new(group, Rc::clone(&looks));
        for (i, observation) in search.observations.iter().enumerate().filter(|(_, o)| !o.known && wanted(o.event)) {
            let mut probabilities: Vec<(Mmsi, f64)> = search.options[i]
                .iter()
                .map(|&(slot, _)| {
                    (search.ships[slot as usize], search.probability(&[Constraint::AtLeastOne(vec![i], slot)]))
                })
                .collect();
            probabilities.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            identities.by_event.insert(observation.event.id.clone(), Identity { probabilities });
        }
        for &ship in &search.ships {
            identities.search_of.insert(ship, identities.searches.len());
        }
        identities.searches.push(search);
    }
    identities
}

fn observations(events: &[Event]) -> Vec<Observation<'_>> {
    let dark: Vec<Observation<'_>> = events
        .iter()
        .filter(|e| e.kind == EventKind::DarkDetection && !e.mmsis.is_empty())
        .filter_map(|e| {
            let candidates = e
                .mmsis
                .iter()
                .zip(DARK_CANDIDATE_SCORE_KEYS)
                .map(|(&m, key)| (m, number(e, key).unwrap_or(0.5).clamp(1e-6, 1.0)))
                .collect();
            Some(Observation { event: e, position: e.position?, candidates, known: false })
        })
        .collect();
    let candidates: BTreeSet<Mmsi> = dark.iter().flat_map(|o| o.candidates.iter().map(|c| c.0)).collect();
    let visits = events
        .iter()
        .filter(|e| e.kind == EventKind::PortVisit && e.mmsis.len() == 1 && candidates.contains(&e.mmsis[0]))
        .filter_map(|e| {
            Some(Observation { event: e, position: e.position?, candidates: vec![(e.mmsis[0], 1.0)], known: true })
        });
    let mut all: Vec<Observation<'_>> = dark.into_iter().chain(visits).collect();
    all.sort_by(|a, b| a.event.start.cmp(&b.event.start).then(a.event.id.cmp(&b.event.id)));
    all
}

/// The observations split into groups that share no candidate ship (each
/// weighed alone: the search's cost grows with the ships in it).
fn groups(observations: Vec<Observation<'_>>) -> Vec<Vec<Observation<'_>>> {
    // Union-find over ships.
    let mut parent: BTreeMap<Mmsi, Mmsi> = BTreeMap::new();
    fn root(parent: &mut BTreeMap<Mmsi, Mmsi>, m: Mmsi) -> Mmsi {
        let p = *parent.entry(m).or_insert(m);
        if p == m {
            return m;
        }
        let r = root(parent, p);
        parent.insert(m, r);
        r
    }
    for o in &observations {
        let first = root(&mut parent, o.candidates[0].0);
        for &(m, _) in &o.candidates[1..] {
            let other = root(&mut parent, m);
            parent.insert(other, first);
        }
    }
    let mut by_root: BTreeMap<Mmsi, Vec<Observation<'_>>> = BTreeMap::new();
    for o in observations {
        let r = root(&mut parent, o.candidates[0].0);
        by_root.entry(r).or_default().push(o);
    }
    by_root.into_values().collect()
}

/// What an account must do to count: give at least one of these
/// observations to the ship (slot), or none of them.
#[derive(Clone, Debug)]
enum Constraint {
    AtLeastOne(Vec<usize>, u16),
    NoneOf(Vec<usize>, u16),
}

/// One state of the search: each ship's last observation, which of the
/// constraints are met, and the log of the accounts' summed likelihood.
#[derive(Clone)]
struct Account {
    last: Vec<Option<u32>>,
    met: u64,
    log_mass: f64,
}

struct Search<'e> {
    observations: Vec<Observation<'e>>,
    ships: Vec<Mmsi>,
    /// Per observation, its candidates as (ship slot, log-likelihood).
    options: Vec<Vec<(u16, f64)>>,
    index_of: HashMap<&'e str, usize>,
    looks: Rc<Vec<Look>>,
    /// The log-likelihood of a ship going from one observation to another
    /// (`None`: it cannot), computed once per pair.
    moves: RefCell<HashMap<(u32, u32), Option<f64>>>,
    /// The log mass of all accounts, the denominator of every probability:
    /// searched once.
    all: OnceCell<f64>,
}

impl<'e> Search<'e> {
    fn new(observations: Vec<Observation<'e>>, looks: Rc<Vec<Look>>) -> Search<'e> {
        let ships: Vec<Mmsi> = observations
            .iter()
            .flat_map(|o| o.candidates.iter().map(|c| c.0))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let slot = |m: Mmsi| ships.binary_search(&m).expect("a candidate") as u16;
        let options = observations
            .iter()
            .map(|o| o.candidates.iter().map(|&(m, likelihood)| (slot(m), likelihood.ln())).collect())
            .collect();
        let index_of = observations.iter().enumerate().map(|(i, o)| (o.event.id.as_str(), i)).collect();
        Search { observations, ships, options, index_of, looks, moves: RefCell::default(), all: OnceCell::new() }
    }

    fn slot(&self, ship: Mmsi) -> Option<u16> {
        self.ships.binary_search(&ship).ok().map(|s| s as u16)
    }

    fn index(&self, event_id: &str) -> Option<usize> {
        self.index_of.get(event_id).copied()
    }

    /// Whether observation `i` may be ship `slot`.
    fn names(&self, i: usize, slot: u16) -> bool {
        self.options[i].iter().any(|o| o.0 == slot)
    }

    /// The log-likelihood of a ship last at observation `last` being at
    /// observation `next`; `None` when it cannot be.
    fn movement(&self, last: Option<u32>, next: usize) -> Option<f64> {
        let Some(last) = last else { return Some(0.0) };
        *self
            .moves
            .borrow_mut()
            .entry((last, next as u32))
            .or_insert_with(|| self.compute_movement(last as usize, next))
    }

    fn compute_movement(&self, last: usize, next: usize) -> Option<f64> {
        let (from, to) = (&self.observations[last], &self.observations[next]);
        if !to.known && !from.known && from.event.start == to.event.start {
            // One instant, one image: two sightings are two ships.
            return None;
        }
        let seconds = to.event.start.ms_since(from.event.end) as f64 / 1000.0;
        let apart_m = from.position.distance_m(to.position);
        let metres = (apart_m - POSITION_SLACK_M).max(0.0);
        let sailable =
            metres <= 0.0 && seconds > -1.0 || seconds * MAX_SPEED_KNOTS * METRES_PER_NAUTICAL_MILE / 3600.0 >= metres;
        if !sailable {
            return None;
        }
        if apart_m > SAME_PLACE_M {
            return Some(0.0);
        }
        // Stayed: every image of the place between missed it. Or left and
        // came back unseen.
        let (after, before) = (from.event.end, to.event.start);
        let first = self.looks.partition_point(|l| l.time <= after);
        let misses = self.looks[first..]
            .iter()
            .take_while(|l| l.time < before)
            .filter(|l| l.covers(from.position) && l.covers(to.position))
            .count();
        let stayed = misses as f64 * (1.0 - SIGHTING_PROBABILITY).ln();
        let round_trip = (before.ms_since(after) >= ROUND_TRIP_MIN_MS).then(|| ROUND_TRIP_LIKELIHOOD.ln());
        Some(round_trip.map_or(stayed, |r| r.max(stayed)))
    }

    /// The probability of the accounts that meet `constraints`, against
    /// all accounts.
    fn probability(&self, constraints: &[Constraint]) -> f64 {
        let all = *self.all.get_or_init(|| self.log_mass(&[]));
        let met = self.log_mass(constraints);
        if all == f64::NEG_INFINITY {
            return 0.0;
        }
        (met - all).exp().clamp(0.0, 1.0)
    }

    /// The log of the summed likelihood of every account that meets
    /// `constraints` (as far as the beam holds them).
    fn log_mass(&self, constraints: &[Constraint]) -> f64 {
        assert!(constraints.len() <= 64, "at most 64 constraints");
        let all_met: u64 = constraints
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c, Constraint::AtLeastOne(..)))
            .fold(0, |mask, (k, _)| mask | 1 << k);
        // The last observation each "at least one" can still be met at.
        let deadline: Vec<usize> = constraints
            .iter()
            .map(|c| match c {
                Constraint::AtLeastOne(at, _) => at.iter().copied().max().unwrap_or(0),
                Constraint::NoneOf(..) => usize::MAX,
            })
            .collect();
        let mut accounts = vec![Account { last: vec![None; self.ships.len()], met: 0, log_mass: 0.0 }];
        for (i, observation) in self.observations.iter().enumerate() {
            let mut next: HashMap<(Vec<Option<u32>>, u64), f64> = HashMap::new();
            let mut offer = |last: Vec<Option<u32>>, met: u64, log_mass: f64| {
                let mass = next.entry((last, met)).or_insert(f64::NEG_INFINITY);
                *mass = log_add(*mass, log_mass);
            };
            let choices = self.options[i].iter().map(|&(slot, ll)| (Some(slot), ll));
            let none = (!observation.known).then_some((None, NONE_LIKELIHOOD.ln()));
            let choices: Vec<(Option<u16>, f64)> = choices.chain(none).collect();
            for account in &accounts {
                'choice: for &(choice, log_likelihood) in &choices {
                    let mut met = account.met;
                    for (k, constraint) in constraints.iter().enumerate() {
                        match constraint {
                            Constraint::AtLeastOne(at, slot) if at.contains(&i) => {
                                if choice == Some(*slot) {
                                    met |= 1 << k;
                                } else if at.len() == 1 {
                                    continue 'choice;
                                }
                            }
                            Constraint::NoneOf(at, slot) if choice == Some(*slot) && at.contains(&i) => {
                                continue 'choice;
                            }
                            _ => {}
                        }
                    }
                    if (0..constraints.len())
                        .any(|k| deadline[k] <= i && all_met & (1 << k) != 0 && met & (1 << k) == 0)
                    {
                        continue;
                    }
                    let Some(slot) = choice else {
                        offer(account.last.clone(), met, account.log_mass + log_likelihood);
                        continue;
                    };
                    let movement = match (self.movement(account.last[slot as usize], i), observation.known) {
                        (Some(log), _) => log,
                        // An AIS visit is a fact: an account it contradicts
                        // is all but ruled out (not dropped, so one remains).
                        (None, true) => IMPOSSIBLE_LOG,
                        (None, false) => continue,
                    };
                    let mut last = account.last.clone();
                    last[slot as usize] = Some(i as u32);
                    offer(last, met, account.log_mass + log_likelihood + movement);
                }
            }
            let mut kept: Vec<Account> =
                next.into_iter().map(|((last, met), log_mass)| Account { last, met, log_mass }).collect();
            kept.sort_by(|a, b| {
                b.log_mass.total_cmp(&a.log_mass).then_with(|| a.last.cmp(&b.last)).then(a.met.cmp(&b.met))
            });
            kept.truncate(BEAM_WIDTH);
            accounts = kept;
        }
        accounts.iter().filter(|a| a.met & all_met == all_met).map(|a| a.log_mass).fold(f64::NEG_INFINITY, log_add)
    }
}

/// `ln(eᵃ + eᵇ)` without overflow.
fn log_add(a: f64, b: f64) -> f64 {
    let (high, low) = if a >= b { (a, b) } else { (b, a) };
    if low == f64::NEG_INFINITY {
        return high;
    }
    high + (low - high).exp().ln_1p()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tumen_model::Timestamp;
    use tumen_model::event::Value;

    const HOUR_MS: i64 = 3_600_000;
    const NAJIN: LatLon = LatLon { lat_deg: 42.2333, lon_deg: 130.2972 };
    const DUNAY: LatLon = LatLon { lat_deg: 42.8788, lon_deg: 132.3352 };

    fn sighting(id: &str, hour: i64, at: LatLon, candidates: &[(u32, f64)]) -> Event {
        let mut attributes = BTreeMap::new();
        for (key, (_, score)) in DARK_CANDIDATE_SCORE_KEYS.iter().zip(candidates) {
            attributes.insert(*key, Value::Number(*score));
        }
        Event {
            id: id.into(),
            kind: EventKind::DarkDetection,
            mmsis: candidates.iter().map(|c| Mmsi(c.0)).collect(),
            start: Timestamp::from_unix_ms(hour * HOUR_MS),
            end: Timestamp::from_unix_ms(hour * HOUR_MS),
            position: Some(at),
            place: None,
            attributes,
            confidence: 4,
            profile: "test".into(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn a_ship_cannot_be_at_both_ports_within_less_than_the_sailing_time() {
        // Two ships, both named at both sightings, A a little likelier at
        // each. Najin to Dunay is ~100 nm: 2 h apart, one ship cannot be
        // both: no account gives both sightings to one ship.
        let events = [
            sighting("najin", 0, NAJIN, &[(1, 0.95), (2, 0.90)]),
            sighting("dunay", 2, DUNAY, &[(1, 0.95), (2, 0.90)]),
        ];
        let ids = identify(&events, &[], |_| true);
        let (najin, dunay) = (&events[0], &events[1]);
        for ship in [Mmsi(1), Mmsi(2)] {
            let both = ids.leg_probability(ship, &[najin], &[dunay], &[]);
            assert!(both < 1e-9, "{ship:?} at both: {both}");
        }
        for id in ["najin", "dunay"] {
            let identity = ids.of(id).unwrap();
            let named: f64 = identity.probabilities.iter().map(|p| p.1).sum();
            assert!(named > 0.8, "{identity:?}");
        }
    }

    #[test]
    fn two_sightings_in_one_image_are_two_ships() {
        let events = [
            sighting("d1", 0, DUNAY, &[(1, 0.99), (2, 0.60)]),
            sighting("d2", 0, LatLon { lat_deg: 42.8792, lon_deg: 132.3410 }, &[(1, 0.98), (2, 0.90)]),
        ];
        let ids = identify(&events, &[], |_| true);
        assert_eq!(likeliest(ids.of("d1").unwrap()), Some(Mmsi(1)));
        assert_eq!(likeliest(ids.of("d2").unwrap()), Some(Mmsi(2)));
    }

    #[test]
    fn an_ais_visit_elsewhere_rules_a_candidate_out() {
        // Ship 1 is on AIS at Dunay an hour after a sighting at Najin: the
        // sighting is ship 2 however well 1's length fits.
        let mut visit = sighting("visit", 1, DUNAY, &[]);
        visit.kind = EventKind::PortVisit;
        visit.mmsis = vec![Mmsi(1)];
        visit.end = Timestamp::from_unix_ms(20 * HOUR_MS);
        let events = [sighting("najin", 0, NAJIN, &[(1, 0.99), (2, 0.70)]), visit];
        let ids = identify(&events, &[], |_| true);
        let najin = ids.of("najin").unwrap();
        assert_eq!(likeliest(najin), Some(Mmsi(2)), "{najin:?}");
        assert!(najin.probability_of(Mmsi(1)) < 1e-6, "{najin:?}");
    }

    #[test]
    fn sightings_alike_for_both_ships_stay_uncertain() {
        let events = [sighting("d", 0, DUNAY, &[(1, 0.95), (2, 0.94)])];
        let identity = ids_of(&events, "d");
        let (p1, p2) = (identity.probability_of(Mmsi(1)), identity.probability_of(Mmsi(2)));
        assert!((p1 - p2).abs() < 0.05 && p1 + p2 > 0.8 && p1 + p2 <= 1.0, "{identity:?}");
    }

    fn image_of(at: LatLon, hour: i64) -> Scene {
        let (d_lat, d_lon) = (0.1, 0.1);
        let corner = |dy: f64, dx: f64| LatLon { lat_deg: at.lat_deg + dy, lon_deg: at.lon_deg + dx };
        Scene {
            id: format!("scene-{hour}"),
            satellite: None,
            time: Timestamp::from_unix_ms(hour * HOUR_MS),
            footprint: vec![
                corner(-d_lat, -d_lon),
                corner(-d_lat, d_lon),
                corner(d_lat, d_lon),
                corner(d_lat, -d_lon),
                corner(-d_lat, -d_lon),
            ],
            source_id: 0,
            line: 0,
        }
    }

    #[test]
    fn a_ship_the_images_between_did_not_see_was_likelier_away() {
        // Two sightings at Dunay three days apart, either ship at either.
        // With no image between, the same ship at both is as likely as
        // not; with two images between that saw no ship, a ship that
        // stayed would have been missed twice: the two sightings were
        // likelier two ships.
        let events = [sighting("a", 0, DUNAY, &[(1, 0.9), (2, 0.9)]), sighting("b", 72, DUNAY, &[(1, 0.9), (2, 0.9)])];
        let same_ship = |scenes: &[Scene]| {
            let ids = identify(&events, scenes, |_| true);
            let (a, b) = (&events[0], &events[1]);
            ids.leg_probability(Mmsi(1), &[a], &[b], &[]) + ids.leg_probability(Mmsi(2), &[a], &[b], &[])
        };
        let unseen = same_ship(&[]);
        let missed = same_ship(&[image_of(DUNAY, 24), image_of(DUNAY, 48)]);
        assert!(unseen > 0.4, "{unseen}");
        assert!(missed < 0.2, "{missed}");
    }

    #[test]
    fn a_leg_and_a_sighting_of_the_ship_between_exclude_each_other() {
        // Ship 1 certainly at Najin, then two Dunay sightings that are
        // each ship 1 or 2: the leg to the second is the leg with the ship
        // not at the first.
        let events = [
            sighting("n", 0, NAJIN, &[(1, 0.99)]),
            sighting("d1", 24, DUNAY, &[(1, 0.9), (2, 0.9)]),
            sighting("d2", 48, DUNAY, &[(1, 0.9), (2, 0.9)]),
        ];
        let ids = identify(&events, &[], |_| true);
        let [n, d1, d2] = [&events[0], &events[1], &events[2]];
        let to_first = ids.leg_probability(Mmsi(1), &[n], &[d1], &[]);
        let to_second_only = ids.leg_probability(Mmsi(1), &[n], &[d2], &[d1]);
        let to_second = ids.leg_probability(Mmsi(1), &[n], &[d2], &[]);
        assert!(to_second_only < to_second, "{to_second_only} {to_second}");
        assert!(to_first + to_second_only <= 1.0 + 1e-9, "{to_first} {to_second_only}");
    }

    /// The likeliest candidate, if it is likelier than all the others
    /// together.
    fn likeliest(identity: &Identity) -> Option<Mmsi> {
        identity.probabilities.first().filter(|p| p.1 > 0.5).map(|p| p.0)
    }

    fn ids_of(events: &[Event], id: &str) -> Identity {
        identify(events, &[], |_| true).of(id).unwrap().clone()
    }
}
