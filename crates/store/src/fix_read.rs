//! Reading a compacted part for the detectors: only the columns a [`Fix`]
//! holds (8 of the archive's 15 — no receiver names, classes or courses to
//! decode), straight into fixes, without building archive rows.

use std::fs::File;
use std::io;
use std::ops::RangeInclusive;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Float64Type, TimestampMillisecondType, UInt8Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use tumen_model::{Mmsi, Timestamp};

use crate::archive::{BATCH_ROWS, groups_in, reading_schema};
use crate::rows::{Fix, Origin};

/// The archive columns a fix is made of, by index, in the archive's order.
const FIX_COLUMNS: [usize; 8] = [0, 1, 2, 3, 4, 7, 13, 14];

/// Calls `f` with each fix of the part at `path` whose MMSI is in
/// `mmsis`, in the part's order, reading only the row groups that can hold
/// them.
pub fn for_each_fix(path: &Path, mmsis: &RangeInclusive<u32>, f: &mut impl FnMut(Fix)) -> io::Result<()> {
    let file = File::open(path)?;
    let options = ArrowReaderOptions::new().with_schema(reading_schema());
    let builder = ParquetRecordBatchReaderBuilder::try_new_with_options(file, options).map_err(io::Error::other)?;
    let groups = groups_in(builder.metadata(), mmsis);
    let projection = ProjectionMask::roots(builder.parquet_schema(), FIX_COLUMNS);
    let batches = builder
        .with_row_groups(groups)
        .with_projection(projection)
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(io::Error::other)?;
    for batch in batches {
        fixes_of(&batch.map_err(io::Error::other)?, mmsis, f)?;
    }
    Ok(())
}

fn fixes_of(batch: &RecordBatch, mmsis: &RangeInclusive<u32>, f: &mut impl FnMut(Fix)) -> io::Result<()> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, format!("archive column {what} unreadable"));
    let column = |i: usize| batch.column(i);
    let mmsi = column(0).as_primitive_opt::<UInt32Type>().ok_or_else(|| bad("mmsi"))?;
    let time = column(1).as_primitive_opt::<TimestampMillisecondType>().ok_or_else(|| bad("time"))?;
    let lat = column(2).as_primitive_opt::<Float64Type>().ok_or_else(|| bad("lat"))?;
    let lon = column(3).as_primitive_opt::<Float64Type>().ok_or_else(|| bad("lon"))?;
    let sog = column(4).as_primitive_opt::<Float32Type>().ok_or_else(|| bad("sog_knots"))?;
    let status = column(5).as_primitive_opt::<UInt8Type>().ok_or_else(|| bad("nav_status"))?;
    let source = column(6).as_primitive_opt::<UInt32Type>().ok_or_else(|| bad("source_id"))?;
    let line = column(7).as_primitive_opt::<UInt64Type>().ok_or_else(|| bad("line"))?;
    for i in 0..batch.num_rows() {
        let vessel = mmsi.value(i);
        if !mmsis.contains(&vessel) {
            continue;
        }
        f(Fix {
            mmsi: Mmsi(vessel),
            time: Timestamp::from_unix_ms(time.value(i)),
            lat_deg: lat.value(i),
            lon_deg: lon.value(i),
            sog_knots: (!sog.is_null(i)).then(|| sog.value(i)),
            nav_status: (!status.is_null(i)).then(|| status.value(i)),
            origin: Origin { source_id: source.value(i), line: line.value(i) },
        });
    }
    Ok(())
}
