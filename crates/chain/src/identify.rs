//! Who each dark sighting was, weighed across sightings.
//!
//! A dark detection names the silent vessels that could have been it, each
//! with a score (length agreement × reachability, `tumen_fusion::dark`).
//! Read one at a time, two ships of similar length that shuttle between the
//! same ports are each named at every sighting of either — and a chain
//! built on "any candidate" joins a sighting of one ship at the origin to a
//! sighting of the other at the destination. Here the sightings are
//! explained together, with what a ship cannot do:
//!
//! - one sighting is one ship (a sighting explained by one ship is not
//!   evidence for another), and two sightings at one instant are two ships;
//! - a ship cannot be at two places closer in time than it can sail between
//!   them (great-circle distance at [`MAX_SPEED_KNOTS`], less
//!   [`POSITION_SLACK_M`]: the sea route is longer, so this only rules out
//!   the impossible);
//! - a ship's AIS port visits are where it was.
//!
//! The likeliest account is found by a beam search over the observations
//! in time order ([`BEAM_WIDTH`] accounts kept, those that leave every ship
//! in the same state merged keeping the best — exact for the likeliest
//! account when the beam holds every state). How sure each assignment is
//! comes from max-marginals: the best account that gives sighting *i* to
//! ship *s*, against the best that gives it to each other candidate or to
//! none (a ship no candidate is, or a false alarm: [`NONE_LIKELIHOOD`]),
//! normalised — `P(i = s) ∝ exp(best log-likelihood with i = s)`.

use std::collections::{BTreeMap, BTreeSet};

use tumen_detect::event::DARK_CANDIDATE_SCORE_KEYS;
use tumen_detect::{Event, EventKind};
use tumen_model::{LatLon, METRES_PER_NAUTICAL_MILE, Mmsi};

use crate::link::number;

/// The fastest a ship is taken to sail between two sightings: above any
/// cargo ship's service speed, so only the impossible is ruled out.
pub const MAX_SPEED_KNOTS: f64 = 20.0;
/// Distance two sightings of one ship may be apart at no time apart: the
/// detection's position error and moves within a port.
pub const POSITION_SLACK_M: f64 = 2_000.0;
/// The likelihood that a sighting was none of its candidates, against a
/// candidate's score (which is at most 1).
pub const NONE_LIKELIHOOD: f64 = 0.1;
/// Accounts kept at each step of the search.
pub const BEAM_WIDTH: usize = 512;

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

/// Who each sighting was.
#[derive(Debug, Default)]
pub struct Identities {
    /// By dark detection id: the ship the likeliest account gives it, if
    /// any, and each candidate's probability, likeliest first.
    by_event: BTreeMap<String, Identity>,
}

/// One sighting's identity.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    /// The ship of the likeliest account (`None`: none of the candidates).
    pub ship: Option<Mmsi>,
    /// Each candidate and its probability, likeliest first.
    pub probabilities: Vec<(Mmsi, f64)>,
}

impl Identity {
    /// The probability that the sighting was `ship`.
    pub fn probability_of(&self, ship: Mmsi) -> f64 {
        self.probabilities.iter().find(|(m, _)| *m == ship).map_or(0.0, |(_, p)| *p)
    }
}

impl Identities {
    /// The identity of the dark detection `event_id`, if it was weighed.
    pub fn of(&self, event_id: &str) -> Option<&Identity> {
        self.by_event.get(event_id)
    }
}

/// Weighs who each dark detection in `events` was, together with the
/// candidates' AIS port visits; the identities of those `wanted` are kept
/// (every sighting still weighs on them: a ship seen at sea between two
/// ports is a ship not in port).
pub fn identify(events: &[Event], wanted: impl Fn(&Event) -> bool) -> Identities {
    let mut identities = Identities::default();
    for group in groups(observations(events)) {
        identify_group(&group, &wanted, &mut identities);
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

/// One account being built: each ship's last observation, and the
/// log-likelihood so far.
#[derive(Clone)]
struct Account {
    last: Vec<Option<u32>>,
    log_likelihood: f64,
    /// This account's step: its parent in the previous step's accounts and
    /// the ship it gave the observation (`None`: none).
    parent: u32,
    choice: Option<u16>,
}

/// What the search is held to: observation `index` given to `choice`.
type Forced = Option<(usize, Option<u16>)>;

struct Search<'o, 'e> {
    observations: &'o [Observation<'e>],
    ships: Vec<Mmsi>,
    /// Per observation, its candidates as (ship slot, log-likelihood).
    options: Vec<Vec<(u16, f64)>>,
}

impl<'o, 'e> Search<'o, 'e> {
    fn new(observations: &'o [Observation<'e>]) -> Search<'o, 'e> {
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
        Search { observations, ships, options }
    }

    /// Whether ship `slot`, last at observation `last`, can be at
    /// observation `next`.
    fn reachable(&self, last: Option<u32>, next: usize) -> bool {
        let Some(last) = last else { return true };
        let (from, to) = (&self.observations[last as usize], &self.observations[next]);
        if !to.known && !from.known && from.event.start == to.event.start {
            // One instant, one image: two sightings are two ships.
            return false;
        }
        let seconds = to.event.start.ms_since(from.event.end) as f64 / 1000.0;
        let metres = (from.position.distance_m(to.position) - POSITION_SLACK_M).max(0.0);
        metres <= 0.0 && seconds > -1.0 || seconds * MAX_SPEED_KNOTS * METRES_PER_NAUTICAL_MILE / 3600.0 >= metres
    }

    /// The likeliest account under `forced`: its log-likelihood and each
    /// observation's ship slot.
    fn best(&self, forced: Forced) -> (f64, Vec<Option<u16>>) {
        let mut steps: Vec<Vec<Account>> = Vec::with_capacity(self.observations.len());
        let mut accounts =
            vec![Account { last: vec![None; self.ships.len()], log_likelihood: 0.0, parent: 0, choice: None }];
        for (i, observation) in self.observations.iter().enumerate() {
            let mut next: BTreeMap<Vec<Option<u32>>, Account> = BTreeMap::new();
            let mut offer = |account: Account| match next.get(&account.last) {
                Some(old) if old.log_likelihood >= account.log_likelihood => {}
                _ => {
                    next.insert(account.last.clone(), account);
                }
            };
            for (parent, account) in accounts.iter().enumerate() {
                let allowed = |choice: Option<u16>| forced.is_none_or(|(at, c)| at != i || c == choice);
                for &(slot, log_likelihood) in &self.options[i] {
                    if !allowed(Some(slot)) {
                        continue;
                    }
                    let reachable = self.reachable(account.last[slot as usize], i);
                    // An AIS visit is a fact: an account it contradicts
                    // is all but ruled out (not dropped, so one remains).
                    let penalty = match (reachable, observation.known) {
                        (true, _) => 0.0,
                        (false, true) => IMPOSSIBLE_LOG,
                        (false, false) => continue,
                    };
                    let mut last = account.last.clone();
                    last[slot as usize] = Some(i as u32);
                    offer(Account {
                        last,
                        log_likelihood: account.log_likelihood + log_likelihood + penalty,
                        parent: parent as u32,
                        choice: Some(slot),
                    });
                }
                if !observation.known && allowed(None) {
                    offer(Account {
                        last: account.last.clone(),
                        log_likelihood: account.log_likelihood + NONE_LIKELIHOOD.ln(),
                        parent: parent as u32,
                        choice: None,
                    });
                }
            }
            let mut kept: Vec<Account> = next.into_values().collect();
            kept.sort_by(|a, b| b.log_likelihood.total_cmp(&a.log_likelihood));
            kept.truncate(BEAM_WIDTH);
            steps.push(accounts);
            accounts = kept;
        }
        let Some(best) = accounts.first() else { return (f64::NEG_INFINITY, vec![None; self.observations.len()]) };
        let mut choices = vec![None; self.observations.len()];
        let (mut at, mut account) = (self.observations.len(), best);
        while at > 0 {
            choices[at - 1] = account.choice;
            account = &steps[at - 1][account.parent as usize];
            at -= 1;
        }
        (best.log_likelihood, choices)
    }
}

/// An account an AIS visit contradicts: this much less likely.
const IMPOSSIBLE_LOG: f64 = -50.0;

fn identify_group(observations: &[Observation<'_>], wanted: impl Fn(&Event) -> bool, identities: &mut Identities) {
    let search = Search::new(observations);
    let (_, best) = search.best(None);
    for (i, observation) in observations.iter().enumerate().filter(|(_, o)| !o.known && wanted(o.event)) {
        // The best account with this sighting given to each candidate, and
        // to none; normalised.
        let mut scored: Vec<(Option<u16>, f64)> =
            search.options[i].iter().map(|&(slot, _)| (Some(slot), search.best(Some((i, Some(slot)))).0)).collect();
        scored.push((None, search.best(Some((i, None))).0));
        let top = scored.iter().map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
        let total: f64 = scored.iter().map(|s| (s.1 - top).exp()).sum();
        let mut probabilities: Vec<(Mmsi, f64)> = scored
            .iter()
            .filter_map(|&(slot, ll)| Some((search.ships[slot? as usize], (ll - top).exp() / total)))
            .collect();
        probabilities.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        identities.by_event.insert(
            observation.event.id.clone(),
            Identity { ship: best[i].map(|slot| search.ships[slot as usize]), probabilities },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tumen_detect::event::Value;
    use tumen_model::Timestamp;

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
        // both; the account that gives each sighting its own ship wins.
        let events = [
            sighting("najin", 0, NAJIN, &[(1, 0.95), (2, 0.90)]),
            sighting("dunay", 2, DUNAY, &[(1, 0.95), (2, 0.90)]),
        ];
        let ids = identify(&events, |_| true);
        let (a, b) = (ids.of("najin").unwrap(), ids.of("dunay").unwrap());
        assert_ne!(a.ship, b.ship, "{a:?} {b:?}");
        assert!(a.ship.is_some() && b.ship.is_some());
    }

    #[test]
    fn two_sightings_in_one_image_are_two_ships() {
        let events = [
            sighting("d1", 0, DUNAY, &[(1, 0.99), (2, 0.60)]),
            sighting("d2", 0, LatLon { lat_deg: 42.8792, lon_deg: 132.3410 }, &[(1, 0.98), (2, 0.90)]),
        ];
        let ids = identify(&events, |_| true);
        assert_eq!(ids.of("d1").unwrap().ship, Some(Mmsi(1)));
        assert_eq!(ids.of("d2").unwrap().ship, Some(Mmsi(2)));
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
        let ids = identify(&events, |_| true);
        let najin = ids.of("najin").unwrap();
        assert_eq!(najin.ship, Some(Mmsi(2)), "{najin:?}");
        assert!(najin.probability_of(Mmsi(1)) < 1e-6, "{najin:?}");
    }

    #[test]
    fn sightings_alike_for_both_ships_stay_uncertain() {
        let events = [sighting("d", 0, DUNAY, &[(1, 0.95), (2, 0.94)])];
        let identity = ids_of(&events, "d");
        let (p1, p2) = (identity.probability_of(Mmsi(1)), identity.probability_of(Mmsi(2)));
        assert!((p1 - p2).abs() < 0.05 && p1 + p2 > 0.8 && p1 + p2 <= 1.0, "{identity:?}");
    }

    fn ids_of(events: &[Event], id: &str) -> Identity {
        identify(events, |_| true).of(id).unwrap().clone()
    }
}
