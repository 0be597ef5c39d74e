//! The encounter stage: pair hits sorted by pair (`a_mmsi`, `b_mmsi`), each
//! pair's followed through its slots as one machine follows it. A pair's
//! hits found by two cells (a vessel with two transmitters) are kept once
//! a slot, the closest, as one machine keeps them.

use std::io::{Read, Write};

use tumen_detect::Grid;
use tumen_detect::{EncounterFinder, PairHit, closest_per_pair_and_slot};
use tumen_model::Event;
use tumen_places::Land;
use tumen_store::Columns;
use tumen_store::event_schema;

use crate::ipc::{Input, OUTPUT_BATCH_ROWS, Output, WorkerError};
use crate::tables::PointColumns;
use crate::{Context, StageSummary};

pub fn run(context: &Context<'_>, input: impl Read, output: impl Write) -> Result<StageSummary, WorkerError> {
    let mut finder =
        EncounterFinder::new(Grid::default(), context.profiles.encounter.clone(), context.gazetteer, Land::embedded());
    let mut out = Output::new(output, &event_schema())?;
    let mut input = Input::open(input)?;
    let mut pair_hits: Vec<PairHit> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut rows_in = 0u64;
    let mut events_out = 0u64;
    let mut follow = |hits: &mut Vec<PairHit>, events: &mut Vec<Event>| {
        closest_per_pair_and_slot(hits);
        events.extend(finder.hits(hits));
        events.extend(finder.finish());
        hits.clear();
    };
    while let Some(batch) = input.next_batch()? {
        let columns = Columns::of(&batch);
        let read = |e| input.column_error(e);
        let slot = columns.int64("slot").map_err(read)?;
        let metres = columns.float64("metres").map_err(read)?;
        let (a, b) = (PointColumns::of(&columns, "a_").map_err(read)?, PointColumns::of(&columns, "b_").map_err(read)?);
        for row in 0..batch.num_rows() {
            let hit = PairHit {
                slot: slot.get(row).ok_or_else(|| input.row_error(row, "no slot"))?,
                a: a.get(row).map_err(|p| input.row_error(row, p))?,
                b: b.get(row).map_err(|p| input.row_error(row, p))?,
                metres: metres.get(row).ok_or_else(|| input.row_error(row, "no distance"))?,
            };
            if let Some(last) = pair_hits.last() {
                if last.pair() > hit.pair() {
                    return Err(input.row_error(row, "rows are not sorted by pair"));
                }
                if last.pair() != hit.pair() {
                    follow(&mut pair_hits, &mut events);
                }
            }
            pair_hits.push(hit);
            rows_in += 1;
        }
        if events.len() >= OUTPUT_BATCH_ROWS {
            events_out += out.write_events(&mut events)?;
        }
    }
    follow(&mut pair_hits, &mut events);
    events_out += out.write_events(&mut events)?;
    let rows_out = out.finish()?;
    Ok(StageSummary { rows_in, events_out, rows_out })
}
