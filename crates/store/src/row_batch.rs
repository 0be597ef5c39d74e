//! Archive rows into an Arrow record batch of the archive's [`schema`],
//! a column at a time as the rows come.
//!
//! Compaction writes every row of a day through here (10^8 of them on the
//! global day): Arrow's builders check capacity and grow a validity bitmap
//! with each append, which cost ~550 instructions a row for fifteen
//! columns; plain vectors, turned into arrays without a copy, a third of
//! that.

use std::sync::Arc;

use arrow_array::types::{
    Float32Type, Float64Type, TimestampMillisecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{ArrayRef, ArrowPrimitiveType, PrimitiveArray, RecordBatch, StringArray};
use arrow_buffer::{Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};

use crate::archive::schema;
use crate::rows::PositionRow;

/// Columns being filled, one row at a time.
#[derive(Default)]
pub(crate) struct RowBatch {
    /// Rows a batch is expected to hold: each column's room after a take.
    rows_expected: usize,
    mmsi: Vec<u32>,
    time_ms: Vec<i64>,
    lat_deg: Vec<f64>,
    lon_deg: Vec<f64>,
    sog_knots: Nullable<f32>,
    cog_deg: Nullable<f32>,
    heading_deg: Nullable<u16>,
    nav_status: Nullable<u8>,
    msg_type: Vec<u8>,
    class: Text,
    receiver: Text,
    receivers_heard: Vec<u16>,
    time_origin: Text,
    source_id: Vec<u32>,
    line: Vec<u64>,
}

/// Values and whether each is present (absent values are zero).
#[derive(Default)]
struct Nullable<T> {
    values: Vec<T>,
    present: Vec<bool>,
}

impl<T: Default + Copy> Nullable<T> {
    fn reserve(&mut self, rows: usize) {
        self.values.reserve(rows);
        self.present.reserve(rows);
    }

    fn push(&mut self, value: Option<T>) {
        self.values.push(value.unwrap_or_default());
        self.present.push(value.is_some());
    }
}

/// UTF-8 values end to end, with their offsets (Arrow's string layout).
struct Text {
    bytes: Vec<u8>,
    offsets: Vec<i32>,
    present: Vec<bool>,
}

impl Default for Text {
    fn default() -> Text {
        Text { bytes: Vec::new(), offsets: vec![0], present: Vec::new() }
    }
}

impl Text {
    fn reserve(&mut self, rows: usize, bytes_per_row: usize) {
        self.bytes.reserve(rows * bytes_per_row);
        self.offsets.reserve(rows);
        self.present.reserve(rows);
    }

    fn push(&mut self, value: Option<&str>) {
        self.bytes.extend_from_slice(value.unwrap_or_default().as_bytes());
        // A batch holds far fewer than 2^31 bytes of text (see `flush`).
        self.offsets.push(self.bytes.len() as i32);
        self.present.push(value.is_some());
    }
}

impl RowBatch {
    /// Columns with room for `rows` rows (more are taken in too).
    pub(crate) fn with_capacity(rows: usize) -> RowBatch {
        let mut batch = RowBatch { rows_expected: rows, ..RowBatch::default() };
        batch.reserve();
        batch
    }

    fn reserve(&mut self) {
        let n = self.rows_expected;
        self.mmsi.reserve(n);
        self.time_ms.reserve(n);
        self.lat_deg.reserve(n);
        self.lon_deg.reserve(n);
        for column in [&mut self.sog_knots, &mut self.cog_deg] {
            column.reserve(n);
        }
        self.heading_deg.reserve(n);
        self.nav_status.reserve(n);
        self.msg_type.reserve(n);
        self.receivers_heard.reserve(n);
        self.source_id.reserve(n);
        self.line.reserve(n);
        // Classes and time origins are a few bytes, receiver names ~20.
        for (column, bytes_per_row) in [(&mut self.class, 1), (&mut self.receiver, 24), (&mut self.time_origin, 8)] {
            column.reserve(n, bytes_per_row);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.mmsi.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.mmsi.is_empty()
    }

    pub(crate) fn push(&mut self, row: &PositionRow) {
        self.mmsi.push(row.mmsi.0);
        self.time_ms.push(row.time.unix_ms());
        self.lat_deg.push(row.lat_deg);
        self.lon_deg.push(row.lon_deg);
        self.sog_knots.push(row.sog_knots);
        self.cog_deg.push(row.cog_deg);
        self.heading_deg.push(row.heading_deg);
        self.nav_status.push(row.nav_status);
        self.msg_type.push(row.msg_type);
        self.class.push(Some(row.class.as_str()));
        self.receiver.push(row.receiver.as_deref());
        self.receivers_heard.push(row.receivers_heard);
        self.time_origin.push(Some(row.time_origin.as_str()));
        self.source_id.push(row.origin.source_id);
        self.line.push(row.origin.line);
    }

    /// The rows pushed since the last call, as a batch; empties the columns.
    pub(crate) fn take(&mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = vec![
            required::<UInt32Type>(&mut self.mmsi),
            Arc::new(
                PrimitiveArray::<TimestampMillisecondType>::new(std::mem::take(&mut self.time_ms).into(), None)
                    .with_timezone("UTC"),
            ),
            required::<Float64Type>(&mut self.lat_deg),
            required::<Float64Type>(&mut self.lon_deg),
            optional::<Float32Type>(&mut self.sog_knots),
            optional::<Float32Type>(&mut self.cog_deg),
            optional::<UInt16Type>(&mut self.heading_deg),
            optional::<UInt8Type>(&mut self.nav_status),
            required::<UInt8Type>(&mut self.msg_type),
            text(&mut self.class),
            text(&mut self.receiver),
            required::<UInt16Type>(&mut self.receivers_heard),
            text(&mut self.time_origin),
            required::<UInt32Type>(&mut self.source_id),
            required::<UInt64Type>(&mut self.line),
        ];
        self.reserve();
        RecordBatch::try_new(schema(), columns).expect("the columns are the archive's schema, of one length")
    }
}

fn required<T: ArrowPrimitiveType>(values: &mut Vec<T::Native>) -> ArrayRef {
    Arc::new(PrimitiveArray::<T>::new(ScalarBuffer::from(std::mem::take(values)), None))
}

fn optional<T: ArrowPrimitiveType>(column: &mut Nullable<T::Native>) -> ArrayRef {
    let values = ScalarBuffer::from(std::mem::take(&mut column.values));
    let nulls = NullBuffer::from(std::mem::take(&mut column.present));
    Arc::new(PrimitiveArray::<T>::new(values, (nulls.null_count() > 0).then_some(nulls)))
}

fn text(column: &mut Text) -> ArrayRef {
    let Text { bytes, offsets, present } = std::mem::take(column);
    let nulls = NullBuffer::from(present);
    // Offsets start at 0 and never fall: `push` appends the running length.
    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
    Arc::new(StringArray::new(offsets, Buffer::from_vec(bytes), (nulls.null_count() > 0).then_some(nulls)))
}
