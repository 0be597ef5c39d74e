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

/// The `,"name":` prefix of a JSON member, as one constant string.
macro_rules! key {
    ($name:literal) => {
        concat!(",\"", $name, "\":")
    };
}

use crate::application::{Application, TargetId, TidalEntry, TidalWindow};
use crate::bits::Bits;
use crate::message::*;
use crate::text::AisString;
use crate::vocabulary;

/// Writes gpsd JSON objects. Holds the type 24 part A queues, so use one
/// per input stream.
#[derive(Debug)]
pub struct GpsdJson {
    scaled: bool,
    device: String,
    /// gpsd keeps one queue per radio channel: A (also `1` and empty) and
    /// B (also `2`). A part B is merged only with a part A heard on the
    /// same channel.
    type24: [Type24Queue; 2],
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
        GpsdJson { scaled, device: device.to_owned(), type24: Default::default() }
    }

    /// Appends one object (without a line ending) to `out`, and returns
    /// true; returns false, writing nothing, when gpsd prints nothing for
    /// the message (a type 24 part A waiting for its part B, or a part B
    /// without one on its channel). `channel` is the sentence's radio
    /// channel, as in [`crate::MessageMeta::channel`].
    pub fn write(&mut self, message: &Message, channel: Option<u8>, out: &mut String) -> bool {
        let merged_name;
        let queue = &mut self.type24[usize::from(matches!(channel, Some(b'B' | b'2')))];
        let name_for_24 = match message {
            Message::StaticData(StaticDataReport::PartA(a)) => {
                let slot = &mut queue.ships[queue.next];
                *slot = (a.mmsi.0, a.shipname);
                queue.next = (queue.next + 1) % queue.ships.len();
                return false;
            }
            Message::StaticData(StaticDataReport::PartB(b)) => {
                let Some(found) = queue.ships.iter_mut().find(|(mmsi, _)| *mmsi == b.mmsi.0) else {
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
            j.str(key!("device"), &self.device);
        }
        j.uint(key!("type"), message.msg_type());
        j.uint(key!("repeat"), message.repeat());
        j.uint(key!("mmsi"), message.mmsi().0);
        j.boolean(key!("scaled"), self.scaled);
        match message {
            Message::Position(m) => position(&mut j, m),
            Message::BaseStation(m) => base_station(&mut j, m),
            Message::StaticAndVoyage(m) => static_voyage(&mut j, m),
            Message::AddressedBinary(m) => {
                j.uint(key!("seqno"), m.seqno);
                j.uint(key!("dest_mmsi"), m.dest_mmsi.0);
                j.boolean(key!("retransmit"), m.retransmit);
                j.uint(key!("dac"), m.dac);
                j.uint(key!("fid"), m.fi);
                match m.application() {
                    Some(app) => application(&mut j, &app),
                    None => j.data(key!("data"), &m.data),
                }
            }
            Message::Acknowledge(m) => {
                for (i, key) in [key!("mmsi1"), key!("mmsi2"), key!("mmsi3"), key!("mmsi4")].into_iter().enumerate() {
                    j.uint(key, m.acks[i].mmsi.0);
                }
            }
            Message::BroadcastBinary(m) => {
                j.uint(key!("dac"), m.dac);
                j.uint(key!("fid"), m.fi);
                match m.application() {
                    Some(app) => application(&mut j, &app),
                    None => j.data(key!("data"), &m.data),
                }
            }
            Message::SarAircraft(m) => sar(&mut j, m),
            Message::UtcInquiry(m) => j.uint(key!("dest_mmsi"), m.dest_mmsi.0),
            Message::AddressedSafety(m) => {
                j.uint(key!("seqno"), m.seqno);
                j.uint(key!("dest_mmsi"), m.dest_mmsi.0);
                j.boolean(key!("retransmit"), m.retransmit);
                j.str(key!("text"), m.text.as_str());
            }
            Message::BroadcastSafety(m) => j.str(key!("text"), m.text.as_str()),
            Message::Interrogation(m) => {
                j.uint(key!("mmsi1"), m.mmsi1.0);
                j.uint(key!("type1_1"), m.type1_1);
                j.uint(key!("offset1_1"), m.offset1_1);
                j.uint(key!("type1_2"), m.type1_2);
                j.uint(key!("offset1_2"), m.offset1_2);
                j.uint(key!("mmsi2"), m.mmsi2.0);
                j.uint(key!("type2_1"), m.type2_1);
                j.uint(key!("offset2_1"), m.offset2_1);
            }
            Message::AssignedMode(m) => {
                j.uint(key!("mmsi1"), m.mmsi1.0);
                j.uint(key!("offset1"), m.offset1);
                j.uint(key!("increment1"), m.increment1);
                j.uint(key!("mmsi2"), m.mmsi2.0);
                j.uint(key!("offset2"), m.offset2);
                j.uint(key!("increment2"), m.increment2);
            }
            Message::Dgnss(m) => {
                j.lonlat_pair(m.lon_min_e1, m.lat_min_e1, 600, 1);
                j.data(key!("data"), &m.data);
            }
            Message::ClassBPosition(m) => class_b(&mut j, m),
            Message::ClassBExtended(m) => class_b_extended(&mut j, m),
            Message::DataLinkManagement(m) => {
                for (i, r) in m.reservations.iter().enumerate() {
                    let n = i + 1;
                    j.uint(&format!(",\"offset{n}\":"), r.offset);
                    j.uint(&format!(",\"number{n}\":"), r.number);
                    j.uint(&format!(",\"timeout{n}\":"), r.timeout_min);
                    j.uint(&format!(",\"increment{n}\":"), r.increment);
                }
            }
            Message::AidToNavigation(m) => aid_to_navigation(&mut j, m),
            Message::ChannelManagement(m) => channel_management(&mut j, m),
            Message::GroupAssignment(m) => {
                j.corners(m.ne_lon_min_e1, m.ne_lat_min_e1, m.sw_lon_min_e1, m.sw_lat_min_e1);
                j.uint(key!("stationtype"), m.station_type);
                j.str(key!("stationtype_text"), vocabulary::station_type(m.station_type));
                j.uint(key!("shiptype"), m.ship_type);
                j.str(key!("shiptype_text"), vocabulary::ship_type(m.ship_type));
                j.uint(key!("interval"), m.interval);
                j.uint(key!("quiet"), m.quiet_min);
            }
            Message::StaticData(StaticDataReport::PartB(b)) => {
                if let Some(name) = name_for_24 {
                    j.str(key!("shipname"), name.as_str());
                }
                static_data_b(&mut j, b);
            }
            Message::StaticData(StaticDataReport::PartA(_)) => {}
            Message::SingleSlotBinary(m) => {
                binary_mode(&mut j, m.dest_mmsi, m.app_id);
                j.data(key!("data"), &m.data);
            }
            Message::MultiSlotBinary(m) => {
                binary_mode(&mut j, m.dest_mmsi, m.app_id);
                j.data(key!("data"), &m.data);
                j.uint(key!("radio"), m.radio_status);
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
    /// Starts a member: `key` is the whole `,"name":` prefix ([`key!`]).
    #[inline(always)]
    fn key(&mut self, key: &str) {
        self.out.push_str(key);
    }

    #[inline(always)]
    fn uint(&mut self, key: &str, value: impl Into<u64>) {
        self.key(key);
        let mut buf = itoa::Buffer::new();
        self.out.push_str(buf.format(value.into()));
    }

    #[inline(always)]
    fn int(&mut self, key: &str, value: impl Into<i64>) {
        self.key(key);
        let mut buf = itoa::Buffer::new();
        self.out.push_str(buf.format(value.into()));
    }

    #[inline(always)]
    fn boolean(&mut self, key: &str, value: bool) {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
    }

    #[inline(always)]
    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        push_json_string(self.out, value);
    }

    /// A raw JSON token (a number already formatted, or a quoted legend).
    #[inline(always)]
    fn raw(&mut self, key: &str, token: &str) {
        self.key(key);
        self.out.push_str(token);
    }

    /// `numerator / denominator` with `decimals` decimals, as C's `%.Nf`
    /// prints the double quotient.
    #[inline(always)]
    fn ratio(&mut self, key: &str, numerator: i64, denominator: i64, decimals: usize) {
        self.key(key);
        push_ratio(self.out, numerator, denominator, decimals);
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
    #[inline(always)]
    fn lonlat_pair(&mut self, lon: i32, lat: i32, per_degree: i64, decimals: usize) {
        if self.scaled {
            self.ratio(key!("lon"), i64::from(lon), per_degree, decimals);
            self.ratio(key!("lat"), i64::from(lat), per_degree, decimals);
        } else {
            self.int(key!("lon"), lon);
            self.int(key!("lat"), lat);
        }
    }

    /// `lat` then `lon` (the order some application messages use).
    #[inline(always)]
    fn latlon_pair(&mut self, lat: i32, lon: i32, per_degree: i64, decimals: usize) {
        if self.scaled {
            self.ratio(key!("lat"), i64::from(lat), per_degree, decimals);
            self.ratio(key!("lon"), i64::from(lon), per_degree, decimals);
        } else {
            self.int(key!("lat"), lat);
            self.int(key!("lon"), lon);
        }
    }

    /// Types 22 and 23 corners in 1/10 minute; gpsd writes scaled ones as
    /// quoted strings with six decimals.
    fn corners(&mut self, ne_lon: i32, ne_lat: i32, sw_lon: i32, sw_lat: i32) {
        for (key, value) in
            [(key!("ne_lon"), ne_lon), (key!("ne_lat"), ne_lat), (key!("sw_lon"), sw_lon), (key!("sw_lat"), sw_lat)]
        {
            if self.scaled {
                self.key(key);
                self.out.push('"');
                push_ratio(self.out, i64::from(value), 600, 6);
                self.out.push('"');
            } else {
                self.int(key, value);
            }
        }
    }

    /// A value gpsd scales by dividing: `value / divisor` with `decimals`
    /// when scaled, the raw integer when not.
    #[inline(always)]
    fn scaled_uint(&mut self, key: &str, raw: impl Into<u64>, offset: i64, divisor: i64, decimals: usize) {
        let raw = raw.into();
        if self.scaled {
            self.ratio(key, raw as i64 - offset, divisor, decimals);
        } else {
            self.uint(key, raw);
        }
    }

    #[inline(always)]
    fn scaled_int(&mut self, key: &str, raw: impl Into<i64>, divisor: i64, decimals: usize) {
        let raw = raw.into();
        if self.scaled {
            self.ratio(key, raw, divisor, decimals);
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

/// Writes `numerator / denominator` rounded to `decimals` decimals exactly
/// as C's `printf("%.Nf", (double) numerator / denominator)` does, without
/// going through floating point: the quotient is rounded to nearest on the
/// exact rational. Only an exact tie depends on which way the double
/// quotient errs, so ties (rare: fractions like 0.00005) use the double.
#[inline(always)]
fn push_ratio(out: &mut String, numerator: i64, denominator: i64, decimals: usize) {
    // AIS fields are at most 30 bits and gpsd prints at most 6 decimals, so
    // the scaled numerator stays far inside i64.
    let scale = 10i64.pow(decimals as u32);
    let scaled = numerator * scale;
    let (mut quotient, remainder) = (scaled / denominator, scaled % denominator);
    let twice = 2 * remainder.unsigned_abs();
    if twice == denominator.unsigned_abs() {
        let value = numerator as f64 / denominator as f64;
        let _ = write!(out, "{value:.decimals$}");
        return;
    }
    let negative_quotient = (scaled < 0) != (denominator < 0) && scaled != 0;
    if twice > denominator.unsigned_abs() {
        quotient += if negative_quotient { -1 } else { 1 };
    }
    if negative_quotient {
        // C prints "-0.0" for a negative value that rounds to zero.
        out.push('-');
    }
    let magnitude = quotient.unsigned_abs();
    let scale = scale as u64;
    let mut buf = itoa::Buffer::new();
    out.push_str(buf.format(magnitude / scale));
    if decimals > 0 {
        out.push('.');
        let fraction = buf.format(magnitude % scale);
        for _ in fraction.len()..decimals {
            out.push('0');
        }
        out.push_str(fraction);
    }
}

/// Appends `value` as a JSON string literal (quotes and escapes included).
#[inline]
pub fn push_json_string(out: &mut String, value: &str) {
    out.push('"');
    if !value.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        // Almost always: nothing to escape.
        out.push_str(value);
        out.push('"');
        return;
    }
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
    j.uint(key!("status"), m.nav_status);
    j.str(key!("status_text"), vocabulary::nav_status(m.nav_status));
    if j.scaled {
        match m.rot_raw {
            -128 => j.raw(key!("turn"), "\"nan\""),
            -127 => j.raw(key!("turn"), "\"fastleft\""),
            127 => j.raw(key!("turn"), "\"fastright\""),
            _ => {
                // Whole degrees per minute, signed (positive to starboard);
                // a rate that rounds to zero prints as 0, not -0.
                let rate = m.rot_deg_per_min().unwrap_or_default().round_ties_even();
                j.int(key!("turn"), if rate == 0.0 { 0 } else { rate as i64 });
            }
        }
        match m.sog_knots_e1 {
            1023 => j.raw(key!("speed"), "\"nan\""),
            1022 => j.raw(key!("speed"), "\"fast\""),
            sog => j.ratio(key!("speed"), i64::from(sog), 10, 1),
        }
    } else {
        j.int(key!("turn"), m.rot_raw);
        j.uint(key!("speed"), m.sog_knots_e1);
    }
    j.boolean(key!("accuracy"), m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000, 6);
    j.scaled_uint(key!("course"), m.cog_deg_e1, 0, 10, 1);
    j.uint(key!("heading"), m.heading_deg);
    j.uint(key!("second"), m.utc_second);
    j.uint(key!("maneuver"), m.maneuver);
    j.boolean(key!("raim"), m.raim);
    j.uint(key!("radio"), m.radio_status);
}

fn base_station(j: &mut Obj<'_>, m: &BaseStationReport) {
    j.key(key!("timestamp"));
    let _ =
        write!(j.out, "\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z\"", m.year, m.month, m.day, m.hour, m.minute, m.second);
    j.boolean(key!("accuracy"), m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000, 6);
    j.uint(key!("epfd"), m.epfd);
    j.str(key!("epfd_text"), vocabulary::epfd(m.epfd));
    j.boolean(key!("raim"), m.raim);
    j.uint(key!("radio"), m.radio_status);
}

fn static_voyage(j: &mut Obj<'_>, m: &StaticAndVoyageData) {
    j.uint(key!("imo"), m.imo);
    j.uint(key!("ais_version"), m.ais_version);
    j.str(key!("callsign"), m.callsign.as_str());
    j.str(key!("shipname"), m.shipname.as_str());
    j.uint(key!("shiptype"), m.ship_type);
    j.str(key!("shiptype_text"), vocabulary::ship_type(m.ship_type));
    j.uint(key!("to_bow"), m.to_bow_m);
    j.uint(key!("to_stern"), m.to_stern_m);
    j.uint(key!("to_port"), m.to_port_m);
    j.uint(key!("to_starboard"), m.to_starboard_m);
    j.uint(key!("epfd"), m.epfd);
    j.str(key!("epfd_text"), vocabulary::epfd(m.epfd));
    j.day_time(key!("eta"), m.eta_month, m.eta_day, m.eta_hour, m.eta_minute);
    j.scaled_uint(key!("draught"), m.draught_m_e1, 0, 10, 1);
    j.str(key!("destination"), m.destination.as_str());
    j.uint(key!("dte"), u8::from(m.dte));
}

fn sar(j: &mut Obj<'_>, m: &SarAircraftReport) {
    if j.scaled {
        match m.altitude_m {
            4095 => j.raw(key!("alt"), "\"nan\""),
            4094 => j.raw(key!("alt"), "\"high\""),
            alt => j.uint(key!("alt"), alt),
        }
        match m.sog_knots {
            1023 => j.raw(key!("speed"), "\"nan\""),
            1022 => j.raw(key!("speed"), "\"fast\""),
            sog => j.uint(key!("speed"), sog),
        }
    } else {
        j.uint(key!("alt"), m.altitude_m);
        j.uint(key!("speed"), m.sog_knots);
    }
    j.boolean(key!("accuracy"), m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000, 6);
    j.scaled_uint(key!("course"), m.cog_deg_e1, 0, 10, 1);
    j.uint(key!("second"), m.utc_second);
    j.uint(key!("regional"), m.regional);
    j.uint(key!("dte"), u8::from(m.dte));
    j.boolean(key!("raim"), m.raim);
    j.uint(key!("radio"), m.radio_status);
}

fn class_b(j: &mut Obj<'_>, m: &ClassBPositionReport) {
    j.uint(key!("reserved"), m.reserved);
    j.scaled_uint(key!("speed"), m.sog_knots_e1, 0, 10, 1);
    j.boolean(key!("accuracy"), m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000, 6);
    j.scaled_uint(key!("course"), m.cog_deg_e1, 0, 10, 1);
    j.uint(key!("heading"), m.heading_deg);
    j.uint(key!("second"), m.utc_second);
    j.uint(key!("regional"), m.regional);
    j.boolean(key!("cs"), m.cs_unit);
    j.boolean(key!("display"), m.display);
    j.boolean(key!("dsc"), m.dsc);
    j.boolean(key!("band"), m.band);
    j.boolean(key!("msg22"), m.msg22);
    j.boolean(key!("raim"), m.raim);
    j.uint(key!("radio"), m.radio_status);
}

fn class_b_extended(j: &mut Obj<'_>, m: &ClassBExtendedReport) {
    j.uint(key!("reserved"), m.reserved);
    j.scaled_uint(key!("speed"), m.sog_knots_e1, 0, 10, 1);
    j.boolean(key!("accuracy"), m.position_accuracy);
    j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000, 6);
    j.scaled_uint(key!("course"), m.cog_deg_e1, 0, 10, 1);
    j.uint(key!("heading"), m.heading_deg);
    j.uint(key!("second"), m.utc_second);
    j.uint(key!("regional"), m.regional);
    j.str(key!("shipname"), m.shipname.as_str());
    j.uint(key!("shiptype"), m.ship_type);
    j.str(key!("shiptype_text"), vocabulary::ship_type(m.ship_type));
    j.uint(key!("to_bow"), m.to_bow_m);
    j.uint(key!("to_stern"), m.to_stern_m);
    j.uint(key!("to_port"), m.to_port_m);
    j.uint(key!("to_starboard"), m.to_starboard_m);
    j.uint(key!("epfd"), m.epfd);
    j.str(key!("epfd_text"), vocabulary::epfd(m.epfd));
    j.boolean(key!("raim"), m.raim);
    j.uint(key!("dte"), u8::from(m.dte));
    j.boolean(key!("assigned"), m.assigned);
}

fn aid_to_navigation(j: &mut Obj<'_>, m: &AidToNavigationReport) {
    j.uint(key!("aid_type"), m.aid_type);
    j.str(key!("aid_type_text"), vocabulary::aid_type(m.aid_type));
    j.str(key!("name"), &m.full_name());
    if j.scaled {
        j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000, 6);
        j.boolean(key!("accuracy"), m.position_accuracy);
    } else {
        j.boolean(key!("accuracy"), m.position_accuracy);
        j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000, 6);
    }
    j.uint(key!("to_bow"), m.to_bow_m);
    j.uint(key!("to_stern"), m.to_stern_m);
    j.uint(key!("to_port"), m.to_port_m);
    j.uint(key!("to_starboard"), m.to_starboard_m);
    j.uint(key!("epfd"), m.epfd);
    j.str(key!("epfd_text"), vocabulary::epfd(m.epfd));
    j.uint(key!("second"), m.utc_second);
    j.uint(key!("regional"), m.regional);
    j.boolean(key!("off_position"), m.off_position);
    j.boolean(key!("raim"), m.raim);
    j.boolean(key!("virtual_aid"), m.virtual_aid);
}

fn channel_management(j: &mut Obj<'_>, m: &ChannelManagement) {
    j.uint(key!("channel_a"), m.channel_a);
    j.uint(key!("channel_b"), m.channel_b);
    j.uint(key!("txrx"), m.txrx_mode);
    j.boolean(key!("power"), m.high_power);
    match m.target {
        ChannelTarget::Stations { dest1, dest2 } => {
            j.uint(key!("dest1"), dest1.0);
            j.uint(key!("dest2"), dest2.0);
        }
        ChannelTarget::Area { ne_lon_min_e1, ne_lat_min_e1, sw_lon_min_e1, sw_lat_min_e1 } => {
            j.corners(ne_lon_min_e1, ne_lat_min_e1, sw_lon_min_e1, sw_lat_min_e1);
        }
    }
    j.boolean(key!("addressed"), matches!(m.target, ChannelTarget::Stations { .. }));
    j.boolean(key!("band_a"), m.band_a);
    j.boolean(key!("band_b"), m.band_b);
    j.uint(key!("zonesize"), m.zone_size);
}

fn static_data_b(j: &mut Obj<'_>, b: &StaticDataPartB) {
    j.uint(key!("shiptype"), b.ship_type);
    j.str(key!("shiptype_text"), vocabulary::ship_type(b.ship_type));
    j.str(key!("vendorid"), &legacy_vendor_id(b));
    j.uint(key!("model"), b.unit_model);
    j.uint(key!("serial"), b.serial_number);
    j.str(key!("callsign"), b.callsign.as_str());
    match b.dimensions {
        Type24Dimensions::Ship { to_bow_m, to_stern_m, to_port_m, to_starboard_m } => {
            j.uint(key!("to_bow"), to_bow_m);
            j.uint(key!("to_stern"), to_stern_m);
            j.uint(key!("to_port"), to_port_m);
            j.uint(key!("to_starboard"), to_starboard_m);
        }
        Type24Dimensions::MothershipMmsi(mmsi) => j.uint(key!("mothership_mmsi"), mmsi.0),
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
    j.boolean(key!("addressed"), dest_mmsi.is_some());
    j.boolean(key!("structured"), app_id.is_some());
    j.uint(key!("dest_mmsi"), dest_mmsi.map_or(0, |m| m.0));
    j.uint(key!("app_id"), app_id.unwrap_or(0));
}

fn long_range(j: &mut Obj<'_>, m: &LongRangeReport) {
    if j.scaled {
        j.str(key!("status"), vocabulary::nav_status(m.nav_status));
    } else {
        j.uint(key!("status"), m.nav_status);
    }
    j.boolean(key!("accuracy"), m.position_accuracy);
    j.lonlat_pair(m.lon_min_e1, m.lat_min_e1, 600, 1);
    j.uint(key!("speed"), m.sog_knots);
    j.uint(key!("course"), m.cog_deg);
    j.boolean(key!("raim"), m.raim);
    j.boolean(key!("gnss"), m.position_latency_high);
}

/// Route types of IMO289 route information.
fn route_type(code: u8) -> &'static str {
    match code {
        0 => "Undefined",
        1 => "Mandatory",
        2 => "Recommended",
        3 => "Alternative",
        4 => "Recommended route through ice",
        5 => "Ship route plan",
        31 => "Cancel route identified by message linkage",
        _ => "Reserved",
    }
}

const TRENDS: [&str; 4] = ["steady", "increasing", "decreasing", "N/A"];
const PRECIPITATION: [&str; 8] =
    ["reserved", "rain", "thunderstorm", "freezing rain", "mixed/ice", "snow", "reserved", "N/A"];
const ICE: [&str; 4] = ["no", "yes", "reserved", "N/A"];

fn application(j: &mut Obj<'_>, app: &Application) {
    match app {
        Application::DangerousCargo236(m) => {
            j.str(key!("lastport"), m.last_port.as_str());
            let d = m.departure;
            j.day_time(key!("departure"), d.month, d.day, d.hour, d.minute);
            j.str(key!("nextport"), m.next_port.as_str());
            let e = m.eta;
            j.day_time(key!("eta"), e.month, e.day, e.hour, e.minute);
            j.str(key!("dangerous"), m.dangerous_good.as_str());
            j.str(key!("imdcat"), m.imd_category.as_str());
            j.uint(key!("unid"), m.un_number);
            j.uint(key!("amount"), m.amount);
            j.uint(key!("unit"), m.unit);
        }
        Application::TidalWindow236(m) => tidal(j, m),
        Application::TidalWindow289(m) => tidal(j, m),
        Application::PersonsOnBoard(m) => j.uint(key!("persons"), m.persons),
        Application::ClearanceTime(m) => {
            j.uint(key!("linkage"), m.linkage);
            let c = m.clearance;
            j.day_time(key!("arrival"), c.month, c.day, c.hour, c.minute);
            j.str(key!("portname"), m.port_name.as_str());
            j.str(key!("destination"), m.destination.as_str());
            j.lonlat_pair(m.lon_min_e3, m.lat_min_e3, 60_000, 4);
        }
        Application::TextDescription(m) => {
            j.uint(key!("linkage"), m.linkage);
            j.str(key!("text"), m.text.as_str());
        }
        Application::InlandPersonsOnBoard(m) => {
            j.uint(key!("crew"), m.crew);
            j.uint(key!("passengers"), m.passengers);
            j.uint(key!("personnel"), m.personnel);
        }
        Application::AtonMonitoring(m) => {
            j.boolean(key!("off_pos"), m.off_position);
            j.boolean(key!("alarm"), m.alarm);
            j.uint(key!("stat_ext"), m.status_external);
            for (key, raw) in [
                (key!("ana_int"), m.analogue_internal_v_x20),
                (key!("ana_ext1"), m.analogue_ext1_v_x20),
                (key!("ana_ext2"), m.analogue_ext2_v_x20),
            ] {
                if j.scaled && raw != 0 {
                    j.ratio(key, i64::from(raw), 20, 2);
                } else {
                    j.uint(key, raw);
                }
            }
            const RACON: [&str; 4] = ["No RACON installed", "RACON not monitored", "RACON operational", "RACON error"];
            const LIGHT: [&str; 4] = ["No light or no monitoring", "Light on", "Light off", "Light error"];
            j.uint(key!("racon"), m.racon);
            j.str(key!("racon_text"), RACON[usize::from(m.racon & 3)]);
            j.uint(key!("light"), m.light);
            j.str(key!("light_text"), LIGHT[usize::from(m.light & 3)]);
        }
        Application::MetHydro236(m) => {
            j.latlon_pair(m.lat_min_e3, m.lon_min_e3, 60_000, 4);
            met_time_and_wind(j, &m.wind, m.humidity_pct);
            j.scaled_uint(key!("airtemp"), m.air_temp_raw, 600, 10, 1);
            j.scaled_uint(key!("dewpoint"), m.dew_point_raw, 200, 10, 1);
            if j.scaled {
                j.int(key!("pressure"), i64::from(m.pressure_raw) + 800);
                j.str(key!("pressuretend"), TRENDS[usize::from(m.pressure_tendency & 3)]);
            } else {
                j.uint(key!("pressure"), m.pressure_raw);
                j.uint(key!("pressuretend"), m.pressure_tendency);
            }
            j.scaled_uint(key!("visibility"), m.visibility_nm_e1, 0, 10, 1);
            j.scaled_uint(key!("waterlevel"), m.water_level_raw, 100, 10, 1);
            trend(j, key!("leveltrend"), m.water_level_trend);
            sea_state(j, &m.sea);
            j.scaled_uint(key!("watertemp"), m.water_temp_raw, 100, 10, 1);
            j.uint(key!("preciptype"), m.precipitation);
            j.str(key!("preciptype_text"), PRECIPITATION[usize::from(m.precipitation & 7)]);
            j.scaled_uint(key!("salinity"), m.salinity_e1, 0, 10, 1);
            j.uint(key!("ice"), m.ice);
            j.str(key!("ice_text"), ICE[usize::from(m.ice & 3)]);
        }
        Application::MetHydro289(m) => {
            j.latlon_pair(m.lat_min_e3, m.lon_min_e3, 60_000, 4);
            j.boolean(key!("accuracy"), m.position_accuracy);
            met_time_and_wind(j, &m.wind, m.humidity_pct);
            j.scaled_int(key!("airtemp"), m.air_temp_c_e1, 10, 1);
            j.scaled_int(key!("dewpoint"), m.dew_point_c_e1, 10, 1);
            if j.scaled {
                j.int(key!("pressure"), i64::from(m.pressure_raw) + 799);
                j.str(key!("pressuretend"), TRENDS[usize::from(m.pressure_tendency & 3)]);
            } else {
                j.uint(key!("pressure"), m.pressure_raw);
                j.uint(key!("pressuretend"), m.pressure_tendency);
            }
            j.boolean(key!("visgreater"), m.visibility_greater);
            j.scaled_uint(key!("visibility"), m.visibility_nm_e1, 0, 10, 1);
            j.scaled_uint(key!("waterlevel"), m.water_level_raw, 1000, 100, 1);
            trend(j, key!("leveltrend"), m.water_level_trend);
            sea_state(j, &m.sea);
            j.scaled_int(key!("watertemp"), m.water_temp_c_e1, 10, 1);
            if j.scaled {
                j.str(key!("preciptype"), PRECIPITATION[usize::from(m.precipitation & 7)]);
            } else {
                j.uint(key!("preciptype"), m.precipitation);
            }
            j.scaled_uint(key!("salinity"), m.salinity_e1, 0, 10, 1);
            if j.scaled {
                j.str(key!("ice"), ICE[usize::from(m.ice & 3)]);
            } else {
                j.uint(key!("ice"), m.ice);
            }
        }
        Application::DangerousCargo289(m) => {
            j.uint(key!("unit"), m.unit);
            j.uint(key!("amount"), m.amount);
            j.key(key!("cargos"));
            j.out.push('[');
            for (i, cargo) in m.cargos().iter().enumerate() {
                j.out.push_str(if i == 0 { "{" } else { ",{" });
                let mark = j.out.len();
                j.uint(key!("code"), cargo.code);
                j.out.remove(mark);
                j.uint(key!("subtype"), cargo.subtype);
                j.out.push('}');
            }
            j.out.push(']');
        }
        Application::RouteInformation(m) => {
            j.uint(key!("linkage"), m.linkage);
            j.uint(key!("sender"), m.sender);
            j.uint(key!("rtype"), m.route_type);
            j.str(key!("rtype_text"), route_type(m.route_type));
            let s = m.start;
            j.day_time(key!("start"), s.month, s.day, s.hour, s.minute);
            j.uint(key!("duration"), m.duration_min);
            j.key(key!("waypoints"));
            j.out.push('[');
            for (i, w) in m.waypoints().iter().enumerate() {
                j.out.push_str(if i == 0 { "{" } else { ",{" });
                let mark = j.out.len();
                j.lonlat_pair(w.lon_min_e4, w.lat_min_e4, 600_000, 6);
                j.out.remove(mark);
                j.out.push('}');
            }
            j.out.push(']');
        }
        Application::VtsTargets(m) => {
            j.key(key!("targets"));
            j.out.push('[');
            for (i, t) in m.targets().iter().enumerate() {
                j.out.push_str(if i == 0 { "{" } else { ",{" });
                let (idtype, name) = match t.id {
                    TargetId::Mmsi(_) => (0u8, "mmsi"),
                    TargetId::Imo(_) => (1, "imo"),
                    TargetId::Callsign(_) => (2, "callsign"),
                    TargetId::Other(_) => (3, "other"),
                };
                let mark = j.out.len();
                j.uint(key!("idtype"), idtype);
                j.out.remove(mark);
                j.str(key!("idtype_text"), name);
                // gpsd writes the identifier as a string under its kind's name.
                let _ = write!(j.out, ",\"{name}\":");
                match t.id {
                    TargetId::Mmsi(n) | TargetId::Imo(n) => {
                        let _ = write!(j.out, "\"{n}\"");
                    }
                    TargetId::Callsign(text) | TargetId::Other(text) => push_json_string(j.out, text.as_str()),
                }
                j.latlon_pair(t.lat_min_e3, t.lon_min_e3, 60_000, 4);
                j.uint(key!("course"), t.cog_deg);
                j.uint(key!("second"), t.utc_second);
                j.uint(key!("speed"), t.sog_knots);
                j.out.push('}');
            }
            j.out.push(']');
        }
        Application::InlandWaterLevels(m) => {
            j.str(key!("country"), m.country.as_str());
            j.key(key!("gauges"));
            j.out.push('[');
            for (i, g) in m.gauges.iter().enumerate() {
                j.out.push_str(if i == 0 { "{" } else { ",{" });
                let mark = j.out.len();
                j.uint(key!("id"), g.id);
                j.out.remove(mark);
                j.int(key!("level"), g.level_cm);
                j.out.push('}');
            }
            j.out.push(']');
        }
        Application::InlandSignal(m) => {
            j.lonlat_pair(m.lon_min_e4, m.lat_min_e4, 600_000, 6);
            j.uint(key!("form"), m.form);
            j.uint(key!("facing"), m.facing_deg);
            j.uint(key!("direction"), m.direction);
            const DIRECTIONS: [&str; 5] = ["Unknown", "Upstream", "Downstream", "To left bank", "To right bank"];
            j.str(key!("direction_text"), DIRECTIONS.get(usize::from(m.direction)).copied().unwrap_or("Invalid"));
            j.uint(key!("status"), m.status);
            j.str(key!("status_text"), "Light status code");
        }
        Application::InlandStaticVoyage(m) => {
            j.str(key!("vin"), m.eni.as_str());
            j.uint(key!("length"), m.length_m_e1);
            j.uint(key!("beam"), m.beam_m_e1);
            j.uint(key!("shiptype"), m.eri_ship_type);
            j.str(key!("shiptype_text"), "ERI ship type");
            const HAZARD: [&str; 6] = [
                "0 blue cones/lights",
                "1 blue cone/light",
                "2 blue cones/lights",
                "3 blue cones/lights",
                "4 B-flag",
                "Unknown",
            ];
            j.uint(key!("hazard"), m.hazard);
            j.str(key!("hazard_text"), HAZARD.get(usize::from(m.hazard)).copied().unwrap_or("Invalid"));
            j.uint(key!("draught"), m.draught_m_e2);
            const LOADED: [&str; 4] = ["N/A", "Unloaded", "Loaded", "Invalid"];
            j.uint(key!("loaded"), m.loaded);
            j.str(key!("loaded_text"), LOADED[usize::from(m.loaded & 3)]);
            j.boolean(key!("speed_q"), m.speed_quality_high);
            j.boolean(key!("course_q"), m.course_quality_high);
            j.boolean(key!("heading_q"), m.heading_quality_high);
        }
    }
}

fn met_time_and_wind(j: &mut Obj<'_>, wind: &crate::application::Wind, humidity: u8) {
    j.key(key!("timestamp"));
    let _ = write!(j.out, "\"{:02}T{:02}:{:02}Z\"", wind.day, wind.hour, wind.minute);
    j.uint(key!("wspeed"), wind.speed_knots);
    j.uint(key!("wgust"), wind.gust_knots);
    j.uint(key!("wdir"), wind.dir_deg);
    j.uint(key!("wgustdir"), wind.gust_dir_deg);
    j.uint(key!("humidity"), humidity);
}

fn trend(j: &mut Obj<'_>, key: &str, code: u8) {
    if j.scaled {
        j.str(key, TRENDS[usize::from(code & 3)]);
    } else {
        j.uint(key, code);
    }
}

fn sea_state(j: &mut Obj<'_>, s: &crate::application::SeaState) {
    j.scaled_uint(key!("cspeed"), s.current_speed_knots_e1, 0, 10, 1);
    j.uint(key!("cdir"), s.current_dir_deg);
    j.scaled_uint(key!("cspeed2"), s.current2_speed_knots_e1, 0, 10, 1);
    j.uint(key!("cdir2"), s.current2_dir_deg);
    j.uint(key!("cdepth2"), s.current2_depth_m_e1);
    j.scaled_uint(key!("cspeed3"), s.current3_speed_knots_e1, 0, 10, 1);
    j.uint(key!("cdir3"), s.current3_dir_deg);
    j.uint(key!("cdepth3"), s.current3_depth_m_e1);
    j.scaled_uint(key!("waveheight"), s.wave_height_m_e1, 0, 10, 1);
    j.uint(key!("waveperiod"), s.wave_period_s);
    j.uint(key!("wavedir"), s.wave_dir_deg);
    j.scaled_uint(key!("swellheight"), s.swell_height_m_e1, 0, 10, 1);
    j.uint(key!("swellperiod"), s.swell_period_s);
    j.uint(key!("swelldir"), s.swell_dir_deg);
    j.uint(key!("seastate"), s.beaufort);
}

fn tidal<E: TidalEntry>(j: &mut Obj<'_>, m: &TidalWindow<E>) {
    j.uint(key!("month"), m.month);
    j.uint(key!("day"), m.day);
    j.key(key!("tidals"));
    j.out.push('[');
    for (i, e) in m.entries().iter().enumerate() {
        if i > 0 {
            j.out.push(',');
        }
        let f = e.raw_fields();
        tidal_entry(j, f.lon, f.lat, f.times, f.current_dir_deg, f.current_speed_knots_e1);
    }
    j.out.push(']');
}

/// One tidal prediction object. gpsd scales both tidal layouts' positions
/// by 1/1000 minute.
fn tidal_entry(j: &mut Obj<'_>, lon: i32, lat: i32, times: [u8; 4], cdir: u16, cspeed: u8) {
    // The entry is an object of its own: write its first key without a comma.
    j.out.push('{');
    let mark = j.out.len();
    j.lonlat_pair(lon, lat, 60_000, 4);
    j.out.remove(mark);
    j.uint(key!("from_hour"), times[0]);
    j.uint(key!("from_min"), times[1]);
    j.uint(key!("to_hour"), times[2]);
    j.uint(key!("to_min"), times[3]);
    j.uint(key!("cdir"), cdir);
    j.scaled_uint(key!("cspeed"), cspeed, 0, 10, 1);
    j.out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bits::Bits;
    use proptest::prelude::*;

    fn ratio(n: i64, d: i64, decimals: usize) -> String {
        let mut out = String::new();
        push_ratio(&mut out, n, d, decimals);
        out
    }

    #[test]
    fn ratios_print_like_printf() {
        assert_eq!(ratio(-74_037_230, 600_000, 6), "-123.395383");
        assert_eq!(ratio(123, 10, 1), "12.3");
        assert_eq!(ratio(0, 10, 1), "0.0");
        assert_eq!(ratio(-1, 600_000, 6), "-0.000002");
        assert_eq!(ratio(-1, 60_000_000, 6), "-0.000000");
        assert_eq!(ratio(3, 60_000, 4), format!("{:.4}", 3.0 / 60_000.0));
    }

    /// gpsd 3.22 merges a type 24 part B only with a part A heard on the
    /// same channel (A, `1` or empty; B or `2`), as measured with
    /// `gpsdecode -u -j` on these two payloads.
    #[test]
    fn type24_parts_merge_per_channel() {
        let bits = |payload: &str, fill: usize| {
            let mut bits = Bits::new();
            bits.set_from_payload(payload.as_bytes(), fill).unwrap();
            bits
        };
        let part_a = Message::decode(&bits("H44Ldsi<Tn1T4<Q@00000000000", 2)).unwrap();
        let part_b = Message::decode(&bits("H44LdslUD=>4HJgE2I3m001h4330", 0)).unwrap();
        let cases: [(Option<u8>, Option<u8>, bool); 7] = [
            (Some(b'A'), Some(b'A'), true),
            (Some(b'B'), Some(b'B'), true),
            (Some(b'A'), Some(b'B'), false),
            (Some(b'B'), Some(b'A'), false),
            (Some(b'1'), Some(b'2'), false),
            (Some(b'A'), None, true),
            (Some(b'2'), Some(b'B'), true),
        ];
        for (channel_a, channel_b, merged) in cases {
            let mut json = GpsdJson::new(false, "stdin");
            let mut out = String::new();
            assert!(!json.write(&part_a, channel_a, &mut out));
            assert_eq!(json.write(&part_b, channel_b, &mut out), merged, "{channel_a:?} {channel_b:?}");
            assert_eq!(out.contains("\"shipname\":\"SIM YACHT\""), merged);
        }
    }

    proptest! {
        /// Exact rational rounding agrees with formatting the double, which
        /// is what C's printf (and Rust's `{:.N}`) do.
        #[test]
        fn ratio_matches_float_formatting(n in -(1i64 << 30)..(1i64 << 30), d in prop::sample::select(vec![10i64, 20, 100, 600, 60_000, 600_000]), decimals in 0usize..7) {
            prop_assert_eq!(ratio(n, d, decimals), format!("{:.*}", decimals, n as f64 / d as f64));
        }
    }
}
