//! An alert: what rule saw what, when, where, resting on which records.

use serde::Serialize;
use serde_json::Value;
use tumen_model::Timestamp;
use tumen_store::AlertRecord;

use crate::rules::Trigger;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alert {
    /// Stable: the rule and what it saw (see [`Alert::new`]); the same
    /// sighting raised again has the same id, and is not raised twice.
    pub id: String,
    pub rule: String,
    pub when: Trigger,
    /// When it happened (the data's time).
    #[serde(serialize_with = "rfc3339")]
    pub time: Timestamp,
    pub mmsis: Vec<u32>,
    pub place: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// One line for a person.
    pub message: String,
    /// The stored event or chain it rests on, when it rests on one.
    pub subject: Option<String>,
    /// The records it rests on (as events cite them: source id, line,
    /// role, time).
    pub evidence: Value,
}

fn rfc3339<S: serde::Serializer>(t: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(t)
}

impl Alert {
    /// An alert whose id hashes the rule's name and `key` (what makes two
    /// sightings the same: an event id, a chain id, a vessel's silence).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        rule: &str,
        when: Trigger,
        key: &str,
        time: Timestamp,
        mmsis: Vec<u32>,
        place: Option<String>,
        at: Option<(f64, f64)>,
        message: String,
        subject: Option<String>,
        evidence: Value,
    ) -> Alert {
        let hash = xxhash_rust::xxh3::xxh3_64(format!("{rule}\u{0}{key}").as_bytes());
        Alert {
            id: format!("alert-{hash:016x}"),
            rule: rule.to_owned(),
            when,
            time,
            mmsis,
            place,
            lat: at.map(|a| a.0),
            lon: at.map(|a| a.1),
            message,
            subject,
            evidence,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("alerts serialize")
    }

    pub fn to_record(&self, raised: Timestamp) -> AlertRecord {
        AlertRecord {
            id: self.id.clone(),
            rule: self.rule.clone(),
            time: self.time,
            raised,
            alert: self.to_json(),
            webhook: None,
        }
    }
}
