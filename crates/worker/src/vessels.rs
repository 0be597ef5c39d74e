//! The vessel stage: a partition's reports, sorted by (MMSI, time), with
//! marker rows ([`crate::markers`]) among them, through every vessel's
//! detectors. Writes the events of single vessels (and the placed markers'
//! events) and every vessel's grid points tagged with their cells, in one
//! stream of [`output_schema`]: a row is an event (`id` set) or a grid
//! point (`slot` set).

use std::io::{Read, Write};
use std::sync::Arc;

use arrow_array::{Array, RecordBatch, new_null_array};
use arrow_schema::{Field, Schema, SchemaRef};
use tumen_detect::VesselPass;
use tumen_detect::search_distance_m;
use tumen_detect::{Grid, GridPoint};
use tumen_model::{Event, Mmsi, Timestamp};
use tumen_places::Land;
use tumen_store::Columns;
use tumen_store::{Fix, Origin};
use tumen_store::{event_batch, event_schema};

use crate::cells::cells_of;
use crate::ipc::{Input, OUTPUT_BATCH_ROWS, Output, WorkerError};
use crate::markers::{PLACE_EVENT, event_from_json};
use crate::tables::{GridRows, grid_fields};
use crate::{Context, StageSummary};

/// Events (every events column, nullable) and grid points (every grid
/// column, nullable) in one schema.
pub fn output_schema() -> SchemaRef {
    let mut fields: Vec<Field> =
        event_schema().fields().iter().map(|f| f.as_ref().clone().with_nullable(true)).collect();
    fields.extend(grid_fields(true));
    Arc::new(Schema::new(fields))
}

struct Writer<W: Write> {
    out: Output<W>,
    schema: SchemaRef,
    grid_rows: GridRows,
    cells: Vec<(i64, bool)>,
    search_m: f64,
    events: u64,
}

impl<W: Write> Writer<W> {
    fn events(&mut self, events: Vec<Event>) -> Result<(), WorkerError> {
        for chunk in events.chunks(OUTPUT_BATCH_ROWS) {
            let batch = event_batch(chunk);
            let mut columns = batch.columns().to_vec();
            for field in grid_fields(true) {
                columns.push(new_null_array(field.data_type(), chunk.len()));
            }
            self.write(columns)?;
            self.events += chunk.len() as u64;
        }
        Ok(())
    }

    fn slots(&mut self, slots: Vec<(i64, Vec<GridPoint>)>) -> Result<(), WorkerError> {
        for (slot, points) in slots {
            for point in &points {
                cells_of(f64::from(point.lat_deg), f64::from(point.lon_deg), self.search_m, &mut self.cells);
                for &(cell, home) in &self.cells {
                    self.grid_rows.push(slot, cell, home, point);
                }
            }
            if self.grid_rows.len >= OUTPUT_BATCH_ROWS {
                self.flush_grid()?;
            }
        }
        Ok(())
    }

    fn flush_grid(&mut self) -> Result<(), WorkerError> {
        let rows = self.grid_rows.len;
        if rows == 0 {
            return Ok(());
        }
        let mut columns: Vec<Arc<dyn Array>> =
            event_schema().fields().iter().map(|f| new_null_array(f.data_type(), rows)).collect();
        columns.extend(self.grid_rows.finish());
        self.write(columns)
    }

    fn write(&mut self, columns: Vec<Arc<dyn Array>>) -> Result<(), WorkerError> {
        let batch = RecordBatch::try_new(self.schema.clone(), columns).expect("columns of the vessel output schema");
        self.out.write(&batch)
    }
}

pub fn run(context: &Context<'_>, input: impl Read, output: impl Write) -> Result<StageSummary, WorkerError> {
    let grid = Grid::default();
    let mut pass = VesselPass::new(context.profiles, context.gazetteer, Land::embedded());
    let schema = output_schema();
    let mut writer = Writer {
        out: Output::new(output, &schema)?,
        schema,
        grid_rows: GridRows::default(),
        cells: Vec::new(),
        search_m: search_distance_m(&context.profiles.encounter),
        events: 0,
    };
    let mut input = Input::open(input)?;
    let mut rows_in = 0u64;
    let mut previous: Option<(u32, i64)> = None;
    while let Some(batch) = input.next_batch()? {
        let columns = Columns::of(&batch);
        let read = |e| input.column_error(e);
        let mmsi = columns.int64("mmsi").map_err(read)?;
        let time = columns.time_ms("time").map_err(read)?;
        let marker = if columns.has(PLACE_EVENT) { Some(columns.text(PLACE_EVENT).map_err(read)?) } else { None };
        let reports = ReportColumns::of(&columns).map_err(read)?;
        for row in 0..batch.num_rows() {
            let vessel = mmsi
                .get(row)
                .and_then(|m| u32::try_from(m).ok())
                .ok_or_else(|| input.row_error(row, "no MMSI, or out of range"))?;
            let ms = time.get(row).ok_or_else(|| input.row_error(row, "no time"))?;
            if previous.is_some_and(|p| p > (vessel, ms)) {
                return Err(input.row_error(row, "rows are not sorted by MMSI, then time"));
            }
            if previous.is_none_or(|(m, _)| m != vessel) {
                // The previous vessel is done: its grid points and events go out.
                let slots = pass.start_grid_at(ms.div_euclid(grid.step_ms));
                writer.slots(slots)?;
                writer.events(pass.take_events())?;
            }
            previous = Some((vessel, ms));
            rows_in += 1;
            if let Some(json) = marker.as_ref().and_then(|m| m.str(row)) {
                let event = event_from_json(json).map_err(|problem| input.row_error(row, problem))?;
                pass.place(event);
                continue;
            }
            let fix =
                reports.fix(row, Mmsi(vessel), Timestamp::from_unix_ms(ms)).map_err(|p| input.row_error(row, p))?;
            pass.feed(&fix);
        }
    }
    let result = pass.finish(&tumen_detect::Coverage::until(context.data_end));
    writer.slots(result.slots)?;
    writer.flush_grid()?;
    writer.events(result.events)?;
    let events_out = writer.events;
    let rows_out = writer.out.finish()?;
    Ok(StageSummary { rows_in, events_out, rows_out })
}

/// The report columns the detectors read (the archive's names).
struct ReportColumns {
    lat: tumen_store::Column<f64>,
    lon: tumen_store::Column<f64>,
    sog: tumen_store::Column<f32>,
    nav_status: tumen_store::Column<i64>,
    source_id: tumen_store::Column<i64>,
    line: tumen_store::Column<i64>,
}

impl ReportColumns {
    fn of(columns: &Columns<'_>) -> Result<ReportColumns, tumen_store::ColumnError> {
        Ok(ReportColumns {
            lat: columns.float64("lat")?,
            lon: columns.float64("lon")?,
            sog: columns.float32("sog_knots")?,
            nav_status: columns.int64("nav_status")?,
            source_id: columns.int64("source_id")?,
            line: columns.int64("line")?,
        })
    }

    fn fix(&self, row: usize, mmsi: Mmsi, time: Timestamp) -> Result<Fix, String> {
        Ok(Fix {
            mmsi,
            time,
            lat_deg: self.lat.get(row).ok_or("a report without latitude")?,
            lon_deg: self.lon.get(row).ok_or("a report without longitude")?,
            sog_knots: self.sog.get(row),
            nav_status: self.nav_status.get(row).and_then(|s| u8::try_from(s).ok()),
            origin: Origin {
                source_id: self.source_id.get(row).and_then(|s| u32::try_from(s).ok()).ok_or("no source id")?,
                line: self.line.get(row).and_then(|l| u64::try_from(l).ok()).ok_or("no line")?,
            },
        })
    }
}
