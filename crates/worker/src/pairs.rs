//! The pair stage: grid points sorted by (slot, cell); for each cell of a
//! slot, the pairs of vessels within the search distance whose lower-MMSI
//! point the cell owns (its `home` points), the cell's halo supplying the
//! neighbours. Writes pair hits ([`crate::tables::hit_schema`]).

use std::io::{Read, Write};

use tumen_detect::GridPoint;
use tumen_detect::PairSearch;
use tumen_store::Columns;

use crate::ipc::{Input, OUTPUT_BATCH_ROWS, Output, WorkerError};
use crate::tables::{HitRows, PointColumns, hit_schema};
use crate::{Context, StageSummary};

/// One (slot, cell)'s points.
#[derive(Default)]
struct Cell {
    key: Option<(i64, i64)>,
    points: Vec<GridPoint>,
    home: Vec<bool>,
}

pub fn run(context: &Context<'_>, input: impl Read, output: impl Write) -> Result<StageSummary, WorkerError> {
    let mut search = PairSearch::new(&context.profiles.encounter);
    let mut out = Output::new(output, &hit_schema())?;
    let mut rows = HitRows::default();
    let mut input = Input::open(input)?;
    let mut cell = Cell::default();
    let mut rows_in = 0u64;
    let mut hits_out = 0u64;
    let mut find = |cell: &mut Cell, rows: &mut HitRows, out: &mut Output<_>| -> Result<(), WorkerError> {
        if let Some((slot, _)) = cell.key {
            for hit in search.hits(slot, &cell.points, |i| cell.home[i]) {
                rows.push(&hit);
                hits_out += 1;
            }
            if rows.len >= OUTPUT_BATCH_ROWS {
                out.write(&rows.finish())?;
            }
        }
        cell.points.clear();
        cell.home.clear();
        Ok(())
    };
    while let Some(batch) = input.next_batch()? {
        let columns = Columns::of(&batch);
        let read = |e| input.column_error(e);
        let slot = columns.int64("slot").map_err(read)?;
        let cell_key = columns.int64("cell").map_err(read)?;
        let home = columns.boolean("home").map_err(read)?;
        let points = PointColumns::of(&columns, "point_").map_err(read)?;
        for row in 0..batch.num_rows() {
            let key = slot.get(row).zip(cell_key.get(row)).ok_or_else(|| input.row_error(row, "no slot or cell"))?;
            if cell.key != Some(key) {
                if cell.key.is_some_and(|k| k > key) {
                    return Err(input.row_error(row, "rows are not sorted by slot, then cell"));
                }
                find(&mut cell, &mut rows, &mut out)?;
                cell.key = Some(key);
            }
            cell.points.push(points.get(row).map_err(|p| input.row_error(row, p))?);
            cell.home.push(home.get(row).ok_or_else(|| input.row_error(row, "no home flag"))?);
            rows_in += 1;
        }
    }
    find(&mut cell, &mut rows, &mut out)?;
    out.write(&rows.finish())?;
    let rows_out = out.finish()?;
    Ok(StageSummary { rows_in, events_out: 0, rows_out: rows_out.max(hits_out) })
}
