//! The tables the stages hand each other: grid points tagged with cells,
//! and pair hits. Types are those Spark has (signed integers, 32-bit
//! floats), so the engine passes them through unchanged.

use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float32Builder, Float64Builder, Int32Builder, Int64Builder};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use tumen_detect::GridPoint;
use tumen_detect::PairHit;
use tumen_store::{ColumnError, Columns};

fn point_fields(prefix: &str, nullable: bool) -> Vec<Field> {
    let field = |name: &str, data_type| Field::new(format!("{prefix}{name}"), data_type, nullable);
    vec![
        field("mmsi", DataType::Int64),
        field("lat", DataType::Float32),
        field("lon", DataType::Float32),
        field("speed_centiknots", DataType::Int32),
        // The nearest report: source id × 2^40 + line.
        field("record", DataType::Int64),
    ]
}

/// Grid points: `slot` (10-minute slots since the epoch), `cell` and
/// `home` (see [`crate::cells`]), and the point (`point_…`).
pub fn grid_schema() -> SchemaRef {
    Arc::new(Schema::new(grid_fields(false)))
}

pub fn grid_fields(nullable: bool) -> Vec<Field> {
    let mut fields = vec![
        Field::new("slot", DataType::Int64, nullable),
        Field::new("cell", DataType::Int64, nullable),
        Field::new("home", DataType::Boolean, nullable),
    ];
    fields.extend(point_fields("point_", nullable));
    fields
}

/// Pair hits: the slot, both points (`a_…` the lower MMSI, `b_…`), and
/// their distance.
pub fn hit_schema() -> SchemaRef {
    let mut fields = vec![Field::new("slot", DataType::Int64, false)];
    fields.extend(point_fields("a_", false));
    fields.extend(point_fields("b_", false));
    fields.push(Field::new("metres", DataType::Float64, false));
    Arc::new(Schema::new(fields))
}

#[derive(Default)]
struct PointBuilder {
    mmsi: Int64Builder,
    lat: Float32Builder,
    lon: Float32Builder,
    speed: Int32Builder,
    record: Int64Builder,
}

impl PointBuilder {
    fn push(&mut self, p: &GridPoint) {
        self.mmsi.append_value(i64::from(p.mmsi));
        self.lat.append_value(p.lat_deg);
        self.lon.append_value(p.lon_deg);
        self.speed.append_value(i32::from(p.speed_centiknots));
        self.record.append_value(p.record as i64);
    }

    fn finish(&mut self, columns: &mut Vec<Arc<dyn Array>>) {
        columns.push(Arc::new(self.mmsi.finish()));
        columns.push(Arc::new(self.lat.finish()));
        columns.push(Arc::new(self.lon.finish()));
        columns.push(Arc::new(self.speed.finish()));
        columns.push(Arc::new(self.record.finish()));
    }
}

/// Grid rows gathered for a batch.
#[derive(Default)]
pub struct GridRows {
    slot: Int64Builder,
    cell: Int64Builder,
    home: BooleanBuilder,
    point: PointBuilder,
    pub len: usize,
}

impl GridRows {
    pub fn push(&mut self, slot: i64, cell: i64, home: bool, point: &GridPoint) {
        self.slot.append_value(slot);
        self.cell.append_value(cell);
        self.home.append_value(home);
        self.point.push(point);
        self.len += 1;
    }

    /// The rows as columns of [`grid_fields`], emptied.
    pub fn finish(&mut self) -> Vec<Arc<dyn Array>> {
        let mut columns: Vec<Arc<dyn Array>> =
            vec![Arc::new(self.slot.finish()), Arc::new(self.cell.finish()), Arc::new(self.home.finish())];
        self.point.finish(&mut columns);
        self.len = 0;
        columns
    }
}

/// Hit rows gathered for a batch.
#[derive(Default)]
pub struct HitRows {
    slot: Int64Builder,
    a: PointBuilder,
    b: PointBuilder,
    metres: Float64Builder,
    pub len: usize,
}

impl HitRows {
    pub fn push(&mut self, hit: &PairHit) {
        self.slot.append_value(hit.slot);
        self.a.push(&hit.a);
        self.b.push(&hit.b);
        self.metres.append_value(hit.metres);
        self.len += 1;
    }

    pub fn finish(&mut self) -> RecordBatch {
        let mut columns: Vec<Arc<dyn Array>> = vec![Arc::new(self.slot.finish())];
        self.a.finish(&mut columns);
        self.b.finish(&mut columns);
        columns.push(Arc::new(self.metres.finish()));
        self.len = 0;
        RecordBatch::try_new(hit_schema(), columns).expect("columns of the hit schema")
    }
}

/// A batch's grid points by column (`prefix` "point_" for grid rows,
/// "a_" or "b_" for a hit's two points).
pub struct PointColumns {
    mmsi: tumen_store::Column<i64>,
    lat: tumen_store::Column<f32>,
    lon: tumen_store::Column<f32>,
    speed: tumen_store::Column<i64>,
    record: tumen_store::Column<i64>,
}

impl PointColumns {
    pub fn of(columns: &Columns<'_>, prefix: &str) -> Result<PointColumns, ColumnError> {
        Ok(PointColumns {
            mmsi: columns.int64(&format!("{prefix}mmsi"))?,
            lat: columns.float32(&format!("{prefix}lat"))?,
            lon: columns.float32(&format!("{prefix}lon"))?,
            speed: columns.int64(&format!("{prefix}speed_centiknots"))?,
            record: columns.int64(&format!("{prefix}record"))?,
        })
    }

    /// Row `row`'s point; an error names what is missing or out of range.
    pub fn get(&self, row: usize) -> Result<GridPoint, String> {
        let mmsi = self.mmsi.get(row).ok_or("no MMSI")?;
        Ok(GridPoint {
            mmsi: u32::try_from(mmsi).map_err(|_| format!("MMSI {mmsi} out of range"))?,
            lat_deg: self.lat.get(row).ok_or("no latitude")?,
            lon_deg: self.lon.get(row).ok_or("no longitude")?,
            speed_centiknots: self
                .speed
                .get(row)
                .and_then(|s| u16::try_from(s).ok())
                .ok_or("no speed, or out of range")?,
            record: self.record.get(row).and_then(|r| u64::try_from(r).ok()).ok_or("no record, or negative")?,
        })
    }
}
