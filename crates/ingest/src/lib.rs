//! Ingest: AIS from files, standard input and live feeds into Tumen's
//! dataset (`tumen-store`), exactly once.
//!
//! Sources are NMEA 0183 AIS (plain or gzip; tag blocks, USCG trailers,
//! `$PGHP` lines, logger time prefixes — all that `tumen-ais` reads) and
//! the two CSV exports analysts get (NOAA MarineCadastre, Danish Maritime
//! Authority), detected from the content. What comes out:
//!
//! - **positions** (types 1–3, 18, 19, 27 and SAR aircraft 9, or CSV rows)
//!   with the receiver time and where it came from, the receiver, and the
//!   source line they rest on. A report whose position is "not available"
//!   (91°/181°) is not a position: its line is rejected with that reason.
//! - **identity fields** for the registry (name, call sign, IMO, ship
//!   type, dimensions, draught, destination, ETA, class) from types 5, 19
//!   and 24 A/B, or the CSV columns.
//! - **rejects**: every line that gives neither, with its line number and
//!   reason, kept in `rejects/` and counted.
//!
//! # Time
//!
//! A row's time is the receiver time the input carries (tag block `c:`,
//! USCG trailer, `$PGHP`, logger prefix, CSV column). A file line without
//! one is rejected (`no receiver time`): Tumen never invents a time. A live
//! feed's line without one gets its arrival time, marked `arrival`. Times
//! before 1995 or more than a day in the future are rejected as
//! implausible.
//!
//! # Order and duplicates
//!
//! Rows are written in batches; the archive keeps each day sorted by
//! (MMSI, time), so late and out-of-order lines — a satellite's hours-late
//! downlink — take their place however late they come. The same
//! transmission heard by several receivers is joined into one row (with
//! the count of receivers) when the day is compacted (`Dataset::compact`),
//! which a whole ingest ends with.
//!
//! # Exactly once
//!
//! See [`stream`]: sources are known by content hash; batches end where
//! the decoder is idle and are committed with their checkpoint; an
//! interrupted source resumes where its last batch ended.

pub mod batch;
pub mod checkpoint;
pub mod csv_formats;
pub mod format;
pub mod lines;
pub mod live;
pub mod nmea;
pub mod stream;

pub use batch::Counts;
pub use format::Format;
pub use live::{LiveAddress, LiveConfig, LiveEvent, LiveObserver, NoObserver, TICK, ingest_live, ingest_live_observed};
pub use stream::{
    IngestConfig, IngestError, NoProgress, Outcome, Progress, SourceSummary, content_hash, ingest_file, ingest_reader,
};
