//! The relating stage: events under each vessel they name (`key_mmsi`:
//! an encounter comes twice, once for each vessel), sorted by it. For each
//! vessel, silences are explained by MMSI handovers and draught changes
//! named by the visit, silence or encounter they were made in
//! ([`tumen_detect::relate`]); an event is written once, by the partition
//! of the first vessel it names.

use std::io::{Read, Write};

use tumen_detect::relate;
use tumen_model::Event;
use tumen_model::Mmsi;
use tumen_store::Columns;
use tumen_store::{event_schema, events_of};

use crate::StageSummary;
use crate::ipc::{Input, Output, WorkerError};

pub fn run(input: impl Read, output: impl Write) -> Result<StageSummary, WorkerError> {
    let mut out = Output::new(output, &event_schema())?;
    let mut input = Input::open(input)?;
    let mut vessel: Option<u32> = None;
    let mut events: Vec<Event> = Vec::new();
    let mut done: Vec<Event> = Vec::new();
    let mut rows_in = 0u64;
    let mut events_out = 0u64;
    let settle = |vessel: Option<u32>, events: &mut Vec<Event>, done: &mut Vec<Event>| {
        let Some(key) = vessel else { return };
        done.extend(relate(std::mem::take(events)).into_iter().filter(|e| e.mmsis[0] == Mmsi(key)));
    };
    while let Some(batch) = input.next_batch()? {
        let key = Columns::of(&batch).int64("key_mmsi").map_err(|e| input.column_error(e))?;
        let found = events_of(&batch).map_err(|e| input.column_error(e))?;
        for (row, event) in found.into_iter().enumerate() {
            let key =
                key.get(row).and_then(|k| u32::try_from(k).ok()).ok_or_else(|| input.row_error(row, "no key_mmsi"))?;
            if vessel != Some(key) {
                if vessel.is_some_and(|v| v > key) {
                    return Err(input.row_error(row, "rows are not sorted by key_mmsi"));
                }
                settle(vessel, &mut events, &mut done);
                vessel = Some(key);
            }
            events.push(event);
            rows_in += 1;
        }
        events_out += out.write_events(&mut done)?;
    }
    settle(vessel, &mut events, &mut done);
    events_out += out.write_events(&mut done)?;
    let rows_out = out.finish()?;
    Ok(StageSummary { rows_in, events_out, rows_out })
}
