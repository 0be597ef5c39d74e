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
use tumen_model::Event;

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
pub fn marker_batch(events: &[Event]) -> RecordBatch {
    let mut mmsi = Int64Builder::new();
    let mut time = TimestampMillisecondBuilder::new().with_timezone("UTC");
    let mut event = StringBuilder::new();
    for e in events {
        mmsi.append_value(i64::from(e.mmsis.last().expect("an event names a vessel").0));
        time.append_value(e.end.unix_ms());
        event.append_value(event_json(e));
    }
    let columns: Vec<Arc<dyn Array>> = vec![Arc::new(mmsi.finish()), Arc::new(time.finish()), Arc::new(event.finish())];
    RecordBatch::try_new(marker_schema(), columns).expect("columns of the marker schema")
}

/// An event as one JSON object (the event's serde form).
pub fn event_json(e: &Event) -> String {
    serde_json::to_string(e).expect("an event is plain JSON")
}

/// The event [`event_json`] wrote.
pub fn event_from_json(text: &str) -> Result<Event, String> {
    let e: Event = serde_json::from_str(text).map_err(|e| format!("{PLACE_EVENT}: {e}"))?;
    if e.mmsis.is_empty() {
        return Err(format!("{PLACE_EVENT}: event {} names no vessel", e.id));
    }
    Ok(e)
}
