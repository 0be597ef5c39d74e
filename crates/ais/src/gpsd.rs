//! gpsd-compatible JSON: the objects `gpsdecode -j` prints (and, unscaled,
//! `gpsdecode -u -j`), with the same field names, order and scaling, so
//! that anything built around gpsd can read Tumen's output — and so Tumen
//! can be checked field by field against gpsd's own regression corpus.
//!
//! Two gpsd behaviours are reproduced because clients depend on them:
//! type 24 parts are merged (a part A is held until its part B arrives and
//! one object is printed for the pair; a part B without a part A prints
//! nothing), and the type 24 `vendorid` is the seven-character pre-2010
//! field. Where gpsd's output is wrong we are not: the rate of turn keeps
//! its sign in scaled output, and type 26 reports its radio status (gpsd
//! prints 0). Payloads of binary messages are decoded only when complete
//! (see [`crate::application`]).

use std::fmt::Write as _;

use crate::application::{Application, TidalWindow236, TidalWindow289};
use crate::bits::Bits;
use crate::message::*;
use crate::text::AisString;
use crate::vocabulary;

/// Writes gpsd JSON objects. Holds the type 24 part A queue, so use one per
/// input stream.
#[derive(Debug)]
pub struct GpsdJson {
    scaled: bool,
    device: String,
    type24: Type24Queue,
}

/// gpsd's queue of part A names waiting for their part B: eight entries,
/// overwritten round-robin.
#[derive(Debug, Default)]
struct Type24Queue {
    ships: [(u32, AisString<20>); 8],
    next: usize,
}

impl GpsdJson {
    /// `scaled` as `gpsdecode -j`, unscaled as `gpsdecode -u -j`. `device`
    /// is the `"device"` value (gpsdecode writes `stdin`).
    pub fn new(scaled: bool, device: &str) -> GpsdJson {
        GpsdJson { scaled, device: device.to_owned(), type24: Type24Queue::default() }
    }

    /// Appends one object (without a line ending) to `out`, and returns
    /// true; returns false, writing nothing, when gpsd prints nothing for
    /// the message (a type 24 part A waiting for its part B, or a part B
    /// without one).
    pub fn write(&mut self, message: &Message, out: &mut String) -> bool {
        let merged_name;
        let name_for_24 = match message {
            Message::StaticData(StaticDataReport::PartA(a)) => {
                let slot = &mut self.type24.ships[self.type24.next];
                *slot = (a.mmsi.0, a.shipname);
                self.type24.next = (self.type24.next + 1) % self.type24.ships.len();
                return false;
            }
            Message::StaticData(StaticDataReport::PartB(b)) => {
                let Some(found) = self.type24.ships.iter_mut().find(|(mmsi, _)| *mmsi == b.mmsi.0) else {
                    return false;
                };
                // A repeated part B must not match again.
                found.0 = 0;
                merged_name = found.1;
                Some(&merged_name)
            }
            _ => None,
        };
        let mut j = Obj { out, scaled: self.scaled };
        j.out.push_str("{\"class\":\"AIS\"");
        if !self.device.is_empty() {
            j.str("device", &self.device);
        }
        j.uint("type", message.msg_type());
        j.uint("repeat", message.repeat());
        j.uint("mmsi", message.mmsi().0);
        j.boolean("scaled", self.scaled);
        match message {
            Message::Position(m) => position(&mut j, m),
            Message::BaseStation(m) => base_station(&mut j, m),
            Message::StaticAndVoyage(m) => static_voyage(&mut j, m),
            Message::AddressedBinary(m) => {
                j.uint("seqno", m.seqno);
                j.uint("dest_mmsi", m.dest_mmsi.0);
                j.boolean("retransmit", m.retransmit);
                j.uint("dac", m.dac);
                j.uint("fid", m.fi);
                match m.application() {
                    Some(app) => application(&mut j, &app),
                    None => j.data("data", &m.data),
                }
            }
            Message::Acknowledge(m) => {
                for (i, key) in ["mmsi1", "mmsi2", "mmsi3", "mmsi4"].into_iter().enumerate() {
                    j.uint(key, m.acks[i].mmsi.0);
                }
            }
            Message::BroadcastBinary(m) => {
                j.uint("dac", m.dac);
                j.uint("fid", m.fi);
                match m.application() {
                    Some(app) => application(&mut j, &app),
                    None => j.data("data", &m.data),
                }
            }
            Message::SarAircraft(m) => sar(&mut j, m),
            Message::UtcInquiry(m) => j.uint("dest_mmsi", m.dest_mmsi.0),
            Message::AddressedSafety(m) => {
                j.uint("seqno", m.seqno);
                j.uint("dest_mmsi", m.dest_mmsi.0);
                j.boolean("retransmit", m.retransmit);
                j.str("text", m.text.as_str());
            }
            Message::BroadcastSafety(m) => j.str("text", m.text.as_str()),
            Message::Interrogation(m) => {
                j.uint("mmsi1", m.mmsi1.0);
                j.uint("type1_1", m.type1_1);
                j.uint("offset1_1", m.offset1_1);
                j.uint("type1_2", m.type1_2);
                j.uint("offset1_2", m.offset1_2);
                j.uint("mmsi2", m.mmsi2.0);
                j.uint("type2_1", m.type2_1);
                j.uint("offset2_1", m.offset2_1);
            }
            Message::AssignedMode(m) => {
                j.uint("mmsi1", m.mmsi1.0);
                j.uint("offset1", m.offset1);
                j.uint("increment1", m.increment1);
                j.uint("mmsi2", m.mmsi2.0);
                j.uint("offset2", m.offset2);
                j.uint("increment2", m.increment2);
            }
            Message::Dgnss(m) => {
                j.lonlat_pair(m.lon_min_e1, m.lat_min_e1, 600.0, 1);
                j.data("data", &m.data);
            }
            Message::ClassBPosition(m) => class_b(&mut j, m),
            Message::ClassBExtended(m) => class_b_extended(&mut j, m),
            Message::DataLinkManagement(m) => {
                for (i, r) in m.reservations.iter().enumerate() {
                    let n = i + 1;
                    j.uint(&format!("offset{n}"), r.offset);
                    j.uint(&format!("number{n}"), r.number);
                    j.uint(&format!("timeout{n}"), r.timeout_min);
                    j.uint(&format!("increment{n}"), r.increment);
                }
            }
            Message::AidToNavigation(m) => aid_to_navigation(&mut j, m),
            Message::ChannelManagement(m) => channel_management(&mut j, m),
            Message::GroupAssignment(m) => {
                j.corners(m.ne_lon_min_e1, m.ne_lat_min_e1, m.sw_lon_min_e1, m.sw_lat_min_e1);
                j.uint("stationtype", m.station_type);
                j.str("stationtype_text", vocabulary::station_type(m.station_type));
                j.uint("shiptype", m.ship_type);
                j.str("shiptype_text", vocabulary::ship_type(m.ship_type));
                j.uint("interval", m.interval);
                j.uint("quiet", m.quiet_min);
            }
            Message::StaticData(StaticDataReport::PartB(b)) => {
                if let Some(name) = name_for_24 {
                    j.str("shipname", name.as_str());
                }
                static_data_b(&mut j, b);
            }
            Message::StaticData(StaticDataReport::PartA(_)) => {}
            Message::SingleSlotBinary(m) => {
                binary_mode(&mut j, m.dest_mmsi, m.app_id);
                j.data("data", &m.data);
            }
            Message::MultiSlotBinary(m) => {
                binary_mode(&mut j, m.dest_mmsi, m.app_id);
                j.data("data", &m.data);
                j.uint("radio", m.radio_status);
            }
            Message::LongRange(m) => long_range(&mut j, m),
        }
        j.out.push('}');
        true
    }
}

/// One JSON object under construction: each call appends `,"key":value`.
struct Obj<'a> {
    out: &'a mut String,
    scaled: bool,
}

impl Obj<'_> {
    fn key(&mut self, key: &str) {
        self.out.push_str(",\"");
        self.out.push_str(key);
        self.out.push_str("\":");
    }

    fn uint(&mut self, key: &str, value: impl Into<u64>) {
        self.key(key);
        let mut buf = itoa::Buffer::new();
        self.out.push_str(buf.format(value.into()));
    }

    fn int(&mut self, key: &str, value: impl Into<i64>) {
        self.key(key);
        let mut buf = itoa::Buffer::new();
        self.out.push_str(buf.format(value.into()));
    }

    fn boolean(&mut self, key: &str, value: bool) {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
    }

    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        push_json_string(self.out, value);
    }

    /// A raw JSON token (a number already formatted, or a quoted legend).
    fn raw(&mut self, key: &str, token: &str) {
        self.key(key);
        self.out.push_str(token);
    }

    fn float(&mut self, key: &str, value: f64, decimals: usize) {
        self.key(key);
        let _ = write!(self.out, "{value:.decimals$}");
    }

    /// `bitcount:hex` of a binary field, as gpsd dumps unknown payloads.
    fn data(&mut self, key: &str, bits: &Bits) {
        self.key(key);
        self.out.push('"');
        let mut buf = itoa::Buffer::new();
        self.out.push_str(buf.format(bits.len()));
        self.out.push(':');
        const HEX: &[u8; 16] = b"0123456789abcdef";
        for byte in bits.as_bytes() {
            self.out.push(char::from(HEX[usize::from(byte >> 4)]));
            self.out.push(char::from(HEX[usize::from(byte & 15)]));
        }
        self.out.push('"');
    }

    /// `lon` then `lat`: raw integers, or degrees (raw / `per_degree`) with
    /// `decimals` decimals when scaled.
    fn lonlat_pair(&mut self, lon: i32, lat: i32, per_degree: f64, decimals: usize) {
        if self.scaled {
            self.float("lon", f64::from(lon) / per_degree, decimals);
            self.float("lat", f64::from(lat) / per_degree, decimals);
        } else {
            self.int("lon", lon);
            self.int("lat", lat);
        }
    }

    /// Types 22 and 23 corners in 1/10 minute; gpsd writes scaled ones as
    /// quoted strings with six decimals.
    fn corners(&mut self, ne_lon: i32, ne_lat: i32, sw_lon: i32, sw_lat: i32) {
        for (key, value) in [("ne_lon", ne_lon), ("ne_lat", ne_lat), ("sw_lon", sw_lon), ("sw_lat", sw_lat)] {
            if self.scaled {
                self.key(key);
                let _ = write!(self.out, "\"{:.6}\"", f64::from(value) / 600.0);
            } else {
                self.int(key, value);
            }
        }
    }

    /// A value gpsd scales by dividing: `value / divisor` with `decimals`
    /// when scaled, the raw integer when not.
    fn scaled_uint(&mut self, key: &str, raw: impl Into<u64>, offset: f64, divisor: f64, decimals: usize) {
        let raw = raw.into();
        if self.scaled {
            self.float(key, (raw as f64 - offset) / divisor, decimals);
        } else {
            self.uint(key, raw);
        }
    }

    fn scaled_int(&mut self, key: &str, raw: impl Into<i64>, divisor: f64, decimals: usize) {
        let raw = raw.into();
        if self.scaled {
            self.float(key, raw as f64 / divisor, decimals);
        } else {
            self.int(key, raw);
        }
    }

    /// An ISO 8601-like partial time `MM-DDTHH:MMZ` from separate fields.
    fn day_time(&mut self, key: &str, month: u8, day: u8, hour: u8, minute: u8) {
        self.key(key);
        let _ = write!(self.out, "\"{month:02}-{day:02}T{hour:02}:{minute:02}Z\"");
    }
}

fn push_json_string(out: &mut String, value: &str) {
    out.push('"');
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn position(j: &mut Obj<'_>, m: &PositionReport) {
    j.uint("status", m.nav_status);
    j.str("status_text", vocabulary::nav_status(m.nav_status));
    if j.scaled {
        match m.rot_raw {
            -128 => j.raw("turn", "\"nan\""),
            -127 => j.raw("turn", "\"fastleft\""),
            127 => j.raw("turn", "\"fastright\""),
            _ => j.float("turn", m.rot_deg_per_min().unwrap_or_default(), 0),
        }
        match m.sog_knots_e1 {
            1023 => j.raw("speed", "\"nan\""),
            1022 => j.raw("speed", "\"fast\""),
            sog => j.float("speed", f64::from(sog) / 10.0, 1),
        }
    } else {
        j.int("turn", m.rot_raw);
        j.uint("speed", m.sog_knots_e1);
    }
    j.boolean("accuracy", m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000.0, 6);
    j.scaled_uint("course", m.cog_deg_e1, 0.0, 10.0, 1);
    j.uint("heading", m.heading_deg);
    j.uint("second", m.utc_second);
    j.uint("maneuver", m.maneuver);
    j.boolean("raim", m.raim);
    j.uint("radio", m.radio_status);
}

fn base_station(j: &mut Obj<'_>, m: &BaseStationReport) {
    j.key("timestamp");
    let _ = write!(
        j.out,
        "\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z\"",
        m.year, m.month, m.day, m.hour, m.minute, m.second
    );
    j.boolean("accuracy", m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000.0, 6);
    j.uint("epfd", m.epfd);
    j.str("epfd_text", vocabulary::epfd(m.epfd));
    j.boolean("raim", m.raim);
    j.uint("radio", m.radio_status);
}

fn static_voyage(j: &mut Obj<'_>, m: &StaticAndVoyageData) {
    j.uint("imo", m.imo);
    j.uint("ais_version", m.ais_version);
    j.str("callsign", m.callsign.as_str());
    j.str("shipname", m.shipname.as_str());
    j.uint("shiptype", m.ship_type);
    j.str("shiptype_text", vocabulary::ship_type(m.ship_type));
    j.uint("to_bow", m.to_bow_m);
    j.uint("to_stern", m.to_stern_m);
    j.uint("to_port", m.to_port_m);
    j.uint("to_starboard", m.to_starboard_m);
    j.uint("epfd", m.epfd);
    j.str("epfd_text", vocabulary::epfd(m.epfd));
    j.day_time("eta", m.eta_month, m.eta_day, m.eta_hour, m.eta_minute);
    j.scaled_uint("draught", m.draught_m_e1, 0.0, 10.0, 1);
    j.str("destination", m.destination.as_str());
    j.uint("dte", u8::from(m.dte));
}

fn sar(j: &mut Obj<'_>, m: &SarAircraftReport) {
    if j.scaled {
        match m.altitude_m {
            4095 => j.raw("alt", "\"nan\""),
            4094 => j.raw("alt", "\"high\""),
            alt => j.uint("alt", alt),
        }
        match m.sog_knots {
            1023 => j.raw("speed", "\"nan\""),
            1022 => j.raw("speed", "\"fast\""),
            sog => j.uint("speed", sog),
        }
    } else {
        j.uint("alt", m.altitude_m);
        j.uint("speed", m.sog_knots);
    }
    j.boolean("accuracy", m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000.0, 6);
    j.scaled_uint("course", m.cog_deg_e1, 0.0, 10.0, 1);
    j.uint("second", m.utc_second);
    j.uint("regional", m.regional);
    j.uint("dte", u8::from(m.dte));
    j.boolean("raim", m.raim);
    j.uint("radio", m.radio_status);
}

fn class_b(j: &mut Obj<'_>, m: &ClassBPositionReport) {
    j.uint("reserved", m.reserved);
    j.scaled_uint("speed", m.sog_knots_e1, 0.0, 10.0, 1);
    j.boolean("accuracy", m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000.0, 6);
    j.scaled_uint("course", m.cog_deg_e1, 0.0, 10.0, 1);
    j.uint("heading", m.heading_deg);
    j.uint("second", m.utc_second);
    j.uint("regional", m.regional);
    j.boolean("cs", m.cs_unit);
    j.boolean("display", m.display);
    j.boolean("dsc", m.dsc);
    j.boolean("band", m.band);
    j.boolean("msg22", m.msg22);
    j.boolean("raim", m.raim);
    j.uint("radio", m.radio_status);
}

fn class_b_extended(j: &mut Obj<'_>, m: &ClassBExtendedReport) {
    j.uint("reserved", m.reserved);
    j.scaled_uint("speed", m.sog_knots_e1, 0.0, 10.0, 1);
    j.boolean("accuracy", m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000.0, 6);
    j.scaled_uint("course", m.cog_deg_e1, 0.0, 10.0, 1);
    j.uint("heading", m.heading_deg);
    j.uint("second", m.utc_second);
    j.uint("regional", m.regional);
    j.str("shipname", m.shipname.as_str());
    j.uint("shiptype", m.ship_type);
    j.str("shiptype_text", vocabulary::ship_type(m.ship_type));
    j.uint("to_bow", m.to_bow_m);
    j.uint("to_stern", m.to_stern_m);
    j.uint("to_port", m.to_port_m);
    j.uint("to_starboard", m.to_starboard_m);
    j.uint("epfd", m.epfd);
    j.str("epfd_text", vocabulary::epfd(m.epfd));
    j.boolean("raim", m.raim);
    j.uint("dte", u8::from(m.dte));
    j.boolean("assigned", m.assigned);
}

fn aid_to_navigation(j: &mut Obj<'_>, m: &AidToNavigationReport) {
    j.uint("aid_type", m.aid_type);
    j.str("aid_type_text", vocabulary::aid_type(m.aid_type));
    j.str("name", &m.full_name());
    if j.scaled {
        j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000.0, 6);
        j.boolean("accuracy", m.position_accuracy);
    } else {
        j.boolean("accuracy", m.position_accuracy);
        j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000.0, 6);
    }
    j.uint("to_bow", m.to_bow_m);
    j.uint("to_stern", m.to_stern_m);
    j.uint("to_port", m.to_port_m);
    j.uint("to_starboard", m.to_starboard_m);
    j.uint("epfd", m.epfd);
    j.str("epfd_text", vocabulary::epfd(m.epfd));
    j.uint("second", m.utc_second);
    j.uint("regional", m.regional);
    j.boolean("off_position", m.off_position);
    j.boolean("raim", m.raim);
    j.boolean("virtual_aid", m.virtual_aid);
}

fn channel_management(j: &mut Obj<'_>, m: &ChannelManagement) {
    j.uint("channel_a", m.channel_a);
    j.uint("channel_b", m.channel_b);
    j.uint("txrx", m.txrx_mode);
    j.boolean("power", m.high_power);
    match m.target {
        ChannelTarget::Stations { dest1, dest2 } => {
            j.uint("dest1", dest1.0);
            j.uint("dest2", dest2.0);
        }
        ChannelTarget::Area { ne_lon_min_e1, ne_lat_min_e1, sw_lon_min_e1, sw_lat_min_e1 } => {
            j.corners(ne_lon_min_e1, ne_lat_min_e1, sw_lon_min_e1, sw_lat_min_e1);
        }
    }
    j.boolean("addressed", matches!(m.target, ChannelTarget::Stations { .. }));
    j.boolean("band_a", m.band_a);
    j.boolean("band_b", m.band_b);
    j.uint("zonesize", m.zone_size);
}

fn static_data_b(j: &mut Obj<'_>, b: &StaticDataPartB) {
    j.uint("shiptype", b.ship_type);
    j.str("shiptype_text", vocabulary::ship_type(b.ship_type));
    j.str("vendorid", &legacy_vendor_id(b));
    j.uint("model", b.unit_model);
    j.uint("serial", b.serial_number);
    j.str("callsign", b.callsign.as_str());
    match b.dimensions {
        Type24Dimensions::Ship { to_bow_m, to_stern_m, to_port_m, to_starboard_m } => {
            j.uint("to_bow", to_bow_m);
            j.uint("to_stern", to_stern_m);
            j.uint("to_port", to_port_m);
            j.uint("to_starboard", to_starboard_m);
        }
        Type24Dimensions::MothershipMmsi(mmsi) => j.uint("mothership_mmsi", mmsi.0),
    }
}

/// The seven-character vendor id of ITU-R M.1371-3 and earlier, which gpsd
/// prints: the three-character id followed by the model and serial bits
/// read as four more characters, ending at the first `@`.
fn legacy_vendor_id(b: &StaticDataPartB) -> String {
    let mut id = b.vendor_id.raw().to_owned();
    if id.len() == 3 {
        let tail = (u32::from(b.unit_model) << 20) | b.serial_number;
        for shift in [18, 12, 6, 0] {
            let ch = crate::bits::sixbit_to_ascii(((tail >> shift) & 0x3F) as u8);
            if ch == b'@' {
                break;
            }
            id.push(char::from(ch));
        }
    }
    id.trim_end().to_owned()
}

fn binary_mode(j: &mut Obj<'_>, dest_mmsi: Option<tumen_model::Mmsi>, app_id: Option<u16>) {
    j.boolean("addressed", dest_mmsi.is_some());
    j.boolean("structured", app_id.is_some());
    j.uint("dest_mmsi", dest_mmsi.map_or(0, |m| m.0));
    j.uint("app_id", app_id.unwrap_or(0));
}

fn long_range(j: &mut Obj<'_>, m: &LongRangeReport) {
    if j.scaled {
        j.str("status", vocabulary::nav_status(m.nav_status));
    } else {
        j.uint("status", m.nav_status);
    }
    j.boolean("accuracy", m.position_accuracy);
    j.lonlat_pair(m.lon_min_e1, m.lat_min_e1, 600.0, 1);
    j.uint("speed", m.sog_knots);
    j.uint("course", m.cog_deg);
    j.boolean("raim", m.raim);
    j.boolean("gnss", m.position_latency_high);
}

const TRENDS: [&str; 4] = ["steady", "increasing", "decreasing", "N/A"];
const PRECIPITATION: [&str; 8] = ["reserved", "rain", "thunderstorm", "freezing rain", "mixed/ice", "snow", "reserved", "N/A"];
const ICE: [&str; 4] = ["no", "yes", "reserved", "N/A"];

fn application(j: &mut Obj<'_>, app: &Application) {
    match app {
        Application::DangerousCargo236(m) => {
            j.str("lastport", m.last_port.as_str());
            let d = m.departure;
            j.day_time("departure", d.month, d.day, d.hour, d.minute);
            j.str("nextport", m.next_port.as_str());
            let e = m.eta;
            j.day_time("eta", e.month, e.day, e.hour, e.minute);
            j.str("dangerous", m.dangerous_good.as_str());
            j.str("imdcat", m.imd_category.as_str());
            j.uint("unid", m.un_number);
            j.uint("amount", m.amount);
            j.uint("unit", m.unit);
        }
        Application::TidalWindow236(m) => tidal_236(j, m),
        Application::TidalWindow289(m) => tidal_289(j, m),
        Application::PersonsOnBoard(m) => j.uint("persons", m.persons),
        Application::ClearanceTime(m) => {
            j.uint("linkage", m.linkage);
            let c = m.clearance;
            j.day_time("arrival", c.month, c.day, c.hour, c.minute);
            j.str("portname", m.port_name.as_str());
            j.str("destination", m.destination.as_str());
            j.lonlat_pair(m.lon_min_e3, m.lat_min_e3, 60_000.0, 4);
        }
        Application::TextDescription(m) => {
            j.uint("linkage", m.linkage);
            j.str("text", m.text.as_str());
        }
        Application::InlandPersonsOnBoard(m) => {
            j.uint("crew", m.crew);
            j.uint("passengers", m.passengers);
            j.uint("personnel", m.personnel);
        }
        Application::AtonMonitoring(m) => {
            j.boolean("off_pos", m.off_position);
            j.boolean("alarm", m.alarm);
            j.uint("stat_ext", m.status_external);
            for (key, raw) in [
                ("ana_int", m.analogue_internal_v_x20),
                ("ana_ext1", m.analogue_ext1_v_x20),
                ("ana_ext2", m.analogue_ext2_v_x20),
            ] {
                if j.scaled && raw != 0 {
                    j.float(key, f64::from(raw) * 0.05, 2);
                } else {
                    j.uint(key, raw);
                }
            }
            const RACON: [&str; 4] = ["No RACON installed", "RACON not monitored", "RACON operational", "RACON error"];
            const LIGHT: [&str; 4] = ["No light or no monitoring", "Light on", "Light off", "Light error"];
            j.uint("racon", m.racon);
            j.str("racon_text", RACON[usize::from(m.racon & 3)]);
            j.uint("light", m.light);
            j.str("light_text", LIGHT[usize::from(m.light & 3)]);
        }
        Application::MetHydro236(m) => {
            if j.scaled {
                j.float("lat", f64::from(m.lat_min_e3) / 60_000.0, 4);
                j.float("lon", f64::from(m.lon_min_e3) / 60_000.0, 4);
            } else {
                j.int("lat", m.lat_min_e3);
                j.int("lon", m.lon_min_e3);
            }
            met_time_and_wind(j, m.day, m.hour, m.minute, m.wind_speed_knots, m.wind_gust_knots, m.wind_dir_deg, m.wind_gust_dir_deg, m.humidity_pct);
            j.scaled_uint("airtemp", m.air_temp_raw, 600.0, 10.0, 1);
            j.scaled_uint("dewpoint", m.dew_point_raw, 200.0, 10.0, 1);
            if j.scaled {
                j.int("pressure", i64::from(m.pressure_raw) + 800);
                j.str("pressuretend", TRENDS[usize::from(m.pressure_tendency & 3)]);
            } else {
                j.uint("pressure", m.pressure_raw);
                j.uint("pressuretend", m.pressure_tendency);
            }
            j.scaled_uint("visibility", m.visibility_nm_e1, 0.0, 10.0, 1);
            j.scaled_uint("waterlevel", m.water_level_raw, 100.0, 10.0, 1);
            trend(j, "leveltrend", m.water_level_trend);
            sea_state(j, &m.sea);
            j.scaled_uint("watertemp", m.water_temp_raw, 100.0, 10.0, 1);
            j.uint("preciptype", m.precipitation);
            j.str("preciptype_text", PRECIPITATION[usize::from(m.precipitation & 7)]);
            j.scaled_uint("salinity", m.salinity_e1, 0.0, 10.0, 1);
            j.uint("ice", m.ice);
            j.str("ice_text", ICE[usize::from(m.ice & 3)]);
        }
        Application::MetHydro289(m) => {
            if j.scaled {
                j.float("lat", f64::from(m.lat_min_e3) / 60_000.0, 4);
                j.float("lon", f64::from(m.lon_min_e3) / 60_000.0, 4);
            } else {
                j.int("lat", m.lat_min_e3);
                j.int("lon", m.lon_min_e3);
            }
            j.boolean("accuracy", m.position_accuracy);
            met_time_and_wind(j, m.day, m.hour, m.minute, m.wind_speed_knots, m.wind_gust_knots, m.wind_dir_deg, m.wind_gust_dir_deg, m.humidity_pct);
            j.scaled_int("airtemp", m.air_temp_c_e1, 10.0, 1);
            j.scaled_int("dewpoint", m.dew_point_c_e1, 10.0, 1);
            if j.scaled {
                j.int("pressure", i64::from(m.pressure_raw) + 799);
                j.str("pressuretend", TRENDS[usize::from(m.pressure_tendency & 3)]);
            } else {
                j.uint("pressure", m.pressure_raw);
                j.uint("pressuretend", m.pressure_tendency);
            }
            j.boolean("visgreater", m.visibility_greater);
            j.scaled_uint("visibility", m.visibility_nm_e1, 0.0, 10.0, 1);
            j.scaled_uint("waterlevel", m.water_level_raw, 1000.0, 100.0, 1);
            trend(j, "leveltrend", m.water_level_trend);
            sea_state(j, &m.sea);
            j.scaled_int("watertemp", m.water_temp_c_e1, 10.0, 1);
            if j.scaled {
                j.str("preciptype", PRECIPITATION[usize::from(m.precipitation & 7)]);
            } else {
                j.uint("preciptype", m.precipitation);
            }
            j.scaled_uint("salinity", m.salinity_e1, 0.0, 10.0, 1);
            if j.scaled {
                j.str("ice", ICE[usize::from(m.ice & 3)]);
            } else {
                j.uint("ice", m.ice);
            }
        }
        Application::InlandStaticVoyage(m) => {
            j.str("vin", m.eni.as_str());
            j.uint("length", m.length_m_e1);
            j.uint("beam", m.beam_m_e1);
            j.uint("shiptype", m.eri_ship_type);
            j.str("shiptype_text", "ERI ship type");
            const HAZARD: [&str; 6] = [
                "0 blue cones/lights",
                "1 blue cone/light",
                "2 blue cones/lights",
                "3 blue cones/lights",
                "4 B-flag",
                "Unknown",
            ];
            j.uint("hazard", m.hazard);
            j.str("hazard_text", HAZARD.get(usize::from(m.hazard)).copied().unwrap_or("Invalid"));
            j.uint("draught", m.draught_m_e2);
            const LOADED: [&str; 4] = ["N/A", "Unloaded", "Loaded", "Invalid"];
            j.uint("loaded", m.loaded);
            j.str("loaded_text", LOADED[usize::from(m.loaded & 3)]);
            j.boolean("speed_q", m.speed_quality_high);
            j.boolean("course_q", m.course_quality_high);
            j.boolean("heading_q", m.heading_quality_high);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn met_time_and_wind(j: &mut Obj<'_>, day: u8, hour: u8, minute: u8, wspeed: u8, wgust: u8, wdir: u16, wgustdir: u16, humidity: u8) {
    j.key("timestamp");
    let _ = write!(j.out, "\"{day:02}T{hour:02}:{minute:02}Z\"");
    j.uint("wspeed", wspeed);
    j.uint("wgust", wgust);
    j.uint("wdir", wdir);
    j.uint("wgustdir", wgustdir);
    j.uint("humidity", humidity);
}

fn trend(j: &mut Obj<'_>, key: &str, code: u8) {
    if j.scaled {
        j.str(key, TRENDS[usize::from(code & 3)]);
    } else {
        j.uint(key, code);
    }
}

fn sea_state(j: &mut Obj<'_>, s: &crate::application::SeaState) {
    j.scaled_uint("cspeed", s.current_speed_knots_e1, 0.0, 10.0, 1);
    j.uint("cdir", s.current_dir_deg);
    j.scaled_uint("cspeed2", s.current2_speed_knots_e1, 0.0, 10.0, 1);
    j.uint("cdir2", s.current2_dir_deg);
    j.uint("cdepth2", s.current2_depth_m_e1);
    j.scaled_uint("cspeed3", s.current3_speed_knots_e1, 0.0, 10.0, 1);
    j.uint("cdir3", s.current3_dir_deg);
    j.uint("cdepth3", s.current3_depth_m_e1);
    j.scaled_uint("waveheight", s.wave_height_m_e1, 0.0, 10.0, 1);
    j.uint("waveperiod", s.wave_period_s);
    j.uint("wavedir", s.wave_dir_deg);
    j.scaled_uint("swellheight", s.swell_height_m_e1, 0.0, 10.0, 1);
    j.uint("swellperiod", s.swell_period_s);
    j.uint("swelldir", s.swell_dir_deg);
    j.uint("seastate", s.beaufort);
}

fn tidal_236(j: &mut Obj<'_>, m: &TidalWindow236) {
    j.uint("month", m.month);
    j.uint("day", m.day);
    j.key("tidals");
    j.out.push('[');
    for (i, e) in m.entries().iter().enumerate() {
        if i > 0 {
            j.out.push(',');
        }
        tidal_entry(j, e.lon_min_e4, e.lat_min_e4, [e.from_hour, e.from_minute, e.to_hour, e.to_minute], e.current_dir_deg, e.current_speed_knots_e1);
    }
    j.out.push(']');
}

fn tidal_289(j: &mut Obj<'_>, m: &TidalWindow289) {
    j.uint("month", m.month);
    j.uint("day", m.day);
    j.key("tidals");
    j.out.push('[');
    for (i, e) in m.entries().iter().enumerate() {
        if i > 0 {
            j.out.push(',');
        }
        tidal_entry(j, e.lon_min_e3, e.lat_min_e3, [e.from_hour, e.from_minute, e.to_hour, e.to_minute], e.current_dir_deg, e.current_speed_knots_e1);
    }
    j.out.push(']');
}

/// One tidal prediction object. gpsd scales both tidal layouts' positions
/// by 1/1000 minute.
fn tidal_entry(j: &mut Obj<'_>, lon: i32, lat: i32, times: [u8; 4], cdir: u16, cspeed: u8) {
    // The entry is an object of its own: write its first key without a comma.
    j.out.push('{');
    let mark = j.out.len();
    j.lonlat_pair(lon, lat, 60_000.0, 4);
    j.out.remove(mark);
    j.uint("from_hour", times[0]);
    j.uint("from_min", times[1]);
    j.uint("to_hour", times[2]);
    j.uint("to_min", times[3]);
    j.uint("cdir", cdir);
    j.scaled_uint("cspeed", cspeed, 0.0, 10.0, 1);
    j.out.push('}');
}
