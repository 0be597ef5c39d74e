//! The rows of the dataset: what ingest produces and the archive and
//! catalog keep.

use std::sync::Arc;

use tumen_model::{Mmsi, Timestamp};

/// Where a row came from: the input source (its catalog id) and the line
/// (the first line of a multi-sentence message) — the evidence every
/// finding cites.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    pub source_id: u32,
    pub line: u64,
}

/// Where a row's time came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimeOrigin {
    /// NMEA 4.10 tag block `c:`.
    TagBlock,
    /// USCG-style field after the checksum.
    UscgTrailer,
    /// A Gatehouse `$PGHP` line.
    Gatehouse,
    /// A time a logger wrote in front of the sentence.
    LinePrefix,
    /// A CSV export's time column.
    Csv,
    /// No time in the source: when Tumen received the line (live feeds).
    Arrival,
}

impl TimeOrigin {
    pub const ALL: [TimeOrigin; 6] = [
        TimeOrigin::TagBlock,
        TimeOrigin::UscgTrailer,
        TimeOrigin::Gatehouse,
        TimeOrigin::LinePrefix,
        TimeOrigin::Csv,
        TimeOrigin::Arrival,
    ];

    /// The name written in the archive.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeOrigin::TagBlock => "tag_block",
            TimeOrigin::UscgTrailer => "uscg",
            TimeOrigin::Gatehouse => "pghp",
            TimeOrigin::LinePrefix => "line_prefix",
            TimeOrigin::Csv => "csv",
            TimeOrigin::Arrival => "arrival",
        }
    }

    pub fn parse(text: &str) -> Option<TimeOrigin> {
        TimeOrigin::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// One vessel position: a row of the archive.
#[derive(Clone, Debug, PartialEq)]
pub struct PositionRow {
    pub mmsi: Mmsi,
    pub time: Timestamp,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub sog_knots: Option<f32>,
    pub cog_deg: Option<f32>,
    pub heading_deg: Option<u16>,
    /// Class A navigational status; `None` for reports without one.
    pub nav_status: Option<u8>,
    /// AIS message type (1–3, 18, 19, 27, 9); 0 when the source was a CSV
    /// export that does not say.
    pub msg_type: u8,
    /// `A`, `B`, or `SAR` (aircraft).
    pub class: StationClass,
    /// The receiver that heard it first (tag-block source or station), when
    /// the source names one. Shared: a feed has few receivers and many rows.
    pub receiver: Option<Arc<str>>,
    /// How many receivers heard this very message.
    pub receivers_heard: u16,
    pub time_origin: TimeOrigin,
    pub origin: Origin,
}

/// The kind of station a position is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StationClass {
    A,
    B,
    SarAircraft,
}

impl StationClass {
    pub fn as_str(self) -> &'static str {
        match self {
            StationClass::A => "A",
            StationClass::B => "B",
            StationClass::SarAircraft => "SAR",
        }
    }

    pub fn parse(text: &str) -> Option<StationClass> {
        [StationClass::A, StationClass::B, StationClass::SarAircraft].into_iter().find(|c| c.as_str() == text)
    }
}

/// One static or voyage field a vessel broadcast, at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticRow {
    pub mmsi: Mmsi,
    pub time: Timestamp,
    pub field: StaticField,
    /// The value as text (numbers in decimal; dimensions as
    /// `bow/stern/port/starboard` metres; ETA as `MM-DDTHH:MM`).
    pub value: String,
    pub origin: Origin,
}

/// The fields of the identity registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StaticField {
    Name,
    CallSign,
    Imo,
    ShipType,
    Dimensions,
    Draught,
    Destination,
    Eta,
    Class,
}

impl StaticField {
    pub const ALL: [StaticField; 9] = [
        StaticField::Name,
        StaticField::CallSign,
        StaticField::Imo,
        StaticField::ShipType,
        StaticField::Dimensions,
        StaticField::Draught,
        StaticField::Destination,
        StaticField::Eta,
        StaticField::Class,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StaticField::Name => "name",
            StaticField::CallSign => "call_sign",
            StaticField::Imo => "imo",
            StaticField::ShipType => "ship_type",
            StaticField::Dimensions => "dimensions",
            StaticField::Draught => "draught_m",
            StaticField::Destination => "destination",
            StaticField::Eta => "eta",
            StaticField::Class => "class",
        }
    }

    pub fn parse(text: &str) -> Option<StaticField> {
        StaticField::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// An input line that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectRow {
    pub origin: Origin,
    pub reason: String,
    pub text: String,
}

/// What the detectors read of a position report: a small `Copy` value. The
/// archive's row also names its receiver (a shared string): copying rows
/// into detector state cost a reference count per copy, a fifth of a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fix {
    pub mmsi: Mmsi,
    pub time: Timestamp,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub sog_knots: Option<f32>,
    /// Class A navigational status; `None` for reports without one.
    pub nav_status: Option<u8>,
    /// The source and line it was read from.
    pub origin: Origin,
}

impl PositionRow {
    /// This report as the evidence of a finding, playing `role`.
    pub fn evidence(&self, role: &'static str) -> tumen_model::Evidence {
        tumen_model::Evidence {
            source_id: self.origin.source_id,
            line: self.origin.line,
            time: self.time,
            position: Some(tumen_model::LatLon { lat_deg: self.lat_deg, lon_deg: self.lon_deg }),
            role,
        }
    }
}

impl Fix {
    pub fn position(&self) -> tumen_model::LatLon {
        tumen_model::LatLon { lat_deg: self.lat_deg, lon_deg: self.lon_deg }
    }

    /// This report as the evidence of an event, playing `role`.
    pub fn evidence(&self, role: &'static str) -> tumen_model::Evidence {
        tumen_model::Evidence {
            source_id: self.origin.source_id,
            line: self.origin.line,
            time: self.time,
            position: Some(self.position()),
            role,
        }
    }
}

impl From<&PositionRow> for Fix {
    fn from(row: &PositionRow) -> Fix {
        Fix {
            mmsi: row.mmsi,
            time: row.time,
            lat_deg: row.lat_deg,
            lon_deg: row.lon_deg,
            sog_knots: row.sog_knots,
            nav_status: row.nav_status,
            origin: row.origin,
        }
    }
}

impl PositionRow {
    /// A row of zeros, every optional field empty: what a row moved out of
    /// a slot leaves behind (it owns nothing, so dropping it is free).
    pub(crate) fn vacant() -> PositionRow {
        PositionRow {
            mmsi: Mmsi(0),
            time: Timestamp::from_unix_ms(0),
            lat_deg: 0.0,
            lon_deg: 0.0,
            sog_knots: None,
            cog_deg: None,
            heading_deg: None,
            nav_status: None,
            msg_type: 0,
            class: StationClass::A,
            receiver: None,
            receivers_heard: 0,
            time_origin: TimeOrigin::TagBlock,
            origin: Origin { source_id: 0, line: 0 },
        }
    }
}

/// Rows for the store's tests.
#[cfg(test)]
pub(crate) mod test_rows {
    use super::*;

    /// A class A report of `mmsi` at `ms`, heard once, from `line` of
    /// source `source_id`; the other fields empty.
    pub(crate) fn row(mmsi: u32, ms: i64, source_id: u32, line: u64) -> PositionRow {
        PositionRow {
            mmsi: Mmsi(mmsi),
            time: Timestamp::from_unix_ms(ms),
            msg_type: 1,
            receivers_heard: 1,
            origin: Origin { source_id, line },
            ..PositionRow::vacant()
        }
    }
}
