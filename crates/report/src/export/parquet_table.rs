//! Parquet: the properties as typed columns — each column takes the type of
//! its first non-null value (text, 64-bit integer, double, or UTC
//! millisecond timestamp); a value of another type in that column is
//! written as text when the column is text, else as null (never, for the
//! features Tumen makes) — and the geometry as well-known text.

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder, TimestampMillisecondBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::{Cell, ExportError, Feature, columns, wkt};

/// Rows per record batch (and so per row group at most).
const BATCH_ROWS: usize = 65_536;

pub fn write<W: Write + Send>(features: &[Feature], out: W) -> Result<(), ExportError> {
    let names = columns(features);
    let types: Vec<DataType> = names
        .iter()
        .map(|name| {
            let first = features
                .iter()
                .filter_map(|f| f.properties.iter().find(|(n, _)| n == name).map(|(_, c)| c))
                .find(|c| **c != Cell::Null);
            match first {
                Some(Cell::Integer(_)) => DataType::Int64,
                Some(Cell::Number(_)) => DataType::Float64,
                Some(Cell::Time(_)) => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
                _ => DataType::Utf8,
            }
        })
        .collect();
    let mut fields: Vec<Field> = names.iter().zip(&types).map(|(n, t)| Field::new(n, t.clone(), true)).collect();
    fields.push(Field::new("wkt", DataType::Utf8, true));
    let schema = Arc::new(Schema::new(fields));
    let properties = WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::default())).build();
    let mut writer = ArrowWriter::try_new(out, schema.clone(), Some(properties))?;
    for chunk in features.chunks(BATCH_ROWS) {
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(names.len() + 1);
        for (name, data_type) in names.iter().zip(&types) {
            let cells = chunk.iter().map(|f| f.properties.iter().find(|(n, _)| n == name).map(|(_, c)| c));
            arrays.push(column(cells, data_type));
        }
        let mut geometry = StringBuilder::new();
        for feature in chunk {
            geometry.append_option(wkt(&feature.geometry));
        }
        arrays.push(Arc::new(geometry.finish()));
        writer.write(&RecordBatch::try_new(schema.clone(), arrays)?)?;
    }
    writer.close()?;
    Ok(())
}

fn column<'c>(cells: impl Iterator<Item = Option<&'c Cell>>, data_type: &DataType) -> ArrayRef {
    match data_type {
        DataType::Int64 => {
            let mut b = Int64Builder::new();
            cells.for_each(|c| b.append_option(if let Some(Cell::Integer(n)) = c { Some(*n) } else { None }));
            Arc::new(b.finish())
        }
        DataType::Float64 => {
            let mut b = Float64Builder::new();
            cells.for_each(|c| {
                b.append_option(match c {
                    Some(Cell::Number(x)) => Some(*x),
                    Some(Cell::Integer(n)) => Some(*n as f64),
                    _ => None,
                })
            });
            Arc::new(b.finish())
        }
        DataType::Timestamp(..) => {
            let mut b = TimestampMillisecondBuilder::new().with_timezone("UTC");
            cells.for_each(|c| b.append_option(if let Some(Cell::Time(t)) = c { Some(t.unix_ms()) } else { None }));
            Arc::new(b.finish())
        }
        _ => {
            let mut b = StringBuilder::new();
            cells.for_each(|c| b.append_option(c.filter(|c| **c != Cell::Null).map(Cell::text)));
            Arc::new(b.finish())
        }
    }
}
