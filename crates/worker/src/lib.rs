//! The partition worker: Tumen's detectors as stages a distributed engine
//! (Apache Spark, `spark/`) runs over partitions of the archive, each stage
//! one process reading Arrow IPC record batches on standard input and
//! writing them on standard output (`tumen worker STAGE`).
//!
//! The detectors are functions of one vessel's reports in time order plus
//! carried state, so the work splits as a one-machine run does it:
//!
//! 1. [`Stage::Vessels`], partitioned by vessel: reports sorted by (MMSI,
//!    time), with the registry's events to be placed on the tracks
//!    (identity changes, watch-list hits) as marker rows among them. Gives
//!    the events of single vessels and each vessel's track on the
//!    encounter grid, every grid point tagged with its space–time cell and
//!    copied to the neighbouring cells it is near ([`cells`]).
//! 2. [`Stage::Pairs`], partitioned by (slot, cell): the pairs of vessels
//!    close enough in one slot, found by the points the cell owns, its
//!    halo supplying their neighbours.
//! 3. [`Stage::Encounters`], partitioned by pair: each pair's hits in slot
//!    order become encounters.
//! 4. [`Stage::Relate`], partitioned by vessel (an event under each vessel
//!    it names): silences explained by MMSI handovers and draught changes
//!    named by where they happened.
//!
//! Each stage reads its columns by name, whatever integer or time type the
//! engine gives them; the events it writes are in the dataset's events
//! schema ([`tumen_store::event_schema`]). The stages' events, put together,
//! are exactly those `tumen run` finds on one machine.

pub mod cells;
pub mod encounters;
pub mod ipc;
pub mod markers;
pub mod pairs;
pub mod relate;
pub mod tables;
pub mod vessels;

use std::io::{Read, Write};

pub use ipc::WorkerError;

/// A stage of a distributed run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Vessels,
    Pairs,
    Encounters,
    Relate,
}

/// What a stage read and wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StageSummary {
    pub rows_in: u64,
    pub events_out: u64,
    pub rows_out: u64,
}

/// What the stages need besides their input.
pub struct Context<'a> {
    pub profiles: &'a tumen_detect::Profiles,
    pub gazetteer: &'a tumen_places::Gazetteer,
    /// The newest report of the whole run (ends the silences still open).
    pub data_end: Option<tumen_model::Timestamp>,
}

/// Runs `stage` over the Arrow IPC stream `input`, writing its output
/// stream to `output`.
pub fn run(
    stage: Stage,
    context: &Context<'_>,
    input: impl Read,
    output: impl Write,
) -> Result<StageSummary, WorkerError> {
    match stage {
        Stage::Vessels => vessels::run(context, input, output),
        Stage::Pairs => pairs::run(context, input, output),
        Stage::Encounters => encounters::run(context, input, output),
        Stage::Relate => relate::run(input, output),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
    use arrow_ipc::writer::StreamWriter;
    use arrow_schema::{DataType, Field, Schema, TimeUnit};

    use super::*;

    fn context<'a>(profiles: &'a tumen_detect::Profiles, gazetteer: &'a tumen_places::Gazetteer) -> Context<'a> {
        Context { profiles, gazetteer, data_end: None }
    }

    /// An IPC stream of reports (`mmsi`, `time` in ms) with `columns`
    /// besides.
    fn reports(rows: &[(i64, i64)], with_lat: bool) -> Vec<u8> {
        let mut fields = vec![
            Field::new("mmsi", DataType::Int64, false),
            Field::new("time", DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())), false),
        ];
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.0))),
            Arc::new(TimestampMillisecondArray::from_iter_values(rows.iter().map(|r| r.1)).with_timezone("UTC")),
        ];
        let names = if with_lat { vec!["lat", "lon", "sog_knots"] } else { vec!["lon", "sog_knots"] };
        for name in names {
            fields.push(Field::new(name, DataType::Float64, true));
            columns.push(Arc::new(Float64Array::from_iter_values(rows.iter().map(|_| 40.0))));
        }
        for name in ["nav_status", "source_id", "line"] {
            fields.push(Field::new(name, DataType::Int64, true));
            columns.push(Arc::new(Int64Array::from_iter_values(rows.iter().map(|_| 1))));
        }
        fields.push(Field::new(markers::PLACE_EVENT, DataType::Utf8, true));
        columns.push(Arc::new(StringArray::from(vec![None::<&str>; rows.len()])));
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
        let mut out = Vec::new();
        let mut writer = StreamWriter::try_new(&mut out, &batch.schema()).unwrap();
        writer.write(&batch).unwrap();
        writer.finish().unwrap();
        drop(writer);
        out
    }

    #[test]
    fn an_empty_input_gives_an_empty_stream_and_bad_input_an_error_naming_it() {
        let (profiles, gazetteer) = (tumen_detect::Profiles::default(), tumen_places::Gazetteer::embedded());
        let context = context(&profiles, gazetteer);
        for stage in [Stage::Vessels, Stage::Pairs, Stage::Encounters, Stage::Relate] {
            let mut out = Vec::new();
            let summary = run(stage, &context, &b""[..], &mut out).unwrap();
            assert_eq!(summary, StageSummary::default());
            assert!(arrow_ipc::reader::StreamReader::try_new(&out[..], None).unwrap().next().is_none());
            let error = run(stage, &context, &b"not arrow at all"[..], Vec::new()).unwrap_err();
            assert!(matches!(error, WorkerError::Arrow(_)), "{stage:?}: {error}");
        }
        // Two reports of one vessel, then one of another: fine.
        let sorted = reports(&[(1, 0), (1, 60_000), (2, 0)], true);
        let summary = run(Stage::Vessels, &context, &sorted[..], Vec::new()).unwrap();
        assert_eq!(summary.rows_in, 3);
        // Out of order, or without a latitude: the batch and row named.
        let unsorted = reports(&[(1, 60_000), (1, 0)], true);
        let error = run(Stage::Vessels, &context, &unsorted[..], Vec::new()).unwrap_err().to_string();
        assert_eq!(error, "input batch 1, row 1: rows are not sorted by MMSI, then time");
        let no_lat = reports(&[(1, 0)], false);
        let error = run(Stage::Vessels, &context, &no_lat[..], Vec::new()).unwrap_err().to_string();
        assert_eq!(error, "input batch 1: column lat: missing");
        // A pair stage given reports: its columns are missing.
        let error = run(Stage::Pairs, &context, &sorted[..], Vec::new()).unwrap_err().to_string();
        assert_eq!(error, "input batch 1: column slot: missing");
    }

    #[test]
    fn events_survive_the_trip_through_a_marker() {
        let event: tumen_model::Event = serde_json::from_str(
            r#"{"id":"identity_change-1","kind":"identity_change","mmsis":[273000001,273000002],
                "start":"2023-09-07T06:00:00Z","end":"2023-09-07T07:00:00Z","lat":null,"lon":null,"place":null,
                "confidence":3,"profile":"default",
                "attributes":{"field":"mmsi","hours":1.234,"open":false,"when":"2023-09-07T06:00:00Z"},
                "evidence":[{"lat":42.647443333333335,"line":185074,"lon":132.65327166666665,
                             "role":"first report of the new value","source_id":1,"time":"2023-09-07T06:00:00Z"}]}"#,
        )
        .unwrap();
        let back = markers::event_from_json(&markers::event_json(&event)).unwrap();
        assert_eq!(back, event);
        assert!(markers::event_from_json("{}").is_err());
    }
}
