//! Tumen's publishing stage.
//!
//! - [`chain_case`] / [`vessel_case`] read what a report shows from a
//!   dataset (the [`Case`]); [`render_html`] writes it as one
//!   self-contained HTML page — inline SVG map drawn from Tumen's own
//!   coastline, timeline, identity histories and list hits, facility
//!   charts, and an evidence table citing every record by file and line.
//!   No script and no network: the file opens offline, prints, and can be
//!   sent as it is.
//! - Drawing is split by job: [`map`] (Mercator view, land, tracks with
//!   silences dashed, routes, marks), [`timeline`], [`chart`] (facility
//!   counts against their history), [`describe`] (events in words);
//!   [`overview`] draws a filtered set of events the same way (the
//!   dashboard's overview).
//!
//! Nothing here decides anything: reports show what the detectors, the
//! fusion and the chain linker stored, and where it came from.

mod case;
pub mod chart;
pub mod describe;
pub mod export;
mod html;
pub mod json;
mod labels;
pub mod map;
pub mod overview;
mod svg;
pub mod timeline;

pub use case::{Case, ReportError, Subject, VesselTrack, chain_case, file_name, vessel_case};
pub use html::{STYLE as REPORT_STYLE, render as render_html};
pub use map::Basemap;
