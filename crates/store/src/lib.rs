//! The dataset on disk.

pub mod archive;
mod batch_sort;
pub mod catalog;
pub mod columns;
pub mod dataset;
mod early_sync;
pub mod event_table;
mod fix_read;
mod row_batch;
pub mod rows;
pub mod run_file;
pub mod static_batch;
mod vessel_read;

pub use catalog::{
    AlertRecord, Catalog, CatalogError, ChainRecord, DayExtent, EventQuery, ListChanges, NewSource, PartRecord,
    PlaceRecord, ReceiverKind, SourceKind, SourceRecord, SourceStatus, StaticSpan, VesselQuery, WatchEntryRecord,
    WatchListRecord,
};
pub use dataset::{Batch, BatchParts, CommitSummary, Dataset, DayParts, StoreError};
pub use rows::{Fix, Origin, PositionRow, RejectRow, StaticField, StaticRow, StationClass, TimeOrigin};
pub use static_batch::StaticBatch;
