//! NMEA AIS lines to rows: positions, identity fields, rejects.

use tumen_ais::message::{StaticDataReport, Type24Dimensions};
use tumen_ais::{Decoded, Decoder, DecoderConfig, Message, Rejected, Sink, TimeSource};
use tumen_model::{Mmsi, Timestamp};
use tumen_store::{PositionRow, StaticField, StationClass, TimeOrigin};

use crate::batch::BatchBuilder;
use crate::lines::trim_line_end;

/// Reasons ingest adds to the decoder's.
pub const NO_RECEIVER_TIME: &str = "no receiver time";
pub const IMPLAUSIBLE_TIME: &str = "implausible receiver time";
pub const POSITION_NOT_AVAILABLE: &str = "position not available";

/// Decodes one NMEA stream into a batch.
pub struct NmeaReader {
    decoder: Decoder,
    recent: RecentLines,
}

impl NmeaReader {
    /// A reader for a stream of which `lines_already_read` lines were
    /// ingested before (a resumed source).
    pub fn new(config: DecoderConfig, lines_already_read: u64) -> NmeaReader {
        let mut decoder = Decoder::new(config);
        decoder.resume_at_line(lines_already_read);
        NmeaReader { decoder, recent: RecentLines::default() }
    }

    /// Takes the next line. `arrival` is when it was received, for live
    /// feeds; files give `None`, and their lines without a receiver time
    /// are rejected.
    pub fn line(&mut self, line: &[u8], arrival: Option<Timestamp>, batch: &mut BatchBuilder) {
        let number = self.decoder.line_number() + 1;
        self.recent.keep(number, line);
        let mut sink = RowSink { batch, recent: &self.recent, arrival };
        self.decoder.feed_line(line, &mut sink);
    }

    /// True between whole messages: a checkpoint here loses nothing.
    pub fn is_idle(&self) -> bool {
        self.decoder.is_idle()
    }

    /// Ends the stream: fragments still waiting are rejected.
    pub fn finish(&mut self, batch: &mut BatchBuilder) {
        let mut sink = RowSink { batch, recent: &self.recent, arrival: None };
        self.decoder.finish(&mut sink);
    }
}

/// The last lines read, so that a multi-sentence message that cannot be
/// used can be rejected line by line with its text.
#[derive(Default)]
struct RecentLines {
    slots: Vec<(u64, Vec<u8>)>,
}

const RECENT_LINES: usize = 64;

impl RecentLines {
    fn keep(&mut self, number: u64, line: &[u8]) {
        if self.slots.len() < RECENT_LINES {
            self.slots.resize_with(RECENT_LINES, Default::default);
        }
        let slot = &mut self.slots[(number % RECENT_LINES as u64) as usize];
        slot.0 = number;
        slot.1.clear();
        slot.1.extend_from_slice(line);
    }

    fn get(&self, number: u64) -> Option<&[u8]> {
        let slot = self.slots.get((number % RECENT_LINES as u64) as usize)?;
        (slot.0 == number).then_some(trim_line_end(&slot.1))
    }
}

struct RowSink<'a> {
    batch: &'a mut BatchBuilder,
    recent: &'a RecentLines,
    arrival: Option<Timestamp>,
}

impl RowSink<'_> {
    /// Rejects every line of a message.
    fn reject_message(&mut self, first_line: u64, last_line: u64, reason: &str) {
        // Lines of a multi-sentence message are rarely far apart; one no
        // longer kept is cited by number alone.
        for number in first_line..=last_line {
            let text = self.recent.get(number).unwrap_or(b"");
            if number == first_line || number == last_line || !text.is_empty() {
                self.batch.reject(number, reason, text);
            }
        }
    }
}

impl Sink for RowSink<'_> {
    fn message(&mut self, decoded: &Decoded<'_>) {
        let meta = &decoded.meta;
        let message = decoded.message;
        let batch = &mut *self.batch;
        batch.counts.messages += 1;
        batch.counts.messages_by_type[usize::from(message.msg_type()).min(27)] += 1;

        let (time, time_origin) = match (meta.receiver_time, self.arrival) {
            (Some(t), _) => (t, time_origin(meta.time_source)),
            (None, Some(arrival)) => (arrival, TimeOrigin::Arrival),
            (None, None) => return self.reject_message(meta.first_line, meta.last_line, NO_RECEIVER_TIME),
        };
        if !batch.is_plausible(time) {
            return self.reject_message(meta.first_line, meta.last_line, IMPLAUSIBLE_TIME);
        }
        let line = meta.first_line;
        let receiver = meta.source.or(meta.station).map(|name| batch.receiver(name));
        let position =
            |mmsi: Mmsi, lat: Option<f64>, lon: Option<f64>, class: StationClass| Some((mmsi, lat?, lon?, class));
        // (position, sog, cog, heading, nav status)
        let (fix, sog, cog, heading, nav_status) = match message {
            Message::Position(p) => (
                position(p.mmsi, p.lat_deg(), p.lon_deg(), StationClass::A),
                p.sog_knots(),
                p.cog_deg(),
                p.heading_deg(),
                Some(p.nav_status),
            ),
            Message::LongRange(p) => (
                position(p.mmsi, p.lat_deg(), p.lon_deg(), StationClass::A),
                p.sog_knots(),
                p.cog_deg(),
                None,
                Some(p.nav_status),
            ),
            Message::ClassBPosition(p) => (
                position(p.mmsi, p.lat_deg(), p.lon_deg(), StationClass::B),
                p.sog_knots(),
                p.cog_deg(),
                p.heading_deg(),
                None,
            ),
            Message::ClassBExtended(p) => {
                let name = p.shipname.as_str();
                batch_static(batch, p.mmsi, time, StaticField::Name, name, line);
                if p.ship_type != 0 {
                    batch_static(batch, p.mmsi, time, StaticField::ShipType, &p.ship_type.to_string(), line);
                }
                dimensions(batch, p.mmsi, time, (p.to_bow_m, p.to_stern_m, p.to_port_m, p.to_starboard_m), line);
                batch_static(batch, p.mmsi, time, StaticField::Class, "B", line);
                (
                    position(p.mmsi, p.lat_deg(), p.lon_deg(), StationClass::B),
                    p.sog_knots(),
                    p.cog_deg(),
                    p.heading_deg(),
                    None,
                )
            }
            Message::SarAircraft(p) => (
                position(p.mmsi, p.lat_deg(), p.lon_deg(), StationClass::SarAircraft),
                (p.sog_knots != 1023).then_some(f64::from(p.sog_knots)),
                (p.cog_deg_e1 < 3600).then(|| f64::from(p.cog_deg_e1) / 10.0),
                None,
                None,
            ),
            Message::StaticAndVoyage(s) => {
                static_and_voyage(batch, s, time, line);
                return;
            }
            Message::StaticData(report) => {
                static_data(batch, report, time, line);
                return;
            }
            _ => {
                batch.counts.other_messages += 1;
                return;
            }
        };
        let Some((mmsi, lat_deg, lon_deg, class)) = fix else {
            return self.reject_message(meta.first_line, meta.last_line, POSITION_NOT_AVAILABLE);
        };
        batch.position(PositionRow {
            mmsi,
            time,
            lat_deg,
            lon_deg,
            sog_knots: sog.map(|v| v as f32),
            cog_deg: cog.map(|v| v as f32),
            heading_deg: heading,
            nav_status,
            msg_type: message.msg_type(),
            class,
            receiver,
            receivers_heard: 1,
            time_origin,
            origin: batch.origin(line),
        });
    }

    fn reject(&mut self, rejected: &Rejected<'_>) {
        self.batch.reject(rejected.line_number, rejected.reason.name(), rejected.line);
    }
}

fn time_origin(source: Option<TimeSource>) -> TimeOrigin {
    match source {
        Some(TimeSource::TagBlock) | None => TimeOrigin::TagBlock,
        Some(TimeSource::UscgTrailer) => TimeOrigin::UscgTrailer,
        Some(TimeSource::Gatehouse) => TimeOrigin::Gatehouse,
        Some(TimeSource::LinePrefix) => TimeOrigin::LinePrefix,
    }
}

/// Records a text field unless it is empty (not available).
fn batch_static(batch: &mut BatchBuilder, mmsi: Mmsi, time: Timestamp, field: StaticField, value: &str, line: u64) {
    if !value.is_empty() {
        batch.static_field(mmsi, time, field, value, line);
    }
}

/// Dimensions as `LENGTHxBEAM` metres (the reference point is not kept:
/// CSV exports do not carry it, and the registry compares sources).
fn dimensions(
    batch: &mut BatchBuilder,
    mmsi: Mmsi,
    time: Timestamp,
    (bow, stern, port, starboard): (u16, u16, u8, u8),
    line: u64,
) {
    let length = u32::from(bow) + u32::from(stern);
    let beam = u32::from(port) + u32::from(starboard);
    if length > 0 && beam > 0 {
        batch.static_field(mmsi, time, StaticField::Dimensions, &format!("{length}x{beam}"), line);
    }
}

fn static_and_voyage(
    batch: &mut BatchBuilder,
    s: &tumen_ais::message::StaticAndVoyageData,
    time: Timestamp,
    line: u64,
) {
    let mmsi = s.mmsi;
    batch_static(batch, mmsi, time, StaticField::Name, s.shipname.as_str(), line);
    batch_static(batch, mmsi, time, StaticField::CallSign, s.callsign.as_str(), line);
    if s.imo != 0 {
        batch.static_field(mmsi, time, StaticField::Imo, &s.imo.to_string(), line);
    }
    if s.ship_type != 0 {
        batch.static_field(mmsi, time, StaticField::ShipType, &s.ship_type.to_string(), line);
    }
    dimensions(batch, mmsi, time, (s.to_bow_m, s.to_stern_m, s.to_port_m, s.to_starboard_m), line);
    if let Some(draught) = s.draught_m() {
        batch.static_field(mmsi, time, StaticField::Draught, &format!("{draught:.1}"), line);
    }
    batch_static(batch, mmsi, time, StaticField::Destination, s.destination.as_str(), line);
    if let Some(eta) = eta_text(s.eta_month, s.eta_day, s.eta_hour, s.eta_minute) {
        batch.static_field(mmsi, time, StaticField::Eta, &eta, line);
    }
    batch.static_field(mmsi, time, StaticField::Class, "A", line);
}

fn static_data(batch: &mut BatchBuilder, report: &StaticDataReport, time: Timestamp, line: u64) {
    match report {
        StaticDataReport::PartA(a) => {
            batch_static(batch, a.mmsi, time, StaticField::Name, a.shipname.as_str(), line);
            batch.static_field(a.mmsi, time, StaticField::Class, "B", line);
        }
        StaticDataReport::PartB(b) => {
            if b.ship_type != 0 {
                batch.static_field(b.mmsi, time, StaticField::ShipType, &b.ship_type.to_string(), line);
            }
            batch_static(batch, b.mmsi, time, StaticField::CallSign, b.callsign.as_str(), line);
            if let Type24Dimensions::Ship { to_bow_m, to_stern_m, to_port_m, to_starboard_m } = b.dimensions {
                dimensions(batch, b.mmsi, time, (to_bow_m, to_stern_m, to_port_m, to_starboard_m), line);
            }
            batch.static_field(b.mmsi, time, StaticField::Class, "B", line);
        }
    }
}

/// `MM-DDTHH:MM` (the year is not sent), `MM-DD` when the hour is not
/// available; `None` when the date is not.
pub fn eta_text(month: u8, day: u8, hour: u8, minute: u8) -> Option<String> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    if hour < 24 && minute < 60 {
        Some(format!("{month:02}-{day:02}T{hour:02}:{minute:02}"))
    } else {
        Some(format!("{month:02}-{day:02}"))
    }
}
