//! What a detector finds: an event with its evidence.

use std::collections::BTreeMap;

use tumen_model::{LatLon, Mmsi, Timestamp};
use tumen_store::{EventRecord, StaticSpan};

use crate::fix::Fix;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
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

/// A record an event rests on: the source and line it was read from, and
/// what it said when.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evidence {
    pub source_id: u32,
    pub line: u64,
    pub time: Timestamp,
    /// Where the record placed the vessel (none for identity reports).
    pub position: Option<LatLon>,
    /// What the record shows, e.g. "entry", "stop start", "last before gap".
    pub role: &'static str,
}

impl Evidence {
    pub fn of(row: &Fix, role: &'static str) -> Evidence {
        Evidence {
            source_id: row.origin.source_id,
            line: row.origin.line,
            time: row.time,
            position: Some(row.position()),
            role,
        }
    }

    /// The first report of a registry value (identity reports carry no
    /// position).
    pub fn first_report(span: &StaticSpan, role: &'static str) -> Evidence {
        Evidence { source_id: span.source_id, line: span.first_line, time: span.first_time, position: None, role }
    }
}

/// A measured attribute of an event.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
    Time(Timestamp),
    Flag(bool),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Stable: the same input and profile give the same id on every run.
    pub id: String,
    pub kind: EventKind,
    pub mmsis: Vec<Mmsi>,
    pub start: Timestamp,
    pub end: Timestamp,
    /// Where it happened; none when no position of the vessel is known.
    pub position: Option<LatLon>,
    /// The gazetteer id of the place it happened at, if any.
    pub place: Option<String>,
    pub attributes: BTreeMap<&'static str, Value>,
    /// 1 (weak) to 4 (strong), as the detector defines it.
    pub confidence: u8,
    /// The profile whose thresholds found it.
    pub profile: String,
    pub evidence: Vec<Evidence>,
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
}

impl Event {
    /// The event as the catalog keeps it: attributes as a JSON object,
    /// evidence as a JSON array of {source_id, line, time, lat, lon, role}.
    pub fn to_record(&self) -> EventRecord {
        let attributes: serde_json::Map<String, serde_json::Value> = self
            .attributes
            .iter()
            .map(|(key, value)| {
                let json = match value {
                    Value::Number(n) => serde_json::json!((n * 1000.0).round() / 1000.0),
                    Value::Text(t) => serde_json::json!(t),
                    Value::Time(t) => serde_json::json!(t.to_string()),
                    Value::Flag(f) => serde_json::json!(f),
                };
                ((*key).to_owned(), json)
            })
            .collect();
        let evidence: Vec<serde_json::Value> = self
            .evidence
            .iter()
            .map(|e| {
                serde_json::json!({
                    "source_id": e.source_id,
                    "line": e.line,
                    "time": e.time.to_string(),
                    "lat": e.position.map(|p| p.lat_deg),
                    "lon": e.position.map(|p| p.lon_deg),
                    "role": e.role,
                })
            })
            .collect();
        EventRecord {
            id: self.id.clone(),
            kind: self.kind.as_str().to_owned(),
            mmsis: self.mmsis.iter().map(|m| m.0).collect(),
            start: self.start,
            end: self.end,
            lat_deg: self.position.map(|p| p.lat_deg),
            lon_deg: self.position.map(|p| p.lon_deg),
            place: self.place.clone(),
            confidence: self.confidence,
            profile: self.profile.clone(),
            attributes: serde_json::Value::Object(attributes).to_string(),
            evidence: serde_json::Value::Array(evidence).to_string(),
        }
    }
}

impl Event {
    /// The event a record holds (see [`Event::to_record`]), so that events
    /// can be handed between processes and back: `Event::from_record(&r)?
    /// .to_record() == r`. Times among the attributes come back as text,
    /// which a record writes alike.
    pub fn from_record(record: &EventRecord) -> Result<Event, String> {
        let kind = EventKind::parse(&record.kind)
            .ok_or_else(|| format!("event {}: unknown kind {}", record.id, record.kind))?;
        let attributes: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&record.attributes).map_err(|e| format!("event {}: attributes: {e}", record.id))?;
        let attributes = attributes
            .into_iter()
            .map(|(key, value)| {
                let value = match value {
                    serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
                    serde_json::Value::String(t) => Value::Text(t),
                    serde_json::Value::Bool(f) => Value::Flag(f),
                    other => return Err(format!("event {}: attribute {key}: {other} is not a value", record.id)),
                };
                Ok((intern(&key), value))
            })
            .collect::<Result<_, String>>()?;
        #[derive(serde::Deserialize)]
        struct EvidenceRecord {
            source_id: u32,
            line: u64,
            time: String,
            lat: Option<f64>,
            lon: Option<f64>,
            role: String,
        }
        let evidence: Vec<EvidenceRecord> =
            serde_json::from_str(&record.evidence).map_err(|e| format!("event {}: evidence: {e}", record.id))?;
        let evidence = evidence
            .into_iter()
            .map(|e| {
                Ok(Evidence {
                    source_id: e.source_id,
                    line: e.line,
                    time: e
                        .time
                        .parse()
                        .map_err(|err| format!("event {}: evidence time {}: {err}", record.id, e.time))?,
                    position: e.lat.zip(e.lon).map(|(lat_deg, lon_deg)| LatLon { lat_deg, lon_deg }),
                    role: intern(&e.role),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Event {
            id: record.id.clone(),
            kind,
            mmsis: record.mmsis.iter().map(|&m| Mmsi(m)).collect(),
            start: record.start,
            end: record.end,
            position: record.lat_deg.zip(record.lon_deg).map(|(lat_deg, lon_deg)| LatLon { lat_deg, lon_deg }),
            place: record.place.clone(),
            attributes,
            confidence: record.confidence,
            profile: record.profile.clone(),
            evidence,
        })
    }
}

/// A name read back from a record, kept for the life of the process (the
/// names are the detectors' own attribute names and evidence roles: a
/// handful).
fn intern(name: &str) -> &'static str {
    static NAMES: std::sync::OnceLock<std::sync::Mutex<std::collections::HashSet<&'static str>>> =
        std::sync::OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(known) = names.get(name) {
        return known;
    }
    let kept: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(kept);
    kept
}

/// A `DarkDetection`'s attributes holding its candidates' scores, in the
/// order of its `mmsis` (at most three are named): written by fusion, read
/// by the chains, which weigh who a sighting was across sightings.
pub const DARK_CANDIDATE_SCORE_KEYS: [&str; 3] =
    ["best_candidate_score", "second_candidate_score", "third_candidate_score"];

/// Hours from `earlier` to `later`.
pub(crate) fn hours_between(earlier: Timestamp, later: Timestamp) -> f64 {
    later.ms_since(earlier) as f64 / 3_600_000.0
}
