//! What the pipeline finds: an event with the records it rests on.
//!
//! Every finder speaks this vocabulary — the detectors, screening against
//! watch lists, fusion with imagery — and every reader takes it back: the
//! store keeps events as they are (`catalog.sqlite`'s `events` table and the
//! Arrow events table), alerts, chains, reports and the server read them.
//!
//! An event's JSON form (serde) is what `tumen events --format json`, the
//! server and the worker protocol carry, and what the store keeps in its
//! `attributes` and `evidence` columns:
//! `{"id", "kind", "mmsis", "start", "end", "lat", "lon", "place",
//! "confidence", "profile", "attributes": {…}, "evidence": [{"source_id",
//! "line", "time", "lat", "lon", "role"}, …]}`, times as RFC 3339, numbers
//! among the attributes to three decimals.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{LatLon, Mmsi, Timestamp};

/// What kind of finding an event is. Written in snake case
/// (`port_visit`, `ais_disabling`), as [`EventKind::as_str`] gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A stay inside a port's boundary.
    PortVisit,
    /// A silence of at least the naive threshold (reception gaps included).
    Gap,
    /// A gap that looks like AIS switched off: long, after good reception,
    /// offshore or in a watched zone.
    AisDisabling,
    /// Broadcast positions that cannot be true (attribute `mode`:
    /// `on_land`, `jump`, `two_tracks`, `circle`).
    Spoofing,
    /// Two vessels together at sea.
    Encounter,
    /// Slow at sea, far from shore.
    Loitering,
    /// A broadcast identity field changed (attribute `field`: `name`,
    /// `call_sign`, `imo`, `mmsi`, `flag`).
    IdentityChange,
    /// The broadcast draught changed: cargo loaded or unloaded.
    DraughtChange,
    /// What a vessel broadcast matches a watch-list entry (screening).
    WatchlistHit,
    /// Broadcast identities that cannot all be true at once (attribute
    /// `conflict`: `shared_imo`, `two_imos`, `listed_imo_other_name`,
    /// `flag_not_listed`).
    IdentityConflict,
    /// An AIS vessel seen in a satellite image (fusion).
    DetectionMatch,
    /// A vessel in a satellite image that no AIS accounts for, with the
    /// vessels that could have been it (fusion).
    DarkDetection,
    /// An AIS vessel inside a scene that the image did not show (fusion).
    NotDetected,
    /// A facility count far above its own history (fusion).
    FacilityAnomaly,
    /// Reports of one vessel and day that are data quality, not behaviour
    /// (impossible, sign-flipped, off the track), kept out of the
    /// detectors.
    DataQuality,
    /// One MMSI broadcast by several ships in one period: the segmenter's
    /// second tracks, with the identities heard.
    SharedMmsi,
}

impl EventKind {
    /// Every kind, in the order reports list them.
    pub const ALL: [EventKind; 16] = [
        EventKind::PortVisit,
        EventKind::Gap,
        EventKind::AisDisabling,
        EventKind::Spoofing,
        EventKind::Encounter,
        EventKind::Loitering,
        EventKind::IdentityChange,
        EventKind::DraughtChange,
        EventKind::WatchlistHit,
        EventKind::IdentityConflict,
        EventKind::DetectionMatch,
        EventKind::DarkDetection,
        EventKind::NotDetected,
        EventKind::FacilityAnomaly,
        EventKind::DataQuality,
        EventKind::SharedMmsi,
    ];

    /// The kind named `name` (as [`EventKind::as_str`] writes it).
    pub fn parse(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The written name, the same serde uses.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::PortVisit => "port_visit",
            EventKind::Gap => "gap",
            EventKind::AisDisabling => "ais_disabling",
            EventKind::Spoofing => "spoofing",
            EventKind::Encounter => "encounter",
            EventKind::Loitering => "loitering",
            EventKind::IdentityChange => "identity_change",
            EventKind::DraughtChange => "draught_change",
            EventKind::WatchlistHit => "watchlist_hit",
            EventKind::IdentityConflict => "identity_conflict",
            EventKind::DetectionMatch => "detection_match",
            EventKind::DarkDetection => "dark_detection",
            EventKind::NotDetected => "not_detected",
            EventKind::FacilityAnomaly => "facility_anomaly",
            EventKind::DataQuality => "data_quality",
            EventKind::SharedMmsi => "shared_mmsi",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not an event kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEventKind(pub String);

impl fmt::Display for UnknownEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        write!(f, "unknown event kind {:?} (known: {})", self.0, known.join(", "))
    }
}

impl std::error::Error for UnknownEventKind {}

impl FromStr for EventKind {
    type Err = UnknownEventKind;

    fn from_str(name: &str) -> Result<EventKind, UnknownEventKind> {
        EventKind::parse(name).ok_or_else(|| UnknownEventKind(name.to_owned()))
    }
}

/// A record an event rests on: the source and line it was read from, and
/// what it said when.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(into = "EvidenceJson")]
pub struct Evidence {
    /// The source the record was read from (the catalog's source id).
    pub source_id: u32,
    /// The line of that source (1-based).
    pub line: u64,
    /// When the record says it was.
    pub time: Timestamp,
    /// Where the record placed the vessel (none for identity reports).
    pub position: Option<LatLon>,
    /// What the record shows, e.g. "entry", "stop start", "last before gap".
    pub role: &'static str,
}

/// [`Evidence`] as JSON: the position as two nullable numbers.
#[derive(Serialize, Deserialize)]
struct EvidenceJson {
    source_id: u32,
    line: u64,
    time: Timestamp,
    lat: Option<f64>,
    lon: Option<f64>,
    role: String,
}

impl From<Evidence> for EvidenceJson {
    fn from(e: Evidence) -> EvidenceJson {
        EvidenceJson {
            source_id: e.source_id,
            line: e.line,
            time: e.time,
            lat: e.position.map(|p| p.lat_deg),
            lon: e.position.map(|p| p.lon_deg),
            role: e.role.to_owned(),
        }
    }
}

// By hand: derived, the `&'static str` role would ask for `'de: 'static`.
impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Evidence, D::Error> {
        let e = EvidenceJson::deserialize(deserializer)?;
        Ok(Evidence {
            source_id: e.source_id,
            line: e.line,
            time: e.time,
            position: position(e.lat, e.lon),
            role: intern(&e.role),
        })
    }
}

/// A measured attribute of an event. In JSON a number (to three decimals),
/// a string or a boolean; a time is written as RFC 3339 text and so reads
/// back as [`Value::Text`] ([`Event::time`] reads either).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A measure, in the unit its name says (`duration_hours`, `distance_km`).
    Number(f64),
    /// Text: a name, a mode, a list of names.
    Text(String),
    /// A time.
    Time(Timestamp),
    /// Yes or no.
    Flag(bool),
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Three decimals keep stored attributes short and stable across
            // platforms' last-bit differences.
            Value::Number(n) => serializer.serialize_f64((n * 1000.0).round() / 1000.0),
            Value::Text(t) => serializer.serialize_str(t),
            Value::Time(t) => serializer.collect_str(t),
            Value::Flag(f) => serializer.serialize_bool(*f),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = Value;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, a string or a boolean")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
                Ok(Value::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
                Ok(Value::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
                Ok(Value::Number(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> Result<Value, E> {
                Ok(Value::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Value, E> {
                Ok(Value::Text(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
                Ok(Value::Flag(v))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// An event's attributes by name.
pub type Attributes = BTreeMap<&'static str, Value>;

/// A finding: what happened, to which vessels, when and where, how sure,
/// and the records it rests on.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Stable: the same input and profile give the same id on every run.
    pub id: String,
    /// What was found.
    pub kind: EventKind,
    /// The vessels it concerns (none for a facility's count).
    pub mmsis: Vec<Mmsi>,
    /// When it began.
    pub start: Timestamp,
    /// When it ended (the same as `start` for a moment).
    pub end: Timestamp,
    /// Where it happened; none when no position of the vessel is known.
    pub position: Option<LatLon>,
    /// The gazetteer id of the place it happened at, if any.
    pub place: Option<String>,
    /// What was measured, by name; the kind says which.
    pub attributes: Attributes,
    /// 1 (weak) to 4 (strong), as the finder defines it.
    pub confidence: u8,
    /// The profile whose thresholds found it.
    pub profile: String,
    /// The records it rests on, each with its role.
    pub evidence: Vec<Evidence>,
}

/// [`Event`] as JSON: the position as two nullable numbers.
#[derive(Deserialize)]
struct EventJson {
    id: String,
    kind: EventKind,
    mmsis: Vec<Mmsi>,
    start: Timestamp,
    end: Timestamp,
    lat: Option<f64>,
    lon: Option<f64>,
    place: Option<String>,
    confidence: u8,
    profile: String,
    #[serde(deserialize_with = "read_attributes")]
    attributes: Attributes,
    evidence: Vec<Evidence>,
}

/// [`EventJson`] borrowed, to write an event without copying it.
#[derive(Serialize)]
struct EventJsonRef<'a> {
    id: &'a str,
    kind: EventKind,
    mmsis: &'a [Mmsi],
    start: Timestamp,
    end: Timestamp,
    lat: Option<f64>,
    lon: Option<f64>,
    place: Option<&'a str>,
    confidence: u8,
    profile: &'a str,
    attributes: &'a Attributes,
    evidence: &'a [Evidence],
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        EventJsonRef {
            id: &self.id,
            kind: self.kind,
            mmsis: &self.mmsis,
            start: self.start,
            end: self.end,
            lat: self.position.map(|p| p.lat_deg),
            lon: self.position.map(|p| p.lon_deg),
            place: self.place.as_deref(),
            confidence: self.confidence,
            profile: &self.profile,
            attributes: &self.attributes,
            evidence: &self.evidence,
        }
        .serialize(serializer)
    }
}

// By hand, as for `Evidence`.
impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Event, D::Error> {
        let e = EventJson::deserialize(deserializer)?;
        Ok(Event {
            id: e.id,
            kind: e.kind,
            mmsis: e.mmsis,
            start: e.start,
            end: e.end,
            position: position(e.lat, e.lon),
            place: e.place,
            attributes: e.attributes,
            confidence: e.confidence,
            profile: e.profile,
            evidence: e.evidence,
        })
    }
}

fn read_attributes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Attributes, D::Error> {
    let named = BTreeMap::<String, Value>::deserialize(deserializer)?;
    Ok(named.into_iter().map(|(key, value)| (intern(&key), value)).collect())
}

fn position(lat: Option<f64>, lon: Option<f64>) -> Option<LatLon> {
    lat.zip(lon).map(|(lat_deg, lon_deg)| LatLon { lat_deg, lon_deg })
}

impl Event {
    /// An event's id: a hash of what identifies it — kind, vessels, start,
    /// profile — so a re-run over the same data names it the same.
    pub fn make_id(kind: EventKind, mmsis: &[Mmsi], start: Timestamp, profile: &str) -> String {
        let mut key = Vec::with_capacity(64);
        key.extend_from_slice(kind.as_str().as_bytes());
        for m in mmsis {
            key.extend_from_slice(&m.0.to_le_bytes());
        }
        key.extend_from_slice(&start.unix_ms().to_le_bytes());
        key.extend_from_slice(profile.as_bytes());
        format!("{}-{:016x}", kind.as_str(), xxhash_rust::xxh3::xxh3_64(&key))
    }

    /// The number attribute `key`.
    pub fn number(&self, key: &str) -> Option<f64> {
        match self.attributes.get(key)? {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The text attribute `key`.
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.attributes.get(key)? {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The yes/no attribute `key`.
    pub fn flag(&self, key: &str) -> Option<bool> {
        match self.attributes.get(key)? {
            Value::Flag(f) => Some(*f),
            _ => None,
        }
    }

    /// The time attribute `key`, whether as found or as read back (text).
    pub fn time(&self, key: &str) -> Option<Timestamp> {
        match self.attributes.get(key)? {
            Value::Time(t) => Some(*t),
            Value::Text(t) => t.parse().ok(),
            _ => None,
        }
    }

    /// Whether `mmsi` is one of the event's vessels.
    pub fn involves(&self, mmsi: Mmsi) -> bool {
        self.mmsis.contains(&mmsi)
    }

    /// The attributes as the store keeps them: a JSON object.
    pub fn attributes_json(&self) -> String {
        serde_json::to_string(&self.attributes).expect("attributes are plain JSON values")
    }

    /// The evidence as the store keeps it: a JSON array.
    pub fn evidence_json(&self) -> String {
        serde_json::to_string(&self.evidence).expect("evidence is plain JSON")
    }

    /// Attributes read back from [`Event::attributes_json`].
    pub fn attributes_from_json(text: &str) -> Result<Attributes, serde_json::Error> {
        read_attributes(&mut serde_json::Deserializer::from_str(text))
    }

    /// Evidence read back from [`Event::evidence_json`].
    pub fn evidence_from_json(text: &str) -> Result<Vec<Evidence>, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// A `DarkDetection`'s attributes holding its candidates' scores, in the
/// order of its `mmsis` (at most three are named): written by fusion, read
/// by the chains, which weigh who a sighting was across sightings.
pub const DARK_CANDIDATE_SCORE_KEYS: [&str; 3] =
    ["best_candidate_score", "second_candidate_score", "third_candidate_score"];

/// A name read back from JSON, kept for the life of the process: attribute
/// names and evidence roles are the finders' own, a few dozen, so events
/// keep `&'static str` names as the finders write them.
fn intern(name: &str) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.get(name) {
        return known;
    }
    let kept: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(kept);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Event {
        let start = Timestamp::from_unix_ms(1_694_068_200_000);
        Event {
            id: Event::make_id(EventKind::AisDisabling, &[Mmsi(273214860)], start, "default"),
            kind: EventKind::AisDisabling,
            mmsis: vec![Mmsi(273214860)],
            start,
            end: Timestamp::from_unix_ms(1_694_078_200_000),
            position: Some(LatLon { lat_deg: 42.24, lon_deg: 130.3 }),
            place: Some("najin".into()),
            attributes: BTreeMap::from([
                ("duration_hours", Value::Number(2.777_777_7)),
                ("resumed", Value::Time(Timestamp::from_unix_ms(1_694_078_200_000))),
                ("watched", Value::Flag(true)),
                ("mode", Value::Text("offshore".into())),
            ]),
            confidence: 3,
            profile: "default".into(),
            evidence: vec![Evidence {
                source_id: 1,
                line: 17,
                time: start,
                position: None,
                role: "last position before the gap",
            }],
        }
    }

    #[test]
    fn kinds_are_named_as_serde_names_them() {
        for kind in EventKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(kind.as_str().parse::<EventKind>(), Ok(kind));
        }
        assert!("gaps".parse::<EventKind>().unwrap_err().to_string().contains("known: port_visit, gap"));
    }

    #[test]
    fn an_event_reads_back_as_written_numbers_to_three_decimals_and_times_as_text() {
        let event = sample();
        let back: Event = serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
        assert_eq!(back.number("duration_hours"), Some(2.778));
        assert_eq!(back.time("resumed"), event.time("resumed"));
        assert_eq!(back.text("resumed"), Some("2023-09-07T09:16:40Z"));
        assert_eq!(back.flag("watched"), Some(true));
        assert_eq!(back.evidence, event.evidence);
        assert_eq!((back.id.as_str(), back.kind, back.position), (event.id.as_str(), event.kind, event.position));
        // What is read back writes the same again.
        assert_eq!(serde_json::to_string(&back).unwrap(), serde_json::to_string(&event).unwrap());
        let attributes = Event::attributes_from_json(&event.attributes_json()).unwrap();
        assert_eq!(attributes, back.attributes);
        assert_eq!(Event::evidence_from_json(&event.evidence_json()).unwrap(), event.evidence);
    }

    #[test]
    fn ids_are_stable_and_differ_by_what_identifies_an_event() {
        let start = Timestamp::from_unix_ms(0);
        let id = Event::make_id(EventKind::Gap, &[Mmsi(1)], start, "default");
        assert_eq!(id, Event::make_id(EventKind::Gap, &[Mmsi(1)], start, "default"));
        assert!(id.starts_with("gap-"));
        assert_ne!(id, Event::make_id(EventKind::Gap, &[Mmsi(2)], start, "default"));
        assert_ne!(id, Event::make_id(EventKind::Gap, &[Mmsi(1)], start, "strict"));
    }

    #[test]
    fn attributes_that_are_not_values_are_refused() {
        assert!(Event::attributes_from_json(r#"{"a": [1]}"#).is_err());
        assert!(Event::attributes_from_json("not json").is_err());
    }
}
