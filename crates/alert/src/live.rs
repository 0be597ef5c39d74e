//! Rules over a live feed (`tumen watch`): each position as it is decoded
//! — a listed vessel entering a zone raises its alert at once — and a
//! clock — a vessel last heard near a watched port raises its alert when
//! its silence reaches the rule's length.
//!
//! The clock is the data's: the latest position time seen, advanced by the
//! wall clock since it arrived. A live feed's times are the wall clock's;
//! a replayed file's are its own, and silences are measured in them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use serde_json::json;
use tumen_model::{LatLon, Timestamp};
use tumen_places::Gazetteer;
use tumen_store::PositionRow;

use crate::alert::Alert;
use crate::evaluate::{Listed, Silence, ZoneEntries, went_dark};
use crate::rules::{AlertConfig, Rule, Trigger};
use crate::zones::Zone;

/// Where a vessel was last heard, near one of a rule's ports.
struct LastHeard {
    time: Timestamp,
    at: LatLon,
    evidence: serde_json::Value,
}

pub struct LiveWatch<'g> {
    rules: Vec<(Rule, Vec<Zone<'g>>)>,
    listed: BTreeMap<u32, Listed>,
    /// (rule, vessel) → the zones it was inside.
    entries: HashMap<(usize, u32), ZoneEntries>,
    /// (rule, vessel) → its last report, while that is near a port.
    near_port: HashMap<(usize, u32), LastHeard>,
    latest: Option<(Timestamp, Instant)>,
    raised: HashSet<String>,
}

impl<'g> LiveWatch<'g> {
    /// Watches with the rules that read a feed (the others read stored
    /// events); `listed` from the stored watch-list hits.
    pub fn new(config: &AlertConfig, gazetteer: &'g Gazetteer, listed: BTreeMap<u32, Listed>) -> LiveWatch<'g> {
        let rules = config
            .rule
            .iter()
            .filter(|r| matches!(r.when, Trigger::ListedVesselInZone | Trigger::WentDarkNearPort))
            .map(|r| (r.clone(), r.zones(gazetteer).into_iter().map(Zone::new).collect()))
            .collect();
        LiveWatch {
            rules,
            listed,
            entries: HashMap::new(),
            near_port: HashMap::new(),
            latest: None,
            raised: HashSet::new(),
        }
    }

    /// Alerts already raised (stored before the watch began) are not
    /// raised again.
    pub fn already_raised(&mut self, ids: impl IntoIterator<Item = String>) {
        self.raised.extend(ids);
    }

    /// The listed vessels, as a re-run found them.
    pub fn set_listed(&mut self, listed: BTreeMap<u32, Listed>) {
        self.listed = listed;
    }

    /// The alerts these positions raise.
    pub fn positions(&mut self, rows: &[PositionRow]) -> Vec<Alert> {
        let mut alerts = Vec::new();
        for row in rows {
            if self.latest.is_none_or(|(t, _)| row.time > t) {
                self.latest = Some((row.time, Instant::now()));
            }
            let mmsi = row.mmsi.0;
            let at = LatLon { lat_deg: row.lat_deg, lon_deg: row.lon_deg };
            for (index, (rule, zones)) in self.rules.iter().enumerate() {
                match rule.when {
                    Trigger::ListedVesselInZone => {
                        if let Some(why) = self.listed.get(&mmsi) {
                            alerts.extend(
                                self.entries.entry((index, mmsi)).or_default().step(rule, zones, mmsi, why, row),
                            );
                        }
                    }
                    Trigger::WentDarkNearPort => {
                        let heard = self.near_port.get(&(index, mmsi)).map(|h| h.time);
                        if heard.is_some_and(|t| t > row.time) {
                            continue;
                        }
                        if zones.iter().any(|z| z.within_nm(at, rule.within_nm)) {
                            let evidence = json!({"source_id": row.origin.source_id, "line": row.origin.line, "time": row.time.to_string(), "lat": row.lat_deg, "lon": row.lon_deg, "role": "last position before the silence"});
                            self.near_port.insert((index, mmsi), LastHeard { time: row.time, at, evidence });
                        } else {
                            self.near_port.remove(&(index, mmsi));
                        }
                    }
                    _ => {}
                }
            }
        }
        alerts.retain(|a| self.raised.insert(a.id.clone()));
        alerts
    }

    /// The alerts of silences that have reached their rule's length.
    pub fn tick(&mut self) -> Vec<Alert> {
        let Some((latest, arrived)) = self.latest else { return Vec::new() };
        let now_ms = latest.unix_ms() + arrived.elapsed().as_millis() as i64;
        let mut alerts = Vec::new();
        let rules = &self.rules;
        self.near_port.retain(|&(index, mmsi), heard| {
            let (rule, zones) = &rules[index];
            let silent_ms = (rule.silent_hours * 3_600_000.0) as i64;
            if now_ms - heard.time.unix_ms() < silent_ms {
                return true;
            }
            let silence = Silence { mmsi, last_time: heard.time, last: heard.at, hours: None };
            alerts.extend(went_dark(rule, zones, &silence, heard.evidence.clone(), None));
            false
        });
        alerts.retain(|a| self.raised.insert(a.id.clone()));
        alerts.sort_by(|a, b| (a.time, &a.id).cmp(&(b.time, &b.id)));
        alerts
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use tumen_model::Mmsi;
    use tumen_store::{Origin, StationClass, TimeOrigin};

    fn row(mmsi: u32, time_s: i64, lat_deg: f64, lon_deg: f64) -> PositionRow {
        PositionRow {
            mmsi: Mmsi(mmsi),
            time: Timestamp::from_unix_ms(time_s * 1000),
            lat_deg,
            lon_deg,
            sog_knots: None,
            cog_deg: None,
            heading_deg: None,
            nav_status: None,
            msg_type: 1,
            class: StationClass::A,
            receiver: None::<Arc<str>>,
            receivers_heard: 1,
            time_origin: TimeOrigin::TagBlock,
            origin: Origin { source_id: 1, line: time_s as u64 },
        }
    }

    #[test]
    fn a_listed_vessel_entering_a_zone_is_alerted_once() {
        let gazetteer = Gazetteer::embedded();
        let mut config = AlertConfig::default();
        config.rule.retain(|r| r.when == Trigger::ListedVesselInZone);
        config.rule[0].places = vec!["najin".into()];
        let listed =
            BTreeMap::from([(273_356_110, Listed { label: "OFAC: ANGARA".into(), hit: "watchlist_hit-1".into() })]);
        let mut watch = LiveWatch::new(&config, gazetteer, listed);
        // Outside, then inside Najin, inside again, out and in the same day.
        let outside = row(273_356_110, 1_000, 42.0, 130.9);
        let inside = row(273_356_110, 2_000, 42.2333, 130.3);
        assert!(watch.positions(std::slice::from_ref(&outside)).is_empty());
        let alerts = watch.positions(std::slice::from_ref(&inside));
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].place.as_deref(), Some("najin"));
        assert!(alerts[0].message.contains("ANGARA"));
        assert_eq!(alerts[0].evidence[0]["line"], 2000);
        assert!(watch.positions(&[row(273_356_110, 3_000, 42.2333, 130.3)]).is_empty());
        assert!(watch.positions(&[outside, row(273_356_110, 4_000, 42.2333, 130.3)]).is_empty(), "same day");
        // An unlisted vessel there raises nothing.
        assert!(watch.positions(&[row(412_000_001, 5_000, 42.2333, 130.3)]).is_empty());
    }

    #[test]
    fn silence_near_a_port_is_alerted_when_it_reaches_the_rule() {
        let gazetteer = Gazetteer::embedded();
        let mut config = AlertConfig::default();
        config.rule.retain(|r| r.when == Trigger::WentDarkNearPort);
        config.rule[0].silent_hours = 1.0;
        let mut watch = LiveWatch::new(&config, gazetteer, BTreeMap::new());
        // Heard at Najin at t = 0; another vessel far at sea keeps the
        // data clock going.
        assert!(watch.positions(&[row(273_214_860, 0, 42.24, 130.31)]).is_empty());
        watch.positions(&[row(999_000_001, 1_800, 10.0, -30.0)]);
        assert!(watch.tick().is_empty(), "silent half an hour");
        watch.positions(&[row(999_000_001, 3_700, 10.0, -30.0)]);
        let alerts = watch.tick();
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!((alerts[0].mmsis[0], alerts[0].place.as_deref()), (273_214_860, Some("najin")));
        assert!(watch.tick().is_empty(), "raised once");
        // Heard again and silent again: a new silence, a new alert.
        watch.positions(&[row(273_214_860, 4_000, 42.24, 130.31)]);
        watch.positions(&[row(999_000_001, 7_700, 10.0, -30.0)]);
        assert_eq!(watch.tick().len(), 1);
    }
}
