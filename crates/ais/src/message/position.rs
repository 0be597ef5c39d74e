//! Position reports: class A (1–3), base station (4, 11), SAR aircraft (9),
//! class B (18, 19) and long range (27).

use tumen_model::Mmsi;

use super::header;
use super::layout::Layout;
use crate::text::AisString;

/// `sog_knots_e1` value meaning "not available".
pub const SOG_NOT_AVAILABLE: u16 = 1023;
/// `cog_deg_e1` value meaning "not available".
pub const COG_NOT_AVAILABLE: u16 = 3600;
/// `heading_deg` value meaning "not available".
pub const HEADING_NOT_AVAILABLE: u16 = 511;
/// `rot_raw` value meaning "no turn information".
pub const ROT_NOT_AVAILABLE: i8 = -128;
/// Longitude meaning "not available": 181° in 1/10 000 minutes.
pub const LON_NOT_AVAILABLE_MIN_E4: i32 = 181 * 600_000;
/// Latitude meaning "not available": 91° in 1/10 000 minutes.
pub const LAT_NOT_AVAILABLE_MIN_E4: i32 = 91 * 600_000;

/// Types 1, 2, 3: the class A position report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PositionReport {
    /// 1 (scheduled), 2 (assigned scheduled) or 3 (response to interrogation).
    pub msg_type: u8,
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Navigational status 0–15 (0 under way using engine, 1 at anchor,
    /// 5 moored, 15 not defined).
    pub nav_status: u8,
    /// Rate-of-turn indicator as sent: ±127 turning faster than 5°/30 s,
    /// −128 not available; see [`PositionReport::rot_deg_per_min`].
    pub rot_raw: i8,
    /// Speed over ground in 0.1 knot; 1023 not available, 1022 means ≥ 102.2.
    pub sog_knots_e1: u16,
    /// Position accuracy flag: true is < 10 m (DGNSS).
    pub position_accuracy: bool,
    /// Longitude in 1/10 000 minute; 181° (108 600 000) not available.
    pub lon_min_e4: i32,
    /// Latitude in 1/10 000 minute; 91° (54 600 000) not available.
    pub lat_min_e4: i32,
    /// Course over ground in 0.1°; 3600 not available.
    pub cog_deg_e1: u16,
    /// True heading in degrees; 511 not available.
    pub heading_deg: u16,
    /// UTC second of the fix; 60 not available, 61–63 manual / dead
    /// reckoning / inoperative.
    pub utc_second: u8,
    /// Special manoeuvre indicator: 0 n/a, 1 none, 2 special.
    pub maneuver: u8,
    pub raim: bool,
    /// SOTDMA/ITDMA communication state.
    pub radio_status: u32,
}

impl PositionReport {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut self.msg_type, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.nav_status, 38, 4);
        l.field(&mut self.rot_raw, 42, 8);
        l.field(&mut self.sog_knots_e1, 50, 10);
        l.field(&mut self.position_accuracy, 60, 1);
        l.field(&mut self.lon_min_e4, 61, 28);
        l.field(&mut self.lat_min_e4, 89, 27);
        l.field(&mut self.cog_deg_e1, 116, 12);
        l.field(&mut self.heading_deg, 128, 9);
        l.field(&mut self.utc_second, 137, 6);
        l.field(&mut self.maneuver, 143, 2);
        l.spare(145, 3);
        l.field(&mut self.raim, 148, 1);
        l.trailing_field(&mut self.radio_status, 149, 19);
    }

    /// Rate of turn in degrees per minute (positive to starboard), from the
    /// indicator ROT = 4.733·√(rate). `None` when not available or when the
    /// sender reports only "turning fast" (±127).
    pub fn rot_deg_per_min(&self) -> Option<f64> {
        match self.rot_raw {
            -128 | -127 | 127 => None,
            raw => {
                let root = f64::from(raw) / 4.733;
                Some(root * root.abs())
            }
        }
    }
}

/// Types 4 (base station report) and 11 (UTC/date response).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BaseStationReport {
    /// 4 or 11.
    pub msg_type: u8,
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// UTC year 1–9999; 0 not available.
    pub year: u16,
    /// 1–12; 0 not available.
    pub month: u8,
    /// 1–31; 0 not available.
    pub day: u8,
    /// 0–23; 24 not available.
    pub hour: u8,
    /// 0–59; 60 not available.
    pub minute: u8,
    /// 0–59; 60 not available.
    pub second: u8,
    pub position_accuracy: bool,
    /// Longitude in 1/10 000 minute; 181° not available.
    pub lon_min_e4: i32,
    /// Latitude in 1/10 000 minute; 91° not available.
    pub lat_min_e4: i32,
    /// Type of electronic position fixing device (0 undefined, 1 GPS, 7 surveyed…).
    pub epfd: u8,
    pub raim: bool,
    pub radio_status: u32,
}

impl BaseStationReport {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut self.msg_type, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.year, 38, 14);
        l.field(&mut self.month, 52, 4);
        l.field(&mut self.day, 56, 5);
        l.field(&mut self.hour, 61, 5);
        l.field(&mut self.minute, 66, 6);
        l.field(&mut self.second, 72, 6);
        l.field(&mut self.position_accuracy, 78, 1);
        l.field(&mut self.lon_min_e4, 79, 28);
        l.field(&mut self.lat_min_e4, 107, 27);
        l.field(&mut self.epfd, 134, 4);
        l.spare(138, 10);
        l.field(&mut self.raim, 148, 1);
        l.field(&mut self.radio_status, 149, 19);
    }

    /// The station's clock as an instant, `None` when any field is not available.
    pub fn utc(&self) -> Option<tumen_model::Timestamp> {
        tumen_model::Timestamp::from_utc_fields(
            i32::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
            u32::from(self.hour),
            u32::from(self.minute),
            u32::from(self.second),
            0,
        )
    }
}

/// Type 9: standard search-and-rescue aircraft position report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SarAircraftReport {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Altitude in metres (GNSS); 4095 not available, 4094 means ≥ 4094 m.
    pub altitude_m: u16,
    /// Speed over ground in whole knots; 1023 not available, 1022 means ≥ 1022.
    pub sog_knots: u16,
    pub position_accuracy: bool,
    /// Longitude in 1/10 000 minute; 181° not available.
    pub lon_min_e4: i32,
    /// Latitude in 1/10 000 minute; 91° not available.
    pub lat_min_e4: i32,
    /// Course over ground in 0.1°; 3600 not available.
    pub cog_deg_e1: u16,
    pub utc_second: u8,
    /// Regional reserved bits (8), uninterpreted.
    pub regional: u8,
    /// Data terminal ready flag as sent (false = ready).
    pub dte: bool,
    pub assigned: bool,
    pub raim: bool,
    pub radio_status: u32,
}

impl SarAircraftReport {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 9, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.altitude_m, 38, 12);
        l.field(&mut self.sog_knots, 50, 10);
        l.field(&mut self.position_accuracy, 60, 1);
        l.field(&mut self.lon_min_e4, 61, 28);
        l.field(&mut self.lat_min_e4, 89, 27);
        l.field(&mut self.cog_deg_e1, 116, 12);
        l.field(&mut self.utc_second, 128, 6);
        l.field(&mut self.regional, 134, 8);
        l.field(&mut self.dte, 142, 1);
        l.spare(143, 3);
        l.field(&mut self.assigned, 146, 1);
        l.field(&mut self.raim, 147, 1);
        l.field(&mut self.radio_status, 148, 20);
    }
}

/// Type 18: standard class B position report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClassBPositionReport {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Regional reserved bits (8) after the MMSI, uninterpreted.
    pub reserved: u8,
    /// Speed over ground in 0.1 knot; 1023 not available.
    pub sog_knots_e1: u16,
    pub position_accuracy: bool,
    /// Longitude in 1/10 000 minute; 181° not available.
    pub lon_min_e4: i32,
    /// Latitude in 1/10 000 minute; 91° not available.
    pub lat_min_e4: i32,
    /// Course over ground in 0.1°; 3600 not available.
    pub cog_deg_e1: u16,
    /// True heading in degrees; 511 not available.
    pub heading_deg: u16,
    pub utc_second: u8,
    /// Regional reserved bits (2), uninterpreted.
    pub regional: u8,
    /// Class B unit type: false SOTDMA, true carrier-sense (CS).
    pub cs_unit: bool,
    /// Has an integrated display for messages 12 and 14.
    pub display: bool,
    /// Has a DSC function.
    pub dsc: bool,
    /// Can use the whole marine band (channel management by type 22).
    pub band: bool,
    /// Accepts channel assignment by type 22.
    pub msg22: bool,
    /// Station is in assigned mode.
    pub assigned: bool,
    pub raim: bool,
    pub radio_status: u32,
}

impl ClassBPositionReport {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 18, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.reserved, 38, 8);
        l.field(&mut self.sog_knots_e1, 46, 10);
        l.field(&mut self.position_accuracy, 56, 1);
        l.field(&mut self.lon_min_e4, 57, 28);
        l.field(&mut self.lat_min_e4, 85, 27);
        l.field(&mut self.cog_deg_e1, 112, 12);
        l.field(&mut self.heading_deg, 124, 9);
        l.field(&mut self.utc_second, 133, 6);
        l.field(&mut self.regional, 139, 2);
        l.field(&mut self.cs_unit, 141, 1);
        l.field(&mut self.display, 142, 1);
        l.field(&mut self.dsc, 143, 1);
        l.field(&mut self.band, 144, 1);
        l.field(&mut self.msg22, 145, 1);
        l.field(&mut self.assigned, 146, 1);
        l.field(&mut self.raim, 147, 1);
        l.field(&mut self.radio_status, 148, 20);
    }
}

/// Type 19: extended class B position report (position plus static data).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClassBExtendedReport {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Regional reserved bits (8), uninterpreted.
    pub reserved: u8,
    /// Speed over ground in 0.1 knot; 1023 not available.
    pub sog_knots_e1: u16,
    pub position_accuracy: bool,
    /// Longitude in 1/10 000 minute; 181° not available.
    pub lon_min_e4: i32,
    /// Latitude in 1/10 000 minute; 91° not available.
    pub lat_min_e4: i32,
    /// Course over ground in 0.1°; 3600 not available.
    pub cog_deg_e1: u16,
    /// True heading in degrees; 511 not available.
    pub heading_deg: u16,
    pub utc_second: u8,
    /// Regional reserved bits (4), uninterpreted.
    pub regional: u8,
    pub shipname: AisString<20>,
    /// Ship and cargo type code, as in type 5.
    pub ship_type: u8,
    pub to_bow_m: u16,
    pub to_stern_m: u16,
    pub to_port_m: u8,
    pub to_starboard_m: u8,
    pub epfd: u8,
    pub raim: bool,
    /// Data terminal ready flag as sent (false = ready).
    pub dte: bool,
    pub assigned: bool,
}

impl ClassBExtendedReport {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 19, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.reserved, 38, 8);
        l.field(&mut self.sog_knots_e1, 46, 10);
        l.field(&mut self.position_accuracy, 56, 1);
        l.field(&mut self.lon_min_e4, 57, 28);
        l.field(&mut self.lat_min_e4, 85, 27);
        l.field(&mut self.cog_deg_e1, 112, 12);
        l.field(&mut self.heading_deg, 124, 9);
        l.field(&mut self.utc_second, 133, 6);
        l.field(&mut self.regional, 139, 4);
        l.text(&mut self.shipname, 143, 20);
        l.field(&mut self.ship_type, 263, 8);
        l.field(&mut self.to_bow_m, 271, 9);
        l.field(&mut self.to_stern_m, 280, 9);
        l.field(&mut self.to_port_m, 289, 6);
        l.field(&mut self.to_starboard_m, 295, 6);
        l.field(&mut self.epfd, 301, 4);
        l.field(&mut self.raim, 305, 1);
        l.field(&mut self.dte, 306, 1);
        l.field(&mut self.assigned, 307, 1);
        l.spare(308, 4);
    }
}

/// Type 27: long-range broadcast, meant for satellite reception.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LongRangeReport {
    pub repeat: u8,
    pub mmsi: Mmsi,
    pub position_accuracy: bool,
    pub raim: bool,
    /// Navigational status as in types 1–3.
    pub nav_status: u8,
    /// Longitude in 1/10 minute; 181° (108 600) not available.
    pub lon_min_e1: i32,
    /// Latitude in 1/10 minute; 91° (54 600) not available.
    pub lat_min_e1: i32,
    /// Speed over ground in whole knots; 63 not available.
    pub sog_knots: u8,
    /// Course over ground in whole degrees; 511 not available.
    pub cog_deg: u16,
    /// Position latency: true when the reported position is more than 5 s old.
    pub position_latency_high: bool,
}

impl LongRangeReport {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 27, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.position_accuracy, 38, 1);
        l.field(&mut self.raim, 39, 1);
        l.field(&mut self.nav_status, 40, 4);
        l.field(&mut self.lon_min_e1, 44, 18);
        l.field(&mut self.lat_min_e1, 62, 17);
        l.field(&mut self.sog_knots, 79, 6);
        l.field(&mut self.cog_deg, 85, 9);
        l.field(&mut self.position_latency_high, 94, 1);
        l.spare(95, 1);
    }
}

super::position_accessors!(PositionReport, lon_min_e4, lat_min_e4, 600_000.0);
super::motion_accessors!(PositionReport);
super::position_accessors!(BaseStationReport, lon_min_e4, lat_min_e4, 600_000.0);
super::position_accessors!(SarAircraftReport, lon_min_e4, lat_min_e4, 600_000.0);
super::position_accessors!(ClassBPositionReport, lon_min_e4, lat_min_e4, 600_000.0);
super::motion_accessors!(ClassBPositionReport);
super::position_accessors!(ClassBExtendedReport, lon_min_e4, lat_min_e4, 600_000.0);
super::motion_accessors!(ClassBExtendedReport);
super::position_accessors!(LongRangeReport, lon_min_e1, lat_min_e1, 600.0);

impl LongRangeReport {
    /// Speed over ground in knots, `None` when not available (63).
    pub fn sog_knots(&self) -> Option<f64> {
        (self.sog_knots != 63).then_some(f64::from(self.sog_knots))
    }

    /// Course over ground in degrees, `None` when not available (511).
    pub fn cog_deg(&self) -> Option<f64> {
        (self.cog_deg < 360).then_some(f64::from(self.cog_deg))
    }
}
