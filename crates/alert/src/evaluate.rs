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
                json!([row.evidence("position inside the zone")]),
            ));
        }
        self.inside = now_inside;
        alerts
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tumen_model::event::Value;
    use tumen_model::{Mmsi, PlaceKind};
    use tumen_store::{Origin, StationClass, TimeOrigin};

    use super::*;

    const HOUR_MS: i64 = 3_600_000;

    fn event(
        id: &str,
        kind: EventKind,
        at: Option<LatLon>,
        place: Option<&str>,
        attributes: &[(&'static str, Value)],
    ) -> Event {
        Event {
            id: id.into(),
            kind,
            mmsis: vec![Mmsi(273_000_001)],
            start: Timestamp::from_unix_ms(10 * HOUR_MS),
            end: Timestamp::from_unix_ms(20 * HOUR_MS),
            position: at,
            place: place.map(str::to_owned),
            attributes: attributes.iter().cloned().collect::<BTreeMap<_, _>>(),
            confidence: 3,
            profile: "default".into(),
            evidence: vec![tumen_model::Evidence {
                source_id: 1,
                line: 7,
                time: Timestamp::from_unix_ms(10 * HOUR_MS),
                position: at,
                role: "last position before the gap",
            }],
        }
    }

    fn position(mmsi: u32, hour: i64, at: LatLon) -> PositionRow {
        PositionRow {
            mmsi: Mmsi(mmsi),
            time: Timestamp::from_unix_ms(hour * HOUR_MS),
            lat_deg: at.lat_deg,
            lon_deg: at.lon_deg,
            sog_knots: Some(8.0),
            cog_deg: None,
            heading_deg: None,
            nav_status: None,
            msg_type: 1,
            class: StationClass::A,
            receiver: None,
            receivers_heard: 1,
            time_origin: TimeOrigin::TagBlock,
            origin: Origin { source_id: 1, line: hour as u64 },
        }
    }

    /// The alerts' rule and subject (or key), in time order.
    fn raised(events: &[Event], chains: &[ChainRecord], track: &[PositionRow]) -> Vec<(Trigger, String)> {
        let gazetteer = Gazetteer::embedded();
        let mut track = |_mmsi: u32| Ok::<_, ()>(track.to_vec());
        let alerts = stored_alerts(&AlertConfig::default(), gazetteer, events, chains, &mut track).unwrap();
        alerts.into_iter().map(|a| (a.when, a.subject.unwrap_or(a.message))).collect()
    }

    #[test]
    fn each_rule_raises_on_what_passes_its_threshold_and_only_that() {
        let gazetteer = Gazetteer::embedded();
        let najin = gazetteer.get("najin").unwrap();
        assert!(najin.watched && najin.kind == PlaceKind::Port);
        let at_najin = najin.centre();
        let mid_pacific = LatLon { lat_deg: 10.0, lon_deg: -150.0 };
        let hours = |h: f64| ("duration_hours", Value::Number(h));
        let events = [
            event("gap-long", EventKind::Gap, Some(at_najin), None, &[hours(12.0)]),
            event("gap-short", EventKind::Gap, Some(at_najin), None, &[hours(2.0)]),
            event("off-far", EventKind::AisDisabling, Some(mid_pacific), None, &[hours(40.0)]),
            event("dark-najin", EventKind::DarkDetection, Some(at_najin), Some("najin"), &[]),
            event("dark-nowhere", EventKind::DarkDetection, Some(mid_pacific), None, &[]),
            event("spike", EventKind::FacilityAnomaly, None, Some("tumangang"), &[("z", Value::Number(11.3))]),
            event("blip", EventKind::FacilityAnomaly, None, Some("tumangang"), &[("z", Value::Number(1.2))]),
        ];
        let chain = |id: &str, confidence: f64| ChainRecord {
            id: id.into(),
            corridor: "test".into(),
            vessels: vec![273_000_001],
            start: Timestamp::from_unix_ms(0),
            end: Timestamp::from_unix_ms(HOUR_MS),
            confidence,
            chain: r#"{"origin": "najin", "destination": "dunay"}"#.into(),
        };
        let got = raised(&events, &[chain("strong", 0.8), chain("weak", 0.3)], &[]);
        let mut subjects: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
        subjects.sort_unstable();
        assert_eq!(subjects, ["dark-najin", "gap-long", "spike", "strong"], "{got:?}");
    }

    #[test]
    fn a_listed_vessel_raises_one_alert_on_entering_each_zone() {
        let gazetteer = Gazetteer::embedded();
        let at_najin = gazetteer.get("najin").unwrap().centre();
        let outside = LatLon { lat_deg: at_najin.lat_deg - 1.0, lon_deg: at_najin.lon_deg + 1.0 };
        let mut hit = event("hit", EventKind::WatchlistHit, None, None, &[]);
        hit.attributes.insert("matched", Value::Flag(true));
        hit.attributes.insert("list", Value::Text("OFAC SDN".into()));
        hit.attributes.insert("entry_name", Value::Text("ANGARA".into()));
        let mut resembles = event("near-hit", EventKind::WatchlistHit, None, None, &[]);
        resembles.mmsis = vec![Mmsi(273_000_002)];
        resembles.attributes.insert("matched", Value::Flag(false));
        assert_eq!(listed_vessels(&[hit.clone(), resembles.clone()]).len(), 1, "a resemblance is no match");
        let track = [
            position(273_000_001, 1, outside),
            position(273_000_001, 2, at_najin),
            position(273_000_001, 3, at_najin),
            position(273_000_001, 4, outside),
        ];
        let got = raised(&[hit, resembles], &[], &track);
        let entries: Vec<_> = got.iter().filter(|(when, _)| *when == Trigger::ListedVesselInZone).collect();
        // Najin lies in more than one watched place (the port, the gulf):
        // one alert for each, however long the vessel stays.
        let zones = Rule::new(Trigger::ListedVesselInZone).zones(gazetteer);
        let containing = zones.iter().filter(|z| Zone::new(z).contains(at_najin)).count();
        assert!(containing >= 1);
        assert_eq!(entries.len(), containing, "{got:?}");
        assert!(entries.iter().all(|(_, subject)| subject == "hit"), "the alerts rest on the list hit");
    }
}
