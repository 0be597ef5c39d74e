//! Rules over what is stored (after `tumen run`, and when `tumen watch`
//! starts or re-runs): watch-list hits, gaps, dark detections, facility
//! anomalies and chains as events; the listed vessels' tracks for their
//! entries into zones.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tumen_model::{Event, EventKind, LatLon, ObjectClass, Timestamp};
use tumen_places::Gazetteer;
use tumen_store::{ChainRecord, PositionRow};

use crate::alert::Alert;
use crate::rules::{AlertConfig, Rule, Trigger};
use crate::zones::Zone;

/// A vessel a watch list matched: why, for the alert's message.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    /// `list: entry name`.
    pub label: String,
    /// The `watchlist_hit` event.
    pub hit: String,
}

/// The vessels matched (not merely resembling) in `events`' watch-list hits.
pub fn listed_vessels(events: &[Event]) -> BTreeMap<u32, Listed> {
    let mut listed = BTreeMap::new();
    for e in events.iter().filter(|e| e.kind == EventKind::WatchlistHit) {
        if e.flag("matched") != Some(true) {
            continue;
        }
        let label = format!("{}: {}", e.text("list").unwrap_or("?"), e.text("entry_name").unwrap_or("?"));
        for mmsi in &e.mmsis {
            listed.entry(mmsi.0).or_insert_with(|| Listed { label: label.clone(), hit: e.id.clone() });
        }
    }
    listed
}

/// The event kinds the stored rules read.
pub const EVENT_KINDS: [EventKind; 5] = [
    EventKind::WatchlistHit,
    EventKind::Gap,
    EventKind::AisDisabling,
    EventKind::DarkDetection,
    EventKind::FacilityAnomaly,
];

/// Every alert the rules raise over stored `events` and `chains`;
/// `track` gives a listed vessel's positions.
pub fn stored_alerts<E>(
    config: &AlertConfig,
    gazetteer: &Gazetteer,
    events: &[Event],
    chains: &[ChainRecord],
    track: &mut dyn FnMut(u32) -> Result<Vec<PositionRow>, E>,
) -> Result<Vec<Alert>, E> {
    let listed = listed_vessels(events);
    let mut alerts = Vec::new();
    for rule in &config.rule {
        let zones: Vec<Zone> = rule.zones(gazetteer).into_iter().map(Zone::new).collect();
        let named = |place: Option<&str>| place.is_some_and(|p| zones.iter().any(|z| z.place.id == p));
        match rule.when {
            Trigger::ListedVesselInZone => {
                for (&mmsi, why) in &listed {
                    let mut entries = ZoneEntries::default();
                    for row in track(mmsi)? {
                        alerts.extend(entries.step(rule, &zones, mmsi, why, &row));
                    }
                }
            }
            Trigger::WentDarkNearPort => {
                for e in events.iter().filter(|e| matches!(e.kind, EventKind::Gap | EventKind::AisDisabling)) {
                    let Some(last) = e.position else { continue };
                    let hours = e.number("duration_hours");
                    if hours.unwrap_or(0.0) < rule.silent_hours {
                        continue;
                    }
                    let last_heard = e.evidence.first().map_or(Value::Null, |record| json!(record));
                    for mmsi in &e.mmsis {
                        let silence = Silence { mmsi: mmsi.0, last_time: e.start, last, hours };
                        alerts.extend(went_dark(rule, &zones, &silence, last_heard.clone(), Some(&e.id)));
                    }
                }
            }
            Trigger::DarkDetection => {
                for e in events.iter().filter(|e| e.kind == EventKind::DarkDetection && named(e.place.as_deref())) {
                    alerts.push(from_event(
                        rule,
                        e,
                        format!("seen by satellite at {}, not on AIS", e.place.as_deref().unwrap_or("?")),
                    ));
                }
            }
            Trigger::FacilityAnomaly => {
                for e in events.iter().filter(|e| e.kind == EventKind::FacilityAnomaly) {
                    let in_zone = rule.places.is_empty() || named(e.place.as_deref());
                    if e.number("z").unwrap_or(0.0) >= rule.min_z && in_zone {
                        let message = format!(
                            "{}: {} against {:.1} expected",
                            e.text("site").unwrap_or("?"),
                            ObjectClass::counted_as(
                                e.text("object_class").unwrap_or("objects"),
                                e.number("peak_count").unwrap_or(0.0)
                            ),
                            e.number("expected").unwrap_or(0.0)
                        );
                        alerts.push(from_event(rule, e, message));
                    }
                }
            }
            Trigger::Chain => {
                for c in chains.iter().filter(|c| c.confidence >= rule.min_confidence) {
                    let chain: Value = serde_json::from_str(&c.chain).unwrap_or(Value::Null);
                    let message = format!(
                        "suspected shipment {} → {} (confidence {:.2})",
                        chain["origin"].as_str().unwrap_or("?"),
                        chain["destination"].as_str().unwrap_or("?"),
                        c.confidence
                    );
                    alerts.push(Alert::new(
                        rule.name(),
                        rule.when,
                        &c.id,
                        c.start,
                        c.vessels.clone(),
                        chain["origin"].as_str().map(str::to_owned),
                        None,
                        message,
                        Some(c.id.clone()),
                        json!([]),
                    ));
                }
            }
        }
    }
    alerts.sort_by(|a, b| (a.time, &a.id).cmp(&(b.time, &b.id)));
    let mut seen = std::collections::HashSet::new();
    alerts.retain(|a| seen.insert(a.id.clone()));
    Ok(alerts)
}

fn from_event(rule: &Rule, e: &Event, message: String) -> Alert {
    Alert::new(
        rule.name(),
        rule.when,
        &e.id,
        e.start,
        e.mmsis.iter().map(|m| m.0).collect(),
        e.place.clone(),
        e.position.map(|p| (p.lat_deg, p.lon_deg)),
        message,
        Some(e.id.clone()),
        json!(e.evidence),
    )
}

/// A vessel silent since `last_time` at `last`, for `hours` when the
/// silence has ended (a stored gap), or still.
pub(crate) struct Silence {
    pub mmsi: u32,
    pub last_time: Timestamp,
    pub last: LatLon,
    pub hours: Option<f64>,
}

/// An alert when a silence began within the rule's distance of one of its
/// ports (the nearest named). The key is the vessel and the time of its
/// last report, so the live watch and a later run raise the same alert
/// once.
pub(crate) fn went_dark(
    rule: &Rule,
    zones: &[Zone],
    silence: &Silence,
    evidence: Value,
    subject: Option<&str>,
) -> Option<Alert> {
    let Silence { mmsi, last_time, last, hours } = *silence;
    let near = zones
        .iter()
        .filter(|z| z.within_nm(last, rule.within_nm))
        .min_by(|a, b| a.place.distance_outside_m(last).total_cmp(&b.place.distance_outside_m(last)))?;
    Some(Alert::new(
        rule.name(),
        rule.when,
        &format!("{mmsi}:{}", last_time.unix_ms()),
        last_time,
        vec![mmsi],
        Some(near.place.id.clone()),
        Some((last.lat_deg, last.lon_deg)),
        match hours {
            Some(hours) => format!("{mmsi} silent {hours:.1} h after it was last heard near {}", near.place.name),
            None => format!("{mmsi} silent {} h or more, last heard near {}", rule.silent_hours, near.place.name),
        },
        subject.map(str::to_owned),
        json!([evidence]),
    ))
}

/// Which zones a vessel was last seen inside, to see it enter one.
#[derive(Default)]
pub(crate) struct ZoneEntries {
    inside: Vec<String>,
}

impl ZoneEntries {
    /// The alerts of a position: one per zone the vessel was not inside at
    /// its previous position (or at all before). The key is the vessel,
    /// the zone and the day, so a vessel weaving along a boundary raises
    /// one alert a day.
    pub(crate) fn step(
        &mut self,
        rule: &Rule,
        zones: &[Zone],
        mmsi: u32,
        why: &Listed,
        row: &PositionRow,
    ) -> Vec<Alert> {
        let p = LatLon { lat_deg: row.lat_deg, lon_deg: row.lon_deg };
        let now_inside: Vec<String> = zones.iter().filter(|z| z.contains(p)).map(|z| z.place.id.clone()).collect();
        let mut alerts = Vec::new();
        for zone in now_inside.iter().filter(|z| !self.inside.contains(z)) {
            let day = row.time.unix_ms().div_euclid(86_400_000);
            let name = zones.iter().find(|z| &z.place.id == zone).map_or(zone.as_str(), |z| z.place.name.as_str());
            alerts.push(Alert::new(
                rule.name(),
                rule.when,
                &format!("{mmsi}:{zone}:{day}"),
                row.time,
                vec![mmsi],
                Some(zone.clone()),
                Some((row.lat_deg, row.lon_deg)),
                format!("listed vessel {mmsi} ({}) entered {name}", why.label),
                Some(why.hit.clone()),
                json!([{"source_id": row.origin.source_id, "line": row.origin.line, "time": row.time.to_string(), "lat": row.lat_deg, "lon": row.lon_deg, "role": "position inside the zone"}]),
            ));
        }
        self.inside = now_inside;
        alerts
    }
}
