//! Events as an Arrow table: the columns of the catalog's `events` table,
//! typed so that every engine can write them back unchanged — Spark has no
//! unsigned integers, so MMSIs are `int64` and the confidence `int32`;
//! times are milliseconds, UTC. What `tumen worker` writes and reads, and
//! what the Spark job writes as Parquet.

use std::sync::Arc;

use arrow_array::builder::{
    Float64Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder, TimestampMillisecondBuilder,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use tumen_model::{Event, LatLon, Mmsi, Timestamp};

use crate::columns::{ColumnError, Columns};

/// The events schema.
pub fn event_schema() -> SchemaRef {
    let time = DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()));
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("kind", DataType::Utf8, false),
        Field::new("mmsis", DataType::List(Arc::new(Field::new("item", DataType::Int64, true))), false),
        Field::new("start_time", time.clone(), false),
        Field::new("end_time", time, false),
        Field::new("lat", DataType::Float64, true),
        Field::new("lon", DataType::Float64, true),
        Field::new("place", DataType::Utf8, true),
        Field::new("confidence", DataType::Int32, false),
        Field::new("profile", DataType::Utf8, false),
        // A JSON object.
        Field::new("attributes", DataType::Utf8, false),
        // A JSON array of {source_id, line, time, lat, lon, role}.
        Field::new("evidence", DataType::Utf8, false),
    ]))
}

/// `records` as one batch of [`event_schema`].
pub fn event_batch(events: &[Event]) -> RecordBatch {
    let mut id = StringBuilder::new();
    let mut kind = StringBuilder::new();
    let mut mmsis = ListBuilder::new(Int64Builder::new());
    let mut start = TimestampMillisecondBuilder::new().with_timezone("UTC");
    let mut end = TimestampMillisecondBuilder::new().with_timezone("UTC");
    let (mut lat, mut lon) = (Float64Builder::new(), Float64Builder::new());
    let mut place = StringBuilder::new();
    let mut confidence = Int32Builder::new();
    let (mut profile, mut attributes, mut evidence) =
        (StringBuilder::new(), StringBuilder::new(), StringBuilder::new());
    for e in events {
        id.append_value(&e.id);
        kind.append_value(e.kind.as_str());
        for m in &e.mmsis {
            mmsis.values().append_value(i64::from(m.0));
        }
        mmsis.append(true);
        start.append_value(e.start.unix_ms());
        end.append_value(e.end.unix_ms());
        lat.append_option(e.position.map(|p| p.lat_deg));
        lon.append_option(e.position.map(|p| p.lon_deg));
        place.append_option(e.place.as_deref());
        confidence.append_value(i32::from(e.confidence));
        profile.append_value(&e.profile);
        attributes.append_value(e.attributes_json());
        evidence.append_value(e.evidence_json());
    }
    let columns: Vec<Arc<dyn Array>> = vec![
        Arc::new(id.finish()),
        Arc::new(kind.finish()),
        Arc::new(mmsis.finish()),
        Arc::new(start.finish()),
        Arc::new(end.finish()),
        Arc::new(lat.finish()),
        Arc::new(lon.finish()),
        Arc::new(place.finish()),
        Arc::new(confidence.finish()),
        Arc::new(profile.finish()),
        Arc::new(attributes.finish()),
        Arc::new(evidence.finish()),
    ];
    RecordBatch::try_new(event_schema(), columns).expect("columns of the events schema")
}

/// The events of a batch with the columns of [`event_schema`] (by name;
/// other columns are ignored, and integer and time types are converted, so
/// a batch Spark sends back reads too).
pub fn events_of(batch: &RecordBatch) -> Result<Vec<Event>, ColumnError> {
    let columns = Columns::of(batch);
    let id = columns.text("id")?;
    let kind = columns.text("kind")?;
    let mmsis = columns.int64_lists("mmsis")?;
    let start = columns.time_ms("start_time")?;
    let end = columns.time_ms("end_time")?;
    let lat = columns.float64("lat")?;
    let lon = columns.float64("lon")?;
    let place = columns.text("place")?;
    let confidence = columns.int64("confidence")?;
    let profile = columns.text("profile")?;
    let attributes = columns.text("attributes")?;
    let evidence = columns.text("evidence")?;
    let mut events = Vec::with_capacity(batch.num_rows());
    for (row, vessels) in mmsis.iter().enumerate() {
        let required = |value: Option<String>, name: &str| value.ok_or_else(|| ColumnError::null(name, row));
        let vessels = vessels.as_ref().ok_or_else(|| ColumnError::null("mmsis", row))?;
        events.push(Event {
            id: required(id.get(row), "id")?,
            kind: required(kind.get(row), "kind")?.parse().map_err(|e| ColumnError::unreadable("kind", row, e))?,
            mmsis: vessels
                .iter()
                .map(|&m| u32::try_from(m).map(Mmsi).map_err(|_| ColumnError::out_of_range("mmsis", row)))
                .collect::<Result<_, _>>()?,
            start: Timestamp::from_unix_ms(start.get(row).ok_or_else(|| ColumnError::null("start_time", row))?),
            end: Timestamp::from_unix_ms(end.get(row).ok_or_else(|| ColumnError::null("end_time", row))?),
            position: lat.get(row).zip(lon.get(row)).map(|(lat_deg, lon_deg)| LatLon { lat_deg, lon_deg }),
            place: place.get(row),
            confidence: confidence
                .get(row)
                .and_then(|c| u8::try_from(c).ok())
                .ok_or_else(|| ColumnError::out_of_range("confidence", row))?,
            profile: required(profile.get(row), "profile")?,
            attributes: Event::attributes_from_json(
                attributes.str(row).ok_or_else(|| ColumnError::null("attributes", row))?,
            )
            .map_err(|e| ColumnError::unreadable("attributes", row, e))?,
            evidence: Event::evidence_from_json(evidence.str(row).ok_or_else(|| ColumnError::null("evidence", row))?)
                .map_err(|e| ColumnError::unreadable("evidence", row, e))?,
        });
    }
    Ok(events)
}
