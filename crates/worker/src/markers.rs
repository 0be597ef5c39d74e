//! Events to be placed on the tracks, as rows among a vessel's reports.
//!
//! Identity changes, identity conflicts and watch-list hits come from the
//! registry as a whole (an IMO number moving between MMSIs links two
//! vessels), so they are found once, before the partitions, and each is
//! given to its vessel's partition as a marker row — the vessel's MMSI (the
//! last the event names), the event's end as the time, and the event — that
//! sorts among the vessel's reports; the vessel stage places it at the
//! first report at or after it, as one machine does.

use std::sync::Arc;

use arrow_array::builder::{Int64Builder, StringBuilder, TimestampMillisecondBuilder};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use serde::{Deserialize, Serialize};
use tumen_model::Timestamp;
use tumen_store::EventRecord;

/// The marker column: an event to place, as JSON (see [`event_json`]).
pub const PLACE_EVENT: &str = "place_event";

/// Marker rows: `mmsi`, `time`, [`PLACE_EVENT`]; a vessel stage's input
/// is the archive's reports and these, with the column null for reports.
pub fn marker_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("mmsi", DataType::Int64, false),
        Field::new("time", DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())), false),
        Field::new(PLACE_EVENT, DataType::Utf8, false),
    ]))
}

/// `events` as marker rows.
pub fn marker_batch(events: &[EventRecord]) -> RecordBatch {
    let mut mmsi = Int64Builder::new();
    let mut time = TimestampMillisecondBuilder::new().with_timezone("UTC");
    let mut event = StringBuilder::new();
    for e in events {
        mmsi.append_value(i64::from(*e.mmsis.last().expect("an event names a vessel")));
        time.append_value(e.end.unix_ms());
        event.append_value(event_json(e));
    }
    let columns: Vec<Arc<dyn Array>> = vec![Arc::new(mmsi.finish()), Arc::new(time.finish()), Arc::new(event.finish())];
    RecordBatch::try_new(marker_schema(), columns).expect("columns of the marker schema")
}

#[derive(Serialize, Deserialize)]
struct EventJson {
    id: String,
    kind: String,
    mmsis: Vec<u32>,
    start_ms: i64,
    end_ms: i64,
    lat: Option<f64>,
    lon: Option<f64>,
    place: Option<String>,
    confidence: u8,
    profile: String,
    attributes: String,
    evidence: String,
}

/// An event record as one JSON object.
pub fn event_json(e: &EventRecord) -> String {
    serde_json::to_string(&EventJson {
        id: e.id.clone(),
        kind: e.kind.clone(),
        mmsis: e.mmsis.clone(),
        start_ms: e.start.unix_ms(),
        end_ms: e.end.unix_ms(),
        lat: e.lat_deg,
        lon: e.lon_deg,
        place: e.place.clone(),
        confidence: e.confidence,
        profile: e.profile.clone(),
        attributes: e.attributes.clone(),
        evidence: e.evidence.clone(),
    })
    .expect("an event serializes")
}

/// The event record [`event_json`] wrote.
pub fn event_from_json(text: &str) -> Result<EventRecord, String> {
    let e: EventJson = serde_json::from_str(text).map_err(|e| format!("{PLACE_EVENT}: {e}"))?;
    if e.mmsis.is_empty() {
        return Err(format!("{PLACE_EVENT}: event {} names no vessel", e.id));
    }
    Ok(EventRecord {
        id: e.id,
        kind: e.kind,
        mmsis: e.mmsis,
        start: Timestamp::from_unix_ms(e.start_ms),
        end: Timestamp::from_unix_ms(e.end_ms),
        lat_deg: e.lat,
        lon_deg: e.lon,
        place: e.place,
        confidence: e.confidence,
        profile: e.profile,
        attributes: e.attributes,
        evidence: e.evidence,
    })
}
