//! The partition worker's stages, run in this process over a simulated
//! dataset cut into partitions in several ways (1, 3 and 7 per stage, by
//! hash as Spark cuts them): the events must be exactly those `tumen run`
//! stored, however the data is cut. No Spark needed (`spark.rs` runs the
//! same stages on a real cluster).

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Float32Builder, Float64Builder, Int64Builder, StringBuilder, TimestampMillisecondBuilder};
use arrow_array::{Array, ArrayRef, Int64Array, RecordBatch, UInt32Array};
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{DataType, Field, Schema};
use arrow_select::concat::concat_batches;
use arrow_select::filter::filter_record_batch;
use arrow_select::take::take_record_batch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use tumen_model::{Event, EventKind};
use tumen_store::Columns;
use tumen_store::{Dataset, EventQuery};
use tumen_store::{event_schema, events_of};
use tumen_worker::{Context, Stage};

use crate::support::{tumen_ok as tumen, watched_najin_dataset};

fn read_parquet(path: &Path) -> Vec<RecordBatch> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(path).unwrap()).unwrap().build().unwrap();
    reader.map(|b| b.unwrap()).collect()
}

/// Runs `stage` over one partition's batches, as `tumen worker` would.
fn stage(stage: Stage, context: &Context<'_>, input: &[RecordBatch]) -> Vec<RecordBatch> {
    let mut bytes = Vec::new();
    if let Some(first) = input.first() {
        let mut writer = StreamWriter::try_new(&mut bytes, &first.schema()).unwrap();
        input.iter().for_each(|b| writer.write(b).unwrap());
        writer.finish().unwrap();
    }
    let mut out = Vec::new();
    tumen_worker::run(stage, context, &bytes[..], &mut out).unwrap();
    StreamReader::try_new(&out[..], None).unwrap().map(|b| b.unwrap()).collect()
}

/// `batches` cut into `n` partitions by a hash of `key`'s columns, each
/// sorted by `sort`'s columns, as `repartition(n, key).sortWithinPartitions(sort)`.
fn partitions(batches: &[RecordBatch], n: u64, key: &[&str], sort: &[&str]) -> Vec<Vec<RecordBatch>> {
    let Some(first) = batches.first() else { return vec![] };
    let all = concat_batches(&first.schema(), batches).unwrap();
    let columns = Columns::of(&all);
    let values = |names: &[&str]| -> Vec<Vec<i64>> {
        // Times as milliseconds, like any integer.
        let cols: Vec<_> =
            names.iter().map(|name| columns.int64(name).or_else(|_| columns.time_ms(name)).unwrap()).collect();
        (0..all.num_rows()).map(|row| cols.iter().map(|c| c.get(row).unwrap_or(i64::MIN)).collect()).collect()
    };
    let (keys, orders) = (values(key), values(sort));
    (0..n)
        .map(|p| {
            let mut rows: Vec<u32> = (0..all.num_rows() as u32)
                .filter(|&r| {
                    let hash = keys[r as usize]
                        .iter()
                        .fold(0xcbf2_9ce4_8422_2325u64, |h, v| (h ^ *v as u64).wrapping_mul(0x1000_0000_01b3));
                    hash % n == p
                })
                .collect();
            rows.sort_by(|a, b| orders[*a as usize].cmp(&orders[*b as usize]));
            let taken = take_record_batch(&all, &UInt32Array::from(rows)).unwrap();
            if taken.num_rows() == 0 { vec![] } else { vec![taken] }
        })
        .collect()
}

/// The vessel stage's input: the archive's reports and the marker rows,
/// `order` 0 for a marker (before the reports of its time), 1 for a report.
fn vessel_input(parts: &[PathBuf], markers: &Path) -> Vec<RecordBatch> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("mmsi", DataType::Int64, false),
        Field::new("time", DataType::Timestamp(arrow_schema::TimeUnit::Millisecond, Some("UTC".into())), false),
        Field::new("lat", DataType::Float64, true),
        Field::new("lon", DataType::Float64, true),
        Field::new("sog_knots", DataType::Float32, true),
        Field::new("nav_status", DataType::Int64, true),
        Field::new("source_id", DataType::Int64, true),
        Field::new("line", DataType::Int64, true),
        Field::new("place_event", DataType::Utf8, true),
        Field::new("order", DataType::Int64, false),
    ]));
    let mut out = Vec::new();
    let sources = parts
        .iter()
        .flat_map(|p| read_parquet(p))
        .map(|b| (b, 1))
        .chain(read_parquet(markers).into_iter().map(|b| (b, 0)));
    for (batch, order) in sources {
        let c = Columns::of(&batch);
        let (mmsi, time) = (c.int64("mmsi").unwrap(), c.time_ms("time").unwrap());
        let mut builders = (
            Int64Builder::new(),
            TimestampMillisecondBuilder::new().with_timezone("UTC"),
            Float64Builder::new(),
            Float64Builder::new(),
            Float32Builder::new(),
            Int64Builder::new(),
            Int64Builder::new(),
            Int64Builder::new(),
            StringBuilder::new(),
        );
        let report = |name: &str| if order == 1 { Some(c.float64(name).unwrap()) } else { None };
        let integer = |name: &str| if order == 1 { Some(c.int64(name).unwrap()) } else { None };
        let (lat, lon, sog) = (report("lat"), report("lon"), report("sog_knots"));
        let (nav, source, line) = (integer("nav_status"), integer("source_id"), integer("line"));
        let event = if order == 0 { Some(c.text("place_event").unwrap()) } else { None };
        for row in 0..batch.num_rows() {
            builders.0.append_option(mmsi.get(row));
            builders.1.append_option(time.get(row));
            builders.2.append_option(lat.as_ref().and_then(|c| c.get(row)));
            builders.3.append_option(lon.as_ref().and_then(|c| c.get(row)));
            builders.4.append_option(sog.as_ref().and_then(|c| c.get(row)).map(|v| v as f32));
            builders.5.append_option(nav.as_ref().and_then(|c| c.get(row)));
            builders.6.append_option(source.as_ref().and_then(|c| c.get(row)));
            builders.7.append_option(line.as_ref().and_then(|c| c.get(row)));
            builders.8.append_option(event.as_ref().and_then(|c| c.get(row)));
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(builders.0.finish()),
            Arc::new(builders.1.finish()),
            Arc::new(builders.2.finish()),
            Arc::new(builders.3.finish()),
            Arc::new(builders.4.finish()),
            Arc::new(builders.5.finish()),
            Arc::new(builders.6.finish()),
            Arc::new(builders.7.finish()),
            Arc::new(builders.8.finish()),
            Arc::new(Int64Array::from(vec![order; batch.num_rows()])),
        ];
        out.push(RecordBatch::try_new(schema.clone(), columns).unwrap());
    }
    out
}

/// Rows of `batches` where `column` is set.
fn where_set(batches: &[RecordBatch], column: &str) -> Vec<RecordBatch> {
    batches
        .iter()
        .map(|b| {
            let set = arrow_array::BooleanArray::from_iter(
                (0..b.num_rows()).map(|i| Some(b.column_by_name(column).unwrap().is_valid(i))),
            );
            filter_record_batch(b, &set).unwrap()
        })
        .filter(|b| b.num_rows() > 0)
        .collect()
}

/// Each event once per vessel it names, with `key_mmsi`.
fn by_vessel(events: &[RecordBatch]) -> Vec<RecordBatch> {
    let mut out = Vec::new();
    for batch in events {
        let mmsis = Columns::of(batch).int64_lists("mmsis").unwrap();
        let (mut rows, mut keys) = (Vec::new(), Vec::new());
        for (row, vessels) in mmsis.iter().enumerate() {
            for m in vessels.as_ref().unwrap() {
                rows.push(row as u32);
                keys.push(*m);
            }
        }
        let taken = take_record_batch(batch, &UInt32Array::from(rows)).unwrap();
        let mut fields: Vec<Field> = taken.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
        fields.push(Field::new("key_mmsi", DataType::Int64, false));
        let mut columns = taken.columns().to_vec();
        columns.push(Arc::new(Int64Array::from(keys)));
        out.push(RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap());
    }
    out
}

#[test]
fn the_stages_find_the_events_of_tumen_run_however_the_data_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let (data, prepared) = (watched_najin_dataset(dir.path(), false), dir.path().join("prepared"));
    let data_arg = data.to_str().unwrap();
    tumen(&["worker", "prepare", "--data", data_arg, "--out", prepared.to_str().unwrap()]);

    let run: serde_json::Value = serde_json::from_str(&fs::read_to_string(prepared.join("run.json")).unwrap()).unwrap();
    let parts: Vec<PathBuf> =
        run["parts"].as_array().unwrap().iter().map(|p| PathBuf::from(p.as_str().unwrap())).collect();
    let places: Vec<(String, String, String)> =
        serde_json::from_str(&fs::read_to_string(prepared.join("places.json")).unwrap()).unwrap();
    let gazetteer = tumen_places::Gazetteer::embedded_with_imported(
        places.into_iter().map(|(_id, feature, source)| (feature, source)),
    )
    .unwrap();
    let profiles = tumen_detect::Profiles::default();
    let data_end = run["data_end"].as_str().map(|t| t.parse().unwrap());
    let context = Context { profiles: &profiles, gazetteer: &gazetteer, data_end };

    let dataset = Dataset::open_read_only(&data).unwrap();
    let query = EventQuery { kind: None, mmsi: None, place: None, from: None, to: None, limit: u64::MAX >> 1 };
    let mut expected = dataset.catalog().events(&query).unwrap();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert!(
        expected.iter().any(|e| e.kind == EventKind::WatchlistHit)
            && expected.iter().any(|e| e.kind == EventKind::Encounter)
    );

    let input = vessel_input(&parts, &prepared.join("markers.parquet"));
    for n in [1, 3, 7] {
        let vessel_out: Vec<RecordBatch> =
            partitions(&input, n, &["mmsi"], &["mmsi", "time", "order", "source_id", "line"])
                .iter()
                .flat_map(|p| stage(Stage::Vessels, &context, p))
                .collect();
        let events = where_set(&vessel_out, "id");
        let grid = where_set(&vessel_out, "slot");
        let hits: Vec<RecordBatch> = partitions(&grid, n, &["slot", "cell"], &["slot", "cell"])
            .iter()
            .flat_map(|p| stage(Stage::Pairs, &context, p))
            .collect();
        let encounters: Vec<RecordBatch> = partitions(&hits, n, &["a_mmsi", "b_mmsi"], &["a_mmsi", "b_mmsi", "slot"])
            .iter()
            .flat_map(|p| stage(Stage::Encounters, &context, p))
            .collect();
        // The vessel stage's events in the events schema (its columns are
        // nullable there, for the grid rows).
        let all: Vec<RecordBatch> = events
            .iter()
            .map(|b| RecordBatch::try_new(event_schema(), b.columns()[..12].to_vec()).unwrap())
            .chain(encounters)
            .collect();
        let related: Vec<RecordBatch> = partitions(&by_vessel(&all), n, &["key_mmsi"], &["key_mmsi"])
            .iter()
            .flat_map(|p| stage(Stage::Relate, &context, p))
            .collect();
        let mut found: Vec<Event> = related.iter().flat_map(|b| events_of(b).unwrap()).collect();
        found.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(found.len(), expected.len(), "{n} partitions");
        for (f, e) in found.iter().zip(&expected) {
            assert_eq!(f, e, "{n} partitions");
        }
    }
}
