//! Events linked into suspected shipments along a corridor.
//!
//! A vessel's *calls* are its port visits and the dark detections that
//! name it as a candidate, at the corridor's places; calls at one place
//! less than two days apart are one stay. A chain is a stay at an origin
//! followed, within the voyage limit and with no other destination stay
//! between, by a stay at a destination — the sea leg — with what supports
//! it: cargo loaded (a draught rise in the origin stay, a container spike
//! at the origin), the voyage dark (AIS disabling, a gap, a call seen only
//! from orbit), a meeting at sea, the vessel on a watch list, and then rail
//! and depot activity (facility anomalies at the corridor's rail facilities
//! and depots in the days after the arrival).
//!
//! A dark detection names several candidate ships; which one it was is
//! weighed across all sightings first ([`crate::identify`]), and a
//! sighting is a call only of the ships it may well have been. A leg's
//! probability for a ship is that of the accounts in which the ship was
//! at both ends and at none of the corridor's sightings between; legs of
//! several ships whose stays share sightings at both ends are one chain,
//! its vessels likeliest first.
//!
//! Three figures per chain: `identity_probability` (the first named ship
//! sailed the leg; 1 for AIS calls), `leg_probability` (one of the named
//! did), and `suspicion`, a noisy-OR of the indicators present, each with
//! a stated weight ([`Weights`]): `1 − Π(1 − wᵢ)` — how strongly the leg
//! looks like a shipment. `confidence = leg_probability × suspicion`.
//! Every indicator is listed with its weight and the event it rests on, so
//! the numbers can be read back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tumen_model::event::Value;
use tumen_model::{Event, EventKind};
use tumen_model::{METRES_PER_NAUTICAL_MILE, Mmsi, Scene, Timestamp};
use tumen_places::Gazetteer;

use crate::corridor::Corridor;
use crate::identify::{Identities, identify};

const DAY_MS: i64 = 86_400_000;
/// Calls at one place this close are one stay.
const STAY_JOIN_MS: i64 = 2 * DAY_MS;

/// How much each indicator says, alone, that a sea leg is a suspected
/// shipment. A voyage between the corridor's ports is itself little (ports
/// have ordinary trade); cargo, darkness and onward rail say more.
pub struct Weights;

impl Weights {
    pub const VOYAGE: f64 = 0.2;
    pub const LOADED: f64 = 0.3;
    pub const ORIGIN_SPIKE: f64 = 0.2;
    pub const DARK_CALL: f64 = 0.4;
    pub const AIS_DISABLING: f64 = 0.4;
    pub const GAP: f64 = 0.2;
    pub const ENCOUNTER: f64 = 0.2;
    pub const LISTED: f64 = 0.5;
    pub const RAIL_SPIKE: f64 = 0.4;
    pub const DEPOT_SPIKE: f64 = 0.3;
}

/// One indicator of a chain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub weight: f64,
    pub what: String,
    /// The event it rests on.
    pub event: Option<String>,
}

/// A suspected shipment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chain {
    /// Stable: the corridor, the origin and the starts of the two stays.
    pub id: String,
    pub corridor: String,
    /// The vessel, or for a leg seen only from orbit the vessels that could
    /// have sailed it, the likeliest first (its reasons are the first's).
    pub vessels: Vec<u32>,
    pub origin: String,
    pub destination: String,
    /// The origin stay (loading) and the destination stay (landing).
    #[serde(serialize_with = "rfc3339", deserialize_with = "from_rfc3339")]
    pub loading_from: Timestamp,
    #[serde(serialize_with = "rfc3339", deserialize_with = "from_rfc3339")]
    pub loading_to: Timestamp,
    #[serde(serialize_with = "rfc3339", deserialize_with = "from_rfc3339")]
    pub landing_from: Timestamp,
    #[serde(serialize_with = "rfc3339", deserialize_with = "from_rfc3339")]
    pub landing_to: Timestamp,
    /// The chain's whole window: loading to the last linked activity.
    #[serde(serialize_with = "rfc3339", deserialize_with = "from_rfc3339")]
    pub start: Timestamp,
    #[serde(serialize_with = "rfc3339", deserialize_with = "from_rfc3339")]
    pub end: Timestamp,
    /// Great-circle distance between the two ports (the sea route is
    /// longer round the coast).
    pub sea_nm: Option<f64>,
    pub rail_km: Option<f64>,
    /// The probability that the first named vessel is the one seen at both
    /// ends (1 when both calls were on AIS).
    #[serde(default = "certain")]
    pub identity_probability: f64,
    /// The probability that one of the named vessels sailed the leg.
    #[serde(default = "certain")]
    pub leg_probability: f64,
    /// How strongly the leg looks like a shipment: the noisy-OR of the
    /// reasons' weights.
    #[serde(default)]
    pub suspicion: f64,
    /// The probability that the chain is what it says: one of the named
    /// vessels sailed the leg (`leg_probability`) and it was a shipment
    /// (`suspicion`).
    pub confidence: f64,
    pub reasons: Vec<Reason>,
    /// Every event the chain links, in time order.
    pub events: Vec<String>,
}

impl Chain {
    /// The stated rule chains rank by, strongest first: the higher
    /// confidence, then the likelier identity of the ship named first, then
    /// the earlier start, then the id (so equals always rank alike).
    pub fn stronger_first(&self, other: &Chain) -> std::cmp::Ordering {
        other
            .confidence
            .total_cmp(&self.confidence)
            .then(other.identity_probability.total_cmp(&self.identity_probability))
            .then(self.start.cmp(&other.start))
            .then(self.id.cmp(&other.id))
    }
}

/// A vessel at a corridor place: a port visit, or a dark detection that
/// names it.
#[derive(Clone, Debug)]
struct Call<'e> {
    place: &'e str,
    start: Timestamp,
    end: Timestamp,
    events: Vec<&'e Event>,
    /// Seen only from orbit: the probability that the sighting was this
    /// vessel.
    dark: Option<f64>,
}

fn certain() -> f64 {
    1.0
}

/// The chains of every corridor in `events`.
pub fn link(events: &[Event], scenes: &[Scene], corridors: &[Corridor], gazetteer: &Gazetteer) -> Vec<Chain> {
    // Identities are kept for the sightings at the corridors' ports, the
    // only ones that make calls.
    let identities = identify(events, scenes, |e| {
        e.place.as_deref().is_some_and(|place| corridors.iter().any(|c| is_corridor_port(c, place)))
    });
    let mut chains = Vec::new();
    for corridor in corridors {
        let calls = calls_by_vessel(events, corridor, &identities);
        let mut legs: Vec<(Leg<'_, '_>, f64)> = Vec::new();
        for (&mmsi, calls) in &calls {
            for (origin, destination) in sea_legs(calls, corridor) {
                let leg = Leg { mmsi, origin, destination };
                let probability = leg.probability_of(mmsi, corridor, events, &identities);
                // A leg its own ship almost surely did not sail is no finding.
                if probability >= ALTERNATIVE_MIN_PROBABILITY {
                    legs.push((leg, probability));
                }
            }
        }
        for group in one_leg_each(legs) {
            chains.push(chain(&group, corridor, events, gazetteer));
        }
    }
    merge_alternatives(chains)
}

/// Legs of different ships between stays that share sightings at both
/// ends are one leg sailed by one of them: grouped, likeliest first.
fn one_leg_each<'c, 'e>(mut legs: Vec<(Leg<'c, 'e>, f64)>) -> Vec<Vec<(Leg<'c, 'e>, f64)>> {
    legs.sort_by(|a, b| {
        b.1.total_cmp(&a.1).then(a.0.mmsi.cmp(&b.0.mmsi)).then(a.0.origin.start.cmp(&b.0.origin.start))
    });
    let shares = |a: &Call<'_>, b: &Call<'_>| {
        a.place == b.place && a.events.iter().any(|e| b.events.iter().any(|f| e.id == f.id))
    };
    let mut groups: Vec<Vec<(Leg<'c, 'e>, f64)>> = Vec::new();
    for (leg, probability) in legs {
        let home = groups.iter_mut().find(|group| {
            let first = &group[0].0;
            !group.iter().any(|(l, _)| l.mmsi == leg.mmsi)
                && shares(first.origin, leg.origin)
                && shares(first.destination, leg.destination)
        });
        match home {
            Some(group) => group.push((leg, probability)),
            None => groups.push(vec![(leg, probability)]),
        }
    }
    groups
}

/// Chains of one sea leg seen only from orbit can name several vessels
/// (the ships its sightings may have been): they are one chain, its
/// vessels likeliest first, its reasons those of the likeliest.
fn merge_alternatives(mut chains: Vec<Chain>) -> Vec<Chain> {
    chains.sort_by(|a, b| {
        (&a.corridor, &a.origin, a.loading_from, &a.destination, a.landing_from)
            .cmp(&(&b.corridor, &b.origin, b.loading_from, &b.destination, b.landing_from))
            .then(b.identity_probability.total_cmp(&a.identity_probability))
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.vessels.cmp(&b.vessels))
    });
    let mut merged: Vec<Chain> = Vec::new();
    for chain in chains {
        match merged.last_mut() {
            Some(best) if same_leg(best, &chain) => {
                for vessel in chain.vessels {
                    if !best.vessels.contains(&vessel) {
                        best.vessels.push(vessel);
                    }
                }
            }
            _ => merged.push(chain),
        }
    }
    merged.sort_by(|a, b| a.start.cmp(&b.start).then(a.id.cmp(&b.id)));
    merged
}

fn same_leg(a: &Chain, b: &Chain) -> bool {
    a.corridor == b.corridor
        && a.origin == b.origin
        && a.destination == b.destination
        && a.loading_from == b.loading_from
        && a.landing_from == b.landing_from
}

fn is_corridor_port(corridor: &Corridor, place: &str) -> bool {
    corridor.origins.iter().chain(&corridor.destinations).any(|p| p == place)
}

/// The least probability that a dark sighting was a ship for it to be a
/// call of that ship.
const CALL_MIN_PROBABILITY: f64 = 0.25;

/// Each vessel's stays at the corridor's ports, in time order: its port
/// visits, and the dark sightings it may well have been.
fn calls_by_vessel<'e>(
    events: &'e [Event],
    corridor: &Corridor,
    identities: &Identities<'_>,
) -> BTreeMap<Mmsi, Vec<Call<'e>>> {
    let mut calls: BTreeMap<Mmsi, Vec<Call<'e>>> = BTreeMap::new();
    for event in events {
        let Some(place) = event.place.as_deref().filter(|p| is_corridor_port(corridor, p)) else { continue };
        match event.kind {
            EventKind::PortVisit => {
                for &mmsi in &event.mmsis {
                    calls.entry(mmsi).or_default().push(Call {
                        place,
                        start: event.start,
                        end: event.end,
                        events: vec![event],
                        dark: None,
                    });
                }
            }
            EventKind::DarkDetection => {
                let Some(identity) = identities.of(&event.id) else { continue };
                // Each ship the sighting may well have been: a leg of each
                // is weighed, and the chains of one leg merge below, the
                // likeliest ship first.
                for &(mmsi, probability) in identity.probabilities.iter().filter(|p| p.1 >= CALL_MIN_PROBABILITY) {
                    calls.entry(mmsi).or_default().push(Call {
                        place,
                        start: event.start,
                        end: event.end,
                        events: vec![event],
                        dark: Some(probability),
                    });
                }
            }
            _ => {}
        }
    }
    for list in calls.values_mut() {
        list.sort_by_key(|c| c.start);
        let mut stays: Vec<Call<'e>> = Vec::new();
        for call in list.drain(..) {
            match stays.last_mut() {
                Some(last) if last.place == call.place && call.start.ms_since(last.end) <= STAY_JOIN_MS => {
                    last.end = last.end.max(call.end);
                    last.events.extend(call.events);
                    last.dark = match (last.dark, call.dark) {
                        // A stay with any port visit was seen by AIS.
                        (None, _) | (_, None) => None,
                        (Some(a), Some(b)) => Some(a.max(b)),
                    };
                }
                _ => stays.push(call),
            }
        }
        *list = stays;
    }
    calls
}

/// Origin stay → each destination stay within the voyage limit before the
/// vessel is next at an origin (a return to the origin starts a new leg).
/// A ship seen only from orbit may be placed at two destinations in that
/// time (where a sighting may have been another ship): each is a leg.
fn sea_legs<'c, 'e>(calls: &'c [Call<'e>], corridor: &Corridor) -> Vec<(&'c Call<'e>, &'c Call<'e>)> {
    let limit_ms = (corridor.max_voyage_days * DAY_MS as f64) as i64;
    let is_origin = |c: &Call<'_>| corridor.origins.iter().any(|o| o == c.place);
    let is_destination = |c: &Call<'_>| corridor.destinations.iter().any(|d| d == c.place);
    let mut legs = Vec::new();
    for (i, origin) in calls.iter().enumerate().filter(|(_, c)| is_origin(c)) {
        for destination in calls[i + 1..].iter().take_while(|c| !is_origin(c)) {
            if destination.start.ms_since(origin.end) > limit_ms {
                break;
            }
            if is_destination(destination) {
                legs.push((origin, destination));
            }
        }
    }
    legs
}

/// One vessel's sea leg: a stay at an origin, then at a destination.
struct Leg<'c, 'e> {
    mmsi: Mmsi,
    origin: &'c Call<'e>,
    destination: &'c Call<'e>,
}

impl Leg<'_, '_> {
    /// The probability that `ship` sailed the leg: seen at both ends and
    /// at none of the corridor's sightings between (`events`).
    fn probability_of(&self, ship: Mmsi, corridor: &Corridor, events: &[Event], identities: &Identities<'_>) -> f64 {
        let (after, before) = (self.origin.end, self.destination.start);
        let ends: Vec<&str> =
            self.origin.events.iter().chain(&self.destination.events).map(|e| e.id.as_str()).collect();
        let between: Vec<&Event> = events
            .iter()
            .filter(|e| e.kind == EventKind::DarkDetection && e.start > after && e.start < before)
            .filter(|e| e.mmsis.contains(&ship) && !ends.contains(&e.id.as_str()))
            .filter(|e| e.place.as_deref().is_some_and(|p| is_corridor_port(corridor, p)))
            .collect();
        identities.leg_probability(ship, &self.origin.events, &self.destination.events, &between)
    }
}

/// A duration for a reader: hours up to two days, days beyond.
fn hours_in_words(hours: f64) -> String {
    if hours < 48.0 { format!("{hours:.1} h") } else { format!("{:.0} days ({hours:.0} h)", hours / 24.0) }
}

/// The least probability of having sailed a leg for a vessel to be named
/// as an alternative.
const ALTERNATIVE_MIN_PROBABILITY: f64 = 0.05;

/// The chain of one leg: its likeliest ship's (the group's first), with
/// the others that may have sailed it named after.
fn chain(group: &[(Leg<'_, '_>, f64)], corridor: &Corridor, events: &[Event], gazetteer: &Gazetteer) -> Chain {
    let (leg, identity_probability) = (&group[0].0, group[0].1);
    let (mmsi, origin, destination) = (leg.mmsi, leg.origin, leg.destination);
    let mut reasons: Vec<Reason> = Vec::new();
    let mut linked: Vec<&Event> = origin.events.iter().chain(&destination.events).copied().collect();
    let mut add = |weight: f64, what: String, event: Option<&Event>| {
        reasons.push(Reason { weight, what, event: event.map(|e| e.id.clone()) });
    };
    // Reasons are read by people: places by name.
    let name = |id: &str| gazetteer.get(id).map_or_else(|| id.to_owned(), |p| p.name.clone());
    add(
        Weights::VOYAGE,
        format!(
            "sailed {} → {} in {:.1} h",
            name(origin.place),
            name(destination.place),
            destination.start.ms_since(origin.end) as f64 / 3.6e6
        ),
        origin.events.first().copied(),
    );
    for (call, side) in [(origin, "at the origin"), (destination, "at the destination")] {
        if let Some(probability) = call.dark {
            add(
                Weights::DARK_CALL,
                format!(
                    "{side} {} seen only from orbit (this vessel with probability {probability:.2})",
                    name(call.place)
                ),
                call.events.first().copied(),
            );
        }
    }
    let vessel_events = events.iter().filter(|e| e.mmsis.contains(&mmsi));
    let (voyage_from, voyage_to) = (origin.start, destination.end);
    let mut dark_at_sea: Option<(f64, &Event)> = None;
    for event in vessel_events {
        let overlaps = event.start <= voyage_to && event.end >= voyage_from;
        match event.kind {
            EventKind::DraughtChange if text(event, "direction") == Some("loaded") && within(event, origin) => {
                let metres = number(event, "change_m").unwrap_or(0.0);
                add(Weights::LOADED, format!("draught up {metres:.1} m at {}", name(origin.place)), Some(event));
                linked.push(event);
            }
            EventKind::DraughtChange if text(event, "direction") == Some("unloaded") && within(event, destination) => {
                linked.push(event);
            }
            EventKind::AisDisabling | EventKind::Gap if overlaps => {
                let weight = if event.kind == EventKind::AisDisabling { Weights::AIS_DISABLING } else { Weights::GAP };
                if dark_at_sea.is_none_or(|(w, _)| weight > w) {
                    dark_at_sea = Some((weight, event));
                }
                linked.push(event);
            }
            EventKind::Encounter if overlaps => {
                add(Weights::ENCOUNTER, "met another vessel at sea".into(), Some(event));
                linked.push(event);
            }
            EventKind::WatchlistHit if matches!(event.attributes.get("matched"), Some(Value::Flag(true))) => {
                let list = text(event, "list").unwrap_or("a list");
                add(Weights::LISTED, format!("on {list} as {}", text(event, "entry_name").unwrap_or("?")), Some(event));
                linked.push(event);
            }
            _ => {}
        }
    }
    if let Some((weight, event)) = dark_at_sea {
        let hours = number(event, "duration_hours").unwrap_or(0.0);
        let what = if event.kind == EventKind::AisDisabling {
            format!("AIS off for {} where receivers should have heard it", hours_in_words(hours))
        } else {
            format!("AIS silent for {}", hours_in_words(hours))
        };
        add(weight, what, Some(event));
    }
    let onward_to = destination.end.plus_ms((corridor.onward_days * DAY_MS as f64) as i64);
    let mut last = destination.end;
    // The strongest spike at each site in its window: containers at the
    // origin around the loading, rail cars from the loading on, the depot
    // after the landing.
    let mut best_spike: BTreeMap<&str, (f64, f64, &Event)> = BTreeMap::new();
    for event in events.iter().filter(|e| e.kind == EventKind::FacilityAnomaly) {
        let Some(site) = event.place.as_deref().or_else(|| text(event, "site")) else { continue };
        let (weight, window) = if site == origin.place {
            (Weights::ORIGIN_SPIKE, (origin.start.plus_ms(-3 * DAY_MS), origin.end.plus_ms(DAY_MS)))
        } else if corridor.rail_facilities.iter().any(|r| r == site) {
            (Weights::RAIL_SPIKE, (origin.start, onward_to))
        } else if corridor.depots.iter().any(|d| d == site) {
            (Weights::DEPOT_SPIKE, (destination.start, onward_to))
        } else {
            continue;
        };
        if event.start <= window.1 && event.end >= window.0 {
            let z = number(event, "z").unwrap_or(0.0);
            if best_spike.get(site).is_none_or(|(old, _, _)| z > *old) {
                best_spike.insert(site, (z, weight, event));
            }
        }
    }
    for (site, (_, weight, event)) in best_spike {
        let (peak, expected) = (number(event, "peak_count").unwrap_or(0.0), number(event, "expected").unwrap_or(0.0));
        let counted = tumen_model::ObjectClass::counted_as(text(event, "object_class").unwrap_or("objects"), peak);
        add(weight, format!("{}: {counted} against {expected:.0} expected", name(site)), Some(event));
        last = last.max(event.end);
        linked.push(event);
    }
    linked.sort_by(|a, b| a.start.cmp(&b.start).then(a.id.cmp(&b.id)));
    linked.dedup_by(|a, b| a.id == b.id);
    // The ships' legs exclude each other (one sighting, one ship).
    let leg_probability = group.iter().map(|g| g.1).sum::<f64>().min(1.0);
    let suspicion = 1.0 - reasons.iter().map(|r| 1.0 - r.weight.clamp(0.0, 1.0)).product::<f64>();
    let confidence = suspicion * leg_probability;
    let sea_nm = match (gazetteer.get(origin.place), gazetteer.get(destination.place)) {
        (Some(a), Some(b)) => Some(a.centre().distance_m(b.centre()) / METRES_PER_NAUTICAL_MILE),
        _ => None,
    };
    Chain {
        id: chain_id(&corridor.id, origin.place, origin.start, destination.start),
        corridor: corridor.id.clone(),
        vessels: group.iter().map(|g| g.0.mmsi.0).collect(),
        origin: origin.place.to_owned(),
        destination: destination.place.to_owned(),
        loading_from: origin.start,
        loading_to: origin.end,
        landing_from: destination.start,
        landing_to: destination.end,
        start: origin.start,
        end: last,
        sea_nm,
        rail_km: corridor.rail_km,
        identity_probability: (identity_probability * 1000.0).round() / 1000.0,
        leg_probability: (leg_probability * 1000.0).round() / 1000.0,
        suspicion: (suspicion * 1000.0).round() / 1000.0,
        confidence: (confidence * 1000.0).round() / 1000.0,
        reasons,
        events: linked.iter().map(|e| e.id.clone()).collect(),
    }
}

fn rfc3339<S: serde::Serializer>(t: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(t)
}

/// Chains are stored as their JSON, and read back by reports and exports.
fn from_rfc3339<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    text.parse().map_err(serde::de::Error::custom)
}

/// Stable across re-runs: the corridor, the origin, when the loading stay
/// began and when the landing did (not the vessel: a leg seen from orbit
/// may name its vessels in another order when the data grows).
fn chain_id(corridor: &str, origin: &str, loading: Timestamp, landing: Timestamp) -> String {
    let key = format!("{corridor}:{origin}:{}:{}", loading.unix_ms(), landing.unix_ms());
    format!("chain-{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_bytes()))
}

/// An event inside a stay (with an hour's slack at either end).
fn within(event: &Event, call: &Call<'_>) -> bool {
    let slack = 3_600_000;
    let during = text(event, "during");
    during.is_some_and(|id| call.events.iter().any(|e| e.id == id))
        || (event.start >= call.start.plus_ms(-slack) && event.start <= call.end.plus_ms(slack))
}

pub(crate) fn number(event: &Event, key: &str) -> Option<f64> {
    match event.attributes.get(key) {
        Some(Value::Number(n)) => Some(*n),
        _ => None,
    }
}

fn text<'e>(event: &'e Event, key: &str) -> Option<&'e str> {
    match event.attributes.get(key) {
        Some(Value::Text(t)) => Some(t.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tumen_model::LatLon;

    const HOUR_MS: i64 = 3_600_000;

    fn event(id: &str, kind: EventKind, mmsi: u32, from_h: i64, to_h: i64, place: Option<&str>) -> Event {
        Event {
            id: id.into(),
            kind,
            mmsis: vec![Mmsi(mmsi)],
            start: Timestamp::from_unix_ms(from_h * HOUR_MS),
            end: Timestamp::from_unix_ms(to_h * HOUR_MS),
            position: Some(LatLon { lat_deg: 42.5, lon_deg: 131.0 }),
            place: place.map(str::to_owned),
            attributes: BTreeMap::new(),
            confidence: 3,
            profile: "test".into(),
            evidence: Vec::new(),
        }
    }

    #[test]
    fn a_loaded_dark_voyage_with_rail_cars_after_is_a_strong_chain() {
        let corridor: Corridor = toml::from_str(
            "id = 'test'\norigins = ['najin']\ndestinations = ['dunay']\nrail_facilities = ['tumangang']\n",
        )
        .unwrap();
        let ship = 273_356_110;
        let mut loaded = event("d1", EventKind::DraughtChange, ship, 20, 20, None);
        loaded.attributes.insert("direction", Value::Text("loaded".into()));
        loaded.attributes.insert("change_m", Value::Number(2.5));
        let mut dark = event("g1", EventKind::AisDisabling, ship, 30, 42, None);
        dark.attributes.insert("duration_hours", Value::Number(12.0));
        let mut rail = event("f1", EventKind::FacilityAnomaly, 0, 100, 100, Some("tumangang"));
        rail.mmsis.clear();
        rail.attributes.insert("peak_count", Value::Number(73.0));
        rail.attributes.insert("expected", Value::Number(9.0));
        let events = vec![
            event("v1", EventKind::PortVisit, ship, 0, 30, Some("najin")),
            loaded,
            dark,
            event("v2", EventKind::PortVisit, ship, 42, 60, Some("dunay")),
            rail,
            // Another ship's visit at the destination only: no chain.
            event("v3", EventKind::PortVisit, 273_000_001, 42, 60, Some("dunay")),
        ];
        let chains = link(&events, &[], &[corridor], tumen_places::Gazetteer::embedded());
        assert_eq!(chains.len(), 1, "{chains:#?}");
        let chain = &chains[0];
        assert_eq!(
            (chain.origin.as_str(), chain.destination.as_str(), chain.vessels.as_slice()),
            ("najin", "dunay", &[ship][..])
        );
        let weights: Vec<f64> = chain.reasons.iter().map(|r| r.weight).collect();
        assert_eq!(weights, [Weights::VOYAGE, Weights::LOADED, Weights::AIS_DISABLING, Weights::RAIL_SPIKE]);
        // 1 − 0.8 × 0.7 × 0.6 × 0.6
        assert!((chain.confidence - 0.798).abs() < 1e-9, "{}", chain.confidence);
        assert_eq!(chain.events, ["v1", "d1", "g1", "v2", "f1"]);
        assert_eq!(chain.end, Timestamp::from_unix_ms(100 * HOUR_MS), "the rail spike ends the chain");
    }

    fn corridor() -> Corridor {
        toml::from_str("id = 'test'\norigins = ['najin']\ndestinations = ['dunay', 'vostochny']\n").unwrap()
    }

    fn visit(id: &str, mmsi: u32, from_h: i64, to_h: i64, place: &str) -> Event {
        event(id, EventKind::PortVisit, mmsi, from_h, to_h, Some(place))
    }

    fn chains_of(events: &[Event]) -> Vec<Chain> {
        link(events, &[], &[corridor()], tumen_places::Gazetteer::embedded())
    }

    #[test]
    fn visits_at_one_port_under_two_days_apart_are_one_stay() {
        let ship = 273_000_100;
        let events =
            [visit("v1", ship, 0, 10, "najin"), visit("v2", ship, 40, 50, "najin"), visit("v3", ship, 80, 90, "dunay")];
        let chains = chains_of(&events);
        assert_eq!(chains.len(), 1, "{chains:#?}");
        let chain = &chains[0];
        assert_eq!((chain.loading_from, chain.loading_to), (events[0].start, events[1].end));
        assert_eq!((chain.landing_from, chain.landing_to), (events[2].start, events[2].end));
        assert_eq!(chain.events, ["v1", "v2", "v3"]);
        assert_eq!((chain.identity_probability, chain.leg_probability), (1.0, 1.0), "AIS at both ends");
        assert_eq!(chain.reasons.len(), 1, "a bare voyage: {:?}", chain.reasons);
        assert!((chain.confidence - Weights::VOYAGE).abs() < 1e-12);
    }

    #[test]
    fn a_voyage_longer_than_the_limit_or_a_return_to_the_origin_is_no_leg() {
        let ship = 273_000_200;
        // Six days from Najin to Dunay: over the corridor's five.
        let late = [visit("v1", ship, 0, 10, "najin"), visit("v2", ship, 10 + 6 * 24, 10 + 7 * 24, "dunay")];
        assert!(chains_of(&late).is_empty());
        // Back at Najin three days later: the leg starts from the second stay.
        let back = [
            visit("v1", ship, 0, 10, "najin"),
            visit("v2", ship, 82, 90, "najin"),
            visit("v3", ship, 120, 130, "dunay"),
        ];
        let chains = chains_of(&back);
        assert_eq!(chains.len(), 1, "{chains:#?}");
        assert_eq!(chains[0].loading_from, back[1].start);
        assert_eq!(chains[0].events, ["v2", "v3"]);
    }

    #[test]
    fn one_origin_stay_may_lead_to_two_destinations_and_ids_are_stable() {
        let ship = 273_000_300;
        let events = [
            visit("v1", ship, 0, 10, "najin"),
            visit("v2", ship, 30, 40, "vostochny"),
            visit("v3", ship, 60, 70, "dunay"),
            // Ports outside the corridor make no calls.
            visit("v4", ship, 45, 50, "busan"),
        ];
        let chains = chains_of(&events);
        let mut ends: Vec<&str> = chains.iter().map(|c| c.destination.as_str()).collect();
        ends.sort_unstable();
        assert_eq!(ends, ["dunay", "vostochny"], "{chains:#?}");
        assert!(chains.iter().all(|c| c.origin == "najin" && c.vessels == [ship]));
        let again = chains_of(&events);
        let ids = |chains: &[Chain]| chains.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&chains), ids(&again));
        assert_ne!(chains[0].id, chains[1].id);
    }
}
