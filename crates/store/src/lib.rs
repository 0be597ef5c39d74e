//! Tumen's dataset on disk: one directory that every stage reads and only
//! one process at a time writes.
//!
//! ```text
//! tumen-data/
//!   positions/day=YYYY-MM-DD/*.parquet   the position archive, one Hive partition a UTC day
//!   positions/day=YYYY-MM-DD/*.run       sorted runs of an ingest not yet compacted
//!   catalog.sqlite                        sources, parts, identity registry, rejects, events, …
//!   rejects/*.tsv                         every unusable line: source, line, reason, text
//! ```
//!
//! The archive's Parquet is what DuckDB, pandas and QGIS read
//! (`read_parquet('tumen-data/positions/*/*.parquet', hive_partitioning = true)`);
//! the catalog is plain SQLite ([`Catalog`]). Every row keeps its
//! [`Origin`] — source id and line — so any finding can cite the record it
//! rests on.
//!
//! # The write protocol
//!
//! [`Dataset::open`] takes the one writer's lock (on Unix an advisory lock
//! on the directory itself, released when the process dies) and removes
//! any part file no committed transaction names. A writer fills a [`Batch`]
//! and calls [`Dataset::commit`]: the batch's rows are sorted and written as
//! part files (temporary name, fsync, rename, directory fsync), then one
//! catalog transaction names the parts together with the batch's identity
//! fields, reject counts and the source's checkpoint. A crash at any moment
//! leaves each batch wholly in or wholly out, and an ingest resumes from the
//! last checkpoint committed: no line is lost or counted twice.
//! [`Dataset::compact`] merges a day's parts into files sorted by (MMSI,
//! time) and swaps them in by one transaction; readers
//! ([`Dataset::open_read_only`], any number, any time) see the day before or
//! after, never between.
//!
//! # What is stored, typed
//!
//! Positions as [`PositionRow`] (what detectors read of one: [`Fix`]),
//! identity reports folded into the registry ([`StaticSpan`]), rejected
//! lines as [`RejectRow`]; sources as [`SourceRecord`] with
//! [`SourceKind`], [`SourceStatus`] and [`ReceiverKind`]; the pipeline's
//! findings as `tumen_model::Event`s ([`EventQuery`]), chains and alerts as
//! their records; events also as an Arrow table ([`event_schema`]) for the
//! partition worker and Spark.

mod archive;
mod batch_sort;
mod catalog;
mod columns;
mod dataset;
mod early_sync;
mod event_table;
mod fix_read;
mod row_batch;
mod rows;
mod run_file;
mod static_batch;
mod vessel_read;

pub use catalog::{
    AlertRecord, Catalog, CatalogError, ChainRecord, DayExtent, EventQuery, ListChanges, NewSource, PartRecord,
    PlaceRecord, ReceiverKind, SourceKind, SourceRecord, SourceStatus, StaticSpan, VesselQuery, WatchEntryRecord,
    WatchListRecord,
};
pub use dataset::{Batch, BatchParts, CommitSummary, Dataset, DayParts, StoreError};
pub use rows::{Fix, Origin, PositionRow, RejectRow, StaticField, StaticRow, StationClass, TimeOrigin};
pub use static_batch::StaticBatch;

pub use archive::{day_name, day_of};
pub use columns::{Column, ColumnError, Columns, TextColumn};
pub use event_table::{event_batch, event_schema, events_of};
