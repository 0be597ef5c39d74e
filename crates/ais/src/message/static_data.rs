//! Identity and static data: type 5 (class A), type 24 (class B) and
//! type 21 (aids to navigation).

use tumen_model::Mmsi;

use super::header;
use super::layout::Layout;
use crate::text::AisString;

/// Type 5: static and voyage-related data of a class A station.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StaticAndVoyageData {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// 0 = ITU-R M.1371-1, 1 = -3, 2 = -5, 3 = future.
    pub ais_version: u8,
    /// IMO ship number as broadcast (0 = not available; not validated here).
    pub imo: u32,
    pub callsign: AisString<7>,
    pub shipname: AisString<20>,
    /// Ship and cargo type code (0 not available; 70–79 cargo, 80–89 tanker…).
    pub ship_type: u8,
    pub to_bow_m: u16,
    pub to_stern_m: u16,
    pub to_port_m: u8,
    pub to_starboard_m: u8,
    pub epfd: u8,
    /// ETA month 1–12; 0 not available.
    pub eta_month: u8,
    /// ETA day 1–31; 0 not available.
    pub eta_day: u8,
    /// ETA hour 0–23; 24 not available.
    pub eta_hour: u8,
    /// ETA minute 0–59; 60 not available.
    pub eta_minute: u8,
    /// Maximum present static draught in 0.1 m; 0 not available.
    pub draught_m_e1: u8,
    pub destination: AisString<20>,
    /// Data terminal ready flag as sent (false = ready).
    pub dte: bool,
}

impl StaticAndVoyageData {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 5, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.ais_version, 38, 2);
        l.field(&mut self.imo, 40, 30);
        l.text(&mut self.callsign, 70, 7);
        l.text(&mut self.shipname, 112, 20);
        l.field(&mut self.ship_type, 232, 8);
        l.field(&mut self.to_bow_m, 240, 9);
        l.field(&mut self.to_stern_m, 249, 9);
        l.field(&mut self.to_port_m, 258, 6);
        l.field(&mut self.to_starboard_m, 264, 6);
        l.field(&mut self.epfd, 270, 4);
        l.field(&mut self.eta_month, 274, 4);
        l.field(&mut self.eta_day, 278, 5);
        l.field(&mut self.eta_hour, 283, 5);
        l.field(&mut self.eta_minute, 288, 6);
        l.field(&mut self.draught_m_e1, 294, 8);
        l.text(&mut self.destination, 302, 20);
        l.field(&mut self.dte, 422, 1);
        l.spare(423, 1);
    }

    /// Draught in metres, `None` when not available.
    pub fn draught_m(&self) -> Option<f64> {
        (self.draught_m_e1 != 0).then(|| f64::from(self.draught_m_e1) / 10.0)
    }

    /// Overall length in metres (bow + stern), `None` when either is 0.
    pub fn length_m(&self) -> Option<u16> {
        (self.to_bow_m != 0 && self.to_stern_m != 0).then(|| self.to_bow_m + self.to_stern_m)
    }

    /// Beam in metres (port + starboard), `None` when either is 0.
    pub fn beam_m(&self) -> Option<u16> {
        (self.to_port_m != 0 && self.to_starboard_m != 0)
            .then(|| u16::from(self.to_port_m) + u16::from(self.to_starboard_m))
    }
}

/// Type 24: class B static data, sent as two separate parts. Parts are
/// decoded separately; joining them is the registry's job (a part B may
/// arrive without its part A, and parts of several ships interleave).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaticDataReport {
    /// Part A (part number 0): the name.
    PartA(StaticDataPartA),
    /// Part B (part number 1): type, vendor, call sign, dimensions.
    PartB(StaticDataPartB),
}

/// Type 24 part A.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StaticDataPartA {
    pub repeat: u8,
    pub mmsi: Mmsi,
    pub shipname: AisString<20>,
}

impl StaticDataPartA {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 24, &mut self.repeat, &mut self.mmsi);
        l.field(&mut 0u8, 38, 2);
        // ITU-R M.1371 gives part A 160 bits; some units send 168, which
        // the decoder accepts. The encoder writes the standard 160 — gpsd
        // drops a 168-bit part A.
        l.text(&mut self.shipname, 40, 20);
    }
}

/// Type 24 part B.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StaticDataPartB {
    pub repeat: u8,
    pub mmsi: Mmsi,
    pub ship_type: u8,
    /// Manufacturer's id, three characters (ITU-R M.1371-4 and later; before,
    /// bits 48–89 were a seven-character vendor id, now split into this,
    /// `unit_model` and `serial_number`).
    pub vendor_id: AisString<3>,
    pub unit_model: u8,
    pub serial_number: u32,
    pub callsign: AisString<7>,
    /// Dimensions, or the mother ship's MMSI for auxiliary craft (`98MIDxxxx`).
    pub dimensions: Type24Dimensions,
}

/// Bits 132–161 of a type 24 part B.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type24Dimensions {
    /// Reference point distances in metres, as in type 5.
    Ship { to_bow_m: u16, to_stern_m: u16, to_port_m: u8, to_starboard_m: u8 },
    /// The parent ship of an auxiliary craft.
    MothershipMmsi(Mmsi),
}

impl Default for Type24Dimensions {
    fn default() -> Self {
        Type24Dimensions::Ship { to_bow_m: 0, to_stern_m: 0, to_port_m: 0, to_starboard_m: 0 }
    }
}

impl StaticDataPartB {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 24, &mut self.repeat, &mut self.mmsi);
        l.field(&mut 1u8, 38, 2);
        l.field(&mut self.ship_type, 40, 8);
        l.text(&mut self.vendor_id, 48, 3);
        l.field(&mut self.unit_model, 66, 4);
        l.field(&mut self.serial_number, 70, 20);
        l.text(&mut self.callsign, 90, 7);
        if L::DECODING {
            self.dimensions = if is_auxiliary_craft(self.mmsi) {
                Type24Dimensions::MothershipMmsi(Mmsi::default())
            } else {
                Type24Dimensions::default()
            };
        }
        match &mut self.dimensions {
            Type24Dimensions::Ship { to_bow_m, to_stern_m, to_port_m, to_starboard_m } => {
                l.field(to_bow_m, 132, 9);
                l.field(to_stern_m, 141, 9);
                l.field(to_port_m, 150, 6);
                l.field(to_starboard_m, 156, 6);
            }
            Type24Dimensions::MothershipMmsi(mmsi) => l.field(mmsi, 132, 30),
        }
        l.spare(162, 6);
    }
}

/// Auxiliary craft carry `98MIDxxxx` MMSIs (ITU-R M.585).
pub(crate) fn is_auxiliary_craft(mmsi: Mmsi) -> bool {
    mmsi.0 / 10_000_000 == 98
}

/// Type 21: aid-to-navigation report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AidToNavigationReport {
    pub repeat: u8,
    pub mmsi: Mmsi,
    /// Kind of aid (0 unspecified, 1 reference point, 3 fixed structure…).
    pub aid_type: u8,
    /// The first 20 characters of the name.
    pub name: AisString<20>,
    pub position_accuracy: bool,
    /// Longitude in 1/10 000 minute; 181° not available.
    pub lon_min_e4: i32,
    /// Latitude in 1/10 000 minute; 91° not available.
    pub lat_min_e4: i32,
    pub to_bow_m: u16,
    pub to_stern_m: u16,
    pub to_port_m: u8,
    pub to_starboard_m: u8,
    pub epfd: u8,
    pub utc_second: u8,
    /// The aid is off its charted position (meaningful when `utc_second` ≤ 59).
    pub off_position: bool,
    /// Regional reserved bits (8), uninterpreted.
    pub regional: u8,
    pub raim: bool,
    /// A virtual aid: no physical object at the position.
    pub virtual_aid: bool,
    pub assigned: bool,
    /// Up to 14 further characters of the name (bits 272 onward).
    pub name_extension: AisString<14>,
}

impl AidToNavigationReport {
    pub(crate) fn layout<L: Layout>(&mut self, l: &mut L) {
        header(l, &mut 21, &mut self.repeat, &mut self.mmsi);
        l.field(&mut self.aid_type, 38, 5);
        l.text(&mut self.name, 43, 20);
        l.field(&mut self.position_accuracy, 163, 1);
        l.field(&mut self.lon_min_e4, 164, 28);
        l.field(&mut self.lat_min_e4, 192, 27);
        l.field(&mut self.to_bow_m, 219, 9);
        l.field(&mut self.to_stern_m, 228, 9);
        l.field(&mut self.to_port_m, 237, 6);
        l.field(&mut self.to_starboard_m, 243, 6);
        l.field(&mut self.epfd, 249, 4);
        l.field(&mut self.utc_second, 253, 6);
        l.field(&mut self.off_position, 259, 1);
        l.field(&mut self.regional, 260, 8);
        l.field(&mut self.raim, 268, 1);
        l.field(&mut self.virtual_aid, 269, 1);
        l.field(&mut self.assigned, 270, 1);
        l.spare(271, 1);
        // The extension is as long as the message: whole characters, then
        // padding to a byte boundary.
        let chars = if L::DECODING { l.bit_len().saturating_sub(272) / 6 } else { self.name_extension.raw().len() };
        if chars > 0 {
            l.text(&mut self.name_extension, 272, chars);
            if !L::DECODING {
                let end = 272 + chars * 6;
                l.spare(end, end.next_multiple_of(8) - end);
            }
        }
    }

    /// The whole name: the first 20 characters, and the extension when the
    /// first part uses all 20.
    pub fn full_name(&self) -> String {
        let mut name = self.name.raw().to_owned();
        if name.len() == 20 {
            name.push_str(self.name_extension.raw());
        }
        name.trim_end().to_owned()
    }
}

super::position_accessors!(AidToNavigationReport, lon_min_e4, lat_min_e4, 600_000.0);
