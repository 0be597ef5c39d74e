//! The CSV exports analysts get AIS in (`../shared/FACTS.md` §5): NOAA
//! MarineCadastre and the Danish Maritime Authority. One row is one
//! position plus the vessel's identity as the exporter joined it; columns
//! are found by name from the header, so reordered or extra columns do no
//! harm.

use tumen_model::{Mmsi, Timestamp};
use tumen_store::{PositionRow, StaticField, StationClass, TimeOrigin};

use crate::batch::BatchBuilder;
use crate::lines::trim_line_end;
use crate::nmea::{IMPLAUSIBLE_TIME, POSITION_NOT_AVAILABLE};

/// The two dialects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Noaa,
    Dma,
}

/// Column indexes of the fields Tumen reads; `None` when absent.
#[derive(Clone, Debug, Default)]
struct Columns {
    mmsi: Option<usize>,
    time: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    sog: Option<usize>,
    cog: Option<usize>,
    heading: Option<usize>,
    name: Option<usize>,
    imo: Option<usize>,
    call_sign: Option<usize>,
    ship_type: Option<usize>,
    nav_status: Option<usize>,
    length: Option<usize>,
    width: Option<usize>,
    draught: Option<usize>,
    destination: Option<usize>,
    eta: Option<usize>,
    class: Option<usize>,
}

impl Columns {
    fn from_header(dialect: Dialect, names: &[String]) -> Columns {
        let find = |wanted: &str| names.iter().position(|n| n.trim().eq_ignore_ascii_case(wanted));
        match dialect {
            Dialect::Noaa => Columns {
                mmsi: find("MMSI"),
                time: find("BaseDateTime"),
                lat: find("LAT"),
                lon: find("LON"),
                sog: find("SOG"),
                cog: find("COG"),
                heading: find("Heading"),
                name: find("VesselName"),
                imo: find("IMO"),
                call_sign: find("CallSign"),
                ship_type: find("VesselType"),
                nav_status: find("Status"),
                length: find("Length"),
                width: find("Width"),
                draught: find("Draft"),
                destination: None,
                eta: None,
                class: find("TransceiverClass"),
            },
            Dialect::Dma => Columns {
                mmsi: find("MMSI"),
                time: find("# Timestamp").or_else(|| find("Timestamp")),
                lat: find("Latitude"),
                lon: find("Longitude"),
                sog: find("SOG"),
                cog: find("COG"),
                heading: find("Heading"),
                name: find("Name"),
                imo: find("IMO"),
                call_sign: find("Callsign"),
                ship_type: find("Ship type"),
                nav_status: find("Navigational status"),
                length: find("Length"),
                width: find("Width"),
                draught: find("Draught"),
                destination: find("Destination"),
                eta: find("ETA"),
                class: find("Type of mobile"),
            },
        }
    }

    fn missing_required(&self) -> Option<&'static str> {
        [("MMSI", self.mmsi), ("time", self.time), ("latitude", self.lat), ("longitude", self.lon)]
            .into_iter()
            .find_map(|(name, index)| index.is_none().then_some(name))
    }
}

/// Reads the rows of one CSV export.
pub struct CsvReader {
    dialect: Dialect,
    columns: Option<Columns>,
    fields: Vec<String>,
    parser: FieldSplitter,
}

impl CsvReader {
    /// A reader for a stream; the header line comes first (a resumed stream
    /// gets it through [`CsvReader::header`]).
    pub fn new(dialect: Dialect) -> CsvReader {
        CsvReader { dialect, columns: None, fields: Vec::new(), parser: FieldSplitter::default() }
    }

    /// Reads the header line; an error names the missing column.
    pub fn header(&mut self, line: &[u8]) -> Result<(), String> {
        self.parser.split(line, &mut self.fields).map_err(|e| e.to_owned())?;
        let columns = Columns::from_header(self.dialect, &self.fields);
        if let Some(missing) = columns.missing_required() {
            return Err(format!("no {missing} column in the header"));
        }
        self.columns = Some(columns);
        Ok(())
    }

    pub fn has_header(&self) -> bool {
        self.columns.is_some()
    }

    /// Takes one data line (number `line` in the stream).
    pub fn line(&mut self, raw: &[u8], line: u64, batch: &mut BatchBuilder) {
        let raw = trim_line_end(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let Some(columns) = &self.columns else {
            return batch.reject(line, "no CSV header", raw);
        };
        if let Err(reason) = self.parser.split(raw, &mut self.fields) {
            return batch.reject(line, reason, raw);
        }
        batch.counts.messages += 1;
        match read_row(self.dialect, columns, &self.fields) {
            Ok(row) => keep_row(row, line, raw, batch),
            Err(reason) => batch.reject(line, reason, raw),
        }
    }
}

/// A row as read, before the checks that need the batch.
struct Row {
    mmsi: Mmsi,
    time: Timestamp,
    position: Option<(f64, f64)>,
    sog_knots: Option<f64>,
    cog_deg: Option<f64>,
    heading_deg: Option<u16>,
    nav_status: Option<u8>,
    class: Option<StationClass>,
    statics: Vec<(StaticField, String)>,
}

fn read_row(dialect: Dialect, c: &Columns, fields: &[String]) -> Result<Row, &'static str> {
    let get = |index: Option<usize>| -> &str {
        let value = index.and_then(|i| fields.get(i)).map(|s| s.trim()).unwrap_or("");
        // DMA writes "Unknown" for missing text and numbers.
        if value.eq_ignore_ascii_case("unknown") || value.eq_ignore_ascii_case("undefined") { "" } else { value }
    };
    let mmsi = get(c.mmsi).parse::<u32>().ok().filter(|&m| m <= 999_999_999).map(Mmsi).ok_or("bad MMSI")?;
    let time_text = get(c.time);
    let time = match dialect {
        Dialect::Noaa => parse_iso_time(time_text),
        Dialect::Dma => parse_dma_time(time_text),
    }
    .or_else(|| Timestamp::parse_lenient(time_text))
    .ok_or("bad time")?;
    let number = |index: Option<usize>| -> Result<Option<f64>, &'static str> {
        let text = get(index);
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<f64>().map(Some).map_err(|_| "bad number")
    };
    let lat = number(c.lat)?;
    let lon = number(c.lon)?;
    let position = match (lat, lon) {
        (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
            Some((to_ais_resolution(lat), to_ais_resolution(lon)))
        }
        _ => None,
    };
    let sog_knots = number(c.sog)?.filter(|v| (0.0..102.3).contains(v));
    let cog_deg = number(c.cog)?.filter(|v| (0.0..360.0).contains(v));
    let heading_deg = number(c.heading)?.filter(|v| (0.0..360.0).contains(v)).map(|v| v as u16);
    let class_text = get(c.class);
    let class = match class_text.trim_start_matches("Class ").trim() {
        "A" => Some(StationClass::A),
        "B" => Some(StationClass::B),
        t if t.to_ascii_lowercase().starts_with("sar") => Some(StationClass::SarAircraft),
        "" if dialect == Dialect::Noaa => Some(StationClass::A),
        _ => None,
    };
    let nav_status = match dialect {
        Dialect::Noaa => get(c.nav_status).parse::<u8>().ok().filter(|&s| s <= 15),
        Dialect::Dma => dma_nav_status(get(c.nav_status)),
    }
    .filter(|_| class == Some(StationClass::A));

    let mut statics = Vec::new();
    for (field, index) in
        [(StaticField::Name, c.name), (StaticField::CallSign, c.call_sign), (StaticField::Destination, c.destination)]
    {
        let value = get(index);
        if !value.is_empty() {
            statics.push((field, value.to_owned()));
        }
    }
    let imo = get(c.imo);
    let imo = imo.strip_prefix("IMO").unwrap_or(imo).trim();
    if imo.parse::<u32>().is_ok_and(|n| n != 0) {
        statics.push((StaticField::Imo, imo.trim_start_matches('0').to_owned()));
    }
    let ship_type = get(c.ship_type);
    if !ship_type.is_empty() && ship_type != "0" {
        statics.push((StaticField::ShipType, ship_type.to_owned()));
    }
    if let (Some(length), Some(width)) = (number(c.length).ok().flatten(), number(c.width).ok().flatten())
        && length > 0.0
        && width > 0.0
    {
        statics.push((StaticField::Dimensions, format!("{}x{}", length.round(), width.round())));
    }
    if let Some(draught) = number(c.draught).ok().flatten().filter(|d| *d > 0.0) {
        statics.push((StaticField::Draught, format!("{draught:.1}")));
    }
    if let Some(eta) = parse_dma_time(get(c.eta)).and_then(|t| t.utc_fields())
        && let Some(text) = crate::nmea::eta_text(eta.month as u8, eta.day as u8, eta.hour as u8, eta.minute as u8)
    {
        statics.push((StaticField::Eta, text));
    }
    if let Some(class) = class.filter(|c| *c != StationClass::SarAircraft) {
        statics.push((StaticField::Class, class.as_str().to_owned()));
    }
    Ok(Row { mmsi, time, position, sog_knots, cog_deg, heading_deg, nav_status, class, statics })
}

fn keep_row(row: Row, line: u64, raw: &[u8], batch: &mut BatchBuilder) {
    if !batch.is_plausible(row.time) {
        return batch.reject(line, IMPLAUSIBLE_TIME, raw);
    }
    let Some(class) = row.class else {
        // Base stations and aids to navigation: not vessels.
        batch.counts.other_messages += 1;
        return;
    };
    for (field, value) in &row.statics {
        batch.static_field(row.mmsi, row.time, *field, value, line);
    }
    let Some((lat_deg, lon_deg)) = row.position else {
        return batch.reject(line, POSITION_NOT_AVAILABLE, raw);
    };
    let origin = batch.origin(line);
    batch.position(PositionRow {
        mmsi: row.mmsi,
        time: row.time,
        lat_deg,
        lon_deg,
        sog_knots: row.sog_knots.map(|v| v as f32),
        cog_deg: row.cog_deg.map(|v| v as f32),
        heading_deg: row.heading_deg,
        nav_status: row.nav_status,
        msg_type: 0,
        class,
        receiver: None,
        receivers_heard: 1,
        time_origin: TimeOrigin::Csv,
        origin,
    });
}

/// Rounds degrees to AIS's resolution (1/600 000°), so that a position read
/// from a CSV export equals the one decoded from the same message.
fn to_ais_resolution(deg: f64) -> f64 {
    (deg * 600_000.0).round() / 600_000.0
}

fn digits(text: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    let part = text.get(range)?;
    part.iter().try_fold(0u32, |n, &b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
}

/// `2023-09-07T06:30:00` (or with a space).
fn parse_iso_time(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b' ') {
        return None;
    }
    let year = digits(b, 0..4)?;
    Timestamp::from_utc_fields(
        year as i32,
        digits(b, 5..7)?,
        digits(b, 8..10)?,
        digits(b, 11..13)?,
        digits(b, 14..16)?,
        digits(b, 17..19)?,
        0,
    )
}

/// `07/09/2023 06:30:00` (day first).
fn parse_dma_time(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    if b.len() != 19 || b[2] != b'/' || b[5] != b'/' || b[10] != b' ' {
        return None;
    }
    let year = digits(b, 6..10)?;
    Timestamp::from_utc_fields(
        year as i32,
        digits(b, 3..5)?,
        digits(b, 0..2)?,
        digits(b, 11..13)?,
        digits(b, 14..16)?,
        digits(b, 17..19)?,
        0,
    )
}

/// The navigational status DMA writes in words.
fn dma_nav_status(text: &str) -> Option<u8> {
    let t = text.to_ascii_lowercase();
    let code = match t.as_str() {
        s if s.starts_with("under way using engine") => 0,
        s if s.starts_with("at anchor") => 1,
        s if s.starts_with("not under command") => 2,
        s if s.starts_with("restricted man") => 3,
        s if s.starts_with("constrained by") => 4,
        s if s.starts_with("moored") => 5,
        s if s.starts_with("aground") => 6,
        s if s.starts_with("engaged in fishing") => 7,
        s if s.starts_with("under way sailing") => 8,
        s if s.starts_with("power-driven vessel towing astern") => 11,
        s if s.starts_with("power-driven vessel pushing") => 12,
        s if s.starts_with("ais-sart") => 14,
        _ => return None,
    };
    Some(code)
}

/// Splits one CSV line into fields with `csv-core` (quotes, doubled
/// quotes), reusing the field strings.
struct FieldSplitter {
    /// Built once: building a csv-core reader costs more than splitting a
    /// line.
    reader: csv_core::Reader,
    output: Vec<u8>,
}

impl Default for FieldSplitter {
    fn default() -> Self {
        FieldSplitter { reader: csv_core::Reader::new(), output: Vec::new() }
    }
}

impl FieldSplitter {
    fn split(&mut self, line: &[u8], fields: &mut Vec<String>) -> Result<(), &'static str> {
        use csv_core::ReadFieldResult;
        let reader = &mut self.reader;
        reader.reset();
        fields.clear();
        let mut input = line;
        let mut field: Vec<u8> = Vec::new();
        if self.output.len() < 256 {
            self.output.resize(256, 0);
        }
        // csv-core stops when its input runs out; an empty input then means
        // the end of the record. Bounded: each round consumes input, grows
        // the output, or ends a field.
        for _ in 0..line.len() * 2 + 64 {
            let (result, read, written) = reader.read_field(input, &mut self.output);
            input = &input[read..];
            field.extend_from_slice(&self.output[..written]);
            match result {
                ReadFieldResult::InputEmpty => {}
                ReadFieldResult::OutputFull => {
                    let grown = self.output.len() * 2;
                    self.output.resize(grown, 0);
                }
                ReadFieldResult::Field { record_end } => {
                    fields.push(String::from_utf8_lossy(&field).into_owned());
                    field.clear();
                    if record_end {
                        return Ok(());
                    }
                }
                ReadFieldResult::End => return Ok(()),
            }
        }
        Err("bad CSV line")
    }
}
