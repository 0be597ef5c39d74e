//! Arrow IPC streams in and out, and what can go wrong with them.

use std::io::{BufRead, BufReader, Read, Write};

use arrow_array::RecordBatch;
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{ArrowError, SchemaRef};
use tumen_store::ColumnError;

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("input: {0}")]
    Arrow(#[from] ArrowError),
    #[error("input batch {batch}: {error}")]
    Column { batch: u64, error: ColumnError },
    #[error("input batch {batch}, row {row}: {problem}")]
    Row { batch: u64, row: usize, problem: String },
    #[error("output: {0}")]
    Io(#[from] std::io::Error),
}

/// The batches of an input stream, counted; an empty input (no bytes at
/// all: an engine's empty partition) has none.
pub struct Input<R: Read> {
    reader: Option<StreamReader<BufReader<R>>>,
    /// Batches read so far.
    pub batches: u64,
}

impl<R: Read> Input<R> {
    pub fn open(input: R) -> Result<Input<R>, WorkerError> {
        let mut buffered = BufReader::with_capacity(1 << 20, input);
        let empty = buffered.fill_buf()?.is_empty();
        let reader = if empty { None } else { Some(StreamReader::try_new(buffered, None)?) };
        Ok(Input { reader, batches: 0 })
    }

    /// The next batch, if any.
    pub fn next_batch(&mut self) -> Result<Option<RecordBatch>, WorkerError> {
        let Some(reader) = &mut self.reader else { return Ok(None) };
        match reader.next() {
            Some(batch) => {
                self.batches += 1;
                Ok(Some(batch?))
            }
            None => Ok(None),
        }
    }

    /// An error about a column of the current batch.
    pub fn column_error(&self, error: ColumnError) -> WorkerError {
        WorkerError::Column { batch: self.batches, error }
    }

    /// An error about a row of the current batch.
    pub fn row_error(&self, row: usize, problem: impl Into<String>) -> WorkerError {
        WorkerError::Row { batch: self.batches, row, problem: problem.into() }
    }
}

/// An output stream of one schema; written (with no batches, if need be)
/// when finished, so that the reader always gets a whole stream.
pub struct Output<W: Write> {
    writer: StreamWriter<W>,
    pub rows: u64,
}

impl<W: Write> Output<W> {
    pub fn new(output: W, schema: &SchemaRef) -> Result<Output<W>, WorkerError> {
        Ok(Output { writer: StreamWriter::try_new(output, schema)?, rows: 0 })
    }

    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), WorkerError> {
        if batch.num_rows() > 0 {
            self.rows += batch.num_rows() as u64;
            self.writer.write(batch).map_err(as_io)?;
        }
        Ok(())
    }

    /// Writes and empties `events` (in the events schema, which the
    /// stream must have); returns how many.
    pub fn write_events(&mut self, events: &mut Vec<tumen_model::Event>) -> Result<u64, WorkerError> {
        for chunk in events.chunks(OUTPUT_BATCH_ROWS) {
            self.write(&tumen_store::event_batch(chunk))?;
        }
        let written = events.len() as u64;
        events.clear();
        Ok(written)
    }

    pub fn finish(mut self) -> Result<u64, WorkerError> {
        self.writer.finish().map_err(as_io)?;
        self.writer.get_mut().flush()?;
        Ok(self.rows)
    }
}

/// Writing fails only as the output does (a closed pipe, a full disk).
fn as_io(error: ArrowError) -> WorkerError {
    match error {
        ArrowError::IoError(_, e) => WorkerError::Io(e),
        other => WorkerError::Io(std::io::Error::other(other)),
    }
}

/// Rows gathered before a batch is written.
pub const OUTPUT_BATCH_ROWS: usize = 65_536;
